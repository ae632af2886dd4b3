"""Failures are reported as failures (issue 15, point 6): a service that dies at start-up fails
`up`, crash loops show in `status`, the engine going away mid-command is exit 3, and the next
`up` converges from what was left.

The engine "dies" by killing a socat proxy in front of the shared engine's socket: the shared
engine itself is never touched."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from tests.conftest import BUSYBOX, run_devenv

# each test keeps its writer locks in a state folder of its own (tests/e2e/conftest.py)
pytestmark = pytest.mark.usefixtures("own_state_dir")


def test_up_fails_when_a_service_dies_at_once_and_shows_its_last_lines(project):
    folder = project(f'[services.job]\nimage = "{BUSYBOX}"\n'
                     "command = \"sh -c 'echo cannot-find-config >&2; exit 127'\"\n")
    result = run_devenv("up", cwd=folder)
    assert result.code == 1, result.output
    assert "service job: exited with code 127 during start-up" in result.err
    assert "cannot-find-config" in result.err and "Traceback" not in result.err


def test_a_one_shot_job_that_succeeds_is_no_failure(project):
    folder = project(f'[services.job]\nimage = "{BUSYBOX}"\ncommand = "true"\n')
    result = run_devenv("up", cwd=folder)
    assert result.code == 0, result.output


def test_up_converges_after_the_network_of_a_stopped_project_was_pruned(project, unique_name, docker_client):
    """`docker network prune` removes a network that only stopped containers are on. `up` makes
    the network again, and the containers that knew the old one are replaced by fresh ones."""
    from tests.e2e.conftest import container_ids, docker

    folder = project(f'[services.web]\nimage = "{BUSYBOX}"\ncommand = "sleep 1000"\nmounts = ["data:/data"]\n')
    assert run_devenv("up", cwd=folder).code == 0
    assert docker("exec", f"{unique_name}-web-1", "sh", "-c", "echo kept > /data/f").returncode == 0
    before = container_ids(docker_client, unique_name)
    assert run_devenv("stop", cwd=folder).code == 0
    assert docker("network", "rm", f"{unique_name}_default").returncode == 0
    restart = run_devenv("restart", cwd=folder)  # creates nothing, so it says what will
    assert restart.code == 1 and "its network was removed" in restart.err and "`devenv up`" in restart.err
    result = run_devenv("up", cwd=folder)
    assert result.code == 0, result.output
    assert "its network was removed" in result.output
    after = container_ids(docker_client, unique_name)
    assert after.keys() == before.keys() and after["web-1"] != before["web-1"]
    assert docker("exec", f"{unique_name}-web-1", "cat", "/data/f").stdout == "kept\n"  # the volume stays


def test_a_crash_loop_fails_up_and_status_shows_restarts_and_the_last_exit_code(project):
    folder = project(f'[services.web]\nimage = "{BUSYBOX}"\nrestart = "always"\n'
                     "command = \"sh -c 'echo crashing; sleep 0.2; exit 3'\"\n")
    result = run_devenv("up", cwd=folder)
    assert result.code == 1, result.output
    assert "service web: restarted" in result.err and "during start-up" in result.err
    assert "crashing" in result.err
    [row] = json.loads(run_devenv("status", "--json", cwd=folder).out)["containers"]
    assert row["restarts"] >= 1 and row["last_exit_code"] == 3
    table = run_devenv("status", cwd=folder).out
    assert "restart" in table and "last exit 3" in table


@pytest.fixture
def proxy(tmp_path):
    """An engine endpoint that can die: socat in front of the shared engine's socket."""
    if shutil.which("socat") is None:
        pytest.fail("these tests need socat (apt-get install socat)", pytrace=False)
    path = f"/tmp/isa-{uuid.uuid4().hex[:8]}.sock"
    process = subprocess.Popen(["socat", f"UNIX-LISTEN:{path},fork", "UNIX-CONNECT:/var/run/docker.sock"])
    for _ in range(100):
        if os.path.exists(path):
            break
        time.sleep(0.05)
    yield SimpleProxy(process, path)
    process.kill()
    process.wait()
    if os.path.exists(path):
        os.unlink(path)


