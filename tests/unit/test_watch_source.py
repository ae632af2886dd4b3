"""What watch mode reads of the manifest, from the model or from the record `up` leaves."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from devenv.engine import client
from devenv.errors import UsageError
from devenv.manifest.load import load_project
from devenv.options import Options
from devenv.watch import actions
from devenv.watch.actions import Session
from devenv.watch.output import Output
from devenv.watch.rules import build_triggers
from devenv.watch.source import from_project, from_record, to_record
from tests.conftest import write_files
from tests.fakes import FakeEngine, converge

IMAGE = "registry.example/web:1"

# -- the record says what the model says ----------------------------------------------------------

paths = st.sampled_from(["src/**", "./src/", "app/*.py", "www", "package.json", "../shared/**", "*.css"])
rules = st.one_of(
    st.fixed_dictionaries({"paths": st.lists(paths, min_size=1, max_size=2),
                           "action": st.sampled_from(["restart", "rebuild", "recreate"])},
                          optional={"ignore": st.lists(paths, max_size=2)}),
    st.fixed_dictionaries({"paths": st.lists(paths, min_size=1, max_size=2), "action": st.just("sync"),
                           "target": st.sampled_from(["/app", "/srv/www"])}),
    st.fixed_dictionaries({"paths": st.lists(paths, min_size=1, max_size=2), "action": st.just("exec"),
                           "exec": st.one_of(st.just("npm run build"), st.just(["make", "all"]))}),
)
names = st.sampled_from(["web", "db", "worker", "cache"])
services = st.fixed_dictionaries({"image": st.just(IMAGE)}, optional={
    "watch": st.lists(rules, max_size=3),
    "build": st.one_of(st.just("."), st.just("app"), st.fixed_dictionaries(
        {"context": st.just("app"), "dockerfile": st.sampled_from(["Dockerfile", "../docker/app.Dockerfile"])})),
    "provision": st.lists(st.just("make setup"), max_size=1),
    "provision_inputs": st.lists(paths, max_size=2),
    "env_file": st.lists(st.sampled_from(["web.env", "./conf/db.env"]), max_size=2, unique=True),
    "profiles": st.lists(st.sampled_from(["debug", "jobs"]), max_size=1),
    "scale": st.integers(0, 3),
    "healthcheck": st.just({"test": "true"}),
    "depends_on": st.lists(names, max_size=2, unique=True),
})
manifests = st.dictionaries(names, services, min_size=1, max_size=4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifest=manifests, targets=st.lists(names, max_size=2), no_deps=st.booleans(),
       profiles=st.lists(st.sampled_from(["debug", "jobs"]), max_size=2))
def test_the_record_gives_the_triggers_and_services_the_model_gives(manifest, targets, no_deps, profiles):
    with tempfile.TemporaryDirectory() as folder:
        root = write_files(Path(folder) / "proj", {
            "devenv.toml": tomli_w.dumps({"services": manifest}), "web.env": "A=1\n", "conf/db.env": "B=2\n",
            "app/Dockerfile": "FROM scratch\n", "docker/app.Dockerfile": "FROM scratch\n",
            "Dockerfile": "FROM scratch\n", "app/.dockerignore": "*.log\n"})
        try:
            project = load_project(directory=root, environ={}, profiles=frozenset(profiles))
        except Exception:
            assume(False)  # e.g. a dependency cycle, a dependency on a service not declared
            raise
        direct = from_project(project)
        stored = json.loads(json.dumps(to_record(direct)))
        again = from_record(project.name, str(project.root), stored)
        assert again == direct
        chosen = direct.select([t for t in targets if t in manifest] or None, no_deps=no_deps)
        assert again.select([t for t in targets if t in manifest] or None, no_deps=no_deps) == chosen
        assert build_triggers(again, chosen) == build_triggers(direct, chosen)


def test_a_record_of_another_shape_is_not_read():
    assert from_record("p", "/x", {"services": {"web": {"scale": 1}}}) is None
    assert from_record("p", "/x", {}) is None


# -- a watch on an unchanged manifest does without the model --------------------------------------

MANIFEST = f"""
[services.web]
image = "{IMAGE}"
healthcheck = {{ test = "true" }}
[[services.web.watch]]
paths = ["src/**"]
action = "sync"
target = "/app"
[services.db]
image = "{IMAGE}"
scale = 2
"""


@pytest.fixture
def up_once(tmp_path, monkeypatch):
    """A project brought up once by the full path, which records it."""
    monkeypatch.delenv("DEVENV_PROJECT_NAME", raising=False)
    monkeypatch.delenv("DEVENV_PROFILES", raising=False)
    root = write_files(tmp_path / "proj", {"devenv.toml": MANIFEST, "src/a.py": "a"})
    engine = FakeEngine(registry={IMAGE: "sha256:" + "b" * 64})
    opts = Options(directory=root)
    converge(load_project(directory=root), engine, opts=opts)
    return root, engine, opts


def open_session(opts, engine, targets=()):
    return Session(opts, targets=list(targets), no_deps=False, pull="never", timeout=10, locked=False, poll=True,
                   poll_interval=60, output=Output(as_json=True), engine=engine)


def loads_counted(monkeypatch) -> list[str]:
    loads: list[str] = []
    real = actions.load_claimed

    def counted(opts, engine):
        loads.append("load")
        return real(opts, engine)

    monkeypatch.setattr(actions, "load_claimed", counted)
    return loads


def test_a_watch_on_the_manifest_up_recorded_reads_the_record(up_once, monkeypatch):
    root, engine, opts = up_once
    loads = loads_counted(monkeypatch)
    session = open_session(opts, engine)
    try:
        assert loads == []
        assert session.source == from_project(load_project(directory=root))
        assert session.name == load_project(directory=root).name
        assert {n: (s.scale, s.healthcheck) for n, s in session.services.items()} == {"web": (1, True),
                                                                                      "db": (2, False)}
        assert [t.action for t in session.triggers] == ["reload", "sync"]
        session.wait_ready("db")  # waits on the engine without the model
        assert loads == []
        session.converge(["web"], force=True)  # a recreate needs the model: loaded now, once
        session.converge(["web"], force=True)
        assert loads == ["load"]
    finally:
        session.close()


@pytest.mark.parametrize("change", ["manifest", "env", "name taken", "down", "shared"])
def test_a_watch_loads_the_model_when_the_record_may_be_wrong(up_once, monkeypatch, change):
    root, engine, opts = up_once
    recorded = load_project(directory=root).name
    if change == "manifest":
        (root / "devenv.toml").write_text(MANIFEST.replace("scale = 2", "scale = 3"))
    elif change == "env":
        (root / ".env").write_text("X=1\n")
    elif change == "down":  # `up` claims the name again and needs the model then
        engine.by_id.clear()
    elif change == "shared":  # one container under the name is another folder's
        next(iter(engine.by_id.values())).labels[client.L_ROOT] = "/somewhere/else"
    else:  # this folder's containers are gone, and another folder's run under the recorded name
        for labels in [c.labels for c in engine.by_id.values()] + [n["Labels"] for n in engine.network_list.values()]:
            labels[client.L_ROOT] = "/somewhere/else"
    loads = loads_counted(monkeypatch)
    session = open_session(opts, engine)
    try:
        assert loads == ["load"]
        assert session.source == from_project(load_claimed_again(opts, engine))
        assert (session.name != recorded) == (change == "name taken")
    finally:
        session.close()


def load_claimed_again(opts, engine):
    from devenv.converge.projects import load_claimed

    return load_claimed(opts, engine)


def test_a_target_the_record_does_not_know_is_a_usage_error(up_once):
    _, engine, opts = up_once
    with pytest.raises(UsageError) as info:
        open_session(opts, engine, targets=["wbe"])
    assert info.value.message == "no service named wbe in devenv.toml (services: web, db)"


def test_a_container_that_died_must_pass_its_health_check_again(up_once):
    """The engine restarts a container by its policy: a check it passed before its death says
    nothing about the new run, which the next wait on it must see pass again."""
    _, engine, opts = up_once
    session = open_session(opts, engine)
    try:
        cid = next(iter(engine.by_id))
        session.absorb("died", cid)
        assert engine.forgotten == [cid]
    finally:
        session.close()
