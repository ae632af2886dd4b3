import logging
import time
from contextvars import ContextVar
from os import path
from uuid import uuid1
import warnings
from typing import Final
from fastapi import FastAPI, status
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sentry_asgi import SentryMiddleware
from slowapi import _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from sqlalchemy import inspect
from sqlalchemy.orm import scoped_session, sessionmaker
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse
from starlette.routing import compile_path
from starlette.staticfiles import StaticFiles
from .api import api_router
from .common.utils.cli import install_plugin_events, install_plugins
from .config import (
    STATIC_DIR,
)
from .database.core import engine
from .database.logging import SessionTracker
from .extensions import configure_extensions
from .logging import configure_logging
from .metrics import provider as metric_provider
from .rate_limiter import limiter
app = FastAPI(exception_handlers=exception_handlers, openapi_url="")
frontend = FastAPI(openapi_url="")
api = FastAPI(
    title="Dispatch",
    description="Welcome to Dispatch's API documentation! Here you will able to discover all of the ways you can interact with the Dispatch API.",
    root_path="/api/v1",
    docs_url=None,
    openapi_url="/docs/openapi.json",
    redoc_url="/docs",
)
