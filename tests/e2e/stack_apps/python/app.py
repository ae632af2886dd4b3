import os
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlparse

import pymysql

GREETING = "hello"
DB = urlparse(os.environ["DATABASE_URL"])


def visit() -> int:
    """Insert a row in MySQL, then count the rows."""
    conn = pymysql.connect(host=DB.hostname, port=DB.port or 3306, user=DB.username, password=DB.password,
                           database=DB.path.lstrip("/"), autocommit=True)
    with conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS visits (id INT AUTO_INCREMENT PRIMARY KEY)")
        cur.execute("INSERT INTO visits () VALUES ()")
        cur.execute("SELECT COUNT(*) FROM visits")
        return cur.fetchone()[0]


class Home(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"{GREETING} from python: visits={visit()}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Home).serve_forever()
