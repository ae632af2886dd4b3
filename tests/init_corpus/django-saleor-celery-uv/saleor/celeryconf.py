import logging
import os
from celery import Celery
from celery.signals import setup_logging, worker_process_init
from django.conf import settings
from .core.telemetry import initialize_telemetry
from .plugins import discover_plugins_modules
CELERY_LOGGER_NAME = "celery"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor.settings")
app = Celery("saleor", task_cls="saleor.core.tasks:RestrictWriterDBTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(
    packages=[
        "saleor.account.migrations.tasks",
        "saleor.order.migrations.tasks",
        "saleor.app.migrations.tasks",
        "saleor.checkout.migrations.tasks",
        "saleor.product.migrations.tasks",
    ],
    related_name="saleor3_23",
)
app.autodiscover_tasks(
    packages=[
        "saleor.order.migrations.tasks",
        "saleor.account.migrations.tasks",
        "saleor.attribute.migrations.tasks",
        "saleor.channel.migrations.tasks",
        "saleor.giftcard.migrations.tasks",
    ],
    related_name="saleor3_22",
)
app.autodiscover_tasks(
    packages=[
        "saleor.checkout.migrations.tasks",
    ],
    related_name="saleor3_21",
)
app.autodiscover_tasks(
    packages=[
        "saleor.checkout.migrations.tasks",
        "saleor.order.migrations.tasks",
    ],
    related_name="saleor3_20",
)
app.autodiscover_tasks(lambda: discover_plugins_modules(settings.PLUGINS))
app.autodiscover_tasks(related_name="search_tasks")
