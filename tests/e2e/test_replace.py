"""Replace, never remove first (issue 15, point 7): a recreate whose replacement cannot be
created or started leaves the running container running, and says so."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import BUSYBOX, run_devenv
from tests.e2e.conftest import free_port

WEB = f'[services.web]\nimage = "{BUSYBOX}"\ncommand = "sleep 3600"\nstop_timeout = "1s"\n'


# each test keeps its writer locks in a state folder of its own (tests/e2e/conftest.py)
pytestmark = pytest.mark.usefixtures("own_state_dir")


def containers(client, name: str) -> list:
    return client.containers.list(all=True, filters={"label": f"dev.devenv.project={name}"})


def test_a_bad_bind_path_keeps_the_running_container(project, docker_client, unique_name):
    folder = project(WEB)
    assert run_devenv("up", cwd=folder).code == 0
    [before] = containers(docker_client, unique_name)
    manifest = folder / "devenv.toml"
    manifest.write_text(manifest.read_text() + 'mounts = ["/nonexistent-isa/src:/src"]\n')
    result = run_devenv("up", cwd=folder)
    assert result.code == 1, result.output
    assert "service web: cannot create its replacement" in result.err
    assert f"the current container {unique_name}-web-1 keeps running" in result.err
    assert "/nonexistent-isa/src, which it mounts, does not exist" in result.err  # not the engine's words alone
    assert "mkdir -p /nonexistent-isa/src" in result.err
    [after] = containers(docker_client, unique_name)
    assert after.id == before.id and after.status == "running"


def test_a_missing_bind_folder_of_a_new_service_is_named_with_the_cure(project, docker_client, unique_name):
    folder = project(WEB + 'mounts = ["./data/db:/data"]\n')
    result = run_devenv("up", cwd=folder)
    assert result.code == 1 and "service web: " in result.err, result.output
    assert f"{folder / 'data/db'}, which it mounts, does not exist" in result.err
    assert containers(docker_client, unique_name) == []  # nothing half-made
    one_off = run_devenv("run", "web", "true", cwd=folder)  # a one-off container says the same
    assert one_off.code == 1 and f"{folder / 'data/db'}, which it mounts, does not exist" in one_off.err
    (folder / "data/db").mkdir(parents=True)
    assert run_devenv("up", cwd=folder).code == 0


def test_a_port_clash_starts_the_old_container_again(project, docker_client, unique_name):
    old_port, taken = free_port(), free_port()
    folder = project(WEB + f'ports = ["{old_port}:80"]\n')
    assert run_devenv("up", cwd=folder).code == 0
    [before] = containers(docker_client, unique_name)
    manifest = folder / "devenv.toml"
    manifest.write_text(manifest.read_text().replace(f"{old_port}:80", f"{taken}:80"))
    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        holder.bind(("127.0.0.1", taken))
        holder.listen()
        result = run_devenv("up", cwd=folder)
    assert result.code == 1, result.output
    assert f"host port 127.0.0.1:{taken} is already in use" in result.err
    assert f"the previous container {unique_name}-web-1 was started again" in result.err
    [after] = containers(docker_client, unique_name)
    after.reload()
    assert after.id == before.id and after.status == "running"
    assert after.attrs["HostConfig"]["PortBindings"]["80/tcp"][0]["HostPort"] == str(old_port)
    # with the port free, the same edit goes through, and the new container takes the plain name
    fixed = run_devenv("up", cwd=folder)
    assert fixed.code == 0, fixed.output
    [replaced] = containers(docker_client, unique_name)
    assert replaced.id != before.id and replaced.name == f"{unique_name}-web-1" and replaced.status == "running"
