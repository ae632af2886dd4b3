"""The watcher's filesystem side on real folders (real inotify, real polling), no Docker."""

from __future__ import annotations

import os
import queue
import threading
import time
from pathlib import Path

import pytest

from devenv.options import Options
from devenv.watch import fs as watch_fs
from devenv.watch import rules
from devenv.watch.actions import Session
from devenv.watch.fs import BURST, TreeWatcher, WatchLimit, collect
from devenv.watch.output import Output
from devenv.watch.source import from_project


def drain(q: queue.Queue, until, timeout: float = 5.0) -> list:
    """Events from `q` until one satisfies `until` (or fail)."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            event = q.get(timeout=0.1)
        except queue.Empty:
            continue
        seen.append(event)
        if until(event):
            return seen
    pytest.fail(f"no matching event; saw {seen}")


def tree(root: Path, dirs: list[str]) -> None:
    for d in dirs:
        (root / d).mkdir(parents=True, exist_ok=True)
        (root / d / "f.txt").write_text("x")


def skip_named(*names: str):
    return lambda path: os.path.basename(path) in names


@pytest.fixture
def watcher():
    made = []

    def make(root: Path, skip=lambda p: False, **kwargs) -> tuple[TreeWatcher, queue.Queue]:
        q: queue.Queue = queue.Queue()
        w = TreeWatcher(q, skip, **kwargs)
        made.append(w)
        return w, q

    yield make
    for w in made:
        w.close()


def test_ignored_folders_get_no_watch(tmp_path, watcher):
    tree(tmp_path, ["src/a", "src/b", "node_modules/x/y", "node_modules/z", ".git/objects"])
    w, q = watcher(tmp_path, skip_named("node_modules", ".git"))
    files = w.add_tree(str(tmp_path))
    assert w.mode == "inotify"
    assert w.counts == {"inotify": 4, "polled": 0}  # root, src, src/a, src/b
    assert sorted(os.path.relpath(f, tmp_path) for f in files) == ["src/a/f.txt", "src/b/f.txt"]
    assert not w.watched(str(tmp_path / "node_modules"))

    (tmp_path / "node_modules/x/y/f.txt").write_text("changed")
    (tmp_path / "src/a/f.txt").write_text("changed")
    events = drain(q, lambda e: e[0] == "file")
    assert events[-1] == ("file", str(tmp_path / "src/a/f.txt"))
    assert all("node_modules" not in (e[1] or "") for e in events)


def test_folder_events_and_new_folders(tmp_path, watcher):
    w, q = watcher(tmp_path)
    w.add_tree(str(tmp_path))
    (tmp_path / "new").mkdir()
    assert drain(q, lambda e: e[0] == "dir")[-1] == ("dir", str(tmp_path / "new"))
    w.add_tree(str(tmp_path / "new"))
    (tmp_path / "new/file").write_text("1")
    assert drain(q, lambda e: e[0] == "file")[-1] == ("file", str(tmp_path / "new/file"))
    (tmp_path / "new/file").unlink()
    (tmp_path / "new").rmdir()
    assert drain(q, lambda e: e[0] == "gone")[-1][1] in (str(tmp_path / "new"),)


def test_at_the_inotify_limit_the_rest_is_polled_and_said_so(tmp_path, watcher, monkeypatch, capsys):
    tree(tmp_path, ["a", "b", "c", "d"])
    real_add = watch_fs.InotifyWatcher.add
    calls = []

    def limited(self, path):
        calls.append(path)
        if len(calls) > 2:
            raise WatchLimit(path)
        return real_add(self, path)

    monkeypatch.setattr(watch_fs.InotifyWatcher, "add", limited)
    w, q = watcher(tmp_path, poll_interval=0.05)
    w.add_tree(str(tmp_path))
    assert w.counts == {"inotify": 2, "polled": 3}
    err = capsys.readouterr().err
    assert "inotify watch limit" in err and "sysctl fs.inotify.max_user_watches=" in err
    polled = next(d for d in "abcd" if w.poller.watched(str(tmp_path / d)))
    time.sleep(0.02)
    (tmp_path / polled / "f.txt").write_text("changed, and longer")
    assert drain(q, lambda e: e[0] == "file")[-1] == ("file", str(tmp_path / polled / "f.txt"))


def test_poll_mode_sees_files_and_folders(tmp_path, watcher):
    tree(tmp_path, ["src"])
    w, q = watcher(tmp_path, poll=True, poll_interval=0.05)
    w.add_tree(str(tmp_path))
    assert w.mode == "polling" and w.counts == {"inotify": 0, "polled": 2}
    time.sleep(0.02)
    (tmp_path / "src/f.txt").write_text("changed, and longer")
    assert drain(q, lambda e: e[0] == "file")[-1] == ("file", str(tmp_path / "src/f.txt"))
    (tmp_path / "src/sub").mkdir()
    assert drain(q, lambda e: e[0] == "dir")[-1] == ("dir", str(tmp_path / "src/sub"))


def test_collect_coalesces_a_burst_and_stops_after_the_quiet_period():
    q: queue.Queue = queue.Queue()
    got = []

    for i in range(50):  # a burst already queued: no timing between events to depend on the machine's load
        q.put(("file", f"/x/{i}"))
    assert collect(q, lambda *e: got.append(e), idle=2, quiet=0.1) == 50
    assert len(got) == 50
    assert collect(q, lambda *e: None, idle=0.05, quiet=0.1) == 0  # nothing: returns after idle


def test_collect_does_not_wait_forever_on_a_writer_that_never_stops():
    q: queue.Queue = queue.Queue()
    stop = threading.Event()

    def feed():
        while not stop.is_set():
            q.put(("file", "/x"))
            time.sleep(0.01)

    threading.Thread(target=feed).start()
    started = time.monotonic()
    try:
        collect(q, lambda *e: None, idle=1, quiet=0.1, max_wait=0.5)
    finally:
        stop.set()
    assert time.monotonic() - started < 3


def test_session_watches_a_new_folder_while_the_batch_is_gathered(make_project):
    """Files written into a folder right after it appears belong to the same batch."""
    folder = make_project({"devenv.toml": """
