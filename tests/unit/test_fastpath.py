"""The no-op `up` fast path, with the FakeEngine: it may only say "up to date" when the full plan
is a no-op. Examples for each input it must notice, then a property over generated projects
(${VAR}, env_file, symlinked mounts, a local layer)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devenv.core import fastpath
from devenv.errors import DevenvError
from devenv.manifest.load import load_project
from devenv.options import Options
from tests.conftest import write_files
from tests.fakes import FakeEngine, converge, replan

IMAGE = "localhost:5000/busybox:1"
VAR = "DEVENV_FASTPATH_TEST_TAG"
MANIFEST = f"""
[project]
name = "p"
[services.db]
image = "{IMAGE}"
healthcheck = {{ test = "true" }}
[services.web]
image = "{IMAGE}"
command = "serve ${{{VAR}:-one}}"
env_file = ["web.env"]
mounts = ["./src:/app/src"]
depends_on = {{ db = "healthy" }}
"""


@pytest.fixture
def world(tmp_path, monkeypatch):
    """A project brought up once (and recorded), with its cache in tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(VAR, raising=False)
    monkeypatch.delenv("DEVENV_PROJECT_NAME", raising=False)
    monkeypatch.delenv("DEVENV_PROFILES", raising=False)
    root = write_files(tmp_path / "proj", {"devenv.toml": MANIFEST, "web.env": "A=1\n",
                                            "src-v1/app.py": "", "src-v2/app.py": ""})
    (root / "src").symlink_to("src-v1")
    engine = FakeEngine(registry={IMAGE: "sha256:" + "b" * 64})
    opts = Options(directory=root)
    converge(load_project(directory=root), engine, opts=opts)
    return root, engine, opts


def agrees(root: Path, engine: FakeEngine, opts: Options) -> bool | None:
    """The fast path's answer (True: up to date, None: falls through), checked against the plan."""
    hit = fastpath.up_to_date(opts, engine)
    if hit is not None:
        assert replan(load_project(directory=root), engine).is_noop, "fast path says up to date, plan disagrees"
        return True
    return None


def test_right_after_up_it_is_up_to_date(world):
    root, engine, opts = world
    assert fastpath.up_to_date(opts, engine) == ("p", 2)
    assert agrees(root, engine, opts)


def test_services_of_one_image_ask_the_engine_about_it_once(world):
    _, engine, opts = world
    asked: list[str] = []
    real = engine.image_id
    engine.image_id = lambda ref: asked.append(ref) or real(ref)  # type: ignore[method-assign]
    assert fastpath.up_to_date(opts, engine) == ("p", 2)
    assert asked == [IMAGE]  # db and web run the same image


def test_an_unrelated_variable_changes_nothing(world, monkeypatch):
    monkeypatch.setenv("DEVENV_FASTPATH_UNRELATED", "x")
    assert fastpath.up_to_date(opts := world[2], world[1]) == ("p", 2), opts


@pytest.mark.parametrize("change", [
    "manifest", "variable", "env_file", "dotenv", "lock", "symlink", "local layer", "image",
])
def test_each_input_that_changes_the_spec_misses(world, monkeypatch, change):
    root, engine, opts = world
    if change == "manifest":
        (root / "devenv.toml").write_text(MANIFEST + 'workdir = "/srv"\n')
    elif change == "variable":
        monkeypatch.setenv(VAR, "two")  # named only as ${VAR:-one} in a command
    elif change == "env_file":
        (root / "web.env").write_text("A=2\n")
    elif change == "dotenv":
        (root / ".env").write_text(f"{VAR}=three\n")
    elif change == "lock":
        (root / "devenv.lock").write_text("# changed\n")
    elif change == "symlink":
        (root / "src").unlink()
        (root / "src").symlink_to("src-v2")
    elif change == "local layer":
        (root / "devenv.local.toml").write_text('[services.web]\nenv = { B = "1" }\n')
    elif change == "image":
        engine.images[IMAGE] = {"Id": "sha256:" + "c" * 64, "RepoDigests": []}
    assert fastpath.up_to_date(opts, engine) is None


