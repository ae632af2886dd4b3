"""Convergence through the FakeEngine: health gates, `down` order, dead containers, partial
failures. Real manifests are loaded and planned; only the engine is in memory (the same flows
run against the real engine in tests/e2e/test_up.py)."""

from __future__ import annotations

import time

import pytest

from devenv.converge.converger import Converger, condition_met, depends_on, down, stop_timeout
from devenv.core.plan import Observed
from devenv.errors import DevenvError, EngineUnavailable, ServiceFailed
from devenv.manifest.load import Project, load_project
from tests.fakes import FakeEngine, converge, replan

IMAGE = "localhost:5000/busybox:1"
HEALTHY_DB = f"""
[services.db]
image = "{IMAGE}"
healthcheck = {{ test = "true", interval = "1s" }}
"""
WEB_NEEDS_HEALTHY_DB = HEALTHY_DB + f"""
[services.web]
image = "{IMAGE}"
depends_on = {{ db = "healthy" }}
"""


def engine_with_image() -> FakeEngine:
    return FakeEngine(registry={IMAGE: "sha256:" + "b" * 64})


def load(make_project, manifest: str) -> Project:
    return load_project(directory=make_project({"devenv.toml": '[project]\nname = "p"\n' + manifest}), environ={})


def container_calls(engine: FakeEngine) -> list[tuple[str, str]]:
    """The calls that touch containers (not the network and volumes every apply ensures)."""
    return [(op, target) for op, target in engine.calls if op not in ("ensure_network", "ensure_volume")]


def observed(state: str, health: str | None = None, exit_code: int | None = None) -> Observed:
    return Observed(id="c1", name="p-db-1", service="db", replica=1, state=state, spec_hash="h",
                    health=health, exit_code=exit_code)


# -- health gates ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("container", "condition", "verdict"), [
    (observed("running", "starting"), "healthy", None),  # "starting" is not healthy: keep waiting
    (observed("running", "healthy"), "healthy", True),
    (observed("running", None), "healthy", True),  # no healthcheck: running is as healthy as it gets
    (observed("running", "unhealthy"), "healthy", "is unhealthy"),
    (observed("running", "starting"), "started", True),
    (observed("created"), "started", None),
    (observed("exited", exit_code=2), "started", "exited with code 2"),
    (observed("dead"), "healthy", "is dead"),
    (observed("running"), "completed", None),
    (observed("exited", exit_code=0), "completed", True),
    (observed("exited", exit_code=1), "completed", "exited with code 1"),
])
def test_condition_met(container, condition, verdict):
    assert condition_met([container], condition, 1) == verdict


def test_condition_met_waits_for_every_replica():
    assert condition_met([observed("running")], "started", 2) is None
    assert condition_met([], "started", 0) is True
    both = [observed("running", "healthy"), observed("running", "starting")]
    assert condition_met(both, "healthy", 2) is None


class Recording(FakeEngine):
    """Notes the health of the db container at the moment web is created."""

    db_health_when_web_created: str | None = "not created"

    def create(self, *, name: str, spec: dict, labels: dict, network: str, command: list[str] | None = None,
               auto_remove: bool = False, tty: bool = False, stdin: bool = False) -> str:
        if name == "p-web-1":
            self.db_health_when_web_created = self.container("p-db-1").health
        return super().create(name=name, spec=spec, labels=labels, network=network, command=command,
                              auto_remove=auto_remove, tty=tty, stdin=stdin)


def test_a_dependent_waits_until_its_dependency_is_healthy_not_merely_starting(make_project):
    project = load(make_project, WEB_NEEDS_HEALTHY_DB)
    engine = Recording(registry={IMAGE: "sha256:" + "b" * 64})
    engine.health["db"] = ["starting", "starting", "starting", "healthy"]
    converge(project, engine)
    assert engine.db_health_when_web_created == "healthy"
    assert engine.called("start") == ["p-db-1", "p-web-1"]


def test_a_dependency_that_stays_starting_fails_the_dependent_without_starting_it(make_project):
    project = load(make_project, WEB_NEEDS_HEALTHY_DB)
    engine = engine_with_image()
    engine.health["db"] = ["starting"]
    with pytest.raises(ServiceFailed, match=r"service db: not healthy after 0\.3s$"):  # not "after 0s"
        converge(project, engine, timeout=0.3)
    assert "p-web-1" not in engine.called("create")


def test_an_unhealthy_or_exited_dependency_fails_at_once_naming_who_needed_it(make_project):
    project = load(make_project, WEB_NEEDS_HEALTHY_DB)
    engine = engine_with_image()
    engine.health["db"] = ["starting", "unhealthy"]
    with pytest.raises(ServiceFailed, match=r"service db: is unhealthy \(web needs it healthy\)"):
        converge(project, engine, timeout=60)
    engine = engine_with_image()
    engine.exit_on_start["db"] = 3
    with pytest.raises(ServiceFailed, match=r"service db: exited with code 3"):
        converge(project, engine, timeout=60)
    assert "p-web-1" not in engine.called("create")


def test_a_pass_of_devenvs_own_check_is_healthy_while_the_engine_still_says_starting(make_project):
    project = load(make_project, WEB_NEEDS_HEALTHY_DB)
    engine = engine_with_image()
    engine.health["db"] = ["starting"]  # the engine's first check is an interval away
    engine.probe_passes = {"db"}
    converge(project, engine, timeout=5)
    assert engine.called("start") == ["p-db-1", "p-web-1"]
    assert set(engine.probed) == {"db"}  # only what is waited on healthy is checked


def test_a_pass_of_devenvs_own_check_does_not_overrule_the_engines_unhealthy(make_project):
    project = load(make_project, WEB_NEEDS_HEALTHY_DB)
    engine = engine_with_image()
    engine.health["db"] = ["unhealthy"]
    engine.probe_passes = {"db"}
    with pytest.raises(ServiceFailed, match=r"service db: is unhealthy"):
        converge(project, engine, timeout=5)


# -- down ---------------------------------------------------------------------------------------------

CHAIN = f"""
[services.db]
image = "{IMAGE}"
mounts = ["data:/data"]
[services.web]
image = "{IMAGE}"
depends_on = ["api"]
[services.api]
image = "{IMAGE}"
depends_on = ["db"]
[services.cache]
image = "{IMAGE}"
"""


def test_down_stops_dependents_before_what_they_depend_on(make_project):
    project = load(make_project, CHAIN)
    engine = engine_with_image()
    converge(project, engine)
    assert engine.called("start").index("p-db-1") < engine.called("start").index("p-api-1") \
        < engine.called("start").index("p-web-1")
    engine.calls.clear()
    down("p", engine, deps=depends_on(project))
    stops = engine.called("stop")
    assert sorted(stops) == ["p-api-1", "p-cache-1", "p-db-1", "p-web-1"]
    assert stops.index("p-web-1") < stops.index("p-api-1") < stops.index("p-db-1")
    assert engine.containers("p", role=None) == [] and engine.networks("p") == []
    assert [v["Name"] for v in engine.volumes("p")] == ["p.data"]  # kept without --volumes
    down("p", engine, volumes=True)
    assert engine.volumes("p") == []