class SimpleProxy:
    def __init__(self, process: subprocess.Popen, path: str) -> None:
        self.process, self.path = process, path

    @property
    def host(self) -> str:
        return f"unix://{self.path}"

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


def test_engine_death_mid_up_is_exit_3_and_the_next_up_converges(project, docker_client, unique_name, proxy):
    # db never becomes healthy until /tmp/ready exists: `up` waits on it, and the engine dies meanwhile
    folder = project(f"""
[services.db]
image = "{BUSYBOX}"
command = "sleep 3600"
healthcheck = {{ test = "test -f /tmp/ready", interval = "200ms", retries = 100000 }}
[services.web]
image = "{BUSYBOX}"
command = "sleep 3600"
depends_on = {{ db = "healthy" }}
""")
    up = subprocess.Popen([sys.executable, "-m", "devenv", "up"], cwd=folder, text=True,
                          env={**os.environ, "NO_COLOR": "1", "DOCKER_HOST": proxy.host},
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    label = {"label": f"dev.devenv.project={unique_name}"}
    for _ in range(600):
        if docker_client.containers.list(filters=label):
            break
        time.sleep(0.1)
    assert docker_client.containers.list(filters=label), "db never started"
    proxy.kill()
    _out, err = up.communicate(timeout=120)
    assert up.returncode == 3, err
    assert "Docker engine" in err and "Traceback" not in err

    db = docker_client.containers.list(filters=label)[0]
    assert db.exec_run(["touch", "/tmp/ready"]).exit_code == 0
    again = run_devenv("up", cwd=folder)  # the real socket: the engine "came back"
    assert again.code == 0, again.output
    running = {c.labels["dev.devenv.service"] for c in docker_client.containers.list(filters=label)}
    assert running == {"db", "web"}


def test_ctrl_c_during_a_provision_stops_it_and_keeps_the_running_container(project, docker_client, unique_name):
    """A provision (a `pip install`) can take minutes: Ctrl-C removes its container at once,
    `up` exits 130, and the running service is neither stopped nor replaced."""
    import signal

    sleeper = f'[services.web]\nimage = "{BUSYBOX}"\ncommand = "sleep 3600"\n'
    folder = project(sleeper)
    assert run_devenv("up", cwd=folder).code == 0
    running = docker_client.containers.get(f"{unique_name}-web-1").id
    (folder / "devenv.toml").write_text(f'[project]\nname = "{unique_name}"\n{sleeper}provision = ["sleep 600"]\n')
    up = subprocess.Popen([sys.executable, "-m", "devenv", "up"], cwd=folder, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    provision = f"{unique_name}-web-1-provision"
    for _ in range(600):
        if [c for c in docker_client.containers.list(filters={"name": provision}) if c.status == "running"]:
            break
        time.sleep(0.1)
    else:
        up.kill()
        pytest.fail("the provision never ran")
    up.send_signal(signal.SIGINT)
    _out, err = up.communicate(timeout=120)  # not the 600 s of the provision
    assert up.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert docker_client.containers.list(all=True, filters={"name": provision}) == []
    web = docker_client.containers.get(f"{unique_name}-web-1")
    assert web.id == running and web.status == "running"


def test_watch_reports_a_crash_loop_with_restarts_and_the_last_exit_code(project, docker_client, unique_name):
    from tests.e2e.test_watch import Watch

    folder = project(f'[services.web]\nimage = "{BUSYBOX}"\nrestart = "always"\n'
                     "command = \"sh -c 'while [ ! -f /tmp/crash ]; do sleep 0.2; done; echo crashing; exit 3'\"\n")
    w = Watch(folder)
    try:
        w.wait_for("ready")
        [web] = docker_client.containers.list(filters={"label": f"dev.devenv.project={unique_name}"})
        assert web.exec_run(["touch", "/tmp/crash"]).exit_code == 0  # from now on it crashes at once, again and again
        error = w.wait_for(lambda e: e.get("event") == "error" and "crash loop" in e.get("message", ""), timeout=60)
        assert error["service"] == "web" and "restarted" in error["message"]
        assert "last exit code 3" in error["message"]
        assert w.proc.poll() is None  # still watching
    finally:
        w.stop()
