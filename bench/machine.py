"""What the numbers were measured on: machine, load, engine and tool versions."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

from bench import engine
from bench.tools import Tool


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10,
                             cwd=Path(__file__).resolve().parent)
        return out.stdout.strip() or None
    except OSError:
        return None


def _devenv_dirty() -> bool | None:
    """True when devenv/ has uncommitted changes: the figures are then of a working tree, not a commit."""
    try:
        out = subprocess.run(["git", "status", "--porcelain", "--", "devenv"], capture_output=True, text=True,
                             timeout=10, cwd=Path(__file__).resolve().parent.parent)
        return bool(out.stdout.strip()) if out.returncode == 0 else None
    except OSError:
        return None


def compile_devenv(folder: Path | None = None) -> str:
    """Write the bytecode of the devenv under test, as pip does when it installs a wheel, and say
    how it stands. Without it, on a machine that sets PYTHONDONTWRITEBYTECODE (these do) an
    editable install compiles every module it imports from source on every command, which no
    installed devenv does."""
    import compileall

    if folder is None:
        import devenv

        folder = Path(devenv.__file__).resolve().parent
    ok = compileall.compile_dir(str(folder), quiet=1)
    return f"compiled before the run ({folder})" if ok else f"compiling {folder} failed: measured from source"


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def describe(tools: list[Tool]) -> dict:
    versions = {}
    for tool in tools:
        if tool.kind not in versions:
            versions[tool.kind] = tool.version()
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "engine": engine.engine_version(),
        "tools": versions,
        "devenv_commit": git_commit(),
        "devenv_uncommitted_changes": _devenv_dirty(),
        "devenv_bytecode": compile_devenv(),
        "inotify_max_user_watches": _read_int("/proc/sys/fs/inotify/max_user_watches"),
        "load_average_start": load_average(),
    }


def _read_int(path: str) -> int | None:
    try:
        return int(Path(path).read_text().strip())
    except (OSError, ValueError):
        return None
