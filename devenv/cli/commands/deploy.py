"""`devenv deploy --swarm`: run the manifest as a stack on Docker Swarm, through the services API.

`--status` shows the stack's services with replicas running/desired, `--down` removes the stack
(volumes only with `--volumes`), `--dry-run` prints the plan. The pure part lives in devenv.swarm.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from devenv import ui
from devenv.converge.projects import load_claimed
from devenv.engine.client import L_PROJECT, L_ROLE, Engine
from devenv.errors import DevenvError, ServiceFailed, UsageError
from devenv.export import swarm
from devenv.options import Options

if TYPE_CHECKING:
    from devenv.lock.file import Lock
    from devenv.manifest.load import Project
    from devenv.manifest.model import Service

STABLE = 2.0  # seconds a service's new tasks must keep running before a deploy counts them
NOT_A_MANAGER_HINT = ("make this engine a swarm manager (`docker swarm init`, a single-node swarm) or point "
                      "DOCKER_HOST at a manager of your swarm")


def _manager(engine: Engine) -> None:
    state = engine.swarm_state()
    if state.get("LocalNodeState") != "active":
        raise UsageError(f"this Docker engine is not part of a swarm (state: {state.get('LocalNodeState') or '?'})",
                         hint=NOT_A_MANAGER_HINT)
    if not state.get("ControlAvailable"):
        raise UsageError("this Docker engine is a swarm worker; services can only be deployed through a manager",
                         hint=NOT_A_MANAGER_HINT)


def _deployed(engine: Engine, project: Project) -> list[swarm.Deployed]:
    found = engine.services(swarm.service_labels(project.name))
    return sorted((swarm.Deployed.from_api(s) for s in found), key=lambda d: d.service)


def _check_ours(project: Project, deployed: list[swarm.Deployed], action: str) -> None:
    """A stack of this name deployed from another checkout (a second worktree, a copy) is not
    this one's to update or take down: its services and volumes would be replaced or removed."""
    from devenv.converge.ownership import check_owned

    for d in deployed:
        check_owned("stack service", swarm.service_name(project.name, d.service), d.labels, project=project.name,
                    root=str(project.root), action=action)


# -- images -------------------------------------------------------------------------------------------

def _image_refs(project: Project, engine: Engine, services: Mapping[str, Service], *, lock: Lock | None, push: bool,
                dry_run: bool, deployed: Mapping[str, swarm.Deployed],
                local_ids: dict[str, str]) -> dict[str, str]:
    """The reference each service's tasks run: a digest wherever one can be had, so every node
    runs the same content and a moved tag is a change the next deploy sees. An image only this
    engine has runs by its tag; its image ID goes into `local_ids`."""
    from devenv.converge.images import resolve_images
    from devenv.core.buildhash import build_context_hash, build_tag, pinned_ref
    from devenv.lock.pins import familiar, resolve_ref, split_ref

    refs: dict[str, str] = {}
    builds = {n: s for n, s in services.items() if s.build}
    for name, svc in services.items():
        if svc.build:
            continue
        image = _image(name, svc)
        pin = pinned_ref(project, name, svc, lock)
        if pin != image and not pin.startswith("sha256:"):
            refs[name] = pin  # devenv.lock's registry digest
            continue
        kept = _same_local_content(engine, image, deployed.get(name))
        if kept:
            refs[name], local_ids[name] = image, kept
            continue
        resolved = resolve_ref(engine, image)
        if resolved.source == "local":
            local_ids[name] = resolved.pin
            ui.warn(f"service {name}: {image} is not in a registry; each node must have it already "
                    f"(fine on a single-node swarm)")
            refs[name] = image
        else:
            refs[name] = resolved.pin
    if not builds:
        return refs
    if dry_run:  # what the last deploy pushed, if the build it made is still current
        for name, svc in builds.items():
            image = _image(name, svc)
            if svc.build is None:  # (builds holds the build services)
                continue
            context_hash = build_context_hash(project.root, svc.build)
            if lock is not None:
                context_hash = lock.build_hash(name, svc, project.root, context_hash)
            tag = build_tag(project.name, name, context_hash)
            local = engine.image_inspect(tag) or {}
            repo = familiar(split_ref(image)[0])
            digests = [d for d in local.get("RepoDigests") or [] if familiar(d.split("@")[0]) == repo]
            refs[name] = (f"{split_ref(image)[0]}@{digests[0].split('@')[1]}" if push and digests
                          else tag if local and not push else f"{image} (to build)")
        return refs
    built = resolve_images(project, engine, builds, lock=lock, report=ui.reporter)
    for name, svc in builds.items():
        image = _image(name, svc)
        if not push:
            refs[name] = built[name].ref  # the content-addressed build tag: present on this node only
            continue
        ui.step(name, "push", image)
        pushed = engine.push(image)
        if not pushed:
            raise ServiceFailed(f"service {name}: the registry reported no digest for {image} after the push")
        refs[name] = f"{split_ref(image)[0]}@{pushed}"
    return refs


