""".dockerignore as Docker applies it, so the build-context hash covers exactly what the engine
is sent (a file left out of the hash is a change that never rebuilds; a file put in it rebuilds
for nothing).

Docker's rules differ from git's: every pattern is anchored at the context root (`*.log` is only
the root's logs; `**/*.log` is every folder's), a pattern is cleaned like a path (`./a/../b` is
`b`, leading and trailing slashes do not count), `*` and `?` never cross `/`, `**` spans any
number of folders, a pattern that matches a folder excludes everything below it, and the last
pattern that matches decides (`!` lines put files back). Matching is case-sensitive, as on a
Linux engine. tests/unit/test_dockerignore.py checks this against the docker SDK's
implementation (`docker.utils.build.exclude_paths`) as the oracle, except for `[` classes, where
the SDK follows Python's fnmatch and the docker CLI (moby/patternmatcher) Go's: there the CLI's
reading is devenv's, since it decides what `docker build` and Compose send.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from devenv.core.textfiles import read_text


def clean(pattern: str) -> list[str]:
    """The pattern's path parts after Go's filepath.Clean: no empty, `.` or `..` parts."""
    parts: list[str] = []
    for part in pattern.strip().split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return parts


@functools.lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern[str]:
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        i += 1
        if c == "*":
            if i < n and pattern[i] == "*":
                i += 1
                if i < n and pattern[i] == "/":
                    i += 1
                out.append(".*" if i >= n else "(?:.*/)?")  # `**` spans folders, `**/` zero or more
            else:
                out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            try:
                regex, i = _go_class(pattern, i - 1)
            except ValueError:  # only a pattern bad_pattern refused gets here: a literal `[`
                regex = re.escape(c)
            out.append(regex)
        elif c == "\\" and i < n:  # `\x` is a literal x
            out.append(re.escape(pattern[i]))
            i += 1
        else:
            out.append(re.escape(c))
    return re.compile("".join(out) + r"\Z")


def bad_pattern(pattern: str) -> str | None:
    """Why the docker CLI refuses this pattern ("syntax error in pattern"), or None. It checks
    each pattern with Go's filepath.Match: a `[` class must be closed and non-empty, a `-` or `]`
    in it escaped unless it closes the class or joins a range, and a `\\` must escape something."""
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            if i + 1 == len(pattern):
                return "a \\ at the end escapes nothing"
            i += 2
            continue
        if pattern[i] == "[":
            try:
                _, i = _go_class(pattern, i)
            except ValueError as exc:
                return str(exc)
            continue
        i += 1
    return None


def _go_class(pattern: str, start: int) -> tuple[str, int]:
    """The class opening at `pattern[start]` as Go reads it (only `^` negates: `[!a]` is `!` or
    `a`), as a Python regex class, and the index after its `]`; ValueError says what is wrong."""
    i = start + 1
    negate = pattern[i:i + 1] == "^"
    i += negate
    items: list[str] = []
    while True:
        if i < len(pattern) and pattern[i] == "]" and items:
            return "[" + "^" * negate + "".join(items) + "]", i + 1
        low, i = _class_char(pattern, i, first=not items)
        if pattern[i:i + 1] != "-":
            items.append(re.escape(low))
            continue
        high, i = _class_char(pattern, i + 1, first=False)
        if high < low:
            raise ValueError(f"the range {low}-{high} runs backwards")
        items.append(f"{re.escape(low)}-{re.escape(high)}")


def _class_char(pattern: str, i: int, *, first: bool) -> tuple[str, int]:
    if i >= len(pattern) or pattern[i:] == "\\":
        raise ValueError("a [ that is never closed")
    if pattern[i] == "]" and first:
        raise ValueError("an empty class (a ] right after [ or [^ must be escaped: \\])")
    if pattern[i] in "-]":
        raise ValueError(f"a {pattern[i]} inside [ ] must be escaped (\\{pattern[i]})")
    if pattern[i] == "\\":
        i += 1
    if i + 1 >= len(pattern):
        raise ValueError("a [ that is never closed")
    return pattern[i], i + 1


@dataclass(frozen=True)
class Rule:
    parts: tuple[str, ...]
    exception: bool  # a `!` line: puts matching paths back

    @property
    def text(self) -> str:
        return "/".join(self.parts)

    def match(self, rel: str) -> bool:
        return _regex(self.text).match(rel) is not None


class DockerIgnore:
    """The rules of one .dockerignore (plus any patterns a caller adds)."""

    def __init__(self, lines: Iterable[str], *, keep: Iterable[str] = (".dockerignore",)) -> None:
        rules = []
        for raw in [*lines, *(f"!{k}" for k in keep)]:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            exception = line.startswith("!")
            parts = clean(line[1:] if exception else line)
            if parts:  # "." and "/" are ignored, as Docker does
                rules.append(Rule(tuple(parts), exception))
        self.rules: tuple[Rule, ...] = tuple(rules)

    @classmethod
    def for_context(cls, context: Path, *, dockerfile: str, extra: Iterable[str] = ()) -> DockerIgnore:
        """The context's .dockerignore; the Dockerfile and .dockerignore are always sent."""
        file = context / ".dockerignore"
        lines = read_text(file).splitlines() if file.is_file() else []
        for number, line in enumerate(lines, 1):
            why = bad_pattern(line.strip().removeprefix("!"))
            if why and not line.strip().startswith("#"):
                from devenv.core.textfiles import display_path
                from devenv.errors import ManifestError, Problem

                raise ManifestError([Problem(display_path(file), number, "",
                                             f"{line.strip()!r} is not a pattern Docker accepts ({why})")])
        return cls([*lines, *extra], keep=(".dockerignore", dockerfile))

    def excluded(self, rel: str) -> bool:
        """Is `rel` (a path relative to the context) left out: the last rule that matches it, or
        one of its parent folders, decides."""
        parents = rel.split("/")[:-1]
        verdict = False
        for rule in self.rules:
            hit = rule.match(rel) or any(rule.match("/".join(parents[:i])) for i in range(1, len(parents) + 1))
            if hit:
                verdict = not rule.exception
        return verdict

    def may_keep_below(self, rel_dir: str) -> bool:
        """Can an exception put back something below this excluded folder (then it is walked)."""
        return any(rule.exception and rule.text.startswith(rel_dir) for rule in self.rules)

    def walk(self, context: Path, *, folders: bool = False) -> list[str]:
        """The files and symlinks Docker sends, relative to the context, sorted. Symlinked
        folders are sent as links, not followed. `folders`: the folders it sends too (for the
        tar: an empty folder is part of the context), not one walked only for a `!` rule."""
        return sorted(self._walk(context, folders))

    def _walk(self, context: Path, folders: bool = False) -> Iterator[str]:
        for folder, dirs, files in os.walk(context):
            rel_folder = os.path.relpath(folder, context).replace(os.sep, "/")
            prefix = "" if rel_folder == "." else rel_folder + "/"
            entries = list(files)
            kept_dirs = []
            for name in sorted(dirs):
                if os.path.islink(os.path.join(folder, name)):
                    entries.append(name)
                elif not self.excluded(prefix + name):
                    kept_dirs.append(name)
                    if folders:
                        yield prefix + name
                elif self.may_keep_below(prefix + name):
                    kept_dirs.append(name)
            dirs[:] = kept_dirs
            for name in sorted(entries):
                if not self.excluded(prefix + name):
                    yield prefix + name