[services.web]
image = "busybox"
[[services.web.watch]]
paths = ["src/**"]
action = "restart"
""", "src/a.txt": "a", "docs/readme.md": "not watched: no trigger reaches it",
        "node_modules/p/index.js": "ignored"})
    session = Session(Options(directory=folder), targets=[], no_deps=False, pull="never", timeout=10,
                      locked=False, poll=False, poll_interval=0.5, output=Output(as_json=True))
    try:
        assert session.tree.counts["inotify"] == 2  # the root and src; not docs, not node_modules
        done = threading.Event()

        def writer():
            (folder / "src/pkg").mkdir()
            for i in range(200):
                (folder / f"src/pkg/m{i}.py").write_text(str(i))
            done.set()

        threading.Thread(target=writer).start()
        taken = collect(session.events, session.absorb, idle=5, quiet=0.3)
        done.wait(5)
        changes = session.changes()
        assert taken > 0
        assert len(changes) == 200 and {c.kind for c in changes} == {"created"}
        (folder / "src/a.txt").write_text("a")  # same content
        collect(session.events, session.absorb, idle=5, quiet=0.2)
        assert session.changes() == []
    finally:
        session.close()


def test_a_burst_survives_a_short_stall_but_a_single_save_does_not_wait_longer():
    def run(first: int) -> int:
        q: queue.Queue = queue.Queue()

        def feed():
            for _ in range(first):
                q.put(("file", "/x"))
            time.sleep(0.2)  # a stall: longer than the quiet period, shorter than 3× it
            q.put(("file", "/y"))

        threading.Thread(target=feed).start()
        taken = collect(q, lambda *e: None, idle=2, quiet=0.1)
        time.sleep(0.3)
        return taken

    assert run(100) == 101  # a checkout's burst stays one batch
    assert run(3) == 3  # one save: the batch ends after the quiet period


class ScriptedEvents:
    """A queue that hands out scripted events and records how long each get() would wait:
    the batch's timing is read from the waits asked for, not from a clock."""

    def __init__(self, *events: tuple[str, str]):
        self.events = list(events)
        self.waits: list[float | None] = []

    def get(self, timeout: float | None = None):
        self.waits.append(timeout)
        if not self.events:
            raise queue.Empty
        return self.events.pop(0)

    def get_nowait(self):
        return self.get(0)


