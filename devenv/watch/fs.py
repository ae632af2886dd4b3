"""The filesystem side of watch mode: which folders get a watch, and the event sources.

One inotify instance (watchdog's ctypes bindings), with one *non-recursive* watch per folder
that is neither ignored (.git, node_modules, .devenvignore, .dockerignore…) nor irrelevant
(no trigger can match below it). Ignored folders get no watch at all, so a 100,000-file
node_modules costs nothing. New folders are watched as they appear. When the kernel's watch
limit is hit, the folders left over are polled instead; `--poll` polls everything.

The reader and poller threads only put raw events on a queue: ("file", path), ("write", path)
(a file still open for writing), ("dir", path),
("gone", path) or ("overflow", None); the session adds ("died", container ID) from
the engine's event stream. Hashing, deciding and acting happen in the main loop.
"""

from __future__ import annotations

import ctypes
import errno
import os
import queue
import select
import struct
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from devenv import ui

if TYPE_CHECKING:
    from watchdog.observers.inotify_c import WatchDescriptor

Entry = tuple[str, ...] | tuple[str, int, int, int]  # ("d",) for a folder, ("f", mtime_ns, size, inode)

MAX_WATCHES_FILE = "/proc/sys/fs/inotify/max_user_watches"
MAX_INSTANCES_FILE = "/proc/sys/fs/inotify/max_user_instances"


class WatchLimit(Exception):
    """The kernel refused another inotify watch (fs.inotify.max_user_watches)."""


def _sysctl(path: str) -> str:
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return "?"


def limit_message(polled: int) -> str:
    return (f"the inotify watch limit is reached (fs.inotify.max_user_watches = {_sysctl(MAX_WATCHES_FILE)}); "
            f"polling the remaining {polled} folder(s) instead. Raise it with "
            "`sudo sysctl fs.inotify.max_user_watches=524288` (to keep it, add that setting to "
            "/etc/sysctl.d/60-inotify.conf)")


