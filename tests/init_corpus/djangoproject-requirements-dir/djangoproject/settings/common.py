import json
import os
from pathlib import Path
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
if os.getenv("DJANGO_SPOOKY_MODE"):
    INSTALLED_APPS.insert(0, "django_admin_dracula")  # spooky 👻
ROOT_URLCONF = "djangoproject.urls.www"
SECRET_KEY = str(SECRETS["secret_key"])
SILENCED_SYSTEM_CHECKS = [
    "security.W008",  # SSL redirect is handled by nginx
    "security.W009",  # SECRET_KEY is setup through Ansible secrets
]
STRIPE_SECRET_KEY = SECRETS.get("stripe_secret_key", "sk_test_x6zP4wd7Z5jcvDOJbbHZlHHt")
