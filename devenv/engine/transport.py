"""The connection to one engine and the translation of its errors: the base every part of
`Engine` builds on. Reads that must start fast go over the raw socket, without the SDK."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import urllib.parse
from collections.abc import Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any

from devenv import __version__
from devenv.engine import endpoint as endpoints
from devenv.engine.connect import START_HINT as START_HINT  # re-exported: doctor's hint
from devenv.engine.connect import open_socket, reason_of, sdk_client, speaks_raw, unreachable
from devenv.engine.endpoint import Endpoint
from devenv.errors import DevenvError, EngineUnavailable

if TYPE_CHECKING:  # imported on first use only (start-up time of read paths)
    import docker

    from devenv.core.spec import HealthcheckSpec
    from devenv.engine.probes import HealthProbes

LABEL = "dev.devenv"
L_PROJECT, L_SERVICE, L_REPLICA = f"{LABEL}.project", f"{LABEL}.service", f"{LABEL}.replica"
L_SPEC_HASH, L_PROVISION_HASH, L_SPEC = f"{LABEL}.spec-hash", f"{LABEL}.provision-hash", f"{LABEL}.spec"
L_VERSION, L_ROOT, L_ROLE, L_VOLUME = f"{LABEL}.version", f"{LABEL}.root", f"{LABEL}.role", f"{LABEL}.volume"



def project_labels(project: str, root: str | None = None) -> dict[str, str]:
    labels = {L_PROJECT: project, L_VERSION: __version__}
    if root:
        labels[L_ROOT] = root
    return labels


def _raw_request(endpoint: Endpoint, path: str, timeout: float | None = 30, method: str = "GET",
                 body: bytes | None = None, content_type: str = "application/json") -> tuple[int, bytes]:
    """One request on a unix:// or tcp:// endpoint, HTTP/1.0 so the reply is neither chunked nor
    kept alive: the reply's body is everything up to EOF. (http.client and its email imports, or
    the SDK and requests, cost more start-up than a whole no-op `up` or a recreate should.)"""
    head = f"{method} {path} HTTP/1.0\r\nHost: docker\r\nContent-Length: {len(body or b'')}\r\n"
    if body:
        head += f"Content-Type: {content_type}\r\n"
    with open_socket(endpoint, timeout) as sock:
        chunks = []
        try:
            sock.sendall(head.encode() + b"\r\n" + (body or b""))
        except (BrokenPipeError, ConnectionResetError):
            if not body:
                raise  # else the engine answered before it read it all: its reply says why
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            # The engine's tar reader stops at an archive's end and leaves tarfile's padding
            # unread: its close then resets the connection after its reply (see _reset_is_the_end).
            if not (body and chunks):
                raise
    if not chunks:  # the engine (or the proxy in front of it) went away mid-request
        raise ConnectionResetError("the engine closed the connection without a reply")
    reply_head, _, reply = b"".join(chunks).partition(b"\r\n\r\n")
    status = _status_code(reply_head)
    if _not_an_engine(reply_head, status):  # reported as an unreachable engine (exit 3), with its address
        raise NotAnEngine(f"it answers HTTP, but not as a Docker engine (status {status})")
    return status, reply


class NotAnEngine(ConnectionError):
    """Something answers at the engine's address, and it is not an engine."""


def _not_an_engine(head: bytes, status: int) -> bool:
    """A web server or a proxy at the engine's address (DOCKER_HOST pointing at the wrong port):
    its error pages are HTML, or it asks for a protocol upgrade. Docker and Podman put an
    Api-Version header on every answer to the paths devenv asks, and never answer HTML."""
    lines = head.lower().split(b"\r\n")[1:]
    if any(line.startswith(b"api-version:") for line in lines):
        return False
    html = any(line.startswith(b"content-type:") and b"text/html" in line for line in lines)
    return status == 426 or (status >= 300 and html)


def _status_code(head: bytes) -> int:
    """The status of a reply that starts with `head`; 502 when that is no HTTP status line
    (a proxy's garbage must end as the engine's error, not as a traceback)."""
    parts = head.split(b" ", 2)
    if head.startswith(b"HTTP/") and len(parts) > 1 and parts[1].isdigit():
        return int(parts[1])
    return 502


