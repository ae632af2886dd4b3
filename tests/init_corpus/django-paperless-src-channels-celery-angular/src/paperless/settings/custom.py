import os
from pathlib import Path
from typing import Any

from paperless.settings.parsers import get_choice_from_env


def parse_redis_url(env_redis: str | None) -> tuple[str, str]:
    # Not set, return a compatible default
    if env_redis is None:
        return ("redis://localhost:6379", "redis://localhost:6379")


def parse_db_settings(data_dir: Path) -> dict[str, dict[str, Any]]:
    engine = get_choice_from_env(
        "PAPERLESS_DBENGINE",
        {"sqlite", "postgresql", "mariadb"},
    )
    if engine is None:
        # MariaDB users already had to set PAPERLESS_DBENGINE, so it was picked up above
        # SQLite users didn't need to set anything
        engine = "postgresql" if "PAPERLESS_DBHOST" in os.environ else "sqlite"

    match engine:
        case "sqlite":
            db_config = {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str((data_dir / "db.sqlite3").resolve()),
            }

        case "postgresql":
            db_config = {
                "ENGINE": "django.db.backends.postgresql",
                "HOST": os.getenv("PAPERLESS_DBHOST"),
                "NAME": os.getenv("PAPERLESS_DBNAME", "paperless"),
                "USER": os.getenv("PAPERLESS_DBUSER", "paperless"),
                "PASSWORD": os.getenv("PAPERLESS_DBPASS", "paperless"),
                # Validate pooled connections so a connection closed server-side
                # is replaced rather than handed out as "the connection is closed".
                "CONN_HEALTH_CHECKS": True,
            }

        case "mariadb":
            db_config = {
                "ENGINE": "django.db.backends.mysql",
                "HOST": os.getenv("PAPERLESS_DBHOST"),
                "NAME": os.getenv("PAPERLESS_DBNAME", "paperless"),
                "USER": os.getenv("PAPERLESS_DBUSER", "paperless"),
                "PASSWORD": os.getenv("PAPERLESS_DBPASS", "paperless"),
            }
