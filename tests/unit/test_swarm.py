"""The pure part of `devenv deploy --swarm`: service → ServiceSpec, hashes, the redeploy plan,
task progress; and the command's usage errors, which come before any engine is asked."""

from __future__ import annotations

from devenv.core.spec import digest
from devenv.export import swarm
from devenv.manifest.load import load_project
from tests.conftest import run_devenv
from tests.fakes import FakeEngine

MANIFEST = """
[project]
name = "shop"

[services.db]
image = "postgres:16"
env = { POSTGRES_PASSWORD = "dev" }
mounts = ["pgdata:/var/lib/postgresql/data", "./init:/docker-entrypoint-initdb.d:ro"]
healthcheck = { test = "pg_isready", interval = "1s", timeout = "2s", retries = 5, start_period = "500ms" }
restart = "always"
stop_timeout = "3s"
stop_signal = "int"
ports = ["127.0.0.1:15432:5432"]

[services.web]
image = "localhost:5000/shop/web:dev"
entrypoint = ["/entry"]
command = "serve --port 8000"
workdir = "/app"
user = "1000:1000"
ports = ["8000", "9000/udp"]
scale = 2
provision = ["make deps"]

[[services.web.watch]]
paths = ["src/**"]
action = "restart"
"""


def load(make_project, text: str = MANIFEST):
    root = make_project({"devenv.toml": text})
    return load_project(directory=root)


def test_api_spec_maps_every_field(make_project):
    project = load(make_project)
    services = project.manifest.services
    labels = swarm.service_labels("shop", "/src/shop")
    web = swarm.api_spec("shop", "web", swarm.stack_spec(project, "web", services["web"], "reg/web@sha256:ab"),
                         labels)
    assert web["Name"] == "shop_web"
    container = web["TaskTemplate"]["ContainerSpec"]
    # Swarm's Command replaces ENTRYPOINT and Args the CMD
    assert container["Command"] == ["/entry"] and container["Args"] == ["serve", "--port", "8000"]
    assert container["Image"] == "reg/web@sha256:ab" and container["Dir"] == "/app" and container["User"] == "1000:1000"
    assert container["Init"] is True and container["Mounts"] == []
    assert web["Mode"] == {"Replicated": {"Replicas": 2}}
    assert web["EndpointSpec"]["Ports"] == [
        {"Protocol": "tcp", "TargetPort": 8000, "PublishMode": "ingress"},
        {"Protocol": "udp", "TargetPort": 9000, "PublishMode": "ingress"}]
    assert web["TaskTemplate"]["Networks"] == [{"Target": "shop_swarm", "Aliases": ["web"]}]
    assert web["TaskTemplate"]["RestartPolicy"]["Condition"] == "none"  # restart = "no" carries over
    for key, value in {"com.docker.stack.namespace": "shop", "dev.devenv.project": "shop",
                       "dev.devenv.role": "swarm", "dev.devenv.service": "web"}.items():
        assert web["Labels"][key] == value and container["Labels"][key] == value

    db = swarm.api_spec("shop", "db", swarm.stack_spec(project, "db", services["db"], "postgres@sha256:cd"), labels)
    container = db["TaskTemplate"]["ContainerSpec"]
    assert "Command" not in container and "Args" not in container
    assert container["Env"] == ["POSTGRES_PASSWORD=dev"]
    assert container["Mounts"] == [{"Type": "volume", "Source": "shop_pgdata", "Target": "/var/lib/postgresql/data",
                                    "ReadOnly": False, "VolumeOptions": {"Labels": swarm.stack_labels("shop")}}]
    assert container["Healthcheck"] == {"Test": ["CMD-SHELL", "pg_isready"], "Interval": 1_000_000_000,
                                        "Timeout": 2_000_000_000, "Retries": 5, "StartPeriod": 500_000_000}
    assert container["StopGracePeriod"] == 3_000_000_000 and container["StopSignal"] == "SIGINT"
    assert db["TaskTemplate"]["RestartPolicy"]["Condition"] == "any"
    # a fixed host port is published on the ingress (every node; no host address on a swarm)
    assert db["EndpointSpec"]["Ports"] == [{"Protocol": "tcp", "TargetPort": 5432, "PublishMode": "ingress",
                                            "PublishedPort": 15432}]


def test_cluster_meaningless_parts_are_named(make_project):
    services = load(make_project).manifest.services
    notes = swarm.dropped(services)
    assert any("db: dropped bind mount ./init:/docker-entrypoint-initdb.d" in n for n in notes)
    assert any("web: dropped 1 watch rule and provision steps" in n for n in notes)


def test_scaling_changes_the_service_but_not_its_tasks(make_project):
    project = load(make_project)
    svc = project.manifest.services["web"]
    spec = swarm.stack_spec(project, "web", svc, "img@sha256:1")
    scaled = {**spec, "replicas": 5}
    assert digest(spec) != digest(scaled) and swarm.task_hash(spec) == swarm.task_hash(scaled)
    assert swarm.task_hash({**spec, "env": {"A": "1"}}) != swarm.task_hash(spec)


def deployed(name: str, spec: dict) -> swarm.Deployed:
    return swarm.Deployed(id=f"id-{name}", service=name, version=7, spec_hash=digest(spec), spec=spec)


def test_plan_updates_only_what_changed_and_says_why(make_project):
    project = load(make_project)
    services = project.manifest.services
    specs = {n: swarm.stack_spec(project, n, s, f"{n}@sha256:1") for n, s in services.items()}
    changed = {**specs, "web": {**specs["web"], "env": {"DEBUG": "1"}, "replicas": 3}}
    old = [deployed("db", specs["db"]), deployed("web", specs["web"]), deployed("gone", specs["db"])]
    plan = swarm.plan_stack(changed, old)
    kinds = {s.service: s.kind for s in plan.steps}
    assert kinds == {"db": "noop", "web": "update", "gone": "remove"}
    web = next(s for s in plan.steps if s.service == "web")
    assert 'env.DEBUG: added "1"' in web.reasons and "scale: 2 → 3" in web.reasons
    assert swarm.plan_stack(specs, old[:2]).is_noop
    assert [s.kind for s in swarm.plan_stack(specs, []).steps] == ["create", "create"]


