"""Dependency graphs: a stable topological sort that names a cycle, and a parallel executor.

Both work on plain strings (`{"web": ["db", "cache"]}`), so they are tested without Docker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


class CycleError(Exception):
    def __init__(self, cycle: list[str]):
        super().__init__(" → ".join(cycle))
        self.cycle = cycle


def topological_order(deps: Mapping[str, Iterable[str]]) -> list[str]:
    """Dependencies first; among independent nodes, the order of `deps` is kept (stable)."""
    order: list[str] = []
    state: dict[str, str] = {}  # "visiting" | "done"

    def visit(node: str, trail: list[str]) -> None:
        if state.get(node) == "done":
            return
        if state.get(node) == "visiting":
            raise CycleError([*trail[trail.index(node):], node])
        state[node] = "visiting"
        for dep in deps.get(node, ()):
            if dep in deps:
                visit(dep, [*trail, node])
        state[node] = "done"
        order.append(node)

    for node in deps:
        visit(node, [])
    return order


def select(deps: Mapping[str, Iterable[str]], enabled: Iterable[str], targets: Iterable[str] | None, *,
           no_deps: bool = False) -> list[str]:
    """The services a command works on, in `deps` order: every enabled one without targets, else
    the targets and (unless no_deps) all they depend on, enabled or not. Unknown targets are the
    caller's to report: this returns only names that `deps` has."""
    if not targets:
        wanted = set(enabled)
        return [name for name in deps if name in wanted]
    chosen: set[str] = set()

    def add(name: str) -> None:
        if name in deps and name not in chosen:
            chosen.add(name)
            if not no_deps:
                for dep in deps[name]:
                    add(dep)

    for target in targets:
        add(target)
    return [name for name in deps if name in chosen]


def stop_levels(deps: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Groups to stop one after the other, dependents first; the members of a group do not depend
    on each other, so each group can stop at once. A node's group comes after every group holding
    something that depends on it. Within a group the order of `deps` is kept."""
    order = topological_order(deps)  # raises CycleError on a cycle
    dependents: dict[str, list[str]] = {node: [] for node in deps}
    for node, needs in deps.items():
        for dep in needs:
            if dep in dependents:
                dependents[dep].append(node)
    level: dict[str, int] = {}
    for node in reversed(order):  # every dependent of `node` comes later in `order`: already levelled
        level[node] = 1 + max((level[d] for d in dependents[node]), default=-1)
    groups: list[list[str]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for node in deps:
        groups[level[node]].append(node)
    return groups


@dataclass
class Outcome:
    ok: list[str]
    failed: dict[str, BaseException]
    skipped: dict[str, str]  # node → the failed dependency it sat behind


def run_graph(deps: Mapping[str, Iterable[str]], work: Callable[[str], None], *,
              max_workers: int = 32, stop: threading.Event | None = None) -> Outcome:
    """Run `work(node)` once its dependencies succeeded, independent nodes in parallel.
    A node behind a failure is skipped, not run; when `stop` is set, nothing new starts.

    The pool is sized for the engine, not the CPU: each worker mostly waits on one engine call,
    and with 8 the ninth of ten services waited for a start (~1 s under load) to finish."""
    deps = {node: [d for d in ds if d in deps] for node, ds in deps.items()}
    topological_order(deps)  # raise on a cycle before running anything
    outcome = Outcome([], {}, {})
    pending = dict(deps)
    running: dict[Future, str] = {}

    def blocked_by(node: str) -> str | None:
        for dep in pending[node]:
            if dep in outcome.failed or dep in outcome.skipped:
                return dep
        return None

    pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="devenv")
    try:
        while pending or running:
            progressed = True
            while progressed:
                progressed = False
                for node in list(pending):
                    culprit = blocked_by(node)
                    if culprit or (stop is not None and stop.is_set()):
                        outcome.skipped[node] = outcome.skipped.get(culprit, culprit) if culprit else "interrupted"
                        del pending[node]
                        progressed = True
                    elif all(d in outcome.ok for d in pending[node]):
                        running[pool.submit(work, node)] = node
                        del pending[node]
            if not running:
                break
            done, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for future in done:
                node = running.pop(future)
                error = future.exception()
                if error is None:
                    outcome.ok.append(node)
                else:
                    outcome.failed[node] = error
    except BaseException:
        # Ctrl-C: tell running work to stop waiting, start nothing new, let calls in flight end.
        if stop is not None:
            stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return outcome


def parallel_each(work: Callable[[T], R], items: Iterable[T], *, max_workers: int = 32) -> list[R]:
    """Run `work(item)` for all items at once; when every one has finished, raise the first
    failure, or return the results in the items' order."""
    items = list(items)
    if not items:
        return []
    with ThreadPoolExecutor(max_workers=min(max_workers, len(items)), thread_name_prefix="devenv") as pool:
        futures = [pool.submit(work, item) for item in items]
    for future in futures:
        error = future.exception()
        if error is not None:
            raise error
    return [future.result() for future in futures]
