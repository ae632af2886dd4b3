"""One writer per project: `up`, `down`, watch's converges, `lock` and `deploy` take an advisory
file lock (fcntl.flock) in the user's state folder before they change anything.

A second command waits, saying who holds the lock (pid, command, since when), or fails at once
with `--no-wait`. The kernel releases a flock when its holder's process ends, however it ends,
so a crashed command never leaves a project stuck. Within one process the lock is shared: the
threads of `watch` converge different services at once, as they always could.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from devenv.errors import EXIT_BUSY, DevenvError
from devenv.report import Reporter, Silent

_SAFE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,100}$")
_held: dict[str, tuple[int, int]] = {}  # lock file → (open fd, how many holders in this process)
_guard = threading.Lock()


class ProjectBusy(DevenvError):
    """Another devenv command holds the project's lock and the caller asked not to wait."""

    exit_code = EXIT_BUSY


def state_dir() -> Path:
    """$XDG_STATE_HOME/devenv, or ~/.local/state/devenv."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "devenv"


def lock_path(project: str) -> Path:
    name = project if _SAFE.match(project) else hashlib.sha256(project.encode()).hexdigest()[:16]
    return state_dir() / "locks" / f"{name}.lock"


def describe_holder(path: Path) -> str:
    """`devenv up (pid 123, since 05:12:09)`, from what the holder wrote into the lock file."""
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not isinstance(info, dict) or "pid" not in info:
        return "another devenv command"
    since = time.strftime("%H:%M:%S", time.localtime(float(info.get("since", 0))))
    return f"`{info.get('command', 'devenv')}` (pid {info['pid']}, since {since})"


@contextlib.contextmanager
def project_lock(project: str, *, wait: bool = True, report: Reporter | None = None) -> Iterator[None]:
    """Hold the project's writer lock for the block. With wait=False, raise ProjectBusy at once
    when another process holds it; otherwise wait, saying (through `report`) who holds it."""
    path = lock_path(project)
    key = str(path)
    with _guard:
        if key in _held:
            fd, count = _held[key]
            _held[key] = (fd, count + 1)
            acquired = False
        else:
            acquired = True
    if acquired:
        fd = _acquire(path, project, wait=wait, report=report or Silent())
        with _guard:
            _held[key] = (fd, 1)
    try:
        yield
    finally:
        with _guard:
            fd, count = _held[key]
            if count > 1:
                _held[key] = (fd, count - 1)
            else:
                del _held[key]
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
                os.close(fd)  # closing the last descriptor releases the flock


def _acquire(path: Path, project: str, *, wait: bool, report: Reporter) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = describe_holder(path)
            if not wait:
                raise ProjectBusy(f"project {project} is busy: {holder} is changing it",
                                  hint="wait for it to finish, or run again without --no-wait to wait") from None
            report.warn(f"{project}: waiting for {holder} to finish (lock {path})")
            fcntl.flock(fd, fcntl.LOCK_EX)  # the kernel drops it if that holder dies
        record = {"pid": os.getpid(), "command": " ".join(["devenv", *sys.argv[1:]]), "since": time.time()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)
    except BaseException:
        os.close(fd)
        raise
    return fd
