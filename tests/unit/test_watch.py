"""Watch mode's core without Docker: triggers, defaults, content hashes, one action per service."""

from __future__ import annotations

from pathlib import Path

import pytest

from devenv.core.globs import IgnoreRules
from devenv.manifest.load import load_project
from devenv.watch.rules import (
    Change,
    FileIndex,
    Trigger,
    build_triggers,
    decide,
    describe,
    interesting_fn,
    is_editor_temp,
    keep_patterns,
    path_matches,
    relevant_dir,
    sync_base,
    sync_destination,
)
from devenv.watch.source import from_project

BUSYBOX = 'image = "busybox"\n'


def load(make_project, manifest: str, files: dict[str, str] | None = None):
    folder = make_project({"devenv.toml": manifest, **(files or {})})
    return load_project(directory=folder, environ={})


def triggers_of(make_project, manifest: str, files=None):
    project = load(make_project, manifest, files)
    return project, build_triggers(from_project(project), project.enabled_services())


def modified(*paths: str) -> list[Change]:
    return [Change(p, "modified") for p in paths]


@pytest.mark.parametrize("rel, pattern, expected", [
    ("package.json", "package.json", True),
    ("sub/package.json", "package.json", False),  # a plain path is relative to the manifest
    ("src/a/b.py", "src", True),
    ("src/a/b.py", "./src/", True),
    ("srcx/a.py", "src", False),
    ("src/a/b.py", "src/**/*.py", True),
    ("src/b.py", "src/**/*.py", True),
    ("src/a/b.txt", "src/**/*.py", False),
    ("deep/x.py", "*.py", True),  # a glob without a slash matches at any depth
    ("www/a/b.html", "www/**", True),
])
def test_path_matches(rel, pattern, expected):
    assert path_matches(rel, pattern) is expected


@pytest.mark.parametrize("pattern, rel, base, dest", [
    ("www/**", "www/a/b.html", "www", "/www/a/b.html"),
    ("www/*.html", "www/index.html", "www", "/www/index.html"),
    ("www", "www/a/b.html", "www", "/www/a/b.html"),
    ("conf/app.ini", "conf/app.ini", "conf", "/www/app.ini"),
    ("**/*.css", "css/site.css", "", "/www/css/site.css"),
])
def test_sync_keeps_the_path_below_the_glob_base(pattern, rel, base, dest):
    assert sync_base(pattern, rel) == base
    assert sync_destination("/www", base, rel) == dest


def test_editor_temp_files_are_never_changes():
    for name in ("src/.app.py.swp", "src/app.py~", "src/.#app.py", "src/4913", "x/.goutputstream-AB12",
                 "a/b.py___jb_tmp___"):
        assert is_editor_temp(name), name
    assert not is_editor_temp("src/app.py")


def test_the_manifests_own_files_reload_even_before_they_exist(make_project):
    """Creating devenv.local.toml adds a layer; inputs without a provision step trigger nothing."""
    _project, triggers = triggers_of(make_project, f"""
[services.web]
{BUSYBOX}provision_inputs = ["requirements.txt"]
""", {"requirements.txt": ""})
    batch = decide(modified("devenv.local.toml", ".devenvignore", "requirements.txt"), triggers)
    assert [c.path for c in batch.reload] == ["devenv.local.toml", ".devenvignore"]
    assert not batch.work


def test_default_triggers_from_the_manifest(make_project):
    _project, triggers = triggers_of(make_project, f"""
[services.web]
build = "app"
provision = ["pip install -r requirements.txt"]
provision_inputs = ["requirements.txt"]
env_file = ["web.env"]
mounts = ["./src:/src"]

[services.db]
{BUSYBOX}""", {"app/Dockerfile": "FROM busybox\n", "app/.dockerignore": "*.log\n", "web.env": "A=1\n",
              "requirements.txt": "", ".env": ""})
    batch = decide(modified("devenv.toml", ".env", "web.env", "app/main.py", "app/debug.log",
                            "requirements.txt", "src/a.py", "sub/devenv.toml"), triggers)
    assert [c.path for c in batch.reload] == ["devenv.toml", ".env", "web.env"]
    assert set(batch.work) == {"web"}
    web = batch.work["web"]
    assert web.action == "rebuild"  # rebuild beats provision
    assert web.actions == {"rebuild", "provision"}
    assert [c.path for c in web.changes] == ["app/main.py", "requirements.txt"]  # not .dockerignored, not src


