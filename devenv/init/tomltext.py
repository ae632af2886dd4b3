"""Writing and editing the TOML text of a manifest's service tables, keeping the recipes' comments.

`write_service` turns a service given as a dict into its tables (for Compose conversions and
worker services). `Fragment` edits one rendered recipe fragment in place: set a key, extend an
array, set env variables. Keys are matched by table and name; multi-line arrays are handled by
counting brackets outside strings.
"""

from __future__ import annotations

import re
from typing import Any

from devenv.init.recipes import toml_key, toml_value

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+|\"[^\"]*\")\s*=")


def write_service(name: str, svc: dict[str, Any], *, literal_dollars: bool = False) -> str:
    """One service as TOML: its table, then env and healthcheck tables, then watch rules."""
    def value(v: Any) -> str:
        return toml_value(v, literal_dollars=literal_dollars)

    key = toml_key(name)
    lines = [f"[services.{key}]"]
    tables = {k: svc[k] for k in ("env", "healthcheck") if k in svc and isinstance(svc[k], dict)}
    for k, v in svc.items():
        if k in tables or k == "watch":
            continue
        lines.append(f"{toml_key(k)} = {value(v)}")
    for k, table in tables.items():
        lines += ["", f"[services.{key}.{k}]"]
        lines += [f"{toml_key(n)} = {value(v)}" for n, v in table.items()]
    for rule in svc.get("watch", []):
        lines += ["", f"[[services.{key}.watch]]"]
        lines += [f"{toml_key(n)} = {value(v)}" for n, v in rule.items()]
    return "\n".join(lines) + "\n"


def _depth(line: str) -> int:
    """Bracket balance of one line, ignoring brackets inside strings and comments."""
    depth, quote, i = 0, "", 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        i += 1
    return depth


class Fragment:
    """A rendered service fragment, editable by table and key."""

    def __init__(self, text: str):
        self.lines = text.split("\n")

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def _table_span(self, table: str) -> tuple[int, int] | None:
        start = None
        for i, line in enumerate(self.lines):
            header = _HEADER.match(line)
            if header and not line.lstrip().startswith("[["):
                if start is not None:
                    return start, i
                if header.group(1).replace(" ", "") == table:
                    start = i
            elif header and start is not None:
                return start, i
        return (start, len(self.lines)) if start is not None else None

    def _key_span(self, table: str, key: str) -> tuple[int, int] | None:
        span = self._table_span(table)
        if not span:
            return None
        i = span[0] + 1
        while i < span[1]:
            match = _KEY.match(self.lines[i])
            end, depth = i, _depth(self.lines[i].split("=", 1)[1]) if match else 0
            while depth > 0 and end + 1 < span[1]:
                end += 1
                depth += _depth(self.lines[end])
            if match and match.group(1).strip('"') == key:
                return i, end + 1
            i = end + 1
        return None

    def get(self, table: str, key: str) -> str | None:
        span = self._key_span(table, key)
        if not span:
            return None
        return "\n".join(self.lines[span[0]:span[1]]).split("=", 1)[1].strip()

    def set(self, table: str, key: str, value: Any, *, after: str | None = None, literal_dollars: bool = True) -> None:
        """Replace the key's value, or add the key (after the key `after`, else at the table's end).
        With `literal_dollars`, a `$` in the value is written as `$$` (the manifest's escape)."""
        line = f"{toml_key(key)} = {toml_value(value, literal_dollars=literal_dollars)}"
        span = self._key_span(table, key)
        if span:
            self.lines[span[0]:span[1]] = [line]
            return
        anchor = self._key_span(table, after) if after else None
        if anchor:
            self.lines.insert(anchor[1], line)
            return
        table_span = self._table_span(table)
        if table_span is None:
            self.lines += ["", f"[{table}]", line]
            return
        end = table_span[1]
        while end - 1 > table_span[0] and not self.lines[end - 1].strip():
            end -= 1
        self.lines.insert(end, line)

    def remove(self, table: str, key: str) -> None:
        span = self._key_span(table, key)
        if span:
            del self.lines[span[0]:span[1]]

    def set_raw(self, table: str, key: str, raw: str) -> None:
        span = self._key_span(table, key)
        if span:
            self.lines[span[0]:span[1]] = [f"{toml_key(key)} = {raw}"]
