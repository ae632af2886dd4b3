"""`devenv export --format compose|kubernetes`: the manifest as a Compose file or Kubernetes objects."""

from __future__ import annotations

from pathlib import Path

from devenv import ui
from devenv.core.textfiles import write_atomic
from devenv.errors import DevenvError
from devenv.options import Options

HEADER = "# Written by `devenv export --format {fmt}` from {manifest}; edit devenv.toml and export again.\n"


def run_export(opts: Options, *, fmt: str, output: Path | None = None, volume_size: str = "1Gi") -> int:
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
    try:
        _write_atomic(output, text)
    except OSError as exc:
        raise DevenvError(f"cannot write {output}: {exc.strerror or exc}") from None
    ui.info(f"{project.name}: wrote {output} ({fmt})")
    return 0


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