def test_a_rule_replaces_the_defaults_only_where_it_matches(make_project):
    _, triggers = triggers_of(make_project, """
[services.web]
build = "."
[[services.web.watch]]
paths = ["src/**/*.py"]
ignore = ["**/test_*.py"]
action = "restart"
""", {"Dockerfile": "FROM busybox\n"})
    assert decide(modified("src/app.py"), triggers).work["web"].action == "restart"
    assert decide(modified("Dockerfile"), triggers).work["web"].action == "rebuild"
    # an ignored path falls outside the rule, so the default (the build context) applies
    assert decide(modified("src/test_app.py"), triggers).work["web"].action == "rebuild"


def test_strongest_action_per_service_and_dependents_left_alone(make_project):
    _, triggers = triggers_of(make_project, f"""
[services.db]
{BUSYBOX}
[services.web]
{BUSYBOX}depends_on = ["db"]
[[services.web.watch]]
paths = ["www/**"]
action = "sync"
target = "/www"
[[services.web.watch]]
paths = ["package.json"]
action = "exec"
exec = "npm install"
[[services.web.watch]]
paths = ["conf/**"]
action = "restart"
[[services.db.watch]]
paths = ["schema/**"]
action = "recreate"
""")
    batch = decide(modified("www/a.html", "package.json"), triggers)
    web = batch.work["web"]
    assert (web.action in ("sync", "exec"), web.label) == (True, "sync+exec")
    assert [base for _, _, base in web.syncs] == ["www"]
    assert [t.command for t in web.execs] == [("npm", "install")]

    batch = decide(modified("www/a.html", "conf/x.ini", "www/b.html"), triggers)
    assert batch.work["web"].label == "restart"
    assert len(batch.work["web"].syncs) == 2  # synced before the restart, not lost

    batch = decide(modified("schema/1.sql"), triggers)
    assert set(batch.work) == {"db"}  # web depends on db but its own inputs did not change
    assert batch.work["db"].action == "recreate"


def test_nothing_by_default_for_bind_mounted_sources(make_project):
    _, triggers = triggers_of(make_project, f"""
[services.web]
{BUSYBOX}mounts = ["./src:/app/src"]
""")
    assert not decide(modified("src/app.py"), triggers)


def test_describe():
    assert describe([Change("src/app.py", "modified")]) == "src/app.py changed"
    assert describe([Change("a", "deleted")]) == "a deleted"
    assert describe([Change("a", "created"), Change("b", "modified")]) == "a and 1 more changed"


def test_file_index_compares_content_not_mtime(tmp_path: Path):
    (tmp_path / "src").mkdir()
    app = tmp_path / "src/app.py"
    app.write_text("one")
    index = FileIndex(tmp_path, lambda rel: rel.startswith("src/"))
    index.seed([str(app), str(tmp_path / "other.txt")])
    assert list(index.digests) == ["src/app.py"]

    app.write_text("one")  # same content, new mtime
    assert index.refresh(["src/app.py"]) == []

    # an editor's atomic save: a temp file renamed over the real one
    tmp = tmp_path / "src/.app.py.tmp"
    tmp.write_text("two")
    tmp.rename(app)
    assert index.refresh(["src/.app.py.tmp", "src/app.py", "src/app.py"]) == [Change("src/app.py", "modified")]

    new = tmp_path / "src/new.py"
    new.write_text("x")
    assert index.refresh(["src/new.py"]) == [Change("src/new.py", "created")]
    new.unlink()
    assert index.refresh(["src/new.py"]) == [Change("src/new.py", "deleted")]
    assert index.refresh(["src/new.py"]) == []

    app.chmod(0o755)  # the exec bit is content (a script that becomes runnable)
    assert index.refresh(["src/app.py"]) == [Change("src/app.py", "modified")]


