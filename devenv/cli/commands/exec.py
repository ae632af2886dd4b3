"""`devenv exec`, `devenv shell` and `devenv run`: commands in a service's environment.

exec and shell run in the service's running container; run starts a one-off container from the
service's spec (its dependencies brought up first) and removes it afterwards. In all three the
command's exit code becomes devenv's, and a TTY is used when devenv sits between two terminals.
"""

from __future__ import annotations

import uuid
from types import FrameType
from typing import TYPE_CHECKING

from devenv import ui
from devenv.converge.projects import load_claimed
from devenv.engine import attach
from devenv.engine.client import Engine
from devenv.errors import DevenvError, ServiceFailed, UsageError
from devenv.options import Options

if TYPE_CHECKING:
    from devenv.core.plan import Observed
    from devenv.core.spec import ContainerSpec
    from devenv.manifest.load import Project

SHELL = ["sh", "-c", "if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi"]


def parse_env(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """`-e KEY=VALUE` (or `-e KEY`, taking KEY from devenv's own environment)."""
    import os

    env = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not key:
            raise UsageError(f"-e {pair!r}: expected KEY=VALUE")
        if not sep:
            if key not in os.environ:
                continue
            value = os.environ[key]
        env[key] = value
    return env


def running_container(project: Project, engine: Engine, service: str, index: int) -> Observed:
    """The running container of `service`'s replica `index`, or a clear error."""
    if service not in project.manifest.services:
        raise UsageError(f"no service named {service} in {project.file.name}"
                         f" (services: {', '.join(project.manifest.services)})")
    replicas = [c for c in engine.containers(project.name) if c.service == service]
    chosen = next((c for c in replicas if c.replica == index), None)
    if chosen is None:
        known = f" (replicas: {', '.join(str(c.replica) for c in replicas)})" if replicas else ""
        raise ServiceFailed(f"service {service} has no container {index}{known}",
                            hint=f"`devenv up {service}` starts it" if not replicas else None)
    if not chosen.running:
        raise ServiceFailed(f"service {service} is not running (it is {chosen.state})",
                            hint=f"`devenv up {service}` starts it; `devenv logs {service}` shows why it stopped")
    return chosen


def run_exec(opts: Options, *, service: str, command: list[str], index: int = 1, user: str | None = None,
             workdir: str | None = None, env: tuple[str, ...] = (), no_tty: bool = False) -> int:
    engine = Engine()
    project = load_claimed(opts, engine)
    if not command:
        raise UsageError("devenv exec SERVICE COMMAND...: no command given (`devenv shell SERVICE` opens a shell)")
    container = running_container(project, engine, service, index)
    return _exec(engine, container.id, command, tty=attach.wants_tty(no_tty), user=user, workdir=workdir,
                 env=parse_env(env))


def run_shell(opts: Options, *, service: str, index: int = 1, user: str | None = None) -> int:
    engine = Engine()
    project = load_claimed(opts, engine)
    container = running_container(project, engine, service, index)
    workdir = project.manifest.services[service].workdir
    code = _exec(engine, container.id, SHELL, tty=attach.wants_tty(), user=user, workdir=workdir, env={})
    if code in (126, 127):
        ui.warn(f"no usable shell in service {service} (tried bash, then sh)")
    return code


def _exec(engine: Engine, container_id: str, command: list[str], *, tty: bool, user: str | None,
          workdir: str | None, env: dict[str, str]) -> int:
    exec_id, handle = engine.exec_open(container_id, list(command), tty=tty, workdir=workdir, user=user, env=env)
    attach.session(handle, tty=tty, on_resize=lambda rows, cols: engine.exec_resize(exec_id, rows, cols))
    return engine.exec_exit_code(exec_id)


def run_run(opts: Options, *, service: str, command: list[str], env: tuple[str, ...] = (),
            user: str | None = None, workdir: str | None = None, entrypoint: str | None = None,
            service_ports: bool = False, no_deps: bool = False, no_tty: bool = False,
            pull: str = "missing") -> int:
    """A one-off container with the service's spec: for migrations, tests and REPLs."""
    import shlex
    import threading

    from devenv.converge.converger import Converger, desired_state, make_plan, select_services
    from devenv.converge.images import resolve_images
    from devenv.lock.drift import load_lock

    try:  # before anything starts: an unbalanced quote is reported as the manifest's command's is
        entry = shlex.split(entrypoint) if entrypoint is not None else None
    except ValueError as exc:
        raise UsageError(f"--entrypoint {entrypoint!r}: {exc}",
                         hint="quote it as a shell would, e.g. --entrypoint 'sh -c'") from None
    engine = Engine()
    project = load_claimed(opts, engine)
    chosen = select_services(project, [service], no_deps=no_deps)
    lock = load_lock(project, report=ui.reporter)
    images = resolve_images(project, engine, chosen, pull=pull, lock=lock, report=ui.reporter)
    from devenv.converge.ownership import resolve_volumes

    desired = desired_state(project, chosen, images, resolve_volumes(project, engine, chosen, report=ui.reporter))
    deps = {name: svc for name, svc in chosen.items() if name != service}
    stop = threading.Event()
    if deps:  # bring up what the service needs, exactly as `devenv up DEP...` would
        the_plan, wanted = make_plan(project, engine, deps, images, full=False, report=ui.reporter)
        from devenv.router.image import pinned

        converger = Converger(project, engine, wanted, stop, report=ui.reporter, router_image=pinned(lock))
        converger.apply(the_plan)
        for dep, condition in project.manifest.services[service].depends_on.items():
            if dep in wanted:
                converger.wait_for(dep, condition, waiter=service)
    own = Converger(project, engine, {service: desired[service]}, stop, report=ui.reporter)
    own.prepare()  # network and named volumes

    base = desired[service].spec
    spec: ContainerSpec = {**base, "healthcheck": None, "restart": "no", "aliases": [],
                           "env": {**base["env"], **parse_env(env)}}
    if not service_ports:
        spec["ports"] = []
    if user is not None:
        spec["user"] = user
    if workdir is not None:
        spec["workdir"] = workdir
    if entry is not None:
        spec["entrypoint"] = entry
    tty = attach.wants_tty(no_tty)
    name = f"{project.name}-{service}-run-{uuid.uuid4().hex[:8]}"
    _exit_on_termination()  # SIGTERM/SIGHUP unwind through `finally`, so the container is removed
    try:
        container = engine.create(name=name, spec=spec, network=own.network, command=list(command) or None,
                                  labels=own.labels(service, 1, role="run"), tty=tty, stdin=True)
    except DevenvError as exc:
        from devenv.converge.binds import missing_bind

        failure = missing_bind(service, exc.message, spec["mounts"])
        if failure is None:
            raise
        raise failure from None
    try:
        handle = engine.attach(container)
        try:
            engine.start(container, f"one-off {service} container")
        except DevenvError as exc:
            if "executable file not found" in exc.message or "no such file or directory" in exc.message:
                ui.error(exc.message)
                return 127
            busy = service_ports and ("already" in exc.message or "in use" in exc.message)
            raise ServiceFailed(f"one-off {service}: {exc.message}", hint="the running service holds its ports; "
                                "drop --service-ports, or `devenv stop " + service + "` first" if busy else None) \
                from None
        attach.session(handle, tty=tty, on_resize=lambda rows, cols: engine.resize(container, rows, cols))
        return engine.wait(container)
    finally:
        engine.remove(container)



def _exit_on_termination() -> None:
    import signal

    def leave(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, leave)
