import datetime
import importlib.metadata
import json
import logging
import os
import os.path
import warnings
from typing import cast
from urllib.parse import urlparse
import dj_database_url
import dj_email_url
import django_cache_url
import django_stubs_ext
import sentry_sdk
import sentry_sdk.utils
from celery.schedules import crontab
from django.conf import global_settings
from django.core.cache import CacheKeyWarning
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.core.validators import URLValidator
from graphql.execution import executor
from pytimeparse import parse
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import ignore_logger
from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST, EventScrubber
from . import PatchedSubscriberExecutionContext, __version__
from .account.i18n_rules_override import i18n_rules_override
from .core.cleaners.html import HtmlCleanerSettings
from .core.db.patch import patch_db
from .core.languages import LANGUAGES as CORE_LANGUAGES
from .core.rlimit import validate_and_set_rlimit
from .core.schedules import (
    initiated_checkout_automatic_completion_schedule,
    initiated_checkout_search_update_schedule,
    initiated_gift_card_search_update_schedule,
    initiated_page_search_update_schedule,
    initiated_product_search_update_schedule,
    initiated_promotion_webhook_schedule,
)
from .graphql.graphql_core import (
    patch_execution_context,
    patch_execution_result,
    patch_executor,
)
from .graphql.promise import patch_promise
from .patch_local import patch_local
ROOT_URLCONF = "saleor.urls"
DATABASE_CONNECTION_DEFAULT_NAME = "default"
DATABASE_CONNECTION_REPLICA_NAME = "replica"
if "DATABASE_URL_REPLICA" in os.environ:
    DATABASE_URL_REPLICA_ENV_NAME = "DATABASE_URL_REPLICA"
else:
    # If replica env is not set, then always try to use the
    # default env first.
    DATABASE_URL_REPLICA_ENV_NAME = dj_database_url.DEFAULT_ENV
DATABASES = {
    DATABASE_CONNECTION_DEFAULT_NAME: dj_database_url.config(
        env=dj_database_url.DEFAULT_ENV,
        default="postgres://saleor:saleor@localhost:5432/saleor",
        conn_max_age=DB_CONN_MAX_AGE,
    ),
    DATABASE_CONNECTION_REPLICA_NAME: dj_database_url.config(
        env=DATABASE_URL_REPLICA_ENV_NAME,
        default="postgres://saleor:saleor@localhost:5432/saleor",
        # TODO: We need to add read only user to saleor platform,
        # and we need to update docs.
        # default="postgres://saleor_read_only:saleor@localhost:5432/saleor",
        conn_max_age=DB_CONN_MAX_AGE,
        test_options={"MIRROR": DATABASE_CONNECTION_DEFAULT_NAME},
    ),
}
DATABASE_ROUTERS = ["saleor.core.db_routers.PrimaryReplicaRouter"]
SECRET_KEY = os.environ.get("SECRET_KEY")
if not SECRET_KEY and DEBUG:
    warnings.warn(
        "SECRET_KEY not configured, using a random temporary key.", stacklevel=1
    )
    SECRET_KEY = get_random_secret_key()
if ENABLE_DJANGO_EXTENSIONS:
    INSTALLED_APPS += [
        "django_extensions",
    ]
CELERY_BROKER_URL = (
    os.environ.get("CELERY_BROKER_URL", os.environ.get("CLOUDAMQP_URL")) or ""
)
if CELERY_BROKER_URL.startswith("sqs://"):
    CELERY_BROKER_TRANSPORT = "saleor.core.sqs.Transport"
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
OBSERVABILITY_BROKER_URL = os.environ.get("OBSERVABILITY_BROKER_URL")
OBSERVABILITY_ACTIVE = bool(OBSERVABILITY_BROKER_URL)
for entry_point in installed_plugins:
    plugin_path = f"{entry_point.module}.{entry_point.attr}"
    if plugin_path not in BUILTIN_PLUGINS and plugin_path not in EXTERNAL_PLUGINS:
        if entry_point.name not in INSTALLED_APPS:
            INSTALLED_APPS.append(entry_point.name)
        EXTERNAL_PLUGINS.append(plugin_path)
REDIS_URL = os.environ.get("REDIS_URL")
CACHE_URL = (
    os.environ.setdefault("CACHE_URL", REDIS_URL)
    if REDIS_URL
    else os.environ.get("CACHE_URL")
)