def _same_local_content(engine: Engine, image: str, deployed: swarm.Deployed | None) -> str | None:
    """The local image ID, when `image` was deployed by its tag as a local image and the tag
    still names that content. The swarm pulls a tag when it starts a task (through a registry
    mirror that may hold it), which gives the image a registry digest: no change of content, so
    no reason to restart the service's tasks."""
    if deployed is None or deployed.image != image or not deployed.image_id:
        return None
    local = engine.image_inspect(image)
    return deployed.image_id if local is not None and local["Id"] == deployed.image_id else None


def _image(name: str, svc: Service) -> str:
    """The image a service's tasks pull (run_deploy refused the services that only build)."""
    if not svc.image:
        raise UsageError(f"service {name} needs an `image` for a swarm to pull")
    return svc.image


# -- deploy -------------------------------------------------------------------------------------------

def run_deploy(opts: Options, *, dry_run: bool = False, push: bool = True, detach: bool = False,
               timeout: float = 180.0, locked: bool = False, as_json: bool = False, no_wait: bool = False) -> int:
    from devenv.converge.writer import project_lock

    started = time.monotonic()
    project = opts.load()
    with project_lock(project.name, wait=not no_wait, report=ui.reporter):
        return _deploy(project, started, dry_run=dry_run, push=push, detach=detach, timeout=timeout,
                       locked=locked, as_json=as_json)


def _deploy(project: Project, started: float, *, dry_run: bool, push: bool, detach: bool, timeout: float, locked: bool,
            as_json: bool) -> int:
    """The body of a deploy, run while this process holds the project's writer lock."""
    services = project.enabled_services()
    missing = swarm.build_only(services)
    if missing:
        raise UsageError(f"service{'s' if len(missing) > 1 else ''} {', '.join(missing)} only "
                         f"build{'' if len(missing) > 1 else 's'} an image: a swarm needs an `image` to push it to "
                         f"and pull it from", hint='add e.g. image = "registry.example.com/team/'
                                                  f'{missing[0]}:dev" beside `build`')
    for note in swarm.dropped(services):
        ui.warn(note)
    engine = Engine()
    _manager(engine)
    local = [c for c in engine.containers(project.name) if c.running]
    if local and not dry_run:
        raise UsageError(f"the local environment of {project.name} is up on this engine "
                         f"({', '.join(sorted({c.service for c in local}))}); the stack would share its volumes "
                         f"and ports", hint="run `devenv down` first, or deploy under another name with -p NAME")
    from devenv.lock.drift import load_lock

    lock = load_lock(project, locked=locked, report=ui.reporter, engine=engine)
    current = _deployed(engine, project)
    _check_ours(project, current, "deploy over")
    local_ids: dict[str, str] = {}
    refs = _image_refs(project, engine, services, lock=lock, push=push, dry_run=dry_run,
                       deployed={d.service: d for d in current}, local_ids=local_ids)
    desired = {name: swarm.stack_spec(project, name, svc, refs[name]) for name, svc in services.items()}
    the_plan = swarm.plan_stack(desired, current)
    if dry_run:
        _print_plan(project, the_plan, as_json=as_json)
        return 0
    labels = swarm.service_labels(project.name, str(project.root))
    engine.ensure_overlay_network(swarm.network_name(project.name), swarm.stack_labels(project.name))
    for step in the_plan.steps:
        detail = "; ".join(step.reasons)
        if step.kind == "create":
            engine.create_service(swarm.api_spec(project.name, step.service, desired[step.service], labels,
                                                 image_id=local_ids.get(step.service)))
        elif step.deployed is None:  # update, remove and noop steps carry the deployed service
            raise DevenvError(f"service {step.service}: no deployed service to {step.kind}")
        elif step.kind == "update":
            _update(engine, project, step.deployed,
                    swarm.api_spec(project.name, step.service, desired[step.service], labels,
                                   image_id=local_ids.get(step.service)))
        elif step.kind == "remove":
            engine.remove_service(step.deployed.id)
        else:
            detail = f"unchanged ({step.deployed.running}/{step.deployed.desired} running)"
        ui.step(step.service, step.kind, detail)
    changed = {s.service: desired[s.service] for s in the_plan.of("create", "update")}
    if changed and not detach:
        _wait(engine, project, changed, services, timeout=timeout)
    if as_json:
        ui.out(json.dumps({"project": project.name, "stack": project.name, "noop": the_plan.is_noop, "services": [
            {"service": s.service, "action": s.kind, "reasons": list(s.reasons), "image": desired[s.service]["image"]
             if s.service in desired else None} for s in the_plan.steps]}, indent=2))
    verb = "up to date" if the_plan.is_noop else "deployed"
    ui.info(f"{project.name}: {verb} on the swarm ({len(desired)} service{'' if len(desired) == 1 else 's'}, "
            f"stack {project.name})  "
            f"{ui.elapsed(started)}")
    return 0


