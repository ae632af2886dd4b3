"""The engine endpoint is resolved in the docker CLI's order; each step is proved by a case where
the step above it is absent and the steps below it are present (so a wrong order fails)."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from pathlib import Path

import pytest

from devenv.engine.connect import reason_of, unreachable
from devenv.engine.endpoint import DEFAULT_NPIPE, DEFAULT_UNIX, TLS, Endpoint, normalize_host, resolve
from devenv.errors import EXIT_ENGINE, EXIT_USAGE, UsageError


def make_context(config: Path, name: str, host: str, *, skip_tls_verify: bool = False,
                 tls_files: tuple[str, ...] = ()) -> None:
    """A context as `docker context create` writes it (meta.json keyed by sha256 of the name)."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta = config / "contexts" / "meta" / digest
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(json.dumps({"Name": name, "Metadata": {}, "Endpoints": {
        "docker": {"Host": host, "SkipTLSVerify": skip_tls_verify}}}))
    if tls_files:
        tls = config / "contexts" / "tls" / digest / "docker"
        tls.mkdir(parents=True)
        for kind in tls_files:
            (tls / f"{kind}.pem").write_text("-----BEGIN CERTIFICATE-----\n")


def use(config: Path, name: str) -> None:
    (config / "config.json").write_text(json.dumps({"auths": {}, "currentContext": name}))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    config = tmp_path / ".docker"
    config.mkdir()
    make_context(config, "colima", "unix:///home/ann/.colima/default/docker.sock")
    make_context(config, "remote", "tcp://10.0.0.5:2376", tls_files=("ca", "cert", "key"))
    make_context(config, "desktop-linux", "unix:///home/ann/.docker/run/docker.sock")
    use(config, "desktop-linux")
    return tmp_path


def test_host_option_beats_everything(home: Path) -> None:
    env = {"DOCKER_HOST": "tcp://1.2.3.4:2375", "DOCKER_CONTEXT": "colima"}
    ep = resolve(host="unix:///tmp/x.sock", env=env, home=home)
    assert (ep.host, ep.source) == ("unix:///tmp/x.sock", "--host")


def test_context_option_beats_docker_host(home: Path) -> None:
    env = {"DOCKER_HOST": "tcp://1.2.3.4:2375", "DOCKER_CONTEXT": "remote"}
    ep = resolve(context="colima", env=env, home=home)
    assert ep.host == "unix:///home/ann/.colima/default/docker.sock"
    assert (ep.context, ep.source) == ("colima", "context colima from --context")


def test_both_options_conflict(home: Path) -> None:
    with pytest.raises(UsageError, match="conflicting"):
        resolve(context="colima", host="tcp://x:1", env={}, home=home)


def test_docker_host_overrides_docker_context_and_current_context(home: Path) -> None:
    ep = resolve(env={"DOCKER_HOST": "tcp://1.2.3.4:2375", "DOCKER_CONTEXT": "colima"}, home=home)
    assert (ep.host, ep.source, ep.context) == ("tcp://1.2.3.4:2375", "DOCKER_HOST", "default")


def test_docker_context_beats_current_context(home: Path) -> None:
    ep = resolve(env={"DOCKER_CONTEXT": "colima"}, home=home)
    assert (ep.context, ep.source) == ("colima", "context colima from DOCKER_CONTEXT")


def test_current_context_from_config_json(home: Path) -> None:
    ep = resolve(env={"HOME": str(home)}, home=home)
    assert ep.host == "unix:///home/ann/.docker/run/docker.sock"
    assert ep.source == "context desktop-linux from ~/.docker/config.json"


