from __future__ import absolute_import, unicode_literals
import logging
import os
import structlog
from celery import Celery
from celery.signals import setup_logging
from django.dispatch import receiver
from django_structlog.celery import signals
from django_structlog.celery.steps import DjangoStructLogInitStep
from config.settings.loggers.setup import LoggersSetup
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.base")
app = Celery("styleguide_example")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