def _raw_stream(endpoint: Endpoint, path: str, *, method: str = "GET", body: IO[bytes] | None = None,
                headers: Mapping[str, str] | None = None) -> Iterator[bytes]:
    """Send `method path` (with `body`, a file, streamed) and yield the reply's lines as the
    engine sends them (engine events, build output), for as long as it keeps the stream open.
    HTTP/1.0 like `_raw_request`: no http.client, whose ssl and email imports were 1.6 MB of a
    watcher's memory. Raises DevenvError for an error reply."""
    head = f"{method} {path} HTTP/1.0\r\nHost: docker\r\n"
    for key, text in (headers or {}).items():
        head += f"{key}: {text}\r\n"
    if body is not None:
        head += f"Content-Length: {os.fstat(body.fileno()).st_size - body.tell()}\r\n"
    with open_socket(endpoint, None) as sock, sock.makefile("rb") as reply:
        sock.sendall(head.encode() + b"\r\n")
        if body is not None:
            try:
                sock.sendfile(body)
            except (BrokenPipeError, ConnectionResetError):  # the engine answered before it read it all
                pass
        status_line = reply.readline()
        if not status_line:
            raise ConnectionResetError("the engine closed the connection without a reply")
        status = _status_code(status_line)
        chunked = False
        while (header := reply.readline()).strip():
            name, _, value = header.partition(b":")
            chunked = chunked or (name.strip().lower() == b"transfer-encoding" and b"chunked" in value.lower())
        if body is None:
            lines = _dechunked_lines(reply) if chunked else iter(reply.readline, b"")
        else:  # see _reset_is_the_end; _lines_until_reset ends at the reset itself
            lines = _reset_is_the_end(_dechunked_lines(reply)) if chunked else _lines_until_reset(reply)
        if status >= 400:
            raise DevenvError(f"engine error: {engine_message(b''.join(lines))}")
        yield from lines


def _lines_until_reset(reply: IO[bytes]) -> Iterator[bytes]:
    """The reply's lines, the last one too when a reset, not an end of file, follows it:
    readline() drops the bytes it holds when the read for the rest of its line is reset, and a
    refusal's JSON ends without a newline."""
    pending = b""
    while True:
        try:
            chunk = reply.read1(65536)  # type: ignore[attr-defined]
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            if pending:
                yield pending
            return
        *complete, pending = (pending + chunk).split(b"\n")
        yield from (line + b"\n" for line in complete)


def _reset_is_the_end(lines: Iterator[bytes]) -> Iterator[bytes]:
    """The reply to a request with a body, once its status came: an engine that answers
    without reading all of the body (a refusal) closes over the unread bytes, and the kernel
    reports that as a reset after the reply's last byte, not as the end of the reply."""
    try:
        yield from lines
    except ConnectionResetError:
        return


def _dechunked_lines(reply: Any) -> Iterator[bytes]:
    """Lines of a chunked body (an engine behind a proxy may chunk even an HTTP/1.0 reply)."""
    pending = b""
    while size := int(reply.readline().split(b";")[0].strip() or b"0", 16):
        pending += reply.read(size)
        reply.readline()  # the CRLF after the chunk
        *complete, pending = pending.split(b"\n")
        yield from (line + b"\n" for line in complete)
    if pending:
        yield pending


def engine_message(body: bytes) -> str:
    """The engine's reason in an error reply: {"message": ...}, or the text as it came."""
    try:
        message = json.loads(body).get("message")
    except (ValueError, AttributeError):
        message = None
    return str(message) if message else body.decode(errors="replace").strip()


