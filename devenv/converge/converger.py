"""Apply a plan through the engine: dependency order, independent services in parallel, health
gates, provision steps. Every step is one that the next `up` can converge from if it is cut off."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from devenv.core.graph import parallel_each, run_graph, select, stop_levels
from devenv.core.plan import Action, Desired, Observed, Plan, ServicePlan, plan
from devenv.core.spec import ContainerSpec, container_spec, provision_hash, spec_hash, volume_name
from devenv.engine import client as eng
from devenv.engine.protocol import ContainerEngine
from devenv.errors import DevenvError, EngineUnavailable, ServiceFailed, UsageError
from devenv.report import Reporter, Silent, elapsed

if TYPE_CHECKING:
    from devenv.converge.images import Resolved
    from devenv.manifest.load import Project
    from devenv.manifest.model import Service

START_WINDOW = 1.0  # seconds after the last start in which a crash still fails `up`


def network_name(project: str) -> str:
    return f"{project}_default"


def container_name(project: str, service: str, replica: int) -> str:
    return f"{project}-{service}-{replica}"


def select_services(project: Project, targets: list[str] | None, *, no_deps: bool = False) -> dict[str, Service]:
    """The enabled services to bring up: the named ones and (unless no_deps) all they depend on."""
    every = project.manifest.services
    unknown = [t for t in targets or () if t not in every]
    if unknown:
        raise UsageError(unknown_services(unknown, project.file.name, every))
    chosen = select({name: svc.depends_on for name, svc in every.items()}, project.enabled_services(), targets,
                    no_deps=no_deps)
    return {name: every[name] for name in chosen}


def unknown_services(unknown: Iterable[str], file_name: str, every: Iterable[str]) -> str:
    return f"no service named {', '.join(unknown)} in {file_name} (services: {', '.join(every)})"


def desired_state(project: Project, services: Mapping[str, Service],
                  images: Mapping[str, Resolved], volumes: dict[str, str] | None = None) -> dict[str, Desired]:
    desired = {}
    for name, svc in services.items():
        resolved = images[name]
        spec = container_spec(project, name, svc, resolved.image_id, image_ref=resolved.ref, volumes=volumes)
        desired[name] = Desired(name=name, scale=svc.scale, spec=spec, spec_hash=spec_hash(spec),
                                provision_hash=provision_hash(project, svc), depends_on=dict(svc.depends_on))
    return desired


def check_route_names(project: str, desired: Mapping[str, Desired], engine: ContainerEngine) -> None:
    """Refuse, before anything is made, a name another project's service is served at: the shared
    router would answer it with one of the two (as with a host port in use). `plan` asks too."""
    from devenv.router.routes import claimed_elsewhere, routes_from_containers

    mine = {name: want.spec["http"] for name, want in desired.items() if "http" in want.spec}
    if not mine:
        return
    clashes = claimed_elsewhere(project, mine, routes_from_containers(engine.container_labels()))
    if clashes:
        service, host, other = clashes[0]
        where = f" (in {other.root})" if other.root else ""
        raise ServiceFailed(f"service {service}: {host} is already served by service {other.service} of "
                            f"project {other.project}{where}",
                            hint="give one of them other `hosts` or `paths`, or run `devenv down` in that "
                                 "project's folder")


def make_plan(project: Project, engine: ContainerEngine, services: Mapping[str, Service],
              images: Mapping[str, Resolved], *, force_recreate: frozenset[str] = frozenset(),
              full: bool = True, observed: list[Observed] | None = None, report: Reporter | None = None
              ) -> tuple[Plan, dict[str, Desired]]:
    from devenv.converge.ownership import resolve_volumes

    desired = desired_state(project, services, images, resolve_volumes(project, engine, services, report=report))
    observed = engine.containers(project.name) if observed is None else observed
    if not full:  # `up web`: leave the other services (and orphans) alone
        observed = [c for c in observed if c.service in desired]
    disabled = {} if not full else {
        name: f"profile {', '.join(svc.profiles)} not enabled"
        for name, svc in project.manifest.services.items() if name not in services}
    return plan(desired, observed, force_recreate=force_recreate, remove_orphans=full, disabled=disabled), desired


@dataclass
class Converger:
    project: Project
    engine: ContainerEngine
    desired: dict[str, Desired]
    stop: threading.Event
    timeout: float = 300.0
    report: Reporter = field(default_factory=Silent)
    router_image: str | None = None  # the router's image as devenv.lock pins it (None: the tag)
    started: list[tuple[str, str]] = field(default_factory=list)  # (service, container ID) started by this run
    last_start: float = 0.0

    @property
    def network(self) -> str:
        return network_name(self.project.name)

    @property
    def routed(self) -> bool:
        return any("http" in want.spec for want in self.desired.values())

    def labels(self, service: str, replica: int, want: Desired | None = None,
               role: str = "service") -> dict[str, str]:
        labels = eng.project_labels(self.project.name, str(self.project.root))
        labels.update({eng.L_SERVICE: service, eng.L_REPLICA: str(replica), eng.L_ROLE: role})
        if want is not None:
            from devenv.core.spec import canonical_json

            labels.update({eng.L_SPEC_HASH: want.spec_hash, eng.L_PROVISION_HASH: want.provision_hash,
                           eng.L_SPEC: canonical_json(want.spec)})
        return labels

    def prepare(self) -> None:
        """The project's network and named volumes (kept across recreate and down). Ones that
        already exist are used only when their labels say they are this folder's."""
        from devenv.converge.ownership import check_owned

        root = str(self.project.root)
        base = eng.project_labels(self.project.name, root)
        found = self.engine.ensure_network(self.network, base)
        check_owned("network", self.network, found, project=self.project.name, root=root, action="use")
        if self.routed:
            from devenv.router import manager

            check_route_names(self.project.name, self.desired, self.engine)
            self.engine.ensure_network(manager.NETWORK, manager.LABELS)  # routed containers join it when made
        for want in self.desired.values():
            for mount in want.spec["mounts"]:
                if mount["type"] == "volume":
                    found = self.engine.ensure_volume(mount["source"], {**base, eng.L_VOLUME: mount["source"]})
                    check_owned("volume", mount["source"], found, project=self.project.name, root=root,
                                action="mount")

    def apply(self, the_plan: Plan) -> None:
        """Run every service's actions in dependency order; raise on the first failure."""
        self.prepare()
        by_name = {sp.service: sp for sp in the_plan.services}
        deps = {name: list(want.depends_on) for name, want in self.desired.items()}
        for sp in the_plan.services:  # orphans: no dependencies, removed first in parallel
            deps.setdefault(sp.service, [])
        outcome = run_graph(deps, lambda name: self.converge_service(by_name[name]), stop=self.stop)
        if any(isinstance(error, KeyboardInterrupt) for error in outcome.failed.values()):
            raise KeyboardInterrupt  # stop was asked (watch mode sets it without a signal here)
        if outcome.failed:
            name, error = next(iter(outcome.failed.items()))
            for other, culprit in outcome.skipped.items():
                self.report.step(other, "skipped", f"(waits on {culprit})")
            if isinstance(error, DevenvError):
                raise error
            raise ServiceFailed(f"service {name}: {error}") from error
        if self.stop.is_set():
            raise KeyboardInterrupt
        if self.routed:
            from devenv.router import manager

            # Once, now that every replica of this run exists: each joined the router's network
            # when it was made (create), and the routes do not wait on health (routes.py).
            manager.sync(self.engine, self.report, image=self.router_image, project=self.project.name)

    def converge_service(self, sp: ServicePlan) -> None:
        want = self.desired.get(sp.service)
        if want is not None:
            for dep, condition in want.depends_on.items():
                if dep in self.desired:
                    self.wait_for(dep, condition, waiter=sp.service)
        started = time.monotonic()
        if sp.provision and want is not None:
            self.provision(sp.service, want)
        for action in sp.actions:
            if self.stop.is_set():  # Ctrl-C: what has not begun does not begin
                raise KeyboardInterrupt
            self.apply_action(action, want, started)

    def apply_action(self, action: Action, want: Desired | None, started: float) -> None:
        name = container_name(self.project.name, action.service, action.replica)
        why = "; ".join(action.reasons)
        if action.kind == "noop":
            return
        if action.kind == "recreate" and action.container is not None and want is not None:
            self.replace(action.container, name, action.service, action.replica, want)
            self.report.step(action.service, action.kind, f"{why}  {elapsed(started)}".strip())
            return
        if action.kind in ("remove", "recreate") and action.container is not None:
            if action.container.running:
                self.engine.stop(action.container.id, stop_timeout(action.container))
            self.engine.remove(action.container.id)
            if action.kind == "remove":
                self.report.step(action.service, "remove", why)
                return
        if want is None:  # only orphans lack a desired state, and they are only removed
            raise DevenvError(f"service {action.service}: nothing to {action.kind} it from")
        if action.kind == "start":
            if action.container is None:  # the plan starts only containers it found
                raise DevenvError(f"service {action.service}: no container to start")
            try:
                self.start(action.container.id, action.service, want)
            except ServiceFailed as exc:
                cure = cannot_start_again(exc.message)
                if cure is None:
                    raise
                self.report.step(action.service, "recreate", cure)  # a fresh container of the same spec starts
                self.replace(action.container, name, action.service, action.replica, want)
        else:
            container = self.create(name, action.service, action.replica, want)
            self.start(container, action.service, want)
        self.report.step(action.service, action.kind, f"{why}  {elapsed(started)}".strip())

    def replace(self, old: Observed, name: str, service: str, replica: int, want: Desired) -> None:
        """Recreate without losing what runs: the replacement is created first, under a
        temporary name (the engine checks mounts and the spec then). The old container is
        stopped only then, since it may hold the host ports; if the replacement cannot start,
        it goes and the old one is started again. Only a started replacement removes the old.

        Names are swapped while neither container runs: the old one is parked under a
        temporary name and the replacement takes the final one before it starts. Renaming a
        running container rewrites its network's endpoint count on Docker 20.10, and after a
        recreate in a 200-service project that count stayed one too high: the network could
        no longer be removed ("has active endpoints", moby/moby#42119) until dockerd restarted."""
        import secrets

        token = secrets.token_hex(3)
        temp = f"{name}.next-{token}"  # `.` is in no project or service name
        try:
            new = self.create(temp, service, replica, want)
        except EngineUnavailable:
            raise
        except DevenvError as exc:
            kept = "keeps running" if old.running else "is kept"
            raise ServiceFailed(f"service {service}: cannot create its replacement: "
                                f"{exc.message.removeprefix(f'service {service}: ')}; "
                                f"the current container {old.name} {kept}",
                                hint=exc.hint or "fix devenv.toml, then run `devenv up` again") from None
        if old.running:
            self.engine.stop(old.id, stop_timeout(old))
        try:
            self.engine.rename(old.id, f"{name}.old-{token}")
            parked = True
        except EngineUnavailable:
            raise
        except DevenvError:  # (a dead container may refuse) then the replacement is renamed once it runs
            parked = False
        try:
            if parked:
                self.engine.rename(new, name)
            self.engine.start(new, f"service {service}")
        except DevenvError as exc:
            self._put_back(old, new, name, parked)
            if isinstance(exc, EngineUnavailable):
                raise
            message, hint = port_conflict(self.engine, service, want, exc.message, project=self.project.name,
                                          root=str(self.project.root))
            if old.running:
                try:
                    self.engine.start(old.id, f"service {service}")
                    message += f"; the previous container {old.name} was started again"
                except DevenvError as again:
                    message += f"; the previous container {old.name} could not start again either ({again.message})"
            else:
                message += f"; the previous container {old.name} is kept"
            raise ServiceFailed(message, hint=hint or "fix it, then run `devenv up` again") from None
        self.record_start(service, new)
        self.engine.remove(old.id)
        if not parked:
            try:
                self.engine.rename(new, name)
            except EngineUnavailable:
                raise
            except DevenvError as exc:  # it runs; only its name is off
                self.report.warn(f"service {service}: runs as {temp} ({exc.message})")

    def _put_back(self, old: Observed, new: str, name: str, parked: bool) -> None:
        """After a failed swap: the replacement goes and the old container gets its name back.
        Best effort: if the engine is gone, the next `up` finds both by their labels and keeps one."""
        try:
            self.engine.remove(new)
            if parked:
                self.engine.rename(old.id, name)
        except DevenvError:
            pass

    def create(self, name: str, service: str, replica: int, want: Desired) -> str:
        """A service container, on the project's network and, when it is routed, on the router's
        too before it first starts: the router reaches it by name from its first second. There
        it answers to its final name as an alias: a replacement is made under a temporary name,
        and a rename does not reach the DNS of a network joined after creation."""
        try:
            container = self.engine.create(name=name, spec=want.spec, network=self.network,
                                           labels=self.labels(service, replica, want))
        except EngineUnavailable:
            raise
        except DevenvError as exc:
            from devenv.converge.binds import missing_bind

            failure = missing_bind(service, exc.message, want.spec["mounts"])
            if failure is None:
                raise
            raise failure from None
        if "http" in want.spec:
            from devenv.router import manager

            try:
                self.engine.connect(container, manager.NETWORK,
                                    aliases=[container_name(self.project.name, service, replica)])
            except DevenvError:
                self.engine.remove(container)  # nothing half-made: the next `up` creates it whole
                raise
        return container

    def start(self, container_id: str, service: str, want: Desired) -> None:
        try:
            self.engine.start(container_id, f"service {service}")
        except EngineUnavailable:
            raise
        except DevenvError as exc:
            message, hint = port_conflict(self.engine, service, want, exc.message, project=self.project.name,
                                          root=str(self.project.root))
            raise ServiceFailed(message, hint=hint) from None
        self.record_start(service, container_id)

    def record_start(self, service: str, container_id: str) -> None:
        self.started.append((service, container_id))
        self.last_start = time.monotonic()

    def check_started(self, window: float = START_WINDOW, *, health: bool = False) -> None:
        """Fail when a container this run started exits with an error or restarts within
        `window` seconds of the last start: `up` must not report success for a service that
        died at once. Exit code 0 is a one-shot job that finished.

        While the window is open, one list call per look shows a container that exited or is
        restarting, whatever the number of services; when it closes, every started container is
        inspected once, which also catches one that died and already came back (its restart count).
        `health`: the caller waits on health next (`up --wait`); the started containers' checks
        run meanwhile (engine/probes.py), so that wait finds them passed."""
        services = {container_id: service for service, container_id in self.started}
        while True:
            closing = time.monotonic() >= self.last_start + window
            if closing:
                suspects = list(services)
            else:
                observed = self.engine.containers(self.project.name, role=None)
                if health:
                    self.engine.run_due_healthchecks([c for c in observed if c.id in services])
                states = {c.id: c.state for c in observed}
                suspects = [cid for cid in services
                            if states.get(cid, "gone") in ("exited", "dead", "restarting", "gone")]
            self._fail_on_startup_problem(suspects, services)
            if closing:
                return
            if self.stop.is_set():
                raise KeyboardInterrupt
            time.sleep(0.1)

    def _fail_on_startup_problem(self, container_ids: list[str], services: Mapping[str, str]) -> None:
        """Inspect `container_ids` (in parallel: 200 services are 200 calls) and raise for the
        first, in start order, that exited with an error or restarted."""
        if not container_ids:
            return
        problems = parallel_each(lambda cid: startup_problem(self.engine.inspect(cid)), container_ids, max_workers=16)
        for container_id, problem in zip(container_ids, problems, strict=True):
            if problem:
                service = services[container_id]
                raise ServiceFailed(f"service {service}: {problem} during start-up",
                                    details=self.engine.log_tail(container_id) or None,
                                    hint=f"`devenv logs {service}` shows its output; `devenv status` its state")

    def provision(self, service: str, want: Desired) -> None:
        svc = self.project.manifest.services[service]
        started = time.monotonic()
        self.report.step(service, "provision", f"{len(svc.provision)} step(s)")
        script = "set -e\n" + "\n".join(svc.provision)
        spec: ContainerSpec = {**want.spec, "entrypoint": ["sh", "-c"], "ports": [], "healthcheck": None,
                               "restart": "no"}
        name = f"{container_name(self.project.name, service, 1)}-provision"
        for old in self.engine.containers(self.project.name, role="provision"):
            if old.name == name:
                self.engine.remove(old.id)
        container = self.engine.create(name=name, spec=spec, network=self.network, command=[script],
                                       labels=self.labels(service, 1, role="provision"))
        finished = threading.Event()
        halt = threading.Thread(target=self._halt_on_stop, args=(container, finished), daemon=True)
        try:
            self.engine.start(container, f"provision of {service}")
            halt.start()
            try:
                code = self.engine.wait(container)
            except DevenvError:
                if not self.stop.is_set():
                    raise
                code = -1  # removed under the wait by Ctrl-C
            if self.stop.is_set():  # the old container keeps running; the next `up` provisions anew
                raise KeyboardInterrupt
            output = self.engine.log_tail(container, 40)
        finally:
            finished.set()
            self.engine.remove(container)
        if code != 0:
            raise ServiceFailed(f"service {service}: provision failed (exit {code})", details=output,
                                hint="fix the provision steps, then run `devenv up` again")
        self.report.step(service, "provision", f"done  {elapsed(started)}")

    def _halt_on_stop(self, container: str, finished: threading.Event) -> None:
        """Ctrl-C during a provision (a `pip install` may take minutes) removes its container,
        which ends the wait on it at once."""
        while not finished.wait(0.2):
            if self.stop.is_set():
                try:
                    self.engine.remove(container)
                except DevenvError:
                    pass  # the engine is going away too; the finally removes it, or the next `up`
                return

    def wait_for(self, service: str, condition: str, *, waiter: str | None = None) -> None:
        """Block until every replica of `service` meets `condition`: started | healthy | completed."""
        self.wait_for_all({service: condition}, waiter=waiter)

    def wait_for_all(self, conditions: Mapping[str, str], *, waiter: str | None = None) -> None:
        """Block until every service meets its condition, with one list call per look for all of
        them (at 200 services, one call instead of 200); raise for the first that cannot."""
        deadline = time.monotonic() + self.timeout
        delay = 0.05
        pending = dict(conditions)
        while True:
            if self.stop.is_set():
                raise KeyboardInterrupt
            observed = self.engine.containers(self.project.name)
            if "healthy" in pending.values():
                # A pass of devenv's own run of the check is healthy; the engine's verdict, once
                # it has one, stands (an unhealthy container is not made healthy here).
                passed = self.engine.run_due_healthchecks([c for c in observed if pending.get(c.service) == "healthy"])
                observed = [c._replace(health="healthy") if c.id in passed and c.health == "starting" else c
                            for c in observed]
            for service, condition in list(pending.items()):
                containers = [c for c in observed if c.service == service]
                verdict = condition_met(containers, condition, self.desired[service].scale)
                if verdict is True:
                    del pending[service]
                elif isinstance(verdict, str):
                    first = containers[0] if containers else None
                    tail = self.engine.log_tail(first.id) if first else ""
                    needed = f" ({waiter} needs it {condition})" if waiter else ""
                    raise ServiceFailed(f"service {service}: {verdict}{needed}", details=tail,
                                        hint=f"`devenv logs {service}` shows its output")
            if not pending:
                return
            if time.monotonic() > deadline:
                service, condition = next(iter(pending.items()))
                raise ServiceFailed(f"service {service}: not {condition} after {self.timeout:g}s")
            time.sleep(delay)
            delay = min(delay * 1.5, 0.1)  # one cheap list call; seeing health late costs more


