"""`devenv watch` (= `devenv up --watch`): bring the environment up, then converge again on
every file change until Ctrl-C. See docs/watch.md."""

from __future__ import annotations

import signal

from devenv import ui
from devenv.errors import ServiceFailed, UsageError
from devenv.options import Options

IDLE_CHECK = 2.0  # seconds between looks for crashed containers while nothing changes


def run_watch(opts: Options, *, services: list[str], pull: str = "missing", force_recreate: bool = False,
              no_deps: bool = False, timeout: float = 300.0, locked: bool = False, poll: bool = False,
              poll_interval: float = 0.5, quiet_period_ms: int = 100, down_on_exit: bool = False,
              as_json: bool = False) -> int:
    from devenv.commands.up import run_up
    from devenv.watch_actions import Output, Session

    if quiet_period_ms < 0 or quiet_period_ms > 60_000:
        raise UsageError(f"--quiet-period {quiet_period_ms}: give milliseconds between 0 and 60000")
    if as_json:
        ui.settings.json = True
    output = Output(as_json=as_json)
    # Watch first, then converge: a save made while images build is not lost.
    session = Session(opts, targets=services, no_deps=no_deps, pull=pull, timeout=timeout, locked=locked,
                      poll=poll, poll_interval=poll_interval, output=output)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # a VS Code task is ended with SIGTERM
    try:
        try:
            run_up(opts, services=services, pull=pull, force_recreate=force_recreate, no_deps=no_deps,
                   timeout=timeout, locked=locked)
        except ServiceFailed as exc:
            output.error(f"{exc.message} (still watching: fix it and save)", hint=exc.hint, details=exc.details)
        counts = session.tree.counts
        polled = f", {counts['polled']} polled" if session.tree.mode == "inotify" and counts["polled"] else ""
        ui.info(f"watching {counts['inotify'] + counts['polled']} folder(s) of {session.project.name} "
                f"({session.tree.mode}{polled}); Ctrl-C to stop")
        output.marker("watching", folders=counts["inotify"] + counts["polled"], mode=session.tree.mode,
                      polled=counts["polled"])
        output.marker("ready")
        loop(session, output, quiet_period_ms / 1000)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        session.close()
    if down_on_exit:
        from devenv.converge import down

        down(session.project, session.engine)
        ui.info(f"{session.project.name}: down")
    else:
        ui.info(f"stopped watching; {session.project.name} is still up (`devenv down` stops it)")
    return 0


def loop(session, output, quiet: float) -> None:
    from devenv.watch import decide
    from devenv.watch_fs import collect

    while True:
        if not collect(session.events, session.absorb, idle=IDLE_CHECK, quiet=quiet):
            session.check_crashes()
            continue
        changes = session.changes()
        batch = decide(changes, session.triggers)
        if not batch:
            continue
        output.marker("change detected", files=[c.path for c in changes[:100]], count=len(changes))
        session.execute(batch)
        session.check_crashes()
        output.marker("ready")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
