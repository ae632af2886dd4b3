"""A tool's watch mode run in the background, its output followed line by line."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path

from bench.tools import ENV, BenchError, Tool

READY = {"devenv": "devenv: watching", "compose": "Watch enabled"}


class Watcher:
    """`devenv watch` or `docker-compose watch`, started in `folder`; stop() ends it with Ctrl-C."""

    def __init__(self, tool: Tool, folder: Path):
        self.tool = tool
        self.folder = folder
        self.lines: list[tuple[float, str]] = []
        self._cond = threading.Condition()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(tool.watch(), cwd=folder, env=ENV, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                                     start_new_session=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_ready(self, timeout: float = 180) -> float:
        """Seconds from launch to the tool's "watching" line."""
        marker = READY[self.tool.kind]
        deadline = time.perf_counter() + timeout
        with self._cond:
            while True:
                for stamp, line in self.lines:
                    if marker in line:
                        return stamp - self.started
                if self.proc.poll() is not None and not self._reader.is_alive():
                    raise BenchError(f"{self.tool.name} watch exited {self.proc.returncode}:\n{self.tail()}")
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise BenchError(f"{self.tool.name} watch printed no {marker!r} in {timeout:g}s:\n{self.tail()}")
                self._cond.wait(min(left, 0.5))

    def tail(self, n: int = 15) -> str:
        return "\n".join(line for _, line in self.lines[-n:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._reader.join(timeout=5)
