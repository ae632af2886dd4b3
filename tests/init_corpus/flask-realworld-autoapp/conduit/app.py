from flask import Flask
from conduit.extensions import bcrypt, cache, db, migrate, jwt, cors
from conduit import commands, user, profile, articles
from conduit.settings import ProdConfig
from conduit.exceptions import InvalidUsage
def create_app(config_object=ProdConfig):
    app = Flask(__name__.split('.')[0])
    return app
