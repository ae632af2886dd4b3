"""A container as the engine reports it, its devenv labels decoded: what `engine` returns and
`plan` compares with the manifest. Its own module so that reading containers (the no-op `up`,
`status`) does not import the spec and plan machinery."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from devenv.core.spec import ContainerSpec

RUNNING_STATES = ("running", "restarting")


class Observed(NamedTuple):  # not a dataclass: `dataclasses` costs every command ~10 ms of start-up
    """One container of this project, as the engine reports it (labels decoded)."""

    id: str
    name: str
    service: str
    replica: int
    state: str  # created | running | exited | paused | restarting | dead
    spec_hash: str
    provision_hash: str = ""
    spec: ContainerSpec | None = None  # None: the container carries no spec label
    health: str | None = None  # starting | healthy | unhealthy | None (no healthcheck)
    ports: tuple[str, ...] = ()  # ("127.0.0.1:8000->8000/tcp", ...)
    started_at: str | None = None
    exit_code: int | None = None
    root: str | None = None  # the folder of the manifest that made it

    @property
    def running(self) -> bool:
        return self.state in RUNNING_STATES


__all__ = ["RUNNING_STATES", "Observed"]
