"""Open connections to one resolved Endpoint: raw sockets for the fast read paths, the SDK client
for everything else, and the one error message for an engine that cannot be reached.

unix:// and tcp:// (with or without TLS) are spoken raw, so `status` and a no-op `up` never pay
for the SDK; ssh:// and npipe:// go through the SDK, which has the transports for them.
"""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any

from devenv.engine.endpoint import Endpoint
from devenv.errors import EngineUnavailable

if TYPE_CHECKING:  # ssl is loaded by the TLS endpoints that use it, not by every command
    import ssl

START_HINT = "start Docker (e.g. `sudo dockerd &` or `scripts/setup-engine`), then try again"


def hint_for(endpoint: Endpoint) -> str:
    if endpoint.source.startswith("context "):
        return (f"start the engine of context {endpoint.context}, or pick another one "
                "(`docker context use NAME`, DOCKER_CONTEXT or --context)")
    if endpoint.source in ("DOCKER_HOST", "--host"):
        return f"start Docker at {endpoint.host}, or point {endpoint.source} at a running engine"
    return START_HINT


def unreachable(endpoint: Endpoint, reason: str, what: str = "") -> EngineUnavailable:
    """"cannot reach the Docker engine: context colima from ~/.docker/config.json: unix:///…: connection refused"."""
    prefix = f"{what}: " if what else ""
    return EngineUnavailable(f"{prefix}cannot reach the Docker engine: {endpoint.describe()}: {reason}",
                             hint=hint_for(endpoint))


def reason_of(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, FileNotFoundError):
        return "no such socket"
    if isinstance(exc, PermissionError):
        return "permission denied (are you in the docker group?)"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


def speaks_raw(endpoint: Endpoint) -> bool:
    """True when devenv's own HTTP/1.0 reads can reach this endpoint (unix, tcp, tcp+TLS)."""
    return endpoint.scheme in ("unix", "tcp")


def open_socket(endpoint: Endpoint, timeout: float | None) -> socket.socket:
    """A connected stream socket to a unix:// or tcp:// endpoint (TLS-wrapped when configured).
    Raises OSError (or ssl.SSLError) as the OS reports it; callers turn it into `unreachable`."""
    path = endpoint.unix_path
    if path is not None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(path)
        except BaseException:
            sock.close()
            raise
        return sock
    address = endpoint.tcp_address
    if address is None:
        raise ValueError(f"{endpoint.host}: not a unix:// or tcp:// endpoint")
    sock = socket.create_connection(address, timeout=timeout)
    if endpoint.tls is None:
        return sock
    try:
        return tls_context(endpoint).wrap_socket(sock, server_hostname=address[0])
    except BaseException:
        sock.close()
        raise


def tls_context(endpoint: Endpoint) -> ssl.SSLContext:
    import ssl

    tls = endpoint.tls
    assert tls is not None  # only called for TLS endpoints (not a user input)
    if tls.verify:
        context = ssl.create_default_context(cafile=tls.ca)
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if tls.cert and tls.key:
        context.load_cert_chain(tls.cert, tls.key)
    return context


def sdk_client(endpoint: Endpoint) -> Any:
    """A docker SDK client for exactly this endpoint (never `from_env`, which knows no contexts)."""
    import docker
    import docker.tls

    kwargs: dict[str, Any] = {"base_url": endpoint.host, "version": "auto", "timeout": 120}
    if endpoint.tls is not None:
        tls = endpoint.tls
        kwargs["tls"] = docker.tls.TLSConfig(
            client_cert=(tls.cert, tls.key) if tls.cert and tls.key else None,
            ca_cert=tls.ca if tls.verify else None, verify=tls.verify)
    if endpoint.scheme == "ssh":
        kwargs["use_ssh_client"] = _use_ssh_client(endpoint)
    if endpoint.scheme == "npipe":
        import sys

        if sys.platform != "win32":
            raise unreachable(endpoint, "npipe:// endpoints exist only on Windows")
    return docker.DockerClient(**kwargs)


def _use_ssh_client(endpoint: Endpoint) -> bool:
    """ssh:// through the SDK, whose ssh transport needs paramiko even when it shells out to the
    `ssh` command. With `ssh` present, use it (the user's ssh config and agent, as the docker CLI)."""
    import importlib.util
    import shutil  # here, not at the top: every command imports this module, few use ssh

    if importlib.util.find_spec("paramiko") is None:
        raise EngineUnavailable(f"cannot reach the Docker engine: {endpoint.describe()}: ssh:// endpoints need the "
                                "paramiko package", hint="`pip install paramiko` (or `pip install 'docker[ssh]'`) "
                                "into devenv's environment, or use a unix:// or tcp:// endpoint")
    return shutil.which("ssh") is not None