@pytest.mark.parametrize("health", ["starting", "unhealthy"])
def test_health_is_no_input_a_noop_up_is_answered_while_a_service_starts(world, health):
    """A plain `up` right after another (a VS Code task, a script) while a database is still
    starting: the plan leaves every container as it is, and the fast path answers the same."""
    root, engine, opts = world
    engine.container("p-db-1").health = health
    assert replan(load_project(directory=root), engine).is_noop
    assert fastpath.up_to_date(opts, engine) == ("p", 2)


@pytest.mark.parametrize("state", ["stopped", "orphan", "removed", "extra replica", "other root"])
def test_each_container_state_a_converge_would_touch_misses(world, state):
    root, engine, opts = world
    db = engine.container("p-db-1")
    if state == "stopped":
        db.state = "exited"
    elif state == "orphan":
        engine.add_container("p-old-1", service="old", project="p", root=str(root))
    elif state == "removed":
        engine.remove(db.id)
    elif state == "extra replica":
        engine.add_container("p-db-2", service="db", project="p", replica=2, spec_hash=db.labels[
            "dev.devenv.spec-hash"], root=str(root))
    elif state == "other root":
        db.labels["dev.devenv.root"] = "/elsewhere"
    assert fastpath.up_to_date(opts, engine) is None
    if state != "other root":  # that one only makes the fast path step aside
        assert not replan(load_project(directory=root), engine).is_noop


def test_an_unreadable_cache_or_an_engine_error_falls_through(world):
    root, engine, opts = world
    _, path = fastpath.manifest_key(opts, [root / "devenv.toml"])
    path.write_text("{not json")
    assert fastpath.up_to_date(opts, engine) is None
    converge(load_project(directory=root), engine, opts=opts)
    assert fastpath.up_to_date(opts, engine) == ("p", 2)
    engine.unreachable = True
    assert fastpath.up_to_date(opts, engine) is None


def test_the_cache_key_names_the_env_file_not_only_its_content(tmp_path):
    """Watch mode reloads on a change of the env file the project was loaded with: two env files
    of the same content are two records."""
    manifest = write_files(tmp_path, {"devenv.toml": '[services.a]\nimage = "x"\n', "a.env": "A=1\n",
                                      "b.env": "A=1\n"}) / "devenv.toml"
    keys = {fastpath.manifest_key(Options(directory=tmp_path, env_file=tmp_path / name), [manifest])[0]
            for name in ("a.env", "b.env")}
    assert len(keys) == 2


def test_the_cache_key_names_the_manifests_variables():
    opts = Options(directory=Path.cwd())
    with tempfile.TemporaryDirectory() as folder:
        manifest = Path(folder) / "devenv.toml"
        manifest.write_text('[services.a]\nimage = "${IMG}"\ncommand = "${CMD:-x} ${OTHER:?need it}"\n')
        keys = set()
        for env in ({}, {"IMG": "1"}, {"CMD": "1"}, {"OTHER": "1"}, {"UNNAMED": "1"}):
            saved = dict(os.environ)
            os.environ.update(env)
            try:
                keys.add(fastpath.manifest_key(opts, [manifest])[0])
            finally:
                os.environ.clear()
                os.environ.update(saved)
        assert len(keys) == 4  # each named variable changes the key; an unnamed one does not


