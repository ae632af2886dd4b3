"""The `devenv` entry point: a bare `devenv up` or `devenv status` that the fast path can answer
runs before click and the command tree are imported; everything else goes to the full CLI.

Starting CPython and click costs more CPU than Compose's whole no-op `up` (docs/performance.md);
skipping click and the command definitions saves about 80 ms of CPU on these two commands. Only
the exact argument lists below qualify (no option, no service), so the options they run with are
the CLI's defaults, and the fast path reads the same environment variables the full path does.
When the fast path cannot answer, or fails in any way before printing, the full CLI runs the
command from the start: it alone reports errors and decides what to change.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devenv.options import Options

FAST_COMMANDS: dict[tuple[str, ...], str] = {("up",): "up", ("status",): "status", ("ps",): "status"}


def _options() -> Options:
    """The CLI's defaults, as for a command given without options."""
    from devenv.options import Options

    return Options(directory=Path.cwd().resolve())


def _noop_up(started: float) -> bool:
    from devenv import ui
    from devenv.core import fastpath
    from devenv.engine.client import Engine

    ui.configure()
    hit = fastpath.up_to_date(_options(), Engine())
    if not hit:
        return False
    ui.info(f"{hit[0]}: up to date ({ui.count(hit[1], 'service')})  {ui.elapsed(started)}")
    return True


def _status() -> bool:
    from devenv import ui
    from devenv.cli.commands.status import print_status, status_view
    from devenv.core.fastpath import cached_project
    from devenv.engine.client import Engine

    opts, engine = _options(), Engine()
    cached = cached_project(opts)
    if cached is None or not cached.holds_name(engine):
        return False
    ui.configure()
    print_status(cached.name, *status_view(cached.name, cached.known, engine))
    return True


def main() -> int:
    try:
        return _main()
    except KeyboardInterrupt:  # while importing, or on the fast path: before anything changed
        sys.stderr.write("devenv: error: interrupted\n")
        return 130


def _main() -> int:
    started = time.monotonic()
    command = FAST_COMMANDS.get(tuple(sys.argv[1:]))
    if command is not None:
        try:
            if _noop_up(started) if command == "up" else _status():
                return 0
        except BrokenPipeError:
            return 0
        except Exception:
            pass  # the full CLI runs the command again and reports whatever is wrong
    from devenv.cli.main import main as full

    return full()