class EngineBase:
    """A connection to one engine: the SDK client once it is needed, the raw requests, the error translation."""

    def __init__(self, endpoint: Endpoint | None = None) -> None:
        # Resolved once: every call of this Engine, raw or SDK, goes to the same endpoint.
        self.endpoint = endpoint or endpoints.current()
        self._client: docker.DockerClient | None = None
        self._podman: bool | None = None
        self._health_runs: dict[str, float] = {}
        self._probes: HealthProbes[HealthcheckSpec] | None = None  # Containers.probes: made on the first wait on health
        self._shells: dict[str, list[str]] = {}  # container ID → the shell of its string healthcheck
        # Pools (down, converge) reach for the client from many threads at once: without the
        # lock each thread made its own SDK client and asked the engine its API version again.
        self._client_lock = threading.Lock()
        self._podman_lock = threading.Lock()
        self._probes_lock = threading.Lock()

    @property
    def client(self) -> docker.DockerClient:
        if self._client is not None:
            return self._client
        with self._client_lock:
            if self._client is None:
                with self.translate():
                    # version "auto" asks the engine its API version: the engines here speak 1.41,
                    # older than the SDK's default, and a pinned newer version would be refused.
                    self._client = sdk_client(self.endpoint)
            return self._client

    @property
    def api(self) -> docker.APIClient:
        return self.client.api

    @contextlib.contextmanager
    def translate(self, what: str = "") -> Iterator[None]:
        """Turn SDK and socket errors into one clear DevenvError."""
        prefix = f"{what}: " if what else ""
        try:
            yield
        except DevenvError:
            raise
        except (TimeoutError, ConnectionError, FileNotFoundError) as exc:
            raise unreachable(self.endpoint, reason_of(exc), what) from None
        except Exception as exc:
            import docker.errors
            import requests.exceptions
            import urllib3.exceptions

            # A stream cut off mid-way (pull, build, logs): the engine died under us.
            if isinstance(exc, (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError)):
                raise EngineUnavailable(f"{prefix}the Docker engine went away ({exc})", hint=START_HINT) from None
            if isinstance(exc, (requests.exceptions.ConnectionError, docker.errors.DockerException)) and (
                    "Connection aborted" in str(exc) or "Error while fetching server API version" in str(exc)
                    or isinstance(exc, requests.exceptions.ConnectionError)):
                raise unreachable(self.endpoint, _sdk_reason(exc), what) from None
            if isinstance(exc, docker.errors.APIError):
                raise engine_error(prefix, str(exc.explanation or exc)) from None
            if isinstance(exc, docker.errors.DockerException):
                raise DevenvError(f"{prefix}{exc}") from None
            raise

    def _raw_status(self, path: str, *, method: str = "GET", timeout: float | None = 30,
                    body: bytes | None = None, content_type: str = "application/json") -> tuple[int, bytes]:
        """One request, without the SDK on unix:// and tcp:// (fast start-up for read paths,
        `down` and recreates); over ssh or npipe through the SDK's session (its public requests
        API), so every scheme is served."""
        if not speaks_raw(self.endpoint):
            with self.translate():
                api = self.api
                response = api.request(method, f"{api.base_url}/v{api.api_version}{path}", timeout=timeout,
                                       data=body, headers={"Content-Type": content_type} if body else None)
                return response.status_code, response.content
        try:
            return _raw_request(self.endpoint, path, timeout, method, body, content_type)
        except OSError as exc:
            raise unreachable(self.endpoint, reason_of(exc)) from None

    def _raw_call(self, method: str, path: str, what: str, *, fine: tuple[int, ...] = (),
                  timeout: float | None = 30, payload: Any = None, tar: bytes | None = None) -> Any:
        """A write (stop, remove, create, start, …): an error status is a DevenvError that says
        `what` failed and the engine's reason; the statuses in `fine` are no error. `payload` is
        sent as JSON, `tar` as an archive; the engine's JSON answer comes back (None when it sent none)."""
        if tar is not None:
            status, reply = self._raw_status(path, method=method, timeout=timeout, body=tar,
                                             content_type="application/x-tar")
        else:
            body = None if payload is None else json.dumps(payload).encode()
            status, reply = self._raw_status(path, method=method, timeout=timeout, body=body)
        if status >= 400 and status not in fine:
            raise engine_error(f"{what}: ", engine_message(reply) or f"engine status {status}")
        try:
            return json.loads(reply) if reply.strip() and status < 300 else None
        except ValueError:
            return None

    def _raw_get(self, path: str) -> Any:
        """The engine's JSON answer to a GET; an error status is a DevenvError with its message."""
        status, body = self._raw_status(path)
        if status >= 400:
            raise DevenvError(f"engine error: {engine_message(body) or f'status {status}'}")
        return json.loads(body)

    def ping(self) -> dict:
        return self._raw_get("/version")

    def info(self) -> dict:
        """System-wide information: DockerRootDir, SystemTime, … (doctor)."""
        return self._raw_get("/info")

    @property
    def is_podman(self) -> bool:
        """Whether the engine is Podman's Docker-compatible service (its /version names it)."""
        with self._podman_lock:  # once: ten creates at once asked it ten times
            if self._podman is None:
                components = self._raw_get("/version").get("Components") or []
                self._podman = any("podman" in str(c.get("Name", "")).lower()
                                   for c in components if isinstance(c, dict))
        return self._podman

    def resources(self, kind: str, label: str) -> list[dict]:
        """Raw rows of containers (all states), volumes or networks carrying `label` (`key` or
        `key=value`), without the SDK: every command asks this when it picks the project name."""
        query = urllib.parse.urlencode({"filters": json.dumps({"label": [label]}),
                                        **({"all": "1"} if kind == "containers" else {})})
        rows = self._raw_get(f"/{kind}/json?{query}" if kind == "containers" else f"/{kind}?{query}")
        return (rows.get("Volumes") or []) if kind == "volumes" else rows


def engine_error(prefix: str, explanation: str) -> DevenvError:
    """The engine refused: its reason, after what failed, with the way out where devenv knows one."""
    if "container-init binary not found" in explanation or "catatonit" in explanation:
        return DevenvError(f"{prefix}init = true needs catatonit on the Podman host ({explanation})",
                           hint="install catatonit where Podman runs (`apt-get install catatonit`, "
                                "`dnf install catatonit`), or set init = false")
    return DevenvError(f"{prefix}{explanation}")


def _sdk_reason(exc: BaseException) -> str:
    """The innermost OS reason of an SDK/requests connection error ("connection refused"): the
    OSError sits in the exception chain or nested in the args of urllib3's wrappers."""
    todo: list[object] = [exc]
    seen: set[int] = set()
    while todo:
        item = todo.pop(0)
        if id(item) in seen or not isinstance(item, BaseException):
            continue
        seen.add(id(item))
        if isinstance(item, OSError) and not isinstance(item, type(exc)) and (item.errno or item.strerror):
            return reason_of(item)
        todo.extend(item.args)
        todo.extend(x for x in (item.__cause__, item.__context__, getattr(item, "reason", None)) if x is not None)
    text = str(exc)
    return "connection refused" if "refused" in text.lower() else text


