"""`devenv config` (the resolved manifest) and `devenv schema` (its JSON Schema)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from devenv import ui
from devenv.options import Options

if TYPE_CHECKING:
    from devenv.manifest.load import Project


def resolved(project: Project) -> dict[str, Any]:
    data = project.manifest.model_dump(mode="json", exclude_none=True)
    data["project"]["name"] = project.name
    return data


def _escaped(value: Any) -> Any:
    """Every `$` of a value written as `$$`, as `docker compose config` does: the values are
    already interpolated, and loading the print must not interpolate them again."""
    if isinstance(value, str):
        return value.replace("$", "$$")
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    return value


def config_text(project: Project) -> str:
    """The resolved manifest as TOML: a manifest that loads to the same thing."""
    import tomli_w

    return tomli_w.dumps(_escaped(resolved(project)))


def run_config(opts: Options, *, as_json: bool, sources: bool = False, services_only: bool = False) -> int:
    project = opts.load()
    if services_only:
        ui.out("\n".join(project.manifest.services))
        return 0
    if sources:
        from devenv.manifest.load import display_path

        rows = {".".join(str(p) for p in path): display_path(project.layers[index].path)
                for path, index in sorted(project.sources.items(), key=lambda kv: [str(p) for p in kv[0]])}
        if as_json:
            ui.out(json.dumps(rows, indent=2))
        else:
            width = max(map(len, rows), default=0)
            for key, file in rows.items():
                ui.out(f"{key.ljust(width)}  {file}")
        return 0
    data = resolved(project)
    if as_json:
        ui.out(json.dumps(data, indent=2))
    else:
        ui.out(config_text(project).rstrip())
    return 0


def schema_text() -> str:
    from devenv.manifest.model import json_schema

    return json.dumps(json_schema(), indent=2) + "\n"


def run_schema() -> int:
    ui.out(schema_text().rstrip("\n"))
    return 0