def test_down_removes_stopped_containers_without_stopping_them(make_project):
    project = load(make_project, CHAIN)
    engine = engine_with_image()
    converge(project, engine)
    engine.container("p-db-1").state = "exited"
    engine.calls.clear()
    down("p", engine, deps=depends_on(project))
    assert "p-db-1" not in engine.called("stop") and "p-db-1" in engine.called("remove")


# -- dead, exited, changed ----------------------------------------------------------------------------

def test_a_dead_container_is_recreated_not_started(make_project):
    project = load(make_project, HEALTHY_DB)
    engine = engine_with_image()
    converge(project, engine)
    old = engine.container("p-db-1")
    old.state, old.health = "dead", None
    the_plan = replan(project, engine)
    assert the_plan.for_service("db").kind == "recreate"
    assert the_plan.for_service("db").reasons == ["container is dead"]
    engine.calls.clear()
    converge(project, engine)
    calls = container_calls(engine)
    # replace, never remove first: the replacement exists before the dead one goes. The names
    # swap while neither runs (a running rename breaks Docker 20.10's endpoint count), then it starts.
    (created,) = [target for op, target in calls if op == "create"]
    assert created.startswith("p-db-1.next-")
    assert [op for op, _ in calls] == ["create", "rename", "rename", "start", "remove"], calls
    assert calls[1][1].startswith("p-db-1.old-") and calls[2] == ("rename", "p-db-1")
    assert old.id not in engine.by_id
    assert replan(project, engine).is_noop


def test_an_exited_container_is_started_again_and_keeps_its_id(make_project):
    project = load(make_project, HEALTHY_DB)
    engine = engine_with_image()
    converge(project, engine)
    before = engine.container("p-db-1")
    before.state, before.exit_code = "exited", 0
    engine.calls.clear()
    converge(project, engine)
    assert engine.called("create") == [] and engine.called("start") == ["p-db-1"]
    assert engine.container("p-db-1").id == before.id


def test_a_running_container_with_a_changed_spec_is_stopped_removed_and_made_again(make_project):
    project = load(make_project, HEALTHY_DB)
    engine = engine_with_image()
    converge(project, engine)
    changed = load(make_project, HEALTHY_DB + 'workdir = "/srv"\n')
    engine.calls.clear()
    converge(changed, engine)
    calls = container_calls(engine)
    # the replacement is created before the running container is stopped, and only then removed
    ops = [op for op, _ in calls]
    assert ops == ["create", "stop", "rename", "rename", "start", "remove"], calls
    assert ("stop", "p-db-1") in calls and calls[3] == ("rename", "p-db-1")  # the old one stopped, parked
    assert engine.container("p-db-1").spec["workdir"] == "/srv"
    assert replan(changed, engine).is_noop and not replan(project, engine).is_noop


def test_converging_twice_is_a_noop(make_project):
    project = load(make_project, CHAIN)
    engine = engine_with_image()
    converge(project, engine)
    assert replan(project, engine).is_noop
    engine.calls.clear()
    converge(project, engine)
    assert container_calls(engine) == []


# -- partial failures ---------------------------------------------------------------------------------

def test_a_failure_skips_what_lies_downstream_and_lets_independent_services_run(make_project):
    project = load(make_project, CHAIN)
    engine = engine_with_image()
    engine.fail("start", "api", DevenvError("port is already allocated"))
    with pytest.raises(ServiceFailed, match="service api"):
        converge(project, engine)
    created = engine.called("create")
    assert "p-web-1" not in created  # behind the failure: never made
    assert {"p-db-1", "p-api-1", "p-cache-1"} <= set(created)
    assert engine.container("p-cache-1").state == "running"
    # the next `up` converges from what is left
    engine.failures.clear()
    converge(project, engine)
    assert replan(project, engine).is_noop


def test_a_failed_provision_fails_the_service_and_leaves_no_provision_container(make_project):
    project = load(make_project, f"""
[services.app]
image = "{IMAGE}"
provision = ["exit 4"]
[services.after]
image = "{IMAGE}"
depends_on = ["app"]
""")
    engine = engine_with_image()
    engine.exit_on_start["app:provision"] = 4
    with pytest.raises(ServiceFailed, match=r"service app: provision failed \(exit 4\)"):
        converge(project, engine)
    assert engine.containers("p", role="provision") == []
    assert "p-app-1" not in engine.called("create") and "p-after-1" not in engine.called("create")


def test_an_orphan_is_removed(make_project):
    project = load(make_project, CHAIN)
    engine = engine_with_image()
    converge(project, engine)
    engine.add_container("p-old-1", service="old", project="p")
    assert replan(project, engine).for_service("old").kind == "remove"
    converge(project, engine)
    assert [c.service for c in engine.containers("p")] == ["api", "cache", "db", "web"]


# -- what `up` and `down` tell the user -----------------------------------------------------------

class Told:
    """A reporter that keeps what it is told."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, str, str]] = []
        self.lines: list[str] = []

    def step(self, service: str, action: str, detail: str = "") -> None:
        self.steps.append((service, action, detail))

    def info(self, line: str) -> None:
        self.lines.append(line)

    def warn(self, message: str) -> None:
        self.lines.append(f"warning: {message}")


def up(project: Project, engine: FakeEngine, report: Told) -> Converger:
    """`converge` with a reporter: plan (reported too), then apply. Returns the converger."""
    import threading

    from devenv.converge.converger import make_plan
    from devenv.converge.images import resolve_images

    services = project.enabled_services()
    the_plan, desired = make_plan(project, engine, services, resolve_images(project, engine, services),
                                  report=report)
    converger = Converger(project, engine, desired, threading.Event(), timeout=5.0, report=report)
    converger.apply(the_plan)
    return converger


def test_up_names_each_service_left_behind_a_failure(make_project):
    project = load(make_project, CHAIN)
    engine = engine_with_image()
    engine.fail("start", "api", DevenvError("port is already allocated"))
    told = Told()
    with pytest.raises(ServiceFailed, match="service api"):
        up(project, engine, told)
    assert ("web", "skipped", "(waits on api)") in told.steps


def test_an_unknown_service_on_the_command_line_lists_the_real_ones(make_project):
    from devenv.converge.converger import select_services
    from devenv.errors import UsageError

    project = load(make_project, CHAIN)
    with pytest.raises(UsageError) as info:
        select_services(project, ["wbe", "db", "cahce"])
    assert info.value.message == "no service named wbe, cahce in devenv.toml (services: db, web, api, cache)"
    assert list(select_services(project, ["web"])) == ["db", "web", "api"]  # and what it depends on
    assert list(select_services(project, ["web"], no_deps=True)) == ["web"]


def test_a_network_made_from_another_folder_is_not_used(make_project):
    from devenv.converge.ownership import NotOurs
    from devenv.engine import client

    project = load(make_project, CHAIN)
    engine = engine_with_image()
    engine.network_list["p_default"] = {"Id": "n1", "Name": "p_default",
                                        "Labels": client.project_labels("p", "/elsewhere/p")}
    with pytest.raises(NotOurs) as info:
        converge(project, engine)
    assert info.value.message == (f"network p_default: it belongs to project 'p' in /elsewhere/p, not to "
                                  f"{project.root}; refusing to use it")


class PortTaken(FakeEngine):
    """Another project's container holds host port 8000: a new container that binds it cannot start."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.replacements: set[str] = set()  # made under a temporary name; renamed before they start

    def create(self, *, name: str, **kwargs) -> str:  # type: ignore[override]
        made = super().create(name=name, **kwargs)
        if ".next-" in name:
            self.replacements.add(made)
        return made

    def start(self, container_id: str, what: str) -> None:
        if container_id in self.replacements:
            raise DevenvError("driver failed programming external connectivity on endpoint: "
                              "Bind for 127.0.0.1:8000 failed: port is already allocated")
        super().start(container_id, what)

    def running_containers(self) -> list[dict]:
        return [{"Names": ["/shop-api-1"], "Ports": [{"PublicPort": 8000}],
                 "Labels": {"dev.devenv.project": "shop", "dev.devenv.service": "api"}}]


