"""`devenv restart`, `devenv stop` and `devenv pull`.

restart and stop act on existing containers only (they create nothing): restart in dependency
order, stop in reverse (dependents before what they need), the replicas of one service in
parallel. `devenv up` starts stopped containers again. pull fetches the images `up` would run,
the digests pinned by devenv.lock when there is one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from devenv import ui
from devenv.converge.converger import cannot_start_again
from devenv.converge.projects import load_claimed
from devenv.core.graph import parallel_each
from devenv.engine.client import Engine
from devenv.errors import DevenvError, ServiceFailed, UsageError
from devenv.options import Options

if TYPE_CHECKING:
    from devenv.core.plan import Observed
    from devenv.manifest.load import Project


def chosen_services(project: Project, services: list[str]) -> list[str]:
    """The named services (validated), or every service; in dependency order."""
    from devenv.core.graph import topological_order

    every = project.manifest.services
    unknown = [s for s in services if s not in every]
    if unknown:
        raise UsageError(f"no service named {', '.join(unknown)} in {project.file.name}"
                         f" (services: {', '.join(every)})")
    order = topological_order({name: list(svc.depends_on) for name, svc in every.items()})
    return [name for name in order if not services or name in services]


def _each_service(project: Project, engine: Engine, services: list[str], *, reverse: bool,
                  select: Callable[[Observed], bool], act: Callable[[Observed], None], verb: str) -> int:
    names = chosen_services(project, services)
    by_service: dict[str, list[Observed]] = {}
    for c in engine.containers(project.name):
        by_service.setdefault(c.service, []).append(c)
    missing = [n for n in services if not by_service.get(n)]
    if missing:
        raise ServiceFailed(f"no container for {', '.join(missing)} (nothing to {verb})",
                            hint=f"`devenv up {' '.join(missing)}` creates it")
    done = 0
    for name in (reversed(names) if reverse else names):
        targets = [c for c in by_service.get(name, []) if select(c)]
        started = time.monotonic()

        def one(c: Observed, name: str = name, started: float = started) -> None:
            try:
                act(c)
            except DevenvError as exc:
                from devenv.converge.binds import gone_bind

                gone = gone_bind(name, exc.message, c.spec["mounts"] if c.spec else [])
                if gone is not None:
                    raise gone from None
                cure = cannot_start_again(exc.message)
                if cure is None:
                    raise
                # restart and stop create nothing; `up` replaces a container that cannot start again
                raise ServiceFailed(f"service {name}: cannot {verb} {c.name}: {cure}",
                                    hint="`devenv up` replaces it with a fresh container") from None
            ui.step(name, verb, f"{c.name}  {ui.elapsed(started)}")

        parallel_each(one, targets)  # replicas at once; the first failure is raised after all finish
        done += len(targets)
    if any("http" in (c.spec or {}) for found in by_service.values() for c in found):
        from devenv.router import manager

        manager.sync(engine, ui.reporter)  # a stopped service's address shows its "stopped" page
    if not done:
        ui.info(f"{project.name}: nothing to {verb}")
    return 0


def stop_timeout(c: Observed, timeout: float | None) -> float:
    from devenv.converge.converger import stop_timeout as made_with

    return timeout if timeout is not None else made_with(c)


def run_restart(opts: Options, *, services: list[str], timeout: float | None = None) -> int:
    engine = Engine()
    project = load_claimed(opts, engine)
    return _each_service(project, engine, services, reverse=False, verb="restart", select=lambda c: True,
                         act=lambda c: engine.restart(c.id, stop_timeout(c, timeout)))


def run_stop(opts: Options, *, services: list[str], timeout: float | None = None) -> int:
    engine = Engine()
    project = load_claimed(opts, engine)
    return _each_service(project, engine, services, reverse=True, verb="stop", select=lambda c: c.running,
                         act=lambda c: engine.stop(c.id, stop_timeout(c, timeout)))


def run_pull(opts: Options, *, services: list[str]) -> int:
    from devenv.converge.converger import select_services
    from devenv.converge.images import resolve_images
    from devenv.lock.drift import load_lock

    started = time.monotonic()
    engine = Engine()
    project = load_claimed(opts, engine)
    chosen = select_services(project, services, no_deps=True)
    engine.ping()  # an unreachable engine is exit 3, not a failed pull per service
    for name, svc in chosen.items():
        if svc.build:
            ui.step(name, "skip", f"built from {svc.build.context} (`devenv up` builds it)")
    pulled = {name: svc for name, svc in chosen.items() if not svc.build}
    if pulled:
        images = resolve_images(project, engine, pulled, pull="always", lock=load_lock(project, report=ui.reporter),
                                report=ui.reporter)
        refs = sorted({r.ref for r in images.values()})
        ui.info(f"{project.name}: pulled {len(refs)} image{'s' if len(refs) != 1 else ''}  {ui.elapsed(started)}")
    return 0