@pytest.mark.parametrize("spelling", [
    '[services.a]\nimage = "x"\npass_env = ["PASSED_T", "OTHER"]\n',
    '[services.a]\nimage = "x"\n"pass_env" = [\n  \'PASSED_T\',\n]\n',
    '[services]\na = { image = "x", pass_env = ["OTHER", "PASSED_T"] }\n',
    'services.a.image = "x"\nservices.a.pass_env = ["PASSED_T"]\n',
    '[services.a]\nimage = "x"\n\'pass_env\' = ["PASSED_T"]\n',  # a literal key
    '[services.a]\nimage = "x"\npass_env\t=\t["PASSED_T"]\n',  # tabs are blanks too
])
def test_a_pass_env_name_is_part_of_the_key_however_it_is_written(spelling, tmp_path, monkeypatch):
    manifest = write_files(tmp_path, {"devenv.toml": spelling}) / "devenv.toml"
    opts = Options(directory=tmp_path)
    monkeypatch.delenv("PASSED_T", raising=False)
    unset = fastpath.manifest_key(opts, [manifest])[0]
    monkeypatch.setenv("UNRELATED_T", "1")
    assert fastpath.manifest_key(opts, [manifest])[0] == unset  # only the names it passes count
    monkeypatch.setenv("PASSED_T", "")
    empty = fastpath.manifest_key(opts, [manifest])[0]
    monkeypatch.setenv("PASSED_T", "1")
    assert len({unset, empty, fastpath.manifest_key(opts, [manifest])[0]}) == 3


@pytest.mark.parametrize("odd", ['pass_env = ["PASSED_T,Z"]', 'pass_env = ["X]Y", "PASSED_T"]',
                                 'pass_env = ["\\u0050ASSED_T"]', 'pass_env = [ # ]\n "PASSED_T"]',
                                 '# pass_env names the shell\'s variables\npass_env = ["X"]'])
def test_a_pass_env_list_too_odd_to_read_makes_every_variable_count(odd, tmp_path, monkeypatch):
    manifest = write_files(tmp_path, {"devenv.toml": f'[services.a]\nimage = "x"\n{odd}\n'}) / "devenv.toml"
    opts = Options(directory=tmp_path)
    before = fastpath.manifest_key(opts, [manifest])[0]
    monkeypatch.setenv("PASSED_T", "1")
    assert fastpath.manifest_key(opts, [manifest])[0] != before


def test_an_empty_pass_env_list_is_read_not_taken_for_an_odd_one(tmp_path, monkeypatch):
    manifest = write_files(tmp_path, {"devenv.toml": '[services.a]\nimage = "x"\npass_env = []\n'}) / "devenv.toml"
    opts = Options(directory=tmp_path)
    before = fastpath.manifest_key(opts, [manifest])[0]
    monkeypatch.setenv("UNRELATED_T", "1")
    assert fastpath.manifest_key(opts, [manifest])[0] == before


def test_a_dotenv_that_is_not_utf8_still_gives_a_key_and_its_names(tmp_path, monkeypatch):
    """The full path then says what is wrong with the file; the fast path must not fail first."""
    root = write_files(tmp_path, {"devenv.toml": '[services.a]\nimage = "x"\n'})
    (root / ".env").write_bytes(b"A=caf\xe9\nB=$NAMED_T\n")
    opts = Options(directory=root)
    monkeypatch.delenv("NAMED_T", raising=False)
    before = fastpath.manifest_key(opts, [root / "devenv.toml"])[0]
    monkeypatch.setenv("NAMED_T", "1")
    assert fastpath.manifest_key(opts, [root / "devenv.toml"])[0] != before


# -- the property ---------------------------------------------------------------------------------

CHANGES = st.lists(st.sampled_from([
    "nothing", "var", "unrelated var", "env_file", "env_file same", "retarget", "retarget back",
    "local layer", "local layer gone", "dotenv", "stop db"]), min_size=1, max_size=4)
SHAPES = st.fixed_dictionaries({
    "var_in": st.sampled_from(["command", "env", "image tag", "mount", "pass_env", "pass_env with a comment"]),
    "env_file": st.booleans(),
    "symlink": st.booleans(),
    "layer": st.booleans(),
})


