"""Scenarios 1–4 and 7–8: cold `up`, no-op `up`, `up` after one changed service, `down`,
`status`, and `up` after one changed Dockerfile line.

Targets are issue 19's: at 10 services each figure has its own, at 200 every one is ≤ 0.5×;
other sizes are drawn on the curves without a target.
"""

from __future__ import annotations

from pathlib import Path

from bench import engine
from bench.core import Context, Measurement, alternate, in_parallel
from bench.describe import build_project, httpd_fleet, service_name
from bench.tools import BenchError, Tool

LARGE = (200, 0.5, "≤ 0.5×")
TARGETS: dict[str, dict[int, tuple[float, str]]] = {
    "cold": {10: (0.6, "≤ 0.6×")},
    "noop": {10: (1.0, "≤ 1.0×")},
    "changed": {10: (0.8, "≤ 0.8×")},
    "down": {10: (0.8, "≤ 0.8×")},
}
STATUS_TARGET_S = (0.2, "≤ 0.2 s (devenv alone)")
REBUILD_TARGET = (1.0, "≤ 1.0×")


def target(kind: str, count: int) -> tuple[float | None, str]:
    """The issue's target for one case, or (None, "") where the curve has none."""
    if count == LARGE[0]:
        return LARGE[1], LARGE[2]
    return TARGETS[kind].get(count, (None, ""))


def _services(count: int) -> str:
    return f"{count} service{'s' * (count > 1)}"


def _setup(ctx: Context, tag: str, count: int, tools: list[Tool], **fleet) -> dict:
    made = {}
    for tool in tools:
        folder = ctx.folder(tag, tool)
        name = ctx.project(tag, tool)
        tool.write(folder, httpd_fleet(name, count, **fleet))
        made[tool.name] = (folder, name)
    return made


def _teardown(ctx: Context, tools: list[Tool], made: dict) -> None:
    def down(tool: Tool) -> None:
        folder, _ = made[tool.name]
        try:
            tool.clean(folder)
        except Exception as exc:
            ctx.log(f"  cleanup of {folder} failed: {exc}")

    in_parallel([lambda t=tool: down(t) for tool in tools])


def _up_all(tools: list[Tool], made: dict) -> None:
    """Untimed set-up: every tool's project up at once."""
    in_parallel([lambda t=tool: t.run(t.up(wait=True), made[t.name][0]) for tool in tools])


def _expect_count(m: Measurement, tool: Tool, project: str, count: int) -> None:
    ids = engine.container_ids(tool, project)
    if len(ids) != count:
        m.fail(tool.name, f"{len(ids)} containers after up, expected {count}")


def cold_up(ctx: Context, count: int) -> Measurement:
    """Time `up --wait` from nothing (image present) to every service healthy."""
    tools = ctx.tools
    tag = f"cold{count}"
    goal, label = target("cold", count)
    m = Measurement(key=f"cold-up/{count}", scenario="1. cold up", case=_services(count),
                    target=goal, target_label=label, checked="all services healthy")
    made = _setup(ctx, tag, count, tools)

    def body(tool: Tool, _round: int) -> float:
        folder, name = made[tool.name]
        elapsed = tool.run(tool.up(wait=True), folder)
        _expect_count(m, tool, name, count)
        tool.clean(folder)  # untimed: back to cold
        return elapsed

    try:
        alternate(ctx, tools, body, m)
    finally:
        _teardown(ctx, tools, made)
    return m


def noop_up(ctx: Context, count: int) -> Measurement:
    """Time a plain detached `up` when everything is already up to date."""
    tools = ctx.tools
    tag = f"noop{count}"
    goal, label = target("noop", count)
    m = Measurement(key=f"noop-up/{count}", scenario="2. no-op up", case=_services(count),
                    target=goal, target_label=label, checked="no container ID changed")
    made = _setup(ctx, tag, count, tools)
    try:
        _up_all(tools, made)

        def body(tool: Tool, _round: int) -> float:
            folder, name = made[tool.name]
            before = engine.container_ids(tool, name)
            elapsed = tool.run(tool.up(wait=False), folder)
            if engine.container_ids(tool, name) != before:
                m.fail(tool.name, "a no-op up changed container IDs")
            return elapsed

        alternate(ctx, tools, body, m, rounds=ctx.rounds * 2)
    finally:
        _teardown(ctx, tools, made)
    return m


