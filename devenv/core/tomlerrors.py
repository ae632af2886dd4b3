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
        return TomlSyntax(int(at.group(1)), int(at.group(2)), message[:at.start()])
    end = _AT_END.search(message)
    lines = text.splitlines()
    last = max((n for n, line in enumerate(lines, 1) if line.strip()), default=1)
    column = len(lines[last - 1]) + 1 if lines else 1
    words = message[:end.start()] if end else message
    return TomlSyntax(last, column, f"{words} at the end of the file")
