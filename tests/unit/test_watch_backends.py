"""Which file-event source each platform gets, and the watchdog observer path (macOS FSEvents,
Windows ReadDirectoryChangesW) exercised on Linux through watchdog's public Observer API."""

from __future__ import annotations

import queue
import time
from pathlib import Path

import pytest
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from devenv.watch import backends
from devenv.watch.backends import FSEVENTS, INOTIFY, POLLING, WINDOWS, choose_backend, fs_type_of, is_wsl
from devenv.watch.fs import TreeWatcher


@pytest.mark.parametrize(("platform", "expected"), [
    ("linux", INOTIFY), ("darwin", FSEVENTS), ("win32", WINDOWS), ("freebsd14", POLLING)])
def test_native_backend_per_platform(platform: str, expected: str) -> None:
    assert choose_backend("/src/app", poll=False, platform=platform, wsl=False, fs_type="ext4").backend == expected


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_poll_when_asked(platform: str) -> None:
    choice = choose_backend("/src/app", poll=True, platform=platform, wsl=False, fs_type="ext4")
    assert (choice.backend, choice.warning) == (POLLING, None)


def test_wsl2_windows_drive_polls_and_advises_moving() -> None:
    choice = choose_backend("/mnt/c/Users/ann/shop", poll=False, platform="linux", wsl=True, fs_type="9p")
    assert choice.backend == POLLING
    assert choice.warning and "Move the project into the Linux file system" in choice.warning
    # the Linux side of WSL2 has inotify; /mnt/c outside WSL is just a folder
    assert choose_backend("/home/ann/shop", poll=False, platform="linux", wsl=True, fs_type="ext4").backend == INOTIFY
    assert choose_backend("/mnt/data/shop", poll=False, platform="linux", wsl=False, fs_type="ext4").backend == INOTIFY


@pytest.mark.parametrize("fs_type", ["nfs4", "cifs", "fuse.sshfs"])
def test_network_file_systems_poll(fs_type: str) -> None:
    choice = choose_backend("/net/src", poll=False, platform="linux", wsl=False, fs_type=fs_type)
    assert choice.backend == POLLING and fs_type in (choice.warning or "")


MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
server:/export /home/ann/net nfs4 rw 0 0
C:\\134 /mnt/c 9p rw,dirsync,aname=drvfs 0 0
/dev/vdb /home/ann/net\\040disk ext4 rw 0 0
"""


@pytest.mark.parametrize(("path", "expected"), [
    ("/home/ann/src", "ext4"), ("/home/ann/net/shop", "nfs4"), ("/home/ann/net", "nfs4"),
    ("/home/ann/network", "ext4"), ("/mnt/c/Users/ann", "9p"), ("/home/ann/net disk/x", "ext4")])
def test_fs_type_of_takes_the_longest_mount_point(path: str, expected: str) -> None:
    assert fs_type_of(path, MOUNTS) == expected


def test_is_wsl() -> None:
    assert is_wsl("5.15.153.1-microsoft-standard-WSL2")
    assert not is_wsl("6.1.0-28-amd64")


def test_detect_on_this_machine_is_inotify_for_a_local_folder(tmp_path: Path) -> None:
    if fs_type_of(str(tmp_path), Path("/proc/self/mounts").read_text()) in backends.NETWORK_FS:
        pytest.fail("tmp_path is on a network file system: this test needs a local one")
    assert backends.detect(str(tmp_path), poll=False).backend == INOTIFY


# -- the recursive observer path, driven through watchdog's public API -----------------------------


def events_until(q: queue.Queue, want: set[tuple[str, str]], timeout: float = 10.0) -> set[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    deadline = time.monotonic() + timeout
    while not want <= seen and time.monotonic() < deadline:
        try:
            seen.add(q.get(timeout=0.1))
        except queue.Empty:
            continue
    return seen


@pytest.mark.parametrize("observer_class", [Observer, PollingObserver], ids=["native", "polling"])
def test_recursive_observer_filters_ignored_trees_in_the_handler(tmp_path: Path, observer_class: type) -> None:
    """The same code runs FSEvents on macOS and ReadDirectoryChangesW on Windows: one recursive
    stream per root, events below an ignored folder dropped before they reach the queue."""
    (tmp_path / "src").mkdir()
    (tmp_path / "node_modules" / "pkg").mkdir(parents=True)
    q: queue.Queue = queue.Queue()
    choice = backends.Choice(FSEVENTS, "test")
    tree = TreeWatcher(q, lambda p: p.endswith("node_modules"), choice=choice, observer_class=observer_class)
    try:
        files = tree.add_tree(str(tmp_path))
        assert tree.mode == FSEVENTS and tree.watched(str(tmp_path / "src"))
        assert not tree.watched(str(tmp_path / "node_modules"))
        assert files == []
        time.sleep(0.3)  # let the stream start before writing
        (tmp_path / "node_modules" / "pkg" / "index.js").write_text("ignored")
        (tmp_path / "src" / "app.py").write_text("print(1)")
        (tmp_path / "src" / "new").mkdir()
        seen = events_until(q, {("file", str(tmp_path / "src" / "app.py")), ("dir", str(tmp_path / "src" / "new"))})
        assert ("file", str(tmp_path / "src" / "app.py")) in seen
        assert ("dir", str(tmp_path / "src" / "new")) in seen
        assert not any("node_modules" in path for _, path in seen), seen
        tree.remove_tree(str(tmp_path / "src"))  # pruned below the root: filtered from now on
        (tmp_path / "src" / "later.py").write_text("x")
        (tmp_path / "top.txt").write_text("x")
        seen = events_until(q, {("file", str(tmp_path / "top.txt"))})
        assert ("file", str(tmp_path / "top.txt")) in seen
        assert not any("later.py" in path for _, path in seen), seen
    finally:
        tree.close()


def test_recursive_observer_reports_moves_and_deletes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("1")
    q: queue.Queue = queue.Queue()
    tree = TreeWatcher(q, lambda p: False, choice=backends.Choice(WINDOWS, "test"), observer_class=Observer)
    try:
        tree.add_tree(str(tmp_path))
        time.sleep(0.3)
        (tmp_path / "a" / "one.txt").rename(tmp_path / "a" / "two.txt")
        (tmp_path / "a").rename(tmp_path / "b")
        want = {("file", str(tmp_path / "a" / "one.txt")), ("file", str(tmp_path / "a" / "two.txt")),
                ("gone", str(tmp_path / "a")), ("dir", str(tmp_path / "b"))}
        assert want <= events_until(q, want)
    finally:
        tree.close()