def cannot_start_again(message: str) -> str | None:
    """Why the engine refused to start a stopped container that a fresh one of the same spec
    replaces, or None: its task outlived an engine crash ("task … already exists"), or its
    network is gone (`docker network prune` removes a network only stopped containers are on,
    and `up` has made a new one of the same name, which the old container does not know)."""
    lowered = message.lower()
    if "task" in lowered and "already exists" in lowered:
        return "the engine kept a stale task after a crash"
    if re.search(r"\bnetwork [0-9a-f]{12,64} not found", lowered):
        return "its network was removed"
    return None


def startup_problem(inspected: dict) -> str | None:
    """What is wrong with a just-started container (engine inspect data), or None."""
    state = inspected.get("State") or {}
    restarts = int(inspected.get("RestartCount") or 0)
    if restarts or state.get("Restarting"):
        code = state.get("ExitCode")
        last = f" (last exit code {code})" if code else ""
        return f"restarted {restarts or 1} time{'s' if restarts > 1 else ''}{last}"
    if state.get("Status") in ("exited", "dead") and state.get("ExitCode", 0) != 0:
        return f"exited with code {state.get('ExitCode')}"
    return None


def condition_met(containers: list[Observed], condition: str, scale: int) -> bool | str | None:
    """True when met, a reason string when it can no longer be met, None to keep waiting."""
    if scale == 0:
        return True
    if len(containers) < scale:
        return None
    for c in containers:
        if condition == "completed":
            if c.state == "exited":
                if c.exit_code not in (0, None):
                    return f"exited with code {c.exit_code}"
                continue
            return None
        if c.state in ("exited", "dead"):
            return f"exited with code {c.exit_code}" if c.exit_code is not None else f"is {c.state}"
        if c.state == "created":
            return None
        if condition == "healthy":
            if c.health == "unhealthy":
                return "is unhealthy"
            if c.health not in ("healthy", None):
                return None
    return True


