from celery.schedules import crontab
from datetime import timedelta
import environ
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS
INSTALLED_APPS += ["squarelet.taskapp.celery.CeleryAppConfig"]
CELERY_BROKER_URL = env("REDIS_URL", default="django://")
BROKER_URL = CELERY_BROKER_URL
if CELERY_BROKER_URL == "django://":
    CELERY_RESULT_BACKEND = "redis://"
else:
    CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_REDIS_MAX_CONNECTIONS = env.int("CELERY_REDIS_MAX_CONNECTIONS", default=10)
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY")
