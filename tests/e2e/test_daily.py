"""Daily-use commands against the real engine: logs, exec, run, restart, stop, open."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

from tests.conftest import BUSYBOX, run_devenv
from tests.e2e.conftest import container_ids, free_port, started_at

TWO_SERVICES = f"""
[services.alpha]
image = "{BUSYBOX}"
command = ["sh", "-c", "echo alpha-one; echo alpha-two >&2; exec sleep 3600"]
workdir = "/tmp"

[services.beta]
image = "{BUSYBOX}"
command = ["sh", "-c",
           "mkdir -p /www && echo hi-from-beta > /www/index.html && echo beta-one && exec httpd -f -p 80 -h /www"]
ports = ["{{port}}:80"]
depends_on = ["alpha"]
"""


def wait_for(predicate, timeout: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def in_terminal(args: list[str], cwd) -> tuple[int, str]:
    """Run devenv with stdin, stdout and stderr on a pseudo-terminal, as from an interactive shell."""
    import pty

    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "devenv", *args], cwd=cwd, stdin=secondary, stdout=secondary,
                            stderr=secondary, env={**os.environ, "NO_COLOR": "1"})
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    code = proc.wait(timeout=60)
    os.close(primary)
    return code, b"".join(chunks).decode()


def test_logs_exec_open_restart_stop(project, docker_client, unique_name):
    port = free_port()
    root = project(TWO_SERVICES.replace("{port}", str(port)))
    assert run_devenv("up", "--wait", cwd=root).code == 0

    # logs: both services, each line behind its aligned prefix, stderr included
    def logs_ready():
        out = run_devenv("logs", cwd=root).out
        return out if "beta-one" in out and "alpha-two" in out else None

    out = wait_for(logs_ready, what="both services' first lines")
    lines = out.splitlines()
    assert "alpha | alpha-one" in lines and "alpha | alpha-two" in lines
    assert "beta  | beta-one" in lines
    only_beta = run_devenv("logs", "--no-prefix", "beta", cwd=root).out.splitlines()
    assert only_beta == ["beta-one"]
    assert run_devenv("logs", "--tail", "1", "-t", "alpha", cwd=root).out.count("alpha |") == 1
    assert run_devenv("logs", "--since", "abc", cwd=root).code == 2

    # exec: the command's exit code, stdout and stderr kept apart, stdin passed through
    result = run_devenv("exec", "alpha", "sh", "-c", "echo out; echo err >&2; exit 7", cwd=root)
    assert (result.code, result.out, result.err) == (7, "out\n", "err\n")
    assert run_devenv("exec", "alpha", "cat", cwd=root, input="piped\n").out == "piped\n"
    assert run_devenv("exec", "-w", "/etc", "alpha", "pwd", cwd=root).out == "/etc\n"
    assert run_devenv("exec", "-e", "X=1", "alpha", "sh", "-c", "echo $X", cwd=root).out == "1\n"
    assert run_devenv("shell", "alpha", cwd=root, input="pwd\nexit 3\n").out == "/tmp\n"
    assert run_devenv("exec", "nosuch", "true", cwd=root).code == 2
    # between two terminals: a TTY in the container, and still the command's exit code
    assert in_terminal(["exec", "alpha", "sh", "-c", "tty; exit 4"], root) == (4, "/dev/pts/0\r\n")

    # open: the URL, which really serves the service
    url = run_devenv("open", "beta", cwd=root).out.strip()
    assert url == f"http://127.0.0.1:{port}"
    assert urllib.request.urlopen(url, timeout=10).read() == b"hi-from-beta\n"
    opened = run_devenv("open", "alpha", cwd=root)
    assert opened.code == 1 and "does not publish" in opened.err

    # restart: StartedAt of the named service moves, the other's does not
    ids = container_ids(docker_client, unique_name)
    before = {key: started_at(docker_client, cid) for key, cid in ids.items()}
    assert run_devenv("restart", "beta", "-t", "1", cwd=root).code == 0
    after = {key: started_at(docker_client, cid) for key, cid in ids.items()}
    assert after["beta-1"] != before["beta-1"]
    assert after["alpha-1"] == before["alpha-1"]
    assert container_ids(docker_client, unique_name) == ids  # restarted, not recreated

    # stop: containers kept but stopped; exec then says so; up starts them again
    assert run_devenv("stop", "-t", "1", cwd=root).code == 0
    states = {key: docker_client.api.inspect_container(cid)["State"]["Status"] for key, cid in ids.items()}
    assert states == {"alpha-1": "exited", "beta-1": "exited"}
    stopped = run_devenv("exec", "alpha", "true", cwd=root)
    assert stopped.code == 1 and "not running" in stopped.err
    assert run_devenv("up", cwd=root).code == 0
    assert container_ids(docker_client, unique_name) == ids


def test_logs_follow_survives_a_recreate(project, docker_client, unique_name):
    manifest = f"""
