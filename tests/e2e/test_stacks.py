"""e2e: every web recipe comes up for real, with a small sample app, on the stack world.

The stack world (scripts/setup-stack-world) holds stand-ins for the official images in the local
registry, which the engine uses as its Docker Hub mirror: `postgres:16` in a manifest pulls through
the normal path. For each sample app under stack_apps/, as a user would do it:
`devenv init` (no hand edits) → `devenv up --wait` → the page answers on the published port and
proves a database round trip → an edit of a source file is served under `devenv watch` →
`down` then `up` keeps the data → `down --volumes` removes it.
"""

from __future__ import annotations

import re
import shutil
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import run_devenv
from tests.e2e.conftest import free_port
from tests.e2e.test_watch import Watch

STACK_APPS = Path(__file__).parent / "stack_apps"
MIRROR = "127.0.0.1:5000"
# "<greeting> from <stack>: visits=3 hits=3": each counter lives in one database of the stack.
# (They may drift apart while a server restarts mid-request; each is checked on its own.)
HEADLINE = re.compile(r"(\w+) from \w+: (visits=\d+.*)")
COUNTER = re.compile(r"(\w+)=(\d+)")
# Generous: an `up` installs the stack's packages from PyPI or npm (a provision step), and on a
# busy 2-core machine that alone has taken over five minutes. Speed is never what is tested here.
UP_TIMEOUT = 900
RUN_TIMEOUT = 1800


@dataclass(frozen=True)
class Stack:
    app: str                      # folder under stack_apps/
    recipes: tuple[str, ...]      # what `devenv init` must pick, from the app's files alone
    source: str                   # the file whose GREETING the watch step edits
    init_args: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        return self.app


STACKS = [
    Stack("django", ("django", "postgres", "redis"), "counter/views.py"),
    Stack("flask", ("flask", "redis", "rabbitmq"), "app.py"),
    Stack("fastapi", ("fastapi", "postgres"), "main.py"),
    Stack("python", ("python", "mysql"), "app.py"),
    Stack("express", ("express", "redis"), "index.js"),
    Stack("node", ("node", "postgres"), "server.js"),
    Stack("nextjs", ("nextjs", "postgres"), "pages/index.js"),
    Stack("rails", ("rails", "postgres"), "app/controllers/visits_controller.rb"),
    # The Go sample speaks Redis's protocol with the standard library (no module proxy is
    # reachable here), so nothing in go.mod names Redis: the service is asked for with --with.
    Stack("go", ("go", "redis"), "main.go", ("--with", "redis")),
]


def official_names() -> list[str]:
    """Every official name:tag the stack world publishes (scripts/stack-world/images)."""
    images = Path(__file__).parents[2] / "scripts" / "stack-world" / "images"
    names = []
    for line in images.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            names += line.split()[1:]
    return names


@pytest.fixture(scope="module")
def stack_world(docker_client, registry):
    """The engine pulls Docker Hub names through the local registry, which holds the stand-ins.
    Stand-ins pulled by these tests are untagged again afterwards (the layers stay cached)."""
    mirrors = docker_client.info().get("RegistryConfig", {}).get("Mirrors") or []
    if not any(MIRROR in m for m in mirrors):
        pytest.fail(f"the engine has no registry mirror http://{MIRROR}: the stack tests need "
                    f'"registry-mirrors" in /etc/docker/daemon.json (scripts/setup-engine)', pytrace=False)
    missing = [ref for ref in official_names() if not _in_registry(ref)]
    if missing:
        pytest.fail(f"the local registry lacks {', '.join(missing)}: run scripts/setup-stack-world", pytrace=False)
    before = {ref for ref in official_names() if _local_image(docker_client, ref) is not None}
    yield
    for ref in official_names():
        image = _local_image(docker_client, ref)
        if ref not in before and image is not None and image.labels.get("dev.devenv.stand-in") == "true":
            docker_client.images.remove(ref)  # an untag: the stand-in stays under devenv-stack/…


# The databases' stand-ins, each with what it needs to start and a command that passes once the
# real server serves: over TCP, as the first-start servers of postgres and mysql listen on the
# socket only (stopped then, the entrypoint's shell is what SIGTERM ends).
DATABASES = {
    "postgres:16": ({"POSTGRES_PASSWORD": "pw"}, "pg_isready -q -h 127.0.0.1"),
    "redis:7": ({}, "redis-cli ping | grep -q PONG"),
    "mysql:8.4": ({"MYSQL_ROOT_PASSWORD": "pw"}, "mysqladmin ping -h 127.0.0.1 -ppw"),
    "rabbitmq:3-management": ({}, "rabbitmq-diagnostics -q check_port_connectivity"),
}


