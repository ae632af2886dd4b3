"""The core flow (up, status, down) reached only through another endpoint: a docker context
(selected with `docker context use`, DOCKER_CONTEXT and --context), tcp://, and Podman.

Every devenv run here happens in a private mount namespace where /var/run/docker.sock is hidden
(a bind mount of /dev/null over it), so a silent fall-back to the default socket cannot pass.
The other endpoints are socat proxies of the real engine, and Podman's own API service
(scripts/setup-endpoints). Contexts live in a private DOCKER_CONFIG, never ~/.docker.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import BUSYBOX, Result
from tests.e2e.conftest import free_port

pytestmark = pytest.mark.endpoints

DEFAULT_SOCKET = "/var/run/docker.sock"
PODMAN_SOCK = os.environ.get("DEVENV_TEST_PODMAN_SOCK", "/run/devenv-test/podman.sock")
SETUP_HINT = "run scripts/setup-endpoints"


def run_hidden(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> Result:
    """devenv as a separate process that cannot see the default socket."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    for name in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
        if name not in (env or {}):
            full_env.pop(name, None)
    script = f'mount --bind /dev/null {DEFAULT_SOCKET} && exec "$@"'
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", sys.executable, "-m", "devenv", *args],
                          cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing; {SETUP_HINT}", pytrace=False)


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A folder with a short path: unix socket paths are limited to ~107 bytes."""
    path = Path(tempfile.mkdtemp(prefix="devenv-ep-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _serve(args: list[str], ready: Path | int) -> subprocess.Popen:
    # -t 30: after one side's EOF (exec's stdin closing) socat's default is to drop the whole
    # connection 0.5 s later, cutting the command's output; a real engine socket keeps it open.
    process = subprocess.Popen(["socat", "-t", "30", *args[1:]], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        if isinstance(ready, Path) and ready.exists():
            return process
        if isinstance(ready, int):
            import socket

            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", ready)) == 0:
                    return process
        time.sleep(0.05)
    process.kill()
    pytest.fail(f"socat did not start: {process.stderr.read() if process.stderr else ''}", pytrace=False)


@pytest.fixture
def unix_proxy(short_dir: Path, docker_client) -> Iterator[str]:
    """unix:///…/engine.sock: the real engine, served on another socket."""
    _need("socat")
    sock = short_dir / "engine.sock"
    process = _serve(["socat", f"UNIX-LISTEN:{sock},fork", f"UNIX-CONNECT:{DEFAULT_SOCKET}"], sock)
    yield f"unix://{sock}"
    process.terminate()
    process.wait(10)


@pytest.fixture
def tcp_proxy(docker_client) -> Iterator[str]:
    _need("socat")
    port = free_port()
    process = _serve(["socat", f"TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr",
                      f"UNIX-CONNECT:{DEFAULT_SOCKET}"], port)
    yield f"tcp://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)


@pytest.fixture
def docker_config(short_dir: Path) -> Path:
    """A private DOCKER_CONFIG with a context whose engine is gone (to prove which one wins)."""
    config = short_dir / "docker-config"
    config.mkdir()
    docker_cli(config, "context", "create", "gone", "--docker", f"host=unix://{short_dir}/gone.sock")
    return config


