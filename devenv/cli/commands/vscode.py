"""`devenv vscode`: tasks, schema association and extension recommendation in .vscode/.

Merges into existing files (see devenv.vscode); running it twice changes nothing. The .vscode
folder goes beside the manifest, the folder a developer opens in VS Code.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from devenv import ui
from devenv.core.textfiles import check_writable, read_text, write_atomic
from devenv.errors import EXIT_SERVICE_FAILED
from devenv.options import Options

if TYPE_CHECKING:
    from devenv.vscode.tasks import Merge


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)


def _read(path: Path) -> str | None:
    return read_text(path) if path.is_file() else None  # a folder in its place: check_writable says so


def global_args(opts: Options, root: Path) -> list[str]:
    """The -f/-p options the tasks must repeat so they act on the same project as this run."""
    args: list[str] = []
    for file in opts.files:
        full = (opts.directory / file).resolve()
        args += ["-f", os.path.relpath(full, root)]
    if opts.project_name:
        args += ["-p", opts.project_name]
    return args


def plan_files(opts: Options) -> dict[Path, tuple[str | None, Merge]]:
    """Every file devenv vscode manages: path → (current text, Merge)."""
    from devenv.cli.commands.config import schema_text
    from devenv.vscode import tasks as vscode

    project = opts.load()
    root = project.root
    folder = root / ".vscode"
    schema_path = folder / vscode.SCHEMA_FILE
    wanted_tasks = vscode.tasks(global_args=global_args(opts, root))
    files: dict[Path, tuple[str | None, Merge]] = {}
    current = _read(folder / "tasks.json")
    files[folder / "tasks.json"] = (current, vscode.merge_tasks(current, wanted_tasks))
    current = _read(folder / "settings.json")
    files[folder / "settings.json"] = (current, vscode.merge_settings(current, schema_path.as_uri()))
    current = _read(folder / "extensions.json")
    files[folder / "extensions.json"] = (current, vscode.merge_extensions(current))
    current = _read(schema_path)
    text = schema_text()
    files[schema_path] = (current, vscode.Merge(text, [] if current == text else ["wrote the manifest's schema"]))
    return files


def run_vscode(opts: Options, *, check: bool = False) -> int:
    files = plan_files(opts)
    if not check:
        check_writable([path for path, (current, merge) in files.items() if merge.text != current])
    stale = []
    for path, (current, merge) in files.items():
        shown = f".vscode/{path.name}"
        if merge.text == current:
            ui.info(f"{shown}: up to date")
            continue
        stale.append(shown)
        if check:
            ui.info(f"{shown}: would change ({'; '.join(merge.changes) or 'formatting'})")
            continue
        _write(path, merge.text)
        ui.info(f"{shown}: {'; '.join(merge.changes) or 'updated'}")
        for dropped in merge.dropped_comments:
            ui.warn(f"{shown}: {dropped} could not be kept (that entry is rewritten by devenv vscode)")
    if check and stale:
        ui.error(f"not up to date: {', '.join(stale)}", hint="run `devenv vscode`")
        return EXIT_SERVICE_FAILED
    if not check and stale:
        ui.info("VS Code: Terminal → Run Task… → devenv: up / watch; install the recommended "
                "Even Better TOML extension for devenv.toml completion and checks")
    return 0
