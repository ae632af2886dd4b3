"""Compose's YAML as Compose reads it, for `devenv init --from` (devenv/init/compose_load.py
merges and interpolates what this parses): YAML 1.2's scalars rather than PyYAML's YAML 1.1
ones, a key given twice in one mapping refused as Compose refuses it, and the `!reset` /
`!override` tags kept as markers for the merge. Pure: parses text, reads and writes nothing.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devenv.errors import UsageError


def parse(text: str, path: Path) -> Any:
    """The document of `text` (None when it is empty); `path` names the file in errors. A YAML
    error is PyYAML's (yaml.YAMLError), for the caller to tell."""
    loader = make_loader()(text)
    try:
        node = loader.get_single_node()
        no_repeated_keys(node, path, set())
        return loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def no_repeated_keys(node: Any, path: Path, seen: set[int]) -> None:
    """A key given twice in one mapping is an error in Compose (its YAML parser refuses it); PyYAML
    would keep the last one silently. `<<` merge keys may be overridden: they are not counted."""
    import yaml

    if node is None or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first: dict[tuple[str, str], int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                line = key.start_mark.line + 1
                if (key.tag, key.value) in first:
                    raise UsageError(f"--from {path}: line {line}: {key.value!r} is given twice in one mapping "
                                     f"(first at line {first[key.tag, key.value]})",
                                     hint="Compose refuses this too: keep one of them")
                first[key.tag, key.value] = line
            no_repeated_keys(value, path, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            no_repeated_keys(item, path, seen)


class Reset:
    """`!reset`: the key is removed, whatever the earlier files said."""


RESET = Reset()


@dataclass(frozen=True)
class Override:
    """`!override`: the value replaces the earlier one instead of merging into it."""

    value: Any


_YAML_11_ONLY = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                 "tag:yaml.org,2002:timestamp"}  # a date is kept as written, as Compose keeps it
_YAML_12 = {  # PyYAML's own patterns less YAML 1.1's yes/no/on/off and base 60 (re.X: spaces ignored)
    "tag:yaml.org,2002:bool": r"^(?:true|True|TRUE|false|False|FALSE)$",
    "tag:yaml.org,2002:int": r"""^(?:[-+]?0b[0-1_]+ |[-+]?0o?[0-7_]+ |[-+]?(?:0|[1-9][0-9_]*)
                             |[-+]?0x[0-9a-fA-F_]+)$""",
    "tag:yaml.org,2002:float": r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
                               |\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)? |[-+]?\.(?:inf|Inf|INF) |\.(?:nan|NaN|NAN))$"""}
_FIRST = {"tag:yaml.org,2002:bool": "tTfF", "tag:yaml.org,2002:int": "-+0123456789",
          "tag:yaml.org,2002:float": "-+0123456789."}


def make_loader() -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    # Compose reads YAML as YAML 1.2 does: `no`, `yes`, `on`, `off` are strings (`restart: no`,
    # `DEBUG: yes`), `22:22` is not a base-60 number (`ports: [22:22]`) and a date is text. PyYAML
    # follows YAML 1.1.
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _YAML_11_ONLY]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    for tag, pattern in _YAML_12.items():
        Loader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(_FIRST[tag]))

    def override(loader: Any, node: Any) -> Override:
        plain = copy.copy(node)
        plain.tag = {yaml.MappingNode: "tag:yaml.org,2002:map", yaml.SequenceNode: "tag:yaml.org,2002:seq"}.get(
            type(node)) or loader.resolve(yaml.ScalarNode, node.value, (True, False))
        return Override(loader.construct_object(plain, deep=True))

    Loader.add_constructor("!reset", lambda loader, node: RESET)
    Loader.add_constructor("!override", override)
    return Loader
