"""The raw requests the read paths and `down` make without the SDK, against a stand-in engine
on a unix socket: the request line they send, and how an error reply becomes one message."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from devenv.engine.client import Engine
from devenv.engine.endpoint import Endpoint
from devenv.errors import DevenvError, EngineUnavailable


class StandIn:
    """Answers each connection with the next canned reply and keeps the requests it read."""

    def __init__(self, path: Path, replies: list[bytes]) -> None:
        self.requests: list[bytes] = []
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
                self.requests.append(data)
                conn.sendall(reply)


def reply(status: str, body: bytes = b"") -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n\r\n".encode() + body


@pytest.fixture
def engine_on(tmp_path):
    def make(*replies: bytes, name: str = "engine") -> tuple[Engine, StandIn]:
        path = tmp_path / f"{name}.sock"
        return Engine(Endpoint(f"unix://{path}", "test")), StandIn(path, list(replies))

    return make


def test_stop_and_remove_send_their_request_and_accept_done_already(engine_on):
    engine, stand_in = engine_on(reply("304 Not Modified"), reply("404 Not Found", b'{"message": "No such container"}'))
    engine.stop("abc", 7.4)
    engine.remove("abc")
    assert [r.split(b"\r\n")[0] for r in stand_in.requests] == [
        b"POST /containers/abc/stop?t=7 HTTP/1.0", b"DELETE /containers/abc?force=1&v=0 HTTP/1.0"]
    assert all(b"Content-Length: 0" in r for r in stand_in.requests)


def test_an_error_reply_is_one_message_with_the_engines_reason(engine_on):
    engine, _ = engine_on(reply("409 Conflict", b'{"message": "volume is in use - [f00]"}'),
                          reply("500 Internal Server Error", b"plain text reason"))
    with pytest.raises(DevenvError, match=r"^cannot remove volume shop\.data: volume is in use - \[f00\]$"):
        engine.remove_volume("shop.data")
    with pytest.raises(DevenvError, match=r"^cannot remove network: plain text reason$"):
        engine.remove_network("n1")


def test_lists_filter_by_project_label(engine_on):
    engine, stand_in = engine_on(reply("200 OK", b'[{"Id": "n1", "Name": "shop_default", "Labels": {}}]'),
                                 reply("200 OK", b'{"Volumes": null, "Warnings": null}'))
    assert engine.networks("shop") == [{"Id": "n1", "Name": "shop_default", "Labels": {}}]
    assert engine.volumes("shop") == []
    assert all(b"dev.devenv.project%3Dshop" in r for r in stand_in.requests)


def test_no_engine_on_the_socket_is_unreachable(tmp_path):
    engine = Engine(Endpoint(f"unix://{tmp_path / 'none.sock'}", "test"))
    with pytest.raises(EngineUnavailable):
        engine.stop("abc", 1)


def test_a_network_is_asked_again_while_the_engine_still_releases_its_endpoints(engine_on, monkeypatch):
    from devenv.engine import networks

    busy = reply("403 Forbidden", b'{"message": "error while removing network: network n1 has active endpoints"}')
    engine, stand_in = engine_on(busy, busy, reply("204 No Content"))
    engine.remove_network("n1")
    assert len(stand_in.requests) == 3
    engine, _ = engine_on(busy, busy, name="stuck")
    monkeypatch.setattr(networks, "NETWORK_SETTLE", 0)
    with pytest.raises(DevenvError, match="has active endpoints"):
        engine.remove_network("n1")  # not forever
