"""Ctrl-C in watch mode finishes or names the work in flight (issue 15, point 8): a running
action is let finish; a second Ctrl-C, or a save not yet acted on, is named with its service,
its action and its files. Nothing is lost in silence."""

from __future__ import annotations

import signal
import time

from tests.conftest import BUSYBOX
from tests.e2e.test_watch import actions, write
from tests.e2e.test_watch import watch as watch_fixture

watch = watch_fixture  # a running `devenv watch --json` (tests/e2e/test_watch.py)

# Healthy 3 s after each start: a restart is still in flight for those 3 s.
SLOW = f"""
[services.web]
image = "{BUSYBOX}"
command = ["sh", "-c", "rm -f /tmp/ok; sleep 3; touch /tmp/ok; exec sleep 100000"]
stop_timeout = "1s"
healthcheck = {{ test = "test -f /tmp/ok", interval = "0.2s", retries = 100 }}

[[services.web.watch]]
paths = ["src/**"]
action = "restart"
"""


def interrupt(w) -> None:
    w.proc.send_signal(signal.SIGINT)


def errors(w) -> list[str]:
    return [e["message"] for e in w.events if e.get("event") == "error"]


def test_ctrl_c_lets_the_running_action_finish(project, watch):
    folder = project(SLOW, {"src/app.txt": "one\n"})
    w = watch(folder)
    write(folder / "src/app.txt", "two\n")
    w.wait_for("change_detected")
    time.sleep(0.5)  # the restart is waiting on the healthcheck now
    interrupt(w)
    stopping = w.wait_for("stopping")
    assert stopping["waiting_for"] == ["web (restart)"]
    assert w.proc.wait(timeout=60) == 0
    w.quiet_for(0.5)
    assert actions(w.events) == [("web", "restart")]  # it finished, and said so
    assert errors(w) == []
    assert any(e.get("event") == "stopped" for e in w.events)


def test_a_second_ctrl_c_names_the_interrupted_action(project, watch):
    folder = project(SLOW, {"src/app.txt": "one\n"})
    w = watch(folder)
    write(folder / "src/app.txt", "two\n")
    w.wait_for("change_detected")
    time.sleep(0.5)
    interrupt(w)
    w.wait_for("stopping")
    interrupt(w)  # don't wait
    w.proc.wait(timeout=60)
    w.quiet_for(0.5)
    assert any(m == "service web: restart was interrupted (src/app.txt); it may be half done" for m in errors(w)), \
        w.lines


def test_a_save_not_yet_acted_on_is_named(project, watch):
    folder = project(SLOW, {"src/app.txt": "one\n"})
    w = watch(folder, "--quiet-period", "4000")  # the batch waits 4 s of silence: the save is still pending
    write(folder / "src/app.txt", "two\n")
    time.sleep(1.0)
    interrupt(w)
    w.proc.wait(timeout=60)
    w.quiet_for(0.5)
    assert actions(w.events) == []
    assert "service web: restart was not run (src/app.txt: saved as watch stopped)" in errors(w), w.lines
