"""The reporter seam: the shell reports through what its caller hands it, never a global switch."""

from __future__ import annotations

from devenv import ui
from devenv.report import AsDetail, Silent


class Recorder:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []

    def step(self, service: str, action: str, detail: str = "") -> None:
        self.lines.append(("step", f"{service} {action} {detail}"))

    def info(self, line: str) -> None:
        self.lines.append(("info", line))

    def warn(self, message: str) -> None:
        self.lines.append(("warn", message))

    def debug(self, line: str) -> None:
        self.lines.append(("debug", line))

    def pull_progress(self, label: str):
        return Silent().pull_progress(label)

    def build_progress(self, label: str):
        return Silent().build_progress(label)


def test_as_detail_turns_steps_and_notes_into_debug_lines_and_keeps_warnings():
    inner = Recorder()
    detail = AsDetail(inner)
    detail.step("web", "recreate", "env.A: 1 → 2")
    detail.info("kept volumes: data")
    detail.warn("devenv.lock is out of date")
    with detail.pull_progress("web pull") as progress:
        progress({"id": "0123456789ab", "status": "Pull complete"})
    assert inner.lines == [("debug", "web: recreate env.A: 1 → 2"), ("debug", "kept volumes: data"),
                           ("warn", "devenv.lock is out of date")]


def test_terminal_reporter_follows_the_settings_and_prints_no_step_when_quiet(capsys, monkeypatch):
    monkeypatch.setattr(ui, "settings", ui.Settings(quiet=True))
    ui.reporter.step("web", "create")
    ui.reporter.warn("careful")
    assert capsys.readouterr().err == "devenv: warning: careful\n"
    monkeypatch.setattr(ui, "settings", ui.Settings(verbose=True))
    ui.reporter.debug("detail")
    ui.reporter.step("web", "create", "1.00s")
    err = capsys.readouterr().err
    assert "detail" in err and "web" in err and "create" in err and "1.00s" in err


def test_silent_reports_nothing(capsys):
    silent = Silent()
    silent.step("web", "create")
    silent.info("x")
    silent.warn("y")
    silent.debug("z")
    assert capsys.readouterr() == ("", "")
