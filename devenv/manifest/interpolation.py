"""`${VAR}` interpolation as the Compose Specification defines it, for the manifest and `.env`."""

from __future__ import annotations

import re
from collections.abc import Mapping

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MODIFIERS = (":-", ":?", ":+", "-", "?", "+")
MAX_NESTING = 50  # ${A:-${B:-…}} levels: far beyond any real default, well within Python's stack


def interpolate(text: str, lookup: Mapping[str, str], depth: int = 0) -> str:
    """${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, ${VAR?message},
    ${VAR:+replacement}, ${VAR+replacement} and $$. Defaults may nest (${A:-${B:-x}});
    a `$` not followed by `{` or `$` is kept as it is."""
    if depth > MAX_NESTING:
        raise ValueError(f"defaults nested more than {MAX_NESTING} deep")
    out, i = [], 0
    while i < len(text):
        if text.startswith("$$", i):
            out.append("$")
            i += 2
        elif text.startswith("${", i):
            end, unclosed = i + 2, 1
            while end < len(text) and unclosed:
                unclosed += {"{": 1, "}": -1}.get(text[end], 0)
                end += 1
            if unclosed:
                raise ValueError(f"unclosed ${{ in {text!r}")
            out.append(_substitute(text[i + 2:end - 1], lookup, depth))
            i = end
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _substitute(expr: str, lookup: Mapping[str, str], depth: int) -> str:
    name = _NAME.match(expr)
    if not name:
        raise ValueError(f"${{{expr}}} is not a variable reference")
    rest = expr[name.end():]
    op = next((o for o in _MODIFIERS if rest.startswith(o)), None)
    if rest and op is None:
        raise ValueError(f"${{{expr}}}: unknown modifier {rest!r} (use :-, -, :?, ?, :+ or +)")
    arg = rest[len(op):] if op else ""
    value = lookup.get(name.group())
    # With a colon, an empty value counts as unset (the spec's `:-`, `:?` and `:+`).
    is_set = value is not None and not (op and op.startswith(":") and value == "")
    if op in (":+", "+"):
        return interpolate(arg, lookup, depth + 1) if is_set else ""
    if is_set and value is not None:
        return value
    if op in (":-", "-"):
        return interpolate(arg, lookup, depth + 1)
    if op in (":?", "?"):
        raise ValueError(f"${{{name.group()}}} is required: {arg or 'not set'}")
    raise ValueError(f"${{{name.group()}}} is not set (give it a default with ${{{name.group()}:-value}})")
