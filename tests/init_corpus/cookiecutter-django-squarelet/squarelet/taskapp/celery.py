# Django
from celery import Celery
from django.apps import AppConfig, apps
from django.conf import settings

# Standard Library
import os
import ssl

if not settings.configured:
    # set the default Django settings module for the 'celery' program.
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", "config.settings.local"
    )  # pragma: no cover


if settings.CELERY_BROKER_URL.startswith("rediss:"):
    app = Celery(
        "squarelet",
        broker_use_ssl={"ssl_cert_reqs": ssl.CERT_NONE},
        redis_backend_use_ssl={"ssl_cert_reqs": ssl.CERT_NONE},
    )
else:
    app = Celery("squarelet")

