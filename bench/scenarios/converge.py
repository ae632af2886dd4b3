"""Scenarios 1–4: cold `up`, no-op `up`, `up` after one changed service, and `down`."""

from __future__ import annotations

from bench import engine
from bench.core import Context, Measurement, alternate, in_parallel
from bench.describe import httpd_fleet, service_name
from bench.tools import Tool

COLD_TARGET = (1.0, "≤ 1.0×")
CHANGED_TARGET = (1.0, "≤ 1.0×")
NOOP_TARGET = (2.0, "≤ 2×")


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
    m = Measurement(key=f"cold-up/{count}", scenario="1. cold up", case=f"{count} service{'s' * (count > 1)}",
                    target=COLD_TARGET[0], target_label=COLD_TARGET[1], checked="all services healthy")
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
    m = Measurement(key=f"noop-up/{count}", scenario="2. no-op up", case=f"{count} services",
                    target=NOOP_TARGET[0], target_label=NOOP_TARGET[1], checked="no container ID changed")
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
    m = Measurement(key=f"changed-up/{count}", scenario="3. one changed up",
                    case=f"1 of {count} services (env)", target=CHANGED_TARGET[0],
                    target_label=CHANGED_TARGET[1], checked=f"only {changed} recreated")
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
    m = Measurement(key=f"down/{count}", scenario="4. down", case=f"{count} services",
                    checked="no container left")
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
