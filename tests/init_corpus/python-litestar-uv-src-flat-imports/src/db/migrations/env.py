from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

from config import DB_URI
from db.models import UUIDBase

config = context.config

config.set_main_option("sqlalchemy.url", DB_URI)
