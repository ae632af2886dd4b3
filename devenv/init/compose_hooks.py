"""Compose's `pre_start` steps as devenv `provision` steps, for `devenv init --from`
(devenv/init/compose.py converts the rest of a service). Both run commands to completion, in
order, in a one-off container of the service before it starts, and stop at the first failure.
A step in another image, or as another user, has no devenv twin: then none is carried over, as
the steps that remain could depend on it. Pure: nothing here writes or prints.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

# A step's keys that devenv's provision has no twin for: it runs once, as the service does.
_OTHER = ("image", "user", "privileged", "working_dir", "environment", "per_replica")


def provision_steps(value: Any, note: Callable[[str], None]) -> list[str]:
    """The shell lines of devenv's `provision` for a `pre_start` list, or none (with a note)."""
    steps = value if isinstance(value, list) else []
    reasons = []
    for number, step in enumerate(steps, 1):
        spec = step if isinstance(step, dict) else {}
        other = [key for key in _OTHER if spec.get(key) not in (None, False, "", [], {})]
        if other:
            reasons.append(f"step {number} sets {', '.join(other)}")
        if not spec.get("command"):
            reasons.append(f"step {number} has no command (it runs the image's own)")
    if reasons or not steps:
        note("pre_start is not carried over: devenv's `provision` steps are shell commands run in a one-off "
             f"container of the service itself ({'; '.join(reasons) or 'no steps'}); left out")
        return []
    note("pre_start: its steps are `provision` steps, run by sh rather than the image's entrypoint, and "
         "again when they change")
    return [shlex.join(_argv(step["command"])) for step in steps]


def _argv(command: Any) -> list[str]:
    """The arguments Compose runs: a string is split as a shell would, not run by one."""
    if isinstance(command, list):
        return [str(part) for part in command]
    try:
        return shlex.split(str(command))
    except ValueError:
        return ["sh", "-c", str(command)]
