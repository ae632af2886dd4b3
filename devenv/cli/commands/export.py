"""`devenv export --format compose|kubernetes`: the manifest as a Compose file or Kubernetes objects."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from devenv import ui
from devenv.core.textfiles import check_writable, display_path, write_atomic
from devenv.errors import UsageError
from devenv.lock.file import LOCK_NAME
from devenv.manifest.load import LOCAL_LAYER_NAME
from devenv.options import Options

if TYPE_CHECKING:
    from devenv.manifest.load import Project

HEADER = "# Written by `devenv export --format {fmt}` from {manifest}; edit devenv.toml and export again.\n"


def run_export(opts: Options, *, fmt: str, output: Path | None = None, volume_size: str = "1Gi",
               force: bool = False) -> int:
    from devenv.export.yaml import dump_yaml, dump_yaml_documents, export_compose, export_kubernetes
    from devenv.lock.file import read_lock

    project = opts.load()
    lock = read_lock(project)
    header = HEADER.format(fmt=fmt, manifest=project.file.name)
    if fmt == "compose":
        base = (output.parent if output is not None else project.root).resolve()
        data, warnings = export_compose(project, base=base, lock=lock)
        text = header + dump_yaml(data)
    else:
        objects, warnings = export_kubernetes(project, volume_size=volume_size, lock=lock)
        text = dump_yaml_documents(objects, header=header)
    for warning in warnings:
        ui.warn(warning)
    if output is None:
        ui.out(text.rstrip("\n"))
        return 0
    check_output(output, project, force=force)
    try:
        write_atomic(output, text)
    except OSError as exc:
        raise UsageError(f"{display_path(output)}: {(exc.strerror or 'cannot write it').lower()}") from None
    ui.info(f"{project.name}: wrote {output} ({fmt})")
    return 0


def check_output(output: Path, project: Project, *, force: bool) -> None:
    """`-o` writes a file devenv owns, never one of the user's: not a file the project is made
    from (whatever --force says), and not any other existing file unless --force or it is an
    earlier export (its first line says so). A missing folder is a typo, not one to make."""
    if not output.parent.exists():
        raise UsageError(f"{display_path(output.parent)}: no such folder", hint="create it, or write elsewhere")
    check_writable([output])
    target = output.resolve()
    inputs = {layer.path.resolve() for layer in project.layers} | {(project.root / LOCK_NAME).resolve(),
                                                                    (project.root / LOCAL_LAYER_NAME).resolve()}
    inputs |= {(project.root / name).resolve() for svc in project.manifest.services.values() for name in svc.env_file}
    inputs |= {(project.root / svc.build.context / svc.build.dockerfile).resolve()
               for svc in project.manifest.services.values() if svc.build}
    inputs.add((project.env_file or project.root / ".env").resolve())
    if target in inputs:
        raise UsageError(f"{display_path(output)} is one of the files this project is made from; not overwritten",
                         hint="write the export to another file")
    if output.exists() and not force and not _an_export(output):
        raise UsageError(f"{display_path(output)} exists and was not written by `devenv export`; not overwritten",
                         hint="pass --force to replace it, or write elsewhere")


def _an_export(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.readline().startswith(b"# Written by `devenv export")
    except OSError:
        return False
