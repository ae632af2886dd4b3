"""`devenv status` (alias `ps`): one row per container, with clickable URLs for published ports."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from devenv import ui
from devenv.engine.client import Engine
from devenv.options import Options

if TYPE_CHECKING:
    from devenv.core.observed import Observed


def port_rows(ports: tuple[str, ...]) -> list[dict]:
    rows = []
    for text in ports:  # "127.0.0.1:8000->80/tcp"
        match = re.match(r"^(.*):(\d+)->(\d+)/(\w+)$", text)
        if not match:
            continue
        ip, host, container, proto = match.groups()
        shown_ip = "127.0.0.1" if ip in ("", "0.0.0.0") else f"[{ip}]" if ":" in ip else ip
        rows.append({"host_ip": ip, "host_port": int(host), "container_port": int(container), "protocol": proto,
                     "url": f"http://{shown_ip}:{host}" if proto == "tcp" else None})
    return rows


def uptime(status: str | None) -> str:
    match = re.match(r"^Up (.+?)(?: \(.*\))?$", status or "")
    return match.group(1) if match else ""


def status_view(name: str, known: Collection[str], engine: Engine) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The rows and the routed addresses of project `name`, from one listing of its containers."""
    containers = engine.containers(name)
    return status_rows(containers, known, engine), routed_urls(containers, engine)


def status_rows(containers: Sequence[Observed], known: Collection[str], engine: Engine) -> list[dict[str, Any]]:
    """One row per container of a project; `known`: the services its manifest declares."""
    # The list has no restart count. Only the engine's restart policy restarts a container (and
    # counts it), so a container without one has none, and the list's "Exited (N)" is its last
    # exit code. The others are inspected, at once rather than one after another.
    records: dict[str, tuple[int, int | None]] = {
        c.id: (0, None if c.running else c.exit_code) for c in containers
        if c.state == "created" or (c.spec.get("restart", "no") if c.spec else "no") == "no"}
    restartable = [c for c in containers if c.id not in records]
    if restartable:
        from devenv.core.graph import parallel_each

        found = parallel_each(lambda c: engine.crash_record(c.id), restartable, max_workers=16)
        records.update(zip((c.id for c in restartable), found, strict=True))
    rows = []
    for c in containers:
        restarts, last_exit = records[c.id]
        rows.append({"service": c.service, "replica": c.replica, "name": c.name, "id": c.id[:12],
                     "state": c.state, "health": c.health, "ports": port_rows(c.ports),
                     "uptime": uptime(c.started_at), "exit_code": c.exit_code,
                     "restarts": restarts, "last_exit_code": last_exit,
                     "orphan": c.service not in known})
    return rows


def routed_urls(containers: Sequence[Observed], engine: Engine) -> dict[str, list[str]]:
    """service → its addresses through the shared router (empty without `http` services)."""
    specs = {c.service: c.spec["http"] for c in containers if c.spec and "http" in c.spec}
    if not specs:
        return {}
    from devenv.router.manager import service_urls

    return service_urls(engine, specs)


def https_hint() -> str | None:
    from pathlib import Path

    from devenv.router.trust import trusted_marker

    if trusted_marker(Path.home()).exists():
        return None
    return "HTTPS by name needs the local CA trusted once: run `devenv trust` (HTTP works as it is)"


def project_names(opts: Options, engine: Engine) -> tuple[str, tuple[str, ...]]:
    """The project's name and declared services: from the last full `up`'s record when the
    manifest's inputs are unchanged and the name is still this folder's (no validation, no
    pydantic), else from the validated manifest."""
    from devenv.core.fastpath import cached_project

    cached = cached_project(opts)
    if cached is not None and cached.holds_name(engine):
        return cached.name, cached.known
    from devenv.converge.projects import load_claimed  # the full path: validate and claim the name

    project = load_claimed(opts, engine)
    return project.name, tuple(project.manifest.services)


def run_status(opts: Options, *, as_json: bool) -> int:
    engine = Engine()
    name, known = project_names(opts, engine)
    rows, routed = status_view(name, known, engine)
    if as_json:
        urls = [{"service": service, "urls": found} for service, found in routed.items()]
        ui.out(json.dumps({"project": name, "engine": engine.endpoint.to_dict(), "containers": rows,
                           "urls": urls}, indent=2))
        return 0
    print_status(name, rows, routed)
    return 0


def print_status(name: str, rows: list[dict[str, Any]], routed: dict[str, list[str]]) -> None:
    """The human table of `status` (devenv.cli.fast prints it too, before click is imported)."""
    if not rows:
        ui.out(f"{name}: no containers (run `devenv up`)")
        return
    table = [("SERVICE", "#", "STATE", "HEALTH", "PORTS", "UPTIME")]
    for r in rows:
        state = r["state"] if r["exit_code"] is None else f"{r['state']} ({r['exit_code']})"
        if r["restarts"]:  # a crash loop: say so, with the code it last died with
            last = f", last exit {r['last_exit_code']}" if r["last_exit_code"] is not None else ""
            state += f" ({r['restarts']} restart{'s' if r['restarts'] > 1 else ''}{last})"
        ports = " ".join(p["url"] or f"{p['host_port']}/{p['protocol']}" for p in r["ports"])
        table.append((r["service"] + (" (orphan)" if r["orphan"] else ""), str(r["replica"]), state,
                      r["health"] or "-", ports or "-", r["uptime"] or "-"))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for i, row in enumerate(table):
        line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        ui.out(ui.style(line, bold=True) if i == 0 else line)
    for service, found in routed.items():
        ui.out(f"{service}: {' '.join(found)}")
    hint = https_hint() if routed else None
    if hint:
        ui.info(hint)
