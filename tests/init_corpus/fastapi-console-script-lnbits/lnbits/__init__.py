from .core.services import create_invoice, pay_invoice
from .decorators import (
    check_account_exists,
    check_admin,
    check_super_user,
    check_user_exists,
    require_admin_key,
    require_invoice_key,
)
from .exceptions import InvoiceError, PaymentError
