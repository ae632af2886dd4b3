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

django_stubs_ext.monkeypatch()


def get_list(text):
    return [item.strip() for item in text.split(",") if item]


def get_bool_from_env(name, default_value):
    """Retrieve and convert an environment variable to a boolean object.

    Accepted values are `true` (case-insensitive) and `1`, any other value resolves to `False`.
    """
    value = os.environ.get(name)
    if value is None:
        return default_value
    return value.lower() in ("true", "1")


def get_url_from_env(name, *, schemes=None) -> str | None:
    if name in os.environ:
        value = os.environ[name]
        message = f"{value} is an invalid value for {name}"
        URLValidator(schemes=schemes, message=message)(value)
        return value
    return None


# Possibility to set memory limits for the process. Function `validate_and_set_rlimit` set the
# maximum size of the process's heap(`resource.RLIMIT_DATA`). If you set the memory limit and process will try to
# allocate more memory than the limit, it will raise `MemoryError`.
SOFT_MEMORY_LIMIT_IN_MB = os.environ.get("SOFT_MEMORY_LIMIT_IN_MB", None)
HARD_MEMORY_LIMIT_IN_MB = os.environ.get("HARD_MEMORY_LIMIT_IN_MB", None)
validate_and_set_rlimit(SOFT_MEMORY_LIMIT_IN_MB, HARD_MEMORY_LIMIT_IN_MB)

DEBUG = get_bool_from_env("DEBUG", True)

SITE_ID = 1

PROJECT_ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))

ROOT_URLCONF = "saleor.urls"

ADMINS = (
    # ('Your Name', 'your_email@example.com'),
)
MANAGERS = ADMINS

APPEND_SLASH = False

_DEFAULT_CLIENT_HOSTS = "localhost,127.0.0.1"

ALLOWED_CLIENT_HOSTS = os.environ.get("ALLOWED_CLIENT_HOSTS")
if not ALLOWED_CLIENT_HOSTS:
    if DEBUG:
        ALLOWED_CLIENT_HOSTS = _DEFAULT_CLIENT_HOSTS
    else:
        raise ImproperlyConfigured(
            "ALLOWED_CLIENT_HOSTS environment variable must be set when DEBUG=False."
        )

ALLOWED_CLIENT_HOSTS = get_list(ALLOWED_CLIENT_HOSTS)

INTERNAL_IPS = get_list(os.environ.get("INTERNAL_IPS", "127.0.0.1"))

# Maximum time in seconds Django can keep the database connections opened.
# Set the value to 0 to disable connection persistence, database connections
# will be closed after each request.
# For Django 4, the default value was changed to 0 as persistent DB connections
# are not supported.
DB_CONN_MAX_AGE = int(os.environ.get("DB_CONN_MAX_AGE", 0))

DATABASE_CONNECTION_DEFAULT_NAME = "default"
# TODO: For local envs will be activated in separate PR.
# We need to update docs an saleor platform.
# This variable should be set to `replica`
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
