"""`devenv up` and `devenv plan`: compute the plan, print it, apply it."""

from __future__ import annotations

import json
import threading
import time
from typing import TYPE_CHECKING, Any

from devenv import ui
from devenv.converge.projects import load_claimed
from devenv.engine.client import Engine
from devenv.options import Options

if TYPE_CHECKING:
    from collections.abc import Mapping

    from devenv.converge.images import Resolved
    from devenv.core.plan import Desired, Plan
    from devenv.engine.protocol import ContainerEngine
    from devenv.manifest.load import Project
    from devenv.manifest.model import Service

STILL_UP = 0.5  # seconds a started container must stay up for `up --wait` to count it started


def plan_rows(the_plan: Plan) -> list[dict[str, Any]]:
    return [{"service": sp.service, "action": sp.kind, "reasons": sp.reasons if sp.kind != "disabled"
             else [sp.disabled], "provision": sp.provision,
             "replicas": [{"replica": a.replica, "action": a.kind, "reasons": list(a.reasons)} for a in sp.actions]}
            for sp in the_plan.services]


def print_plan(project: Project, the_plan: Plan, *, as_json: bool) -> None:
    rows = plan_rows(the_plan)
    if as_json:
        ui.out(json.dumps({"project": project.name, "noop": the_plan.is_noop, "services": rows}, indent=2))
        return
    width = max([len(r["service"]) for r in rows] + [7])
    for row in rows:
        action = ui.style(row["action"].ljust(10), fg={"noop": None, "disabled": "white"}.get(row["action"], "yellow"))
        ui.out(f"{row['service'].ljust(width)}  {action} {'; '.join(row['reasons'])}".rstrip())


def run_plan(opts: Options, *, services: list[str], as_json: bool, force_recreate: bool = False,
             no_deps: bool = False) -> int:
    from devenv.converge.converger import check_route_names, make_plan, select_services
    from devenv.converge.images import resolve_images

    engine = Engine()
    project = load_claimed(opts, engine)
    chosen = select_services(project, services, no_deps=no_deps)

    from devenv.lock.drift import load_lock

    images = resolve_images(project, engine, chosen, lock=load_lock(project, report=ui.reporter), offline=True,
                            report=ui.reporter)
    refuse_as_up_would(project, engine)
    the_plan, desired = make_plan(project, engine, chosen, images, full=not services,
                                  force_recreate=frozenset(chosen) if force_recreate else frozenset(),
                                  report=ui.reporter)
    check_route_names(project.name, desired, engine)  # `up` would refuse the plan's new routes too
    print_plan(project, the_plan, as_json=as_json)
    return 0


def refuse_as_up_would(project: Project, engine: Engine) -> None:
    """`plan` shows what `up` would do: where `up` refuses the project's network because another
    folder made it (a second checkout under one `-p NAME`), so does `plan`, rather than list
    that folder's containers as ones to remove."""
    from devenv.converge.converger import network_name
    from devenv.converge.ownership import check_owned

    for network in engine.networks(project.name):
        if network.get("Name") == network_name(project.name):
            check_owned("network", network["Name"], network.get("Labels") or {}, project=project.name,
                        root=str(project.root), action="use")


def warn_env_leaks(project: Project, services: dict[str, Service]) -> None:
    """A .env that a build would bake into an image: said before the build, with the fix."""
    from devenv.core.envleaks import env_leaks

    for leak in env_leaks(project.root, services):
        ui.warn(f"{leak.message()}; {leak.hint()}")


def run_up(opts: Options, *, services: list[str], pull: str = "missing", force_recreate: bool = False,
           no_deps: bool = False, wait: bool = False, dry_run: bool = False, timeout: float = 300.0,
           locked: bool = False, as_json: bool = False, no_wait: bool = False) -> int:
    if dry_run:
        return run_plan(opts, services=services, as_json=as_json, force_recreate=force_recreate, no_deps=no_deps)
    code = _up(opts, services=services, pull=pull, force_recreate=force_recreate, no_deps=no_deps, wait=wait,
               timeout=timeout, locked=locked, no_wait=no_wait)
    if as_json and code == 0:  # what came up, in `status --json`'s shape (docs/commands.md)
        from devenv.cli.commands.status import run_status

        return run_status(opts, as_json=True)
    return code