[services.web]
image = "{BUSYBOX}"
command = ["sh", "-c", "echo generation-$GEN; exec sleep 3600"]
env = {{ GEN = "1" }}
"""
    root = project(manifest)
    assert run_devenv("up", cwd=root).code == 0
    first_id = container_ids(docker_client, unique_name)["web-1"]
    follower = subprocess.Popen([sys.executable, "-m", "devenv", "logs", "-f"], cwd=root, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                env={**os.environ, "NO_COLOR": "1"})
    seen: list[str] = []
    reader = threading.Thread(target=lambda: seen.extend(iter(follower.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        wait_for(lambda: "web | generation-1\n" in seen, what="the first container's line")
        (root / "devenv.toml").write_text((root / "devenv.toml").read_text().replace('GEN = "1"', 'GEN = "2"'))
        assert run_devenv("up", cwd=root).code == 0
        assert container_ids(docker_client, unique_name)["web-1"] != first_id  # really recreated
        wait_for(lambda: "web | generation-2\n" in seen, what="the recreated container's line")
        # a restart (same container) is resumed where it stopped: its new line, no old one again
        assert run_devenv("restart", "-t", "1", cwd=root).code == 0
        wait_for(lambda: seen.count("web | generation-2\n") == 2, what="the restarted container's line")
        time.sleep(1.5)  # a few more polls: nothing may be printed twice
        assert follower.poll() is None, "logs -f must keep following"
    finally:
        follower.send_signal(signal.SIGINT)
        code = follower.wait(timeout=30)
    assert code == 0  # Ctrl-C is how one stops following
    assert seen.count("web | generation-1\n") == 1 and seen.count("web | generation-2\n") == 2


def test_run_is_one_off_and_cleans_up(project, docker_client, unique_name):
    manifest = f"""
[services.db]
image = "{BUSYBOX}"
command = ["sleep", "3600"]

[services.app]
image = "{BUSYBOX}"
command = ["sleep", "3600"]
env = {{ ROLE = "app" }}
workdir = "/srv"
depends_on = ["db"]
"""
    root = project(manifest)
    result = run_devenv("run", "-e", "EXTRA=x", "app", "sh", "-c", "echo $ROLE-$EXTRA; pwd; exit 5", cwd=root)
    assert result.code == 5
    assert result.out == "app-x\n/srv\n"
    # its dependency was brought up (and stays up); the one-off container is gone
    assert set(container_ids(docker_client, unique_name)) == {"db-1"}
    everything = docker_client.containers.list(all=True, filters={"label": f"dev.devenv.project={unique_name}"})
    assert [c.labels.get("dev.devenv.role", "service") for c in everything] == ["service"]
    # the dependency is reachable by name from the one-off container
    assert run_devenv("run", "--no-deps", "app", "ping", "-c", "1", "-W", "5", "db", cwd=root).code == 0
    assert run_devenv("run", "app", "nosuchcommand", cwd=root).code == 127
    leftovers = docker_client.containers.list(all=True, filters={"label": f"dev.devenv.project={unique_name}"})
    assert len(leftovers) == 1


def test_the_documented_onboarding_script_works(project):
    """The sample script in the README, run as written on a real project."""
    import re
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    script = re.search(r"```sh\n(#!/bin/sh\n.*?)```", docs, re.DOTALL).group(1)
    port = free_port()
    root = project(f'[services.web]\nimage = "{BUSYBOX}"\ncommand = ["httpd", "-f", "-p", "80"]\n'
                   f'ports = ["{port}:80"]\n')
    (root / "onboard.sh").write_text(script)
    bin_dir = os.path.dirname(sys.executable)  # where the `devenv` entry point is installed
    result = subprocess.run(["sh", "onboard.sh"], cwd=root, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NO_COLOR": "1", "PATH": f"{bin_dir}:{os.environ['PATH']}"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith(f"web  http://127.0.0.1:{port}")
