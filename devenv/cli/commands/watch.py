"""`devenv watch` (= `devenv up --watch`): bring the environment up, then converge again on
every file change until Ctrl-C. See docs/watch.md.

The main thread gathers events into batches and decides; each service's action runs on that
service's own worker, so a restart that waits for a healthcheck never delays another
service's sync. Work that arrives for a busy service is merged into its next action.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING

from devenv import ui
from devenv.errors import DevenvError, ServiceFailed, UsageError
from devenv.options import Options

if TYPE_CHECKING:
    from devenv.watch.actions import Session
    from devenv.watch.output import Output
    from devenv.watch.rules import Work

IDLE_CHECK = 30.0  # a look for crashed containers now and then, should the engine's event stream fail
LOADS_THE_MANIFEST = ("rebuild", "recreate", "provision")  # actions that converge from devenv.toml


def run_watch(opts: Options, *, services: list[str], pull: str = "missing", force_recreate: bool = False,
              no_deps: bool = False, timeout: float = 300.0, locked: bool = False, poll: bool = False,
              poll_interval: float = 0.5, quiet_period_ms: int | None = None, down_on_exit: bool = False,
              as_json: bool = False, no_wait: bool = False) -> int:
    from devenv.cli.commands.up import run_up
    from devenv.watch.actions import Session
    from devenv.watch.fs import batch_timing
    from devenv.watch.output import Output
    from devenv.watch.shutdown import finish

    if quiet_period_ms is not None and not 0 <= quiet_period_ms <= 60_000:
        raise UsageError(f"--quiet-period {quiet_period_ms}: give milliseconds between 0 and 60000")
    if as_json:
        ui.settings.json = True
    output = Output(as_json=as_json)
    # Watch first, then converge: a save made while images build is not lost.
    session = Session(opts, targets=services, no_deps=no_deps, pull=pull, timeout=timeout, locked=locked,
                      poll=poll, poll_interval=poll_interval, output=output, report=ui.reporter)
    workers = Workers(session, output)
    interrupted = False
    previous = signal.signal(signal.SIGTERM, _interrupt)  # a VS Code task is ended with SIGTERM
    try:
        try:
            run_up(opts, services=services, pull=pull, force_recreate=force_recreate, no_deps=no_deps,
                   timeout=timeout, locked=locked, no_wait=no_wait)
        except ServiceFailed as exc:
            output.error(f"{exc.message} (still watching: fix it and save)", hint=exc.hint, details=exc.details)
        counts = session.tree.counts
        polled = f", {counts['polled']} polled" if session.tree.mode != "polling" and counts["polled"] else ""
        ui.info(f"watching {counts['inotify'] + counts['polled']} folder(s) of {session.name} "
                f"({session.tree.mode}{polled}); Ctrl-C to stop")
        output.marker("watching", folders=counts["inotify"] + counts["polled"], mode=session.tree.mode,
                      polled=counts["polled"])
        output.marker("ready")
        session.follow_engine()
        loop(session, output, workers, *batch_timing(quiet_period_ms, session.tree.mode))
    except KeyboardInterrupt:
        interrupted = True
    finally:
        signal.signal(signal.SIGTERM, previous)
        finish(session, workers, output)  # lets the running action end; names what was not done
    if interrupted and as_json:
        ui.event(event="stopped", down=down_on_exit)
    if down_on_exit:
        from devenv.converge.converger import down
        from devenv.converge.writer import project_lock

        deps = {name: list(svc.depends_on) for name, svc in session.source.services.items()}
        with project_lock(session.name, report=ui.reporter):
            down(session.name, session.engine, deps=deps, report=ui.reporter, root=str(session.root))
        ui.info(f"{session.name}: down")
    else:
        ui.info(f"stopped watching; {session.name} {_left_running(session)}")
    return 0


def _left_running(session: Session) -> str:
    """What the watch leaves behind, said as it is (a first `up` may have failed)."""
    try:
        running = [c for c in session.engine.containers(session.name) if c.running]
    except DevenvError:
        return "may still be up (`devenv status` shows it)"
    return "is still up (`devenv down` stops it)" if running else "has nothing running"


def loop(session: Session, output: Output, workers: Workers, quiet: float, settle: float | None = None) -> None:
    from devenv.watch.fs import collect
    from devenv.watch.rules import decide

    while True:
        taken = collect(session.events, session.absorb, quiet=quiet, writing=lambda: bool(session.writing),
                        idle=0.5 if session.crash_pending else IDLE_CHECK, settle=settle)
        if (session.crash_pending or not taken) and workers.idle():  # a container mid-restart is no crash
            session.check_crashes()
        if not taken:
            continue
        changes = session.changes()
        batch = decide(changes, session.triggers)
        if not batch:
            continue
        workers.begin()
        output.marker("change detected", files=[c.path for c in changes[:100]], count=len(changes))
        try:
            done: set[str] | None = set()
            if batch.reload:  # the manifest changes under every service: let running actions finish
                workers.wait_idle()
                done = session.reload(batch.reload)
            for name, work in batch.work.items():
                if done is None and work.action in LOADS_THE_MANIFEST:
                    continue  # it would fail on the manifest whose error was just reported, once
                if name not in (done or ()) and name in session.services:
                    workers.submit(work)
        except DevenvError as exc:  # reported; the watch goes on
            output.error(exc.message, hint=exc.hint, details=exc.details)
        workers.settle()


class Workers:
    """One worker thread per busy service; `devenv: ready` once none is left."""

    def __init__(self, session: Session, output: Output) -> None:
        self.session = session
        self.output = output
        self._cond = threading.Condition()
        self._pending: dict[str, Work] = {}  # service → Work not started yet
        self._running: set[str] = set()
        self._current: dict = {}  # service → the Work its worker runs now
        self._active = False  # between a `change detected` and its `ready`

    def begin(self) -> None:
        with self._cond:
            self._active = True

    def submit(self, work: Work) -> None:
        from devenv.watch.rules import merge

        with self._cond:
            name = work.service
            self._pending[name] = merge(self._pending[name], work) if name in self._pending else work
            if name not in self._running:
                self._running.add(name)
                threading.Thread(target=self._work, args=(name,), name=f"devenv-{name}", daemon=True).start()

    def _work(self, name: str) -> None:
        while True:
            with self._cond:
                work = self._pending.pop(name, None)
                if work is None:
                    self._running.discard(name)
                    self._finish()
                    return
                self._current[name] = work
            try:
                self.session.run_work(work)
            except BaseException:
                if not self.session.stop.is_set():
                    import traceback

                    self.output.error(f"service {name}: internal error in watch mode:\n{traceback.format_exc()}")
            with self._cond:
                self._current.pop(name, None)

    def _finish(self) -> None:  # with the lock held
        if not self._running:
            self._cond.notify_all()
            if self._active:
                self._active = False
                self.output.marker("ready")

    def settle(self) -> None:
        with self._cond:
            self._finish()

    def idle(self) -> bool:
        with self._cond:
            return not self._running

    def wait_idle(self, timeout: float | None = None) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: not self._running, timeout=timeout)

    def in_flight(self) -> list:
        """The Work each busy worker is running now."""
        with self._cond:
            return [self._current[name] for name in sorted(self._running) if name in self._current]

    def drop_pending(self) -> list:
        """Take back the work queued behind running actions (watching is ending): it is not run."""
        with self._cond:
            dropped, self._pending = list(self._pending.values()), {}
            return dropped


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
