import os

import psycopg
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

GREETING = "hello"
app = FastAPI()


@app.get("/", response_class=PlainTextResponse)
def home() -> str:
    """Each request inserts a row in Postgres, then counts the rows."""
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS visits (id serial PRIMARY KEY, at timestamptz DEFAULT now())")
        conn.execute("INSERT INTO visits DEFAULT VALUES")
        (count,) = conn.execute("SELECT count(*) FROM visits").fetchone()
    return f"{GREETING} from fastapi: visits={count}"
