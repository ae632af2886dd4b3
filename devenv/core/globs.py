"""Glob patterns for watch rules and provision inputs, and the ignore files that prune them.

One glob matcher for rules and inputs, so that `src/**/*.py` means the same thing in both.
Ignore files follow the rules of their owners: git's for .devenvignore (pathspec), Docker's for
.dockerignore (core.dockerignore). Paths are POSIX-style and relative to the manifest's folder.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from devenv.core.dockerignore import DockerIgnore
from devenv.core.textfiles import read_text

# Folders that hold dependencies or VCS data: never watched or hashed unless a rule names them.
DEFAULT_IGNORES = (".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".mypy_cache",
                   ".pytest_cache", ".tox", ".devenv", "vendor/bundle", ".next", "target", "dist", "build")


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
    """What watch mode and provision inputs leave out: the default dependency folders and
    .devenvignore with git's rules (through pathspec: a pattern without a slash matches at any
    depth, `dir/` only folders, `!` re-includes, the last match wins), and the project's
    .dockerignore with Docker's rules. `keep`: globs that name an ignored path on purpose."""

    def __init__(self, patterns: Iterable[str], keep: Iterable[str] = (), docker: DockerIgnore | None = None):
        import pathspec

        self.patterns = [line for line in (raw.strip() for raw in patterns) if line and not line.startswith("#")]
        self.spec = pathspec.GitIgnoreSpec.from_lines(self.patterns)
        self.keep: list[str] = list(keep)
        self.docker = docker

    @classmethod
    def for_root(cls, root: Path, keep: Iterable[str] = ()) -> IgnoreRules:
        keep = list(keep)
        # A rule or input that names an ignored folder outright keeps it (e.g. watching node_modules).
        explicit = {p.split("/")[0] for p in keep if p and not any(ch in p.split("/")[0] for ch in "*?[")}
        patterns = list(DEFAULT_IGNORES)
        devenvignore = root / ".devenvignore"
        if devenvignore.is_file():
            patterns += read_text(devenvignore).splitlines()
        dockerignore = root / ".dockerignore"
        docker = None
        if dockerignore.is_file():
            lines = read_text(dockerignore).splitlines()
            docker = DockerIgnore([p for p in lines if p.strip().strip("/") not in explicit])
        return cls([p for p in patterns if p.strip().strip("/") not in explicit], docker=docker)

    def ignored(self, rel: str, *, is_dir: bool = False) -> bool:
        """Is `rel` (relative to the root) left out; a folder's patterns (`build/`) need is_dir."""
        hit = self.spec.match_file(rel + "/" if is_dir else rel) or (
            self.docker is not None and self.docker.excluded(rel))
        return hit and not matches(rel, self.keep)


def walk_files(root: Path, rules: IgnoreRules | None = None, *, below: str = "") -> Iterator[str]:
    """Relative POSIX paths of the files below `root` (only those in its folder `below`, if
    given), pruning ignored folders, sorted. The rules see paths relative to `root`."""
    rules = rules or IgnoreRules(())
    for folder, dirs, files in os.walk(root / below if below else root):
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        rel_folder = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = sorted(d for d in dirs if not rules.ignored(rel_folder + d, is_dir=True))
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
            for rel in walk_files(root, rules, below=base):
                if base == pattern.strip("/") or matches(rel, [pattern]):  # a plain folder: all of it
                    found.add(rel)
    return sorted(found)