def _up(opts: Options, *, services: list[str], pull: str, force_recreate: bool, no_deps: bool, wait: bool,
        timeout: float, locked: bool, no_wait: bool) -> int:
    started = time.monotonic()
    engine = Engine()
    full = not services
    if full and not (force_recreate or locked or pull != "missing"):
        from devenv.core import fastpath

        hit = fastpath.up_to_date(opts, engine)
        if hit:
            ui.info(f"{hit[0]}: up to date ({ui.count(hit[1], 'service')})  {ui.elapsed(started)}")
            return 0
    from devenv.converge.writer import project_lock

    project = load_claimed(opts, engine)
    with project_lock(project.name, wait=not no_wait, report=ui.reporter):
        return _converge(opts, project, engine, started, services=services, pull=pull,
                         force_recreate=force_recreate, no_deps=no_deps, wait=wait, timeout=timeout, locked=locked)


def remember(opts: Options, project: Project, engine: ContainerEngine, desired: dict[str, Desired],
              images: Mapping[str, Resolved], router: str | None) -> None:
    """The fast path's record of this full `up`, with what a watch on the same manifest reads."""
    from devenv.core import fastpath
    from devenv.watch import source

    fastpath.record(opts, project, engine, desired, images, router=router,
                    watch=source.to_record(source.from_project(project)))


def _converge(opts: Options, project: Project, engine: Engine, started: float, *, services: list[str], pull: str,
              force_recreate: bool, no_deps: bool, wait: bool, timeout: float, locked: bool) -> int:
    """The body of `up`, run while this process holds the project's writer lock."""
    from devenv.converge.converger import Converger, make_plan, select_services
    from devenv.lock.drift import load_lock  # here, after the fast path: tempfile and the lock parser cost start-up

    full = not services
    chosen = select_services(project, services, no_deps=no_deps)
    warn_env_leaks(project, chosen)
    for profile in project.unknown_profiles():
        ui.warn(f"no service of {project.file.name} has the profile {profile!r}; it enables nothing")
    lock = load_lock(project, locked=locked, report=ui.reporter, engine=engine)
    from devenv.converge.images import resolve_images

    images = resolve_images(project, engine, chosen, pull=pull, lock=lock, report=ui.reporter)
    the_plan, desired = make_plan(project, engine, chosen, images, full=not services,
                                  force_recreate=frozenset(chosen) if force_recreate else frozenset(),
                                  report=ui.reporter)
    from devenv.router.image import IMAGE, pinned

    converger = Converger(project, engine, desired, threading.Event(), timeout=timeout, report=ui.reporter,
                          router_image=pinned(lock))
    router = (pinned(lock) or IMAGE) if converger.routed else None
    if the_plan.is_noop and not wait:
        if router:  # nothing to apply, but a router gone or on other content than the pin is still up's
            from devenv.router.manager import sync

            sync(engine, ui.reporter, image=pinned(lock), project=project.name)
        if full:
            remember(opts, project, engine, desired, images, router)
        ui.info(f"{project.name}: up to date ({ui.count(len(desired), 'service')})  {ui.elapsed(started)}")
        return 0
    converger.apply(the_plan)
    applied = time.monotonic()
    converger.check_started(health=wait)
    if wait:
        one_shot = {dep for svc in chosen.values() for dep, cond in svc.depends_on.items() if cond == "completed"}
        conditions = {name: "completed" if name in one_shot else "healthy" if chosen[name].healthcheck
                      else "started" for name in desired}
        # Twice: a program that dies right after starting must fail --wait, so the second look
        # comes at least STILL_UP seconds after the last start. check_started has watched the
        # first START_WINDOW seconds already, so this no longer adds a fixed half second.
        for check in range(2):
            if check:
                time.sleep(max(0.0, STILL_UP - (time.monotonic() - applied)))
            converger.wait_for_all(conditions)
    if full:
        remember(opts, project, engine, desired, images, router)
    ui.info(f"{project.name}: up ({ui.count(len(desired), 'service')})  {ui.elapsed(started)}")
    routed = {name: want.spec["http"] for name, want in desired.items() if "http" in want.spec}
    if routed:
        from devenv.router.manager import service_urls

        for name, found in service_urls(engine, routed).items():
            ui.info(f"  {name}: {' '.join(u for u in found if u.startswith('http://'))}"
                    f"  (https: `devenv trust` once)")
    return 0
