"""The manifest on Docker Swarm: service specs, their hashes, and the plan of a redeploy.

Pure: nothing here talks to the engine. `stack_spec` turns a service into plain data (what the
stack will run, the swarm counterpart of `spec.container_spec`), `api_spec` turns that into the
engine's ServiceSpec, and `plan_stack` compares it with the services deployed, by hash, so a
redeploy touches only the services whose spec changed. `devenv.commands.deploy` is the shell.

A stack is named after the project: services `<project>_<service>` (as `docker stack deploy`
names them), the overlay network `<project>_swarm`, named volumes `<project>_<volume>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from devenv.core.spec import ContainerSpec, canonical_json, container_spec, describe_changes, digest, legacy_volume_name
from devenv.engine.client import L_ROLE, L_SERVICE, L_SPEC, L_SPEC_HASH, L_VERSION, LABEL, project_labels

STACK_NAMESPACE = "com.docker.stack.namespace"  # what `docker stack ls/ps/services` group by
STACK_IMAGE = "com.docker.stack.image"
L_STACK, L_TASK_HASH = f"{LABEL}.stack", f"{LABEL}.task-hash"
# The local image ID a tag was deployed with when no registry held it: the swarm's own pull can
# give that tag a registry digest later, which is no change of content.
L_IMAGE_ID = f"{LABEL}.image-id"
ROLE = "swarm"

# devenv's restart policies → swarm's restart conditions
if TYPE_CHECKING:
    from devenv.manifest.load import Project
    from devenv.manifest.model import Service


class StackSpec(ContainerSpec):
    """A container spec as a swarm service runs it: volumes only, ingress ports, and replicas."""

    replicas: int


RESTART = {"no": "none", "on-failure": "on-failure", "always": "any", "unless-stopped": "any"}


def service_name(project: str, service: str) -> str:
    return f"{project}_{service}"


def network_name(project: str) -> str:
    # Not `<project>_default`: that is the bridge network of `devenv up` on the same engine.
    return f"{project}_swarm"


def stack_labels(project: str) -> dict[str, str]:
    """Labels of the stack's network and volumes: the stack, not the local project (so `devenv
    down` of the local environment never removes what a deployed stack uses)."""
    from devenv import __version__

    return {STACK_NAMESPACE: project, L_STACK: project, L_ROLE: ROLE, L_VERSION: __version__}


def service_labels(project: str, root: str | None = None) -> dict[str, str]:
    """The filter that finds this project's swarm services (and their task containers)."""
    return {**project_labels(project, root), L_ROLE: ROLE, STACK_NAMESPACE: project}


# -- what cannot go to a cluster --------------------------------------------------------------------

def build_only(services: Mapping[str, Service]) -> list[str]:
    """Services that build an image but name none to push it to: a cluster cannot run them."""
    return [name for name, svc in services.items() if svc.build and not svc.image]


def dropped(services: Mapping[str, Service]) -> list[str]:
    """One warning per service for what is meaningless on a cluster and is left out."""
    notes = []
    for name, svc in services.items():
        parts = []
        binds = [m for m in svc.parsed_mounts() if m.kind == "bind"]
        if binds:
            parts.append("bind mount" + ("s " if len(binds) > 1 else " ") +
                         ", ".join(f"{m.source}:{m.target}" for m in binds))
        if svc.watch:
            parts.append(f"{len(svc.watch)} watch rule" + ("s" if len(svc.watch) > 1 else ""))
        if svc.provision:
            parts.append("provision steps")
        if parts:
            notes.append(f"service {name}: dropped {' and '.join(parts)} (host folders and file watching "
                         f"mean nothing on a cluster; bake sources into the image)")
    return notes


# -- the spec -----------------------------------------------------------------------------------------

def stack_spec(project: Project, name: str, svc: Service, image_ref: str) -> StackSpec:
    """What one service runs on the swarm, as plain data (stored on the service as a label)."""
    # Stack volumes keep the name they always had, so a redeploy finds its data.
    legacy = {m.source: legacy_volume_name(project.name, m.source) for m in svc.parsed_mounts() if m.kind == "volume"}
    base = container_spec(project, name, svc, image_ref, image_ref=image_ref, volumes=legacy)
    return {**base, "mounts": [m for m in base["mounts"] if m["type"] == "volume"],
            # Published ports go to the ingress: every node listens on the port, so no host address.
            "ports": sorted(f"{p.host_port or ''}:{p.container_port}/{p.protocol}" for p in svc.parsed_ports()),
            "replicas": svc.scale}


def task_hash(spec: StackSpec) -> str:
    """Hash of what the tasks run: the spec without `replicas` (scaling restarts no task)."""
    return digest({k: v for k, v in spec.items() if k != "replicas"})


def api_spec(project: str, name: str, spec: StackSpec, labels: dict[str, str], *,
             image_id: str | None = None) -> dict[str, Any]:
    """The engine's ServiceSpec for `spec` (Docker API 1.41); `image_id` is the local content of
    an image no registry holds."""
    hc = spec["healthcheck"]
    container_labels = {**labels, L_SERVICE: name, L_TASK_HASH: task_hash(spec)}
    container = {
        "Image": spec["image"],
        "Labels": container_labels,
        "Env": [f"{k}={v}" for k, v in spec["env"].items()] + spec.get("unset_env", []),
        "Mounts": [{"Type": "volume", "Source": m["source"], "Target": m["target"], "ReadOnly": m["read_only"],
                    "VolumeOptions": {"Labels": stack_labels(project)}} for m in spec["mounts"]],
        "StopGracePeriod": _ns(spec["stop_timeout"]),
        "Init": spec["init"],
    }
    if "stop_signal" in spec:
        container["StopSignal"] = spec["stop_signal"]
    # Swarm's Command replaces the image's ENTRYPOINT and Args its CMD, as in `docker stack`.
    for key, value in (("Command", spec["entrypoint"]), ("Args", spec["command"]), ("Dir", spec["workdir"]),
                       ("User", spec["user"])):
        if value is not None:
            container[key] = value
    if hc is not None:
        container["Healthcheck"] = {"Test": hc["test"], "Interval": _ns(hc["interval"]),
                                    "Timeout": _ns(hc["timeout"]), "Retries": hc["retries"],
                                    "StartPeriod": _ns(hc["start_period"])}
    ports = []
    for text in spec["ports"]:
        mapping, proto = text.rsplit("/", 1)
        published, target = mapping.split(":")
        port = {"Protocol": proto, "TargetPort": int(target), "PublishMode": "ingress"}
        if published:
            port["PublishedPort"] = int(published)
        ports.append(port)
    return {
        "Name": service_name(project, name),
        "Labels": {**labels, L_SERVICE: name, STACK_IMAGE: spec["image"], L_SPEC_HASH: digest(spec),
                   L_SPEC: canonical_json(spec), **({L_IMAGE_ID: image_id} if image_id else {})},
        "TaskTemplate": {
            "ContainerSpec": container,
            "RestartPolicy": {"Condition": RESTART[spec["restart"]], "MaxAttempts": 0},
            "Networks": [{"Target": network_name(project), "Aliases": spec["aliases"]}],
        },
        "Mode": {"Replicated": {"Replicas": spec["replicas"]}},
        "UpdateConfig": {"Parallelism": 1, "FailureAction": "pause", "Order": "stop-first"},
        "EndpointSpec": {"Mode": "vip", "Ports": ports},
    }


def _ns(seconds: float) -> int:
    return int(seconds * 1_000_000_000)


# -- the plan -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Deployed:
    """A service of the stack as the engine has it."""

    id: str
    service: str
    version: int
    spec_hash: str
    spec: dict[str, Any] | None  # the StackSpec it was deployed with, as stored in its label
    running: int = 0
    desired: int = 0
    update_state: str | None = None
    ports: tuple[str, ...] = ()  # "30000->8080/tcp": the ports the swarm published
    labels: dict[str, str] = field(default_factory=dict, compare=False)  # the service's, as deployed

    @property
    def image(self) -> str | None:
        return self.spec.get("image") if self.spec else None

    @property
    def image_id(self) -> str | None:
        """The local image a tag no registry held was deployed with."""
        return self.labels.get(L_IMAGE_ID)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Deployed:
        import json

        labels = data.get("Spec", {}).get("Labels") or {}
        status = data.get("ServiceStatus") or {}
        text = labels.get(L_SPEC)
        return cls(id=data["ID"], service=labels.get(L_SERVICE, "?"), version=int(data["Version"]["Index"]),
                   spec_hash=labels.get(L_SPEC_HASH, ""), spec=json.loads(text) if text else None,
                   running=int(status.get("RunningTasks") or 0), desired=int(status.get("DesiredTasks") or 0),
                   update_state=(data.get("UpdateStatus") or {}).get("State"),
                   ports=tuple(f"{p.get('PublishedPort', '')}->{p['TargetPort']}/{p.get('Protocol', 'tcp')}"
                               for p in (data.get("Endpoint") or {}).get("Ports") or []),
                   labels=dict(labels))


@dataclass(frozen=True)
class Step:
    service: str
    kind: str  # create | update | noop | remove
    reasons: tuple[str, ...] = ()
    deployed: Deployed | None = None


@dataclass(frozen=True)
class StackPlan:
    steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def is_noop(self) -> bool:
        return all(s.kind == "noop" for s in self.steps)

    def of(self, *kinds: str) -> list[Step]:
        return [s for s in self.steps if s.kind in kinds]


def plan_stack(desired: Mapping[str, StackSpec], deployed: list[Deployed]) -> StackPlan:
    """Per service: create what is missing, update what changed (naming what), leave the rest,
    remove services of the stack that the manifest no longer has."""
    by_name = {d.service: d for d in deployed}
    steps = []
    for name, spec in desired.items():
        current = by_name.get(name)
        if current is None:
            steps.append(Step(name, "create", ("not deployed",)))
        elif current.spec_hash != digest(spec):
            reasons = describe_changes(current.spec, spec) if current.spec else ["spec changed"]
            if not reasons:
                reasons = ["spec changed"]
            steps.append(Step(name, "update", tuple(r.replace("replicas:", "scale:") for r in reasons), current))
        else:
            steps.append(Step(name, "noop", (), current))
    for d in deployed:
        if d.service not in desired:
            steps.append(Step(d.service, "remove", ("not in the manifest",), d))
    return StackPlan(tuple(steps))


def task_progress(tasks: list[dict[str, Any]], spec: StackSpec) -> tuple[frozenset[str], list[str]]:
    """(IDs of the tasks of this spec that run, errors of its failed tasks, newest first)."""
    want = task_hash(spec)
    running, errors = set(), []
    for t in sorted(tasks, key=lambda t: t.get("UpdatedAt", ""), reverse=True):
        labels = t.get("Spec", {}).get("ContainerSpec", {}).get("Labels") or {}
        if labels.get(L_TASK_HASH) != want:
            continue
        state = t.get("Status", {}).get("State")
        if state == "running" and t.get("DesiredState") == "running":
            running.add(t["ID"])
        elif state in ("failed", "rejected"):
            errors.append(t.get("Status", {}).get("Err") or t.get("Status", {}).get("Message") or state)
    return frozenset(running), errors


__all__ = ["Deployed", "StackPlan", "Step", "api_spec", "build_only", "dropped", "network_name", "plan_stack",
           "service_name", "stack_spec", "task_hash", "task_progress"]