def test_a_replacement_that_cannot_bind_its_port_says_who_holds_it_and_the_old_one_runs_again(make_project):
    manifest = f'[services.web]\nimage = "{IMAGE}"\nports = ["8000:80"]\n'
    project = load(make_project, manifest)
    engine = PortTaken(registry={IMAGE: "sha256:" + "b" * 64})
    converge(project, engine)
    before = engine.container("p-web-1")
    changed = load(make_project, manifest + 'env = { MODE = "2" }\n')  # the same folder, a new spec
    with pytest.raises(ServiceFailed) as info:
        converge(changed, engine)
    assert info.value.message == ("service web: host port 127.0.0.1:8000 is already in use by project 'shop' "
                                  "(service api); the previous container p-web-1 was started again")
    assert info.value.hint == "fix it, then run `devenv up` again"
    assert engine.container("p-web-1").state == "running"
    assert [(c.name, c.id) for c in engine.containers("p")] == [("p-web-1", before.id)]  # its name back, alone


class RefusesToPark(FakeEngine):
    """An engine that will not rename the old container: a dead one may refuse (the default),
    or the engine goes away just then."""

    def __init__(self, refusal: DevenvError | None = None) -> None:
        super().__init__(registry={IMAGE: "sha256:" + "b" * 64})
        self.refusal = refusal or DevenvError("cannot rename container: it is marked for removal")

    def rename(self, container_id: str, name: str) -> None:
        if ".old-" in name:
            raise self.refusal
        super().rename(container_id, name)


def test_an_old_container_that_cannot_be_parked_is_replaced_and_the_replacement_renamed_once_it_runs(make_project):
    project = load(make_project, HEALTHY_DB)
    engine = RefusesToPark()
    converge(project, engine)
    engine.calls.clear()
    converge(load(make_project, HEALTHY_DB + 'workdir = "/srv"\n'), engine)
    assert [op for op, _ in container_calls(engine)] == ["create", "stop", "start", "remove", "rename"]
    assert engine.container("p-db-1").spec["workdir"] == "/srv" and engine.container("p-db-1").state == "running"


def test_an_engine_lost_while_parking_the_old_container_ends_the_recreate_there(make_project):
    project = load(make_project, HEALTHY_DB)
    engine = RefusesToPark(EngineUnavailable("cannot reach the Docker engine (fake: gone while parking)"))
    converge(project, engine)
    engine.calls.clear()
    with pytest.raises(EngineUnavailable):  # exit 3; not taken for "a dead container refused the rename"
        converge(load(make_project, HEALTHY_DB + 'workdir = "/srv"\n'), engine)
    assert [op for op, _ in container_calls(engine)] == ["create", "stop"]  # nothing started, nothing removed


def test_an_engine_lost_while_the_replacement_starts_is_an_engine_failure_and_the_old_keeps_its_name(make_project):
    project = load(make_project, HEALTHY_DB)
    engine = engine_with_image()
    converge(project, engine)
    old = engine.container("p-db-1")
    engine.fail("start", "db", EngineUnavailable("cannot reach the Docker engine (fake: gone while starting)"))
    with pytest.raises(EngineUnavailable):  # exit 3, not a service failure (exit 1)
        converge(load(make_project, HEALTHY_DB + 'workdir = "/srv"\n'), engine)
    assert [(c.name, c.id) for c in engine.containers("p")] == [("p-db-1", old.id)]


def test_a_replacement_that_dies_at_once_fails_up(make_project):
    manifest = f'[services.db]\nimage = "{IMAGE}"\n'
    engine = engine_with_image()
    up(load(make_project, manifest), engine, Told())
    engine.exit_on_start["db"] = 3
    converger = up(load(make_project, manifest + 'workdir = "/srv"\n'), engine, Told())
    with pytest.raises(ServiceFailed, match=r"^service db: exited with code 3 during start-up$"):
        converger.check_started(window=0)


@pytest.mark.parametrize(("labels", "holder"), [
    ({"dev.devenv.project": "shop", "dev.devenv.service": "api"}, "project 'shop' (service api)"),
    ({"com.example": "x"}, "container nginx-1"),
])
def test_a_port_conflict_names_the_container_that_holds_the_port(labels, holder):
    from types import SimpleNamespace

    from devenv.converge.converger import port_conflict
    from devenv.core.plan import Desired

    engine = SimpleNamespace(running_containers=lambda: [
        {"Names": ["/other"], "Ports": [{"PublicPort": 9000}], "Labels": {}},
        {"Names": ["/nginx-1"], "Ports": [{"PrivatePort": 80}, {"PublicPort": 8080}], "Labels": labels}])
    want = Desired(name="web", scale=1, spec={}, spec_hash="h")  # type: ignore[typeddict-item]
    message = "Bind for 0.0.0.0:8080 failed: port is already allocated"
    assert port_conflict(engine, "web", want, message) == (  # type: ignore[arg-type]
        f"service web: host port 0.0.0.0:8080 is already in use by {holder}", None)
    assert port_conflict(engine, "web", want, "no such image") == ("service web: no such image", None)  # type: ignore[arg-type]


def test_a_port_held_by_this_folders_project_under_its_former_name_says_how_to_stop_it():
    """`[project] name` changed while the old containers ran: they hold the port."""
    from types import SimpleNamespace

    from devenv.converge.converger import port_conflict
    from devenv.core.plan import Desired

    labels = {"dev.devenv.project": "shop", "dev.devenv.service": "web", "dev.devenv.root": "/src/shop"}
    engine = SimpleNamespace(running_containers=lambda: [
        {"Names": ["/shop-web-1"], "Ports": [{"PublicPort": 8080}], "Labels": labels}])
    want = Desired(name="web", scale=1, spec={}, spec_hash="h")  # type: ignore[typeddict-item]
    message = "Bind for 127.0.0.1:8080 failed: port is already allocated"
    text, hint = port_conflict(engine, "web", want, message, project="shop-v2", root="/src/shop")  # type: ignore[arg-type]
    assert text == "service web: host port 127.0.0.1:8080 is already in use by project 'shop' (service web)"
    assert hint == "that is this folder's project under its former name: `devenv -p shop down` stops it"
    assert port_conflict(engine, "web", want, message, project="shop-v2", root="/src/other")[1] is None  # type: ignore[arg-type]
    assert port_conflict(engine, "web", want, message, project="shop", root="/src/shop")[1] is None  # type: ignore[arg-type]