def test_task_progress_counts_only_tasks_of_the_new_spec(make_project):
    project = load(make_project)
    spec = swarm.stack_spec(project, "web", project.manifest.services["web"], "img@sha256:1")
    new, old = swarm.task_hash(spec), swarm.task_hash({**spec, "env": {"X": "0"}})

    def task(h, state, desired="running", err=None, at="1"):
        return {"ID": f"{h[:4]}-{state}-{desired}", "Spec": {"ContainerSpec": {"Labels": {swarm.L_TASK_HASH: h}}},
                "DesiredState": desired, "Status": {"State": state, "Err": err}, "UpdatedAt": at}

    tasks = [task(new, "running"), task(old, "running"), task(new, "running", desired="shutdown"),
             task(new, "rejected", desired="shutdown", err="No such image: img", at="2"), task(new, "starting")]
    running, errors = swarm.task_progress(tasks, spec)
    assert running == {f"{new[:4]}-running-running"} and errors == ["No such image: img"]


def test_deploy_usage_errors_need_no_engine(make_project):
    root = make_project({"devenv.toml": '[services.api]\nbuild = "."\n[services.db]\nimage = "postgres:16"\n',
                         "Dockerfile": "FROM scratch\n"})
    no_target = run_devenv("deploy", cwd=root)
    assert no_target.code == 2 and "--swarm" in no_target.err
    lone_volumes = run_devenv("deploy", "--swarm", "--volumes", cwd=root)
    assert lone_volumes.code == 2 and "--volumes goes with --down" in lone_volumes.err
    # a build without an image to push to cannot go to a cluster: named, before the engine is asked
    build_only = run_devenv("deploy", "--swarm", cwd=root, env={"DOCKER_HOST": "unix:///nonexistent.sock"})
    assert build_only.code == 2, build_only.output
    assert "service api only builds an image" in build_only.err and "Traceback" not in build_only.err


def test_only_a_swarm_manager_can_deploy():
    import pytest

    from devenv.cli.commands.deploy import _manager
    from devenv.errors import UsageError

    with pytest.raises(UsageError, match="not part of a swarm") as raised:
        _manager(FakeEngine(swarm={"LocalNodeState": "inactive"}))
    assert "docker swarm init" in raised.value.hint
    with pytest.raises(UsageError, match="swarm worker"):
        _manager(FakeEngine(swarm={"LocalNodeState": "active", "ControlAvailable": False}))
    _manager(FakeEngine(swarm={"LocalNodeState": "active", "ControlAvailable": True}))


def test_an_update_out_of_sequence_is_retried_with_the_current_version():
    from types import SimpleNamespace

    from devenv.cli.commands.deploy import _update

    engine = FakeEngine()
    service_id = engine.create_service({"Name": "shop_web", "Labels": swarm.service_labels("shop") | {
        "dev.devenv.service": "web"}})
    for _ in range(8):  # the swarm moved the service to version 9 since devenv read version 7
        engine.swarm_services[service_id]["Version"]["Index"] += 1
    _update(engine, SimpleNamespace(name="shop"), swarm.Deployed(service_id, "web", 7, "h", None),
            {"Name": "shop_web"})
    assert engine.called("update_service") == ["7", "9"]


def test_a_local_tag_the_swarm_pulled_since_is_no_change_but_new_content_is(make_project):
    """The swarm pulls a tag for its tasks (through a mirror, if one holds it): the local image
    then has a registry digest. Same content, same reference; changed content, a new one."""
    from devenv.cli.commands.deploy import _image_refs

    project = load(make_project)
    services = {"db": project.manifest.services["db"]}
    engine = FakeEngine(images={"postgres:16": {"Id": "sha256:aaa", "RepoDigests": []}})
    first_ids: dict[str, str] = {}
    first = _image_refs(project, engine, services, lock=None, push=False, dry_run=False, deployed={},
                        local_ids=first_ids)
    assert first == {"db": "postgres:16"} and first_ids == {"db": "sha256:aaa"}
    spec = swarm.stack_spec(project, "db", services["db"], first["db"])
    api = swarm.api_spec("shop", "db", spec, swarm.service_labels("shop"), image_id=first_ids["db"])
    was = swarm.Deployed.from_api({"ID": "s1", "Version": {"Index": 3}, "Spec": api})
    assert was.image == "postgres:16" and was.image_id == "sha256:aaa"

    # the swarm's pull: the same image, now known to the registry
    engine.images["postgres:16"]["RepoDigests"] = ["postgres@sha256:ddd"]
    engine.registry["postgres:16"] = "sha256:ddd"
    again_ids: dict[str, str] = {}
    again = _image_refs(project, engine, services, lock=None, push=False, dry_run=False, deployed={"db": was},
                        local_ids=again_ids)
    assert again == first and again_ids == first_ids

    # new content under the tag: the registry's digest, and no local ID recorded
    engine.images["postgres:16"] = {"Id": "sha256:bbb", "RepoDigests": ["postgres@sha256:eee"]}
    engine.registry["postgres:16"] = "sha256:eee"
    moved_ids: dict[str, str] = {}
    moved = _image_refs(project, engine, services, lock=None, push=False, dry_run=False, deployed={"db": was},
                        local_ids=moved_ids)
    assert moved == {"db": "postgres@sha256:eee"} and moved_ids == {}
