"""Data belongs to a folder: before devenv mounts, recreates or deletes a volume or network that
it did not create in this run, it reads the labels on it. Every resource carries the project's
name and the absolute folder of the manifest that made it (`dev.devenv.project`,
`dev.devenv.root`); one made from another folder is never mounted nor removed from here.

Names are one-to-one: a named volume is `<project>.<volume>`. Project names cannot hold a `.`,
so the first `.` splits the name back, and project `a` with volume `b_c` never meets project
`a_b` with volume `c` (the old `<project>_<volume>` did: both were `a_b_c`). Volumes made under
the old name are kept, with a message, when their labels prove they are this project's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from devenv.core.spec import legacy_volume_name, volume_name
from devenv.engine.client import L_PROJECT, L_ROOT, L_VOLUME
from devenv.engine.protocol import ContainerEngine
from devenv.errors import DevenvError, UsageError
from devenv.report import Reporter, Silent

if TYPE_CHECKING:
    from devenv.manifest.load import Project
    from devenv.manifest.model import Service


class NotOurs(UsageError):
    """A volume or network with this project's name was made from another folder."""


def owner_problem(labels: dict[str, str], *, project: str, root: str) -> str | None:
    """Why a resource with these labels is not this checkout's to touch; None when it is.
    A resource without a folder label (made before devenv recorded it) counts as ours."""
    if labels.get(L_PROJECT) not in (None, project):
        return f"it belongs to project {labels.get(L_PROJECT)!r}"
    other = labels.get(L_ROOT)
    if other and other != root:
        return f"it belongs to project {project!r} in {other}"
    return None


def refuse(kind: str, name: str, why: str, *, root: str, action: str) -> NotOurs:
    return NotOurs(f"{kind} {name}: {why}, not to {root}; refusing to {action} it",
                   hint="another checkout uses this project name: give this one its own with "
                        "`devenv -p NAME ...`, or take the other down there (`devenv down --volumes`)")


def check_owned(kind: str, name: str, labels: dict[str, str] | None, *, project: str, root: str,
                action: str) -> None:
    """Raise NotOurs when an existing resource (labels not None) was made from another folder."""
    if labels is None:
        return
    why = owner_problem(labels, project=project, root=root)
    if why:
        raise refuse(kind, name, why, root=root, action=action)


def resolve_volumes(project: Project, engine: ContainerEngine, services: Mapping[str, Service], *,
                    report: Reporter | None = None) -> dict[str, str]:
    """Manifest volume name → the engine volume it is, for every named volume the services
    mount. Refuses a volume of the same name made from another folder; keeps a volume made
    under the old `<project>_<volume>` name when its labels prove it is this project's."""
    report = report or Silent()
    root = str(project.root)
    names: dict[str, str] = {}
    for svc in services.values():
        for mount in svc.parsed_mounts():
            if mount.kind != "volume" or mount.source in names:
                continue
            current = volume_name(project.name, mount.source)
            labels = engine.volume_labels(current)
            if labels is not None:
                check_owned("volume", current, labels, project=project.name, root=root, action="mount")
                names[mount.source] = current
                continue
            legacy = legacy_volume_name(project.name, mount.source)
            old = engine.volume_labels(legacy)
            if (old is not None and old.get(L_PROJECT) == project.name and old.get(L_VOLUME) == legacy
                    and owner_problem(old, project=project.name, root=root) is None):
                report.info(f"volume {legacy}: kept under its old name (new volumes are named {current}; "
                        "`devenv down --volumes` still removes it)")
                names[mount.source] = legacy
            else:
                names[mount.source] = current
                _say_former_volume(engine, project.name, root, mount.source, current, report)
    return names


def _say_former_volume(engine: ContainerEngine, project: str, root: str, source: str, current: str,
                       report: Reporter) -> None:
    """A new, empty volume is about to be made: if this folder's data of that volume sits under
    the project's former name (`[project] name` changed), say so, rather than let it look lost."""
    try:
        rows = engine.resources("volumes", f"{L_ROOT}={root}")
    except DevenvError:
        return
    for row in rows:
        labels = row.get("Labels") or {}
        former = labels.get(L_PROJECT)
        if former and former != project and row.get("Name") == volume_name(former, source):
            report.warn(f"volume {row['Name']}: this folder's {source!r} under its former project name "
                        f"{former!r} is kept, and {current} starts empty (rename the project back to use it)")
