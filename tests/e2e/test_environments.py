"""Profiles, many environments on one host, engine-picked ports, files owned by the user."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import BUSYBOX, run_devenv, write_files
from tests.e2e.conftest import container_ids, free_port

SLEEPER = f'image = "{BUSYBOX}"\ncommand = "sleep 3600"\n'


def test_profiled_service_starts_only_with_its_profile(project, docker_client, unique_name):
    folder = project(f'[services.web]\n{SLEEPER}[services.debug]\n{SLEEPER}profiles = ["debug"]\n')
    assert run_devenv("up", cwd=folder).code == 0
    assert set(container_ids(docker_client, unique_name)) == {"web-1"}
    plan = run_devenv("plan", cwd=folder)
    assert "disabled" in plan.out and "profile debug not enabled" in plan.out
    assert run_devenv("--profile", "debug", "up", cwd=folder).code == 0
    assert set(container_ids(docker_client, unique_name)) == {"web-1", "debug-1"}
    assert run_devenv("up", cwd=folder, env={"DEVENV_PROFILES": "debug"}).code == 0


def test_two_checkouts_of_one_project_run_side_by_side_and_ls_shows_both(tmp_path, docker_client, unique_name):
    manifest = f'[project]\nname = "{unique_name}"\n[services.web]\n{SLEEPER}'
    first = write_files(tmp_path / "main" / "shop", {"devenv.toml": manifest})
    second = write_files(tmp_path / "feature" / "shop", {"devenv.toml": manifest})
    try:
        assert run_devenv("up", cwd=first).code == 0
        result = run_devenv("up", cwd=second)
        assert result.code == 0, result.output
        listing = json.loads(run_devenv("ls", "--json", cwd=tmp_path).out)["projects"]
        ours = {p["name"]: p for p in listing if p["name"].startswith(unique_name)}
        assert len(ours) == 2 and unique_name in ours
        assert {p["folder"] for p in ours.values()} == {str(first.resolve()), str(second.resolve())}
        assert all(p["running"] == 1 for p in ours.values())
        # each checkout keeps finding its own project, whoever comes and goes
        assert run_devenv("down", cwd=first).code == 0
        second_status = json.loads(run_devenv("status", "--json", cwd=second).out)
        assert second_status["project"] != unique_name and len(second_status["containers"]) == 1
        assert run_devenv("up", cwd=first).code == 0
        assert json.loads(run_devenv("status", "--json", cwd=first).out)["project"] == unique_name
        assert run_devenv("down", cwd=second).code == 0
        assert [p["name"] for p in json.loads(run_devenv("ls", "--json").out)["projects"]
                if p["name"].startswith(unique_name)] == [unique_name]
        assert run_devenv("-p", f"{unique_name}x", "up", cwd=second).code == 0
        assert container_ids(docker_client, f"{unique_name}x") != {}
    finally:
        for folder, extra in ((first, []), (second, []), (second, ["-p", f"{unique_name}x"])):
            run_devenv(*extra, "down", "-t", "0", cwd=folder)


def test_port_taken_by_another_project_names_that_project(project, unique_name):
    port = free_port()
    holder = project(f'[services.web]\n{SLEEPER}ports = ["{port}:80"]\n', name=f"{unique_name}a")
    other = project(f'[services.api]\n{SLEEPER}ports = ["{port}:80"]\n', name=f"{unique_name}b")
    assert run_devenv("up", cwd=holder).code == 0
    result = run_devenv("up", cwd=other)
    assert result.code == 1
    assert f"service api: host port 127.0.0.1:{port} is already in use by project '{unique_name}a' (service web)" \
        in result.err


def test_engine_picked_port_is_reported_by_status_json(project):
    folder = project(f'[services.web]\nimage = "{BUSYBOX}"\ncommand = "httpd -f -p 80 -h /www"\nports = ["80"]\n')
    assert run_devenv("up", "--wait", cwd=folder).code == 0
    ports = json.loads(run_devenv("status", "--json", cwd=folder).out)["containers"][0]["ports"]
    assert len(ports) == 1 and ports[0]["container_port"] == 80 and ports[0]["host_port"] > 0
    assert ports[0]["url"] == f"http://127.0.0.1:{ports[0]['host_port']}"


@pytest.fixture
def plain_user():
    """A non-root user made for the test, allowed to use the engine's socket."""
    if os.geteuid() != 0:
        pytest.fail("this test creates a user and must run as root (as CI does)")
    name = f"dv{uuid.uuid4().hex[:6]}"
    subprocess.run(["useradd", "--create-home", name], check=True)
    socket_group = Path("/var/run/docker.sock").stat().st_gid
    subprocess.run(["usermod", "-aG", str(socket_group), name], check=True)
    try:
        yield pwd.getpwnam(name)
    finally:
        subprocess.run(["userdel", "--remove", name], capture_output=True)


def test_user_host_writes_files_owned_by_the_invoking_user(plain_user, unique_name, docker_client):
    home = Path(plain_user.pw_dir)
    folder = write_files(home / "proj", {
        "devenv.toml": f'[project]\nname = "{unique_name}"\n[services.app]\nimage = "{BUSYBOX}"\n'
                       'command = "sh -c \'echo hi > /src/out.txt; sleep 3600\'"\nuser = "host"\n'
                       'mounts = ["./src:/src"]\n',
        "src/.keep": ""})
    shutil.chown(folder, plain_user.pw_uid, plain_user.pw_gid)
    for path in folder.rglob("*"):
        shutil.chown(path, plain_user.pw_uid, plain_user.pw_gid)
    # the repository's source must be importable by that user: run devenv from a copy on PYTHONPATH
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(repo), "HOME": str(home), "NO_COLOR": "1"}
    as_user = ["setpriv", f"--reuid={plain_user.pw_uid}", f"--regid={plain_user.pw_gid}", "--init-groups"]
    try:
        up = subprocess.run([*as_user, sys.executable, "-m", "devenv", "up", "--wait"], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=120)
        assert up.returncode == 0, up.stderr
        out = folder / "src" / "out.txt"
        assert out.read_text() == "hi\n"
        assert (out.stat().st_uid, out.stat().st_gid) == (plain_user.pw_uid, plain_user.pw_gid)
    finally:
        subprocess.run([*as_user, sys.executable, "-m", "devenv", "down", "-t", "0"], cwd=folder, env=env,
                       capture_output=True, timeout=120)