def port_conflict(engine: ContainerEngine, service: str, want: Desired, message: str, *,
                  project: str = "", root: str = "") -> tuple[str, str | None]:
    """Turn the engine's bind failure into: which service, which port, and who holds it (and,
    when that is this folder's own project under another name, how to stop it)."""
    import re

    match = re.search(r"(?:Bind for |listen tcp4? )([\d.]+):(\d+)", message)
    if not match or ("already" not in message and "in use" not in message):
        return f"service {service}: {message}", None
    ip, port = match.group(1), int(match.group(2))
    row = _holding_row(engine, port)  # one list call, for the holder's name and its folder
    holder = _holder(row, port)
    text = f"service {service}: host port {ip}:{port} is already in use{f' by {holder}' if holder else ''}"
    labels = (row or {}).get("Labels") or {}
    if root and labels.get(eng.L_ROOT) == root and labels.get(eng.L_PROJECT) != project:
        # the project was renamed (or -p given) while its old containers ran: they hold the port
        old = labels[eng.L_PROJECT]
        return text, f"that is this folder's project under its former name: `devenv -p {old} down` stops it"
    return text, None


def _holding_row(engine: ContainerEngine, port: int) -> dict | None:
    """The running container (a row of the engine's list) that publishes `port`, if any."""
    try:
        rows = engine.running_containers()
    except DevenvError:
        return None
    return next((c for c in rows if any(p.get("PublicPort") == port for p in c.get("Ports") or [])), None)