class InotifyWatcher:
    """One inotify instance, one reader thread, one non-recursive watch per folder."""

    def __init__(self, events: queue.Queue):
        from watchdog.observers.inotify_c import InotifyConstants as C
        from watchdog.observers.inotify_c import inotify_add_watch, inotify_init, inotify_rm_watch

        self._add_watch, self._rm_watch = inotify_add_watch, inotify_rm_watch
        self.C = C
        self.mask = (C.IN_MODIFY | C.IN_CLOSE_WRITE | C.IN_CREATE | C.IN_DELETE | C.IN_MOVED_FROM
                     | C.IN_MOVED_TO | C.IN_DELETE_SELF | C.IN_MOVE_SELF | C.IN_ONLYDIR | C.IN_DONT_FOLLOW
                     | C.IN_EXCL_UNLINK)
        fd = inotify_init()
        if fd < 0:
            err = ctypes.get_errno()
            if err == errno.EMFILE:
                raise OSError(err, "the inotify instance limit is reached (fs.inotify.max_user_instances = "
                                   f"{_sysctl(MAX_INSTANCES_FILE)}); raise it with "
                                   "`sudo sysctl fs.inotify.max_user_instances=512`")
            raise OSError(err, os.strerror(err))
        self.fd = fd
        self.events = events
        self._lock = threading.Lock()
        self._dir_of: dict[WatchDescriptor, str] = {}
        self._wd_of: dict[str, WatchDescriptor] = {}
        self._kill_r, self._kill_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="devenv-inotify", daemon=True)
        self._thread.start()

    def __len__(self) -> int:
        with self._lock:
            return len(self._wd_of)

    def add(self, path: str) -> bool:
        """Watch one folder. False if it vanished or is unreadable; WatchLimit at the limit."""
        wd = self._add_watch(self.fd, os.fsencode(path), self.mask)
        if wd < 0:
            err = ctypes.get_errno()
            if err == errno.ENOSPC:
                raise WatchLimit(path)
            return False
        with self._lock:
            old = self._dir_of.get(wd)
            if old is not None and old != path:  # the same folder, moved: the watch follows the inode
                self._wd_of.pop(old, None)
            self._dir_of[wd] = path
            self._wd_of[path] = wd
        return True

    def remove_tree(self, path: str) -> None:
        prefix = path + os.sep
        with self._lock:
            gone = [(p, wd) for p, wd in self._wd_of.items() if p == path or p.startswith(prefix)]
            for p, wd in gone:
                del self._wd_of[p]
                self._dir_of.pop(wd, None)
        for _, wd in gone:
            self._rm_watch(self.fd, wd)  # may fail if the kernel already dropped it: fine

    def watched(self, path: str) -> bool:
        with self._lock:
            return path in self._wd_of

    def folders(self) -> list[str]:
        with self._lock:
            return list(self._wd_of)

    def close(self) -> None:
        os.write(self._kill_w, b"x")
        self._thread.join(timeout=2)
        for fd in (self.fd, self._kill_r, self._kill_w):
            try:
                os.close(fd)
            except OSError:
                pass

    def _run(self) -> None:
        poller = select.poll()
        poller.register(self.fd, select.POLLIN)
        poller.register(self._kill_r, select.POLLIN)
        while True:
            try:
                ready = {fd for fd, _ in poller.poll()}
                if self._kill_r in ready:
                    return
                data = os.read(self.fd, 256 * 1024)
            except InterruptedError:
                continue
            except OSError:
                return
            self._parse(data)

    def _parse(self, data: bytes) -> None:
        C = self.C
        i = 0
        while i + 16 <= len(data):
            wd, mask, _cookie, length = struct.unpack_from("iIII", data, i)
            name = os.fsdecode(data[i + 16:i + 16 + length].rstrip(b"\0"))
            i += 16 + length
            if mask & C.IN_Q_OVERFLOW:
                self.events.put(("overflow", None))
                continue
            with self._lock:
                folder = self._dir_of.get(wd)
                if mask & C.IN_IGNORED and folder is not None:
                    del self._dir_of[wd]
                    if self._wd_of.get(folder) == wd:
                        del self._wd_of[folder]
            if folder is None or mask & C.IN_IGNORED:
                continue
            if mask & (C.IN_DELETE_SELF | C.IN_MOVE_SELF):
                self.events.put(("gone", folder))
            elif mask & C.IN_ISDIR:
                path = os.path.join(folder, name)
                kind = "dir" if mask & (C.IN_CREATE | C.IN_MOVED_TO) else "gone" if mask & (
                    C.IN_DELETE | C.IN_MOVED_FROM) else None
                if kind:
                    self.events.put((kind, path))
            elif name:
                # "write": the file is open for writing (more may come); "file": it was closed,
                # moved or deleted. A batch waits for the close of a file still being written.
                writing = mask & (C.IN_MODIFY | C.IN_CREATE) and not mask & C.IN_CLOSE_WRITE
                self.events.put(("write" if writing else "file", os.path.join(folder, name)))


class Poller:
    """Scans a set of folders (non-recursively) every `interval` seconds and reports what
    differs: a file's (mtime, size, inode), a folder that appeared or went away."""

    def __init__(self, events: queue.Queue, interval: float = 0.5):
        self.events = events
        self.interval = interval
        self._lock = threading.Lock()
        self._dirs: dict[str, dict[str, Entry]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None  # started with the first folder: idle costs nothing

    def __len__(self) -> int:
        with self._lock:
            return len(self._dirs)

    def add(self, path: str) -> bool:
        snapshot = _scan(path)
        if snapshot is None:
            return False
        with self._lock:
            self._dirs[path] = snapshot
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="devenv-poll", daemon=True)
                self._thread.start()
        return True

    def remove_tree(self, path: str) -> None:
        prefix = path + os.sep
        with self._lock:
            for p in [p for p in self._dirs if p == path or p.startswith(prefix)]:
                del self._dirs[p]

    def watched(self, path: str) -> bool:
        with self._lock:
            return path in self._dirs

    def folders(self) -> list[str]:
        with self._lock:
            return list(self._dirs)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            with self._lock:
                folders = list(self._dirs.items())
            for folder, before in folders:
                after = _scan(folder)
                with self._lock:
                    if folder not in self._dirs:
                        continue
                    if after is None:
                        del self._dirs[folder]
                    else:
                        self._dirs[folder] = after
                if after is None:
                    self.events.put(("gone", folder))
                    continue
                for name in before.keys() | after.keys():
                    old, new = before.get(name), after.get(name)
                    entry = old or new
                    if old == new or entry is None:
                        continue
                    path = os.path.join(folder, name)
                    if entry[0] == "d":
                        self.events.put(("dir" if new else "gone", path))
                    else:
                        self.events.put(("file", path))


