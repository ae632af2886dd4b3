"""`python -m bench`: devenv against Docker Compose, side by side, on this machine's engine.

    python -m bench                 the full set (hours on 2 cores, most of it at 200 services; --sizes shortens it)
    python -m bench --quick         a smoke subset (< 2 min); checks behaviour, asserts nothing about speed
    python -m bench --only cold,noop --rounds 3
    python -m bench --publish       also write docs/benchmarks.md and its chart

Exit status: 0 when every scenario ran and devenv passed its checks, 1 otherwise.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import engine, machine, report
from bench.core import Context, Measurement
from bench.scenarios import converge, tree, watch
from bench.tools import COMPOSE, COMPOSE_INIT, DEVENV, BenchError

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("cold", "noop", "changed", "down", "status", "rebuild", "watch", "tree")
QUICK_SKIPS = ("rebuild",)  # two image builds per tool: too long for the CI smoke (`--only rebuild` runs it)
CURVE = (1, 10, 50, 200)  # issue 19: curves, not only points
FULL_SIZES = {"cold": CURVE, "noop": CURVE, "changed": CURVE, "down": CURVE, "status": (200,)}
QUICK_SIZES = {"cold": (2, 4), "noop": (3, 4), "changed": (3, 4), "down": (3, 4), "status": (4,)}
SOLO_FROM = 50  # three projects of 50 services side by side were more than Docker 20.10 could run here
QUICK_SOLO_FROM = 4  # so that --quick checks the lifecycle's behaviour too

NOTES = [
    "devenv runs every container with an init as PID 1 by default (`init = true`); Compose does not. Busybox "
    "httpd as PID 1 ignores SIGTERM, so without init every Compose stop waits out the 10 s stop timeout "
    "(recreate, `down`, watch `restart`). The Compose column is Compose as users run it, with its defaults; "
    "the Compose + init column is the same manifest with `init: true` on every service, for reference.",
    "Both manifests are generated from one description (bench/describe.py): busybox httpd services with the "
    "same command and a healthcheck (`wget` every 500 ms up to 12 services; beyond, an interval that keeps the "
    "fleet at 25 checks a second: 2 s at 50, 8 s at 200) in both; no ports published in scenarios 1–4.",
    "Below the solo size (settings: `solo_from`, 50 by default) every tool's project stays up while the others "
    "are timed. From it on, a round brings one tool's project up from nothing and times cold `up`, two no-op "
    "`up`s, `status`, one changed and `down` in that order, and only then does the next tool's turn come: "
    "the engine carries one project at a time. These sizes run `solo_rounds` rounds (1 by default) without a "
    "warm-up round.",
    "Commands: cold and one-changed `devenv up --wait` vs `docker-compose up -d --wait`; no-op `devenv up` vs "
    "`docker-compose up -d`; `devenv down` vs `docker-compose down` (each tool's default stop timeout); "
    "watch: `devenv watch` vs `docker-compose watch`, started after the services are up.",
    "Watch latency runs all watchers at once and alternates the edits between them; it is measured from the "
    "file write to the first HTTP response with the new content (a new probe every 10 ms, each in its own "
    "thread, so that one held by the port proxy of a restarting container delays none after it). Compose "
    "waits for 500 ms "
    "of quiet before it acts.",
    "This machine is shared: other jobs (test suites of other sessions) ran during the run, so absolute "
    "times are noisy. The ratios come from alternating rounds of one run and are the figures to read.",
]


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="smoke subset in under two minutes; asserts no speed")
    p.add_argument("--only", help=f"comma-separated scenarios among {', '.join(SCENARIOS)}")
    p.add_argument("--sizes", help="comma-separated service counts for cold, noop, changed and down "
                                   f"(default {','.join(map(str, CURVE))}; status stays at the largest)")
    p.add_argument("--solo-from", type=int, metavar="N",
                   help="from N services on, cold/no-op/changed/status/down run with one tool's project up at a "
                        f"time (default {SOLO_FROM}; quick {QUICK_SOLO_FROM})")
    p.add_argument("--solo-rounds", type=int, metavar="N",
                   help="rounds of each lifecycle size, without warm-up (default 1: a round at 200 services "
                        "takes minutes per tool)")
    p.add_argument("--rounds", type=int, help="measured rounds per case (default 5; quick 1)")
    p.add_argument("--warmup", type=int, help="unrecorded rounds first (default 1; quick 0)")
    p.add_argument("--edits", type=int, help="edits per watch action (default 20; quick 1)")
    p.add_argument("--tree-files", type=int, help="files in the big tree (default 100000; quick 1000)")
    p.add_argument("--idle", type=float, help="seconds of idle CPU measured (default 10; quick 1)")
    p.add_argument("--no-init-variant", action="store_true", help="skip the Compose + init: true column")
    p.add_argument("--out", type=Path, help="results folder (default bench/results/<UTC timestamp>)")
    p.add_argument("--publish", action="store_true", help="also write docs/benchmarks.md and docs/benchmarks.png")
    p.add_argument("--publish-from", type=Path, metavar="RESULTS_JSON",
                   help="run nothing: re-render a finished run's results.json into docs/ (table and chart)")
    p.add_argument("--keep", action="store_true", help="keep the temporary project folders")
    p.add_argument("-v", "--verbose", action="store_true", help="print every round's figures")
    args = p.parse_args(argv)
    default = tuple(s for s in SCENARIOS if s not in QUICK_SKIPS) if args.quick else SCENARIOS
    args.scenarios = default if not args.only else tuple(s.strip() for s in args.only.split(",") if s.strip())
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        p.error(f"unknown scenario(s): {', '.join(sorted(unknown))}; choose among {', '.join(SCENARIOS)}")
    try:
        args.sizes = tuple(int(n) for n in args.sizes.split(",") if n.strip()) if args.sizes else None
    except ValueError:
        p.error(f"--sizes {args.sizes}: give service counts such as 1,10,50,200")
    if args.sizes is not None and (not args.sizes or min(args.sizes) < 1):
        p.error("--sizes: give at least one service count, each 1 or more")
    return args


def sizes_for(quick: bool, sizes: tuple[int, ...] | None) -> dict[str, tuple[int, ...]]:
    if quick or sizes is None:
        return QUICK_SIZES if quick else FULL_SIZES
    return {"cold": sizes, "noop": sizes, "changed": sizes, "down": sizes, "status": (max(sizes),)}


def run_scenarios(ctx: Context, scenarios: tuple[str, ...], results: list[Measurement],
                  sizes: dict[str, tuple[int, ...]], solo_from: int = 50) -> None:
    # Size by size, smallest first, the single-project scenarios after the first size of ten or more:
    # a run stopped early (Ctrl-C writes what is done) still has the 10-service targets.
    plan: list[tuple[str, Callable[[], list[Measurement]]]] = []
    curve = sorted({n for kind in ("cold", "noop", "changed", "down") if kind in scenarios for n in sizes[kind]})
    singles: list[tuple[str, Callable[[], list[Measurement]]]] = []
    if "rebuild" in scenarios:
        singles.append(("rebuild", lambda: [converge.rebuild(ctx)]))
    if "watch" in scenarios:
        singles.append(("watch latency", lambda: watch.watch_latency(ctx)))
    if "tree" in scenarios:
        singles.append((f"watcher on {ctx.tree_files:,} files", lambda: tree.big_tree(ctx)))
    status_sizes = set(sizes["status"]) if "status" in scenarios else set()
    for count in curve:
        if count >= solo_from:  # one tool's project up at a time (converge.lifecycle)
            kinds = tuple(k for k in ("cold", "noop", "changed", "down") if k in scenarios and count in sizes[k])
            kinds += ("status",) if count in status_sizes else ()
            status_sizes.discard(count)
            plan.append((f"lifecycle, {count}", lambda c=count, k=kinds: converge.lifecycle(ctx, c, k)))
            continue
        for kind, title, run in (("cold", "cold up", converge.cold_up), ("noop", "no-op up", converge.noop_up),
                                 ("changed", "one-changed up", converge.changed_up), ("down", "down", converge.down)):
            if kind in scenarios and count in sizes[kind]:
                plan.append((f"{title}, {count}", lambda c=count, r=run: [r(ctx, c)]))
        if count >= 10 or count == curve[-1]:
            plan.extend(singles)
            singles = []
    plan.extend(singles)
    for count in sorted(status_sizes):
        plan.append((f"status, {count}", lambda c=count: [converge.status(ctx, c)]))
    first = machine.git_commit()
    for title, step in plan:
        ctx.log(f"{title} …")
        started = time.monotonic()
        before = machine.git_commit()
        made = step()
        after = machine.git_commit()
        if (before, after) != (first, first):  # devenv under test is the working tree: say when it moved
            for m in made:
                m.notes.append(f"devenv moved during the run: this case ran from commit {before} to {after} "
                               f"(the run started at {first})")
        results.extend(made)  # kept as they come: a later failure leaves the finished ones reported
        ctx.log(f"{title}: done in {time.monotonic() - started:.0f} s")


BEGIN, END = "<!-- bench:begin (generated by python -m bench --publish) -->", "<!-- bench:end -->"


def publish(doc: dict, paths: dict[str, Path], docs: Path = ROOT / "docs") -> Path:
    """Write the run's table and chart into docs/benchmarks.md, between the generated-part markers.

    Text outside the markers (the analysis written by people) is kept as it is.
    """
    docs.mkdir(exist_ok=True)
    if "png" in paths:
        shutil.copyfile(paths["png"], docs / "benchmarks.png")
    if "curves" in paths:
        shutil.copyfile(paths["curves"], docs / "benchmarks-curves.png")
    body = report.markdown(doc, chart="benchmarks.png" if "png" in paths else None,
                           curves="benchmarks-curves.png" if "curves" in paths else None)
    body = body.replace("# devenv vs Docker Compose\n", "", 1).strip("\n")
    generated = (f"{BEGIN}\n\nMade with this command, from the repository root:\n\n"
                 f"```sh\n{doc['settings']['command']}\n```\n\n{body}\n\n{END}")
    target = docs / "benchmarks.md"
    old = target.read_text() if target.exists() else ""
    if BEGIN in old and END in old:
        text = old[:old.index(BEGIN)] + generated + old[old.index(END) + len(END):]
    else:
        text = ("# Benchmarks: devenv vs Docker Compose\n\n"
                "Made by the harness in `bench/` (see bench/README.md). The raw figures stay in `bench/results/` "
                "on the machine that ran them (not committed). Targets come from issues 3, 4 and 8; they are "
                "read here, never asserted in tests.\n\n" + generated + "\n")
    target.write_text(text)
    return target


def republish(results: Path) -> int:
    import json

    doc = json.loads(results.read_text())
    paths = report.write(doc, results.parent)
    print(f"docs: {publish(doc, paths)} from {results}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.publish_from:
        return republish(args.publish_from)
    quick = args.quick
    prefix = f"bench{uuid.uuid4().hex[:6]}"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    tools = [DEVENV, COMPOSE] + ([] if quick or args.no_init_variant else [COMPOSE_INIT])
    workdir = Path(tempfile.mkdtemp(prefix=f"devenv-{prefix}-"))
    ctx = Context(workdir=workdir, prefix=prefix, quick=quick, tools=tools, verbose=args.verbose,
                  rounds=args.rounds if args.rounds is not None else (1 if quick else 5),
                  warmup=args.warmup if args.warmup is not None else (0 if quick else 1),
                  edits=args.edits if args.edits is not None else (1 if quick else 20),
                  tree_files=args.tree_files if args.tree_files is not None else (1_000 if quick else 100_000),
                  idle_seconds=args.idle if args.idle is not None else (1.0 if quick else 10.0),
                  solo_rounds=args.solo_rounds if args.solo_rounds is not None else 1)
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    solo_from = args.solo_from if args.solo_from is not None else QUICK_SOLO_FROM if quick else SOLO_FROM
    started = time.time()
    try:
        info = machine.describe(tools)
    except Exception as exc:
        print(f"bench: cannot start: {exc}", file=sys.stderr)
        return 2
    ctx.log(f"benchmark {prefix}: {', '.join(t.name for t in tools)}; {ctx.rounds} rounds after {ctx.warmup} "
            f"warm-up; load {info['load_average_start']}")
    measurements: list[Measurement] = []
    error = None
    try:
        run_scenarios(ctx, args.scenarios, measurements, sizes_for(quick, args.sizes), solo_from)
    except (BenchError, KeyboardInterrupt) as exc:
        error = exc if isinstance(exc, BenchError) else "interrupted"
        ctx.log(f"stopped: {error}")
    finally:
        left = engine.sweep(prefix)
        if left:
            ctx.log(f"removed {left} container(s) the tools left behind")
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    info["load_average_end"] = machine.load_average()
    info["load_average_peak"] = max(ctx.loads, default=None)
    settings = {"command": command.strip(), "quick": quick, "rounds": ctx.rounds, "warmup": ctx.warmup,
                "edits": ctx.edits, "tree_files": ctx.tree_files, "idle_seconds": ctx.idle_seconds,
                "scenarios": list(args.scenarios), "sizes": sizes_for(quick, args.sizes),
                "tools": [t.name for t in tools], "solo_from": solo_from, "solo_rounds": ctx.solo_rounds,
                "started": datetime.fromtimestamp(started, UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
                "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
                "duration_s": time.time() - started, "error": str(error) if error else None}
    notes = list(NOTES)
    if error:
        notes.insert(0, f"The run stopped early: {error}")
    doc = report.run_document(measurements=measurements, machine=info, settings=settings, notes=notes)
    out = args.out or ROOT / "bench" / "results" / stamp
    paths = report.write(doc, out)
    if args.publish and not error:
        publish(doc, paths)
    print(report.markdown_table(doc))
    ctx.log(f"results: {', '.join(str(p) for p in paths.values())} ({settings['duration_s']:.0f} s)")
    devenv_failed = any(m.failures.get("devenv") for m in measurements)
    return 1 if error or devenv_failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
