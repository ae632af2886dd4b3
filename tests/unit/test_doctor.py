"""doctor's checks that need no engine: clock, inotify, requires, disk thresholds, lock, ports."""

from __future__ import annotations

import datetime as dt
import socket
from collections import namedtuple

import pytest

from devenv import doctor
from devenv.doctor import FAIL, PASS, WARN, Context, _parse_time
from devenv.lock.file import Entry, Lock, Pin, write_lock
from devenv.manifest.load import load_project

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


def project_of(make_project, manifest: str, files: dict | None = None):
    root = make_project({"devenv.toml": '[project]\nname = "p"\n' + manifest, **(files or {})})
    return load_project(directory=root, environ={})


def test_engine_time_parses_nanoseconds():
    assert _parse_time("2026-11-28T12:57:03.814293507Z") == dt.datetime(2026, 11, 28, 12, 57, 3, 814293,
                                                                        tzinfo=dt.UTC)
    assert _parse_time("garbage") is None


@pytest.mark.parametrize("skew, status", [(1, PASS), (-45, WARN), (600, FAIL)])
def test_clock_against_the_engine(skew, status):
    engine_time = (NOW - dt.timedelta(seconds=skew)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    (row,) = doctor.check_clock(Context(None, None, {"SystemTime": engine_time}), now=NOW,
                                own_files_written=NOW - dt.timedelta(days=3))
    assert row.status == status, row
    assert ("ahead of" if skew > 0 else "behind") in row.detail


def test_clock_before_devenv_existed_fails_without_an_engine():
    (row,) = doctor.check_clock(Context(None, None), now=dt.datetime(2001, 1, 1, tzinfo=dt.UTC),
                                own_files_written=None)
    assert row.status == FAIL and row.hint and "before devenv existed" in row.detail


@pytest.mark.parametrize("files_age_days, status", [(3, PASS), (-0.5, PASS), (-2, FAIL)])
def test_clock_behind_devenvs_own_files_fails(files_age_days, status):
    # files written in the future (more than a day) mean the clock is wrong, not the files
    (row,) = doctor.check_clock(Context(None, None), now=NOW,
                                own_files_written=NOW - dt.timedelta(days=files_age_days))
    assert row.status == status, row
    assert ("own files were written" in row.detail) == (status == FAIL)


def test_newest_own_file_reads_real_modification_times():
    newest = doctor.newest_own_file()
    assert newest is not None and newest.tzinfo is not None


def test_inotify_counts_folders_against_the_limit(make_project, tmp_path):
    project = project_of(make_project, '[services.a]\nimage = "x:1"\n'
                                       '[[services.a.watch]]\npaths = ["src/**/*.py"]\naction = "restart"\n',
                         {f"src/d{i}/f.py": "" for i in range(6)} | {"node_modules/a/b/c.js": "",
                                                                     "docs/a/b.md": ""})
    limit = tmp_path / "max_user_watches"
    limit.write_text("100\n")
    (row,) = doctor.check_inotify(project, limit_file=limit)
    # root, src, 6 × d*: node_modules is ignored, docs/ matches no watch rule
    assert row.status == PASS and "8 folders" in row.detail, row
    limit.write_text("12\n")
    assert doctor.check_inotify(project, limit_file=limit)[0].status == WARN
    limit.write_text("5\n")
    (row,) = doctor.check_inotify(project, limit_file=limit)
    assert row.status == WARN and "would poll" in row.detail and "max_user_watches" in row.hint


def test_requires_read_from_the_raw_manifest(tmp_path):
    manifest = tmp_path / "devenv.toml"
    manifest.write_text('[project]\nrequires = ">=99"\n')
    (row,) = doctor.check_requires(manifest, None)
    assert row.status == FAIL and ">=99" in row.detail
    manifest.write_text('[project]\nrequires = ">=0.1"\n')
    assert doctor.check_requires(manifest, None)[0].status == PASS
    assert doctor.check_requires(None, None)[0].status == WARN


def test_disk_thresholds(monkeypatch, tmp_path):
    usage = namedtuple("usage", "total used free")
    for free, status in ((doctor.GIB // 2, FAIL), (3 * doctor.GIB, WARN), (50 * doctor.GIB, PASS)):
        monkeypatch.setattr(doctor.shutil, "disk_usage", lambda _p, free=free: usage(0, 0, free))
        assert doctor.check_disk(Context(None, None), tmp_path)[0].status == status


def test_lock_rows(make_project):
    project = project_of(make_project, '[services.a]\nimage = "mine:1"\n[services.b]\nimage = "x:1"\n')
    assert doctor.check_lock(project)[0].status == WARN  # no lock yet
    local = Entry(image=Pin("mine:1", "sha256:" + "9" * 64, "local"))
    write_lock(project.root / "devenv.lock", Lock({"a": local}, "", "0.1.0"))
    (row,) = doctor.check_lock(project)
    assert row.status == FAIL and "service b" in row.detail
    digest = "sha256:" + "1" * 64  # a pin verifies only with a real sha256 digest
    write_lock(project.root / "devenv.lock", Lock({"a": local, "b": Entry(image=Pin("x:1", f"x@{digest}", "registry",
                                                                                     digest))}, "", "0.1.0"))
    (row,) = doctor.check_lock(project)
    assert row.status == WARN and "local only" in row.detail
    lock_file = project.root / "devenv.lock"
    lock_file.write_text(lock_file.read_text().replace("x@sha256", "y@sha256"))
    (row,) = doctor.check_lock(project)
    assert row.status == FAIL and "service b" in row.detail and "an image of y, not of x" in row.detail
    (project.root / "devenv.lock").write_text("<<<<<<< HEAD\n")
    assert doctor.check_lock(project)[0].status == FAIL


def test_ports_taken_by_another_process(make_project):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        project = project_of(make_project, f'[services.web]\nimage = "x:1"\nports = ["{port}:80"]\n')
        (row,) = doctor.check_ports(Context(project, None))
        assert row.status == FAIL and f"127.0.0.1:{port}" in row.detail and "service web" in row.detail
    assert doctor.check_ports(Context(project, None))[0].status == PASS


def test_a_dockerfile_devenv_cannot_read_is_named_with_its_fix_not_the_registry(tmp_path):
    from devenv.doctor import FAIL, Context, check_images
    from devenv.manifest.load import load_project
    from tests.fakes import FakeEngine

    (tmp_path / "devenv.toml").write_text('[services.b]\nbuild = "."\n')
    (tmp_path / "Dockerfile").write_bytes(b"FROM x\n# caf\xe9\n")
    project = load_project(directory=tmp_path, environ={})
    [check] = check_images(Context(project, FakeEngine()))  # type: ignore[arg-type]
    assert check.status == FAIL and "not valid UTF-8" in check.detail
    assert check.hint == "fix the Dockerfile named above"
