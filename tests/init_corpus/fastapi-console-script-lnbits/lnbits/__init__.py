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

__all__ = [
    "InvoiceError",
    "PaymentError",
    "check_account_exists",
    "check_admin",
    "check_super_user",
    "check_user_exists",
    "create_invoice",
    "pay_invoice",
    "require_admin_key",
    "require_invoice_key",
]
