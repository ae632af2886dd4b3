"""`devenv down`: remove the project's containers and network; volumes only with --volumes,
images only with --rmi.

It works even when devenv.toml no longer validates: the containers carry the folder of the
manifest that made them, so that folder still names the project to take down."""

from __future__ import annotations

from devenv import ui
from devenv.converge.converger import depends_on, down
from devenv.converge.projects import load_claimed
from devenv.engine.client import Engine
from devenv.errors import ManifestError
from devenv.options import Options


def run_down(opts: Options, *, volumes: bool = False, images: str | None = None, timeout: float | None = None,
             no_wait: bool = False) -> int:
    from devenv.converge.writer import project_lock

    engine = Engine()
    from devenv.core.fastpath import cached_project

    cached = cached_project(opts)  # an unchanged manifest: its name and order without validating it
    if cached is not None and cached.depends_on is not None and cached.holds_name(engine):
        with project_lock(cached.name, wait=not no_wait, report=ui.reporter):
            down(cached.name, engine, deps=cached.depends_on, volumes=volumes, timeout=timeout, root=cached.root,
                 images=images, report=ui.reporter)
        ui.info(f"{cached.name}: down")
        return 0
    try:
        project = load_claimed(opts, engine)
    except ManifestError as exc:
        names = projects_made_here(opts, engine)
        if not names:  # a clean-up script's `down` succeeds when there is nothing to clean up
            ui.warn(f"{exc.problems[0]}")
            ui.info("nothing made from this folder is on the engine: nothing to take down")
            return 0
        ui.warn(f"{exc.problems[0]}; taking down {', '.join(names)} by its labels instead")
        for name in names:
            with project_lock(name, wait=not no_wait, report=ui.reporter):
                down(name, engine, volumes=volumes, timeout=timeout, root=manifest_root(opts), images=images,
                     report=ui.reporter)
            ui.info(f"{name}: down")
        return 0
    with project_lock(project.name, wait=not no_wait, report=ui.reporter):
        down(project.name, engine, deps=depends_on(project), volumes=volumes, timeout=timeout,
             root=str(project.root), images=images, report=ui.reporter)
    ui.info(f"{project.name}: down")
    return 0


def projects_made_here(opts: Options, engine: Engine) -> list[str]:
    """Names of the projects whose containers, volumes or networks were made from this folder's
    manifest (the volumes too: after a `down`, `down --volumes` must still find them)."""
    from devenv.engine.client import L_PROJECT, L_ROOT

    if opts.project_name:
        return [opts.project_name]
    label = f"{L_ROOT}={manifest_root(opts)}"
    names = {(row.get("Labels") or {}).get(L_PROJECT)
             for kind in ("containers", "volumes", "networks") for row in engine.resources(kind, label)}
    return sorted(name for name in names if name is not None)


def manifest_root(opts: Options) -> str:
    """The folder of the manifest these options point at (read without validating it)."""
    from devenv.manifest.load import find_manifest

    manifest = opts.files[0] if opts.files else find_manifest(opts.directory)
    return str((manifest if manifest.is_absolute() else opts.directory / manifest).resolve().parent)
