"""Resolving image references to pins: ask the registry which digest a tag points to now, or
take the image ID of an image that only exists on this machine. `relock` builds the lock for a
manifest from an old one; `registry_drift` finds tags that moved since (`lock --check`)."""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from devenv.errors import DevenvError, EngineUnavailable, UsageError
from devenv.lock.drift import ROUTER, Difference, differences
from devenv.lock.file import BuildPin, Entry, Lock, Pin, short
from devenv.lock.wanted import context_hash, manifest_hash, wanted

if TYPE_CHECKING:
    from devenv.engine.protocol import ContainerEngine
    from devenv.manifest.load import Project


def familiar(repo: str) -> str:
    for prefix in ("docker.io/", "index.docker.io/", "registry-1.docker.io/"):
        if repo.startswith(prefix):
            repo = repo[len(prefix):]
            break
    return repo.removeprefix("library/") if repo.count("/") == 1 else repo


def split_ref(ref: str) -> tuple[str, str | None, str | None]:
    """`host:5000/a/b:tag@sha256:…` → (repo, tag, digest)."""
    name, _, digest = ref.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = None
    if ":" in last:
        name, tag = name.rsplit(":", 1)
    return name, tag, digest or None


def registry_of(ref: str) -> str:
    first = ref.split("/", 1)[0]
    return first if "/" in ref and ("." in first or ":" in first or first == "localhost") else "docker.io"


def failure_kind(message: str) -> str:
    """unreachable | missing | other, from a registry error's text."""
    lowered = message.lower()
    if any(s in lowered for s in ("connection refused", "no such host", "dial tcp", "i/o timeout",
                                  "connection reset", "tls handshake", "server gave http response")):
        return "unreachable"
    if any(s in lowered for s in ("manifest unknown", "not found", "name unknown", "unauthorized",
                                  "denied", "authentication required")):
        return "missing"
    return "other"


def resolve_ref(engine: ContainerEngine, ref: str) -> Pin:
    """Pin one reference: the digest its registry holds for it now, or (for an image that only
    exists here) its local image ID. A registry that cannot be reached is an error."""
    repo, _tag, digest = split_ref(ref)
    if digest:
        return Pin(ref, ref, "manifest", digest)
    local = engine.image_inspect(ref)
    if local is not None and not any(familiar(d.split("@")[0]) == familiar(repo)
                                     for d in local.get("RepoDigests") or []):
        return Pin(ref, local["Id"], "local")  # built or imported here; never pulled or pushed by this name
    try:
        remote = engine.registry_digest(ref)
    except DevenvError as exc:
        kind = failure_kind(exc.message)
        detail = exc.message.removeprefix(f"cannot resolve {ref}: ")
        if kind == "missing" and local is not None:
            return Pin(ref, local["Id"], "local")
        if kind == "unreachable":
            raise DevenvError(f"cannot resolve {ref}: registry {registry_of(ref)} unreachable ({detail})",
                              hint="start the registry or check your network, then run `devenv lock` again; "
                                   "`devenv doctor` checks it") from None
        if kind == "missing":
            raise DevenvError(f"cannot resolve {ref}: no such image in registry {registry_of(ref)} "
                              f"and not present locally ({detail})",
                              hint="check the image name and tag in devenv.toml") from None
        raise DevenvError(f"cannot resolve {ref}: {detail}") from None
    # A multi-platform image: the index digest is the pin; its per-platform digests are recorded.
    platforms = tuple(sorted(engine.registry_platforms(repo, remote).items()))
    return Pin(ref, f"{repo}@{remote}", "registry", remote, platforms)


@dataclass
class Change:
    service: str
    change: str  # added | updated | unchanged | removed
    before: Entry | None = None
    after: Entry | None = None

    @property
    def entry(self) -> Entry:
        """The entry after the change; for a removal, the one before it."""
        entry = self.after or self.before
        if entry is None:
            raise ValueError(f"change of {self.service} has no entry")
        return entry


@dataclass
class LockResult:
    lock: Lock
    changes: list[Change] = field(default_factory=list)
    router: Change | None = None  # the [router] pin's change (its `service` is "router"), if any


def _router_change(before: Pin | None, after: Pin | None) -> Change | None:
    if before is None and after is None:
        return None
    kind = "added" if before is None else "removed" if after is None else "unchanged" if before == after else "updated"
    return Change("router", kind, Entry(image=before) if before else None, Entry(image=after) if after else None)