class Specs(FakeEngine):
    """Keeps the spec and command of every container made, provision runs included (they are
    removed after)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.made: dict[str, dict] = {}
        self.commands: dict[str, list[str] | None] = {}

    def create(self, *, name: str, spec: dict, labels: dict, network: str, command: list[str] | None = None,
               auto_remove: bool = False, tty: bool = False, stdin: bool = False) -> str:
        self.made[name] = spec
        self.commands[name] = command
        return super().create(name=name, spec=spec, labels=labels, network=network, command=command,
                              auto_remove=auto_remove, tty=tty, stdin=stdin)


def test_a_provision_run_publishes_no_port_and_is_not_restarted(make_project):
    """It runs while the service's old container may still hold the service's host ports."""
    project = load(make_project, f'[services.app]\nimage = "{IMAGE}"\nports = ["8000:80"]\nrestart = "always"\n'
                                 'provision = ["echo ready"]\nhealthcheck = { test = "true" }\n')
    engine = Specs(registry={IMAGE: "sha256:" + "b" * 64})
    converge(project, engine)
    run = engine.made["p-app-1-provision"]
    assert (run["ports"], run["healthcheck"], run["restart"], run["entrypoint"]) == ([], None, "no", ["sh", "-c"])
    assert engine.made["p-app-1"]["ports"] == ["127.0.0.1:8000:80/tcp"]


def test_down_says_what_it_removes_and_which_volumes_it_keeps(make_project):
    project = load(make_project, CHAIN)
    engine = engine_with_image()
    converge(project, engine)
    engine.add_container("p-old-1", service="old", project="p")  # in no dependency table: stopped first
    told = Told()
    down("p", engine, deps=depends_on(project), report=told)
    assert engine.containers("p", role=None) == []
    assert ("old", "remove", "p-old-1") in told.steps and ("db", "remove", "p-db-1") in told.steps
    assert told.lines == ["kept volumes: p.data (`devenv down --volumes` removes them)"]
    told = Told()
    down("p", engine, volumes=True, report=told)
    assert told.steps == [("volume", "remove", "p.data")]


def test_up_reports_each_service_and_what_it_did(make_project):
    project = load(make_project, f'[services.app]\nimage = "{IMAGE}"\nprovision = ["echo one", "echo two"]\n'
                                 f'[services.db]\nimage = "{IMAGE}"\n')
    engine = Specs(registry={IMAGE: "sha256:" + "b" * 64})
    told = Told()
    converger = up(project, engine, told)
    assert sorted((service, action) for service, action, _ in told.steps) == [
        ("app", "create"), ("app", "provision"), ("app", "provision"), ("db", "create")]
    assert ("app", "provision", "2 step(s)") in told.steps
    assert next(d for s, a, d in told.steps if (s, a) == ("db", "create")).startswith("not created yet")
    assert engine.commands["p-app-1-provision"] == ["set -e\necho one\necho two"]  # one script, stops at a failure
    assert sorted(converger.started) == [("app", engine.container("p-app-1").id), ("db", engine.container("p-db-1").id)]
    told = Told()
    up(load(make_project, f'[services.app]\nimage = "{IMAGE}"\nprovision = ["echo one", "echo two"]\n'
                          f'[services.db]\nimage = "{IMAGE}"\nenv = {{ A = "1" }}\n'), engine, told)
    assert [(service, action) for service, action, _ in told.steps] == [("db", "recreate")]


def test_a_container_that_dies_at_start_fails_up(make_project):
    project = load(make_project, f'[services.db]\nimage = "{IMAGE}"\n')
    engine = engine_with_image()
    engine.exit_on_start["db"] = 3
    converger = up(project, engine, Told())
    with pytest.raises(ServiceFailed, match=r"service db: exited with code 3 during start-up"):
        converger.check_started(window=0)


class Clock:
    """Stands in for the converger's `time`: `sleep` moves the clock, nothing waits."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds


def counting_inspects(engine: FakeEngine) -> list[str]:
    seen: list[str] = []
    real = engine.inspect

    def inspect(container_id: str) -> dict:
        seen.append(container_id)
        return real(container_id)

    engine.inspect = inspect  # type: ignore[method-assign]
    return seen


def test_a_death_inside_the_window_fails_up_before_the_window_ends(make_project, monkeypatch):
    import devenv.converge.converger as converger_module

    project = load(make_project, f'[services.db]\nimage = "{IMAGE}"\n[services.web]\nimage = "{IMAGE}"\n')
    engine = engine_with_image()
    engine.exit_on_start["db"] = 3
    converger = up(project, engine, Told())
    clock = Clock()
    monkeypatch.setattr(converger_module, "time", clock)
    converger.last_start = clock.now
    with pytest.raises(ServiceFailed, match=r"service db: exited with code 3 during start-up"):
        converger.check_started(window=60)
    assert clock.slept == 0  # the first look saw it


def test_the_window_lists_once_per_look_and_inspects_each_container_once_at_its_end(make_project, monkeypatch):
    import devenv.converge.converger as converger_module

    project = load(make_project, "".join(f'[services.s{i}]\nimage = "{IMAGE}"\n' for i in range(5)))
    engine = engine_with_image()
    converger = up(project, engine, Told())
    clock = Clock()
    monkeypatch.setattr(converger_module, "time", clock)
    converger.last_start = clock.now
    inspected = counting_inspects(engine)
    converger.check_started(window=1.0)
    assert 0.9 <= clock.slept <= 1.1  # it watched the whole window
    assert sorted(inspected) == sorted(cid for _, cid in converger.started)  # running: only the closing look


@pytest.mark.parametrize("health", [True, False])
def test_the_window_runs_the_started_containers_checks_only_when_health_is_waited_on_next(
        make_project, monkeypatch, health):
    import devenv.converge.converger as converger_module

    project = load(make_project, HEALTHY_DB + f'[services.web]\nimage = "{IMAGE}"\n')
    engine = engine_with_image()
    converger = up(project, engine, Told())
    converger.started = [(s, cid) for s, cid in converger.started if s == "web"]  # only web started by this run
    clock = Clock()
    monkeypatch.setattr(converger_module, "time", clock)
    converger.last_start = clock.now
    engine.probed.clear()
    converger.check_started(window=1.0, health=health)
    assert set(engine.probed) == ({"web"} if health else set())


def test_a_restart_inside_the_window_is_caught_by_the_closing_look(make_project, monkeypatch):
    import devenv.converge.converger as converger_module

    project = load(make_project, f'[services.db]\nimage = "{IMAGE}"\n')
    engine = engine_with_image()
    converger = up(project, engine, Told())
    clock = Clock()
    monkeypatch.setattr(converger_module, "time", clock)
    converger.last_start = clock.now
    real = engine.inspect

    def restarted(container_id: str) -> dict:  # died and came back: running, with a restart count
        return {**real(container_id), "RestartCount": 1}

    engine.inspect = restarted  # type: ignore[method-assign]
    with pytest.raises(ServiceFailed, match=r"service db: restarted 1 time during start-up"):
        converger.check_started(window=1.0)


