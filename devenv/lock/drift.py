"""Comparing devenv.lock with the manifest (pure: it reads Dockerfiles, never the engine), and
the lock `up` runs with: warned about, or refused under --locked, when the two differ."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from devenv.errors import LockOutOfDate
from devenv.lock.file import LOCAL_ONLY, LOCK_NAME, RELOCK_HINT, Lock, read_lock, short
from devenv.lock.wanted import context_hash, wanted
from devenv.report import Reporter, Silent

if TYPE_CHECKING:
    from devenv.engine.protocol import ContainerEngine
    from devenv.manifest.load import Project


@dataclass(frozen=True)
class Difference:
    service: str
    kind: str  # new | removed | image | kind | base | moved | context | local
    message: str
    blocking: bool = True  # False: reported, but the lock still pins what runs

    def to_dict(self) -> dict[str, Any]:
        return {"service": self.service or None, "kind": self.kind, "message": self.message,
                "blocking": self.blocking}


def differences(project: Project, lock: Lock, *, hash_contexts: bool = False) -> list[Difference]:
    """What the manifest asks for that the lock does not pin (blocking), and notes."""
    found: list[Difference] = []
    services = project.manifest.services
    for name, svc in services.items():
        entry = lock.services.get(name)
        want = wanted(project.root, name, svc)
        label = svc.image if not svc.build else f"build {svc.build.context}"
        if entry is None:
            found.append(Difference(name, "new", f"service {name} ({label}) is not locked"))
        elif svc.build and entry.build is None:
            pinned = entry.image.image if entry.image else "?"
            found.append(Difference(name, "kind", f"service {name} now builds from {svc.build.context}; "
                                                  f"the lock pins the image {pinned}"))
        elif not svc.build:
            if entry.image is None:
                found.append(Difference(name, "kind", f"service {name} now runs the image {svc.image}; "
                                                      "the lock pins a build"))
            elif entry.image.image != want.image:
                found.append(Difference(name, "image", f"service {name}: image {want.image} is not locked "
                                                       f"(the lock pins {entry.image.image})"))
        elif entry.build is not None:
            locked = tuple(p.image for p in entry.build.base_images)
            if locked != want.bases:
                new = [b for b in want.bases if b not in locked]
                detail = f"base image {', '.join(new)} is not locked" if new else \
                    f"base images are now {', '.join(want.bases) or 'none'} (the lock pins {', '.join(locked)})"
                found.append(Difference(name, "base", f"service {name}: {detail}"))
            elif hash_contexts and context_hash(project, svc) != entry.build.context_hash:
                found.append(Difference(name, "context", f"service {name}: the build context changed since "
                                                         "the lock was written (its base images are still "
                                                         "pinned)", blocking=False))
        if entry is not None and not any(d.service == name and d.blocking for d in found):
            for p in entry.pins():
                if p.local_only:
                    found.append(Difference(name, "local", f"service {name}: {p.image} is locked by image ID "
                                                           f"{short(p.pin)} ({LOCAL_ONLY})", blocking=False))
    for name in sorted(set(lock.services) - set(services)):
        found.append(Difference(name, "removed", f"service {name} is locked but no longer in the manifest"))
    return found + router_differences(project, lock)


ROUTER = "the router's image"  # how messages name the [router] pin; its Difference has no service


def router_differences(project: Project, lock: Lock) -> list[Difference]:
    """The `[router]` pin against the manifest: wanted exactly when a service is routed (`http`,
    whatever profiles are enabled), and of the image this devenv runs the router from."""
    from devenv.router.image import IMAGE, routes_any

    services = project.manifest.services
    routed = sorted(name for name, svc in services.items() if svc.http is not None)
    if routes_any(services) and lock.router is None:
        return [Difference("", "new", f"{ROUTER} {IMAGE} is not locked (service {', '.join(routed)} "
                                      "is reached by name through it)")]
    if lock.router is not None and not routed:
        return [Difference("", "removed", f"{ROUTER} is locked but no service is routed (`http`) any more")]
    if lock.router is not None and lock.router.image != IMAGE:
        return [Difference("", "image", f"{ROUTER} {IMAGE} is not locked (the lock pins {lock.router.image})")]
    if lock.router is not None and lock.router.local_only:
        return [Difference("", "local", f"{ROUTER} {IMAGE} is locked by image ID {short(lock.router.pin)} "
                                        f"({LOCAL_ONLY})", blocking=False)]
    return []


def load_lock(project: Project, *, locked: bool = False, report: Reporter | None = None,
              engine: ContainerEngine | None = None) -> Lock | None:
    """The lock `up` runs with. Warns naming what is not locked; with `locked`, a missing or
    out-of-date lock is an error (exit 4) instead. Pins that do not verify (devenv.lock.verify;
    with `engine`, also against the image store and the registry) are reported alike."""
    from devenv.lock.verify import RELOCK_TAMPERED, tampered

    report = report or Silent()

    lock = read_lock(project)
    if lock is None:
        if locked:
            raise LockOutOfDate(f"--locked: there is no {LOCK_NAME} beside {project.file.name}",
                                hint="run `devenv lock` and commit devenv.lock")
        return None
    stale = [d for d in differences(project, lock) if d.blocking]
    bad = tampered(project, lock, engine if locked else None)
    if bad and locked:
        raise LockOutOfDate(f"--locked: {LOCK_NAME} does not verify: " + "; ".join(d.message for d in bad),
                            hint=RELOCK_TAMPERED)
    for d in bad:
        report.warn(f"{LOCK_NAME}: {d.message}")
    if stale and locked:
        raise LockOutOfDate(f"--locked: {LOCK_NAME} is out of date: " + "; ".join(d.message for d in stale),
                            hint=RELOCK_HINT)
    today = {"new": " (running the tag as it is today)", "image": " (running the tag as it is today)",
             "base": " (building from the tags as they are today)"}
    for d in stale:
        report.warn(f"{LOCK_NAME}: {d.message}{today.get(d.kind, '')}")
    if stale:
        report.warn(f"{LOCK_NAME} is out of date: {RELOCK_HINT}")
    return lock
