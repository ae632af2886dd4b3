"""Which image the shared router runs: the official `caddy:2` (DEVENV_ROUTER_IMAGE names
another), pinned in devenv.lock, in its own `[router]` table, by every project that routes a
service. Pure: no engine, no I/O."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devenv.lock.file import Lock
    from devenv.manifest.model import Service

IMAGE = os.environ.get("DEVENV_ROUTER_IMAGE", "caddy:2")


def routes_any(services: Mapping[str, Service]) -> bool:
    """Whether these services need the router (one of them has `http`)."""
    return any(svc.http is not None for svc in services.values())


def pinned(lock: Lock | None) -> str | None:
    """The reference the lock pins the router's image to (repo@sha256:…, or an image ID for an
    image only this machine has), when it pins the image this devenv runs; else None."""
    if lock is None or lock.router is None or lock.router.image != IMAGE:
        return None
    return lock.router.pin
