"""Error types, each carrying the exit code documented in the README.

One handler (cli.main) turns them into a single line on stderr and that code; nothing else in
devenv decides an exit code.
"""

from __future__ import annotations

from typing import NamedTuple

EXIT_OK = 0
EXIT_SERVICE_FAILED = 1
EXIT_USAGE = 2
EXIT_ENGINE = 3
EXIT_LOCK = 4
EXIT_BUSY = 5  # another devenv command is changing the project (--no-wait)
EXIT_INTERRUPTED = 130


class DevenvError(Exception):
    """A failure the user can act on. `hint` is printed on a second line when present."""

    exit_code = EXIT_SERVICE_FAILED

    def __init__(self, message: str, *, hint: str | None = None, details: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details  # e.g. the last log lines of a failed service


class UsageError(DevenvError):
    exit_code = EXIT_USAGE


class Problem(NamedTuple):  # a NamedTuple, not a dataclass: `dataclasses` costs every command ~10 ms of start-up
    """One thing wrong with a manifest, located as precisely as we can."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ManifestError(UsageError):
    """All problems of a manifest at once, so a user fixes them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class EngineUnavailable(DevenvError):
    exit_code = EXIT_ENGINE


class ServiceFailed(DevenvError):
    exit_code = EXIT_SERVICE_FAILED


class LockOutOfDate(DevenvError):
    exit_code = EXIT_LOCK
