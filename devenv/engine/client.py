"""The one module that talks to Docker.

Everything else hands it plain data (specs, names, labels) and gets plain data back
(`plan.Observed`). The docker SDK is imported on first use only: a no-op `up` or a `status`
lists containers with one raw call on the engine's socket and never pays for the SDK.
SDK exceptions are translated here, in one place, into devenv's error types."""

from __future__ import annotations

from devenv.engine.containers import Containers, _observed  # noqa: F401  (tests read them here)
from devenv.engine.create_body import _port, port_bindings  # noqa: F401  (tests read them here)
from devenv.engine.images import Images
from devenv.engine.networks import Networks
from devenv.engine.swarm import Swarm
from devenv.engine.transport import (  # what callers import from here
    L_PROJECT,
    L_PROVISION_HASH,
    L_REPLICA,
    L_ROLE,
    L_ROOT,
    L_SERVICE,
    L_SPEC,
    L_SPEC_HASH,
    L_VERSION,
    L_VOLUME,
    LABEL,
    START_HINT,
    project_labels,
)
from devenv.engine.volumes import Volumes


class Engine(Containers, Images, Networks, Volumes, Swarm):
    """A connection to one engine: every operation devenv needs, grouped by the kind of object."""


__all__ = [
    "LABEL",
    "L_PROJECT",
    "L_PROVISION_HASH",
    "L_REPLICA",
    "L_ROLE",
    "L_ROOT",
    "L_SERVICE",
    "L_SPEC",
    "L_SPEC_HASH",
    "L_VERSION",
    "L_VOLUME",
    "START_HINT",
    "Engine",
    "project_labels",
]
