"""The tools under test, driven as a user drives them: their own CLI, in a separate process.

`Tool` hides the differences of spelling (`devenv up --wait` vs `docker-compose up -d --wait`)
and of labels; everything else in the harness is tool-agnostic.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.describe import Project


class BenchError(RuntimeError):
    """A tool failed where the benchmark needed it to succeed."""


def _binary(name: str) -> str:
    """The tool beside this interpreter (the venv), else on PATH. A missing one is only an error
    when a benchmark runs it (see `run`): building argv needs no Compose installed."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    return shutil.which(name) or name


def run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(argv, **kwargs)
    except FileNotFoundError:
        raise BenchError(f"{argv[0]} not found (install the bench extra: pip install -e '.[bench]')") from None


ENV = {**os.environ, "NO_COLOR": "1"}


@dataclass(frozen=True)
class Tool:
    """One column of the table: a tool and the manifest flavour it gets."""

    name: str  # "devenv" | "compose" | "compose-init"
    kind: str  # "devenv" | "compose"
    init: bool = False  # compose only: add `init: true` (devenv has it by default)

    @property
    def manifest_name(self) -> str:
        return "devenv.toml" if self.kind == "devenv" else "compose.yaml"

    @property
    def project_label(self) -> str:
        return "dev.devenv.project" if self.kind == "devenv" else "com.docker.compose.project"

    @property
    def service_label(self) -> str:
        return "dev.devenv.service" if self.kind == "devenv" else "com.docker.compose.service"

    def write(self, folder: Path, project: Project) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        text = project.devenv_toml() if self.kind == "devenv" else project.compose_file(init=self.init)
        path = folder / self.manifest_name
        path.write_text(text)
        for relative, content in project.files:
            (folder / relative).write_text(content)
        return path

    def argv(self, *args: str) -> list[str]:
        if self.kind == "devenv":
            return [_binary("devenv"), *args]
        return [_binary("docker-compose"), "-f", self.manifest_name, *args]

    # The commands, as a user types them.
    def up(self, *, wait: bool = True, build: bool = False) -> list[str]:
        """`build`: Compose needs `--build` to notice a changed Dockerfile; devenv rebuilds on its own
        when the build context's hash changes."""
        if self.kind == "devenv":
            return self.argv("up", *(["--wait"] if wait else []))
        return self.argv("up", "-d", *(["--wait"] if wait else []), *(["--build"] if build else []))

    def status(self) -> list[str]:
        return self.argv("status") if self.kind == "devenv" else self.argv("ps", "-a")

    def down(self, *, timeout: float | None = None) -> list[str]:
        extra = ["-t", f"{timeout:g}"] if timeout is not None else []
        return self.argv("down", "--volumes", *extra)

    def watch(self) -> list[str]:
        return self.argv("watch")

    def run(self, argv: list[str], folder: Path, *, timeout: float = 600) -> float:
        """Run one command in `folder`; return its wall time in seconds, or raise with its output."""
        return self.run_output(argv, folder, timeout=timeout)[0]

    def run_output(self, argv: list[str], folder: Path, *, timeout: float = 600) -> tuple[float, str]:
        """Like `run`, and also return the command's standard output."""
        started = time.perf_counter()
        proc = run(argv, cwd=folder, env=ENV, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise BenchError(f"{self.name}: `{' '.join(argv[1:])}` exited {proc.returncode} in {folder}:\n{tail}")
        return elapsed, proc.stdout

    def clean(self, folder: Path) -> None:
        """Untimed clean-up: `down -t 0`, tried twice (the engine can race on "network has active
        endpoints" right after the containers went); the run's sweeper catches what is left."""
        try:
            self.run(self.down(timeout=0), folder)
        except BenchError:
            time.sleep(1.0)
            self.run(self.down(timeout=0), folder)

    def version(self) -> str:
        argv = self.argv("--version") if self.kind == "devenv" else [_binary("docker-compose"), "version", "--short"]
        proc = run(argv, env=ENV, capture_output=True, text=True, timeout=60)
        text = proc.stdout.strip() or proc.stderr.strip()
        return text.split()[-1] if text else "unknown"  # "devenv, version 0.1.0" → "0.1.0"

    def has_watch(self) -> bool:
        proc = run(self.argv("watch", "--help"), env=ENV, capture_output=True, text=True, timeout=60,
                              cwd=Path.cwd())
        return proc.returncode == 0


DEVENV = Tool("devenv", "devenv")
COMPOSE = Tool("compose", "compose")
COMPOSE_INIT = Tool("compose-init", "compose", init=True)
