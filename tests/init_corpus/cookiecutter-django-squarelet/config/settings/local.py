from .base import *  # noqa
from .base import env
DEBUG = True
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="qP6NoEnooFQbHwLgJOybHGpndYrzps9Vjv4Q486FuLIUs2y6QYimmMzO53AtkA3F",
)
ALLOWED_HOSTS = ["localhost", "0.0.0.0", "127.0.0.1", "*"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "",
    }
}
TEMPLATES[0]["OPTIONS"]["debug"] = DEBUG  # noqa F405
EMAIL_HOST = env("EMAIL_HOST", default="squarelet_mailhog")
EMAIL_PORT = 1025
DEBUG_TOOLBAR_CONFIG = {
    "INTERCEPT_REDIRECT": False,
    "SHOW_TEMPLATE_CONTEXT": True,
    "SHOW_TOOLBAR_CALLBACK": lambda _: not env.bool("DISABLE_DEBUG_TOOLBAR", False),
}
CELERY_ALWAYS_EAGER = False
DJANGO_VITE = {
    "default": {
        "dev_mode": DEBUG,
        "dev_server_port": 4200,
        "manifest_path": str(ROOT_DIR.path("frontend/dist/manifest.json")),
    }
}
ENABLE_SOCIAL_LOGINS = env.bool("ENABLE_SOCIAL_LOGINS", default=True)
