"""`devenv lock`: pin every service's image to a digest in devenv.lock; `--check` for CI,
`--update [SERVICE...]` to move pins forward."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from devenv import ui
from devenv.errors import EXIT_LOCK, UsageError
from devenv.lock.drift import ROUTER, Difference, differences
from devenv.lock.file import (
    LOCAL_ONLY,
    LOCK_NAME,
    RELOCK_HINT,
    Entry,
    LockFormatError,
    lock_path,
    read_lock,
    short,
    write_lock,
)
from devenv.lock.pins import Change, registry_drift, relock
from devenv.options import Options

if TYPE_CHECKING:
    from devenv.manifest.load import Project


def run_lock(opts: Options, *, services: list[str], update: bool = False, check: bool = False,
             offline: bool = False, as_json: bool = False, no_wait: bool = False) -> int:
    if check and update:
        raise UsageError("--check and --update do not go together")
    if services and not update:
        raise UsageError(f"naming services ({', '.join(services)}) needs --update",
                         hint="`devenv lock` pins what is not pinned yet; `devenv lock --update SERVICE` moves a pin")
    if offline and not check:
        raise UsageError("--offline goes with --check (locking needs the registries)")
    project = opts.load()
    if check:
        return _check(project, offline=offline, as_json=as_json)
    from devenv.converge.writer import project_lock

    with project_lock(project.name, wait=not no_wait, report=ui.reporter):
        return _lock(project, services=services, update=update, as_json=as_json)


def _describe(entry: Entry | None) -> str:
    if entry is None:
        return "-"
    if entry.image:
        return short(entry.image.pin) + (" (local only)" if entry.image.local_only else "")
    build = entry.build
    if build is None:
        return "-"
    bases = ", ".join(f"{p.image} → {short(p.pin)}" + (" (local only)" if p.local_only else "")
                      for p in build.base_images)
    return f"build {build.context} (context {build.context_hash[:12]}; base {bases or 'none'})"


def _lock(project: Project, *, services: list[str], update: bool, as_json: bool) -> int:
    from devenv.engine.client import Engine

    try:
        old = read_lock(project)
    except LockFormatError:
        raise
    except UsageError as exc:
        ui.warn(f"{exc.message}; writing a fresh {LOCK_NAME} (every pin resolved again)")
        old = None
    result = relock(project, Engine(), old, update=set(services), update_all=update and not services)
    path = lock_path(project)
    written = write_lock(path, result.lock)
    router = result.router
    local = [(f"service {c.service}", p) for c in result.changes if c.after for p in c.after.pins() if p.local_only]
    local += [(ROUTER, p) for p in (router.after.pins() if router and router.after else ()) if p.local_only]
    for who, p in local:
        ui.warn(f"{who}: {p.image} exists only on this machine; locked by image ID {short(p.pin)} ({LOCAL_ONLY})")

    def row(c: Change) -> dict:
        entry = c.entry
        return {"change": c.change, **entry.to_dict(), "local_only": any(p.local_only for p in entry.pins())}

    if as_json:
        rows = [{"service": c.service, **row(c)} for c in result.changes]
        ui.out(json.dumps({"path": str(path), "written": written, "manifest_hash": result.lock.manifest_hash,
                           "devenv": result.lock.devenv, "services": rows,
                           "router": row(router) if router else None}, indent=2))
        return 0
    width = max([len(c.service) for c in result.changes] + [7])
    for c in result.changes:
        if c.change == "removed":
            ui.out(f"{c.service.ljust(width)}  removed    (no longer in the manifest)")
        elif c.change == "updated":
            ui.out(f"{c.service.ljust(width)}  updated    {_describe(c.before)} → {_describe(c.after)}")
        else:
            pinned = c.entry.image  # added or unchanged: the entry after
            image = pinned.image + " → " if pinned else ""
            ui.out(f"{c.service.ljust(width)}  {c.change.ljust(10)} {image}{_describe(c.after)}")
    if router is not None:  # not a service: its own line, after them
        ui.out(f"{ROUTER}: {router.change}" + {
            "removed": " (no service is routed any more)",
            "updated": f" {_describe(router.before)} → {_describe(router.after)}"}.get(
            router.change, f" {router.entry.image.image if router.entry.image else ''} → {_describe(router.after)}"))
    ui.info(f"wrote {path.name} ({ui.count(len(result.lock.services), 'service')})" if written
            else f"{path.name} is up to date")
    return 0


def _check(project: Project, *, offline: bool, as_json: bool) -> int:
    path = lock_path(project)
    lock = read_lock(project)
    found: list[Difference]
    if lock is None:
        found = [Difference("", "missing", f"there is no {LOCK_NAME} beside {project.file.name}")]
    else:
        from devenv.lock.verify import tampered

        found = differences(project, lock, hash_contexts=True)
        engine = None
        if not offline:
            from devenv.engine.client import Engine

            engine = Engine()
        found += tampered(project, lock, engine)
        if engine is not None:
            stale = {d.service for d in found if d.blocking}
            found += registry_drift(project, engine, lock, skip=stale)
    blocking = [d for d in found if d.blocking]
    if as_json:
        ui.out(json.dumps({"path": str(path), "current": not blocking, "registry_checked": not offline and lock
                           is not None, "differences": [d.to_dict() for d in found]}, indent=2))
        return EXIT_LOCK if blocking else 0
    for d in found:
        ui.out(("out of date: " if d.blocking else "note: ") + d.message)
    if blocking:
        from devenv.lock.verify import RELOCK_TAMPERED

        hint = (RELOCK_TAMPERED if any(d.kind == "tampered" for d in blocking) else RELOCK_HINT
                ) if lock is not None else "run `devenv lock` and commit devenv.lock"
        ui.error(f"{LOCK_NAME} is out of date ({len(blocking)} difference{'s' if len(blocking) > 1 else ''})",
                 hint=hint)
        return EXIT_LOCK
    ui.out(f"{LOCK_NAME} is up to date" + (" (registries not asked: --offline)" if offline else ""))
    return 0
