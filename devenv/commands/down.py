"""`devenv down`: remove the project's containers and network; volumes only with --volumes."""

from __future__ import annotations

from devenv import ui
from devenv.converge import down
from devenv.engine import Engine
from devenv.options import Options


def run_down(opts: Options, *, volumes: bool = False, timeout: float | None = None) -> int:
    project = opts.load()
    down(project, Engine(), volumes=volumes, timeout=timeout)
    ui.info(f"{project.name}: down")
    return 0
