"""Scenario 6: the watcher on a big tree (100,000 files, 95% of them under node_modules).

Both tools watch the whole project folder with a `sync` rule and are told to ignore
node_modules (Compose's own docs recommend that `ignore`; devenv ignores it by default and
gets the same rule written out). The services are up before the watcher starts, so the time
to start is each tool's no-op `up` plus setting up its watches.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench import procs
from bench.core import Context, Measurement, alternate
from bench.describe import Project, Service, Watch
from bench.tools import Tool
from bench.watcher import Watcher

FAR_BELOW = (0.5, "≤ 0.5× (far below)")
FILES_PER_DIR = 20
SRC_SHARE = 0.05


def make_tree(root: Path, files: int) -> dict:
    """node_modules/pkgNNNN/{lib,dist,…}/fileK.js for 95% of `files`, src/dNNN/fileK.py for the rest."""
    src_files = max(1, int(files * SRC_SHARE))
    nm_files = files - src_files
    marker = root / f".tree-{files}"
    dirs = 0
    if not marker.exists():
        for i in range(nm_files):
            package, rest = divmod(i, FILES_PER_DIR * 5)
            sub, k = divmod(rest, FILES_PER_DIR)
            folder = root / "node_modules" / f"pkg{package:04d}" / ("lib", "dist", "src", "types", "esm")[sub]
            if k == 0:
                folder.mkdir(parents=True, exist_ok=True)
            (folder / f"file{k}.js").write_text("module.exports = 1;\n")
        for i in range(src_files):
            d, k = divmod(i, FILES_PER_DIR)
            folder = root / "src" / f"d{d:03d}"
            if k == 0:
                folder.mkdir(parents=True, exist_ok=True)
            (folder / f"file{k}.py").write_text("x = 1\n")
        marker.touch()
    dirs = sum(1 for p in root.rglob("*") if p.is_dir())
    return {"files": files, "node_modules_files": nm_files, "src_files": src_files, "dirs": dirs,
            "src_dirs": sum(1 for p in (root / "src").rglob("*") if p.is_dir()) + 1}


def tree_project(name: str) -> Project:
    return Project(name=name, services=(
        Service(name="app", watch=(Watch(folder="", action="sync", target="/app", ignore=("node_modules",)),)),
    ))


def big_tree(ctx: Context) -> list[Measurement]:
    tools = [t for t in ctx.tools if t.kind == "compose" or t.has_watch()]
    tools = [t for t in tools if t.name != "compose-init"]  # init changes nothing in a watcher
    case = f"{ctx.tree_files:,} files"
    ms = {
        "start": Measurement(key="tree/start", scenario="6. watcher, big tree", case=case,
                             metric="time to start", unit="s", target=FAR_BELOW[0], target_label=FAR_BELOW[1]),
        "watches": Measurement(key="tree/watches", scenario="6. watcher, big tree", case=case,
                               metric="inotify watches", unit="count", target=FAR_BELOW[0],
                               target_label=FAR_BELOW[1]),
        "cpu": Measurement(key="tree/cpu", scenario="6. watcher, big tree", case=case,
                           metric=f"idle CPU over {ctx.idle_seconds:g} s", unit="%", target=FAR_BELOW[0],
                           target_label=FAR_BELOW[1]),
        "rss": Measurement(key="tree/rss", scenario="6. watcher, big tree", case=case, metric="RSS", unit="MB",
                           target=FAR_BELOW[0], target_label=FAR_BELOW[1]),
    }
    for tool in ctx.tools:
        if tool.kind == "devenv" and tool not in tools:
            for m in ms.values():
                m.unavailable[tool.name] = "no `watch` command in this devenv yet"
    if not tools:
        return list(ms.values())
    folders = {}
    for tool in tools:
        folder = ctx.folder("tree", tool)
        ctx.log(f"  making a tree of {ctx.tree_files:,} files in {folder}")
        shape = make_tree(folder, ctx.tree_files)
        tool.write(folder, tree_project(ctx.project("tree", tool)))
        tool.run(tool.up(wait=True), folder)
        folders[tool.name] = folder
    ms["watches"].notes.append(f"tree: {shape['dirs']:,} folders, {shape['src_dirs']:,} of them outside "
                               "node_modules (a watcher that skips node_modules needs about that many watches)")
    readings: dict[str, dict] = {}

    def body(tool: Tool, _round: int) -> float:
        watcher = Watcher(tool, folders[tool.name])
        try:
            start = watcher.wait_ready()
            time.sleep(1.0)  # let late watch set-up finish
            pids = procs.tree(watcher.pid)
            watches = procs.inotify_watches(pids)
            cpu_before, wall_before = procs.cpu_seconds(pids), time.perf_counter()
            time.sleep(ctx.idle_seconds)
            pids = procs.tree(watcher.pid)
            cpu = (procs.cpu_seconds(pids) - cpu_before) / (time.perf_counter() - wall_before) * 100
            rss = procs.rss_bytes(pids) / 2**20
            readings[tool.name] = {"watches": watches, "cpu": cpu, "rss": rss}
        finally:
            watcher.stop()
        return start

    try:
        rounds = 1 if ctx.quick else max(2, min(ctx.rounds, 3))

        def record(tool: Tool, round_: int) -> float:
            start = body(tool, round_)
            for key in ("watches", "cpu", "rss"):
                ms[key].add(tool.name, readings[tool.name][key])
            return start

        # No warm-up: a watcher's first start on a tree is the one a user sees.
        alternate(ctx, tools, record, ms["start"], rounds=rounds, warmup=0)
    finally:
        for tool in tools:
            try:
                tool.run(tool.down(timeout=0), folders.get(tool.name, ctx.folder("tree", tool)))
            except Exception as exc:
                ctx.log(f"  cleanup failed: {exc}")
    return list(ms.values())
