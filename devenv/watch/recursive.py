"""macOS and Windows file events through watchdog's public observers (FSEventsObserver,
WindowsApiObserver): one recursive stream per watched root; ignored paths are filtered in the
handler, since these APIs cannot exclude a subtree. Events are put on the same queue, in the same
shapes, as the inotify reader's: ("file", path), ("dir", path), ("gone", path).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler


def native_observer_class(backend: str) -> Any:
    """The observer class for a backend; imported lazily (each exists on its own platform only)."""
    if backend == "fsevents":
        from watchdog.observers.fsevents import FSEventsObserver

        return FSEventsObserver
    if backend == "windows":
        from watchdog.observers.read_directory_changes import WindowsApiObserver

        return WindowsApiObserver
    raise ValueError(f"no recursive observer for {backend}")


class _Handler(FileSystemEventHandler):
    def __init__(self, owner: RecursiveWatcher):
        self.owner = owner

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.owner.translate(event)


class RecursiveWatcher:
    """Folders are 'watched' when a recursive stream covers them and they are not excluded."""

    def __init__(self, events: queue.Queue, skip: Callable[[str], bool], observer_class: Any):
        self.events = events
        self.skip = skip
        self._lock = threading.Lock()
        self._observer = observer_class()
        self._observer.start()
        self._handler = _Handler(self)
        self._roots: dict[str, Any] = {}   # root → watchdog ObservedWatch
        self._folders: set[str] = set()
        self._excluded: set[str] = set()  # pruned subtrees of a root: their events are dropped

    def __len__(self) -> int:
        with self._lock:
            return len(self._folders)

    def add(self, path: str) -> bool:
        if not os.path.isdir(path):
            return False
        with self._lock:
            covered = any(path == r or path.startswith(r + os.sep) for r in self._roots)
            self._excluded.discard(path)
            self._folders.add(path)
        if not covered:
            watch = self._observer.schedule(self._handler, path, recursive=True)
            with self._lock:
                self._roots[path] = watch
        return True

    def watched(self, path: str) -> bool:
        with self._lock:
            return path in self._folders

    def folders(self) -> list[str]:
        with self._lock:
            return list(self._folders)

    def remove_tree(self, path: str) -> None:
        prefix = path + os.sep
        with self._lock:
            self._folders = {f for f in self._folders if f != path and not f.startswith(prefix)}
            watch = self._roots.pop(path, None)
            if watch is None:
                self._excluded.add(path)
        if watch is not None:
            self._observer.unschedule(watch)

    def close(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=2)

    # -- the handler's side: runs on the observer's thread, only enqueues ------------------------

    def ignored(self, path: str) -> bool:
        """True when `path` lies below a skipped or pruned folder (or is one)."""
        with self._lock:
            root = next((r for r in self._roots if path == r or path.startswith(r + os.sep)), None)
            excluded = set(self._excluded)
        if root is None:
            return True
        folder = path
        while folder != root and len(folder) > len(root):
            if folder in excluded or self.skip(folder):
                return True
            folder = os.path.dirname(folder)
        return False

    def translate(self, event: FileSystemEvent) -> None:
        kind, src = event.event_type, os.fsdecode(event.src_path)
        dest = os.fsdecode(event.dest_path) if getattr(event, "dest_path", "") else ""
        if event.is_directory:
            if kind == "created":
                self._put("dir", src)
            elif kind == "deleted":
                self._put("gone", src)
            elif kind == "moved":
                self._put("gone", src)
                self._put("dir", dest)
            return
        if kind in ("created", "modified", "deleted", "closed"):
            self._put("file", src)
        elif kind == "moved":
            self._put("file", src)
            self._put("file", dest)

    def _put(self, kind: str, path: str) -> None:
        if path and not self.ignored(path):
            self.events.put((kind, path))
