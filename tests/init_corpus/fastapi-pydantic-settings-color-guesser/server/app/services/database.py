import databases
from app.config import settings
SQLALCHEMY_DATABASE_URL = settings.DATABASE_URL
