"""Glob patterns for watch rules, provision inputs and ignore files.

One matcher for all three, so that `src/**/*.py` means the same thing everywhere. Paths are
POSIX-style and relative to the manifest's folder.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from devenv.core.textfiles import read_text

# Folders that hold dependencies or VCS data: never watched or hashed unless a rule names them.
DEFAULT_IGNORES = (".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".mypy_cache",
                   ".pytest_cache", ".tox", ".devenv", "vendor/bundle", ".next", "target", "dist", "build")
IGNORE_FILES = (".devenvignore", ".dockerignore")


@functools.lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> re.Pattern:
    """`**` spans folders, `*` and `?` stay within one. A pattern without a slash matches at
    any depth (as in .gitignore); `dir/` or a plain folder name also matches all below it."""
    pattern = pattern.strip()
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.strip("/")
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        out.append({"*": "[^/]*", "?": "[^/]"}.get(c, re.escape(c)))
        i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"^{prefix}{body}(?:/.*)?$")


def matches(path: str, patterns: Iterable[str]) -> bool:
    return any(compile_glob(p).match(path) for p in patterns)


def glob_base(pattern: str) -> str:
    """The folder part of a glob before its first wildcard: `www/**` → `www`, `src/*.py` → `src`."""
    parts = []
    for part in pattern.strip("/").split("/"):
        if any(ch in part for ch in "*?["):
            break
        parts.append(part)
    else:
        parts = parts[:-1]  # a plain file path: its base is its folder
    return "/".join(parts)


class IgnoreRules:
    """Patterns from .devenvignore/.dockerignore plus the default dependency folders, with `!`
    exceptions. A folder that is ignored is pruned: nothing below it is walked or watched."""

    def __init__(self, patterns: Iterable[str], keep: Iterable[str] = ()):
        self.ignore: list[str] = []
        self.unignore: list[str] = list(keep)
        for raw in patterns:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            (self.unignore if line.startswith("!") else self.ignore).append(line.lstrip("!"))

    @classmethod
    def for_root(cls, root: Path, keep: Iterable[str] = ()) -> IgnoreRules:
        patterns = list(DEFAULT_IGNORES)
        for name in IGNORE_FILES:
            file = root / name
            if file.is_file():
                patterns += read_text(file).splitlines()
        keep = list(keep)
        # A rule or input that names an ignored folder outright keeps it (e.g. watching node_modules).
        explicit = {p.split("/")[0] for p in keep if p and not any(ch in p.split("/")[0] for ch in "*?[")}
        return cls([p for p in patterns if p.strip().strip("/") not in explicit], keep=())

    def ignored(self, rel: str) -> bool:
        return matches(rel, self.ignore) and not matches(rel, self.unignore)


def walk_files(root: Path, rules: IgnoreRules | None = None) -> Iterator[str]:
    """Relative POSIX paths of the files below `root`, pruning ignored folders, sorted."""
    rules = rules or IgnoreRules(())
    for folder, dirs, files in os.walk(root):
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        rel_folder = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = sorted(d for d in dirs if not rules.ignored(rel_folder + d))
        for name in sorted(files):
            rel = rel_folder + name
            if not rules.ignored(rel):
                yield rel


def expand(root: Path, patterns: Iterable[str], rules: IgnoreRules | None = None) -> list[str]:
    """The files below `root` that match any of `patterns` (relative to root), sorted.
    A pattern without wildcards names one file, or every file in one folder."""
    found: set[str] = set()
    for pattern in patterns:
        base = pattern.strip("/") if not any(ch in pattern for ch in "*?[") else glob_base(pattern)
        start = root / base if base else root
        if start.is_file():
            found.add(base)
        elif start.is_dir():
            for rel in walk_files(start, rules):
                full = f"{base}/{rel}" if base else rel
                if full.startswith(base) and (base == pattern.strip("/") or matches(full, [pattern])):
                    found.add(full)
    return sorted(found)
