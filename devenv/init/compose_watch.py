"""A Compose `develop.watch` rule as devenv `[[watch]]` rules, for `devenv init --from`
(devenv/init/compose.py converts the rest of a service). Compose's `include` and `ignore` are
patterns relative to the rule's `path` (.dockerignore syntax, a string or a list); devenv's are
globs relative to the manifest, so each is joined to the path. Pure: nothing here writes or prints.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

ACTIONS = ("sync", "rebuild", "restart", "sync+restart", "sync+exec")


def watch_rules(item: dict[str, Any], *, rel: str, root: Path, note: Callable[[str], None],
                command: Callable[[Any], Any]) -> list[dict[str, Any]]:
    """`rel`: the rule's path relative to the manifest (./web); `root`: the manifest's folder;
    `note`: records what is left out; `command`: a Compose command in devenv's spelling."""
    path = str(item.get("path", "")).rstrip("/")
    glob_base = rel[2:] if rel.startswith("./") else rel
    prefix = "" if glob_base == "." else glob_base + "/"
    include = _patterns(path, "include", item.get("include"), note)
    if include:
        # Only the files the patterns match trigger the rule (.dockerignore syntax: anchored at the
        # path; a folder's name stands for what it holds).
        paths = [glob for p in include for glob in (f"{prefix}{p}", f"{prefix}{p}/**")
                 if glob.endswith(p) or not any(c in p.rsplit("/", 1)[-1] for c in "*?[")]
    else:
        paths = [glob_base if (root / glob_base).is_file() else f"{prefix}**"]
    ignore = [glob for p in _patterns(path, "ignore", item.get("ignore"), note)
              for glob in (f"{prefix}{p}", f"{prefix}{p}/**")]
    common: dict[str, Any] = {"paths": paths}
    if ignore:
        common["ignore"] = ignore
    action = str(item.get("action", ""))
    target = item.get("target")
    rules: list[dict[str, Any]] = []
    if action.startswith("sync") and action in ACTIONS:
        if not target:
            note(f"watch {path}: {action} without a target; left out")
            return []
        rules.append({**common, "action": "sync", "target": str(target)})
        if action == "sync+restart":
            rules.append({**common, "action": "restart"})
        elif action == "sync+exec":
            spec: dict[str, Any] = item["exec"] if isinstance(item.get("exec"), dict) else {}
            extra = sorted(set(spec) - {"command"})
            if extra:
                note(f"watch {path}: exec {', '.join(extra)} not supported; the command runs as the service's "
                     "user, in its working folder and environment")
            if spec.get("command"):
                rules.append({**common, "action": "exec", "exec": command(spec["command"])})
            else:
                note(f"watch {path}: sync+exec without exec.command; only the sync is kept")
    elif action in ("rebuild", "restart"):
        rules.append({**common, "action": action})
    else:
        note(f"watch {path}: action {action!r} unknown; left out")
    if item.get("initial_sync"):
        note(f"watch {path}: initial_sync is not supported (devenv syncs on change)")
    return rules


def _patterns(path: str, key: str, value: Any, note: Callable[[str], None]) -> list[str]:
    """`include` / `ignore` (a string or a list) as patterns relative to the rule's path."""
    out = []
    for raw in value if isinstance(value, list) else [] if value is None else [value]:
        pattern = str(raw).strip().rstrip("/")
        while pattern.startswith(("./", "/")):  # .dockerignore patterns are anchored at the path anyway
            pattern = pattern[1:] if pattern.startswith("/") else pattern[2:]
        if pattern.startswith("!"):
            note(f"watch {path}: {key} exception {raw!r} is not supported; left out")
            continue
        if pattern:
            out.append(pattern)
    return out
