"""What watch mode prints: fixed marker lines, one line per action, `devenv: error: …`, or one
JSON object per line with --json. (The converger's own steps reach it as detail, through the
session's reporter: see devenv.report.AsDetail.)"""

from __future__ import annotations

import time

from devenv import ui
from devenv.watch.rules import Change, describe


class Output:
    """The watch loop's lines: fixed markers, one line per action, `devenv: error: …`; or one
    JSON object per line with --json."""

    def __init__(self, *, as_json: bool):
        self.as_json = as_json
        self.width = 8

    def marker(self, name: str, **fields: object) -> None:
        if self.as_json:
            ui.event(event=name.replace(" ", "_"), time=_now(), **fields)
        else:
            ui.out(f"devenv: {name}")

    def action(self, service: str, action: str, changes: list[Change], seconds: float, why: str = "") -> None:
        detail = describe(changes) + why
        if self.as_json:
            ui.event(event="action", time=_now(), service=service, action=action, detail=detail,
                     files=[c.path for c in changes], seconds=round(seconds, 3))
        else:
            ui.out(f"{_now()} {service.ljust(self.width)}  {action}  ({detail})  {seconds:.2f}s")

    def error(self, message: str, *, service: str | None = None, hint: str | None = None,
              details: str | None = None) -> None:
        if hint:  # the converge's hints speak to a one-off `up`; under watch, the next save retries
            hint = hint.replace("run `devenv up` again", "save again (the watch retries on the next change)")
        if self.as_json:
            ui.event(event="error", time=_now(), service=service, message=message, hint=hint, details=details)
        else:
            ui.error(message, hint=hint, details=details)


def _now() -> str:
    return time.strftime("%H:%M:%S")
