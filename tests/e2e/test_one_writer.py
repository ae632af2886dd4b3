"""One writer per project (issue 15, point 2): a second command waits for the first, saying who
holds the project, or fails at once with --no-wait (exit 5); a crashed holder blocks no one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.conftest import BUSYBOX, run_devenv

SLEEPER = f'image = "{BUSYBOX}"\ncommand = "sleep 3600"\n'
HOLD = """
import sys, time
from devenv.converge.writer import project_lock
with project_lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(600)
"""


# each test keeps its writer locks in a state folder of its own (tests/e2e/conftest.py)
pytestmark = pytest.mark.usefixtures("own_state_dir")


def hold_lock(name: str) -> subprocess.Popen:
    """Another process holding the project's lock, as a running `devenv up` would."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, name], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_two_concurrent_ups_make_one_network_and_both_succeed(project, docker_client, unique_name):
    folder = project(f"[services.web]\n{SLEEPER}[services.worker]\n{SLEEPER}")
    env = {**os.environ, "NO_COLOR": "1"}
    runs = [subprocess.Popen([sys.executable, "-m", "devenv", "up"], cwd=folder, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    networks = docker_client.networks.list(filters={"label": f"dev.devenv.project={unique_name}"})
    assert [n.name for n in networks] == [f"{unique_name}_default"]
    assert len(docker_client.containers.list(filters={"label": f"dev.devenv.project={unique_name}"})) == 2


def test_no_wait_fails_at_once_naming_the_holder_and_changes_nothing(project, docker_client, unique_name):
    folder = project(f"[services.web]\n{SLEEPER}")
    holder = hold_lock(unique_name)
    try:
        for command in (["up", "--no-wait"], ["down", "--no-wait"], ["lock", "--no-wait"]):
            result = run_devenv(*command, cwd=folder)
            assert result.code == 5, result.output
            assert f"project {unique_name} is busy" in result.err and f"pid {holder.pid}" in result.err
        assert docker_client.containers.list(all=True, filters={"label": f"dev.devenv.project={unique_name}"}) == []
        assert not (folder / "devenv.lock").exists()
    finally:
        holder.kill()
        holder.wait()


def test_a_waiting_up_says_who_it_waits_for_then_runs_when_the_holder_finishes(project, docker_client, unique_name):
    folder = project(f"[services.web]\n{SLEEPER}")
    holder = hold_lock(unique_name)
    waiting = subprocess.Popen([sys.executable, "-m", "devenv", "up"], cwd=folder, text=True,
                               env={**os.environ, "NO_COLOR": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert waiting.stderr is not None
        first = waiting.stderr.readline()
        assert f"{unique_name}: waiting for" in first and f"pid {holder.pid}" in first
        assert waiting.poll() is None  # still waiting, nothing created
        assert docker_client.containers.list(all=True, filters={"label": f"dev.devenv.project={unique_name}"}) == []
    finally:
        holder.send_signal(signal.SIGKILL)  # a crashed holder: the kernel releases its lock
        holder.wait()
    _out, rest = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, rest
    assert len(docker_client.containers.list(filters={"label": f"dev.devenv.project={unique_name}"})) == 1


def test_a_killed_holder_leaves_nothing_stuck(project, unique_name):
    folder = project(f"[services.web]\n{SLEEPER}")
    holder = hold_lock(unique_name)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    result = run_devenv("up", "--no-wait", cwd=folder)  # --no-wait: a stuck lock would fail it with exit 5
    assert result.code == 0, result.output
    assert "busy" not in result.err
