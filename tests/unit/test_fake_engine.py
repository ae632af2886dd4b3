"""The engine seam: the real engine and the tests' FakeEngine keep every signature of the
Protocol the shell is written against, and the fake behaves like the engine where converge looks."""

from __future__ import annotations

import inspect

import pytest

from devenv.engine import client
from devenv.engine.protocol import ContainerEngine, SwarmEngine
from devenv.errors import DevenvError, EngineUnavailable
from tests.fakes import FakeEngine


def protocol_members(protocol: type) -> list[str]:
    return sorted(name for name, value in vars(protocol).items()
                  if inspect.isfunction(value) and not name.startswith("_"))


def members_of(protocol: type) -> list[str]:
    found: set[str] = set()
    for klass in protocol.__mro__:
        if klass is not object and getattr(klass, "_is_protocol", False):
            found.update(protocol_members(klass))
    return sorted(found)


def signature(obj: object, name: str) -> list[tuple[str, object, object]]:
    params = inspect.signature(getattr(obj, name)).parameters.values()
    return [(p.name, p.kind, p.default) for p in params if p.name != "self"]


@pytest.mark.parametrize("implementation", [client.Engine, FakeEngine], ids=["Engine", "FakeEngine"])
def test_implementations_keep_every_signature_of_the_protocol(implementation):
    members = members_of(SwarmEngine)
    assert set(protocol_members(ContainerEngine)) < set(members)
    assert "containers" in members and "create" in members
    for name in members:
        assert hasattr(implementation, name), f"{implementation.__name__} lacks {name}"
        assert signature(implementation, name) == signature(SwarmEngine, name), name


def test_the_protocol_module_does_not_import_docker():
    import devenv.engine.protocol as protocol

    source = inspect.getsource(protocol)
    assert "import docker" not in source and "from docker" not in source


def a_spec(**over: object) -> dict:
    """A spec as core.spec.container_spec makes it."""
    return {"image": "sha256:1", "command": None, "entrypoint": None, "env": {}, "mounts": [], "ports": [],
            "workdir": None, "user": None, "healthcheck": None, "restart": "no", "init": True, "stop_timeout": 10.0,
            "aliases": ["x"], **over}


def test_a_spec_the_engine_could_not_use_is_refused():
    engine = FakeEngine()
    engine.ensure_network("p_default", {})
    with pytest.raises(KeyError, match="lacks"):
        engine.create(name="p-x-1", spec={"image": "sha256:1"}, labels={}, network="p_default")


def test_a_started_container_goes_through_its_health_states_one_listing_at_a_time():
    engine = FakeEngine()
    engine.ensure_network("p_default", client.project_labels("p"))
    labels = {**client.project_labels("p"), client.L_SERVICE: "db", client.L_REPLICA: "1", client.L_ROLE: "service"}
    engine.health["db"] = ["starting", "unhealthy"]
    check = {"test": ["CMD", "true"], "interval": 1.0, "timeout": 1.0, "retries": 3, "start_period": 0.0}
    cid = engine.create(name="p-db-1", spec=a_spec(healthcheck=check), labels=labels, network="p_default")
    assert [c.state for c in engine.containers("p")] == ["created"]
    engine.start(cid, "db")
    assert [(c.state, c.health) for c in engine.containers("p")] == [("running", "starting")]
    assert [(c.state, c.health) for c in engine.containers("p")] == [("running", "unhealthy")]
    assert [(c.state, c.health) for c in engine.containers("p")] == [("running", "unhealthy")]


def test_exit_codes_failures_and_an_unreachable_engine():
    engine = FakeEngine()
    engine.ensure_network("p_default", {})
    labels = {**client.project_labels("p"), client.L_SERVICE: "job", client.L_ROLE: "service"}
    engine.exit_on_start["job"] = 3
    cid = engine.create(name="p-job-1", spec=a_spec(), labels=labels, network="p_default")
    engine.start(cid, "job")
    (job,) = engine.containers("p")
    assert (job.state, job.exit_code, job.running) == ("exited", 3, False)
    engine.fail("start", "job", DevenvError("boom"))
    with pytest.raises(DevenvError, match="boom"):
        engine.start(cid, "job")
    with pytest.raises(DevenvError, match="already in use"):
        engine.create(name="p-job-1", spec=a_spec(), labels=labels, network="p_default")
    engine.unreachable = True
    with pytest.raises(EngineUnavailable):
        engine.containers("p")


def test_registry_pull_and_tag():
    engine = FakeEngine(registry={"localhost:5000/a:1": "sha256:" + "1" * 64})
    assert engine.image_id("localhost:5000/a:1") is None
    image = engine.pull("localhost:5000/a:1")
    assert engine.image_inspect("localhost:5000/a:1") == {"Id": image,
                                                           "RepoDigests": ["localhost:5000/a@sha256:" + "1" * 64]}
    engine.tag(image, "mine:dev")
    assert engine.image_id("mine:dev") == image
    with pytest.raises(DevenvError, match="manifest unknown"):
        engine.pull("localhost:5000/missing:1")