def _update(engine: Engine, project: Project, deployed: swarm.Deployed, spec: dict[str, Any]) -> None:
    """The swarm bumps a service's version on its own (an update settling), and refuses an update
    of an older version ("update out of sequence"): read the version again and retry."""
    version = deployed.version
    for attempt in range(3):
        try:
            engine.update_service(deployed.id, version, spec)
            return
        except DevenvError as exc:
            if "out of sequence" not in exc.message or attempt == 2:
                raise
            current = [d for d in _deployed(engine, project) if d.id == deployed.id]
            if not current:
                raise
            version = current[0].version


def _wait(engine: Engine, project: Project, changed: Mapping[str, swarm.StackSpec], services: Mapping[str, Service], *,
          timeout: float) -> None:
    """Until every changed service runs all its replicas of the new spec (healthy, where it has a
    healthcheck: swarm counts a task as running only then), the same tasks for STABLE seconds, so
    a program that dies right after starting is caught. Fails on a paused update, on repeated task
    failures, or on a failure that no restart policy will retry."""
    deadline = time.monotonic() + timeout
    pending = dict(changed)
    last: dict[str, tuple[int, list[str]]] = {}
    steady: dict[str, tuple[float, frozenset[str]]] = {}  # since when these tasks have all been running
    while pending:
        by_name = {d.service: d for d in _deployed(engine, project)}
        for name, spec in list(pending.items()):
            deployed = by_name.get(name)
            if deployed is None:
                raise ServiceFailed(f"service {name} disappeared from the swarm while deploying")
            task_ids, errors = swarm.task_progress(engine.tasks(deployed.id), spec)
            running = len(task_ids)
            if deployed.update_state in ("paused", "rollback_started", "rollback_paused", "rollback_completed"):
                raise ServiceFailed(f"service {name}: the swarm {deployed.update_state.replace('_', ' ')} its update"
                                    + (f": {errors[0]}" if errors else ""),
                                    hint=f"`docker service ps {swarm.service_name(project.name, name)} "
                                         f"--no-trunc` shows why")
            if errors and (len(errors) >= 3 or services[name].restart == "no"):
                raise ServiceFailed(f"service {name}: {len(errors)} task{'s' if len(errors) > 1 else ''} failed: "
                                    f"{errors[0]}", hint=f"`docker service logs "
                                                         f"{swarm.service_name(project.name, name)}` shows its output")
            if last.get(name, (None,))[0] != running:
                ui.step(name, "running", f"{running}/{spec['replicas']}")
            last[name] = (running, errors)
            if running < spec["replicas"]:
                steady.pop(name, None)
            elif steady.get(name, (0.0, None))[1] != task_ids:
                steady[name] = (time.monotonic(), task_ids)
            elif time.monotonic() - steady[name][0] >= STABLE:
                del pending[name]
        if not pending:
            return
        if time.monotonic() > deadline:
            name = next(iter(pending))
            running, errors = last[name]
            raise ServiceFailed(f"service {name}: {running}/{pending[name]['replicas']} replicas running after "
                                f"{timeout:.0f}s" + (f"; last task error: {errors[0]}" if errors else ""),
                                hint="`devenv deploy --swarm --status` and `docker stack ps "
                                     f"{project.name} --no-trunc` show the tasks")
        time.sleep(0.5)


