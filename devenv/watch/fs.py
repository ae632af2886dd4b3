"""The filesystem side of watch mode: which folders get a watch, and the event sources.

Native events through public APIs (devenv.watch.backends decides which): on Linux one inotify
instance (`inotify_simple`, devenv.watch.inotify) with one *non-recursive* watch per folder
that is neither ignored (.git, node_modules, .devenvignore, .dockerignore…) nor irrelevant
(no trigger can match below it), so a 100,000-file node_modules costs nothing; on macOS and
Windows one recursive FSEvents / ReadDirectoryChangesW stream per root, ignored paths filtered
in its handler (devenv.watch.recursive). New folders are watched as they appear. When the
kernel's watch limit is hit, the folders left over are polled instead; `--poll`, network file
systems and WSL2's /mnt drives poll everything.

The reader and poller threads only put raw events on a queue: ("file", path), ("write", path)
(a file still open for writing), ("dir", path),
("gone", path) or ("overflow", None); the session adds ("died", container ID) from
the engine's event stream. Hashing, deciding and acting happen in the main loop.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from devenv import ui
from devenv.watch import backends
from devenv.watch.inotify import InotifyWatcher, WatchLimit, limit_message

__all__ = ["BURST", "Poller", "TreeWatcher", "WatchLimit", "collect", "limit_message"]

Entry = tuple[str, ...] | tuple[str, int, int, int]  # ("d",) for a folder, ("f", mtime_ns, size, inode)


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
                 poll_interval: float = 0.5, root: str | None = None, choice: backends.Choice | None = None,
                 observer_class: Any = None):
        self.events = events
        self.skip = skip
        self.choice = choice or backends.detect(root or os.getcwd(), poll=poll)
        if self.choice.warning:
            ui.warn(self.choice.warning)
        self.native: InotifyWatcher | Any | None = None
        self.mode = backends.POLLING
        backend = self.choice.backend
        if backend != backends.POLLING:
            try:
                if backend == backends.INOTIFY and observer_class is None:
                    self.native = InotifyWatcher(events)
                else:
                    from devenv.watch.recursive import RecursiveWatcher, native_observer_class

                    self.native = RecursiveWatcher(events, skip, observer_class or native_observer_class(backend))
                self.mode = backend
            except Exception as exc:
                ui.warn(f"cannot use {backend} ({getattr(exc, 'strerror', None) or exc}); polling instead")
        self.poller = Poller(events, poll_interval)
        self._limit_hit = False
        self._warned = False

    @property
    def inotify(self) -> InotifyWatcher | None:
        return self.native if isinstance(self.native, InotifyWatcher) else None

    @property
    def counts(self) -> dict[str, int]:
        # "inotify" is the count of natively watched folders, whatever the backend (a stable key)
        return {"inotify": len(self.native) if self.native else 0, "polled": len(self.poller)}

    def watched(self, path: str) -> bool:
        return bool(self.native and self.native.watched(path)) or self.poller.watched(path)

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
        if self.native is not None and not self._limit_hit:
            try:
                return self.native.add(folder)
            except WatchLimit:
                self._limit_hit = True
        return self.poller.add(folder)

    def prune(self, keep: Callable[[str], bool]) -> int:
        """Stop watching every folder for which keep(path) is false; return how many."""
        folders = set(self.poller.folders())
        if self.native is not None:
            folders |= set(self.native.folders())
        gone = [f for f in sorted(folders) if not keep(f)]
        for folder in gone:
            self.remove_tree(folder)
        return len(gone)

    def remove_tree(self, top: str) -> None:
        if self.native is not None:
            self.native.remove_tree(top)
        self.poller.remove_tree(top)

    def close(self) -> None:
        if self.native is not None:
            self.native.close()
        self.poller.close()


BURST = 64  # events in one batch from which it counts as a burst
DEFAULT_QUIET = 0.05  # seconds without events that end a batch, unless --quiet-period says otherwise
# A save in place ends with its file's close, an atomic one with the rename into place; the
# editor's next step (a save-all's next file) follows within a millisecond. 15 ms of quiet after
# such an event, with no watched file open for writing, is a finished save: act on it. A path
# that is gone (vim's rename aside of the old file, a backup's delete) gets the full quiet.
SAVE_SETTLE = 0.015


def batch_timing(quiet_period_ms: int | None, mode: str) -> tuple[float, float | None]:
    """The quiet period and the settle time after a finished save, in seconds. Only inotify
    tells a file's close from a write in progress, so only there does a save settle sooner;
    a quiet period the user gave is kept as given."""
    if quiet_period_ms is not None:
        return quiet_period_ms / 1000, None
    return DEFAULT_QUIET, SAVE_SETTLE if mode == "inotify" else None


def collect(events: queue.Queue, absorb: Callable[[str, str | None], None], *, idle: float, quiet: float,
            max_wait: float = 5.0, writing: Callable[[], bool] = lambda: False,
            settle: float | None = None) -> int:
    """Block up to `idle` seconds for a first event, then take events until `quiet` seconds pass
    without one (at most `max_wait` in all, so a writer that never stops can't starve us).
    A burst waits up to 3× `quiet` (0.5 s at most) for its next event, and while writing() says
    a watched file is still open for writing, the batch waits for its close (a writer paused
    between truncating a file and filling it must not be seen half-way).
    `settle` (when given, and shorter than `quiet`): before a burst, once the last event closed
    or moved a file that now exists and nothing is open for writing, that much quiet ends the batch.
    Each event goes to `absorb` as it arrives, so a new folder is watched at once and the files
    written into it next still belong to this batch. Returns the number of events taken."""
    try:
        item = events.get(timeout=idle)
    except queue.Empty:
        return 0
    absorb(*item)
    taken = 1
    deadline = time.monotonic() + max_wait
    while True:
        left = deadline - time.monotonic()
        # In a burst (a checkout, an install) a gap is likelier a busy disk or CPU than the
        # end: wait a little longer there, never longer for a single save.
        wait = quiet if taken < BURST else min(quiet * 3, max(quiet, 0.5))
        if (settle is not None and taken < BURST and item[0] == "file" and item[1] is not None
                and os.path.lexists(item[1]) and not writing()):
            wait = min(wait, settle)
        try:
            item = events.get(timeout=min(wait, left)) if left > 0 else events.get_nowait()
        except queue.Empty:
            if left > 0 and writing():
                continue
            return taken
        absorb(*item)
        taken += 1