def test_a_container_the_engine_restarts_inside_the_window_fails_up_at_the_first_look(make_project, monkeypatch):
    import devenv.converge.converger as converger_module

    project = load(make_project, f'[services.db]\nimage = "{IMAGE}"\n')
    engine = engine_with_image()
    converger = up(project, engine, Told())
    engine.container("p-db-1").state = "restarting"  # its restart policy is bringing it back
    clock = Clock()
    monkeypatch.setattr(converger_module, "time", clock)
    converger.last_start = clock.now
    with pytest.raises(ServiceFailed, match=r"^service db: restarted 1 time during start-up$"):
        converger.check_started(window=60)
    assert clock.slept == 0  # not only at the window's end


def test_waiting_on_every_service_lists_once_per_look(make_project, monkeypatch):
    import devenv.converge.converger as converger_module

    hc = '[services.{0}.healthcheck]\ntest = "true"\n'
    project = load(make_project, "".join(f'[services.s{i}]\nimage = "{IMAGE}"\n' + hc.format(f"s{i}")
                                          for i in range(6)))
    engine = engine_with_image()
    for i in range(6):  # s0 healthy at the first look, s5 only at the sixth
        engine.health[f"s{i}"] = ["starting"] * i + ["healthy"]
    converger = up(project, engine, Told())
    monkeypatch.setattr(converger_module, "time", Clock())
    looks = []
    real = engine.containers
    engine.containers = lambda *a, **k: looks.append(1) or real(*a, **k)  # type: ignore[method-assign]
    converger.wait_for_all({f"s{i}": "healthy" for i in range(6)})
    assert len(looks) == 6  # one list call per look for all six, not one per service
    assert all(c.health == "healthy" for c in real("p"))


def test_waiting_fails_on_an_unhealthy_service_while_others_still_start(make_project, monkeypatch):
    import devenv.converge.converger as converger_module

    hc = '[services.{0}.healthcheck]\ntest = "true"\n'
    project = load(make_project, "".join(f'[services.{n}]\nimage = "{IMAGE}"\n' + hc.format(n) for n in ("a", "b")))
    engine = engine_with_image()
    engine.health["a"] = ["starting"]  # never healthy
    engine.health["b"] = ["unhealthy"]
    converger = up(project, engine, Told())
    monkeypatch.setattr(converger_module, "time", Clock())
    with pytest.raises(ServiceFailed, match=r"service b: is unhealthy"):
        converger.wait_for_all({"a": "healthy", "b": "healthy"})


def test_waiting_gives_up_after_the_timeout_naming_a_service_not_ready(make_project, monkeypatch):
    import devenv.converge.converger as converger_module

    hc = '[services.a.healthcheck]\ntest = "true"\n'
    project = load(make_project, f'[services.a]\nimage = "{IMAGE}"\n' + hc)
    engine = engine_with_image()
    engine.health["a"] = ["starting"]
    converger = up(project, engine, Told())
    clock = Clock()
    monkeypatch.setattr(converger_module, "time", clock)
    converger.timeout = 30
    with pytest.raises(ServiceFailed, match=r"service a: not healthy after 30s"):
        converger.wait_for_all({"a": "healthy"})
    assert 30 <= clock.slept <= 30.2


def test_a_leftover_provision_container_is_replaced(make_project):
    project = load(make_project, f'[services.app]\nimage = "{IMAGE}"\nprovision = ["true"]\n')
    engine = engine_with_image()
    engine.ensure_network("p_default", {})
    engine.add_container("p-app-1-provision", service="app", project="p", role="provision", state="exited")
    converge(project, engine)
    assert engine.containers("p", role="provision") == [] and engine.container("p-app-1").state == "running"


class Logs(FakeEngine):
    """Every container's output is one line that names it."""

    def log_tail(self, container_id: str, lines: int = 20) -> str:
        return f"last words of {self._get(container_id).name}"


def test_a_failure_carries_the_output_and_what_to_do(make_project):
    project = load(make_project, f'[services.app]\nimage = "{IMAGE}"\nprovision = ["exit 4"]\n')
    engine = Logs(registry={IMAGE: "sha256:" + "b" * 64})
    engine.exit_on_start["app:provision"] = 4
    with pytest.raises(ServiceFailed) as info:
        converge(project, engine)
    assert info.value.details == "last words of p-app-1-provision"
    assert info.value.hint == "fix the provision steps, then run `devenv up` again"
    project = load(make_project, HEALTHY_DB + f'[services.web]\nimage = "{IMAGE}"\ndepends_on = {{ db = "healthy" }}\n')
    engine = Logs(registry={IMAGE: "sha256:" + "b" * 64})
    engine.health["db"] = ["unhealthy"]
    with pytest.raises(ServiceFailed) as info:
        converge(project, engine)
    assert info.value.details == "last words of p-db-1"
    assert info.value.hint == "`devenv logs db` shows its output"


class CreateFails(FakeEngine):
    def create(self, *, name: str, spec: dict, labels: dict, network: str, command: list[str] | None = None,
               auto_remove: bool = False, tty: bool = False, stdin: bool = False) -> str:
        if ".next-" in name:
            raise DevenvError("invalid mount config for type bind: bind source path does not exist")
        return super().create(name=name, spec=spec, labels=labels, network=network, command=command,
                              auto_remove=auto_remove, tty=tty, stdin=stdin)


def test_a_replacement_that_cannot_be_created_leaves_the_current_container_running(make_project):
    project = load(make_project, f'[services.web]\nimage = "{IMAGE}"\n')
    engine = CreateFails(registry={IMAGE: "sha256:" + "b" * 64})
    converge(project, engine)
    with pytest.raises(ServiceFailed) as info:
        converge(load(make_project, f'[services.web]\nimage = "{IMAGE}"\nworkdir = "/srv"\n'), engine)
    assert info.value.message == ("service web: cannot create its replacement: invalid mount config for type bind: "
                                  "bind source path does not exist; the current container p-web-1 keeps running")
    assert engine.container("p-web-1").state == "running"
    engine.stop(engine.container("p-web-1").id, 1)
    with pytest.raises(ServiceFailed, match=r"; the current container p-web-1 is kept$"):
        converge(load(make_project, f'[services.web]\nimage = "{IMAGE}"\nworkdir = "/srv"\n'), engine)


class BindMissing(FakeEngine):
    message = ""

    def create(self, *, name: str, spec: dict, labels: dict, network: str, command: list[str] | None = None,
               auto_remove: bool = False, tty: bool = False, stdin: bool = False) -> str:
        raise DevenvError(self.message)


