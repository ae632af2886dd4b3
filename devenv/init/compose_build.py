"""A Compose service's `build`, in devenv's spelling, for `devenv init --from`.

A build arg without a value (`args: [GIT_COMMIT]`): Compose passes the host's value when the
variable is set and leaves the arg unset when it is not, so the Dockerfile's `ARG NAME=default`
applies; devenv's `${NAME-default}` does the same once that default is read from the
Dockerfile. Pure: reads the Dockerfile, writes and prints nothing.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Any

from devenv.init.compose_bindings import Bindings, text_of
from devenv.init.compose_load import REMOTE_CONTEXT, env_dict

_ARG = re.compile(r"^\s*ARG\s+(.+?)\s*$", re.IGNORECASE)


def valueless_arg(name: str, dockerfile: Path) -> tuple[str, str | None]:
    """The devenv value of build arg `name`, and a note when it is not what Compose passes."""
    defaults = _defaults(dockerfile, name)
    if defaults is None:
        return f"${{{name}:-}}", (f"build arg {name} has no value: devenv passes it empty when {name} is unset, "
                                  f"where Compose leaves it unset (the Dockerfile's default; {dockerfile.name} "
                                  "was not found to read it)")
    known = {d for d in defaults if d is not None}
    if not known:
        return f"${{{name}:-}}", None  # `ARG NAME` alone: unset and empty are the same to the build
    if len(defaults) > 1 or any("$" in d or "}" in d for d in known):
        return f"${{{name}:-}}", (f"build arg {name} has no value: devenv passes it empty when {name} is unset, "
                                  "where Compose leaves the Dockerfile's default in place (its defaults there are "
                                  "not one plain value)")
    return f"${{{name}-{known.pop()}}}", None


def _defaults(dockerfile: Path, name: str) -> set[str | None] | None:
    """Every default the Dockerfile gives ARG `name` (None: declared without one); None when the
    Dockerfile cannot be read."""
    try:
        text = dockerfile.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found: set[str | None] = set()
    for line in re.sub(r"\\\r?\n", " ", text).splitlines():
        match = _ARG.match(line)
        if not match:
            continue
        try:
            words = shlex.split(match[1], comments=True)
        except ValueError:
            words = match[1].split()
        for word in words:
            key, sep, value = word.partition("=")
            if key == name:
                found.add(value if sep else None)
    return found


class BuildConversion(Bindings):
    """`build` (a context, or context, dockerfile, args, target) and the notes about the rest."""

    def build(self, name: str, value: Any) -> Any:
        spec = {"context": value} if isinstance(value, str) else value if isinstance(value, dict) else {}
        context = text_of(spec.get("context", "."))
        if REMOTE_CONTEXT.match(context):
            self.note(name, f"build context {context} is a remote repository, which devenv cannot build from; "
                            "left out")
            return None
        if context.startswith("~"):
            # devenv reads a context relative to the project; Compose expands ~ (and warns).
            self.note(name, f"build context {context} is outside the project: written as this machine's path")
            context = os.path.expanduser(context)
        if isinstance(value, str):
            return self.path(context)
        if "dockerfile_inline" in value:
            self.note(name, "build.dockerfile_inline: devenv builds from a Dockerfile in a file; left out")
            return None
        out: dict[str, Any] = {"context": self.path(context)}
        if "dockerfile" in value:
            out["dockerfile"] = text_of(value["dockerfile"])
        if value.get("args"):
            out["args"] = {str(k): self.build_arg(name, str(k), out, v) for k, v in env_dict(value["args"]).items()}
        if "target" in value:
            out["target"] = text_of(value["target"])
        for key in sorted(set(value) - {"context", "dockerfile", "args", "target", "dockerfile_inline"}):
            self.note(name, f"build.{key} is not supported by devenv; left out")
        return out

    def build_arg(self, name: str, key: str, build: dict[str, Any], value: Any) -> str:
        """A build arg; one without a value takes the host's, else the Dockerfile's default."""
        if value is not None:
            return text_of(value)
        context = build["context"]
        dockerfile = build.get("dockerfile", "Dockerfile")
        text, note = valueless_arg(key, Path(os.path.expanduser(context)) / dockerfile if context.startswith(("/", "~"))
                                   else self.root / context / dockerfile)
        if note:
            self.note(name, note)
        return text
