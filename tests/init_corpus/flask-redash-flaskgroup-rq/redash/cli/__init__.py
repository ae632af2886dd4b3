import json
import click
from flask import current_app
from flask.cli import FlaskGroup, run_command, with_appcontext
from rq import Connection
from redash import __version__, create_app, rq_redis_connection, settings
from redash.cli import (
    data_sources,
    database,
    groups,
    organization,
    queries,
    rq,
    users,
)
from redash.monitor import get_status
def create():
    app = current_app or create_app()

    @app.shell_context_processor
    def shell_context():
        from redash import models, settings

        return {"models": models, "settings": settings}

    return app
@click.group(cls=FlaskGroup, create_app=create)
def manager():
    """Management script for Redash"""
manager.add_command(database.manager, "database")