def relock(project: Project, engine: ContainerEngine, old: Lock | None, *, update: set[str] | None = None,
           update_all: bool = False) -> LockResult:
    """The lock for the manifest as it is: existing pins are kept where they still cover the
    manifest, the rest (and every service in `update`, or all with `update_all`) resolved now."""
    services = project.manifest.services
    update = set(update or ())
    unknown = sorted(update - set(services))
    if unknown:
        raise UsageError(f"no service named {', '.join(unknown)} in {project.file.name} "
                         f"(services: {', '.join(services)})")
    from devenv.router.image import IMAGE as ROUTER_IMAGE
    from devenv.router.image import routes_any

    found = differences(project, old) if old else []
    stale = {d.service for d in found if d.blocking} if old else set(services)
    todo = {n for n in services if update_all or n in update or n in stale or old is None or n not in old.services}
    wants = {n: wanted(project.root, n, svc) for n, svc in services.items()}
    refs = sorted({r for n in todo for r in wants[n].refs()})
    # The router's pin: kept while it covers the image, moved with a full --update.
    keep_router = (old is not None and old.router is not None and not update_all
                   and not any(d.service == "" and d.blocking for d in found))
    router_wanted = routes_any(services)
    if router_wanted and not keep_router and ROUTER_IMAGE not in refs:
        refs.append(ROUTER_IMAGE)
    resolved: dict[str, Pin] = {}
    errors: list[str] = []
    hints: list[str | None] = []

    def one(ref: str) -> None:
        try:
            resolved[ref] = resolve_ref(engine, ref)
        except EngineUnavailable as exc:
            down.append(exc)
        except DevenvError as exc:
            users = [n for n in sorted(todo) if ref == wants[n].image or ref in wants[n].bases]
            errors.append(f"service {', '.join(users)}: {exc.message}" if users else f"the router: {exc.message}")
            hints.append(exc.hint)

    down: list[EngineUnavailable] = []
    with ThreadPoolExecutor(max_workers=min(8, max(1, len(refs)))) as pool:
        list(pool.map(one, refs))
    if down:
        raise down[0]
    if errors:
        raise DevenvError(errors[0] if len(errors) == 1 else f"{len(errors)} images could not be resolved",
                          details=None if len(errors) == 1 else "\n".join(sorted(errors)),
                          hint=next((h for h in hints if h), None))

    entries: dict[str, Entry] = {}
    changes: list[Change] = []
    for name in sorted(services):
        svc, before = services[name], old.services.get(name) if old else None
        if name not in todo and before is not None:  # not in todo: the old lock has it
            entries[name] = before
            b = before.build
            if svc.build and b is not None:  # keep the recorded context hash current: it is not a pin
                entries[name] = Entry(build=BuildPin(svc.build.context, svc.build.dockerfile,
                                                     context_hash(project, svc), b.base_images))
        elif svc.build:
            entries[name] = Entry(build=BuildPin(svc.build.context, svc.build.dockerfile,
                                                 context_hash(project, svc),
                                                 tuple(resolved[b] for b in wants[name].bases)))
        else:
            entries[name] = Entry(image=resolved[svc.image or ""])  # a service without build has an image
        after = entries[name]
        kind = ("added" if before is None else
                "unchanged" if before.pins() == after.pins() and (before.build is None) == (after.build is None)
                else "updated")
        changes.append(Change(name, kind, before, after))
    if old:
        for name in sorted(set(old.services) - set(services)):
            changes.append(Change(name, "removed", old.services[name], None))
    router = None if not router_wanted else old.router if keep_router and old else resolved[ROUTER_IMAGE]
    from devenv import __version__

    return LockResult(Lock(entries, manifest_hash(project), __version__, router=router), changes,
                      _router_change(old.router if old else None, router))


def registry_drift(project: Project, engine: ContainerEngine, lock: Lock, *,
                   skip: Collection[str] = frozenset()) -> list[Difference]:
    """Tags that point to other content in their registry than the lock pins (`lock --check`)."""
    checks: list[tuple[str, Pin]] = [(name, p) for name, entry in sorted(lock.services.items())
                                     if name in project.manifest.services and name not in skip
                                     for p in entry.pins() if p.source == "registry"]
    if lock.router is not None and lock.router.source == "registry" and "" not in skip:
        checks.append(("", lock.router))  # "": the router's pin, which belongs to no service
    found: list[Difference] = []

    def one(item: tuple[str, Pin]) -> None:
        name, p = item
        who = f"service {name}" if name else ROUTER
        try:
            now = engine.registry_digest(p.image)
        except EngineUnavailable:
            raise
        except DevenvError as exc:
            raise DevenvError(f"{who}: cannot check {p.image}: "
                              f"{exc.message.removeprefix(f'cannot resolve {p.image}: ')}",
                              hint="start the registry, or pass --offline to compare with the manifest only"
                              ) from None
        if now != p.digest:
            found.append(Difference(name, "moved", f"{who}: {p.image} now points to {short(now)} in "
                                                   f"its registry; the lock pins {short(p.digest or p.pin)}"))

    with ThreadPoolExecutor(max_workers=min(8, max(1, len(checks)))) as pool:
        list(pool.map(one, checks))
    return sorted(found, key=lambda d: (d.service, d.message))