def generated_project(root: Path, shape: dict) -> None:
    web = [f'image = "{IMAGE}"']
    if shape["var_in"] == "command":
        web.append('command = "serve ${PORT_T:-8000}"')
    elif shape["var_in"] == "env":
        web.append('env = { MODE = "${MODE_T:-dev}" }')
    elif shape["var_in"] == "image tag":
        web[0] = 'image = "localhost:5000/busybox:${TAG_T:-1}"'
    elif shape["var_in"] == "pass_env":
        web.append('pass_env = ["MODE_T"]')
    elif shape["var_in"] == "pass_env with a comment":
        web.append('pass_env = [  # from the shell\n  "MODE_T",\n]')
    if shape["env_file"]:
        web.append('env_file = ["web.env"]')
    if shape["symlink"]:
        web.append('mounts = ["./code:/app/code"]' if shape["var_in"] != "mount"
                   else 'mounts = ["./${DIR_T:-code}:/app/code"]')
    files = {"devenv.toml": '[project]\nname = "p"\n[services.db]\nimage = "' + IMAGE + '"\n'
             + "[services.web]\n" + "\n".join(web) + "\n", "web.env": "A=1\n", "v1/x": "", "v2/x": ""}
    if shape["layer"]:
        files["devenv.local.toml"] = '[services.db]\nenv = { L = "1" }\n'
    write_files(root, files)
    (root / "code").symlink_to("v1")
    (root / "other").symlink_to("v2")


def apply_change(root: Path, engine: FakeEngine, change: str) -> None:
    if change == "var":
        for name in ("PORT_T", "MODE_T", "DIR_T"):
            os.environ[name] = {"DIR_T": "other"}.get(name, "changed")
    elif change == "unrelated var":
        os.environ["UNRELATED_T"] = "x"
    elif change == "env_file":
        (root / "web.env").write_text("A=2\n")
    elif change == "env_file same":
        (root / "web.env").write_text("A=1\n")
    elif change in ("retarget", "retarget back"):
        (root / "code").unlink()
        (root / "code").symlink_to("v2" if change == "retarget" else "v1")
    elif change == "local layer":
        (root / "devenv.local.toml").write_text('[services.web]\nenv = { L = "2" }\n')
    elif change == "local layer gone":
        (root / "devenv.local.toml").unlink(missing_ok=True)
    elif change == "dotenv":
        (root / ".env").write_text("MODE_T=fromdotenv\nPORT_T=9\n")
    elif change == "stop db":
        engine.container("p-db-1").state = "exited"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=SHAPES, changes=CHANGES)
def test_wherever_the_fast_path_says_up_to_date_the_plan_is_a_noop(shape, changes):
    saved = dict(os.environ)
    try:
        with tempfile.TemporaryDirectory() as folder:
            os.environ["XDG_CACHE_HOME"] = str(Path(folder) / "cache")
            for name in ("PORT_T", "MODE_T", "TAG_T", "DIR_T", "UNRELATED_T", "DEVENV_PROJECT_NAME",
                         "DEVENV_PROFILES"):
                os.environ.pop(name, None)
            root = Path(folder) / "proj"
            generated_project(root, shape)
            engine = FakeEngine(registry={IMAGE: "sha256:" + "b" * 64})
            opts = Options(directory=root)
            converge(load_project(directory=root), engine, opts=opts)
            assert fastpath.up_to_date(opts, engine) == ("p", 2)
            for change in changes:
                apply_change(root, engine, change)
            hit = fastpath.up_to_date(opts, engine)
            if hit is not None:
                assert replan(load_project(directory=root), engine).is_noop, (shape, changes)
    finally:
        os.environ.clear()
        os.environ.update(saved)


# -- services that build or provision, and how the project is named --------------------------------

BUILT = f"""
[project]
name = "p"
[services.app]
build = "app"
provision = ["echo setup"]
provision_inputs = ["seed/*.sql"]
[services.db]
image = "{IMAGE}"
"""


