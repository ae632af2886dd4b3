"""`devenv doctor`: run the onboarding checks, print a table (or JSON), exit 1 if any FAILs."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from devenv import ui
from devenv.core.textfiles import NotUtf8
from devenv.doctor import (
    FAIL,
    PASS,
    WARN,
    Check,
    Context,
    check_build_contexts,
    check_clock,
    check_disk,
    check_engine,
    check_images,
    check_inotify,
    check_lock,
    check_ports,
    check_requires,
    newest_own_file,
    not_checked,
)
from devenv.errors import EXIT_LOCK, EXIT_SERVICE_FAILED, DevenvError
from devenv.options import Options


def _manifest_file(opts: Options) -> Path | None:
    from devenv.manifest.load import find_manifest

    if opts.files:
        first = opts.files[0]
        return first if first.is_absolute() else opts.directory / first
    try:
        return find_manifest(opts.directory)
    except DevenvError:
        return None


def collect(opts: Options, ctx: Context | None = None) -> tuple[object | None, list[Check]]:
    """Every check's rows, in the order they print. Never raises for what it finds."""
    ctx = ctx or Context(project=None, engine=None)
    rows = check_engine(ctx)
    manifest_file = _manifest_file(opts)
    project_rows: list[Check] = []
    try:
        if ctx.engine is None:
            ctx.project = opts.load()
        else:
            from devenv.converge.projects import load_claimed

            ctx.project = load_claimed(opts, ctx.engine)
    except DevenvError as exc:
        requires = check_requires(manifest_file, None)
        if requires[0].status == FAIL:
            project_rows.append(Check("manifest", WARN, "not validated: this devenv is not the version the "
                                                        "project requires"))
        else:
            lines = exc.message.splitlines()
            more = f" (and {len(lines) - 1} more problems)" if len(lines) > 1 else ""
            project_rows.append(Check("manifest", FAIL, lines[0] + more,
                                      exc.hint or "run `devenv config` to see every problem"))
        project_rows += requires
    else:
        from devenv.manifest.load import display_path

        services = ctx.project.manifest.services
        project_rows.append(Check("manifest", PASS, f"{display_path(ctx.project.file)}: project "
                                                    f"{ctx.project.name}, {ui.count(len(services), 'service')}"))
        project_rows += check_requires(manifest_file, ctx.project)

    project = ctx.project
    rows += check_disk(ctx, project.root if project is not None else opts.directory)
    rows += check_clock(ctx, now=dt.datetime.now(dt.UTC), own_files_written=newest_own_file())
    rows += project_rows
    if project is None:
        why = "no manifest loaded"
        rows += [not_checked(name, why) for name in ("inotify", "ports", "context", "images", "lock")]
    else:
        rows += unreadable_is_a_fail("inotify", lambda: check_inotify(project))  # reads the ignore files
        rows += check_ports(ctx)
        rows += unreadable_is_a_fail("context", lambda: check_build_contexts(project))
        rows += check_images(ctx)
        rows += check_lock(project, ctx.engine)
    return project, rows


def exit_code(rows: list[Check]) -> int:
    """1 when any check fails; 4 when the lock is the only thing that fails (as `lock --check`)."""
    failed = {r.check for r in rows if r.status == FAIL}
    if not failed:
        return 0
    return EXIT_LOCK if failed == {"lock"} else EXIT_SERVICE_FAILED


def unreadable_is_a_fail(name: str, check: Callable[[], list[Check]]) -> list[Check]:
    """A check that reads the user's files (.dockerignore, .devenvignore) reports a file it
    cannot read as its own FAIL row; the other checks still run."""
    try:
        return check()
    except NotUtf8 as exc:
        return [Check(name, FAIL, exc.message, "save the file as UTF-8")]


def run_doctor(opts: Options, *, as_json: bool = False) -> int:
    ctx = Context(project=None, engine=None)
    project, rows = collect(opts, ctx)
    counts = {status: sum(1 for r in rows if r.status == status) for status in (PASS, WARN, FAIL)}
    failed = counts[FAIL] > 0
    code = exit_code(rows)
    if as_json:
        ui.out(json.dumps({"project": getattr(project, "name", None), "ok": not failed, "engine": ctx.endpoint,
                           "summary": {k.lower(): v for k, v in counts.items()},
                           "checks": [r.to_dict() for r in rows]}, indent=2))
        return code
    colours = {PASS: "green", WARN: "yellow", FAIL: "red"}
    width = max(len(r.check) for r in rows)
    ui.out(ui.style(f"{'CHECK'.ljust(width)}  STATUS  DETAIL", bold=True))
    for r in rows:
        ui.out(f"{r.check.ljust(width)}  {ui.style(r.status.ljust(6), fg=colours[r.status], bold=True)}  {r.detail}")
        if r.hint and r.status != PASS:
            ui.out(f"{''.ljust(width)}          hint: {r.hint}")
    ui.out(f"{counts[PASS]} passed, {counts[WARN]} warnings, {counts[FAIL]} failed")
    return code
