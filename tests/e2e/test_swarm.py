"""`devenv deploy --swarm` on a real single-node swarm, made here for these tests and left again
afterwards when this session made it (other test files run without a swarm)."""

from __future__ import annotations

import io
import json
import re

import docker.errors
import pytest

from tests.conftest import BUSYBOX, run_devenv
from tests.e2e.conftest import docker


@pytest.fixture(scope="session")
def swarm_manager(docker_client):
    made = False
    had_gwbridge = docker("network", "inspect", "docker_gwbridge").returncode == 0
    if docker_client.info()["Swarm"]["LocalNodeState"] != "active":
        result = docker("swarm", "init", "--advertise-addr", "127.0.0.1")
        if result.returncode != 0:
            pytest.fail(f"cannot make a single-node swarm: {result.stderr}", pytrace=False)
        made = True
    yield docker_client
    if made:
        docker("swarm", "leave", "--force")
        if not had_gwbridge:  # the bridge a swarm makes outlives it: the engine is left as found
            docker("network", "rm", "docker_gwbridge")


@pytest.fixture
def stack(project, swarm_manager):
    """A project folder whose swarm stack (and its volumes) is removed after the test."""
    folders = []

    def make(manifest: str, files: dict[str, str] | None = None):
        folder = project(manifest, files)
        folders.append(folder)
        return folder

    yield make
    for folder in folders:
        run_devenv("deploy", "--swarm", "--down", "--volumes", cwd=folder)


def build_and_push(client, ref: str, marker: str) -> str:
    """A tiny image with its own content (a label) pushed to the local registry; its digest."""
    dockerfile = f"FROM {BUSYBOX}\nLABEL marker={marker}\n".encode()
    client.images.build(fileobj=io.BytesIO(dockerfile), tag=ref, rm=True)
    repo, tag = ref.rsplit(":", 1)
    client.images.push(repo, tag=tag)
    return client.api.inspect_distribution(ref)["Descriptor"]["digest"]


@pytest.fixture
def busybox_tag(swarm_manager, registry, unique_name):
    """Tags of the test's busybox that only this test uses, removed afterwards with any registry
    digest they gained. A swarm task pulls its tag through the registry mirror first, so a
    service must not run the shared BUSYBOX (the tests that follow rely on it staying local);
    `mirrored=True` also puts the tag in the mirror, so that pull succeeds."""
    client = swarm_manager
    repos = []

    def make(suffix: str, *, mirrored: bool = False) -> str:
        repo = f"devenv-test/{unique_name}-{suffix}"
        image = client.images.get(BUSYBOX)
        image.tag(repo, "1")
        repos.append(repo)
        if mirrored:
            image.tag(f"{registry}/{repo}", "1")
            client.images.push(f"{registry}/{repo}", tag="1")
            client.images.remove(f"{registry}/{repo}:1")
            repos.append(f"{registry}/{repo}")
        return f"{repo}:1"

    yield make
    digests = [d for d in client.images.get(BUSYBOX).attrs["RepoDigests"] if d.split("@")[0] in repos]
    for ref in digests + [f"{repo}:1" for repo in repos if not repo.startswith(registry)]:
        try:
            client.images.remove(ref)
        except docker.errors.ImageNotFound:
            pass  # a repository's digest reference goes with its last tag, and the other way round


def services(client, project_name: str) -> dict[str, dict]:
    return {s.attrs["Spec"]["Labels"]["dev.devenv.service"]: s.attrs
            for s in client.services.list(filters={"label": f"dev.devenv.project={project_name}"})}


def running_tasks(client, service: dict) -> set[str]:
    return {t["ID"] for t in client.api.tasks(filters={"service": service["ID"], "desired-state": "running"})
            if t["Status"]["State"] == "running"}