@pytest.mark.parametrize("engine_says", [
    "invalid mount config for type \"bind\": bind source path does not exist: /src/my data",  # Docker
    "statfs /src/my data: no such file or directory",  # Podman
])
def test_a_missing_bind_source_is_named_with_the_cure(make_project, engine_says):
    engine = BindMissing(registry={IMAGE: "sha256:" + "b" * 64})
    engine.message = engine_says
    with pytest.raises(ServiceFailed) as info:
        converge(load(make_project, f'[services.web]\nimage = "{IMAGE}"\n'), engine)
    assert info.value.message == "service web: /src/my data, which it mounts, does not exist"  # a space is no end
    assert info.value.hint is not None and "mkdir -p '/src/my data'" in info.value.hint


def test_every_missing_bind_source_of_the_service_is_named_at_once_and_a_file_is_not_a_folder(make_project):
    root = make_project({"devenv.toml": f'[services.web]\nimage = "{IMAGE}"\n'
                                        'mounts = ["./data/db:/data", "./conf/app.yml:/etc/app.yml:ro", "./here:/h"]\n',
                         "here/.keep": ""})
    engine = BindMissing(registry={IMAGE: "sha256:" + "b" * 64})
    engine.message = f"bind source path does not exist: {root / 'data/db'}"
    with pytest.raises(ServiceFailed) as info:
        converge(load_project(directory=root, environ={}), engine)
    assert info.value.message == (f"service web: {root / 'data/db'} and {root / 'conf/app.yml'}, which it mounts, "
                                  "do not exist")
    hint = info.value.hint or ""
    assert f"mkdir -p {root / 'data/db'};" in hint and "put the file there" in hint


PROFILED = f"""
[services.web]
image = "{IMAGE}"
[services.debug]
image = "{IMAGE}"
profiles = ["debug"]
"""


def test_up_without_a_profile_leaves_that_profiles_running_containers_alone(make_project):
    root = make_project({"devenv.toml": '[project]\nname = "p"\n' + PROFILED})
    engine = engine_with_image()
    converge(load_project(directory=root, environ={}, profiles=frozenset({"debug"})), engine)
    plain = load_project(directory=root, environ={})
    assert replan(plain, engine).for_service("debug").kind == "disabled"
    converge(plain, engine)
    assert engine.container("p-debug-1").state == "running"


def test_a_volume_made_from_another_folder_after_the_plan_is_not_mounted(make_project):
    import threading

    from devenv.converge.converger import make_plan
    from devenv.converge.images import resolve_images
    from devenv.converge.ownership import NotOurs
    from devenv.engine import client

    project = load(make_project, CHAIN)
    engine = engine_with_image()
    services = project.enabled_services()
    the_plan, desired = make_plan(project, engine, services, resolve_images(project, engine, services))
    engine.volume_list["p.data"] = {"Name": "p.data", "Labels": client.project_labels("p", "/elsewhere/p")}
    with pytest.raises(NotOurs, match=r"^volume p\.data: it belongs to project 'p' in /elsewhere/p"):
        Converger(project, engine, desired, threading.Event()).apply(the_plan)


def test_an_old_volume_name_is_kept_and_said_so(make_project):
    from devenv.engine import client

    project = load(make_project, CHAIN)
    engine = engine_with_image()
    engine.volume_list["p_data"] = {"Name": "p_data", "Labels": {
        **client.project_labels("p", str(project.root)), client.L_VOLUME: "p_data"}}
    told = Told()
    up(project, engine, told)
    assert told.lines == ["volume p_data: kept under its old name (new volumes are named p.data; "
                          "`devenv down --volumes` still removes it)"]
    assert [m["source"] for m in engine.container("p-db-1").spec["mounts"]] == ["p_data"]


def test_down_from_another_folder_leaves_this_folders_network(make_project):
    project = load(make_project, CHAIN)
    engine = engine_with_image()
    converge(project, engine)
    told = Told()
    down("p", engine, root="/elsewhere/p", report=told)
    assert [n["Name"] for n in engine.networks("p")] == ["p_default"]
    assert (f"warning: network p_default: it belongs to project 'p' in {project.root}, "
            "not to /elsewhere/p; left alone") in told.lines


def test_down_from_another_folder_leaves_the_containers_of_a_folder_that_is_still_there(make_project, tmp_path):
    """`-p p down` from a second checkout: the first one's running containers are its own to
    take down. Once that folder is gone (a moved checkout), nobody else can: they go."""
    project = load(make_project, CHAIN)
    engine = engine_with_image()
    converge(project, engine)
    running = {c.name for c in engine.containers("p")}
    told = Told()
    down("p", engine, root=str(tmp_path / "second"), report=told)
    assert {c.name for c in engine.containers("p")} == running and not engine.called("stop")
    assert told.lines[0] == (f"warning: {len(running)} container(s) of project 'p' belong to {project.root}, "
                             f"not to {tmp_path / 'second'}; left alone "
                             f"(`devenv -C {project.root} down` takes them down)")
    moved = tmp_path / "moved"
    project.root.rename(moved)
    down("p", engine, root=str(tmp_path / "second"), report=Told())
    assert engine.containers("p") == []


def test_a_container_stops_with_the_grace_time_it_was_made_with():
    made = Observed(id="c", name="p-db-1", service="db", replica=1, state="running", spec_hash="h",
                    spec={"stop_timeout": 3.0})  # type: ignore[typeddict-item]
    assert stop_timeout(made) == 3.0
    assert stop_timeout(Observed(id="c", name="p-db-1", service="db", replica=1, state="running", spec_hash="h")) == 10


def test_the_port_holder_is_asked_of_the_system_when_the_engine_cannot_list(monkeypatch):
    from types import SimpleNamespace

    from devenv.converge import ports
    from devenv.converge.converger import port_holder

    def unlisted() -> list[dict]:
        raise DevenvError("cannot list containers")

    monkeypatch.setattr(ports, "process_listening_on", lambda port: f"process nginx (pid 7) on {port}")
    assert port_holder(SimpleNamespace(running_containers=unlisted), 8080) == "process nginx (pid 7) on 8080"  # type: ignore[arg-type]


def test_down_takes_only_its_own_project(make_project):
    project = load(make_project, CHAIN)
    engine = engine_with_image()
    converge(project, engine)
    engine.add_container("q-web-1", service="web", project="q")
    down("p", engine)
    assert [c.name for c in engine.containers(None, role=None)] == ["q-web-1"]


def test_an_interrupted_up_starts_nothing_new(make_project):
    import threading

    from devenv.converge.converger import make_plan
    from devenv.converge.images import resolve_images

    project = load(make_project, CHAIN)
    engine = engine_with_image()
    services = project.enabled_services()
    the_plan, desired = make_plan(project, engine, services, resolve_images(project, engine, services))
    stop = threading.Event()
    stop.set()  # Ctrl-C before the first service
    with pytest.raises(KeyboardInterrupt):
        Converger(project, engine, desired, stop).apply(the_plan)
    assert engine.called("create") == []


def test_a_container_the_engine_is_restarting_for_the_first_time_is_a_start_up_problem():
    from devenv.converge.converger import startup_problem

    assert startup_problem({"RestartCount": 0, "State": {"Status": "restarting", "Restarting": True,
                                                         "ExitCode": 3}}) == "restarted 1 time (last exit code 3)"
    assert startup_problem({"RestartCount": 2, "State": {"Status": "running", "Running": True}}) == "restarted 2 times"
    assert startup_problem({"RestartCount": 0, "State": {"Status": "exited", "ExitCode": 0}}) is None
    assert startup_problem({"RestartCount": 0, "State": {"Status": "running", "Running": True}}) is None


