from fastapi import FastAPI
from app.services.database import database
app = FastAPI()
