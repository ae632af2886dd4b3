"""Projects on this engine: which folder holds a project name, and `devenv ls`.

A project's identity lives in labels: its name, and the folder of the manifest that made it.
Two checkouts of one repository (a git worktree, a second clone) share a manifest and so a
name; the second one to come up gets the name plus a short hash of its folder, so the two never
touch each other's containers. The first keeps the plain name for as long as it has containers.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from typing import TYPE_CHECKING

from devenv.engine.client import L_PROJECT, L_ROLE, L_ROOT, L_SERVICE
from devenv.engine.protocol import ContainerEngine
from devenv.errors import DevenvError

if TYPE_CHECKING:
    from devenv.manifest.load import Project
    from devenv.options import Options


def checkout_suffix(root: str) -> str:
    return hashlib.sha256(root.encode()).hexdigest()[:6]


KINDS = ("containers", "volumes", "networks")


def claim_name(project: Project, engine: ContainerEngine) -> Project:
    """The project, renamed `<name>-<hash>` when another folder holds its name: its containers,
    or the volumes and networks it keeps after `down`. A checkout that already has resources
    keeps the name they carry, whoever comes and goes meanwhile. Without an engine to ask (it
    is down), the name stays: commands that need the engine fail on their own, with their own
    message."""
    from devenv.converge.ownership import owner_problem

    root = str(project.root)
    distinct = f"{project.name}-{checkout_suffix(root)}"
    try:
        ours = {(r.get("Labels") or {}).get(L_PROJECT) for kind in KINDS
                for r in engine.resources(kind, f"{L_ROOT}={root}")}
        if distinct in ours:
            return dataclasses.replace(project, name=distinct)
        if project.name in ours:
            return project
        held = any(owner_problem(r.get("Labels") or {}, project=project.name, root=root)
                   for kind in KINDS for r in engine.resources(kind, f"{L_PROJECT}={project.name}"))
    except DevenvError:
        return project
    return dataclasses.replace(project, name=distinct) if held else project


def load_claimed(opts: Options, engine: ContainerEngine) -> Project:
    """The project the options point at, under the name it holds on this engine (a second
    checkout of the same repository gets its own). The one place loading meets the engine."""
    project = opts.load()
    return project if opts.name_given else claim_name(project, engine)


def list_projects(engine: ContainerEngine) -> list[dict]:
    """Every devenv project on the engine: name, folder, services running/total, ports."""
    projects: dict[str, dict] = defaultdict(lambda: {"services": set(), "running": set(), "ports": set(),
                                                      "folder": None})
    for c in engine.container_labels():
        labels = c.get("Labels") or {}
        if labels.get(L_ROLE, "service") != "service":
            continue
        entry = projects[labels[L_PROJECT]]
        service = labels.get(L_SERVICE, "?")
        entry["services"].add(service)
        entry["folder"] = entry["folder"] or labels.get(L_ROOT)
        if c.get("State") == "running":
            entry["running"].add(service)
        for p in c.get("Ports") or []:
            if p.get("PublicPort"):
                entry["ports"].add(f"{p.get('IP') or '0.0.0.0'}:{p['PublicPort']}")
    return [{"name": name, "folder": e["folder"], "running": len(e["running"]), "services": len(e["services"]),
             "ports": sorted(e["ports"], key=lambda p: int(p.rsplit(":", 1)[1]))}
            for name, e in sorted(projects.items())]
