import importlib
import os
import ssl
from flask_talisman import talisman
from funcy import distinct, remove
from redash.settings.helpers import (
    add_decode_responses_to_redis_url,
    array_from_string,
    cast_int_or_default,
    fix_assets_path,
    int_or_none,
    parse_boolean,
    set_from_string,
)
from redash.settings.organization import DATE_FORMAT, TIME_FORMAT  # noqa
_REDIS_URL = os.environ.get("REDASH_REDIS_URL", os.environ.get("REDIS_URL", "redis://localhost:6379/0"))
REDIS_URL = add_decode_responses_to_redis_url(_REDIS_URL)
SQLALCHEMY_DATABASE_URI = os.environ.get(
    "REDASH_DATABASE_URL", os.environ.get("DATABASE_URL", "postgresql:///postgres")
)
RQ_REDIS_URL = os.environ.get("RQ_REDIS_URL", _REDIS_URL)
SECRET_KEY = os.environ.get("REDASH_COOKIE_SECRET")
if SECRET_KEY is None:
    raise Exception(
        "You must set the REDASH_COOKIE_SECRET environment variable. Visit http://redash.io/help/open-source/admin-guide/secrets for more information."
    )
DATASOURCE_SECRET_KEY = os.environ.get("REDASH_SECRET_KEY", SECRET_KEY)
LIMITER_STORAGE = os.environ.get("REDASH_LIMITER_STORAGE", REDIS_URL)