def port_holder(engine: ContainerEngine, port: int) -> str | None:
    """Best effort: a devenv container of some project, another container, or a local process.
    Containers first: the process behind a published port is only Docker's `docker-proxy`."""
    return _holder(_holding_row(engine, port), port)


def _holder(c: dict | None, port: int) -> str | None:
    if c is not None:
        labels = c.get("Labels") or {}
        return (f"project {labels.get(eng.L_PROJECT)!r} (service {labels.get(eng.L_SERVICE)})"
                if eng.L_PROJECT in labels else f"container {c['Names'][0].lstrip('/')}")
    from devenv.converge.ports import process_listening_on

    return process_listening_on(port)


def stop_timeout(container: Observed) -> float:
    """The grace time the container was made with (10s, the engine's default, if it has no spec).
    A label is data an older devenv may have written unchecked: a value that is not a number
    counts as the default, and one outside 0 to the manifest's limit is clamped into it, so that
    `down` always works."""
    from devenv.manifest.limits import MAX_STOP_TIMEOUT

    value = container.spec.get("stop_timeout", 10) if container.spec else 10
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:  # nan != nan
        return 10.0
    return float(min(max(value, 0), MAX_STOP_TIMEOUT))  # before float(): an int may be too large for one


def depends_on(project: Project) -> dict[str, list[str]]:
    return {name: list(svc.depends_on) for name, svc in project.manifest.services.items()}


