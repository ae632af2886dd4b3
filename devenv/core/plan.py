"""Desired state + observed state → a plan of actions with reasons. Pure: no I/O, no Docker.

For each service: noop, start (stopped), create (missing), recreate (spec changed, naming the
fields), scale up/down; plus removal of orphans (containers of services no longer in the
manifest). Each container action carries its reasons, so `devenv plan` can explain itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from devenv.core.observed import Observed
from devenv.core.spec import ContainerSpec, describe_changes

ActionKind = Literal["noop", "start", "create", "recreate", "remove"]


@dataclass(frozen=True)
class Desired:
    name: str
    scale: int
    spec: ContainerSpec
    spec_hash: str
    provision_hash: str = ""
    depends_on: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Action:
    service: str
    replica: int
    kind: ActionKind
    reasons: tuple[str, ...] = ()
    container: Observed | None = None


@dataclass(frozen=True)
class ServicePlan:
    service: str
    actions: tuple[Action, ...]
    provision: bool = False  # run the provision steps before starting new containers
    disabled: str | None = None  # why the service is left alone (profile not enabled)

    @property
    def kind(self) -> str:
        """The service-level summary: the strongest container action, or scale up/down."""
        if self.disabled:
            return "disabled"
        kinds = {a.kind for a in self.actions}
        kept = bool(kinds & {"noop", "start", "recreate"})
        if "recreate" in kinds:
            return "recreate"
        if "create" in kinds:
            return "scale up" if kept else "create"
        if "remove" in kinds:
            return "scale down" if kept else "remove"
        return "start" if "start" in kinds else "noop"

    @property
    def reasons(self) -> list[str]:
        seen: list[str] = []
        for action in self.actions:
            for reason in action.reasons:
                if reason not in seen:
                    seen.append(reason)
        if self.provision and not any(r.startswith("provision") for r in seen):
            seen.append("provision: first run")
        return seen


@dataclass(frozen=True)
class Plan:
    services: tuple[ServicePlan, ...]

    @property
    def is_noop(self) -> bool:
        return all(s.kind in ("noop", "disabled") for s in self.services)

    def for_service(self, name: str) -> ServicePlan | None:
        return next((s for s in self.services if s.service == name), None)


UNLABELLED = "?"  # the service of a container that carries no service label (engine.containers)


def plan(desired: dict[str, Desired], observed: list[Observed], *,
         force_recreate: frozenset[str] = frozenset(), remove_orphans: bool = True,
         disabled: dict[str, str] | None = None) -> Plan:
    """Compare what the manifest wants with what the engine has. `disabled` names services
    that are in the manifest but switched off (profiles): they are left as they are."""
    disabled = disabled or {}
    by_service: dict[str, list[Observed]] = {}
    for container in observed:
        by_service.setdefault(container.service, []).append(container)

    plans = [_service_plan(want, by_service.get(name, []), name in force_recreate)
             for name, want in desired.items()]
    for name, why in disabled.items():
        plans.append(ServicePlan(name, (), disabled=why))
    if remove_orphans:
        # "?": a container with the project's label but no service label was not made by devenv
        # (someone's `docker run --label`): not an orphan to remove, whatever its name says.
        for name in sorted(set(by_service) - set(desired) - set(disabled) - {UNLABELLED}):
            plans.append(ServicePlan(name, tuple(
                Action(name, c.replica, "remove", ("not in devenv.toml any more",), c)
                for c in sorted(by_service[name], key=lambda c: c.replica))))
    return Plan(tuple(plans))


def _service_plan(want: Desired, have: list[Observed], force: bool) -> ServicePlan:
    by_replica: dict[int, list[Observed]] = {}
    for container in have:
        by_replica.setdefault(container.replica, []).append(container)
    chosen = [(replica, sorted(by_replica.pop(replica, []), key=lambda c: (not c.running, c.id)))
              for replica in range(1, want.scale + 1)]
    # Only the containers that stay can show the provision steps ran: a duplicate or an extra
    # replica that carries the right hash is about to be removed.
    kept = [found[0] for _, found in chosen if found]
    provisioned = not want.provision_hash or any(c.provision_hash == want.provision_hash for c in kept)
    actions: list[Action] = []
    for replica, found in chosen:
        # Duplicates of one replica (e.g. left by an interrupted run) are removed.
        actions += [Action(want.name, replica, "remove", ("duplicate container",), c) for c in found[1:]]
        current = found[0] if found else None
        actions.append(_replica_action(want, replica, current, force, provisioned))
    for replica, extra in sorted(by_replica.items()):
        actions += [Action(want.name, replica, "remove", (f"scale is {want.scale}",), c) for c in extra]
    needs_provision = not provisioned and any(a.kind in ("create", "recreate") for a in actions)
    return ServicePlan(want.name, tuple(actions), provision=needs_provision)


def _replica_action(want: Desired, replica: int, current: Observed | None, force: bool,
                    provisioned: bool) -> Action:
    if current is None:
        return Action(want.name, replica, "create", ("not created yet",))
    if force:
        return Action(want.name, replica, "recreate", ("--force-recreate",), current)
    if current.spec_hash != want.spec_hash:
        reasons = describe_changes(current.spec or {}, want.spec) if current.spec else []
        return Action(want.name, replica, "recreate", tuple(reasons or ["spec changed"]), current)
    if not provisioned:
        return Action(want.name, replica, "recreate", ("provision: inputs changed",), current)
    if current.state == "dead":
        return Action(want.name, replica, "recreate", ("container is dead",), current)
    if not current.running:
        return Action(want.name, replica, "start", (f"container is {current.state}",), current)
    return Action(want.name, replica, "noop", (), current)
