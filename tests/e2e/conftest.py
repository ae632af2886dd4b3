"""End-to-end fixtures: a real Docker engine and a real local registry (scripts/setup-engine).

When no engine answers, these tests fail loudly; they never skip in silence."""

from __future__ import annotations

import os
import subprocess
import urllib.request

import pytest

from tests.conftest import BUSYBOX, PYTHON, run_devenv


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def docker_client():
    import docker

    try:
        client = docker.from_env(version="auto")
        client.ping()
    except Exception as exc:
        pytest.fail(f"e2e tests need a Docker engine; run scripts/setup-engine first ({exc})", pytrace=False)
    for image in (BUSYBOX, PYTHON):
        try:
            client.images.get(image)
        except Exception:
            pytest.fail(f"test image {image} is missing; run scripts/setup-engine", pytrace=False)
    return client


def engine_objects() -> dict[str, set[str]]:
    """Every image, container, volume and network on the engine, by kind (IDs and names)."""
    listings = {"images": ["image", "ls", "-a", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"],
                "containers": ["ps", "-a", "--format", "{{.ID}} {{.Names}}"],
                "volumes": ["volume", "ls", "--format", "{{.Name}}"],
                "networks": ["network", "ls", "--format", "{{.ID}} {{.Name}}"]}
    return {kind: set(docker(*args).stdout.split("\n")) - {""} for kind, args in listings.items()}


@pytest.fixture(scope="session", autouse=True)
def no_leftovers(request):
    """The suite cleans up after itself: whatever it added to the engine and left there fails the
    run. On by default in scripts/test and CI (DEVENV_CHECK_LEFTOVERS=1); off when developers share
    one engine with other runs, whose objects would count as ours."""
    mode = os.environ.get("DEVENV_CHECK_LEFTOVERS", "")
    if mode not in ("1", "warn") or docker("info").returncode != 0:
        yield
        return
    before = engine_objects()
    yield
    sweep_shared(before)
    after = engine_objects()
    left = {kind: sorted(after[kind] - before[kind]) for kind in after if after[kind] - before[kind]}
    if left and mode == "1":
        pytest.fail(f"the tests left these on the engine: {left}", pytrace=False)
    if left:
        request.config.stash[LEFTOVERS] = left


LEFTOVERS = pytest.StashKey[dict]()


def sweep_shared(before: dict[str, set[str]]) -> None:
    """What the suite itself shares between tests and takes down at the end: the router (its
    container, network, CA volume and image, when they were not there before) and the images
    that rebuilding a tag leaves untagged."""
    if not any("devenv-router" in c for c in before["containers"]):
        run_devenv("router", "stop")
    if "devenv-router-data" not in before["volumes"]:
        docker("volume", "rm", "devenv-router-data")
    # The router's image, pulled through the mirror by the first routed `up` (the registry keeps
    # it), and the images that rebuilding a tag left untagged.
    new = engine_objects()["images"] - before["images"]
    dropped = {ref if ref.startswith("caddy:") else image_id
               for image_id, ref in (line.split(" ", 1) for line in new) if "<none>" in ref or ref.startswith("caddy:")}
    if dropped:
        docker("image", "rm", *sorted(dropped))


def pytest_terminal_summary(terminalreporter, config):
    left = config.stash.get(LEFTOVERS, None)
    if left:
        terminalreporter.write_line(f"devenv: the tests left these on the engine (DEVENV_CHECK_LEFTOVERS=warn): {left}",
                                    yellow=True)


@pytest.fixture(scope="session")
def registry():
    try:
        urllib.request.urlopen("http://127.0.0.1:5000/v2/", timeout=2)
    except Exception as exc:
        pytest.fail(f"e2e tests need the local registry on 127.0.0.1:5000; run scripts/setup-engine ({exc})",
                    pytrace=False)
    return "localhost:5000"


@pytest.fixture
def own_state_dir(tmp_path, monkeypatch):
    """devenv's state folder (the writer locks) inside the test's own tmp_path."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture
def project(make_project, unique_name, docker_client):
    """A project folder with a unique name, taken down (with volumes) after the test."""
    made = []

    def make(manifest: str, files: dict[str, str] | None = None, name: str | None = None):
        project_name = name or unique_name
        text = f'[project]\nname = "{project_name}"\n' + manifest.lstrip("\n")
        folder = make_project({"devenv.toml": text, **(files or {})}, name=project_name)
        made.append(folder)
        return folder

    yield make
    for folder in made:
        run_devenv("down", "--volumes", "-t", "0", cwd=folder)
    remove_built_images(unique_name)


def remove_built_images(project_name: str) -> None:
    """devenv keeps the images it built (the next up reuses them), and tests push images named
    after their project; a test's project is gone for good, so are they."""
    listed = docker("image", "ls", "-a", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").stdout.splitlines()
    ours = {ref if not ref.endswith(":<none>") else image_id
            for ref, _, image_id in (line.partition(" ") for line in listed) if project_name in ref}
    if ours:
        docker("image", "rm", "-f", *sorted(ours))


def container_ids(client, project_name: str) -> dict[str, str]:
    return {c.labels["dev.devenv.service"] + "-" + c.labels["dev.devenv.replica"]: c.id
            for c in client.containers.list(all=True, filters={"label": f"dev.devenv.project={project_name}"})
            if c.labels.get("dev.devenv.role", "service") == "service"}


def started_at(client, container_id: str) -> str:
    return client.api.inspect_container(container_id)["State"]["StartedAt"]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def docker(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=True, text=True)
