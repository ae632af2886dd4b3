"""Shared test helpers: a project made from a dict of files, and a devenv runner."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# No test may depend on the machine's load: hypothesis' per-example deadline (200 ms) fails
# property tests on a busy 2-core machine, so it is off; the number of examples stays bounded.
settings.register_profile("devenv", deadline=None)
settings.load_profile("devenv")

CLOCK_AHEAD_SHIM = Path(__file__).parent / "clock_ahead"

# A suite started in the background by a non-interactive shell (`nohup … &`, some CI runners)
# inherits SIGINT ignored, and every devenv it starts would too: CPython keeps an ignored SIGINT.
# The tests that stop `watch` or `logs -f` with Ctrl-C need it delivered. A handler, unlike an
# ignored signal, is not inherited across exec, so the children start with the default.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_configure(config: pytest.Config) -> None:
    """Under `faketime` (the suite must pass with the clock a year ahead), run again with the
    monotonic clock left real. libfaketime 0.9.10 shifts it too, and a thread's timed wait
    (`Event.wait(t)`, `queue.get(timeout=t)`) then never ends: Python waits with
    `sem_clockwait` on a monotonic deadline the kernel reaches only a year later. The monotonic
    clock counts from boot, not from a date, so leaving it real tests nothing less."""
    if "faketime" not in os.environ.get("LD_PRELOAD", ""):
        return
    shim = str(CLOCK_AHEAD_SHIM)
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC") == "1" and shim in paths:
        return
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        capture.stop_global_capturing()  # the new process writes to the terminal, not to pytest's capture
    env = {**os.environ, "FAKETIME_DONT_FAKE_MONOTONIC": "1",
           "PYTHONPATH": os.pathsep.join([shim, *(p for p in paths if p)])}
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)


BUSYBOX = "devenv-test/busybox:1"
PYTHON = "devenv-test/python:3"
REGISTRY = "localhost:5000"


def write_files(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


@pytest.fixture
def make_project(tmp_path):
    """make_project({"devenv.toml": "...", "src/app.py": "..."}) → the project's folder."""

    def make(files: dict[str, str], name: str = "proj") -> Path:
        return write_files(tmp_path / name, files)

    return make


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


def run_devenv(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300,
               input: str | None = None) -> Result:
    """Run devenv as a user would: a separate process, its real exit code and output."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "devenv", *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout, input=input if input is not None else "")
    return Result(proc.returncode, proc.stdout, proc.stderr)


def run_on_a_terminal(*args: str, cwd: Path, env: dict | None = None, timeout: float = 120) -> tuple[int, str]:
    """devenv with a pseudo-terminal as its stdout and stderr, as a person (or VS Code's task
    terminal) runs it: its exit code and everything it drew."""
    import pty

    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "devenv", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=terminal, stderr=terminal, env=env if env is not None else dict(os.environ))
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the process closed its side
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return proc.wait(timeout=timeout), b"".join(chunks).decode(errors="replace")


@pytest.fixture
def devenv():
    return run_devenv


@pytest.fixture
def unique_name():
    """A project name no other test (or parallel run) uses."""
    return f"t{uuid.uuid4().hex[:8]}"
