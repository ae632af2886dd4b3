"""`devenv ls`: every devenv project on this engine."""

from __future__ import annotations

import json

from devenv import ui
from devenv.converge.projects import list_projects
from devenv.engine.client import Engine


def run_ls(*, as_json: bool) -> int:
    rows = list_projects(Engine())
    if as_json:
        ui.out(json.dumps({"projects": rows}, indent=2))
        return 0
    if not rows:
        ui.out("no devenv projects on this engine")
        return 0
    table = [("PROJECT", "SERVICES", "FOLDER", "PORTS")]
    table += [(r["name"], f"{r['running']}/{r['services']} running", r["folder"] or "-",
               " ".join(r["ports"]) or "-") for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for i, row in enumerate(table):
        line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        ui.out(ui.style(line, bold=True) if i == 0 else line)
    return 0