def test_a_spec_without_a_grace_time_stops_with_the_engines_default():
    made = Observed(id="c", name="p-db-1", service="db", replica=1, state="running", spec_hash="h",
                    spec={"image": "busybox"})  # type: ignore[typeddict-item]
    assert stop_timeout(made) == 10


@pytest.mark.parametrize("label, seconds", [
    (359999999996400.0, 3600.0), (10**30, 3600.0), (float("inf"), 3600.0), (-5, 0.0), (float("-inf"), 0.0),
    (float("nan"), 10.0), ("soon", 10.0), (None, 10.0), (True, 10.0), (2.5, 2.5),
])
def test_a_grace_time_label_an_older_devenv_wrote_unchecked_is_clamped(label, seconds):
    """The label outlives the manifest: `down` reads it, so it must stop whatever it says."""
    made = Observed(id="c", name="p-db-1", service="db", replica=1, state="running", spec_hash="h",
                    spec={"stop_timeout": label})  # type: ignore[typeddict-item]
    found = stop_timeout(made)
    assert found == seconds and type(found) is float


def test_down_with_a_timeout_stops_every_container_with_it(make_project, monkeypatch):
    project = load(make_project, CHAIN)
    engine = engine_with_image()
    converge(project, engine)
    timeouts = []
    monkeypatch.setattr(engine, "stop", lambda container_id, timeout: timeouts.append(timeout))
    down("p", engine, deps=depends_on(project), timeout=0)
    assert timeouts == [0, 0, 0, 0]


def test_down_of_a_routed_project_drops_its_routes(make_project, monkeypatch):
    from devenv.router import manager

    project = load(make_project, f'[services.web]\nimage = "{IMAGE}"\nhttp = 8000\n')
    engine = engine_with_image()
    synced = []
    monkeypatch.setattr(manager, "sync", lambda engine, report=None, **_: synced.append(report))
    converge(project, engine)
    synced.clear()
    told = Told()
    down("p", engine, report=told)
    assert synced == [told]  # with the reporter, so what the router does is said
    synced.clear()
    down("p", engine)  # nothing routed any more: the router is left alone
    assert synced == []


def test_down_names_a_volume_of_another_folder_it_leaves_alone(make_project):
    project = load(make_project, CHAIN)
    engine = engine_with_image()
    converge(project, engine)
    told = Told()
    down("p", engine, root="/elsewhere/p", report=told, volumes=True)
    assert f"warning: volume p.data: it belongs to project 'p' in {project.root}, not to /elsewhere/p; left alone" \
        in told.lines
    assert [v["Name"] for v in engine.volumes("p")] == ["p.data"]


def test_force_recreate_recreates_an_unchanged_service(make_project):
    from devenv.converge.converger import make_plan
    from devenv.converge.images import resolve_images

    project = load(make_project, HEALTHY_DB)
    engine = engine_with_image()
    converge(project, engine)
    services = project.enabled_services()
    images = resolve_images(project, engine, services, offline=True)
    assert make_plan(project, engine, services, images)[0].is_noop
    forced, _ = make_plan(project, engine, services, images, force_recreate=frozenset({"db"}))
    db = forced.for_service("db")
    assert db is not None and db.kind == "recreate" and "force-recreate" in " ".join(db.actions[0].reasons)


def test_a_network_the_engine_keeps_fails_down_at_the_end_after_the_volumes_went(make_project):
    project = load(make_project, CHAIN)
    engine = engine_with_image()
    converge(project, engine)
    [network] = engine.networks("p")
    engine.fail("remove_network", network["Id"], DevenvError(
        "cannot remove network: error while removing network: network p_default id 1 has active endpoints"))
    with pytest.raises(DevenvError) as raised:
        down("p", engine, volumes=True)
    assert raised.value.message.startswith("network p_default: cannot remove network") and \
        "docker network rm" in (raised.value.hint or "")
    assert engine.containers("p", role=None) == [] and engine.volumes("p") == []  # the rest was done


class SlowProvision(FakeEngine):
    """A provision that runs until its container is removed (a long `pip install`); the test
    learns when the wait has begun."""

    def __init__(self, **kwargs) -> None:
        import threading

        super().__init__(**kwargs)
        self.waiting = threading.Event()
        self.cut_short = False  # the wait ended because the container was removed under it

    def wait(self, container_id: str) -> int:
        self.waiting.set()
        deadline = time.monotonic() + 5  # then it "finishes" (exit 0), so a test without the halt fails, not hangs
        while container_id in self.by_id:
            if time.monotonic() > deadline:
                return 0
            time.sleep(0.01)
        self.cut_short = True
        return 137


def test_ctrl_c_during_a_provision_removes_its_container_and_keeps_the_running_service(make_project):
    """Stop was asked while the provision ran: its container goes at once, the wait ends, and
    neither the replacement nor anything after it is made; the old container keeps running."""
    import threading

    from devenv.converge.converger import make_plan
    from devenv.converge.images import resolve_images

    first = load(make_project, f'[services.app]\nimage = "{IMAGE}"\n[services.after]\nimage = "{IMAGE}"\n'
                               'depends_on = ["app"]\n')
    engine = SlowProvision(registry={IMAGE: "sha256:" + "b" * 64})
    converge(first, engine)
    running = engine.container("p-app-1").id
    project = load(make_project, f'[services.app]\nimage = "{IMAGE}"\nprovision = ["pip install -r r.txt"]\n'
                                 f'[services.after]\nimage = "{IMAGE}"\ndepends_on = ["app"]\n')
    services = project.enabled_services()
    the_plan, desired = make_plan(project, engine, services, resolve_images(project, engine, services))
    stop = threading.Event()
    threading.Thread(target=lambda: engine.waiting.wait(5) and stop.set(), daemon=True).start()
    made_before = len(engine.called("create"))
    with pytest.raises(KeyboardInterrupt):
        Converger(project, engine, desired, stop, timeout=5.0).apply(the_plan)
    assert engine.cut_short and engine.containers("p", role="provision") == []
    assert engine.container("p-app-1").id == running and engine.container("p-app-1").state == "running"
    assert engine.called("create")[made_before:] == ["p-app-1-provision"]


