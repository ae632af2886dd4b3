"""The global options every command shares, as plain data: no click context travels past cli.py."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from devenv.manifest.load import Project


class Options(NamedTuple):
    """Immutable. A NamedTuple rather than a dataclass: importing `dataclasses` (and with it
    `inspect`) costs every command ~10 ms of start-up (docs/performance.md)."""

    directory: Path  # the folder the command runs in (-C), resolved
    files: tuple[Path, ...] = ()
    project_name: str | None = None
    env_file: Path | None = None
    profiles: tuple[str, ...] = ()

    def load(self) -> Project:
        """The validated project these options point at (raises ManifestError / UsageError).
        Reads files only: the name a second checkout takes on the engine is settled by
        `converge.projects.load_claimed`, which the commands that talk to the engine call."""
        from devenv.manifest.load import load_project

        return load_project(files=list(self.files) or None, directory=self.directory,
                            project_name=self.project_name, env_file=self.env_file,
                            profiles=frozenset(self.profiles) if self.profiles else None)

    @property
    def name_given(self) -> bool:
        """A name picked by hand (-p, DEVENV_PROJECT_NAME) is used as it is, never claimed."""
        import os

        return bool(self.project_name or os.environ.get("DEVENV_PROJECT_NAME"))
