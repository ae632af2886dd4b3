"""The one stand-in for the Docker engine that unit tests use.

`FakeEngine` implements `devenv.engine.protocol.SwarmEngine` in memory: containers with a state,
a health and an exit code, networks, volumes, images, a registry of digests, swarm services, and
failure injection. Its container listing goes through the real engine's label decoding
(`engine.client._observed`), so what converge sees is what it would see from Docker.
`tests/unit/test_fake_engine.py` checks that it keeps every signature of the protocol.

End-to-end tests never use it: they drive the real engine (tests/e2e).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from devenv.core.plan import Observed
from devenv.core.spec import ContainerSpec
from devenv.engine import client
from devenv.errors import DevenvError, EngineUnavailable


def fake_id(*parts: str) -> str:
    return "sha256:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass
class FakeContainer:
    id: str
    name: str
    labels: dict[str, str]
    spec: dict
    network: str
    command: list[str] | None = None
    state: str = "created"  # created | running | exited | dead | paused | restarting
    health: str | None = None  # starting | healthy | unhealthy | None (no healthcheck)
    exit_code: int | None = None
    log: str = ""
    health_script: list[str] = field(default_factory=list)  # states still to come, one per look
    networks: list[str] = field(default_factory=list)  # more than `network`: connect() adds them
    files: dict[str, bytes] = field(default_factory=dict)  # what put_archive wrote, by path
    aliases: dict[str, list[str]] = field(default_factory=dict)  # network → names given by connect()
    image_id: str = ""  # the ID of the image it was made from, as the engine lists it

    @property
    def service(self) -> str:
        return self.labels.get(client.L_SERVICE, "?")

    def row(self) -> dict:
        """This container as the engine's /containers/json lists it."""
        status = {"created": "Created", "dead": "Dead", "paused": "Up (Paused)",
                  "restarting": "Restarting (1) 1 second ago"}.get(self.state, "")
        if self.state == "running":
            health = {"starting": " (health: starting)", "healthy": " (healthy)",
                      "unhealthy": " (unhealthy)"}.get(self.health or "", "")
            status = f"Up 1 second{health}"
        elif self.state == "exited":
            status = f"Exited ({self.exit_code if self.exit_code is not None else 0}) 1 second ago"
        return {"Id": self.id, "Names": [f"/{self.name}"], "State": self.state, "Status": status,
                "Labels": dict(self.labels), "Ports": [], "Image": self.spec.get("image", ""), "ImageID": self.image_id,
                "NetworkSettings": {"Networks": {n: {} for n in [self.network, *self.networks]}}}


SPEC_KEYS = {"image", "command", "entrypoint", "env", "mounts", "ports", "workdir", "user", "healthcheck", "restart",
             "init", "stop_timeout", "aliases"}


def _check_spec(spec: dict, command: list[str] | None) -> None:
    """Read the spec as engine.client.Engine.create does, so a spec it could not use fails here too."""
    missing = SPEC_KEYS - set(spec)
    if missing:
        raise KeyError(f"the container spec lacks {sorted(missing)}")
    for mount in spec["mounts"]:
        assert {mount["type"], mount["source"], mount["target"], mount["read_only"]}
        assert mount["type"] in ("bind", "volume") and mount["target"].startswith("/")
    for port in spec["ports"]:
        client._port(port)
    hc = spec["healthcheck"]
    if hc is not None:
        assert {hc["test"][0], hc["interval"], hc["timeout"], hc["retries"], hc["start_period"]}