def docker_cli(config: Path, *args: str) -> str:
    """The real docker CLI writes the contexts, so devenv reads the format as Docker writes it."""
    _need("docker")
    proc = subprocess.run(["docker", *args], env={**os.environ, "DOCKER_CONFIG": str(config)},
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def manifest(port: int) -> str:
    return f"""
[services.web]
image = "{BUSYBOX}"
command = ["sh", "-c", "echo ok > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
ports = ["{port}:8080"]
init = true
healthcheck = {{ test = "wget -q -O /dev/null http://127.0.0.1:8080/index.html", interval = "1s", retries = 30 }}

[services.worker]
image = "{BUSYBOX}"
command = ["sleep", "3600"]
depends_on = {{ web = "healthy" }}
"""


def core_flow(folder: Path, env: dict[str, str], *args: str) -> dict:
    """up --wait, status --json, down, all through the hidden-socket runner; returns the status."""
    up = run_hidden(*args, "up", "--wait", "--timeout", "90", cwd=folder, env=env)
    assert up.code == 0, up.output
    status = run_hidden(*args, "status", "--json", cwd=folder, env=env)
    assert status.code == 0, status.output
    document = json.loads(status.out)
    rows = {c["service"]: c for c in document["containers"]}
    assert rows["web"]["state"] == "running" and rows["web"]["health"] == "healthy", rows
    assert rows["worker"]["state"] == "running", rows
    down = run_hidden(*args, "down", cwd=folder, env=env)
    assert down.code == 0, down.output
    after = run_hidden(*args, "status", "--json", cwd=folder, env=env)
    assert json.loads(after.out)["containers"] == [], after.output
    return document


def on_docker(docker_client, project_name: str) -> list:
    return docker_client.containers.list(all=True, filters={"label": f"dev.devenv.project={project_name}"})


def test_the_default_socket_is_really_hidden(project, docker_client):
    folder = project(manifest(free_port()))
    result = run_hidden("status", cwd=folder, env={"DOCKER_CONFIG": str(folder / "no-config")})
    assert result.code == 3, result.output
    assert f"the default endpoint: unix://{DEFAULT_SOCKET}" in result.err


def test_context_selected_with_docker_context_use(project, unique_name, docker_client, unix_proxy, docker_config):
    folder = project(manifest(free_port()))
    docker_cli(docker_config, "context", "create", "prt-ctx", "--docker", f"host={unix_proxy}")
    docker_cli(docker_config, "context", "use", "prt-ctx")
    env = {"DOCKER_CONFIG": str(docker_config)}
    up = run_hidden("up", "--wait", cwd=folder, env=env)
    assert up.code == 0, up.output
    assert {c.labels["dev.devenv.service"] for c in on_docker(docker_client, unique_name)} == {"web", "worker"}
    hosts = run_hidden("exec", "worker", "cat", "/etc/hosts", cwd=folder, env=env)
    assert "host.docker.internal" in hosts.out, hosts.output  # host-gateway, as Docker Desktop has it
    assert run_hidden("down", cwd=folder, env=env).code == 0
    document = core_flow(folder, env)
    assert document["engine"]["host"] == unix_proxy
    assert document["engine"]["context"] == "prt-ctx"
    assert document["engine"]["source"] == f"context prt-ctx from {docker_config}/config.json"
    assert on_docker(docker_client, unique_name) == []  # down really reached the engine


def test_docker_context_variable_beats_the_current_context(project, unique_name, docker_client, unix_proxy,
                                                           docker_config):
    folder = project(manifest(free_port()))
    docker_cli(docker_config, "context", "create", "prt-ctx", "--docker", f"host={unix_proxy}")
    docker_cli(docker_config, "context", "use", "gone")
    env = {"DOCKER_CONFIG": str(docker_config)}
    refused = run_hidden("status", cwd=folder, env=env)
    assert refused.code == 3, refused.output
    assert f"cannot reach the Docker engine: context gone from {docker_config}/config.json: unix://" in refused.err
    document = core_flow(folder, {**env, "DOCKER_CONTEXT": "prt-ctx"})
    assert document["engine"]["source"] == "context prt-ctx from DOCKER_CONTEXT"


def test_context_option_beats_docker_host_and_docker_context(project, docker_client, unix_proxy, docker_config):
    folder = project(manifest(free_port()))
    docker_cli(docker_config, "context", "create", "prt-ctx", "--docker", f"host={unix_proxy}")
    env = {"DOCKER_CONFIG": str(docker_config), "DOCKER_CONTEXT": "gone", "DOCKER_HOST": "unix:///nonexistent.sock"}
    document = core_flow(folder, env, "--context", "prt-ctx")
    assert document["engine"]["source"] == "context prt-ctx from --context"


def test_tcp_endpoint(project, unique_name, docker_client, tcp_proxy):
    folder = project(manifest(free_port()))
    document = core_flow(folder, {"DOCKER_HOST": tcp_proxy})
    assert document["engine"] == {"host": tcp_proxy, "context": "default", "source": "DOCKER_HOST", "tls": False,
                                  "tls_verify": False}
    doctor = run_hidden("-H", tcp_proxy, "doctor", "--json", cwd=folder)
    engine_row = next(c for c in json.loads(doctor.out)["checks"] if c["check"] == "engine")
    assert engine_row["status"] == "PASS" and f"--host: {tcp_proxy}" in engine_row["detail"], doctor.output


def test_unreachable_tcp_endpoint_is_named(project):
    folder = project(manifest(free_port()))
    port = free_port()
    result = run_hidden("up", cwd=folder, env={"DOCKER_HOST": f"tcp://127.0.0.1:{port}"})
    assert result.code == 3
    assert f"DOCKER_HOST: tcp://127.0.0.1:{port}: connection refused" in result.err


# -- Podman ---------------------------------------------------------------------------------------


def podman_get(sock: str, path: str) -> dict | list:
    proc = subprocess.run(["curl", "-fsS", "--unix-socket", sock, f"http://podman{path}"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture
def podman() -> str:
    if not Path(PODMAN_SOCK).exists():
        pytest.fail(f"no Podman API at {PODMAN_SOCK}; {SETUP_HINT}", pytrace=False)
    return PODMAN_SOCK


def taken_down_on(sock: str, project):
    """Wrap the `project` fixture: each folder made is taken down on `sock` afterwards, whatever happens."""
    made: list[Path] = []

    def make(text: str, files: dict[str, str] | None = None) -> Path:
        folder = project(text, files=files)
        made.append(folder)
        return folder

    def cleanup() -> None:
        for folder in made:
            run_hidden("down", "--volumes", "-t", "0", cwd=folder, env={"DOCKER_HOST": f"unix://{sock}"})

    return make, cleanup


@pytest.fixture
def podman_project(project, podman) -> Iterator:
    make, cleanup = taken_down_on(podman, project)
    yield make
    cleanup()


def test_podman(podman_project, unique_name, podman):
    folder = podman_project(manifest(free_port()) + '\nmounts = ["data:/data", "./src:/src"]\n',
                     files={"src/a.txt": "hello\n"})
    env = {"DOCKER_HOST": f"unix://{podman}"}
    up = run_hidden("up", "--wait", "--timeout", "90", cwd=folder, env=env)
    assert up.code == 0, up.output
    label = urllib.parse.quote(json.dumps({"label": [f"dev.devenv.project={unique_name}"]}))
    listed = podman_get(podman, f"/containers/json?all=1&filters={label}")
    assert sorted(c["Labels"]["dev.devenv.service"] for c in listed) == ["web", "worker"]  # on Podman itself
    exec_ = run_hidden("exec", "worker", "cat", "/src/a.txt", cwd=folder, env=env)
    assert exec_.code == 0 and exec_.out == "hello\n", exec_.output
    hosts = run_hidden("exec", "worker", "cat", "/etc/hosts", cwd=folder, env=env)
    assert "host.docker.internal" in hosts.out, hosts.output  # Podman has no host-gateway: the network's gateway
    doctor = run_hidden("doctor", cwd=folder, env=env)
    assert "Podman 4" in doctor.out, doctor.output
    assert run_hidden("down", "--volumes", cwd=folder, env=env).code == 0
    document = core_flow(folder, env)
    assert document["engine"]["host"] == f"unix://{podman}"


def test_podman_unhealthy_gate_fails(podman_project, podman):
    """Podman runs no healthchecks without systemd; devenv runs them while it waits, so a failing
    check fails the gate instead of waiting forever (or passing for lack of a health state)."""
    folder = podman_project(manifest(free_port()).replace("8080/index.html", "8081/index.html")
                     .replace("retries = 30", "retries = 3"))
    result = run_hidden("up", "--wait", "--timeout", "60", cwd=folder, env={"DOCKER_HOST": f"unix://{podman}"})
    assert result.code == 1
    assert "service web: is unhealthy" in result.err, result.output


@pytest.fixture
def podman_without_catatonit(short_dir: Path, podman) -> Iterator[str]:
    """A second Podman service, with its own store, that cannot see catatonit (a tmpfs over
    Podman's helper folder in its own mount namespace)."""
    conf = short_dir / "containers.conf"
    conf.write_text('[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=20000:20000"]\n')
    storage = short_dir / "storage.conf"
    storage.write_text(f'[storage]\ndriver = "overlay"\ngraphroot = "{short_dir}/store"\n'
                       f'runroot = "{short_dir}/run"\n')
    env = {**os.environ, "CONTAINERS_CONF": str(conf), "CONTAINERS_STORAGE_CONF": str(storage)}
    saved = subprocess.run(["docker", "save", BUSYBOX], capture_output=True, check=True).stdout
    subprocess.run(["podman", "load", "-q"], input=saved, env=env, capture_output=True, check=True)
    sock = short_dir / "podman.sock"
    helpers = "/usr/libexec/podman"
    process = subprocess.Popen(["unshare", "-m", "sh", "-c", f'mount -t tmpfs none {helpers} && exec "$@"', "sh",
                                "podman", "system", "service", "--time=0", f"unix://{sock}"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if sock.exists():
            break
        time.sleep(0.05)
    yield str(sock)
    process.terminate()
    process.wait(20)
    # its private store only (not `system reset`, which would also drop the shared CNI networks)
    subprocess.run(["podman", "rmi", "--all", "--force"], env=env, capture_output=True)


def test_podman_without_catatonit_says_what_init_needs(project, podman_without_catatonit):
    make, cleanup = taken_down_on(podman_without_catatonit, project)
    try:
        folder = make(manifest(free_port()))
        result = run_hidden("up", "--wait", cwd=folder, env={"DOCKER_HOST": f"unix://{podman_without_catatonit}"})
        assert result.code == 1
        assert "init = true needs catatonit on the Podman host" in result.err, result.output
    finally:
        cleanup()  # before the service stops: its network's CNI file is shared with the other Podman


@pytest.mark.parametrize("endpoint", ["tcp_proxy", "podman"])
def test_the_engines_die_events_stream_through_each_kind_of_endpoint(request, endpoint, unique_name):
    """`watch` learns of a crash from this stream (raw HTTP/1.0, no http.client): through a
    tcp:// endpoint and from Podman's own API, one die event of the project's container."""
    import queue
    import threading

    from devenv.engine.client import Engine
    from devenv.engine.endpoint import Endpoint

    address = request.getfixturevalue(endpoint)
    host = address if "://" in address else f"unix://{address}"
    seen: queue.Queue = queue.Queue()

    def follow() -> None:
        try:
            for event in Engine(Endpoint(host, "test")).container_events(unique_name):
                seen.put(event)
        except Exception as exc:  # the test reads it from the queue
            seen.put(exc)

    threading.Thread(target=follow, daemon=True).start()
    docker = ["docker", "--host", host]
    # It dies again and again, so deaths keep coming after the stream has opened.
    made = subprocess.run([*docker, "run", "-d", "--name", f"{unique_name}-crasher", "--restart", "always",
                           "--label", f"dev.devenv.project={unique_name}", BUSYBOX, "sh", "-c", "sleep 0.3; exit 3"],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    try:
        event = seen.get(timeout=60)
        assert isinstance(event, dict), event
        assert str(event.get("Action") or event.get("status")).startswith("die")
        assert (event.get("id") or event["Actor"]["ID"]) == made.stdout.strip()
    finally:
        subprocess.run([*docker, "rm", "-f", f"{unique_name}-crasher"], capture_output=True, timeout=120)
