"""Editing JSONC files (VS Code's JSON with comments and trailing commas) without losing what
the user wrote.

`parse` builds a tree of nodes that remember their offsets in the text; the edit functions
return new text in which only the edited value changed. Comments and formatting elsewhere stay
byte for byte; a comment *inside* a value that is replaced is counted, so the caller can report
it rather than drop it silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\n\ufeff]+)
  | (?P<line_comment>//[^\n]*)
  | (?P<block_comment>/\*.*?\*/)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<number>-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<literal>true|false|null)
  | (?P<punct>[{}\[\]:,])
""", re.VERBOSE | re.DOTALL)


class JSONCError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass
class Node:
    kind: str  # object | array | string | number | literal
    start: int
    end: int
    value: Any = None  # the plain Python value (whole subtree)
    items: list = field(default_factory=list)  # array: [Node]; object: [Prop]

    def get(self, key: str) -> Prop | None:
        return next((p for p in self.items if p.key == key), None) if self.kind == "object" else None


@dataclass
class Prop:
    key: str
    key_start: int
    value: Node


@dataclass
class Document:
    text: str
    root: Node
    comments: list[tuple[int, int]]  # (start, end) of every comment

    def comments_in(self, start: int, end: int) -> int:
        return sum(1 for s, e in self.comments if s >= start and e <= end)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def tokens(text: str) -> tuple[list[tuple[str, str, int]], list[tuple[int, int]]]:
    out: list[tuple[str, str, int]] = []
    comments: list[tuple[int, int]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            snippet = text[pos:pos + 12].split("\n")[0]
            raise JSONCError(f"unexpected {snippet!r}", _line(text, pos))
        kind = match.lastgroup or ""  # every alternative of _TOKEN is a named group
        if kind in ("line_comment", "block_comment"):
            comments.append((pos, match.end()))
        elif kind != "ws":
            out.append((kind, match.group(), pos))
        pos = match.end()
    return out, comments


def parse(text: str) -> Document:
    toks, comments = tokens(text)
    index = 0

    def peek() -> tuple[str, str, int]:
        return toks[index] if index < len(toks) else ("eof", "", len(text))

    def take(expected: str | None = None) -> tuple[str, str, int]:
        nonlocal index
        tok = peek()
        if tok[0] == "eof" or (expected is not None and tok[1] != expected):
            want = f"{expected!r}" if expected else "a value"
            got = "end of file" if tok[0] == "eof" else repr(tok[1])
            raise JSONCError(f"expected {want}, found {got}", _line(text, tok[2]))
        index += 1
        return tok

    def value() -> Node:
        kind, raw, start = take()
        if raw == "{":
            node = Node("object", start, start, {})
            while peek()[1] != "}":
                key_kind, key_raw, key_start = take()
                if key_kind != "string":
                    raise JSONCError(f"expected a property name, found {key_raw!r}", _line(text, key_start))
                take(":")
                child = value()
                key = json.loads(key_raw)
                node.items.append(Prop(key, key_start, child))
                node.value[key] = child.value
                if peek()[1] != ",":
                    break
                take(",")
            node.end = take("}")[2] + 1
            return node
        if raw == "[":
            node = Node("array", start, start, [])
            while peek()[1] != "]":
                child = value()
                node.items.append(child)
                node.value.append(child.value)
                if peek()[1] != ",":
                    break
                take(",")
            node.end = take("]")[2] + 1
            return node
        if kind in ("string", "number", "literal"):
            return Node(kind, start, start + len(raw), json.loads(raw))
        raise JSONCError(f"unexpected {raw!r}", _line(text, start))

    if not toks:
        raise JSONCError("the file is empty", 1)
    root = value()
    if peek()[0] != "eof":
        raise JSONCError(f"unexpected {peek()[1]!r} after the end", _line(text, peek()[2]))
    return Document(text, root, comments)


# -- edits ---------------------------------------------------------------------------------------

def indent_unit(text: str) -> str:
    match = re.search(r"\n([ \t]+)\S", text)
    return match.group(1) if match else "    "


def line_indent(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    rest = text[start:]
    return rest[:len(rest) - len(rest.lstrip(" \t"))]


def dumps(value: Any, unit: str, base: str) -> str:
    """JSON for `value` laid out like the file: its indent unit, continuing at `base`."""
    text = json.dumps(value, indent=unit, ensure_ascii=False)
    return text.replace("\n", "\n" + base)


def replace(doc: Document, node: Node, value: Any) -> str:
    unit = indent_unit(doc.text)
    base = line_indent(doc.text, node.start)
    return doc.text[:node.start] + dumps(value, unit, base) + doc.text[node.end:]


def _after_item(text: str, end: int) -> tuple[int, bool]:
    """From the end of a container's last item: where a new line may go, and whether a comma
    already follows the item. Comments on the item's line stay with the item."""
    pos, comma = end, False
    while pos < len(text):
        if text.startswith("//", pos):
            pos = text.find("\n", pos)
            return (len(text) if pos < 0 else pos), comma
        if text.startswith("/*", pos):
            close = text.find("*/", pos)
            if "\n" in text[pos:close]:
                return pos, comma
            pos = close + 2
            continue
        char = text[pos]
        if char == ",":
            comma = True
        elif char in "\r\n" or char not in " \t":
            return pos, comma
        pos += 1
    return pos, comma


def _insert(doc: Document, container: Node, entry_text: str) -> str:
    """Insert an already formatted entry (`"key": value` or `value`) as the last item."""
    text = doc.text
    unit = indent_unit(text)
    if not container.items:
        outer = line_indent(text, container.start)
        at = container.start + 1
        closing = "" if text[at:container.end - 1].strip() else "\n" + outer
        body = entry_text.replace("\n", "\n" + outer + unit)
        return text[:at] + "\n" + outer + unit + body + closing + text[at:]
    last = container.items[-1]
    last_node = last.value if isinstance(last, Prop) else last
    first = container.items[0]
    inner = line_indent(text, first.key_start if isinstance(first, Prop) else first.start)
    if text.rfind("\n", 0, first.key_start if isinstance(first, Prop) else first.start) < container.start:
        inner = line_indent(text, container.start) + unit  # `{"a": 1, ...` on the container's line
    at, has_comma = _after_item(text, last_node.end)
    body = entry_text.replace("\n", "\n" + inner)
    if at < len(text) and text[at] not in "\r\n":  # `{"a": 1}` on one line: close on a line of its own
        body += "\n" + line_indent(text, container.start)
    if has_comma:
        return text[:at] + "\n" + inner + body + "," + text[at:]
    return text[:last_node.end] + "," + text[last_node.end:at] + "\n" + inner + body + text[at:]


def set_property(doc: Document, obj: Node, key: str, value: Any) -> str:
    """Set obj[key] = value: replace the value if the key exists, else add it at the end."""
    prop = obj.get(key)
    if prop is not None:
        return replace(doc, prop.value, value)
    unit = indent_unit(doc.text)
    return _insert(doc, obj, json.dumps(key, ensure_ascii=False) + ": " + json.dumps(value, indent=unit,
                                                                                      ensure_ascii=False))


def append(doc: Document, array: Node, value: Any) -> str:
    return _insert(doc, array, json.dumps(value, indent=indent_unit(doc.text), ensure_ascii=False))
