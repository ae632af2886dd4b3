"""All terminal output goes through here: plain lines on a non-TTY, colour and progress on a
TTY, JSON where a script asked for it. The core never prints; the shell calls these."""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:  # imported when a pull or build shows progress, not on every command's start
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from devenv.progress import BuildTally, PullTally

_lock = threading.Lock()


class Settings:
    """How output looks; set once per command by `configure`. (A plain class: the `dataclasses`
    module costs every command ~10 ms of start-up, see docs/performance.md.)"""

    def __init__(self, *, color: bool = False, quiet: bool = False, verbose: bool = False, json: bool = False,
                 tty: bool = False) -> None:
        self.color, self.quiet, self.verbose, self.json, self.tty = color, quiet, verbose, json, tty


settings = Settings()


def configure(*, no_color: bool = False, quiet: bool = False, verbose: bool = False) -> None:
    import os

    settings.tty = sys.stdout.isatty()
    settings.color = settings.tty and not no_color and "NO_COLOR" not in os.environ
    settings.quiet, settings.verbose = quiet, verbose


def style(text: str, **kwargs: Any) -> str:
    if not settings.color:
        return text
    import click

    return click.style(text, **kwargs)


def out(line: str = "") -> None:
    """A line of a command's result (tables, plans): printed even with --quiet."""
    with _lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def info(line: str) -> None:
    """Progress a person follows; silenced by --quiet and --json."""
    if settings.quiet or settings.json:
        return
    with _lock:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


def debug(line: str) -> None:
    if settings.verbose:
        info(style(line, dim=True))


def error(message: str, hint: str | None = None, details: str | None = None) -> None:
    with _lock:
        # One prefix per line: a manifest's problems each get their own `devenv: error: FILE:LINE:`
        # line, which is what editors' problem matchers (devenv vscode) pick up.
        prefix = style("devenv: error: ", fg="red", bold=True)
        sys.stderr.write("".join(f"{prefix}{line}\n" for line in message.split("\n")))
        if details:
            sys.stderr.write("".join(f"  | {line}\n" for line in details.splitlines()))
        if hint:
            sys.stderr.write(f"  hint: {hint}\n")
        sys.stderr.flush()


def warn(message: str) -> None:
    with _lock:
        sys.stderr.write(style("devenv: warning: ", fg="yellow", bold=True) + message + "\n")
        sys.stderr.flush()


def event(**fields: object) -> None:
    """One JSON object per line, for --json streams (watch)."""
    out(json.dumps(fields, sort_keys=True))


def step(service: str, action: str, detail: str = "", width: int = 12) -> None:
    colours = {"create": "green", "recreate": "yellow", "remove": "red", "start": "green",
               "provision": "cyan", "pull": "blue", "build": "blue", "failed": "red", "healthy": "green"}
    text = f"{style(service.ljust(width), bold=True)} {style(action.ljust(10), fg=colours.get(action))}"
    info(f"{text} {detail}".rstrip())


def bars_shown() -> bool:
    """Progress bars only on a terminal (stderr, where progress goes), never under --quiet or --json."""
    return not settings.quiet and not settings.json and sys.stderr.isatty()


class ProgressBoard:
    """One rich display for every pull and build of a command, a bar per image: rich allows one
    live display at a time, and images pull in parallel. It starts with the first bar and stops
    (leaving no trace: the step lines stay) when the last one is done."""

    def __init__(self, console: Console | None = None) -> None:
        self._lock = threading.Lock()
        self._progress: Progress | None = None
        self._console = console  # default: stderr's

    def add(self, description: str) -> TaskID:
        with self._lock:
            if self._progress is None:
                from rich.console import Console
                from rich.progress import BarColumn, Progress, TextColumn

                self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                          TextColumn("{task.fields[figures]}"),
                                          console=self._console or Console(stderr=True), transient=True)
                self._progress.start()
            return self._progress.add_task(description, total=None, figures="")

    def update(self, task: TaskID, *, completed: float, total: float | None, figures: str) -> None:
        with self._lock:
            if self._progress is not None:
                self._progress.update(task, completed=completed, total=total, figures=figures)

    def done(self, task: TaskID) -> None:
        with self._lock:
            if self._progress is None:
                return
            self._progress.remove_task(task)
            if not self._progress.tasks:
                self._progress.stop()
                self._progress = None


board = ProgressBoard()


class _ImageBar:
    """A bar of the shared board for one image while it is pulled or built (on a terminal)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._task: TaskID | None = None

    def __enter__(self) -> Self:
        if bars_shown():
            self._task = board.add(self.label)
        return self

    def _show(self, completed: float, total: float | None, figures: str) -> bool:
        """Move the bar; False when there is none (piped output)."""
        if self._task is None:
            return False
        board.update(self._task, completed=completed, total=total, figures=figures)
        return True

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if self._task is not None:
            board.done(self._task)


class PullProgress(_ImageBar):
    """One image's pull: its bar (bytes and layers) on a terminal; piped, a line per finished
    layer. Either way a last line says what the pull took."""

    def __init__(self, label: str) -> None:
        from devenv.progress import PullTally

        super().__init__(label)
        self.tally: PullTally = PullTally()

    def __call__(self, event: dict[str, Any]) -> None:
        finished = self.tally.feed(event)
        shown = self._show(self.tally.bytes_done, self.tally.bytes_total, self.tally.summary())
        if finished and not shown:
            info(f"{self.label}  layer {event['id']}: {finished.lower()}")

    def __exit__(self, exc_type: object, *exc: object) -> None:
        super().__exit__(exc_type, *exc)
        if exc_type is None and self.tally.layers:
            info(f"{self.label}  done: {self.tally.summary()}")


class BuildProgress(_ImageBar):
    """One image's build: its bar (steps) on a terminal; every output line as a -v detail."""

    def __init__(self, label: str) -> None:
        from devenv.progress import BuildTally

        super().__init__(label)
        self.tally: BuildTally = BuildTally()

    def __call__(self, line: str) -> None:
        debug(line)
        if self.tally.feed(line):
            self._show(self.tally.step - 1, self.tally.steps, self.tally.summary()[:60])


def count(number: int, noun: str) -> str:
    """`1 service`, `3 services`: the summaries scripts and people read."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def elapsed(start: float) -> str:
    return f"{time.monotonic() - start:.2f}s"


class TerminalReporter:
    """The CLI's reporter (devenv.report.Reporter): steps and notes as lines on stderr, pull
    and build progress as bars on a terminal. --quiet, --json and -v decide what shows, as for every line here."""

    def step(self, service: str, action: str, detail: str = "") -> None:
        step(service, action, detail)

    def info(self, line: str) -> None:
        info(line)

    def warn(self, message: str) -> None:
        warn(message)

    def debug(self, line: str) -> None:
        debug(line)

    def pull_progress(self, label: str) -> PullProgress:
        return PullProgress(label)

    def build_progress(self, label: str) -> BuildProgress:
        return BuildProgress(label)


reporter = TerminalReporter()  # stateless: what shows follows `settings`
