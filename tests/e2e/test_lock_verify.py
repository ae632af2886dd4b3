"""The lock verifies what it pins (issue 15, point 3), against the real local registry: a pin of
another repository, or a digest its repository does not have, is reported by `lock --check`,
`doctor` and `up --locked` with exit 4, naming the service and the reference it should be."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REGISTRY, run_devenv

IMAGE = f"{REGISTRY}/devenv-test/busybox:1"
OTHER = f"{REGISTRY}/devenv-test/python:3"


# each test keeps its writer locks in a state folder of its own (tests/e2e/conftest.py)
pytestmark = pytest.mark.usefixtures("own_state_dir")


@pytest.fixture
def locked_project(project, registry):
    folder = project(f'[services.web]\nimage = "{IMAGE}"\ncommand = "sleep 3600"\n')
    assert run_devenv("lock", cwd=folder).code == 0
    assert run_devenv("lock", "--check", cwd=folder).code == 0
    return folder


def other_digest(docker_client) -> str:
    return docker_client.api.inspect_distribution(OTHER)["Descriptor"]["digest"]


def tamper(folder, pin: str, digest: str) -> None:
    lock = folder / "devenv.lock"
    lines = []
    for line in lock.read_text().splitlines():
        if line.startswith("pin = "):
            line = f'pin = "{pin}"'
        elif line.startswith("digest = "):
            line = f'digest = "{digest}"'
        lines.append(line)
    lock.write_text("\n".join(lines) + "\n")


def assert_reported_everywhere(folder, docker_client, unique_name, *, says: str) -> None:
    check = run_devenv("lock", "--check", cwd=folder)
    assert check.code == 4, check.output
    assert "service web: devenv.lock" in check.out and says in check.out
    assert f"the manifest asks for {IMAGE}" in check.out

    doctor = run_devenv("doctor", "--json", cwd=folder)
    assert doctor.code == 4, doctor.output
    [row] = [c for c in json.loads(doctor.out)["checks"] if c["check"] == "lock"]
    assert row["status"] == "FAIL" and "service web" in row["detail"] and says in row["detail"]

    up = run_devenv("up", "--locked", cwd=folder)
    assert up.code == 4, up.output
    assert "service web" in up.err and says in up.err and IMAGE in up.err
    assert docker_client.containers.list(all=True, filters={"label": f"dev.devenv.project={unique_name}"}) == []


def test_a_pin_of_another_repository_is_reported(locked_project, docker_client, unique_name):
    digest = other_digest(docker_client)
    tamper(locked_project, f"{REGISTRY}/devenv-test/python@{digest}", digest)
    assert_reported_everywhere(locked_project, docker_client, unique_name,
                               says=f"an image of {REGISTRY}/devenv-test/python, not of {REGISTRY}/devenv-test/busybox")


def test_a_digest_its_repository_does_not_have_is_reported(locked_project, docker_client, unique_name):
    digest = other_digest(docker_client)  # real, but of the other repository
    tamper(locked_project, f"{REGISTRY}/devenv-test/busybox@{digest}", digest)
    assert_reported_everywhere(locked_project, docker_client, unique_name,
                               says=f"a digest that {REGISTRY}/devenv-test/busybox does not have")


def test_an_untouched_lock_verifies_and_runs(locked_project, docker_client, unique_name):
    up = run_devenv("up", "--locked", cwd=locked_project)
    assert up.code == 0, up.output
    doctor = run_devenv("doctor", "--json", cwd=locked_project)
    [row] = [c for c in json.loads(doctor.out)["checks"] if c["check"] == "lock"]
    assert row["status"] == "PASS"