def test_interesting_skips_ignored_files_and_editor_temps():
    triggers = [Trigger("web", "restart", ("**",), explicit=True)]
    interesting = interesting_fn(triggers, IgnoreRules(["*.log", "node_modules"]))
    assert interesting("src/a.py")
    assert not interesting("logs/x.log")
    assert not interesting("node_modules/p/index.js")
    assert not interesting("src/.a.py.swp")


def test_a_build_context_that_is_the_project_folder_makes_every_file_in_it_interesting(make_project):
    # The context trigger of `build = "."` has the pattern "", which matches everything: it is
    # a match, not "no match" (every save of such a project was dropped before it was looked at).
    _, triggers = triggers_of(make_project, '[services.b]\nbuild = "."\n', {"Dockerfile": "FROM x\n"})
    interesting = interesting_fn(triggers)
    assert interesting("app/a.txt") and interesting("top.txt") and interesting("Dockerfile")
    assert not interesting("app/.a.txt.swp")


def test_only_folders_a_trigger_can_reach_are_watched(make_project):
    project, triggers = triggers_of(make_project, f"""
[services.web]
{BUSYBOX}
[[services.web.watch]]
paths = ["src/app/**/*.py"]
action = "restart"
[[services.web.watch]]
paths = ["node_modules/mylib/**"]
action = "restart"
""")
    assert relevant_dir("", triggers)
    assert relevant_dir("src", triggers)  # an ancestor: to see src/app appear
    assert relevant_dir("src/app", triggers) and relevant_dir("src/app/x/y", triggers)
    assert not relevant_dir("docs", triggers)
    assert not relevant_dir("src/other", triggers)
    # a rule that names node_modules keeps it from the default ignores
    rules = IgnoreRules.for_root(project.root, keep=keep_patterns(triggers))
    assert not rules.ignored("node_modules")
    assert rules.ignored(".git")
    assert IgnoreRules.for_root(project.root).ignored("node_modules")


def test_an_unanchored_glob_makes_every_folder_relevant(make_project):
    _, triggers = triggers_of(make_project, f"""
[services.web]
{BUSYBOX}
[[services.web.watch]]
paths = ["*.py"]
action = "restart"
""")
    assert relevant_dir("any/where", triggers)


def test_merge_keeps_one_action_and_every_file(make_project):
    _, triggers = triggers_of(make_project, f"""
[services.web]
{BUSYBOX}
[[services.web.watch]]
paths = ["www/**"]
action = "sync"
target = "/www"
[[services.web.watch]]
paths = ["conf/**"]
action = "restart"
""")
    from devenv.watch.rules import merge

    first = decide([Change("www/a.html", "modified"), Change("www/b.html", "modified")], triggers).work["web"]
    later = decide([Change("www/a.html", "deleted"), Change("conf/x", "modified")], triggers).work["web"]
    merged = merge(first, later)
    assert merged.label == "restart"
    assert [(c.path, c.kind) for _, c, _ in merged.syncs] == [("www/b.html", "modified"), ("www/a.html", "deleted")]
    assert [(c.path, c.kind) for c in merged.changes] == [
        ("www/b.html", "modified"), ("www/a.html", "deleted"), ("conf/x", "modified")]


def test_leaving_a_watch_says_whether_anything_is_left_running():
    """A watch whose first `up` failed leaves nothing up, and must not say it does."""
    from types import SimpleNamespace

    from devenv.cli.commands.watch import _left_running
    from devenv.errors import EngineUnavailable
    from tests.fakes import FakeEngine

    engine = FakeEngine()
    session = SimpleNamespace(name="shop", engine=engine)
    assert _left_running(session) == "has nothing running"  # type: ignore[arg-type]
    engine.add_container("shop-web-1", service="web", project="shop", state="exited")
    assert _left_running(session) == "has nothing running"  # type: ignore[arg-type]
    engine.add_container("shop-db-1", service="db", project="shop")
    assert _left_running(session) == "is still up (`devenv down` stops it)"  # type: ignore[arg-type]

    def gone(*args, **kwargs):
        raise EngineUnavailable("cannot reach the Docker engine")

    engine.containers = gone  # type: ignore[method-assign]
    assert _left_running(session) == "may still be up (`devenv status` shows it)"  # type: ignore[arg-type]