def changed_up(ctx: Context, count: int) -> Measurement:
    """Change one service's env, time `up --wait`, and check that only it got a new container."""
    tools = ctx.tools
    tag = f"changed{count}"
    changed = service_name((count + 1) // 2)
    goal, label = target("changed", count)
    m = Measurement(key=f"changed-up/{count}", scenario="3. one changed up",
                    case=f"1 of {_services(count)} (env)", target=goal, target_label=label,
                    checked=f"only {changed} recreated")
    made = _setup(ctx, tag, count, tools, changed=changed, revision=0)
    try:
        _up_all(tools, made)

        def body(tool: Tool, round_: int) -> float:
            folder, name = made[tool.name]
            tool.write(folder, httpd_fleet(name, count, changed=changed, revision=round_ + 1))
            before = engine.container_ids(tool, name)
            elapsed = tool.run(tool.up(wait=True), folder)
            after = engine.container_ids(tool, name)
            recreated = sorted(s for s in set(before) | set(after) if before.get(s) != after.get(s))
            if recreated != [changed]:
                m.fail(tool.name, f"round {round_ + 1}: recreated {recreated or 'nothing'}, expected [{changed}]")
            return elapsed

        alternate(ctx, tools, body, m)
    finally:
        _teardown(ctx, tools, made)
    return m


def down(ctx: Context, count: int) -> Measurement:
    """Time a plain `down` (each tool's default stop timeout) of `count` running services."""
    tools = ctx.tools
    tag = f"down{count}"
    goal, label = target("down", count)
    m = Measurement(key=f"down/{count}", scenario="4. down", case=_services(count), target=goal,
                    target_label=label, checked="no container left")
    made = _setup(ctx, tag, count, tools)

    def body(tool: Tool, _round: int) -> float:
        folder, name = made[tool.name]
        tool.run(tool.up(wait=True), folder)  # untimed
        elapsed = tool.run(tool.argv("down"), folder)
        if engine.container_ids(tool, name):
            m.fail(tool.name, "containers left after down")
        return elapsed

    try:
        alternate(ctx, tools, body, m)
    finally:
        _teardown(ctx, tools, made)
    return m


def status(ctx: Context, count: int) -> Measurement:
    """Time `devenv status` against `docker-compose ps -a` with every service up."""
    tools = ctx.tools
    tag = f"status{count}"
    m = Measurement(key=f"status/{count}", scenario="7. status", case=_services(count),
                    abs_target=STATUS_TARGET_S[0], target_label=STATUS_TARGET_S[1],
                    checked="every service listed")
    made = _setup(ctx, tag, count, tools)
    try:
        _up_all(tools, made)

        def body(tool: Tool, _round: int) -> float:
            folder, _ = made[tool.name]
            elapsed, out = tool.run_output(tool.status(), folder)
            listed = sum(1 for i in range(1, count + 1) if service_name(i) in out)
            if listed != count:
                m.fail(tool.name, f"{listed} of {count} services listed")
            return elapsed

        alternate(ctx, tools, body, m, rounds=ctx.rounds * 2)
    finally:
        _teardown(ctx, tools, made)
    return m


def rebuild(ctx: Context) -> Measurement:
    """One built service: change one Dockerfile line, time `up --wait` (Compose: `up -d --build --wait`)."""
    tools = ctx.tools
    tag = "rebuild"
    m = Measurement(key="rebuild/1", scenario="8. rebuild", case="1 Dockerfile line changed",
                    target=REBUILD_TARGET[0], target_label=REBUILD_TARGET[1],
                    checked="the service runs the new image")
    made: dict[str, tuple[Path, str]] = {}
    for tool in tools:
        folder, name = ctx.folder(tag, tool), ctx.project(tag, tool)
        tool.write(folder, build_project(name, revision=0))
        made[tool.name] = (folder, name)
    try:
        in_parallel([lambda t=tool: t.run(t.up(wait=True, build=True), made[t.name][0]) for tool in tools])

        def body(tool: Tool, round_: int) -> float:
            folder, name = made[tool.name]
            tool.write(folder, build_project(name, revision=round_ + 1))
            before = engine.container_ids(tool, name)
            elapsed = tool.run(tool.up(wait=True, build=True), folder)
            after = engine.container_ids(tool, name)
            if before == after:
                m.fail(tool.name, f"round {round_ + 1}: no new container after the Dockerfile changed")
            return elapsed

        alternate(ctx, tools, body, m)
    finally:
        _teardown(ctx, tools, made)
    return m


def lifecycle(ctx: Context, count: int, kinds: tuple[str, ...]) -> list[Measurement]:
    """Cold `up`, no-op `up`, one changed, `status` and `down` of `count` services, with one tool's
    project up at a time: a round brings a tool's project up from nothing, times each step in
    that order and takes it down before the next tool's turn.

    The side-by-side scenarios above keep every tool's project up while the others are timed;
    three projects of 50 services with healthchecks were more than Docker 20.10 on two cores could
    run (docs/benchmarks.md). Here the engine carries one project, so the figures of one size are
    comparable between tools, not with the side-by-side ones."""
    tools = ctx.tools
    tag = f"life{count}"
    changed = service_name((count + 1) // 2)
    solo = "one project up at a time"
    found: dict[str, Measurement] = {}
    if "cold" in kinds:
        goal, label = target("cold", count)
        found["cold"] = Measurement(key=f"cold-up/{count}", scenario="1. cold up", case=_services(count),
                                    target=goal, target_label=label, checked=f"all services healthy ({solo})")
    if "noop" in kinds:
        goal, label = target("noop", count)
        found["noop"] = Measurement(key=f"noop-up/{count}", scenario="2. no-op up", case=_services(count),
                                    target=goal, target_label=label, checked=f"no container ID changed ({solo})")
    if "changed" in kinds:
        goal, label = target("changed", count)
        found["changed"] = Measurement(key=f"changed-up/{count}", scenario="3. one changed up",
                                       case=f"1 of {_services(count)} (env)", target=goal, target_label=label,
                                       checked=f"only {changed} recreated ({solo})")
    if "status" in kinds:
        found["status"] = Measurement(key=f"status/{count}", scenario="7. status", case=_services(count),
                                      abs_target=STATUS_TARGET_S[0], target_label=STATUS_TARGET_S[1],
                                      checked=f"every service listed ({solo})")
    if "down" in kinds:
        goal, label = target("down", count)
        found["down"] = Measurement(key=f"down/{count}", scenario="4. down", case=_services(count), target=goal,
                                    target_label=label, checked=f"no container left ({solo})")
    made = _setup(ctx, tag, count, tools, changed=changed, revision=0)

    def one_round(tool: Tool, round_: int) -> dict[str, list[float]]:
        folder, name = made[tool.name]
        tool.write(folder, httpd_fleet(name, count, changed=changed, revision=0))
        try:
            tool.clean(folder)  # untimed: from nothing
        except BenchError as exc:  # a network the engine will not let go of: the cold up reuses it
            ctx.log(f"  cleanup of {folder} failed: {exc}")
        figures: dict[str, list[float]] = {}
        figures["cold"] = [tool.run(tool.up(wait=True), folder)]
        if "cold" in found:
            _expect_count(found["cold"], tool, name, count)
        before = engine.container_ids(tool, name)
        if "noop" in found:
            samples = [tool.run(tool.up(wait=False), folder) for _ in range(2)]
            if engine.container_ids(tool, name) != before:
                found["noop"].fail(tool.name, f"round {round_ + 1}: a no-op up changed container IDs")
            figures["noop"] = samples  # two a round, as in the side-by-side case: it is short
        if "status" in found:
            elapsed, out = tool.run_output(tool.status(), folder)
            listed = sum(1 for i in range(1, count + 1) if service_name(i) in out)
            if listed != count:
                found["status"].fail(tool.name, f"round {round_ + 1}: {listed} of {count} services listed")
            figures["status"] = [elapsed]
        if "changed" in found:
            tool.write(folder, httpd_fleet(name, count, changed=changed, revision=1))
            figures["changed"] = [tool.run(tool.up(wait=True), folder)]
            after = engine.container_ids(tool, name)
            recreated = sorted(s for s in set(before) | set(after) if before.get(s) != after.get(s))
            if recreated != [changed]:
                found["changed"].fail(tool.name, f"round {round_ + 1}: recreated {recreated or 'nothing'}, "
                                                 f"expected [{changed}]")
        if "down" in found:
            try:
                figures["down"] = [tool.run(tool.argv("down"), folder)]
            except BenchError as exc:
                # Docker 20.10 sometimes keeps counting a removed container on the network after a
                # large down ("has active endpoints"). A failed down is that tool's failure, not the
                # run's: the other tools' turns and sizes still run.
                said = str(exc).splitlines()  # "tool: `down` exited N in …:", then the tool's output
                found["down"].fail(tool.name, f"round {round_ + 1}: {said[1] if len(said) > 1 else said[0]}")
            if engine.container_ids(tool, name):
                found["down"].fail(tool.name, "containers left after down")
        try:
            tool.clean(folder)  # untimed; after a down, nothing is left to remove
        except BenchError as exc:
            ctx.log(f"  cleanup of {folder} failed: {exc}")
        return figures

    rounds: dict[tuple[str, int], dict[str, list[float]]] = {}

    def body(tool: Tool, round_: int) -> float:
        rounds[tool.name, round_] = one_round(tool, round_)
        return rounds[tool.name, round_]["cold"][0]

    try:
        # `alternate` orders the tools and records the cold figure; the other steps are added per
        # round in the same order, warm-up rounds left out.
        alternate(ctx, tools, body, found.get("cold") or Measurement(key="", scenario="", case=""),
                  rounds=ctx.solo_rounds, warmup=0)
        for (tool_name, _round), figures in sorted(rounds.items(), key=lambda item: item[0][1]):
            for kind, m in found.items():
                for value in figures.get(kind, []) if kind != "cold" else []:
                    m.add(tool_name, value)
    finally:
        _teardown(ctx, tools, made)
    return list(found.values())
