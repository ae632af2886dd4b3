"""`devenv restart`, `devenv stop` and `devenv pull`.

restart and stop act on existing containers only (they create nothing): restart in dependency
order, stop in reverse (dependents before what they need), the replicas of one service in
parallel. `devenv up` starts stopped containers again. pull fetches the images `up` would run,
the digests pinned by devenv.lock when there is one.
"""

from __future__ import annotations

import time

from devenv import ui
from devenv.core.graph import parallel_each
from devenv.engine.client import Engine
from devenv.errors import ServiceFailed, UsageError
from devenv.options import Options


def chosen_services(project, services: list[str]) -> list[str]:
    """The named services (validated), or every service; in dependency order."""
    from devenv.core.graph import topological_order

    every = project.manifest.services
    unknown = [s for s in services if s not in every]
    if unknown:
        raise UsageError(f"no service named {', '.join(unknown)} in {project.file.name}"
                         f" (services: {', '.join(every)})")
    order = topological_order({name: list(svc.depends_on) for name, svc in every.items()})
    return [name for name in order if not services or name in services]


def _each_service(project, engine: Engine, services: list[str], *, reverse: bool, select, act, verb: str) -> int:
    names = chosen_services(project, services)
    by_service: dict[str, list] = {}
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

        def one(c) -> None:
            act(c)
            ui.step(name, verb, f"{c.name}  {ui.elapsed(started)}")

        parallel_each(one, targets)  # replicas at once; the first failure is raised after all finish
        done += len(targets)
    if not done:
        ui.info(f"{project.name}: nothing to {verb}")
    return 0


def stop_timeout(c, timeout: float | None) -> float:
    return timeout if timeout is not None else (c.spec or {}).get("stop_timeout", 10)


def run_restart(opts: Options, *, services: list[str], timeout: float | None = None) -> int:
    project = opts.load()
    engine = Engine()
    return _each_service(project, engine, services, reverse=False, verb="restart", select=lambda c: True,
                         act=lambda c: engine.restart(c.id, stop_timeout(c, timeout)))


def run_stop(opts: Options, *, services: list[str], timeout: float | None = None) -> int:
    project = opts.load()
    engine = Engine()
    return _each_service(project, engine, services, reverse=True, verb="stop", select=lambda c: c.running,
                         act=lambda c: engine.stop(c.id, stop_timeout(c, timeout)))


def run_pull(opts: Options, *, services: list[str]) -> int:
    from devenv.converge.converger import select_services
    from devenv.converge.images import resolve_images
    from devenv.lock.file import load_lock

    started = time.monotonic()
    project = opts.load()
    engine = Engine()
    chosen = select_services(project, services, no_deps=True)
    engine.ping()  # an unreachable engine is exit 3, not a failed pull per service
    built = [name for name, svc in chosen.items() if svc.build]
    for name in built:
        ui.step(name, "skip", f"built from {chosen[name].build.context} (`devenv up` builds it)")
    pulled = {name: svc for name, svc in chosen.items() if not svc.build}
    if pulled:
        images = resolve_images(project, engine, pulled, pull="always", lock=load_lock(project, report=ui.reporter),
                                report=ui.reporter)
        refs = sorted({r.ref for r in images.values()})
        ui.info(f"{project.name}: pulled {len(refs)} image{'s' if len(refs) != 1 else ''}  {ui.elapsed(started)}")
    return 0
