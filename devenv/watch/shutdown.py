"""Stopping watch mode without losing work in silence.

When watching ends (Ctrl-C, SIGTERM from a VS Code task, an error), three kinds of work may
be left: an action running on a service's worker, actions queued behind it, and saves that
were seen but not yet acted on (the quiet period had not passed). The running action is let
finish, for a grace period; a second Ctrl-C stops waiting. Everything that was not done is
then named, service by service, with the files that asked for it, so a user knows what
`devenv up` or another save must redo. Nothing is named when everything was done.
"""

from __future__ import annotations

import queue
import signal
import threading
import time
from typing import Protocol

from devenv import ui
from devenv.watch.output import Output
from devenv.watch.rules import Batch, Change, Work, decide

GRACE = 20.0  # seconds a running action gets to finish (a restart waits on its healthcheck)
HINT = ("`devenv up` converges the containers with the manifest and the images; a sync or exec runs "
        "again when the file is saved under `devenv watch`")


class WorkersLike(Protocol):
    def drop_pending(self) -> list[Work]: ...
    def in_flight(self) -> list[Work]: ...
    def wait_idle(self, timeout: float | None = None) -> bool: ...


class SessionLike(Protocol):
    events: queue.Queue
    triggers: list

    def absorb(self, kind: str, path: str | None) -> None: ...
    def changes(self) -> list[Change]: ...
    def close(self) -> None: ...


def finish(session: SessionLike, workers: WorkersLike, output: Output, *, grace: float = GRACE) -> list[str]:
    """Let running work finish (up to `grace`), then name what was left undone. Returns the
    messages printed (empty when nothing was lost). A Ctrl-C meanwhile ends the wait, never
    the report: SIGINT only sets a flag until this returns."""
    hurry = threading.Event()
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: hurry.set())
    except ValueError:  # not the main thread: nothing to catch
        previous = None
    try:
        return _finish(session, workers, output, grace, hurry)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _finish(session: SessionLike, workers: WorkersLike, output: Output, grace: float,
            hurry: threading.Event) -> list[str]:
    dropped = workers.drop_pending()
    running = workers.in_flight()
    if running:
        if output.as_json:
            output.marker("stopping", waiting_for=[f"{w.service} ({w.label})" for w in running])
        else:
            ui.info(f"stopping: letting {_list(running)} finish (Ctrl-C again to stop at once)")
        deadline = time.monotonic() + grace
        while not hurry.is_set() and time.monotonic() < deadline and not workers.wait_idle(timeout=0.2):
            pass
    left = workers.in_flight()
    unseen = _unprocessed(session)
    session.close()  # stops the watcher, and any health wait still going
    found: list[tuple[str | None, str]] = [
        (w.service, f"service {w.service}: {w.label} was interrupted ({_files(w.changes)}); it may be half done")
        for w in left]
    found += [(w.service, f"service {w.service}: {w.label} was not run ({_files(w.changes)})") for w in dropped]
    found += [(w.service, f"service {w.service}: {w.label} was not run ({_files(w.changes)}: saved as watch "
                          "stopped)") for w in unseen.work.values()]
    if unseen.reload:
        found.append((None, f"{_files(unseen.reload)} changed as watch stopped: not applied"))
    for number, (service, message) in enumerate(found, 1):
        output.error(message, service=service, hint=HINT if number == len(found) else None)
    messages = [message for _, message in found]
    return messages


def _unprocessed(session: SessionLike) -> Batch:
    """Saves the watcher delivered but no batch took yet, as the work they would have caused."""
    while True:
        try:
            kind, path = session.events.get_nowait()
        except queue.Empty:
            break
        if kind not in ("died", "overflow", "dir"):  # files only: no new folder is watched now
            session.absorb(kind, path)
    try:
        changes = session.changes()
    except OSError:
        return Batch()
    return decide(changes, session.triggers)


def _list(works: list[Work]) -> str:
    return ", ".join(f"{w.service} ({w.label})" for w in works)


def _files(changes: list[Change], limit: int = 5) -> str:
    paths = [c.path for c in changes]
    more = f" and {len(paths) - limit} more" if len(paths) > limit else ""
    return ", ".join(paths[:limit]) + more if paths else "no file"