def test_docker_config_moves_the_config_folder(home: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    make_context(other, "podman", "unix:///run/podman/podman.sock")
    use(other, "podman")
    ep = resolve(env={"DOCKER_CONFIG": str(other)}, home=home)
    assert ep.host == "unix:///run/podman/podman.sock"
    assert ep.source == "context podman from ~/elsewhere/config.json"  # shown relative to home


def test_platform_default_without_any_setting(tmp_path: Path) -> None:
    assert resolve(env={}, home=tmp_path).host == DEFAULT_UNIX
    assert resolve(env={}, home=tmp_path, platform="win32").host == DEFAULT_NPIPE
    assert resolve(env={}, home=tmp_path).source == "the default endpoint"


def test_context_named_default_is_docker_host_or_platform_default(home: Path) -> None:
    use(home / ".docker", "default")
    assert resolve(env={}, home=home).host == DEFAULT_UNIX
    ep = resolve(context="default", env={"DOCKER_HOST": "tcp://h:1"}, home=home)
    assert ep.host == "tcp://h:1"


def test_empty_variables_count_as_unset(home: Path) -> None:
    ep = resolve(env={"DOCKER_HOST": "", "DOCKER_CONTEXT": ""}, home=home)
    assert ep.context == "desktop-linux"


def test_tls_material_of_a_context(home: Path) -> None:
    ep = resolve(context="remote", env={}, home=home)
    tls_dir = home / ".docker" / "contexts" / "tls" / hashlib.sha256(b"remote").hexdigest() / "docker"
    assert ep.tls == TLS(verify=True, ca=str(tls_dir / "ca.pem"), cert=str(tls_dir / "cert.pem"),
                         key=str(tls_dir / "key.pem"))
    assert ep.tcp_address == ("10.0.0.5", 2376)


def test_skip_tls_verify_context(tmp_path: Path) -> None:
    config = tmp_path / ".docker"
    make_context(config, "lab", "tcp://lab:2376", skip_tls_verify=True)
    ep = resolve(context="lab", env={}, home=tmp_path)
    assert ep.tls == TLS(verify=False)


def test_docker_host_tls_from_environment(tmp_path: Path) -> None:
    certs = tmp_path / "certs"
    certs.mkdir()
    for kind in ("ca", "cert", "key"):
        (certs / f"{kind}.pem").write_text("x")
    env = {"DOCKER_HOST": "tcp://h:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(certs)}
    ep = resolve(env=env, home=tmp_path)
    assert ep.tls == TLS(verify=True, ca=str(certs / "ca.pem"), cert=str(certs / "cert.pem"),
                         key=str(certs / "key.pem"))
    assert resolve(env={"DOCKER_HOST": "tcp://h:2375"}, home=tmp_path).tls is None
    assert resolve(env={"DOCKER_HOST": "tcp://h"}, home=tmp_path).tcp_address == ("h", 2375)


def test_missing_context_is_a_usage_error_naming_how_it_was_chosen(home: Path) -> None:
    with pytest.raises(UsageError) as caught:
        resolve(env={"DOCKER_CONTEXT": "orbstack"}, home=home)
    assert caught.value.exit_code == EXIT_USAGE
    assert "context orbstack from DOCKER_CONTEXT: no such context" in caught.value.message


def test_broken_config_json_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / ".docker").mkdir()
    (tmp_path / ".docker" / "config.json").write_text("{nope")
    with pytest.raises(UsageError, match="not valid JSON"):
        resolve(env={}, home=tmp_path)


@pytest.mark.parametrize(("given", "expected"), [
    ("unix:///var/run/docker.sock", "unix:///var/run/docker.sock"),
    ("tcp://127.0.0.1:2375/", "tcp://127.0.0.1:2375"),
    ("127.0.0.1:2375", "tcp://127.0.0.1:2375"),
    ("http://h:1", "tcp://h:1"),
    ("ssh://ann@build-box", "ssh://ann@build-box"),
    ("npipe:////./pipe/docker_engine", "npipe:////./pipe/docker_engine"),
])
def test_normalize_host(given: str, expected: str) -> None:
    assert normalize_host(given, "-H") == expected


@pytest.mark.parametrize("bad", ["fd://", "unix://", "tcp://h:port", "ftp://h"])
def test_bad_hosts_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError):
        normalize_host(bad, "DOCKER_HOST")


def test_unreachable_names_endpoint_and_source(tmp_path: Path) -> None:
    """A real refused connection (a listener that was closed), not a made-up errno."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    ep = Endpoint(f"tcp://127.0.0.1:{port}", "context colima from ~/.docker/config.json", context="colima")
    from devenv.engine.connect import open_socket

    with pytest.raises(OSError) as caught:
        open_socket(ep, timeout=5)
    error = unreachable(ep, reason_of(caught.value))
    assert error.exit_code == EXIT_ENGINE
    assert error.message == (f"cannot reach the Docker engine: context colima from ~/.docker/config.json: "
                             f"tcp://127.0.0.1:{port}: connection refused")
    assert "docker context use" in (error.hint or "")


def test_raw_get_over_unix_and_tcp(tmp_path: Path) -> None:
    """The raw read path speaks to a unix:// and a tcp:// endpoint alike (a tiny HTTP/1.0 server)."""
    from devenv.engine.client import Engine

    def serve(listener: socket.socket) -> None:
        conn, _ = listener.accept()
        with conn:
            request = conn.recv(4096)
            body = json.dumps({"path": request.split(b" ")[1].decode()}).encode()
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + body)

    unix_path = tmp_path / "e.sock"
    unix_listener = socket.socket(socket.AF_UNIX)
    unix_listener.bind(str(unix_path))
    tcp_listener = socket.socket()
    tcp_listener.bind(("127.0.0.1", 0))
    endpoints = [(unix_listener, Endpoint(f"unix://{unix_path}", "--host")),
                 (tcp_listener, Endpoint(f"tcp://127.0.0.1:{tcp_listener.getsockname()[1]}", "--host"))]
    for listener, ep in endpoints:
        listener.listen(1)
        thread = threading.Thread(target=serve, args=(listener,), daemon=True)
        thread.start()
        assert Engine(ep).ping() == {"path": "/version"}
        thread.join(5)
        listener.close()
