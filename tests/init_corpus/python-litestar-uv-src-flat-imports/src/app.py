"""Main application."""

from litestar import Litestar
from litestar.openapi import OpenAPIConfig

from config import DEBUG
from db.connection import sqlalchemy_plugin
from routers import api_router

app = Litestar(
    plugins=[sqlalchemy_plugin, structlog_plugin],
    route_handlers=[api_router],
    debug=DEBUG,
    openapi_config=OpenAPIConfig(title="Books API", version="0.0.1"),
)