def test_deploy_scale_redeploy_only_what_changed_status_and_down(stack, swarm_manager, registry, unique_name,
                                                                busybox_tag):
    client = swarm_manager
    mirrored_local_image = busybox_tag("client", mirrored=True)
    web_ref = f"{registry}/{unique_name}/web:1"
    locked_digest = build_and_push(client, web_ref, "locked")
    folder = stack(f"""
        [services.web]
        image = "{web_ref}"
        command = ["sh", "-c", "echo v1 > /data/index.html; exec httpd -f -p 8080 -h /data"]
        scale = 2
        env = {{ GREETING = "hello" }}
        mounts = ["data:/data", "./src:/src"]
        ports = ["8080"]
        restart = "always"
        stop_timeout = "1s"
        healthcheck = {{ test = "test -f /data/index.html", interval = "1s" }}

        [services.client]
        image = "{mirrored_local_image}"
        command = ["sleep", "3600"]
        scale = 2
        restart = "always"
        stop_timeout = "1s"
        """, files={"src/app.txt": "x"})
    assert run_devenv("lock", cwd=folder).code == 0
    moved_digest = build_and_push(client, web_ref, "moved")  # the tag moves on; the lock keeps the old content
    assert moved_digest != locked_digest

    first = run_devenv("deploy", "--swarm", cwd=folder)
    assert first.code == 0, first.output
    assert "dropped bind mount ./src:/src" in first.err
    status = json.loads(run_devenv("deploy", "--swarm", "--status", "--json", cwd=folder).out)
    assert {r["service"]: (r["running"], r["desired"]) for r in status["services"]} == {"web": (2, 2),
                                                                                       "client": (2, 2)}
    deployed = services(client, unique_name)
    web, other = deployed["web"], deployed["client"]
    assert web["Spec"]["Name"] == f"{unique_name}_web"
    assert web["Spec"]["TaskTemplate"]["ContainerSpec"]["Image"] == f"{registry}/{unique_name}/web@{locked_digest}"
    assert web["Spec"]["Labels"]["com.docker.stack.namespace"] == unique_name
    assert web["Endpoint"]["Ports"][0]["TargetPort"] == 8080 and web["Endpoint"]["Ports"][0]["PublishMode"] == "ingress"
    assert web["Spec"]["TaskTemplate"]["ContainerSpec"]["Mounts"][0]["Source"] == f"{unique_name}_data"
    # `docker stack` sees the stack; its overlay network and named volume exist
    assert unique_name in docker("stack", "ls", "--format", "{{.Name}}").stdout.split()
    assert len(docker("stack", "ps", unique_name, "-q", "--filter", "desired-state=running").stdout.split()) == 4
    network = client.networks.get(f"{unique_name}_swarm")
    assert network.attrs["Driver"] == "overlay" and network.attrs["Labels"]["com.docker.stack.namespace"] == unique_name
    assert client.volumes.get(f"{unique_name}_data").attrs["Labels"]["dev.devenv.stack"] == unique_name
    # over the overlay, by the service's name: a client task reads what a web task wrote into its volume
    task_container = client.containers.list(filters={"label": f"com.docker.swarm.service.id={other['ID']}"})[0]
    code, output = task_container.exec_run(["sh", "-c", "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | "
                                                        "nc -w 5 tasks.web 8080"])
    assert code == 0 and b"v1" in output, output

    assert other["Spec"]["TaskTemplate"]["ContainerSpec"]["Image"] == mirrored_local_image  # no registry digest yet
    # The swarm pulled the tag for its tasks, through the mirror: the same content now has a
    # registry digest, which must not count as a change of the client service.
    client.images.pull(mirrored_local_image)
    assert any(d.startswith(mirrored_local_image.split(":")[0] + "@")
               for d in client.images.get(mirrored_local_image).attrs["RepoDigests"])
    client_tasks = running_tasks(client, other)
    (folder / "devenv.toml").write_text((folder / "devenv.toml").read_text().replace('"hello"', '"bonjour"'))
    second = run_devenv("deploy", "--swarm", cwd=folder)
    assert second.code == 0, second.output
    assert 'env.GREETING: "hello" → "bonjour"' in second.err
    after = services(client, unique_name)
    assert after["web"]["Version"]["Index"] > web["Version"]["Index"]
    # The other service's spec is what it was (the swarm itself moves Version.Index when a task's
    # state is recorded, so under load the index is no proof either way), and its tasks ran on.
    assert after["client"]["Spec"] == other["Spec"]
    assert running_tasks(client, after["client"]) == client_tasks  # the other service kept its tasks
    web_container = client.containers.list(filters={"label": f"com.docker.swarm.service.id={web['ID']}"})[0]
    assert "GREETING=bonjour" in web_container.attrs["Config"]["Env"]
    assert json.loads(run_devenv("deploy", "--swarm", "--status", "--json", cwd=folder).out)["services"][1][
        "running"] == 2

    # scaling adds a task and restarts none
    web_tasks = running_tasks(client, after["web"])
    text = (folder / "devenv.toml").read_text()
    (folder / "devenv.toml").write_text(re.sub(r'(\["sleep", "3600"\]\s*)scale = 2', r"\1scale = 3", text))
    scaled = run_devenv("deploy", "--swarm", cwd=folder)
    assert scaled.code == 0 and "scale: 2 → 3" in scaled.err, scaled.output
    now = services(client, unique_name)
    assert client_tasks < running_tasks(client, now["client"]) and len(running_tasks(client, now["client"])) == 3
    assert running_tasks(client, now["web"]) == web_tasks

    again = run_devenv("deploy", "--swarm", "--dry-run", "--json", cwd=folder)
    assert again.code == 0 and json.loads(again.out)["noop"] is True, again.output

    down = run_devenv("deploy", "--swarm", "--down", cwd=folder)
    assert down.code == 0, down.output
    assert services(client, unique_name) == {}
    assert not client.networks.list(names=[f"{unique_name}_swarm"])
    assert f"kept volumes: {unique_name}_data" in down.err
    assert run_devenv("deploy", "--swarm", "--down", "--volumes", cwd=folder).code == 0
    assert not client.volumes.list(filters={"name": f"{unique_name}_data"})