@pytest.fixture
def built(tmp_path, monkeypatch):
    """A project with a built and provisioned service, brought up once (and recorded)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DEVENV_PROJECT_NAME", raising=False)
    monkeypatch.delenv("DEVENV_PROFILES", raising=False)
    root = write_files(tmp_path / "proj", {"devenv.toml": BUILT, "app/Dockerfile": "FROM scratch\n",
                                            "app/main.py": "v1", "seed/a.sql": "create table a;"})
    engine = FakeEngine(registry={IMAGE: "sha256:" + "b" * 64})
    opts = Options(directory=root)
    converge(load_project(directory=root), engine, opts=opts)
    return root, engine, opts


def test_a_built_and_provisioned_service_is_answered_until_its_inputs_change(built):
    root, engine, opts = built
    assert fastpath.up_to_date(opts, engine) == ("p", 2)
    assert agrees(root, engine, opts)
    (root / "app/main.py").write_text("v2")  # the build context: a new image to build
    assert fastpath.up_to_date(opts, engine) is None
    assert not replan(load_project(directory=root), engine).is_noop
    (root / "app/main.py").write_text("v1")
    assert fastpath.up_to_date(opts, engine) == ("p", 2)
    (root / "seed/a.sql").write_text("create table b;")  # a provision input: provision runs again
    assert fastpath.up_to_date(opts, engine) is None
    assert not replan(load_project(directory=root), engine).is_noop


def test_a_relative_manifest_path_is_read_from_the_project_folder(tmp_path, monkeypatch):
    """`devenv -C proj -f devenv.toml up`: the file is proj/devenv.toml, wherever devenv runs."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(VAR, raising=False)
    monkeypatch.delenv("DEVENV_PROJECT_NAME", raising=False)
    root = write_files(tmp_path / "proj", {"devenv.toml": f'[services.db]\nimage = "{IMAGE}"\n'})
    monkeypatch.chdir(tmp_path)
    engine = FakeEngine(registry={IMAGE: "sha256:" + "b" * 64})
    opts = Options(files=(Path("devenv.toml"),), directory=root)
    converge(load_project(files=[Path("devenv.toml")], directory=root), engine, opts=opts)
    assert fastpath.up_to_date(opts, engine) == ("proj", 1)
    (root / "devenv.toml").write_text(f'[services.db]\nimage = "{IMAGE}"\nworkdir = "/srv"\n')
    assert fastpath.up_to_date(opts, engine) is None  # the edit is seen: it is that file that is read


@pytest.mark.parametrize(("variable", "value"), [
    ("DEVENV_PROJECT_NAME", "other"),  # names another project: this one's record must not answer for it
    ("DEVENV_PROFILES", "tools"),  # turns services on: the record of an `up` without it must not answer
])
def test_the_variables_devenv_reads_are_part_of_the_key(world, monkeypatch, variable, value):
    _, engine, opts = world
    monkeypatch.setenv(variable, value)
    assert fastpath.up_to_date(opts, engine) is None
    assert fastpath.cached_project(opts) is None


def test_a_built_image_retagged_or_a_container_not_provisioned_misses(built):
    root, engine, opts = built
    tag = engine.built[0]["tag"]
    assert tag.startswith("devenv/p-app:")
    engine.images[tag] = {"Id": "sha256:" + "d" * 64, "RepoDigests": []}  # rebuilt outside this `up`
    assert fastpath.up_to_date(opts, engine) is None
    assert not replan(load_project(directory=root), engine).is_noop
    converge(load_project(directory=root), engine, opts=opts)
    assert fastpath.up_to_date(opts, engine) == ("p", 2)
    engine.container("p-app-1").labels["dev.devenv.provision-hash"] = "an older one"
    assert fastpath.up_to_date(opts, engine) is None
    assert not replan(load_project(directory=root), engine).is_noop


def test_the_record_is_per_user_and_kept_in_the_cache_folder(world, monkeypatch, tmp_path):
    """user = "host" resolves to the invoking uid:gid, so another user's record does not answer."""
    _, engine, opts = world
    key, path = fastpath.manifest_key(opts, [opts.directory / "devenv.toml"])
    assert path.parent == tmp_path / "cache" / "devenv" / "state" and path.is_file()
    monkeypatch.setattr(fastpath.os, "getuid", lambda: 4242)
    assert fastpath.manifest_key(opts, [opts.directory / "devenv.toml"])[0] != key
    assert fastpath.up_to_date(opts, engine) is None


