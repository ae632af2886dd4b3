"""devenv.lock: every image pinned by digest (filled in by the lock issue)."""

from __future__ import annotations

LOCK_NAME = "devenv.lock"


def load_lock(project, *, locked: bool = False):
    path = project.root / LOCK_NAME
    if not path.is_file() and not locked:
        return None
    from devenv.errors import LockOutOfDate

    raise LockOutOfDate("devenv.lock support is not implemented yet")
