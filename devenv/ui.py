"""All terminal output goes through here: plain lines on a non-TTY, colour and progress on a
TTY, JSON where a script asked for it. The core never prints; the shell calls these."""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from dataclasses import dataclass

_lock = threading.Lock()
_LAYER_ID = re.compile(r"^[0-9a-f]{12}$")


@dataclass
class Settings:
    color: bool = False
    quiet: bool = False
    verbose: bool = False
    json: bool = False
    tty: bool = False


settings = Settings()


def configure(*, no_color: bool = False, quiet: bool = False, verbose: bool = False) -> None:
    import os

    settings.tty = sys.stdout.isatty()
    settings.color = settings.tty and not no_color and "NO_COLOR" not in os.environ
    settings.quiet, settings.verbose = quiet, verbose


def style(text: str, **kwargs) -> str:
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


def event(**fields) -> None:
    """One JSON object per line, for --json streams (watch)."""
    out(json.dumps(fields, sort_keys=True))


def step(service: str, action: str, detail: str = "", width: int = 12) -> None:
    colours = {"create": "green", "recreate": "yellow", "remove": "red", "start": "green",
               "provision": "cyan", "pull": "blue", "build": "blue", "failed": "red", "healthy": "green"}
    text = f"{style(service.ljust(width), bold=True)} {style(action.ljust(10), fg=colours.get(action))}"
    info(f"{text} {detail}".rstrip())


class PullProgress:
    """Per-layer pull progress: a rich bar per layer on a TTY, a line per finished layer otherwise."""

    def __init__(self, label: str):
        self.label = label
        self._progress = None
        self._tasks: dict[str, int] = {}
        self._done: set[str] = set()

    def __enter__(self) -> PullProgress:
        if settings.tty and not settings.quiet and not settings.json:
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                                      transient=True)
            self._progress.start()
        return self

    def __call__(self, event: dict) -> None:
        layer, status = event.get("id"), event.get("status", "")
        if not layer or not _LAYER_ID.match(layer):  # "Pulling from …" events carry the tag as id
            return
        detail = event.get("progressDetail") or {}
        if self._progress is not None:
            if layer not in self._tasks:
                self._tasks[layer] = self._progress.add_task(f"{self.label} {layer}", total=None)
            self._progress.update(self._tasks[layer], completed=detail.get("current"), total=detail.get("total"),
                                  description=f"{self.label} {layer} {status.lower()}")
        elif status in ("Pull complete", "Already exists") and layer not in self._done:
            self._done.add(layer)
            info(f"{self.label}  layer {layer}: {status.lower()}")

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()


def elapsed(start: float) -> str:
    return f"{time.monotonic() - start:.2f}s"


class TerminalReporter:
    """The CLI's reporter (devenv.report.Reporter): steps and notes as lines on stderr, pull
    progress as bars on a TTY. --quiet, --json and -v decide what shows, as for every line here."""

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


reporter = TerminalReporter()  # stateless: what shows follows `settings`
