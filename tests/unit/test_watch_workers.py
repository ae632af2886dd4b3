"""The per-service workers of `devenv watch`, with a stand-in for the engine-facing session
(the real thing is covered end to end in tests/e2e/test_watch.py)."""

from __future__ import annotations

import threading
import time

from devenv.cli.commands.watch import Workers
from devenv.watch.rules import Change, Work


class FakeSession:
    def __init__(self, delays: dict[str, float]):
        self.delays = delays
        self.stop = threading.Event()
        self.ran: list[tuple[str, str, list[str]]] = []
        self.running: set[str] = set()
        self.overlap = False
        self.lock = threading.Lock()

    def run_work(self, work: Work) -> None:
        with self.lock:
            self.running.add(work.service)
            self.overlap |= len(self.running) > 1
        time.sleep(self.delays.get(work.service, 0))
        with self.lock:
            self.running.discard(work.service)
            self.ran.append((work.service, work.label, [c.path for c in work.changes]))


class Markers:
    def __init__(self):
        self.names: list[str] = []

    def marker(self, name: str, **fields) -> None:
        self.names.append(name)

    def error(self, message: str, **fields) -> None:
        self.names.append(f"error: {message}")


def work(service: str, action: str, *paths: str) -> Work:
    return Work(service, {action}, [Change(p, "modified") for p in paths])


def test_services_run_side_by_side_and_ready_comes_once_at_the_end():
    session, out = FakeSession({"web": 0.3, "api": 0.05}), Markers()
    workers = Workers(session, out)
    workers.begin()
    workers.submit(work("web", "restart", "a"))
    workers.submit(work("api", "sync", "b"))
    workers.settle()
    assert out.names == []  # still busy
    workers.wait_idle(timeout=5)
    assert session.overlap  # api did not wait for web's restart
    assert [s for s, _, _ in session.ran] == ["api", "web"]
    assert out.names == ["ready"]


def test_work_for_a_busy_service_merges_into_its_next_action():
    session, out = FakeSession({"web": 0.3}), Markers()
    workers = Workers(session, out)
    workers.begin()
    workers.submit(work("web", "sync", "1"))
    time.sleep(0.05)  # the first action is running
    workers.submit(work("web", "sync", "2"))
    workers.submit(work("web", "restart", "3"))
    workers.settle()
    workers.wait_idle(timeout=5)
    assert session.ran == [("web", "sync", ["1"]), ("web", "restart", ["2", "3"])]
    assert out.names == ["ready"]


def test_ready_right_away_when_nothing_was_submitted():
    out = Markers()
    workers = Workers(FakeSession({}), out)
    workers.begin()
    workers.settle()
    workers.settle()
    assert out.names == ["ready"]
