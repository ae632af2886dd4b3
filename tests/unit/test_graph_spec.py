"""The dependency executor and topological sort, on plain strings; spec hashing and reasons."""

from __future__ import annotations

import hashlib
import threading
import time

import pytest

from devenv.core.graph import CycleError, run_graph, select, topological_order
from devenv.core.spec import canonical_json, describe_changes, spec_hash


def test_topological_order_is_stable_and_names_cycles():
    assert topological_order({"web": ["db", "cache"], "db": [], "cache": []}) == ["db", "cache", "web"]
    with pytest.raises(CycleError) as info:
        topological_order({"a": ["b"], "b": ["a"]})
    assert info.value.cycle == ["a", "b", "a"]


def test_run_graph_respects_dependencies_and_runs_independent_nodes_in_parallel():
    finished: list[str] = []
    active, peak = [0], [0]
    lock = threading.Lock()

    def work(node: str) -> None:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
            finished.append(node)

    outcome = run_graph({"web": ["db", "cache"], "db": [], "cache": [], "worker": ["db"]}, work)
    assert finished.index("web") > finished.index("db") and finished.index("web") > finished.index("cache")
    assert finished.index("worker") > finished.index("db")
    assert peak[0] >= 2 and sorted(outcome.ok) == ["cache", "db", "web", "worker"]


def test_run_graph_skips_everything_downstream_of_a_failure():
    ran: list[str] = []

    def work(node: str) -> None:
        ran.append(node)
        if node == "db":
            raise RuntimeError("db broke")

    outcome = run_graph({"db": [], "api": ["db"], "web": ["api"], "other": []}, work)
    assert set(ran) == {"db", "other"}
    assert list(outcome.failed) == ["db"]
    assert outcome.skipped == {"api": "db", "web": "db"}


def test_run_graph_stop_event_starts_nothing_new():
    stop = threading.Event()
    stop.set()
    outcome = run_graph({"a": [], "b": ["a"]}, lambda n: None, stop=stop)
    assert outcome.ok == [] and outcome.skipped == {"a": "interrupted", "b": "interrupted"}


def test_spec_hash_ignores_key_order_but_not_values():
    a = {"env": {"A": "1", "B": "2"}, "ports": []}
    b = {"ports": [], "env": {"B": "2", "A": "1"}}
    assert spec_hash(a) == spec_hash(b)
    assert spec_hash(a) != spec_hash({**a, "env": {"A": "1", "B": "3"}})


def test_the_spec_text_and_hash_are_pinned():
    """Containers carry the spec and its hash as labels: a devenv that wrote them differently would
    recreate every container of every project after an upgrade. So the text is fixed: sorted keys,
    no spaces, UTF-8 as it is; and the hash is the SHA-256 of that text."""
    spec = {"image": "sha256:1", "command": ["serve", "--port", "8000"], "entrypoint": None,
            "env": {"MODE": "dev", "GREETING": "héllo"}, "workdir": "/app", "init": True, "stop_timeout": 10.0,
            "mounts": [{"type": "bind", "source": "/src", "target": "/app", "read_only": False}]}
    text = ('{"command":["serve","--port","8000"],"entrypoint":null,"env":{"GREETING":"héllo","MODE":"dev"},'
            '"image":"sha256:1","init":true,"mounts":[{"read_only":false,"source":"/src","target":"/app",'
            '"type":"bind"}],"stop_timeout":10.0,"workdir":"/app"}')
    assert canonical_json(spec) == text
    assert spec_hash(spec) == hashlib.sha256(text.encode()).hexdigest()


def test_describe_changes_names_fields():
    old = {"env": {"DEBUG": "0"}, "ports": ["127.0.0.1:8000:8000/tcp"], "workdir": "/a"}
    new = {"env": {"DEBUG": "1"}, "ports": ["127.0.0.1:8000:8000/tcp", "127.0.0.1:8001:8001/tcp"], "workdir": "/a"}
    assert describe_changes(old, new) == ['env.DEBUG: "0" → "1"', "ports: +8001:8001"]


