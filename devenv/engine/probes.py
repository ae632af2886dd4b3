"""Health checks devenv runs itself while it waits on a container's health.

Docker runs a container's first check one `interval` after the start (the benchmark's fleet of
200 uses 8 s; Docker's own default is 30 s), so `up --wait`, or a service that depends on a
healthy one, waited that long even when the service was ready at once. Docker 25 added
`start_interval` for this; on any engine devenv now runs the same test in the container itself
(an exec, as the engine's own check is) while it waits, and a pass counts as healthy. The
engine's status follows at its interval; a container the engine calls unhealthy stays so.

Each check is an exec on the engine, so they are few: one in flight per container, a container
checked at most every EVERY seconds, and at most AT_ONCE in flight on the whole engine (Docker
20.10 on two cores stopped answering at about 300 healthcheck execs a second).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from functools import partial
from typing import Generic, TypeVar

T = TypeVar("T")

EVERY = 0.25
AT_ONCE = 2


class HealthProbes(Generic[T]):
    """Which waited-on containers passed a check of devenv's own; starts the checks that are due."""

    def __init__(self, check: Callable[[str, T], bool], *, every: float = EVERY, at_once: int = AT_ONCE,
                 clock: Callable[[], float] = time.monotonic,
                 spawn: Callable[[Callable[[], None]], None] | None = None) -> None:
        self._check = check  # (container ID, its healthcheck) → whether the test passed once now
        self._every, self._at_once, self._clock = every, at_once, clock
        self._spawn = spawn or _daemon_thread
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._running: set[str] = set()
        self._passed: set[str] = set()
        self._runs: dict[str, int] = {}  # container ID → how often it was started again (forget)

    def passed(self, waiting: Mapping[str, T]) -> set[str]:
        """Of these containers (ID → healthcheck; running, health still "starting"), the ones
        that passed a check; start a check of the others that are due, those never checked or
        checked longest ago first (a container that keeps failing must not starve the rest)."""
        now = self._clock()
        due = []
        with self._lock:
            for cid in sorted(waiting, key=lambda cid: self._last.get(cid, float("-inf"))):
                if cid in self._passed or cid in self._running:
                    continue
                if len(self._running) >= self._at_once:
                    break
                if now - self._last.get(cid, float("-inf")) < self._every:
                    continue
                self._last[cid] = now
                self._running.add(cid)
                due.append(cid)
            passed = {cid for cid in waiting if cid in self._passed}
            runs = {cid: self._runs.get(cid, 0) for cid in due}
        for cid in due:
            self._spawn(partial(self._run, cid, waiting[cid], runs[cid]))
        return passed

    def forget(self, cid: str) -> None:
        """The container is (re)started: what it passed before, or passes in a check begun
        before now, says nothing about this run of it."""
        with self._lock:
            self._passed.discard(cid)
            self._last.pop(cid, None)
            self._runs[cid] = self._runs.get(cid, 0) + 1

    def _run(self, cid: str, healthcheck: T, run: int) -> None:
        try:
            ok = self._check(cid, healthcheck)
        except Exception:  # a check that cannot run (the container went away) is no pass
            ok = False
        with self._lock:
            self._running.discard(cid)
            if ok and self._runs.get(cid, 0) == run:
                self._passed.add(cid)


def _daemon_thread(work: Callable[[], None]) -> None:
    threading.Thread(target=work, name="devenv-health-check", daemon=True).start()
