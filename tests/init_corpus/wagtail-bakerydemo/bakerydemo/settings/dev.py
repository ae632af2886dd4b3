from .base import *  # noqa: F403
DEBUG = True
WAGTAILADMIN_BASE_URL = "http://localhost:8000"
ALLOWED_HOSTS = ["*"]
try:
    from .local import *  # noqa
except ImportError:
    pass
