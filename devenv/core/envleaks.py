"""A build context that would carry `.env` into an image.

The engine receives every file of a build context that .dockerignore does not exclude, and
the common `COPY . .` puts them all in the image: a developer's `.env` (passwords, tokens)
then travels with every image that is pushed or shared. `up` and `doctor` warn about it
when the Dockerfile has such a COPY or ADD (one whose source is the whole context, a glob
that takes the file, or the file itself), and give the .dockerignore line that stops it.
Example files (`.env.example`…) are meant to be shared and are left alone.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
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
    copied_by: str = "COPY . ."  # the Dockerfile's instruction that takes them

    def message(self) -> str:
        names = ", ".join(self.files)
        return (f"service {self.service}: the build context sends {names} to the engine, and "
                f"`{self.copied_by}` bakes {'it' if len(self.files) == 1 else 'them'} into the image")

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
        copied_by = copy_taking(context / svc.build.dockerfile, sent) if sent else None
        if sent and copied_by:
            leaks.append(EnvLeak(name, os.path.relpath(ignore, root), sent, copied_by))
    return leaks


def copy_taking(dockerfile: Path, names: tuple[str, ...]) -> str | None:
    """The first COPY or ADD of `dockerfile` that takes any of `names` (files at the top of the
    context) into the image, or None. Copies from another stage or image (--from) take nothing
    from the context. A Dockerfile that cannot be read counts as `COPY . .`: better a warning
    too many than a secret in an image."""
    try:
        text = read_text(dockerfile)
    except (OSError, ValueError):
        return "COPY . ."
    for instruction in _instructions(text):
        words = instruction.split(None, 1)
        if len(words) < 2 or words[0].upper() not in ("COPY", "ADD"):
            continue
        sources = _sources(words[1])
        if sources is not None and any(_takes(source, names) for source in sources):
            return " ".join(instruction.split())
    return None


def _instructions(text: str) -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    joined, current = [], ""
    for line in text.splitlines():
        if not current and line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        joined.append(current + line)
        current = ""
    return [*joined, current] if current else joined


def _sources(arguments: str) -> list[str] | None:
    """The sources of a COPY/ADD (every argument but the destination), None for --from."""
    words = arguments.split()
    while words and words[0].startswith("--"):
        if words[0].startswith("--from"):
            return None
        words = words[1:]
    rest = " ".join(words)
    if rest.startswith("["):  # the JSON form: ["src", ..., "dest"]
        try:
            listed = json.loads(rest)
        except ValueError:
            return None
        words = [str(w) for w in listed] if isinstance(listed, list) else []
    return words[:-1]


def _takes(source: str, names: tuple[str, ...]) -> bool:
    """Whether a COPY source takes a file at the top of the context: the context itself, or a
    pattern that matches the name (Docker's `*` matches a leading dot too)."""
    path = re.sub(r"^(\./)+", "", source.strip()).rstrip("/")
    if path in ("", "."):
        return True
    return any(fnmatch.fnmatchcase(name, path) for name in names)


def is_env_file(name: str) -> bool:
    return (name == ".env" or name.startswith(".env.")) and not name.endswith(SHARED_SUFFIXES)
