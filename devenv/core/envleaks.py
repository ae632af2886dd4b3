"""A build context that would carry `.env` into an image.

The engine receives every file of a build context that .dockerignore does not exclude, and
the common `COPY . .` puts them all in the image: a developer's `.env` (passwords, tokens)
then travels with every image that is pushed or shared. `up` and `doctor` warn about it
and give the .dockerignore line that stops it. Example files (`.env.example`…) are meant to
be shared and are left alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devenv.core.globs import IgnoreRules
from devenv.core.textfiles import read_text

SHARED_SUFFIXES = (".example", ".sample", ".template", ".dist", ".defaults")


@dataclass(frozen=True)
class EnvLeak:
    """`files` of a service's build context that the engine would receive."""

    service: str
    dockerignore: str  # the context's .dockerignore, relative to the project's folder
    files: tuple[str, ...]  # each is also the line that keeps it out

    def message(self) -> str:
        names = ", ".join(self.files)
        return (f"service {self.service}: the build context sends {names} to the engine, and a `COPY . .` "
                f"bakes it into the image")

    def hint(self) -> str:
        lines = "this line" if len(self.files) == 1 else "these lines"
        return f"add {lines} to {self.dockerignore}: {', '.join(self.files)}"


def env_leaks(root: Path, services: dict[str, Any]) -> list[EnvLeak]:
    """Per build service, the .env files at the top of its context that .dockerignore lets through."""
    leaks = []
    for name, svc in services.items():
        if not svc.build:
            continue
        context = (root / svc.build.context).resolve()
        try:
            candidates = sorted(entry.name for entry in os.scandir(context) if is_env_file(entry.name)
                                and entry.is_file())
        except OSError:
            continue  # a missing context is reported by the build itself
        if not candidates:
            continue
        ignore = context / ".dockerignore"
        rules = IgnoreRules(read_text(ignore).splitlines() if ignore.is_file() else ())
        sent = tuple(f for f in candidates if not rules.ignored(f))
        if sent:
            leaks.append(EnvLeak(name, os.path.relpath(ignore, root), sent))
    return leaks


def is_env_file(name: str) -> bool:
    return (name == ".env" or name.startswith(".env.")) and not name.endswith(SHARED_SUFFIXES)