class FakeEngine:
    """An engine in memory. Test knobs:

    - `images` {ref: inspect dict}, `registry` {ref: digest}: what is local and what can be pulled;
    - `health[service]`: the health states a started container of that service goes through, one
      per listing (the last one stays); default for a spec with a healthcheck: starting, healthy;
    - `exit_on_start[service]`: the container exits with that code as soon as it starts;
      `exit_on_start["service:provision"]`: what `wait` returns for that service's provision run;
    - `fail(op, target, error)`: the next calls of `op` ("start", "create", "pull", ...) on a
      target (container name, service, ref or network/volume name) raise `error`;
    - `unreachable = True`: every call raises EngineUnavailable;
    - `calls`: every call that changes something, in order, as (op, target).
    """

    def __init__(self, *, images: dict[str, dict] | None = None, registry: dict[str, str] | None = None,
                 swarm: dict | None = None) -> None:
        self.images: dict[str, dict] = dict(images or {})
        self.registry: dict[str, str] = dict(registry or {})
        self.platforms: dict[str, dict[str, str]] = {}  # index digest → platform → digest
        self.registry_down = False
        self.unreachable = False
        self.by_id: dict[str, FakeContainer] = {}
        self.network_list: dict[str, dict] = {}
        self.volume_list: dict[str, dict] = {}
        self.health: dict[str, list[str]] = {}
        self.exit_on_start: dict[str, int] = {}
        self.failures: dict[tuple[str, str], BaseException] = {}
        self.calls: list[tuple[str, str]] = []
        self.probe_passes: set[str] = set()
        self.forgotten: list[str] = []  # containers whose health checks of devenv's own were forgotten
        self.probed: list[str] = []
        self.swarm: dict = dict(swarm or {})
        self.swarm_services: dict[str, dict] = {}
        self.built: list[dict] = []
        self._ids = itertools.count(1)
        self._lock = threading.RLock()

    # -- test helpers -------------------------------------------------------------------------

    def fail(self, op: str, target: str, error: BaseException | None = None) -> None:
        self.failures[(op, target)] = error or DevenvError(f"{op} {target}: injected failure")

    def called(self, op: str) -> list[str]:
        return [target for kind, target in self.calls if kind == op]

    def container(self, name: str) -> FakeContainer:
        return next(c for c in self.by_id.values() if c.name == name)

    def add_container(self, name: str, *, service: str, project: str, replica: int = 1, state: str = "running",
                      spec: dict | None = None, spec_hash: str = "", provision_hash: str = "",
                      health: str | None = None, exit_code: int | None = None, root: str | None = None,
                      role: str = "service") -> FakeContainer:
        """A container that was there before the test (made by an earlier `up`)."""
        labels = {**client.project_labels(project, root), client.L_SERVICE: service,
                  client.L_REPLICA: str(replica), client.L_ROLE: role, client.L_SPEC_HASH: spec_hash,
                  client.L_PROVISION_HASH: provision_hash}
        if spec is not None:
            labels[client.L_SPEC] = json.dumps(spec)
        made = FakeContainer(self._new_id(), name, labels, spec or {}, f"{project}_default", state=state,
                             health=health, exit_code=exit_code)
        self.by_id[made.id] = made
        return made

    def _new_id(self) -> str:
        return f"{next(self._ids):064x}"

    def _record(self, op: str, *targets: str) -> None:
        """Log the call, then raise what a test injected for it (or the engine being away)."""
        with self._lock:
            if self.unreachable:
                raise EngineUnavailable("cannot reach the Docker engine (fake: unreachable)")
            self.calls.append((op, targets[0] if targets else ""))
            for target in targets:
                error = self.failures.get((op, target))
                if error is not None:
                    raise error

    def _read(self) -> None:
        if self.unreachable:
            raise EngineUnavailable("cannot reach the Docker engine (fake: unreachable)")

    def _get(self, container_id: str) -> FakeContainer:
        try:
            return self.by_id[container_id]
        except KeyError:
            raise DevenvError(f"No such container: {container_id}") from None

    # -- reading ------------------------------------------------------------------------------

    def ping(self) -> dict:
        self._read()
        return {"Version": "20.10.0-fake", "ApiVersion": "1.41"}

    def info(self) -> dict:
        self._read()
        return {"DockerRootDir": "/var/lib/docker", "Swarm": self.swarm}

    def _rows(self, project: str | None, root: str | None = None) -> list[dict]:
        rows = []
        with self._lock:
            for c in self.by_id.values():
                if c.state == "running" and c.health_script:
                    c.health = c.health_script.pop(0)
                labels = c.labels
                if client.L_PROJECT not in labels:
                    continue
                if project is not None and labels[client.L_PROJECT] != project:
                    continue
                if root is not None and labels.get(client.L_ROOT) != root:
                    continue
                rows.append(c.row())
        return rows

    def containers(self, project: str | None = None, *, role: str | None = "service") -> list[Observed]:
        self._read()
        found = [client._observed(row, row["Labels"]) for row in self._rows(project)
                 if role is None or row["Labels"].get(client.L_ROLE, "service") == role]
        return sorted(found, key=lambda o: (o.service, o.replica))

    def container_labels(self, project: str | None = None, *, root: str | None = None) -> list[dict]:
        self._read()
        return self._rows(project, root)

    def inspect(self, container_id: str) -> dict:
        self._read()
        c = self._get(container_id)
        return {"Id": c.id, "Name": f"/{c.name}", "Config": {"Labels": dict(c.labels)},
                "State": {"Status": c.state, "Restarting": c.state == "restarting", "ExitCode": c.exit_code or 0}}

    def image_id(self, ref: str) -> str | None:
        self._read()
        image = self.images.get(ref)
        return image["Id"] if image else None

    def image_inspect(self, ref: str) -> dict | None:
        self._read()
        if ref.startswith("sha256:"):  # by ID, as the engine answers: every name it has
            names = [r for r, i in self.images.items() if i["Id"] == ref]
            return {**self.images[names[0]], "RepoTags": names} if names else None
        return self.images.get(ref)

    # -- images -------------------------------------------------------------------------------

    def pull(self, ref: str, on_progress: Callable[[dict], None] | None = None) -> str:
        self._record("pull", ref)
        if self.registry_down:
            raise DevenvError(f"cannot pull {ref}: registry unreachable (connection refused)")
        if ref not in self.registry:
            raise DevenvError(f"cannot pull {ref}: no such image in the registry (manifest unknown)")
        repo = ref.rsplit(":", 1)[0] if ":" in ref.rsplit("/", 1)[-1] else ref
        image = {"Id": fake_id("image", self.registry[ref]), "RepoDigests": [f"{repo}@{self.registry[ref]}"]}
        self.images[ref] = image
        if on_progress:
            on_progress({"status": "Pull complete", "id": "0" * 12})
        return image["Id"]

    def build(self, *, context: str, dockerfile: str, tag: str, args: dict, target: str | None,
              labels: dict, on_line: Callable[[str], None] | None = None) -> str:
        self._record("build", tag)
        self.built.append({"context": context, "dockerfile": dockerfile, "tag": tag, "args": dict(args),
                           "target": target})
        image = {"Id": fake_id("build", tag), "RepoDigests": [], "Labels": dict(labels)}
        self.images[tag] = image
        return image["Id"]

    def built_images(self, project: str, service: str | None = None) -> list[dict]:
        rows: dict[str, dict] = {}
        for ref, image in self.images.items():
            labels = image.get("Labels") or {}
            if labels.get("dev.devenv.project") == project and service in (None, labels.get("dev.devenv.service")):
                row = rows.setdefault(image["Id"], {"Id": image["Id"], "RepoTags": [], "Labels": labels})
                row["RepoTags"].append(ref)
        return list(rows.values())

    def remove_image(self, ref: str) -> bool:
        image = self.images.get(ref)
        if image is None:
            return True
        named = [r for r, i in self.images.items() if i["Id"] == image["Id"]]
        if len(named) == 1 and any(c.image_id == image["Id"] for c in self.by_id.values()):
            return False  # the engine's 409: a container uses the image it would delete
        self._record("remove_image", ref)
        del self.images[ref]
        return True

    def tag(self, image: str, ref: str) -> None:
        self._record("tag", ref)
        found = next((i for i in self.images.values() if i["Id"] == image), None)
        if found is None:
            raise DevenvError(f"cannot tag {ref}: No such image: {image}")
        self.images[ref] = found

    def push(self, ref: str) -> str | None:
        self._record("push", ref)
        if self.registry_down:
            raise DevenvError(f"cannot push {ref}: connection refused")
        image = self.images.get(ref)
        if image is None:
            raise DevenvError(f"cannot push {ref}: An image does not exist locally with the tag")
        digest = "sha256:" + hashlib.sha256(image["Id"].encode()).hexdigest()
        self.registry[ref] = digest
        return digest

    def registry_digest(self, ref: str) -> str:
        self._record("registry_digest", ref)
        if self.registry_down:
            raise DevenvError(f'cannot resolve {ref}: Get "http://registry/v2/": dial tcp: connect: '
                              "connection refused")
        if ref not in self.registry:
            raise DevenvError(f"cannot resolve {ref}: manifest unknown: manifest unknown")
        return self.registry[ref]

    # -- networks and volumes -----------------------------------------------------------------

    def ensure_network(self, name: str, labels: dict) -> dict[str, str] | None:
        self._record("ensure_network", name)
        if name in self.network_list:
            return dict(self.network_list[name]["Labels"])
        self.network_list[name] = {"Id": fake_id("network", name), "Name": name, "Driver": "bridge",
                                   "Labels": dict(labels)}
        return None

    def networks(self, project: str) -> list[dict]:
        self._read()
        return [n for n in self.network_list.values() if n["Labels"].get(client.L_PROJECT) == project]

    def remove_network(self, network_id: str) -> None:
        self._record("remove_network", network_id)
        for name, network in list(self.network_list.items()):
            if network["Id"] == network_id:
                del self.network_list[name]

    def ensure_volume(self, name: str, labels: dict) -> dict[str, str] | None:
        self._record("ensure_volume", name)
        if name in self.volume_list:
            return dict(self.volume_list[name]["Labels"])
        self.volume_list[name] = {"Name": name, "Labels": dict(labels)}
        return None

    def volume_labels(self, name: str) -> dict[str, str] | None:
        self._read()
        return dict(self.volume_list[name]["Labels"]) if name in self.volume_list else None

    def resources(self, kind: str, label: str) -> list[dict]:
        self._read()
        key, has_value, value = label.partition("=")

        def carries(found: dict[str, Any]) -> bool:
            labels = found.get("Labels") or {}
            return key in labels and (not has_value or labels[key] == value)

        pool = {"networks": list(self.network_list.values()), "volumes": list(self.volume_list.values())}
        return [r for r in pool.get(kind, self._rows(None)) if carries(r)]

    def volumes(self, project: str) -> list[dict]:
        self._read()
        return [v for v in self.volume_list.values() if v["Labels"].get(client.L_PROJECT) == project]

    def remove_volume(self, name: str) -> None:
        self._record("remove_volume", name)
        self.volume_list.pop(name, None)

    # -- containers ---------------------------------------------------------------------------

    def create(self, *, name: str, spec: ContainerSpec, labels: dict[str, str], network: str,
               command: list[str] | None = None, auto_remove: bool = False, tty: bool = False,
               stdin: bool = False) -> str:
        self._record("create", name, labels.get(client.L_SERVICE, ""))
        _check_spec(spec, command)
        with self._lock:
            if any(c.name == name for c in self.by_id.values()):
                raise DevenvError(f"cannot create {name}: Conflict. The container name \"/{name}\" is already in use")
            if network not in self.network_list:
                raise DevenvError(f"cannot create {name}: network {network} not found")
            by_id = spec["image"] if any(i["Id"] == spec["image"] for i in self.images.values()) else ""
            made = FakeContainer(self._new_id(), name, dict(labels), spec, network, command,
                                 image_id=by_id or (self.images.get(spec["image"]) or {}).get("Id", ""))
            self.by_id[made.id] = made
        return made.id

    def start(self, container_id: str, what: str) -> None:
        c = self._get(container_id)
        self._record("start", c.name, c.service)
        with self._lock:
            code = self.exit_on_start.get(c.service) if c.labels.get(client.L_ROLE) == "service" else None
            if code is not None:
                c.state, c.exit_code, c.health = "exited", code, None
                return
            c.state, c.exit_code = "running", None
            if c.spec.get("healthcheck"):
                c.health_script = list(self.health.get(c.service, ["starting", "healthy"]))
                c.health = "starting"
            else:
                c.health_script, c.health = [], None

    def stop(self, container_id: str, timeout: float) -> None:
        c = self._get(container_id)
        self._record("stop", c.name, c.service)
        with self._lock:
            if c.state in ("running", "restarting", "paused"):
                c.state, c.exit_code = "exited", 143
            c.health, c.health_script = None, []

    def restart(self, container_id: str, timeout: float) -> None:
        c = self._get(container_id)
        self._record("restart", c.name, c.service)
        c.state, c.exit_code = "running", None

    def remove(self, container_id: str) -> None:
        c = self.by_id.get(container_id)
        self._record("remove", c.name if c else container_id, c.service if c else "")
        self.by_id.pop(container_id, None)  # the real engine ignores a container already gone

    def wait(self, container_id: str) -> int:
        c = self._get(container_id)
        self._record("wait", c.name)
        code = self.exit_on_start.get(f"{c.service}:{c.labels.get(client.L_ROLE)}", 0)
        c.state, c.exit_code = "exited", code
        return code

    def logs(self, container_id: str, *, tail: int | Literal["all"] = "all", follow: bool = False,
             since: float | None = None, timestamps: bool = False) -> Iterator[bytes]:
        self._read()
        lines = self._get(container_id).log.splitlines(keepends=True)
        if tail != "all":
            lines = lines[-int(tail):]
        yield "".join(lines).encode()

    def log_tail(self, container_id: str, lines: int = 20) -> str:
        c = self.by_id.get(container_id)
        return "\n".join(c.log.splitlines()[-lines:]) if c else ""

    def exec(self, container_id: str, command: list[str], *, workdir: str | None = None,
             user: str | None = None) -> tuple[int, str]:
        c = self._get(container_id)
        self._record("exec", c.name, c.service)
        return 0, ""

    def put_archive(self, container_id: str, path: str, data: bytes) -> None:
        import io
        import tarfile

        c = self._get(container_id)
        self._record("put_archive", c.name, path)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            for member in tar.getmembers():
                extracted = tar.extractfile(member)
                if extracted is not None:
                    c.files[f"{path.rstrip('/')}/{member.name}"] = extracted.read()

    def container_events(self, project: str, events: tuple[str, ...] = ("die",)) -> Iterator[dict]:
        self._read()
        yield from ()

    # -- swarm --------------------------------------------------------------------------------

    def swarm_state(self) -> dict:
        self._read()
        return self.swarm

    def services(self, labels: dict[str, str]) -> list[dict]:
        self._read()
        return [s for s in self.swarm_services.values()
                if all(s["Spec"].get("Labels", {}).get(k) == v for k, v in labels.items())]

    def tasks(self, service_id: str) -> list[dict]:
        self._read()
        return []

    def create_service(self, spec: dict) -> str:
        self._record("create_service", spec["Name"])
        service_id = self._new_id()[:25]
        self.swarm_services[service_id] = {"ID": service_id, "Version": {"Index": 1}, "Spec": spec}
        return service_id

    def update_service(self, service_id: str, version: int, spec: dict) -> None:
        """Refuses an update of an older version, as the swarm does ("update out of sequence")."""
        self._record("update_service", str(version))
        current = self.swarm_services[service_id]
        if version != current["Version"]["Index"]:
            raise DevenvError(f"cannot update service {spec['Name']}: rpc error: code = Unknown desc = "
                              "update out of sequence")
        current["Spec"] = spec
        current["Version"]["Index"] += 1

    def remove_service(self, service_id: str) -> None:
        self._record("remove_service", service_id)
        self.swarm_services.pop(service_id, None)

    def ensure_overlay_network(self, name: str, labels: dict) -> None:
        self._record("ensure_overlay_network", name)
        self.network_list.setdefault(name, {"Id": fake_id("network", name), "Name": name, "Driver": "overlay",
                                            "Labels": dict(labels)})

    # -- what ownership, failures, the router and multi-platform pins read -----------------------

    def connect(self, container_id: str, network: str, aliases: list[str] | None = None) -> None:
        c = self._get(container_id)
        c.aliases[network] = list(aliases or [])
        self._record("connect", network, c.name)
        if network not in self.network_list:
            raise DevenvError(f"cannot connect to network {network}: network {network} not found")
        if network != c.network and network not in c.networks:
            c.networks.append(network)

    def crash_record(self, container_id: str) -> tuple[int, int | None]:
        self._read()
        c = self._get(container_id)
        return 0, c.exit_code if c.state != "running" else None

    def read_file(self, container_id: str, path: str) -> bytes | None:
        self._read()
        return self._get(container_id).files.get(path)

    def registry_platforms(self, repo: str, digest: str) -> dict[str, str]:
        self._read()
        return dict(self.platforms.get(digest, {}))

    def rename(self, container_id: str, name: str) -> None:
        c = self._get(container_id)
        self._record("rename", name)
        c.name = name

    def forget_health(self, container_id: str) -> None:
        self.forgotten.append(container_id)

    def run_due_healthchecks(self, containers: list[Observed]) -> set[str]:
        """The fake's health follows its script; `probe_passes` names the services whose
        containers pass the check devenv runs itself (engine/probes.py), whatever the engine says."""
        self.probed += [c.service for c in containers]
        return {c.id for c in containers if c.service in self.probe_passes}

    def running_containers(self) -> list[dict]:
        return [row for row in self._rows(None) if row.get("State") == "running"]

    def labelled(self, kind: str, labels: dict[str, str]) -> list[dict]:
        self._read()

        def has(found: dict[str, Any]) -> bool:
            return all((found.get("Labels") or {}).get(k) == v for k, v in labels.items())

        if kind == "networks":
            return [n for n in self.network_list.values() if has(n)]
        if kind == "volumes":
            return [v for v in self.volume_list.values() if has(v)]
        with self._lock:  # every container, devenv's projects or not (the router has no project)
            return [c.row() for c in self.by_id.values() if has(c.row())]


def converge(project: Any, engine: FakeEngine, *, timeout: float = 5.0, opts: Any = None) -> Any:
    """What `devenv up` does with a loaded project, minus the CLI: images, plan, apply; and, given
    the options, the fast path's record. Returns the plan that was applied."""
    from devenv.cli.commands.up import remember
    from devenv.converge.converger import Converger, make_plan
    from devenv.converge.images import resolve_images

    services = project.enabled_services()
    images = resolve_images(project, engine, services)
    the_plan, desired = make_plan(project, engine, services, images)
    Converger(project, engine, desired, threading.Event(), timeout=timeout).apply(the_plan)
    if opts is not None:
        remember(opts, project, engine, desired, images, router=None)
    return the_plan


def replan(project: Any, engine: FakeEngine) -> Any:
    """The full plan `devenv plan` would show now."""
    from devenv.converge.converger import make_plan
    from devenv.converge.images import resolve_images

    services = project.enabled_services()
    return make_plan(project, engine, services, resolve_images(project, engine, services, offline=True))[0]
