"""Where a TOML syntax error is, always as a line.

tomllib puts "(at line L, column C)" at the end of its messages, except for an error at the
end of the text ("Unclosed array (at end of document)"), which names no line. An editor
needs one: such an error points at the last line that holds anything, where the unclosed
array, string or table began or was last continued.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")
# What tomllib says when a line ends inside a one-line string: the newline is "illegal" there.
_LINE_ENDS_IN_STRING = {"Illegal character '\\n'", "Illegal character '\\r'"}


@dataclass(frozen=True)
class TomlSyntax:
    line: int
    column: int
    message: str  # tomllib's words, without the position

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


def locate_syntax_error(error: tomllib.TOMLDecodeError, text: str) -> TomlSyntax:
    message = str(error)
    at = _AT.search(message)
    if at:
        words = message[:at.start()]
        line, column = int(at.group(1)), int(at.group(2))
        if words in _LINE_ENDS_IN_STRING and _opens_string(text, line, column):
            words = "unterminated string (its closing quote is missing on this line)"
        return TomlSyntax(line, column, words)
    end = _AT_END.search(message)
    lines = text.splitlines()
    last = max((n for n, line in enumerate(lines, 1) if line.strip()), default=1)
    column = len(lines[last - 1]) + 1 if lines else 1
    words = message[:end.start()] if end else message
    return TomlSyntax(last, column, f"{words} at the end of the file")


def _opens_string(text: str, line: int, column: int) -> bool:
    """Whether the error's line has an odd number of quotes before the column (a string that
    the end of the line cut off), as opposed to a stray newline elsewhere."""
    lines = text.splitlines()
    before = lines[line - 1][:column - 1] if 0 < line <= len(lines) else ""
    return before.count('"') % 2 == 1 or before.count("'") % 2 == 1