def _print_plan(project: Project, the_plan: swarm.StackPlan, *, as_json: bool) -> None:
    if as_json:
        ui.out(json.dumps({"project": project.name, "noop": the_plan.is_noop, "services": [
            {"service": s.service, "action": s.kind, "reasons": list(s.reasons)} for s in the_plan.steps]}, indent=2))
        return
    width = max([len(s.service) for s in the_plan.steps] + [7])
    for s in the_plan.steps:
        ui.out(f"{s.service.ljust(width)}  {s.kind.ljust(10)} {'; '.join(s.reasons)}".rstrip())


# -- status and down -----------------------------------------------------------------------------------

def status_rows(engine: Engine, project: Project) -> list[dict[str, Any]]:
    rows = []
    for d in _deployed(engine, project):
        spec = d.spec or {}
        rows.append({"service": d.service, "name": swarm.service_name(project.name, d.service), "id": d.id[:12],
                     "running": d.running, "desired": d.desired, "image": spec.get("image"),
                     "ports": list(d.ports), "update": d.update_state,
                     "orphan": d.service not in project.manifest.services})
    return rows


def run_status(opts: Options, *, as_json: bool = False) -> int:
    engine = Engine()
    project = load_claimed(opts, engine)
    _manager(engine)
    rows = status_rows(engine, project)
    if as_json:
        ui.out(json.dumps({"project": project.name, "stack": project.name, "services": rows}, indent=2))
        return 0
    if not rows:
        ui.out(f"{project.name}: not deployed on this swarm (run `devenv deploy --swarm`)")
        return 0
    table = [("SERVICE", "REPLICAS", "IMAGE", "PORTS", "UPDATE")]
    for r in rows:
        table.append((r["service"] + (" (orphan)" if r["orphan"] else ""), f"{r['running']}/{r['desired']}",
                      _short_image(r["image"] or "-"), " ".join(r["ports"]) or "-", r["update"] or "-"))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for i, row in enumerate(table):
        line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        ui.out(ui.style(line, bold=True) if i == 0 else line)
    return 0


def _short_image(ref: str) -> str:
    name, _, digest = ref.partition("@")
    return f"{name}@{digest[:19]}…" if digest else name


def run_down(opts: Options, *, volumes: bool = False, timeout: float = 60.0, no_wait: bool = False) -> int:
    from devenv.converge.writer import project_lock

    project = opts.load()
    with project_lock(project.name, wait=not no_wait, report=ui.reporter):
        return _stack_down(project, volumes=volumes, timeout=timeout)


def _stack_down(project: Project, *, volumes: bool, timeout: float) -> int:
    engine = Engine()
    _manager(engine)
    deployed = _deployed(engine, project)
    _check_ours(project, deployed, "take down")
    for d in deployed:
        engine.remove_service(d.id)
        ui.step(d.service, "remove", swarm.service_name(project.name, d.service))
    # The engine removes the task containers after the services; the network and volumes are in
    # use until then.
    deadline = time.monotonic() + timeout
    task_labels = {L_PROJECT: project.name, L_ROLE: swarm.ROLE}
    while engine.labelled("containers", task_labels):
        if time.monotonic() > deadline:
            raise ServiceFailed(f"the stack's containers are still there after {timeout:.0f}s",
                                hint="run `devenv deploy --swarm --down` again")
        time.sleep(0.3)
    for network in engine.labelled("networks", {swarm.L_STACK: project.name}):
        _retry(functools.partial(engine.remove_network, network["Id"]), deadline)
        ui.step("network", "remove", network["Name"])
    kept = [v["Name"] for v in engine.labelled("volumes", {swarm.L_STACK: project.name})]
    if volumes:
        for name in kept:
            _retry(functools.partial(engine.remove_volume, name), deadline)
            ui.step("volume", "remove", name)
    elif kept:
        ui.info(f"kept volumes: {', '.join(kept)} (`devenv deploy --swarm --down --volumes` removes them)")
    ui.info(f"{project.name}: stack removed")
    return 0


def _retry(action: Callable[[], None], deadline: float) -> None:
    """Networks and volumes stay busy a moment after the last task container goes."""
    while True:
        try:
            action()
            return
        except DevenvError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
