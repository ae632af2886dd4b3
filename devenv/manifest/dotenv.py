"""`.env` and `env_file`s, read as Docker Compose reads them (compose-go's dotenv grammar).

A statement is `[export ]KEY=VALUE`, `KEY: VALUE` or a bare `KEY` (its value taken from the
environment, left out when the environment has none). Keys may hold letters, digits and `_ . - [ ]`.
A value is unquoted (up to the line's end, cut at ` #`), `'single-quoted'` (as written; `\\'` is a
quote) or `"double-quoted"` (with `\\n \\t \\" \\\\ \\$`… escapes); quoted values may span lines.
Unquoted and double-quoted values name variables as `$VAR` or `${VAR…}`: the environment's, else
a line above; empty when neither sets it (Compose warns), and `$$` is a `$`.
"""

from __future__ import annotations

import os
import re
from collections import ChainMap
from collections.abc import Iterator, Mapping
from pathlib import Path

from devenv.core.textfiles import display_path, read_text
from devenv.errors import ManifestError, Problem
from devenv.manifest.interpolation import interpolate

_SPACE = " \t\v\f\r\x85\xa0"  # blanks within a line (a newline ends a statement)
_KEY_END = re.compile(r"[=:\n]")
_KEY_CHARS = re.compile(r"[\w.\-\[\]]+")
_ESCAPES = re.compile(r"\\([abfnrtv$\"\\]|0[0-7]{3})")  # `\0ddd` is octal; others are kept
_ESCAPED = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", '"': '"', "\\": "\\",
            "$": "$$"}  # `\$` is a literal dollar: `$$` once interpolation is done
# `$$`, `$NAME` and a plain `${NAME}`: the forms that read a variable without a modifier.
_PLAIN = re.compile(r"\$(?:(\$)|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})")


class _Bad(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def read_dotenv(path: Path, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The variables `path` sets, in file order; ManifestError naming the line of a bad one."""
    environ = os.environ if environ is None else environ
    values: dict[str, str] = {}
    lookup = ChainMap(dict(environ), values)  # the environment first, then the lines above; no copy per line
    try:
        for line, key, value, kind in _statements(read_text(path)):
            if kind == "inherited":
                if key in environ:
                    values[key] = environ[key]
                continue
            if kind != "single":
                value = _expand(value if kind == "unquoted" else _unescape(value), lookup, line)
            if "\x00" in key + value:
                raise _Bad(line, "holds a NUL character, which no process environment can carry")
            values[key] = value
    except _Bad as bad:
        raise ManifestError([Problem(display_path(path), bad.line, "", str(bad))]) from None
    return values


def syntax_problem(text: str) -> tuple[int, str] | None:
    """The first line of an env file that devenv (and Compose) would refuse, and why; None when
    every statement reads (its variables are not looked at)."""
    try:
        for _ in _statements(text):
            pass
    except _Bad as bad:
        return bad.line, str(bad)
    return None


def example_values(text: str) -> list[tuple[int, str, str]]:
    """(line, key, value) of each assignment, read in the same grammar but leniently: quotes and
    escapes are read, variables are not expanded, and a line that is not a statement is skipped.
    `devenv init` reads example env files it does not own, and takes what it can of them."""
    found: list[tuple[int, str, str]] = []
    skipped = 0
    while True:
        try:
            for line, key, value, kind in _statements(text):
                if kind != "inherited":
                    found.append((skipped + line, key, _unescape(value) if kind == "double" else value))
            return found
        except _Bad as bad:
            text = text.split("\n", bad.line)[-1] if text.count("\n") >= bad.line else ""
            skipped += bad.line


def _statements(text: str) -> Iterator[tuple[int, str, str, str]]:
    """(line, key, raw value, kind) for each statement; kind: unquoted, single, double, inherited."""
    pos, line = 0, 1
    while True:
        while pos < len(text) and text[pos].isspace():  # blank lines and indentation
            line += text[pos] == "\n"
            pos += 1
        if pos == len(text):
            return
        if text[pos] == "#":
            pos = _line_end(text, pos)
            continue
        start = line
        if re.match(r"export[ \t]", text[pos:pos + 7]):
            pos += 7
        end_match = _KEY_END.search(text, pos)
        end = end_match.start() if end_match else len(text)
        key = text[pos:end].strip(_SPACE)
        _check_key(key, text[pos:_line_end(text, pos)], start)
        if not end_match or text[end] == "\n":
            yield start, key, "", "inherited"
            pos = end
            continue
        pos = end + 1
        while pos < len(text) and text[pos] in _SPACE:
            pos += 1
        if pos < len(text) and text[pos] in "'\"":
            value, pos, line = _quoted(text, pos, line)
            # What follows the closing quote on its line is read as the next statement, as
            # compose-go does: a comment, or (`A="x" y`) a bare key of its own.
            yield start, key, value, "double" if text[pos - 1] == '"' else "single"
        else:
            rest_end = _line_end(text, pos)
            yield start, key, text[pos:rest_end].split(" #", 1)[0].rstrip(_SPACE), "unquoted"
            pos = rest_end


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def _check_key(key: str, statement: str, line: int) -> None:
    if not key:
        raise _Bad(line, f"{statement.strip()!r} names no variable before its '='")
    if any(c in _SPACE for c in key):
        raise _Bad(line, f"{statement.strip()!r} is not KEY=VALUE (a key cannot contain a space)")
    if not _KEY_CHARS.fullmatch(key):
        bad = next(c for c in key if not _KEY_CHARS.fullmatch(c))
        raise _Bad(line, f"{statement.strip()!r} is not KEY=VALUE ({bad!r} cannot be part of a key)")


def _quoted(text: str, pos: int, line: int) -> tuple[str, int, int]:
    """The value between the quote at `pos` and its partner; the position after it, and the line.
    A backslash before the quote character makes it part of the value; other escapes are kept
    for the caller (double quotes read them, single quotes keep them as written)."""
    quote, start_line, chars, i = text[pos], line, [], pos + 1
    while i < len(text):
        char = text[i]
        line += char == "\n"
        if char == "\\" and i + 1 < len(text):
            following = text[i + 1]
            chars.append(following if following == quote else char + following)
            line += following == "\n"
            i += 2
            continue
        if char == quote:
            return "".join(chars), i + 1, line
        chars.append(char)
        i += 1
    first = text[pos:_line_end(text, pos)]
    raise _Bad(start_line, f"the quoted value {first!r} is never closed (a {quote} is missing)")


def _unescape(value: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code[1:], 8)) if code.startswith("0") else _ESCAPED[code]

    return _ESCAPES.sub(one, value)


def _expand(value: str, lookup: Mapping[str, str], line: int) -> str:
    """Compose's substitution: plain references first (unset ones are empty), then the modifiers."""
    if "$" not in value:
        return value

    def plain(match: re.Match[str]) -> str:
        if match.group(1):
            return "$$"
        found = lookup.get(match.group(2) or match.group(3), "")
        return found.replace("$", "$$")  # a value is taken as it is, never read again

    try:
        return interpolate(_PLAIN.sub(plain, value), lookup)
    except ValueError as exc:
        raise _Bad(line, str(exc)) from None
