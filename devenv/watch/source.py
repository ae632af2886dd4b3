"""What watch mode reads of the manifest, as plain values.

A watch that only syncs and restarts needs the project's name and folder, the manifest's own
files, and per service its watch rules, build context, provision inputs, scale and whether it
has a healthcheck. `from_project` takes them from the validated model; `up` records them next
to the fast path's record (core.fastpath), and a watch started on an unchanged manifest reads
them back with `from_record`, without importing pydantic: about half of a watcher's memory.
A rebuild or a reload still loads the model (watch.actions).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from devenv.core.graph import select

if TYPE_CHECKING:
    from devenv.manifest.load import Project


class Rule(NamedTuple):
    """One `[[services.X.watch]]` rule."""

    action: str
    paths: tuple[str, ...]
    ignore: tuple[str, ...] = ()
    target: str | None = None
    exec: tuple[str, ...] | None = None


class Build(NamedTuple):
    context: str  # relative to the manifest's folder, as written
    dockerfile: str  # relative to the context


class ServiceRules(NamedTuple):
    scale: int
    healthcheck: bool
    depends_on: tuple[str, ...]
    rules: tuple[Rule, ...]
    build: Build | None
    provision_inputs: tuple[str, ...]  # empty unless the service provisions


class WatchSource(NamedTuple):
    name: str  # as claimed on the engine
    root: Path
    file_name: str  # the first layer's name, for messages
    manifest_files: tuple[str, ...]  # relative to root: a change of one is a reload
    enabled: tuple[str, ...]
    services: dict[str, ServiceRules]  # every service of the manifest, in its order

    def select(self, targets: Sequence[str] | None, *, no_deps: bool) -> list[str]:
        """As converge.converger.select_services, on these plain values."""
        return select({n: s.depends_on for n, s in self.services.items()}, self.enabled, targets, no_deps=no_deps)

    def unknown(self, targets: Iterable[str]) -> list[str]:
        return [t for t in targets if t not in self.services]


def normalise(pattern: str) -> str:
    """A manifest path as the watch rules compare it: no `./` in front, no `/` at the end."""
    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") if pattern not in ("", "/") else ""


def rel_path(root: Path, path: Path) -> str:
    """`path` relative to the manifest's folder, with forward slashes, as the rules compare it."""
    return os.path.relpath(path, root).replace(os.sep, "/")


def manifest_files(project: Project) -> list[str]:
    """The files whose change reloads the manifest: its layers (and the local layer it may
    grow), the env file, every service's env_file, and the ignore files that decide what is
    watched."""
    root = project.root
    files = {rel_path(root, layer.path) for layer in project.layers}
    if project.file.name == "devenv.toml":  # creating devenv.local.toml adds a layer
        files.add(rel_path(root, project.file.with_name("devenv.local.toml")))
    files.add(rel_path(root, project.env_file) if project.env_file else ".env")
    files.update((".devenvignore", ".dockerignore"))
    for svc in project.manifest.services.values():
        files.update(normalise(f) for f in svc.env_file)
    return sorted(files)


def from_project(project: Project) -> WatchSource:
    services = {}
    for name, svc in project.manifest.services.items():
        rules = tuple(Rule(r.action, tuple(r.paths), tuple(r.ignore), r.target, tuple(r.exec) if r.exec else None)
                      for r in svc.watch)
        build = Build(svc.build.context, svc.build.dockerfile) if svc.build else None
        services[name] = ServiceRules(scale=svc.scale, healthcheck=svc.healthcheck is not None,
                                      depends_on=tuple(svc.depends_on), rules=rules, build=build,
                                      provision_inputs=tuple(svc.provision_inputs) if svc.provision else ())
    return WatchSource(name=project.name, root=project.root, file_name=project.file.name,
                       manifest_files=tuple(manifest_files(project)), enabled=tuple(project.enabled_services()),
                       services=services)


def to_record(source: WatchSource) -> dict[str, Any]:
    """JSON-ready; the name and folder are the fast path's record's own."""
    return {"file_name": source.file_name, "manifest_files": list(source.manifest_files),
            "enabled": list(source.enabled),
            "services": {name: {"scale": s.scale, "healthcheck": s.healthcheck, "depends_on": list(s.depends_on),
                                "rules": [r._asdict() for r in s.rules],
                                "build": s.build._asdict() if s.build else None,
                                "provision_inputs": list(s.provision_inputs)}
                         for name, s in source.services.items()}}


def from_record(name: str, root: str, data: Mapping[str, Any]) -> WatchSource | None:
    """What `to_record` wrote; None when it is not that (an older devenv's record)."""
    try:
        services = {}
        for svc_name, s in data["services"].items():
            rules = tuple(Rule(str(r["action"]), tuple(r["paths"]), tuple(r["ignore"]), r["target"],
                               tuple(r["exec"]) if r["exec"] is not None else None) for r in s["rules"])
            build = Build(str(s["build"]["context"]), str(s["build"]["dockerfile"])) if s["build"] else None
            services[str(svc_name)] = ServiceRules(scale=int(s["scale"]), healthcheck=bool(s["healthcheck"]),
                                                   depends_on=tuple(s["depends_on"]), rules=rules, build=build,
                                                   provision_inputs=tuple(s["provision_inputs"]))
        return WatchSource(name=name, root=Path(root), file_name=str(data["file_name"]),
                           manifest_files=tuple(data["manifest_files"]), enabled=tuple(data["enabled"]),
                           services=services)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
