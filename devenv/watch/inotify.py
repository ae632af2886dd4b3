"""Linux file events: one inotify instance through `inotify_simple` (a public, typed-enough
ctypes binding), one *non-recursive* watch per folder, so ignored trees get no watch at all.

The reader thread only puts raw events on the queue: ("file", path), ("write", path) (a file
still open for writing), ("dir", path), ("gone", path) or ("overflow", None).
"""

from __future__ import annotations

import errno
import os
import queue
import select
import threading

from inotify_simple import INotify
from inotify_simple import flags as F

MAX_WATCHES_FILE = "/proc/sys/fs/inotify/max_user_watches"
MAX_INSTANCES_FILE = "/proc/sys/fs/inotify/max_user_instances"
MASK = (F.MODIFY | F.CLOSE_WRITE | F.CREATE | F.DELETE | F.MOVED_FROM | F.MOVED_TO | F.DELETE_SELF
        | F.MOVE_SELF | F.ONLYDIR | F.DONT_FOLLOW | F.EXCL_UNLINK)


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
        try:
            self._inotify = INotify()
        except OSError as exc:
            if exc.errno == errno.EMFILE:
                raise OSError(exc.errno, "the inotify instance limit is reached (fs.inotify.max_user_instances = "
                                         f"{_sysctl(MAX_INSTANCES_FILE)}); raise it with "
                                         "`sudo sysctl fs.inotify.max_user_instances=512`") from None
            raise
        self.events = events
        self._lock = threading.Lock()
        self._dir_of: dict[int, str] = {}
        self._wd_of: dict[str, int] = {}
        self._kill_r, self._kill_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="devenv-inotify", daemon=True)
        self._thread.start()

    def __len__(self) -> int:
        with self._lock:
            return len(self._wd_of)

    def add(self, path: str) -> bool:
        """Watch one folder. False if it vanished or is unreadable; WatchLimit at the limit."""
        try:
            wd = self._inotify.add_watch(path, MASK)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise WatchLimit(path) from None
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
            try:
                self._inotify.rm_watch(wd)
            except OSError:
                pass  # the kernel already dropped it (folder deleted): fine

    def watched(self, path: str) -> bool:
        with self._lock:
            return path in self._wd_of

    def folders(self) -> list[str]:
        with self._lock:
            return list(self._wd_of)

    def close(self) -> None:
        os.write(self._kill_w, b"x")
        self._thread.join(timeout=2)
        for fd in (self._kill_r, self._kill_w):
            try:
                os.close(fd)
            except OSError:
                pass
        self._inotify.close()

    def _run(self) -> None:
        poller = select.poll()
        poller.register(self._inotify.fileno(), select.POLLIN)
        poller.register(self._kill_r, select.POLLIN)
        while True:
            try:
                ready = {fd for fd, _ in poller.poll()}
                if self._kill_r in ready:
                    return
                batch = self._inotify.read(timeout=0)
            except InterruptedError:
                continue
            except (OSError, ValueError):
                return
            for event in batch:
                self._dispatch(event.wd, event.mask, event.name)

    def _dispatch(self, wd: int, mask: int, name: str) -> None:
        if mask & F.Q_OVERFLOW:
            self.events.put(("overflow", None))
            return
        with self._lock:
            folder = self._dir_of.get(wd)
            if mask & F.IGNORED and folder is not None:
                del self._dir_of[wd]
                if self._wd_of.get(folder) == wd:
                    del self._wd_of[folder]
        if folder is None or mask & F.IGNORED:
            return
        if mask & (F.DELETE_SELF | F.MOVE_SELF):
            self.events.put(("gone", folder))
        elif mask & F.ISDIR:
            path = os.path.join(folder, name)
            kind = "dir" if mask & (F.CREATE | F.MOVED_TO) else "gone" if mask & (F.DELETE | F.MOVED_FROM) else None
            if kind:
                self.events.put((kind, path))
        elif name:
            # "write": the file is open for writing (more may come); "file": it was closed,
            # moved or deleted. A batch waits for the close of a file still being written.
            writing = mask & (F.MODIFY | F.CREATE) and not mask & F.CLOSE_WRITE
            self.events.put(("write" if writing else "file", os.path.join(folder, name)))