def test_describe_changes_names_removed_entries_numbers_and_cuts_long_lists():
    mount = {"type": "bind", "source": "/a", "target": "/x", "read_only": False}
    old = {"ports": ["127.0.0.1:8000:80/tcp"], "mounts": [mount], "workdir": "", "stop_timeout": 10.0}
    new = {"ports": [], "mounts": [{**mount, "source": "/b"}], "workdir": "/app", "stop_timeout": 3.0}
    assert describe_changes(old, new) == ["mounts: +/b:/x, -/a:/x", "ports: -8000:80", "stop_timeout: 10.0 → 3.0",
                                          'workdir: "" → "/app"']
    many = describe_changes({f"k{i}": 0 for i in range(8)}, {f"k{i}": 1 for i in range(8)})
    assert many == [f"k{i}: 0 → 1" for i in range(6)] + ["and 2 more"]


def test_describe_changes_cuts_values_after_60_characters():
    old, new = {"env": {"KEY": "a" * 58}}, {"env": {"KEY": "b" * 59}}
    assert describe_changes(old, new) == [f'env.KEY: "{"a" * 58}" → "{"b" * 56}…']  # 60 shown whole, 61 cut


def test_describe_changes_names_each_kind_of_change():
    old = {"command": ["café"], "env": {"A": "1", "B": 'say "hi"'}, "image": "sha256:1", "user": None}
    new = {"command": None, "env": {"A": "1", "B": "héllo", "C": "3"}, "image": "sha256:2", "user": "app"}
    assert describe_changes(old, new) == [
        'command: ["café"] → null',  # a list that is gone is a value, not a list of entries
        'env.B: "say "hi"" → "héllo"',  # strings as written, quotes and accents kept
        'env.C: added "3"',
        "image: new image",
        'user: null → "app"',
    ]
    assert describe_changes(new, old)[:2] == ['command: null → ["café"]', 'env.B: "héllo" → "say "hi""']
    assert describe_changes(new, old)[2] == "env.C: removed"


def test_a_field_an_older_devenv_did_not_write_is_added():
    """A container made by an older devenv lacks the fields added since (aliases, http)."""
    assert describe_changes({"image": "a"}, {"image": "a", "aliases": ["web"]}) == ['aliases: added ["web"]']


def test_six_changes_are_all_shown():
    six = describe_changes({f"k{i}": 0 for i in range(6)}, {f"k{i}": 1 for i in range(6)})
    assert six == [f"k{i}: 0 → 1" for i in range(6)]


def test_parallel_each_runs_everything_then_raises_the_first_failure():
    from devenv.core.graph import parallel_each

    done: list[int] = []

    def work(n: int) -> None:
        time.sleep(0.01 * n)
        done.append(n)
        if n == 1:
            raise ValueError("one failed")

    with pytest.raises(ValueError, match="one failed"):
        parallel_each(work, [3, 1, 2])
    assert sorted(done) == [1, 2, 3]


def test_parallel_each_returns_the_results_in_the_items_order_whatever_finishes_first():
    import threading

    from devenv.core.graph import parallel_each

    last_done = threading.Event()
    finished: list[str] = []

    def work(name: str) -> str:
        if name == "first":
            assert last_done.wait(5)  # runs at the same time as "last" and finishes after it
        finished.append(name)
        if name == "last":
            last_done.set()
        return name.upper()

    assert parallel_each(work, ["first", "last"]) == ["FIRST", "LAST"]
    assert finished == ["last", "first"]
    assert parallel_each(work, []) == []


def test_select_keeps_the_manifests_order_and_follows_dependencies_enabled_or_not():
    deps = {"db": [], "cache": [], "web": ["db", "cache"], "jobs": ["web"], "debug": []}
    assert select(deps, ["debug", "web", "db"], None) == ["db", "web", "debug"]  # every enabled one
    assert select(deps, ["db"], ["jobs"]) == ["db", "cache", "web", "jobs"]  # a target's needs, enabled or not
    assert select(deps, ["db"], ["jobs"], no_deps=True) == ["jobs"]
    assert select(deps, [], ["nope", "db"]) == ["db"]  # unknown targets are the caller's to report


def test_emptying_a_table_names_what_went_not_an_empty_table_that_came():
    assert describe_changes({"env": {"A": "1"}}, {"env": {}}) == ["env.A: removed"]
    assert describe_changes({"env": {}}, {"env": {"A": "1"}}) == ['env.A: added "1"']