def down(name: str, engine: ContainerEngine, *, deps: dict[str, list[str]] | None = None, volumes: bool = False,
         timeout: float | None = None, report: Reporter | None = None, root: str | None = None,
         images: str | None = None) -> None:
    """Remove project `name`'s containers (all roles) and network; volumes only when asked.
    `deps` (service → what it depends on) orders the stops; without it all stop at once.
    With `root`, networks and volumes made from another folder are left alone, and said so;
    so are containers made from another folder that is still there (`-p NAME down` run from
    a second checkout): that folder's own `down` takes them down. A folder that is gone (a
    moved checkout) leaves containers nobody else can take down: those go."""
    report = report or Silent()
    containers = engine.containers(name, role=None)
    elsewhere = [c for c in containers if root and c.root and c.root != root and os.path.isdir(c.root)]
    if elsewhere:
        report.warn(f"{len(elsewhere)} container(s) of project {name!r} belong to {elsewhere[0].root}, "
                    f"not to {root}; left alone (`devenv -C {elsewhere[0].root} down` takes them down)")
        containers = [c for c in containers if c not in elsewhere]
    routed = any("http" in (c.spec or {}) for c in containers)
    named_images = {str(c.spec["image"]) for c in containers if c.spec and c.spec.get("image")}
    # Dependents stop before what they need; services of one level stop together (a bounded pool).
    rank = {service: i for i, group in enumerate(stop_levels(deps or {})) for service in group}

    def remove(c: Observed) -> None:
        if c.running:
            engine.stop(c.id, timeout if timeout is not None else stop_timeout(c))
        engine.remove(c.id)
        report.step(c.service, "remove", c.name)

    by_rank: dict[int, list[Observed]] = {}
    for c in containers:
        by_rank.setdefault(rank.get(c.service, -1), []).append(c)
    for _, group in sorted(by_rank.items()):
        parallel_each(remove, group)
    from devenv.converge.ownership import owner_problem

    def mine(resource: dict, kind: str) -> bool:
        why = root and owner_problem(resource.get("Labels") or {}, project=name, root=root)
        if why:
            report.warn(f"{kind} {resource['Name']}: {why}, not to {root}; left alone")
        return not why

    # A network the engine will not let go of does not stop the rest of `down` (volumes, the
    # router); it fails the command at the end, named.
    stuck: DevenvError | None = None
    for network in engine.networks(name):
        if mine(network, "network"):
            try:
                engine.remove_network(network["Id"])
            except EngineUnavailable:
                raise
            except DevenvError as exc:
                stuck = DevenvError(f"network {network['Name']}: {exc.message}", hint=(
                    "the engine still counts a removed container on it (seen on Docker 20.10 after a "
                    "very large down); `docker network rm` it later, or restart the engine")
                    if "active endpoints" in exc.message else exc.hint)
    own_volumes = [v for v in engine.volumes(name) if mine(v, "volume")]
    if volumes:
        for volume in own_volumes:
            engine.remove_volume(volume["Name"])
            report.step("volume", "remove", volume["Name"])
    elif own_volumes:
        kept = [v["Name"] for v in own_volumes]
        report.info(f"kept volumes: {', '.join(kept)} (`devenv down --volumes` removes them)")
    if images:
        from devenv.converge.images import remove_project_images

        remove_project_images(engine, name, images, named_images, root=root, report=report)
    if routed:
        from devenv.router import manager

        manager.sync(engine, report)  # drop this project's routes; the router stops when none are left
    if stuck is not None:
        raise stuck


__all__ = ["Converger", "down", "make_plan", "select_services", "volume_name"]