def test_a_manifest_that_is_not_utf8_falls_through(world):
    root, engine, opts = world
    (root / "devenv.toml").write_bytes(MANIFEST.encode() + b"# caf\xe9\n")
    assert fastpath.up_to_date(opts, engine) is None
    assert fastpath.cached_project(opts) is None


@pytest.mark.parametrize(("rows", "runs"), [
    ([{"State": "running", "Image": "caddy:2", "ImageID": "sha256:c"}], True),
    ([{"State": "running", "Image": "sha256:c", "ImageID": "sha256:c"}], True),  # made from the same content
    ([{"State": "exited", "Image": "caddy:2", "ImageID": "sha256:c"}], False),
    ([{"State": "running", "Image": "caddy:1", "ImageID": "sha256:old"}], False),
    ([{"State": "running", "Image": "caddy:2", "ImageID": "sha256:old"}], True),  # made from that very ref
    (DevenvError("cannot reach the engine"), False),
])
def test_the_router_runs_only_when_a_running_router_has_its_image(rows, runs):
    from types import SimpleNamespace

    def labelled(kind: str, labels: dict) -> list[dict]:
        assert (kind, labels) == ("containers", {"dev.devenv.role": "router"})
        if isinstance(rows, Exception):
            raise rows
        return rows

    engine = SimpleNamespace(labelled=labelled, image_id={"caddy:2": "sha256:c"}.get)
    assert fastpath._router_runs(engine, "caddy:2") is runs  # type: ignore[arg-type]


def test_another_project_up_on_the_same_engine_does_not_defeat_the_fast_path(world, tmp_path):
    """The list is this project's containers only: another folder's project, with the same
    service names, is neither an orphan nor a container of another root here."""
    root, engine, opts = world
    other = write_files(tmp_path / "other", {"devenv.toml": MANIFEST.replace('name = "p"', 'name = "q"'),
                                             "web.env": "A=1\n", "src/app.py": ""})
    converge(load_project(directory=other), engine, opts=Options(directory=other))
    assert {c.root for c in engine.containers(None)} == {str(root), str(other)}
    assert fastpath.up_to_date(opts, engine) == ("p", 2)
    assert agrees(root, engine, opts)


def test_replicas_are_counted_one_by_one(tmp_path, monkeypatch):
    """scale = 2 is answered while both replicas run; two containers both claiming replica 1, or
    one replica gone, is work for the full path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DEVENV_PROJECT_NAME", raising=False)
    root = write_files(tmp_path / "proj", {"devenv.toml": f'[services.web]\nimage = "{IMAGE}"\nscale = 2\n'})
    engine = FakeEngine(registry={IMAGE: "sha256:" + "b" * 64})
    opts = Options(directory=root)
    converge(load_project(directory=root), engine, opts=opts)
    assert fastpath.up_to_date(opts, engine) == ("proj", 1)
    second = engine.container("proj-web-2")
    second.labels["dev.devenv.replica"] = "1"  # two containers say they are replica 1
    assert fastpath.up_to_date(opts, engine) is None
    assert not replan(load_project(directory=root), engine).is_noop
    engine.remove(second.id)
    assert fastpath.up_to_date(opts, engine) is None
    assert not replan(load_project(directory=root), engine).is_noop


def test_a_disabled_service_does_not_hide_the_containers_listed_after_it(tmp_path, monkeypatch):
    """A container of a service whose profile is off is left alone, and the look goes on: an
    orphan listed after it still sends `up` down the full path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DEVENV_PROJECT_NAME", raising=False)
    monkeypatch.delenv("DEVENV_PROFILES", raising=False)
    manifest = (f'[services.admin]\nimage = "{IMAGE}"\nprofiles = ["tools"]\n'
                f'[services.web]\nimage = "{IMAGE}"\n')
    root = write_files(tmp_path / "proj", {"devenv.toml": manifest})
    engine = FakeEngine(registry={IMAGE: "sha256:" + "b" * 64})
    converge(load_project(directory=root, profiles=frozenset({"tools"})), engine)
    opts = Options(directory=root)
    converge(load_project(directory=root), engine, opts=opts)  # `up` without the profile: admin stays
    assert [c.service for c in engine.containers("proj")] == ["admin", "web"]
    assert fastpath.up_to_date(opts, engine) == ("proj", 1)
    engine.add_container("proj-zz-1", service="zz", project="proj", root=str(root))  # listed after admin
    assert fastpath.up_to_date(opts, engine) is None
    assert not replan(load_project(directory=root), engine).is_noop


