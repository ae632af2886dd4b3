"""`down` stops services level by level: dependents first, each level at once."""

from __future__ import annotations

import pytest

from devenv.core.graph import CycleError, stop_levels


def test_independent_services_stop_together() -> None:
    assert stop_levels({f"s{i:02d}": [] for i in range(1, 6)}) == [["s01", "s02", "s03", "s04", "s05"]]


def test_a_chain_stops_from_the_top() -> None:
    assert stop_levels({"db": [], "api": ["db"], "web": ["api"]}) == [["web"], ["api"], ["db"]]


def test_a_dependency_waits_for_its_slowest_dependent() -> None:
    deps = {"db": [], "cache": [], "api": ["db", "cache"], "web": ["api"], "worker": ["db"], "admin": []}
    groups = stop_levels(deps)
    assert groups == [["web", "worker", "admin"], ["api"], ["db", "cache"]]
    position = {node: i for i, group in enumerate(groups) for node in group}
    for node, needs in deps.items():
        assert all(position[node] < position[dep] for dep in needs)


def test_dependencies_outside_the_graph_are_ignored() -> None:
    assert stop_levels({"web": ["gone"]}) == [["web"]]


def test_nothing_to_stop() -> None:
    assert stop_levels({}) == []


def test_a_cycle_is_named() -> None:
    with pytest.raises(CycleError):
        stop_levels({"a": ["b"], "b": ["a"]})
