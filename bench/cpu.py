"""`python -m bench.cpu N FOLDER COMMAND…`: the CPU time (user + system, the command and its
children) and wall time of a command run N times in FOLDER; medians.

CPU time does not depend on how loaded the machine is, so it compares two tools fairly on a
busy machine where wall times do not (docs/performance.md).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time


def measure(argv: list[str], folder: str, runs: int) -> tuple[list[float], list[float]]:
    cpus, walls = [], []
    for _ in range(runs):
        before = os.times()
        started = time.perf_counter()
        subprocess.run(argv, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        walls.append(time.perf_counter() - started)
        after = os.times()
        cpus.append(after.children_user - before.children_user + after.children_system - before.children_system)
    return cpus, walls


def main(args: list[str]) -> int:
    if len(args) < 3 or not args[0].isdigit():
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        return 2
    cpus, walls = measure(args[2:], args[1], int(args[0]))
    print(f"{' '.join(args[2:])}: CPU median {statistics.median(cpus) * 1000:.0f} ms "
          f"(min {min(cpus) * 1000:.0f}), wall median {statistics.median(walls) * 1000:.0f} ms, {len(cpus)} runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
