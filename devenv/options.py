"""The global options every command shares, as plain data: no click context travels past cli.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Options:
    files: tuple[Path, ...] = ()
    project_name: str | None = None
    directory: Path = field(default_factory=Path.cwd)
    env_file: Path | None = None
    profiles: tuple[str, ...] = ()

    def load(self):
        """The validated project these options point at (raises ManifestError / UsageError)."""
        from devenv.manifest import load_project

        return load_project(files=list(self.files) or None, directory=self.directory,
                            project_name=self.project_name, env_file=self.env_file,
                            profiles=frozenset(self.profiles) if self.profiles else None)