@pytest.mark.stack
@pytest.mark.timeout(600)
@pytest.mark.parametrize("ref", DATABASES)
def test_database_stand_in_shuts_down_cleanly_on_stop(ref, stack_world, unique_name, docker_client):
    """`docker stop` makes an official database image shut down cleanly (its server is PID 1, or
    traps SIGTERM); a stand-in whose wrapper script let SIGTERM kill it lost a durable RabbitMQ
    queue's messages after `down` and `up`. A kill shows as exit code 137 or 143, a clean stop as 0."""
    env, ready = DATABASES[ref]
    container = docker_client.containers.run(ref, detach=True, init=True, environment=env, name=unique_name)
    try:
        deadline = time.monotonic() + 300
        while True:
            container.reload()
            assert container.status == "running", f"{ref} stopped by itself:\n{container.logs().decode()[-2000:]}"
            if container.exec_run(["sh", "-c", ready]).exit_code == 0:
                break
            assert time.monotonic() < deadline, f"{ref} never answered `{ready}`:\n{container.logs().decode()[-2000:]}"
            time.sleep(1)
        container.stop(timeout=120)
        container.reload()
        assert container.attrs["State"]["ExitCode"] == 0, container.logs().decode()[-2000:]
    finally:
        container.remove(force=True, v=True)  # and the anonymous volume of its image's VOLUME


def _in_registry(ref: str) -> bool:
    name, tag = ref.split(":")
    request = urllib.request.Request(f"http://{MIRROR}/v2/library/{name}/manifests/{tag}", method="HEAD",
                                     headers={"Accept": "application/vnd.docker.distribution.manifest.v2+json"})
    try:
        with urllib.request.urlopen(request, timeout=5):
            return True
    except urllib.error.URLError:
        return False


def _local_image(client, ref: str):
    import docker.errors

    try:
        return client.images.get(ref)
    except docker.errors.ImageNotFound:
        return None


def page(port: int, timeout: float = 180) -> tuple[str, dict[str, int]]:
    """(greeting, counters) from the app's page, retried while the server warms up. Each load
    writes to every database of the stack and reads a count back from each (visits=…, hits=…)."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=120) as response:
                body = response.read().decode()
            found = HEADLINE.search(body)
            if found:
                return found.group(1), {name: int(n) for name, n in COUNTER.findall(found.group(2))}
            last = body[-500:]
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last = repr(exc)
        time.sleep(1)
    pytest.fail(f"http://127.0.0.1:{port}/ never showed the visits line; last answer: {last}")


def one_more(before: dict[str, int]) -> dict[str, int]:
    return {name: n + 1 for name, n in before.items()}


def served(port: int, greeting: str, timeout: float = 180) -> dict[str, int]:
    """Wait until the page shows this greeting (a served edit); return its counters."""
    deadline = time.monotonic() + timeout
    while True:
        said, counts = page(port, timeout=max(deadline - time.monotonic(), 5))
        if said == greeting:
            return counts
        if time.monotonic() > deadline:
            pytest.fail(f"the page still says {said!r} {timeout:.0f}s after the edit to {greeting!r}")
        time.sleep(1)


def pulled_through_the_mirror(client, folder: Path) -> list[str]:
    """The official images of the project's services, each with a registry digest."""
    import tomllib

    manifest = tomllib.loads((folder / "devenv.toml").read_text())
    refs = [svc["image"] for svc in manifest["services"].values() if "image" in svc]
    for ref in refs:
        digests = _local_image(client, ref).attrs["RepoDigests"]
        assert any(d.startswith(ref.split(":")[0] + "@sha256:") for d in digests), (ref, digests)
    return refs


@pytest.mark.stack
@pytest.mark.timeout(4 * RUN_TIMEOUT)
@pytest.mark.parametrize("stack", STACKS, ids=str)
def test_recipe_runs_end_to_end(stack: Stack, stack_world, tmp_path, unique_name, docker_client):
    folder = tmp_path / unique_name
    shutil.copytree(STACK_APPS / stack.app, folder)
    port = free_port()

    init = run_devenv("init", "--set", f"port={port}", *stack.init_args, cwd=folder)
    assert init.code == 0, init.output
    picked = set(re.findall(r"^[ \t]*\S+[ \t]+(\w+)[ \t]", init.out, re.MULTILINE))
    assert set(stack.recipes) <= picked, init.out
    manifest = (folder / "devenv.toml").read_text()
    try:
        up = run_devenv("up", "--wait", "--timeout", str(UP_TIMEOUT), cwd=folder, timeout=RUN_TIMEOUT)
        assert up.code == 0, f"{manifest}\n{up.output}\n{run_devenv('logs', '--tail', '40', cwd=folder).output}"
        assert pulled_through_the_mirror(docker_client, folder)

        greeting, first = page(port)
        assert greeting == "hello"
        _, second = page(port)
        assert second == one_more(first), "the page did not read back what it wrote"

        watch = Watch(folder)
        try:
            watch.wait_for("ready", timeout=UP_TIMEOUT)
            source = folder / stack.source
            source.write_text(source.read_text().replace("hello", "howdy", 1))
            edited = served(port, "howdy")
        finally:
            watch.stop()
        assert edited["visits"] > second["visits"]

        down = run_devenv("down", cwd=folder)
        assert down.code == 0, down.output
        again = run_devenv("up", "--wait", "--timeout", str(UP_TIMEOUT), cwd=folder, timeout=RUN_TIMEOUT)
        assert again.code == 0, again.output
        greeting, kept = page(port)
        assert (greeting, kept) == ("howdy", one_more(edited)), "the data did not survive down and up"

        gone = run_devenv("down", "--volumes", cwd=folder)
        assert gone.code == 0, gone.output
        left = docker_client.volumes.list(filters={"label": f"dev.devenv.project={unique_name}"})
        assert left == [], [v.name for v in left]
    finally:
        run_devenv("down", "--volumes", "-t", "0", cwd=folder)