def test_build_is_pushed_and_a_failing_task_fails_the_deploy(stack, swarm_manager, registry, unique_name,
                                                             busybox_tag):
    client = swarm_manager
    api_ref = f"{registry}/{unique_name}/api:dev"
    folder = stack(f"""
        [services.api]
        build = "."
        image = "{api_ref}"
        command = ["sleep", "3600"]
        stop_timeout = "1s"

        [services.broken]
        image = "{busybox_tag('broken')}"
        command = ["sh", "-c", "exit 3"]
        """, files={"Dockerfile": f"FROM {BUSYBOX}\nLABEL app={unique_name}\n"})
    result = run_devenv("deploy", "--swarm", "--timeout", "60", cwd=folder)
    assert result.code == 1, result.output
    assert "service broken: 1 task failed" in result.err and "Traceback" not in result.err
    pushed = client.api.inspect_distribution(api_ref)["Descriptor"]["digest"]
    image = services(client, unique_name)["api"]["Spec"]["TaskTemplate"]["ContainerSpec"]["Image"]
    assert image == f"{registry}/{unique_name}/api@{pushed}"


def test_deploy_refuses_while_the_local_environment_is_up(stack, swarm_manager, unique_name):
    folder = stack(f"""
        [services.app]
        image = "{BUSYBOX}"
        command = ["sleep", "3600"]
        mounts = ["data:/data"]
        stop_timeout = "1s"
        """)
    assert run_devenv("up", cwd=folder).code == 0
    result = run_devenv("deploy", "--swarm", cwd=folder)
    assert result.code == 2, result.output
    assert f"the local environment of {unique_name} is up on this engine (app)" in result.err
    assert services(swarm_manager, unique_name) == {}
    # the local environment's `down` and the stack's `--down` leave each other's objects alone
    assert run_devenv("deploy", "--swarm", "--down", cwd=folder).code == 0
    assert swarm_manager.containers.list(filters={"label": f"dev.devenv.project={unique_name}"})


def test_a_second_checkout_neither_deploys_over_nor_takes_down_the_first_ones_stack(stack, swarm_manager, unique_name,
                                                                                      busybox_tag, tmp_path):
    manifest = f"""
        [services.app]
        image = "{busybox_tag('app')}"
        command = ["sleep", "3600"]
        mounts = ["data:/data"]
        stop_timeout = "1s"
        """
    first = stack(manifest)
    assert run_devenv("deploy", "--swarm", cwd=first).code == 0
    before = services(swarm_manager, unique_name)["app"]
    copy = tmp_path / "second-worktree" / unique_name
    copy.mkdir(parents=True)
    (copy / "devenv.toml").write_text((first / "devenv.toml").read_text().replace('"sleep", "3600"', '"sleep", "7200"'))
    for args in (("deploy", "--swarm"), ("deploy", "--swarm", "--down", "--volumes")):
        refused = run_devenv(*args, cwd=copy)
        assert refused.code == 2, refused.output
        assert f"stack service {unique_name}_app: it belongs to project {unique_name!r} in {first.resolve()}" in \
            refused.err and "Traceback" not in refused.err
    after = services(swarm_manager, unique_name)["app"]
    assert after["ID"] == before["ID"] and after["Spec"] == before["Spec"]  # untouched
    assert swarm_manager.volumes.list(filters={"name": f"{unique_name}_data"})
