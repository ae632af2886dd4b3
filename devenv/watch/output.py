"""What watch mode prints: fixed marker lines, one line per action, `devenv: error: …`, or one
JSON object per line with --json; and the muting of the converger's own progress lines."""

from __future__ import annotations

import contextlib
import threading
import time

from devenv import ui
from devenv.watch.rules import Change, describe

_mute_lock = threading.Lock()
_mute_depth = 0
_mute_saved = False


@contextlib.contextmanager
def muted():
    """The converger's own progress lines become detail: shown with -v, else one line per action.
    Nests across worker threads: the first in saves --quiet, the last out restores it."""
    global _mute_depth, _mute_saved
    if ui.settings.verbose:
        yield
        return
    with _mute_lock:
        if _mute_depth == 0:
            _mute_saved, ui.settings.quiet = ui.settings.quiet, True
        _mute_depth += 1
    try:
        yield
    finally:
        with _mute_lock:
            _mute_depth -= 1
            if _mute_depth == 0:
                ui.settings.quiet = _mute_saved


class Output:
    """The watch loop's lines: fixed markers, one line per action, `devenv: error: …`; or one
    JSON object per line with --json."""

    def __init__(self, *, as_json: bool):
        self.as_json = as_json
        self.width = 8

    def marker(self, name: str, **fields) -> None:
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
        if self.as_json:
            ui.event(event="error", time=_now(), service=service, message=message, hint=hint, details=details)
        else:
            ui.error(message, hint=hint, details=details)


def _now() -> str:
    return time.strftime("%H:%M:%S")