def save_events(path: Path) -> tuple[tuple[str, str], ...]:
    path.write_text("saved")
    return ("write", str(path)), ("write", str(path)), ("file", str(path))  # truncate, write, close


def test_a_finished_save_settles_sooner_than_the_quiet_period(tmp_path):
    events = ScriptedEvents(*save_events(tmp_path / "a.py"))
    assert collect(events, lambda *e: None, idle=30, max_wait=3600, quiet=0.05, settle=0.015) == 3
    assert events.waits == [30, 0.05, 0.05, 0.015]  # mid-write: the quiet period; after the close: settle


def test_without_settle_or_with_a_file_still_open_or_gone_the_quiet_period_holds(tmp_path):
    events = ScriptedEvents(*save_events(tmp_path / "a.py"))
    collect(events, lambda *e: None, idle=30, max_wait=3600, quiet=0.05)
    assert events.waits == [30, 0.05, 0.05, 0.05]
    events = ScriptedEvents(*save_events(tmp_path / "a.py"))
    still_open = iter([True, False])  # another watched file is open for writing when the close comes
    collect(events, lambda *e: None, idle=30, max_wait=3600, quiet=0.05, settle=0.015,
            writing=lambda: next(still_open, False))
    assert events.waits[3] == 0.05
    events = ScriptedEvents(*save_events(tmp_path / "a.py"), ("file", str(tmp_path / "a.py~")))
    collect(events, lambda *e: None, idle=30, max_wait=3600, quiet=0.05, settle=0.015)
    assert events.waits[4] == 0.05  # the last event names a path that is gone (a backup's delete)


def test_settle_never_lengthens_a_wait_nor_cuts_a_burst_short(tmp_path):
    (tmp_path / "a.py").write_text("a")
    events = ScriptedEvents(("file", str(tmp_path / "a.py")))
    collect(events, lambda *e: None, idle=30, max_wait=3600, quiet=0.005, settle=0.015)
    assert events.waits == [30, 0.005]
    burst = ScriptedEvents(*[("file", str(tmp_path / "a.py"))] * (BURST + 1))
    collect(burst, lambda *e: None, idle=30, max_wait=3600, quiet=0.05, settle=0.015)
    assert burst.waits[BURST - 1] == 0.015 and burst.waits[BURST] == pytest.approx(0.15)  # past BURST: 3× quiet


@pytest.mark.parametrize(("given", "mode", "expected"), [
    (None, "inotify", (0.05, 0.015)), (None, "polling", (0.05, None)), (None, "fsevents", (0.05, None)),
    (200, "inotify", (0.2, None)), (0, "inotify", (0.0, None))])
def test_only_inotify_with_the_default_quiet_period_settles_early(given, mode, expected):
    from devenv.watch.fs import batch_timing

    assert batch_timing(given, mode) == expected


def test_after_a_queue_overflow_everything_is_compared_again(make_project):
    folder = make_project({"devenv.toml": """
[services.web]
image = "busybox"
[[services.web.watch]]
paths = ["src/**"]
action = "restart"
""", "src/a.txt": "a", "src/b.txt": "b"})
    session = Session(Options(directory=folder), targets=[], no_deps=False, pull="never", timeout=10,
                      locked=False, poll=True, poll_interval=60, output=Output(as_json=True))
    try:
        (folder / "src/a.txt").write_text("changed")  # no event reaches us (polling every 60 s)
        (folder / "src/b.txt").unlink()
        (folder / "src/new").mkdir()
        (folder / "src/new/c.txt").write_text("c")
        session.absorb("overflow", None)
        assert sorted((c.path, c.kind) for c in session.changes()) == [
            ("src/a.txt", "modified"), ("src/b.txt", "deleted"), ("src/new/c.txt", "created")]
        assert session.tree.watched(str(folder / "src/new"))
    finally:
        session.close()


