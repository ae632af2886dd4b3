"""A bind mount whose host path is missing, told as the user needs it: which path, for which
service, and how to make it. Docker refuses the container ("bind source path does not exist");
devenv does not make an empty folder in its place, so a mistyped path fails instead of mounting
nothing (Compose, and Podman's engine, make one)."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterable
from typing import TYPE_CHECKING

from devenv.errors import ServiceFailed

if TYPE_CHECKING:
    from devenv.core.spec import MountSpec

# The engine's refusal: Docker's, then Podman's. A path runs to the end (it may hold spaces).
_MISSING = re.compile(r"bind source path does not exist: (.+?)\s*$|statfs (.+): no such file or directory")


def gone_bind(service: str, engine_message: str, mounts: Iterable[MountSpec]) -> ServiceFailed | None:
    """For a container that exists already (restart, start): the runtime's "no such file or
    directory" when one of its bind sources is gone from the host is told as `missing_bind` does."""
    if "no such file or directory" not in engine_message:
        return None
    gone = [m["source"] for m in mounts if m["type"] == "bind" and not os.path.lexists(m["source"])]
    if not gone:
        return None
    return missing_bind(service, f"bind source path does not exist: {gone[0]}", mounts)


def missing_bind(service: str, engine_message: str, mounts: Iterable[MountSpec]) -> ServiceFailed | None:
    """The failure to raise for `service` when the engine refused a missing bind source (every
    other missing source of its mounts named with it, so one run finds them all); else None."""
    found = _MISSING.search(engine_message)
    if found is None:
        return None
    named = found[1] or found[2]
    paths = [named] + [m["source"] for m in mounts
                       if m["type"] == "bind" and m["source"] != named and not os.path.lexists(m["source"])]
    what = paths[0] if len(paths) == 1 else ", ".join(paths[:-1]) + " and " + paths[-1]
    folders = " ".join(shlex.quote(p) for p in paths if not os.path.splitext(p)[1])
    files = [p for p in paths if os.path.splitext(p)[1]]
    cures = ([f"mkdir -p {folders}"] if folders else []) + \
            ([f"put the file{'s' if len(files) > 1 else ''} there"] if files else [])
    return ServiceFailed(f"service {service}: {what}, which it mounts, {'does' if len(paths) == 1 else 'do'} "
                         "not exist",
                         hint=f"create {'it' if len(paths) == 1 else 'them'} ({'; '.join(cures)}), then try again. "
                              "Unlike Compose, devenv makes no empty folder in its place: a mistyped path fails "
                              "here instead of mounting nothing")
