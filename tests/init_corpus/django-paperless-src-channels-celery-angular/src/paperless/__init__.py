from paperless.celery import app as celery_app
from paperless.checks import audit_log_check
from paperless.checks import binaries_check
from paperless.checks import paths_check
from paperless.checks import settings_values_check

__all__ = [
    "audit_log_check",
    "binaries_check",
    "celery_app",
    "paths_check",
    "settings_values_check",
]