def _scan(folder: str) -> dict[str, Entry] | None:
    try:
        entries: dict[str, Entry] = {}
        with os.scandir(folder) as it:
            for entry in it:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        entries[entry.name] = ("d",)
                    else:
                        st = entry.stat(follow_symlinks=False)
                        entries[entry.name] = ("f", st.st_mtime_ns, st.st_size, st.st_ino)
                except OSError:
                    continue
        return entries
    except OSError:
        return None


class TreeWatcher:
    """Keeps a watch on every folder below the roots that is not pruned by `skip(abs_dir)`:
    inotify when it can, polling for what it cannot (or for everything with poll=True)."""

    def __init__(self, events: queue.Queue, skip: Callable[[str], bool], *, poll: bool = False,
                 poll_interval: float = 0.5):
        self.events = events
        self.skip = skip
        self.inotify: InotifyWatcher | None = None
        self.mode = "polling"
        if not poll:
            try:
                self.inotify = InotifyWatcher(events)
                self.mode = "inotify"
            except Exception as exc:
                ui.warn(f"cannot use inotify ({getattr(exc, 'strerror', None) or exc}); polling instead")
        self.poller = Poller(events, poll_interval)
        self._limit_hit = False
        self._warned = False

    @property
    def counts(self) -> dict[str, int]:
        return {"inotify": len(self.inotify) if self.inotify else 0, "polled": len(self.poller)}

    def watched(self, path: str) -> bool:
        return bool(self.inotify and self.inotify.watched(path)) or self.poller.watched(path)

    def add_tree(self, top: str) -> list[str]:
        """Watch `top` and the folders below it; return the files found there (absolute)."""
        files: list[str] = []
        stack = [top]
        while stack:
            folder = stack.pop()
            if not self._watch(folder):
                continue
            try:
                with os.scandir(folder) as it:
                    entries = list(it)
            except OSError:
                continue
            for entry in entries:
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    continue
                if is_dir:
                    if not self.skip(entry.path):
                        stack.append(entry.path)
                else:
                    files.append(entry.path)
        if self._limit_hit and not self._warned:
            self._warned = True
            ui.warn(limit_message(len(self.poller)))
        return files

    def _watch(self, folder: str) -> bool:
        if self.watched(folder):
            return True
        if self.inotify is not None and not self._limit_hit:
            try:
                return self.inotify.add(folder)
            except WatchLimit:
                self._limit_hit = True
        return self.poller.add(folder)

    def prune(self, keep: Callable[[str], bool]) -> int:
        """Stop watching every folder for which keep(path) is false; return how many."""
        folders = set(self.poller.folders())
        if self.inotify is not None:
            folders |= set(self.inotify.folders())
        gone = [f for f in sorted(folders) if not keep(f)]
        for folder in gone:
            self.remove_tree(folder)
        return len(gone)

    def remove_tree(self, top: str) -> None:
        if self.inotify is not None:
            self.inotify.remove_tree(top)
        self.poller.remove_tree(top)

    def close(self) -> None:
        if self.inotify is not None:
            self.inotify.close()
        self.poller.close()


BURST = 64  # events in one batch from which it counts as a burst


def collect(events: queue.Queue, absorb: Callable[[str, str | None], None], *, idle: float, quiet: float,
            max_wait: float = 5.0, writing: Callable[[], bool] = lambda: False) -> int:
    """Block up to `idle` seconds for a first event, then take events until `quiet` seconds pass
    without one (at most `max_wait` in all, so a writer that never stops can't starve us).
    A burst waits up to 3× `quiet` (0.5 s at most) for its next event, and while writing() says
    a watched file is still open for writing, the batch waits for its close (a writer paused
    between truncating a file and filling it must not be seen half-way).
    Each event goes to `absorb` as it arrives, so a new folder is watched at once and the files
    written into it next still belong to this batch. Returns the number of events taken."""
    try:
        absorb(*events.get(timeout=idle))
    except queue.Empty:
        return 0
    taken = 1
    deadline = time.monotonic() + max_wait
    while True:
        left = deadline - time.monotonic()
        # In a burst (a checkout, an install) a gap is likelier a busy disk or CPU than the
        # end: wait a little longer there, never longer for a single save.
        wait = quiet if taken < BURST else min(quiet * 3, max(quiet, 0.5))
        try:
            item = events.get(timeout=min(wait, left)) if left > 0 else events.get_nowait()
        except queue.Empty:
            if left > 0 and writing():
                continue
            return taken
        absorb(*item)
        taken += 1