def test_a_name_is_not_held_while_any_container_under_it_is_another_folders(world):
    """Any container, not only a service's: a provision container another folder left under
    this name means the name was claimed there."""
    _, engine, opts = world
    cached = fastpath.cached_project(opts)
    assert cached is not None and cached.holds_name(engine)
    engine.add_container("p-web-1-provision", service="web", project="p", root="/elsewhere", role="provision")
    assert not cached.holds_name(engine)


def test_a_record_made_before_depends_on_was_kept_still_names_the_project():
    data = {"project": "p", "root": "/srv/p", "known": ["web"]}
    assert fastpath._project_of(data) == fastpath.CachedProject(name="p", root="/srv/p", known=("web",),
                                                                depends_on=None)
    assert fastpath._project_of({**data, "depends_on": {"web": ["db"]}}).depends_on == {"web": ["db"]}
    assert fastpath._project_of({"root": "/srv/p", "known": []}) is None  # no name: no answer


def test_without_xdg_cache_home_the_record_goes_to_the_users_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert fastpath._cache_dir() == tmp_path / ".cache" / "devenv" / "state"


def test_watch_mode_reads_no_record_whose_project_part_is_unreadable(world):
    """cached_watch answers only with both halves: the project and what watch mode reads."""
    _, _, opts = world
    assert fastpath.cached_watch(opts) is not None
    _, path = fastpath.manifest_key(opts, [opts.directory / "devenv.toml"])
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "known": None}))  # the watch half is still there
    assert isinstance(data["watch"], dict) and fastpath.cached_watch(opts) is None


@pytest.mark.parametrize(("web_env", "dotenv"), [("A=${FROM_ENV_FILE:-x}\n", "B=${FROM_DOTENV:-y}\n"),
                                                 ("A=$FROM_ENV_FILE\n", "B=$FROM_DOTENV\n"),
                                                 ("FROM_ENV_FILE\n", "export FROM_DOTENV\n"),
                                                 ('A="x" FROM_ENV_FILE\n', "B='y' FROM_DOTENV\n")])
def test_variables_that_dotenv_and_env_files_name_are_part_of_what_is_answered(world, monkeypatch, web_env, dotenv):
    # .env and env_file values may name a variable as Compose reads them (`${A}`, `$A`, a bare
    # `KEY` taking the environment's): a change of it changes what the full path resolves, so the
    # record must not answer for it.
    root, engine, opts = world
    (root / "web.env").write_text(web_env)
    (root / ".env").write_text(dotenv)
    monkeypatch.delenv("FROM_ENV_FILE", raising=False)
    monkeypatch.delenv("FROM_DOTENV", raising=False)
    converge(load_project(directory=root), engine, opts=opts)
    assert fastpath.up_to_date(opts, engine) == ("p", 2)
    monkeypatch.setenv("FROM_DOTENV", "changed")
    assert fastpath.up_to_date(opts, engine) is None
    monkeypatch.delenv("FROM_DOTENV")
    assert fastpath.up_to_date(opts, engine) == ("p", 2)
    monkeypatch.setenv("FROM_ENV_FILE", "changed")
    assert fastpath.up_to_date(opts, engine) is None
    assert not replan(load_project(directory=root), engine).is_noop  # the full path sees it too
