"""`devenv down`: remove the project's containers and network; volumes only with --volumes.

It works even when devenv.toml no longer validates: the containers carry the folder of the
manifest that made them, so that folder still names the project to take down."""

from __future__ import annotations

from devenv import ui
from devenv.converge.converger import depends_on, down
from devenv.engine.client import Engine
from devenv.errors import ManifestError
from devenv.options import Options


def run_down(opts: Options, *, volumes: bool = False, timeout: float | None = None) -> int:
    engine = Engine()
    try:
        project = opts.load()
    except ManifestError as exc:
        names = projects_made_here(opts, engine)
        if not names:
            raise
        ui.warn(f"{exc.problems[0]}; taking down {', '.join(names)} by its labels instead")
        for name in names:
            down(name, engine, volumes=volumes, timeout=timeout, report=ui.reporter)
            ui.info(f"{name}: down")
        return 0
    down(project.name, engine, deps=depends_on(project), volumes=volumes, timeout=timeout, report=ui.reporter)
    ui.info(f"{project.name}: down")
    return 0


def projects_made_here(opts: Options, engine: Engine) -> list[str]:
    """Names of the projects whose containers were made from this folder's manifest."""
    from devenv.engine.client import L_PROJECT
    from devenv.manifest.load import find_manifest

    if opts.project_name:
        return [opts.project_name]
    manifest = opts.files[0] if opts.files else find_manifest(opts.directory)
    root = str((manifest if manifest.is_absolute() else opts.directory / manifest).resolve().parent)
    return sorted({(c.get("Labels") or {}).get(L_PROJECT) for c in engine.container_labels(root=root)} - {None})
