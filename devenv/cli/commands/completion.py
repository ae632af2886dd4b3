"""`devenv completion [bash|zsh|fish]`: the script that makes a shell complete devenv's commands,
options and service names (read from the manifest of the folder you are in, or of -C/-f)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from devenv import ui
from devenv.errors import UsageError

if TYPE_CHECKING:
    import click

COMPLETE_VAR = "_DEVENV_COMPLETE"


def run_completion(cli: click.Command, shell: str | None) -> int:
    from click.shell_completion import get_completion_class

    shell = shell or os.path.basename(os.environ.get("SHELL", ""))
    cls = get_completion_class(shell) if shell else None
    if cls is None:
        raise UsageError(f"cannot tell which shell to complete for ({shell or 'no $SHELL'})",
                         hint="name it: `devenv completion bash`, `zsh` or `fish`")
    ui.out(cls(cli, {}, "devenv", COMPLETE_VAR).source().rstrip("\n"))
    return 0
