"""Host ports on a real engine (issue 15, point 8): every host port published for one container
port answers, and a clash names who holds the port (the project and service, or the
container) rather than Docker's `docker-proxy`, in `up` and in `doctor`."""

from __future__ import annotations

import json
import urllib.request
import uuid

import pytest

from tests.conftest import BUSYBOX, run_devenv
from tests.e2e.conftest import container_ids, free_port

HTTPD = f'image = "{BUSYBOX}"\ncommand = ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && ' \
        f'exec httpd -f -p 80 -h /www"]\nstop_timeout = "1s"\n'
SLEEPER = f'image = "{BUSYBOX}"\ncommand = "sleep 100000"\nstop_timeout = "1s"\n'


def get(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
        return response.read().decode()


def test_two_host_ports_for_one_container_port_both_answer(project, docker_client, unique_name):
    first, second = free_port(), free_port()
    while second == first:
        second = free_port()
    folder = project(f'[services.web]\n{HTTPD}ports = ["{first}:80", "{second}:80"]\n'
                     'healthcheck = { test = "wget -q -O /dev/null http://127.0.0.1:80/", interval = "0.2s" }\n')
    result = run_devenv("up", "--wait", cwd=folder)
    assert result.code == 0, result.output
    assert get(first).strip() == "hello" and get(second).strip() == "hello"
    web = container_ids(docker_client, unique_name)["web-1"]
    bindings = docker_client.api.inspect_container(web)["HostConfig"]["PortBindings"]["80/tcp"]
    assert sorted(int(b["HostPort"]) for b in bindings) == sorted([first, second])
    rows = json.loads(run_devenv("status", "--json", cwd=folder).out)["containers"]
    assert sorted(p["host_port"] for p in rows[0]["ports"]) == sorted([first, second])
    assert run_devenv("plan", cwd=folder).code == 0 and run_devenv("up", cwd=folder).code == 0
    assert container_ids(docker_client, unique_name)["web-1"] == web  # nothing to change: both were kept


def test_a_port_held_by_another_project_names_that_project_and_service(project, docker_client, unique_name):
    port = free_port()
    owner = project(f'[services.api]\n{SLEEPER}ports = ["{port}:80"]\n', name=f"{unique_name}-owner")
    assert run_devenv("up", cwd=owner).code == 0
    folder = project(f'[services.web]\n{SLEEPER}ports = ["{port}:80"]\n')

    result = run_devenv("up", cwd=folder)
    assert result.code == 1, result.output
    assert (f"service web: host port 127.0.0.1:{port} is already in use by project '{unique_name}-owner' "
            "(service api)") in result.err
    assert "docker-proxy" not in result.output

    doctor = run_devenv("doctor", "--json", cwd=folder)
    ports = [c for c in json.loads(doctor.out)["checks"] if c["check"] == "ports"]
    assert any(f"taken by project '{unique_name}-owner' (service api)" in c["detail"] for c in ports), ports
    assert "docker-proxy" not in doctor.out


@pytest.fixture
def plain_container(docker_client):
    """A container made without devenv (`docker run -p`), removed after the test."""
    made = []

    def run(port: int):
        container = docker_client.containers.run(BUSYBOX, ["sleep", "100000"], detach=True,
                                                 name=f"isb-plain-{uuid.uuid4().hex[:8]}",
                                                 ports={"80/tcp": ("127.0.0.1", port)})
        made.append(container)
        return container

    yield run
    for container in made:
        container.remove(force=True)


def test_a_port_held_by_a_plain_container_names_the_container(project, plain_container):
    port = free_port()
    other = plain_container(port)
    folder = project(f'[services.web]\n{SLEEPER}ports = ["{port}:80"]\n')
    result = run_devenv("up", cwd=folder)
    assert result.code == 1, result.output
    assert f"host port 127.0.0.1:{port} is already in use by container {other.name}" in result.err
    assert "docker-proxy" not in result.output
