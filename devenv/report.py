"""How the shell tells the user what it does, without printing itself.

converge, images, the lock and watch report through a `Reporter` handed to them by the caller;
the CLI supplies one that writes to the terminal (`ui.TerminalReporter`), watch one that turns
the converger's steps into detail lines. Nothing flips a global switch to silence another part.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Protocol

PullCallback = Callable[[dict], None]
LineCallback = Callable[[str], None]


class Reporter(Protocol):
    def step(self, service: str, action: str, detail: str = "") -> None: ...
    def info(self, line: str) -> None: ...
    def warn(self, message: str) -> None: ...
    def debug(self, line: str) -> None: ...
    def pull_progress(self, label: str) -> contextlib.AbstractContextManager[PullCallback]: ...
    def build_progress(self, label: str) -> contextlib.AbstractContextManager[LineCallback]: ...


class Silent:
    """Reports nothing: for library callers and tests that only look at the result."""

    def step(self, service: str, action: str, detail: str = "") -> None:
        pass

    def info(self, line: str) -> None:
        pass

    def warn(self, message: str) -> None:
        pass

    def debug(self, line: str) -> None:
        pass

    @contextlib.contextmanager
    def pull_progress(self, label: str) -> Iterator[PullCallback]:
        yield lambda event: None

    @contextlib.contextmanager
    def build_progress(self, label: str) -> Iterator[LineCallback]:
        yield lambda line: None


class AsDetail:
    """Another reporter's steps and notes as detail (shown only when it shows debug lines);
    warnings pass through. Watch prints one line per action and keeps the steps behind it for -v."""

    def __init__(self, inner: Reporter) -> None:
        self.inner = inner

    def step(self, service: str, action: str, detail: str = "") -> None:
        self.inner.debug(f"{service}: {action} {detail}".rstrip())

    def info(self, line: str) -> None:
        self.inner.debug(line)

    def warn(self, message: str) -> None:
        self.inner.warn(message)

    def debug(self, line: str) -> None:
        self.inner.debug(line)

    @contextlib.contextmanager
    def pull_progress(self, label: str) -> Iterator[PullCallback]:
        yield lambda event: None

    @contextlib.contextmanager
    def build_progress(self, label: str) -> Iterator[LineCallback]:
        yield self.inner.debug  # the build's output, as detail


def elapsed(start: float) -> str:
    """Seconds since `start` (a time.monotonic() reading), as shown after a step."""
    return f"{time.monotonic() - start:.2f}s"
