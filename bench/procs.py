"""A process tree's footprint read from /proc (Linux): inotify watches, RSS and CPU time."""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants that are still alive."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in (PROC / str(current) / "task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    return found


def inotify_watches(pids: list[int]) -> int:
    """Inotify watches held by these processes: one `inotify wd:` line per watch in fdinfo."""
    total = 0
    for pid in pids:
        fd_dir = PROC / str(pid) / "fd"
        try:
            fds = list(fd_dir.iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(fd) != "anon_inode:inotify":
                    continue
                text = (PROC / str(pid) / "fdinfo" / fd.name).read_text()
            except OSError:
                continue
            total += sum(1 for line in text.splitlines() if line.startswith("inotify wd:"))
    return total


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in (PROC / str(pid) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (their reaped children not included)."""
    total = 0
    for pid in pids:
        try:
            stat = (PROC / str(pid) / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the stat line)
    return total / CLK_TCK
