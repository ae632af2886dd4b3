"""The manifest cache that lets `status` and `down` skip validation: it answers only while every
input of the manifest is as the last full `up` recorded it."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from devenv.cli.commands.status import project_names
from devenv.core import fastpath
from devenv.options import Options

MANIFEST = """
[project]
name = "cachedemo"

[services.db]
image = "busybox:1"

[services.web]
image = "busybox:1"
depends_on = ["db"]
"""


class FakeEngine:
    """No engine in unit tests: the containers under a name, each with the folder it came from."""

    def __init__(self, roots: dict[str, list[str]] | None = None) -> None:
        self.roots = roots or {}

    def image_id(self, ref: str) -> str | None:
        return "sha256:" + "0" * 64

    def containers(self, project: str | None = None, *, role: str | None = "service") -> list:
        return [SimpleNamespace(root=root) for root in self.roots.get(project or "", [])]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DEVENV_PROJECT_NAME", raising=False)
    project = tmp_path / "app"
    project.mkdir()
    # A name given by hand: the manifest's name is not claimed against the engine (hermetic).
    (project / "devenv.toml").write_text(MANIFEST)
    return project


def record(opts: Options) -> None:
    project = opts.load()
    desired = {name: SimpleNamespace(spec_hash=f"h-{name}", provision_hash="", scale=1)
               for name in project.manifest.services}
    images = {name: SimpleNamespace(ref="busybox:1") for name in project.manifest.services}
    fastpath.record(opts, project, FakeEngine(), desired, images)  # type: ignore[arg-type]


def test_nothing_recorded_means_no_answer(folder: Path) -> None:
    assert fastpath.cached_project(Options(directory=folder, project_name="cachedemo")) is None


def test_an_unchanged_manifest_gives_name_services_and_order(folder: Path) -> None:
    opts = Options(directory=folder, project_name="cachedemo")
    record(opts)
    cached = fastpath.cached_project(opts)
    assert cached is not None
    assert cached.name == "cachedemo"
    assert cached.root == str(folder.resolve())
    assert cached.known == ("db", "web")
    assert cached.depends_on == {"db": [], "web": ["db"]}


@pytest.mark.parametrize("change", ["manifest", "env", "lock", "local layer"])
def test_any_changed_input_falls_back(folder: Path, change: str) -> None:
    opts = Options(directory=folder, project_name="cachedemo")
    record(opts)
    if change == "manifest":
        (folder / "devenv.toml").write_text(MANIFEST.replace('depends_on = ["db"]', ""))
    elif change == "env":
        (folder / ".env").write_text("X=1\n")
    elif change == "lock":
        (folder / "devenv.lock").write_text("# changed\n")
    else:
        (folder / "devenv.local.toml").write_text("")
    assert fastpath.cached_project(opts) is None


def test_status_reads_the_manifest_when_nothing_is_cached(folder: Path) -> None:
    name, known = project_names(Options(directory=folder, project_name="cachedemo"), FakeEngine())  # type: ignore[arg-type]
    assert (name, known) == ("cachedemo", ("db", "web"))


def _rename_in_cache(opts: Options, folder: Path) -> None:
    """A recorded name different from the manifest's shows which path answered."""
    path = fastpath.manifest_key(opts, [folder / "devenv.toml"])[1]
    path.write_text(path.read_text().replace('"project": "cachedemo"', '"project": "from-cache"'))


def test_status_takes_the_cached_answer_while_the_name_is_ours(folder: Path) -> None:
    opts = Options(directory=folder, project_name="cachedemo")
    record(opts)
    _rename_in_cache(opts, folder)
    ours = FakeEngine({"from-cache": [str(folder.resolve())] * 2})
    assert project_names(opts, ours)[0] == "from-cache"  # type: ignore[arg-type]


def test_a_name_another_folder_took_is_not_shown_from_the_cache(folder: Path) -> None:
    opts = Options(directory=folder, project_name="cachedemo")
    record(opts)
    _rename_in_cache(opts, folder)
    taken = FakeEngine({"from-cache": [str(folder.resolve()), "/elsewhere"]})
    cached = fastpath.cached_project(opts)
    assert cached is not None and not cached.holds_name(taken)
    assert project_names(opts, taken)[0] == "cachedemo"  # type: ignore[arg-type]
