"""Multi-platform pins without a network: where a repository lives, which registries are spoken
to over HTTP, an index read from a tiny local HTTP server, and the pins that record it."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from devenv.engine.registry import DOCKER_HUB, INDEX_TYPES, is_loopback, locate, platform_digests
from devenv.lock.file import Pin, parse_lock
from devenv.lock.pins import resolve_ref


@pytest.mark.parametrize(("repo", "expected"), [
    ("postgres", (DOCKER_HUB, "library/postgres")),
    ("docker.io/library/redis", (DOCKER_HUB, "library/redis")),
    ("bitnami/redis", (DOCKER_HUB, "bitnami/redis")),
    ("localhost:5000/prt/multi", ("localhost:5000", "prt/multi")),
    ("ghcr.io/org/app", ("ghcr.io", "org/app")),
])
def test_locate(repo: str, expected: tuple[str, str]) -> None:
    assert locate(repo) == expected


def test_only_loopback_registries_are_plain_http() -> None:
    assert is_loopback("localhost:5000") and is_loopback("127.0.0.1:5000") and is_loopback("[::1]:5000")
    assert not is_loopback("ghcr.io") and not is_loopback("10.0.0.5:5000")


INDEX = {"schemaVersion": 2, "mediaType": INDEX_TYPES[1], "manifests": [
    {"digest": "sha256:" + "a" * 64, "platform": {"os": "linux", "architecture": "amd64"}},
    {"digest": "sha256:" + "b" * 64, "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
    {"digest": "sha256:" + "c" * 64, "platform": {"os": "unknown", "architecture": "unknown"}},  # attestation
]}


@pytest.fixture
def served() -> dict[str, object]:
    """A one-repository registry on 127.0.0.1 answering GET /v2/<repo>/manifests/<digest>."""
    documents: dict[str, object] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = documents.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(json.dumps(body or {"errors": [{"code": "MANIFEST_UNKNOWN"}]}).encode())

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    documents["port"] = server.server_address[1]
    yield documents
    server.shutdown()


def test_platform_digests_of_an_index_and_of_a_plain_manifest(served: dict[str, object]) -> None:
    port = served["port"]
    served["/v2/prt/multi/manifests/sha256:index"] = INDEX
    served["/v2/prt/one/manifests/sha256:one"] = {"schemaVersion": 2, "config": {}, "layers": []}
    assert platform_digests(f"127.0.0.1:{port}/prt/multi", "sha256:index") == {
        "linux/amd64": "sha256:" + "a" * 64, "linux/arm64/v8": "sha256:" + "b" * 64}
    assert platform_digests(f"127.0.0.1:{port}/prt/one", "sha256:one") == {}


INDEX_DIGEST = "sha256:" + "c" * 64  # the lock takes only well-formed digests


class Engine:
    def image_inspect(self, ref: str) -> None:
        return None

    def registry_digest(self, ref: str) -> str:
        return INDEX_DIGEST

    def registry_platforms(self, repo: str, digest: str) -> dict[str, str]:
        assert (repo, digest) == ("localhost:5000/prt/multi", INDEX_DIGEST)
        return {"linux/arm64/v8": "sha256:b", "linux/amd64": "sha256:a"}


def test_a_pin_records_the_platforms_and_survives_the_file(tmp_path: Path) -> None:
    pin = resolve_ref(Engine(), "localhost:5000/prt/multi:1")
    assert pin == Pin("localhost:5000/prt/multi:1", f"localhost:5000/prt/multi@{INDEX_DIGEST}", "registry",
                      INDEX_DIGEST, (("linux/amd64", "sha256:a"), ("linux/arm64/v8", "sha256:b")))
    text = ('[lock]\nversion = 1\ndevenv = "0.1"\nmanifest_hash = "x"\n[services.app]\n'
            + "".join(f'{k} = "{v}"\n' for k, v in pin.to_dict().items() if isinstance(v, str))
            + '[services.app.platforms]\n"linux/amd64" = "sha256:a"\n"linux/arm64/v8" = "sha256:b"\n')
    entry = parse_lock(text).services["app"]
    assert entry.image == pin
    assert parse_lock(parse_lock(text).to_toml()).services["app"].image == pin
