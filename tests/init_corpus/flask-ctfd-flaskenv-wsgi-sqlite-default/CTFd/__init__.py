from flask import Flask, Request
from flask_migrate import upgrade


def create_app(config="CTFd.config.Config"):
    app = CTFdFlask(__name__)
    with app.app_context():
        app.config.from_object(config)
