import asyncio
import importlib
import pkgutil
from logging.config import fileConfig

from alembic import context
from app.core.config import settings
from app.core.db.database import Base
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config