@pytest.mark.parametrize("argv", [["up", "--poll"], ["up", "--down-on-exit"], ["up", "--watch", "--dry-run"],
                                  ["watch", "--quiet-period", "-1"]])
def test_watch_flags_that_make_no_sense_are_usage_errors(argv, tmp_path, monkeypatch):
    from devenv.cli.main import main

    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2


def test_a_new_ignore_file_removes_watches_and_a_new_rule_adds_them(make_project):
    manifest = """
[services.web]
image = "busybox"
[[services.web.watch]]
paths = ["src/**"]
action = "restart"
"""
    folder = make_project({"devenv.toml": manifest, "src/gen/x.txt": "x", "src/app/y.txt": "y", "docs/a.md": "a"})
    session = Session(Options(directory=folder), targets=[], no_deps=False, pull="never", timeout=10,
                      locked=False, poll=False, poll_interval=0.5, output=Output(as_json=True))
    try:
        assert session.tree.watched(str(folder / "src/gen")) and not session.tree.watched(str(folder / "docs"))
        (folder / ".devenvignore").write_text("src/gen\n")
        (folder / "devenv.toml").write_text(
            manifest + '[[services.web.watch]]\npaths = ["docs/**"]\naction = "restart"\n')
        session.source = from_project(session.opts.load())
        session.configure()
        assert not session.tree.watched(str(folder / "src/gen"))
        assert session.tree.watched(str(folder / "src/app")) and session.tree.watched(str(folder / "docs"))
        assert "docs/a.md" in session.index.digests and "src/gen/x.txt" not in session.index.digests
    finally:
        session.close()


def test_a_reload_that_drops_the_watched_service_keeps_the_old_manifest(make_project, capsys):
    folder = make_project({"devenv.toml": '[services.web]\nimage = "busybox"\n[services.db]\nimage = "busybox"\n'})
    session = Session(Options(directory=folder), targets=["web"], no_deps=False, pull="never", timeout=10,
                      locked=False, poll=True, poll_interval=60, output=Output(as_json=False))
    try:
        old = session.source
        (folder / "devenv.toml").write_text('[services.db]\nimage = "busybox"\n')
        assert session.reload([]) is None  # not loaded: what would load it again is skipped
        assert session.source is old and list(session.services) == ["web"]
        assert "devenv: error: no service named web" in capsys.readouterr().err
    finally:
        session.close()


def test_a_file_still_open_for_writing_holds_the_batch_until_it_is_closed(make_project):
    folder = make_project({"devenv.toml": """
[services.web]
image = "busybox"
[[services.web.watch]]
paths = ["src/**"]
action = "restart"
""", "src/a.txt": "old"})
    session = Session(Options(directory=folder), targets=[], no_deps=False, pull="never", timeout=10,
                      locked=False, poll=False, poll_interval=0.5, output=Output(as_json=True))
    try:
        def slow_writer():
            with open(folder / "src/a.txt", "w") as f:  # truncates: the file is empty for a while
                f.flush()
                time.sleep(0.5)  # a writer paused (a loaded machine) longer than the quiet period
                f.write("new")

        threading.Thread(target=slow_writer).start()
        collect(session.events, session.absorb, idle=5, quiet=0.1, writing=lambda: bool(session.writing))
        assert [(c.path, c.kind) for c in session.changes()] == [("src/a.txt", "modified")]
        assert session.index.digests["src/a.txt"] == rules.file_digest(
            str(folder / "src/a.txt"))  # the final content, not the empty file
        collect(session.events, session.absorb, idle=0.5, quiet=0.1, writing=lambda: bool(session.writing))
        assert session.changes() == []  # and no second change for the same save
    finally:
        session.close()


def test_a_hint_to_run_up_again_reads_as_save_again_under_watch(capsys):
    Output(as_json=False).error("service web: port 8000 is taken", hint="free it, then run `devenv up` again")
    err = capsys.readouterr().err
    assert "then save again (the watch retries on the next change)" in err and "devenv up` again" not in err
