"""What identifies a built image and what a service runs: the hash of a build's inputs, the
tag it is built under, and the reference pinned by devenv.lock. Pure: files in, strings out."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from devenv.core.dockerignore import DockerIgnore
from devenv.errors import UsageError

if TYPE_CHECKING:
    from devenv.manifest.model import Service


class BuildInputs(Protocol):
    """A service's `build` table (model.Build, or the fast path's record of one)."""

    @property
    def context(self) -> str: ...
    @property
    def dockerfile(self) -> str: ...
    @property
    def args(self) -> Mapping[str, str]: ...
    @property
    def target(self) -> str | None: ...


class Pins(Protocol):
    """What pinned_ref asks of devenv.lock (lock.file.Lock)."""

    def pin_for(self, name: str, svc: Service) -> str | None: ...


def build_context_hash(root: Path, build: BuildInputs, *, exclude: tuple[str, ...] = ()) -> str:
    """Hash of everything the build sees: files of the context (less .dockerignore), the
    Dockerfile, the build args and the target. `exclude`: more ignore patterns (devenv.lock
    leaves itself out of the context hash it records)."""
    context = (root / build.context).resolve()
    if not context.is_dir():
        raise UsageError(f"build context {build.context!r} is not a folder (relative to {root})")
    dockerfile = context / build.dockerfile
    if not dockerfile.is_file():
        raise UsageError(f"no Dockerfile at {dockerfile}")
    rules = DockerIgnore.for_context(context, dockerfile=build.dockerfile, extra=exclude)
    h = hashlib.sha256()
    for rel in rules.walk(context):  # exactly what the engine is sent (Docker's .dockerignore rules)
        path = context / rel
        if path.is_symlink():  # sent as a link: its target is what counts, not what it points to
            h.update(rel.encode() + b"\0l" + os.readlink(path).encode())
            continue
        h.update(rel.encode() + b"\0" + (b"x" if os.access(path, os.X_OK) else b"-"))
        h.update(hashlib.sha256(path.read_bytes()).digest())
    h.update(b"dockerfile\0" + dockerfile.read_bytes())
    h.update(repr(sorted(build.args.items())).encode() + repr(build.target).encode())
    return h.hexdigest()


def build_tag(project: str, service: str, context_hash: str) -> str:
    return f"devenv/{project}-{service}:{context_hash[:16]}"


def pinned_ref(project: object, name: str, svc: Service, lock: Pins | None) -> str:
    """The reference a service runs: the lock's digest when there is one, else its tag."""
    if lock is not None:
        pin = lock.pin_for(name, svc)
        if pin:
            return pin
    if svc.image is None:  # callers ask only for services that name an image
        raise ValueError(f"service {name} names no image")
    return svc.image
