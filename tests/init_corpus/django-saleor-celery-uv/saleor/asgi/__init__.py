import gc
import os
from django.conf import settings
from ..core.telemetry import initialize_telemetry
from .asgi_handler import get_asgi_application
from .cors_handler import cors_handler
from .gzip_compression import gzip_compression
from .health_check import health_check
from .telemetry import telemetry_middleware
from .usage_telemetry import usage_telemetry_middleware
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor.settings")
application = get_asgi_application()