def test_a_renamed_project_says_where_its_volumes_data_is(make_project):
    """`[project] name` changed: the new name's volume starts empty; the data of the former name's
    volume of this folder is named, not made to look lost."""
    from devenv.converge.ownership import resolve_volumes

    root = make_project({"devenv.toml": f'[project]\nname = "p"\n[services.db]\nimage = "{IMAGE}"\n'
                                        'mounts = ["data:/var/lib/data"]\n'})
    engine = engine_with_image()
    converge(load_project(directory=root, environ={}), engine)
    (root / "devenv.toml").write_text((root / "devenv.toml").read_text().replace('name = "p"', 'name = "q"'))
    renamed = load_project(directory=root, environ={})
    told = Told()
    assert resolve_volumes(renamed, engine, renamed.manifest.services, report=told) == {"data": "q.data"}
    assert told.lines == ["warning: volume p.data: this folder's 'data' under its former project name 'p' is kept, "
                          "and q.data starts empty (rename the project back to use it)"]
    told = Told()
    other = make_project({"devenv.toml": f'[project]\nname = "r"\n[services.db]\nimage = "{IMAGE}"\n'
                                         'mounts = ["data:/var/lib/data"]\n'}, name="other")
    elsewhere = load_project(directory=other, environ={})
    resolve_volumes(elsewhere, engine, elsewhere.manifest.services, report=told)
    assert told.lines == []  # p.data is another folder's: nothing to say here


class PortHeldByFormerName(FakeEngine):
    """Project p's web publishes 8080; project q's cannot bind it."""

    def start(self, container_id: str, what: str) -> None:
        if self._get(container_id).labels.get("dev.devenv.project") == "q":
            raise DevenvError("driver failed programming external connectivity on endpoint q-web-1: "
                              "Bind for 127.0.0.1:8080 failed: port is already allocated")
        super().start(container_id, what)

    def running_containers(self) -> list[dict]:
        rows = super().running_containers()
        for row in rows:
            if row["Labels"].get("dev.devenv.project") == "p":
                row["Ports"] = [{"PublicPort": 8080, "PrivatePort": 80}]
        return rows


def test_up_after_a_rename_names_the_former_project_that_holds_the_port(make_project):
    text = f'[services.web]\nimage = "{IMAGE}"\nports = ["8080:80"]\n'
    root = make_project({"devenv.toml": '[project]\nname = "p"\n' + text})
    engine = PortHeldByFormerName(registry={IMAGE: "sha256:" + "b" * 64})
    converge(load_project(directory=root, environ={}), engine)
    (root / "devenv.toml").write_text('[project]\nname = "q"\n' + text)
    with pytest.raises(ServiceFailed) as info:
        converge(load_project(directory=root, environ={}), engine)
    assert info.value.message == "service web: host port 127.0.0.1:8080 is already in use by project 'p' (service web)"
    assert info.value.hint == "that is this folder's project under its former name: `devenv -p p down` stops it"


BUILT = f"""
[services.app]
build = {{ context = "." }}
[services.db]
image = "{IMAGE}"
"""


def test_an_earlier_build_goes_once_no_container_runs_it(make_project):
    import threading

    # Every context change is a new tag that `docker image prune` does not see: the one before
    # the current goes at the next build (the old container still ran it at this one).
    root = make_project({"devenv.toml": '[project]\nname = "p"\n' + BUILT, "Dockerfile": "FROM scratch\n",
                         "app.py": "1\n"})
    engine = engine_with_image()
    tags = []
    for version in ("1", "2", "3"):
        (root / "app.py").write_text(version + "\n")
        up(load_project(directory=root, environ={}), engine, Told())
        for thread in threading.enumerate():
            if thread.name.startswith("devenv-prune-"):
                thread.join()
        tags.append(engine.built[-1]["tag"])
    assert len(set(tags)) == 3
    assert engine.called("remove_image") == [tags[0]]  # tags[1] was in use at the third build
    assert tags[0] not in engine.images and tags[1] in engine.images and tags[2] in engine.images
    assert engine.built[-1]["tag"] == tags[2] and IMAGE in engine.images  # pulled images are not builds


def test_down_rmi_local_removes_the_builds_and_all_the_pulled_images_too(make_project):
    from devenv.converge.converger import down

    root = make_project({"devenv.toml": '[project]\nname = "p"\n' + BUILT, "Dockerfile": "FROM scratch\n"})
    engine = engine_with_image()
    up(load_project(directory=root, environ={}), engine, Told())
    tag = engine.built[-1]["tag"]
    engine.add_container("q-db-1", service="db", project="q")  # another project runs the same image
    engine.container("q-db-1").image_id = engine.images[IMAGE]["Id"]
    told = Told()
    down("p", engine, root=str(root), images="local", report=told)
    assert tag not in engine.images and IMAGE in engine.images
    assert ("image", "remove", tag) in told.steps
    up(load_project(directory=root, environ={}), engine, Told())
    told = Told()
    down("p", engine, root=str(root), images="all", report=told)
    assert engine.built[-1]["tag"] not in engine.images
    assert IMAGE in engine.images and f"kept image {IMAGE}: a container still uses it" in told.lines
    engine.by_id.pop(engine.container("q-db-1").id)
    up(load_project(directory=root, environ={}), engine, Told())
    down("p", engine, root=str(root), images="all", report=Told())
    assert IMAGE not in engine.images


def test_down_without_rmi_keeps_every_image(make_project):
    from devenv.converge.converger import down

    root = make_project({"devenv.toml": '[project]\nname = "p"\n' + BUILT, "Dockerfile": "FROM scratch\n"})
    engine = engine_with_image()
    up(load_project(directory=root, environ={}), engine, Told())
    down("p", engine, root=str(root), report=Told())
    assert engine.called("remove_image") == [] and engine.built[-1]["tag"] in engine.images


def test_a_lock_pin_the_registry_lacks_hints_at_relocking_not_at_the_registry(make_project):
    from devenv.converge.images import resolve_images
    from devenv.lock.file import Entry, Lock, Pin

    project = load(make_project, f'[services.db]\nimage = "{IMAGE}"\n')
    digest = "sha256:" + "0" * 64
    lock = Lock({"db": Entry(image=Pin(IMAGE, f"{IMAGE.rsplit(':', 1)[0]}@{digest}", "registry", digest))},
                "sha256:x", "0.1.0")
    with pytest.raises(ServiceFailed) as info:
        resolve_images(project, engine_with_image(), project.enabled_services(), lock=lock)
    assert "devenv lock --update db" in (info.value.hint or "")
    with pytest.raises(ServiceFailed) as info:  # the tag itself missing: the registry or the name
        resolve_images(project, FakeEngine(), project.enabled_services())
    assert "is the registry running" in (info.value.hint or "")


def test_a_bind_source_gone_since_the_container_was_made_is_named_on_restart(tmp_path):
    from devenv.converge.binds import gone_bind

    (tmp_path / "here").mkdir()
    mounts = [{"type": "bind", "source": str(tmp_path / "here"), "target": "/h", "read_only": False},
              {"type": "bind", "source": str(tmp_path / "data db"), "target": "/d", "read_only": False},
              {"type": "volume", "source": "p.data", "target": "/v", "read_only": False}]
    said = ("OCI runtime create failed: container_linux.go:380: starting container process caused: "
            f"process_linux.go:545: mounting: stat {tmp_path}/data db: no such file or directory: unknown")
    failure = gone_bind("web", said, mounts)
    assert failure is not None
    assert failure.message == f"service web: {tmp_path / 'data db'}, which it mounts, does not exist"
    assert gone_bind("web", "port is already allocated", mounts) is None
    (tmp_path / "data db").mkdir()
    assert gone_bind("web", said, mounts) is None  # the runtime's words alone do not name a bind
