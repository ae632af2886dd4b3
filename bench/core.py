"""The harness's core types: a run's context, one measurement, and the alternating runner."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.tools import Tool


@dataclass
class Measurement:
    """One row of the table: the samples of each tool for one scenario case and metric."""

    key: str  # stable id, e.g. "cold-up/10"
    scenario: str  # "1. cold up"
    case: str  # "10 services"
    metric: str = "wall time"
    unit: str = "s"  # s | count | % | MB
    samples: dict[str, list[float]] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)  # tool → failed checks
    checked: str = ""  # what was checked, e.g. "only s05 recreated"
    target: float | None = None  # devenv/Compose ratio to stay at or below
    target_label: str = ""
    abs_target: float | None = None  # devenv's own median to stay at or below (issue 19's `status`)
    notes: list[str] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)  # tool → why it has no samples

    def add(self, tool: str, value: float) -> None:
        self.samples.setdefault(tool, []).append(value)

    def fail(self, tool: str, message: str) -> None:
        self.failures.setdefault(tool, []).append(message)


@dataclass
class Context:
    workdir: Path
    prefix: str  # every project name starts with it; the sweeper keys on it
    rounds: int
    warmup: int
    quick: bool
    tools: list[Tool]
    edits: int = 20
    tree_files: int = 100_000
    idle_seconds: float = 10.0
    solo_rounds: int = 1  # rounds of a lifecycle size (scenarios/converge.lifecycle), no warm-up
    verbose: bool = False
    loads: list[float] = field(default_factory=list)  # 1-min load average, sampled every round

    def folder(self, tag: str, tool: Tool) -> Path:
        return self.workdir / tag / tool.name

    def project(self, tag: str, tool: Tool) -> str:
        return f"{self.prefix}-{tag}-{tool.name}"

    def sample_load(self) -> None:
        try:
            self.loads.append(round(os.getloadavg()[0], 2))
        except OSError:
            pass

    def log(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def in_parallel(jobs: Sequence[Callable[[], object]]) -> list[object]:
    """Run untimed set-up or clean-up steps of several tools at once; re-raise the first failure."""
    from concurrent.futures import ThreadPoolExecutor

    if not jobs:
        return []
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(job) for job in jobs]
    return [f.result() for f in futures]


def alternate(ctx: Context, tools: Sequence[Tool], body: Callable[[Tool, int], float | None],
              measurement: Measurement, *, rounds: int | None = None, warmup: int | None = None) -> None:
    """Run `body(tool, round)` for every tool, round after round, reversing the order each round.

    Warm-up rounds run but are not recorded. A body returning None records nothing.
    """
    rounds = ctx.rounds if rounds is None else rounds
    warmup = ctx.warmup if warmup is None else warmup
    for r in range(warmup + rounds):
        order = list(tools) if r % 2 == 0 else list(tools)[::-1]
        ctx.sample_load()
        values = {}
        for tool in order:
            values[tool.name] = value = body(tool, r)
            if r >= warmup and value is not None:
                measurement.add(tool.name, value)
        if ctx.verbose:
            ctx.log(f"  {measurement.key} round {r + 1}/{warmup + rounds}{' (warm-up)' if r < warmup else ''}: "
                    + ", ".join(f"{name}={value:.3f}" if value is not None else f"{name}=–"
                                for name, value in values.items()))
