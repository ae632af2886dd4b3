"""The lock verifies what it pins: a pin must be of the repository its image names, and its
digest must exist for that repository, in the local image store or in the registry.

A lock is a file anyone can edit (or a bad merge can mangle). A pin of another repository, or
a digest the repository never had, would run some other image under the right name; `lock
--check`, `doctor` and `up --locked` report it (exit 4) instead, naming the service and the
reference the manifest asks for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from devenv.errors import DevenvError, EngineUnavailable
from devenv.lock.drift import ROUTER, Difference
from devenv.lock.file import DIGEST_RE, Lock, Pin, short
from devenv.lock.pins import failure_kind, familiar, split_ref

if TYPE_CHECKING:
    from devenv.engine.protocol import ContainerEngine
    from devenv.manifest.load import Project

RELOCK_TAMPERED = "run `devenv lock --update SERVICE` to pin it again from the registry, then commit devenv.lock"


def pin_mismatch(p: Pin) -> str | None:
    """What is wrong with a pin on its face (no engine, no registry), or None."""
    if p.source == "manifest":
        return None if p.pin == p.image else f"pins {short(p.pin)}, but the manifest names the digest itself"
    if p.source == "local":
        return None if DIGEST_RE.match(p.pin) else f"pins {short(p.pin)}, which is not a local image ID"
    if p.source != "registry":
        return f"has an unknown source {p.source!r}"
    repo = split_ref(p.image)[0]
    pin_repo, _tag, pin_digest = split_ref(p.pin)
    if familiar(pin_repo) != familiar(repo):
        return f"pins {short(p.pin)}, an image of {pin_repo}, not of {repo}"
    if not pin_digest or not DIGEST_RE.match(pin_digest):
        return f"pins {short(p.pin)}, which has no sha256 digest"
    if p.digest is not None and p.digest != pin_digest:
        return f"pins {short(p.pin)} but records the digest {short(p.digest)}"
    return None


def pin_unknown(engine: ContainerEngine, p: Pin) -> str | None:
    """A registry pin whose digest neither the local store nor the registry has for its
    repository, or None. An unreachable registry verifies nothing and reports nothing here
    (what needs it fails on its own, saying so)."""
    if p.source != "registry" or pin_mismatch(p):
        return None
    if engine.image_inspect(p.pin) is not None:  # the store resolves repo@digest only for that repository
        return None
    try:
        engine.registry_digest(p.pin)
    except EngineUnavailable:
        raise
    except DevenvError as exc:
        if failure_kind(exc.message) == "missing":
            repo = split_ref(p.pin)[0]
            return f"pins {short(p.pin)}, a digest that {repo} does not have (not in its registry, not here)"
    return None


def tampered(project: Project, lock: Lock, engine: ContainerEngine | None = None) -> list[Difference]:
    """Pins that do not verify, for the services the manifest has. Without an engine, only what
    a pin says on its face is checked."""
    found: list[Difference] = []
    for name, entry in sorted(lock.services.items()):
        if name not in project.manifest.services:
            continue
        for p in entry.pins():
            problem = pin_mismatch(p) or (pin_unknown(engine, p) if engine is not None else None)
            if problem:
                found.append(Difference(name, "tampered", f"service {name}: devenv.lock {problem}; the manifest "
                                                          f"asks for {p.image}"))
    router = lock.router
    if router is not None and any(svc.http is not None for svc in project.manifest.services.values()):
        problem = pin_mismatch(router) or (pin_unknown(engine, router) if engine is not None else None)
        if problem:
            found.append(Difference("", "tampered", f"{ROUTER}: devenv.lock {problem}; the router runs "
                                                    f"{router.image} (`devenv lock --update` pins it again)"))
    return found
