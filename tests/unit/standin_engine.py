"""A stand-in engine on a unix socket: each connection gets the next canned reply, and the
requests it read are kept (the raw transport's tests, the raw build's)."""

from __future__ import annotations

import socket
import threading
from pathlib import Path


class StandIn:
    """Answers each connection with the next canned reply and keeps the requests it read.
    `read_body=False`: answers after the request's head and closes over the unread body, as an
    engine that refuses a request at once does."""

    def __init__(self, path: Path, replies: list[bytes], *, read_body: bool = True) -> None:
        self.requests: list[bytes] = []
        self.read_body = read_body
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(4)
        self.thread = threading.Thread(target=self._serve, args=(list(replies),), daemon=True)
        self.thread.start()

    def _serve(self, replies: list[bytes]) -> None:
        for reply in replies:
            conn, _ = self.server.accept()
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(4096)
                head, _, body = data.partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                while self.read_body and len(body) < length:
                    body += conn.recv(65536)
                self.requests.append(head + b"\r\n\r\n" + body)
                conn.sendall(reply)


def reply(status: str, body: bytes = b"") -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n\r\n".encode() + body
