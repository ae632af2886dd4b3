# Settings for www.djangoproject.com
import json
import os
from pathlib import Path

# Utilities
PROJECT_PACKAGE = Path(__file__).resolve().parent.parent

# The full path to the repository root.
BASE_DIR = PROJECT_PACKAGE.parent

data_dir_key = "DJANGOPROJECT_DATA_DIR"
DATA_DIR = (
    Path(os.environ[data_dir_key]) if data_dir_key in os.environ else BASE_DIR.parent
)

try:
    with (DATA_DIR / "conf" / "secrets.json").open() as handle:
        SECRETS = json.load(handle)
except OSError:
    SECRETS = {
        "secret_key": "a",
        "superfeedr_creds": ["any@email.com", "some_string"],
    }


# Django settings

CACHE_MIDDLEWARE_SECONDS = 60 * 5  # 5 minutes

CACHE_MIDDLEWARE_KEY_PREFIX = "django"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.getenv("DJANGO_DB_NAME", "djangoproject"),
        "USER": SECRETS.get("db_user", "djangoproject"),
        "HOST": SECRETS.get("db_host", ""),
        "PASSWORD": SECRETS.get("db_password", ""),
        "PORT": SECRETS.get("db_port", ""),
    },
    "trac": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.getenv("TRAC_DB_NAME", "code.djangoproject"),
        "USER": SECRETS.get("trac_db_user", "code.djangoproject"),
        "HOST": SECRETS.get("trac_db_host", ""),
        "PASSWORD": SECRETS.get("trac_db_password", ""),
        "PORT": SECRETS.get("trac_db_port", ""),
    },
}

DATABASE_ROUTERS = ["tracdb.db_router.TracRouter"]

DEFAULT_FROM_EMAIL = "noreply@djangoproject.com"
FUNDRAISING_DEFAULT_FROM_EMAIL = "fundraising@djangoproject.com"
