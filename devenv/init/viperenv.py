"""The env-format config file a Go app reads through viper (`SetConfigName("app")` with
`SetConfigType("env")`, or `SetConfigFile("app.env")`): it holds the app's settings as an env
example does, and `AutomaticEnv` lets the environment override them. Pure reads.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from devenv.init.processes import read

_SKIP = {"vendor", "node_modules", ".git", "testdata", "docs", "frontend", "web", "ui"}
_TYPE_ENV = re.compile(r'SetConfigType\(\s*"(?:env|dotenv)"\s*\)')
_NAME = re.compile(r'SetConfigName\(\s*"([\w.-]+)"\s*\)')
_FILE = re.compile(r'SetConfigFile\(\s*"(?:\./)?([\w.-]*\.env)"\s*\)')


def go_files(folder: Path, limit: int = 400) -> list[Path]:
    found: list[Path] = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP and not d.startswith("."))
        found += [Path(current) / f for f in sorted(files) if f.endswith(".go") and not f.endswith("_test.go")]
        if len(found) >= limit:
            break
    return found


def viper_env_file(folder: Path) -> Path | None:
    """The env file viper loads from the app's folder, when the code names one that exists."""
    if not (folder / "go.mod").is_file():
        return None
    for path in go_files(folder):
        text = read(path)
        if "viper" not in text:
            continue
        names = [f"{n}.env" for n in _NAME.findall(text)] if _TYPE_ENV.search(text) else []
        for name in [*_FILE.findall(text), *names]:
            if (folder / name).is_file():
                return folder / name
    return None
