"""The benchmark harness's own logic, without Docker: manifests, statistics, runner, report, /proc."""

from __future__ import annotations

import ctypes
import json
import math
import os
import sys
import threading
import tomllib
from pathlib import Path

import pytest

from bench import procs, report
from bench.__main__ import parse
from bench.core import Context, Measurement, alternate
from bench.describe import HEALTH_TEST, httpd_fleet
from bench.scenarios.tree import make_tree, tree_project
from bench.scenarios.watch import watch_project
from bench.stats import fmt_ratio, fmt_seconds, median, percentile, ratio, summary
from bench.tools import COMPOSE, COMPOSE_INIT, DEVENV
from devenv.manifest.load import load_project

# --- one description, two manifests ----------------------------------------------------------


def _devenv(project) -> dict:
    return tomllib.loads(project.devenv_toml())


def _compose(project, **kw) -> dict:
    return json.loads(project.compose_file(**kw))


PROJECTS = [httpd_fleet("bx-fleet", 10, changed="s05", revision=3), watch_project("bx-watch", 18001, 18002),
            tree_project("bx-tree")]


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_devenv_manifest_is_valid_for_devenv(project, tmp_path):
    (tmp_path / "devenv.toml").write_text(project.devenv_toml())
    loaded = load_project(directory=tmp_path, environ={})
    assert loaded.name == project.name
    assert sorted(loaded.manifest.services) == sorted(s.name for s in project.services)


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_both_manifests_describe_the_same_services(project):
    dv, cp = _devenv(project), _compose(project)
    assert dv["project"]["name"] == cp["name"] == project.name
    assert dv["services"].keys() == cp["services"].keys()
    for name, d in dv["services"].items():
        c = cp["services"][name]
        assert d["image"] == c["image"]
        assert d["command"] == c["command"]
        assert d.get("env", {}) == c.get("environment", {})
        assert d.get("ports", []) == c.get("ports", [])
        assert d.get("mounts", []) == c.get("volumes", [])
        if "healthcheck" in d:
            assert d["healthcheck"]["test"] == HEALTH_TEST
            assert c["healthcheck"]["test"] == ["CMD-SHELL", HEALTH_TEST]
            for key in ("interval", "retries"):
                assert d["healthcheck"][key] == c["healthcheck"][key]
        else:
            assert "healthcheck" not in c
        d_rules = d.get("watch", [])
        c_rules = c.get("develop", {}).get("watch", [])
        assert len(d_rules) == len(c_rules)
        for dr, cr in zip(d_rules, c_rules, strict=True):
            assert dr["action"] == cr["action"]
            assert dr.get("target") == cr.get("target")
            base = dr["paths"][0].removesuffix("**").rstrip("/")
            assert cr["path"] == (f"./{base}" if base else ".")
            assert [i.removesuffix("/**") for i in dr.get("ignore", [])] == \
                [f"{base + '/' if base else ''}{i.rstrip('/')}" for i in cr.get("ignore", [])]


def test_compose_gets_init_only_in_the_noted_variant():
    project = httpd_fleet("bx", 3)
    assert not any("init" in s for s in _compose(project)["services"].values())
    assert all(s["init"] is True for s in _compose(project, init=True)["services"].values())
    assert "init" not in project.devenv_toml()  # devenv's default (init = true) is left to devenv


def test_one_changed_fleet_differs_in_that_service_alone():
    before, after = httpd_fleet("bx", 10, changed="s05", revision=1), httpd_fleet("bx", 10, changed="s05", revision=2)
    b, a = _devenv(before)["services"], _devenv(after)["services"]
    assert [n for n in b if b[n] != a[n]] == ["s05"]
    assert a["s05"]["env"] == {"REVISION": "2"}


def test_tools_write_their_own_manifest(tmp_path):
    project = httpd_fleet("bx", 2)
    assert DEVENV.write(tmp_path / "d", project).name == "devenv.toml"
    assert COMPOSE_INIT.write(tmp_path / "c", project).name == "compose.yaml"
    assert json.loads((tmp_path / "c" / "compose.yaml").read_text())["services"]["s01"]["init"] is True
    assert DEVENV.up()[-2:] == ["up", "--wait"]
    assert COMPOSE.up(wait=False)[-3:] == ["compose.yaml", "up", "-d"]
    assert COMPOSE.down(timeout=0)[-3:] == ["--volumes", "-t", "0"]


# --- statistics -------------------------------------------------------------------------------


def test_percentile_interpolates_like_numpy():
    data = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(data, 0) == 1.0
    assert percentile(data, 100) == 5.0
    assert median(data) == 3.0
    assert percentile(data, 25) == 2.0
    assert percentile([1.0, 2.0], 50) == 1.5
    assert percentile([1.0, 2.0, 3.0, 4.0], 95) == pytest.approx(3.85)
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary():
    s = summary([0.3, 0.1, 0.2])
    assert s == {"n": 3, "median": 0.2, "p25": 0.15000000000000002, "p75": 0.25, "p95": pytest.approx(0.29),
                 "min": 0.1, "max": 0.3}
    assert summary([]) == {"n": 0}


def test_ratio_of_medians_and_paired_spread():
    r = ratio([1.0, 2.0, 3.0], [2.0, 2.0, 2.0])
    assert r["ratio"] == 1.0
    assert r["pairs"] == 3
    assert r["paired_median"] == 1.0
    assert (r["paired_p25"], r["paired_p75"]) == (0.75, 1.25)
    assert ratio([], [1.0]) == {}
    assert ratio([0.0], [0.0]) == {"ratio": None, "both_zero": True}
    assert math.isinf(ratio([1.0], [0.0])["ratio"])


def test_formatting():
    assert fmt_seconds(0.0123) == "12 ms"
    assert fmt_seconds(1.5) == "1.50 s"
    assert fmt_seconds(None) == "–"
    assert fmt_ratio(0.5) == "0.50×"
    assert fmt_ratio(math.inf) == "∞"


# --- the alternating runner ---------------------------------------------------------------------


def _ctx(tmp_path, **kw) -> Context:
    return Context(workdir=tmp_path, prefix="benchtest", rounds=kw.pop("rounds", 3), warmup=kw.pop("warmup", 1),
                   quick=False, tools=[DEVENV, COMPOSE], **kw)


def test_alternate_reverses_order_and_skips_warmup(tmp_path):
    calls = []
    m = Measurement(key="k", scenario="s", case="c")
    alternate(_ctx(tmp_path), [DEVENV, COMPOSE], lambda tool, r: calls.append((r, tool.name)) or float(r), m)
    assert calls == [(0, "devenv"), (0, "compose"), (1, "compose"), (1, "devenv"), (2, "devenv"), (2, "compose"),
                     (3, "compose"), (3, "devenv")]
    assert m.samples == {"devenv": [1.0, 2.0, 3.0], "compose": [1.0, 2.0, 3.0]}


def test_context_names_are_unique_per_tool_and_prefixed(tmp_path):
    ctx = _ctx(tmp_path)
    assert ctx.project("cold10", DEVENV) != ctx.project("cold10", COMPOSE)
    assert ctx.project("cold10", COMPOSE).startswith("benchtest-")
    assert ctx.folder("cold10", DEVENV) != ctx.folder("cold10", COMPOSE)


def test_arguments():
    args = parse(["--quick", "--only", "cold, watch"])
    assert args.quick and args.scenarios == ("cold", "watch")
    with pytest.raises(SystemExit):
        parse(["--only", "nope"])


# --- report -------------------------------------------------------------------------------------


def _doc() -> dict:
    cold = Measurement(key="cold-up/10", scenario="1. cold up", case="10 services", target=1.0, target_label="≤ 1.0×",
                       checked="all healthy", samples={"devenv": [1.0, 1.2, 1.1], "compose": [2.0, 2.2, 2.1],
                                                       "compose-init": [1.9, 2.0, 2.1]})
    noop = Measurement(key="noop-up/10", scenario="2. no-op up", case="10 services", target=2.0, target_label="≤ 2×",
                       samples={"devenv": [0.5, 0.6], "compose": [0.1, 0.1]})
    noop.fail("devenv", "a no-op up changed container IDs")
    watch = Measurement(key="watch/sync", scenario="5. watch latency", case="sync action", metric="write → served",
                        samples={"compose": [0.55, 0.6]})
    watch.unavailable["devenv"] = "no watch"
    cpu = Measurement(key="tree/cpu", scenario="6. watcher", case="100 files", metric="idle CPU", unit="%",
                      target=0.5, target_label="≤ 0.5×", samples={"devenv": [0.0], "compose": [0.0]})
    return report.run_document(measurements=[cold, noop, watch, cpu], machine={"engine": {}},
                               settings={"command": "python -m bench"}, notes=["a note"])


def test_report_ratios_targets_and_checks():
    doc = _doc()
    cold, noop, watch, cpu = doc["measurements"]
    assert cold["ratios"]["compose"]["ratio"] == pytest.approx(1.1 / 2.1)
    assert cold["ratios"]["compose-init"]["ratio"] == pytest.approx(1.1 / 2.0)
    assert cold["target_met"] is True
    assert noop["target_met"] is False
    assert watch["target_met"] is None and watch["ratios"] == {}
    assert cpu["target_met"] is True  # both zero
    table = report.markdown_table(doc)
    assert "| 1. cold up | 10 services | wall time | 1.10 s (1.05 s–1.15 s) | 2.10 s (2.05 s–2.15 s) | 0.52× " in table
    assert "≤ 1.0× met" in table and "≤ 2× missed" in table
    assert "**devenv: FAILED** a no-op up changed container IDs" in table
    assert "devenv: not run (no watch)" in table
    assert "both 0" in table
    assert "Compose + init" in table
    text = report.markdown(doc, chart="ratios.png")
    assert "![devenv / Compose ratios](ratios.png)" in text and "- a note" in text


def test_report_write_makes_json_markdown_and_chart(tmp_path):
    pytest.importorskip("matplotlib")
    paths = report.write(_doc(), tmp_path / "out")
    assert json.loads(paths["json"].read_text())["measurements"][0]["samples"]["devenv"] == [1.0, 1.2, 1.1]
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "ratios.png" in paths["md"].read_text()


# --- /proc readings and the tree ----------------------------------------------------------------

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@linux_only
def test_inotify_watches_are_counted(tmp_path):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(0)
    assert fd >= 0
    try:
        for name in ("a", "b", "c"):
            (tmp_path / name).mkdir()
            assert libc.inotify_add_watch(fd, str(tmp_path / name).encode(), 0x2) >= 0  # IN_MODIFY
        assert procs.inotify_watches([os.getpid()]) >= 3
    finally:
        os.close(fd)


@linux_only
def test_rss_cpu_and_tree_of_this_process():
    assert procs.rss_bytes([os.getpid()]) > 1_000_000
    assert procs.cpu_seconds([os.getpid()]) > 0
    assert os.getpid() in procs.tree(os.getpid())


def test_make_tree_puts_most_files_under_node_modules(tmp_path):
    shape = make_tree(tmp_path, 400)
    files = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.startswith(".tree-")]
    assert len(files) == 400 == shape["files"]
    under = sum(1 for p in files if "node_modules" in p.parts)
    assert under == shape["node_modules_files"] == 380
    assert make_tree(tmp_path, 400) == shape  # made once, then reused
    assert Path(tmp_path / "src").is_dir()


def test_publish_keeps_the_text_outside_the_markers(tmp_path):
    from bench.__main__ import BEGIN, END, publish

    doc = _doc()
    target = publish(doc, {}, docs=tmp_path)
    first = target.read_text()
    assert BEGIN in first and END in first and "python -m bench" in first
    generated = first[first.index(BEGIN):first.index(END) + len(END)]
    target.write_text("# Title\n\nIntro by hand.\n\n" + generated + "\n## Analysis\n\nBy hand.\n")
    publish(doc, {}, docs=tmp_path)
    again = target.read_text()
    assert again.startswith("# Title\n\nIntro by hand.\n\n" + BEGIN)
    assert again.endswith(END + "\n## Analysis\n\nBy hand.\n")
    assert again.count(BEGIN) == 1


def test_in_parallel_runs_every_job_and_reraises():
    from bench.core import in_parallel

    assert in_parallel([lambda: 1, lambda: 2]) == [1, 2]
    assert in_parallel([]) == []
    with pytest.raises(ZeroDivisionError):
        in_parallel([lambda: 1, lambda: 1 / 0])


def test_the_devenv_under_test_gets_its_bytecode_even_where_writing_it_is_off(tmp_path, monkeypatch):
    from bench import machine

    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # PYTHONDONTWRITEBYTECODE, as on these machines
    (tmp_path / "mod.py").write_text("X = 1\n")
    said = machine.compile_devenv(tmp_path)
    assert said.startswith("compiled before the run")
    assert [p.name for p in (tmp_path / "__pycache__").iterdir()] == [f"mod.{sys.implementation.cache_tag}.pyc"]
    (tmp_path / "bad.py").write_text("def (:\n")
    assert machine.compile_devenv(tmp_path).startswith("compiling")


class ToyTool:
    """Stands in for a tool in `lifecycle`: keeps one container ID per service in memory, makes a
    new one for a service whose description changed, logs every command and takes 1 s each."""

    def __init__(self, name: str, log: list[tuple[str, str]], engine: dict, *, recreate_all: bool = False,
                 down_fails: bool = False) -> None:
        self.name, self.log, self.engine, self.recreate_all = name, log, engine, recreate_all
        self.down_fails = down_fails
        self.written: dict = {}
        self.made = 0

    def write(self, folder, project) -> None:
        self.written[folder] = project

    def up(self, *, wait: bool = True, build: bool = False) -> list[str]:
        return ["up", "--wait"] if wait else ["up"]

    def status(self) -> list[str]:
        return ["status"]

    def argv(self, *args: str) -> list[str]:
        return list(args)

    def clean(self, folder) -> None:
        self.log.append((self.name, "clean"))
        self.engine[self.name] = {}

    def run_output(self, argv: list[str], folder) -> tuple[float, str]:
        self.log.append((self.name, " ".join(argv)))
        running = self.engine.setdefault(self.name, {})
        if argv[0] == "up":
            for svc in self.written[folder].services:
                if svc.name not in running or running[svc.name][1] != svc.env or self.recreate_all:
                    self.made += 1
                    running[svc.name] = (f"{self.name}-{self.made}", svc.env)
        elif argv[0] == "down":
            running.clear()
            if self.down_fails:
                from bench.tools import BenchError

                raise BenchError(f"{self.name}: `down` exited 1 in f:\nnetwork p_default has active endpoints\n"
                                 "  hint: restart the engine")
        return 1.0, " ".join(running)

    def run(self, argv: list[str], folder) -> float:
        return self.run_output(argv, folder)[0]


def run_lifecycle(tmp_path, monkeypatch, kinds: tuple[str, ...], *, devenv: dict | None = None, **ctx_kw):
    """`converge.lifecycle` at 3 services with two ToyTools (devenv's with the `devenv` knobs) on
    one toy engine; returns (the measurements by key, the log of commands)."""
    from bench.scenarios import converge

    log: list[tuple[str, str]] = []
    engine: dict = {}
    tools = [ToyTool("devenv", log, engine, **(devenv or {})), ToyTool("compose", log, engine)]
    monkeypatch.setattr(converge.engine, "container_ids",
                        lambda tool, project: {s: ident for s, (ident, _) in engine.get(tool.name, {}).items()})
    ctx = _ctx(tmp_path, **ctx_kw)
    ctx.tools = tools  # type: ignore[assignment]
    return {m.key: m for m in converge.lifecycle(ctx, 3, kinds)}, log


def test_lifecycle_times_every_step_with_one_project_up_at_a_time(tmp_path, monkeypatch):
    # a lifecycle size runs its own rounds (solo_rounds), no warm-up
    found, log = run_lifecycle(tmp_path, monkeypatch, ("cold", "noop", "changed", "down", "status"),
                               rounds=5, warmup=1, solo_rounds=3)
    assert sorted(found) == ["changed-up/3", "cold-up/3", "down/3", "noop-up/3", "status/3"]
    for m in found.values():
        assert not m.failures, (m.key, m.failures)
        assert len(m.samples["devenv"]) == len(m.samples["compose"]) == (6 if m.key == "noop-up/3" else 3)
    one_turn = ["clean", "up --wait", "up", "up", "status", "up --wait", "down", "clean"]
    assert sorted(log[-2:]) == [("compose", "clean"), ("devenv", "clean")]  # the final teardown, in parallel
    turns = [log[i:i + len(one_turn)] for i in range(0, len(log) - 2, len(one_turn))]
    order = [turn[0][0] for turn in turns]
    assert order == ["devenv", "compose", "compose", "devenv", "devenv", "compose"]  # alternating
    for turn in turns:  # a tool's whole turn, from nothing to down, before the next tool starts
        assert [step for _, step in turn] == one_turn and len({name for name, _ in turn}) == 1


def test_lifecycle_reports_a_tool_that_recreates_more_than_the_changed_service(tmp_path, monkeypatch):
    found, log = run_lifecycle(tmp_path, monkeypatch, ("cold", "noop", "changed"), devenv={"recreate_all": True},
                               solo_rounds=1)
    assert found["noop-up/3"].failures == {"devenv": ["round 1: a no-op up changed container IDs"]}
    assert found["changed-up/3"].failures["devenv"][0].startswith("round 1: recreated ['s01', 's02', 's03']")
    assert "compose" not in found["changed-up/3"].failures
    assert log.count(("compose", "clean")) == 3  # before its turn, after it (no `down` among the steps), teardown


def test_sizes_from_the_solo_size_on_run_as_a_lifecycle_and_smaller_ones_side_by_side(tmp_path, monkeypatch):
    from bench.__main__ import run_scenarios, sizes_for
    from bench.scenarios import converge

    ran: list[tuple] = []
    for name in ("cold_up", "noop_up", "changed_up", "down", "status"):
        monkeypatch.setattr(converge, name, lambda ctx, count, n=name: ran.append((n, count)) or
                            Measurement(key=f"{n}/{count}", scenario="s", case="c"))
    monkeypatch.setattr(converge, "lifecycle", lambda ctx, count, kinds: ran.append(("lifecycle", count, kinds)) or [])
    args = parse(["--only", "cold,noop,status", "--sizes", "10,50", "--solo-from", "50"])
    run_scenarios(_ctx(tmp_path), args.scenarios, [], sizes_for(False, args.sizes), args.solo_from)
    assert ran == [("cold_up", 10), ("noop_up", 10), ("lifecycle", 50, ("cold", "noop", "status"))]
    ran.clear()
    run_scenarios(_ctx(tmp_path), ("status",), [], sizes_for(False, (10,)), 50)
    assert ran == [("status", 10)]  # below the solo size, status keeps its own side-by-side case


def test_a_failed_down_is_that_tools_failure_and_the_lifecycle_goes_on(tmp_path, monkeypatch):
    found, _ = run_lifecycle(tmp_path, monkeypatch, ("cold", "down"), devenv={"down_fails": True}, solo_rounds=2)
    assert found["down/3"].failures == {"devenv": ["round 1: network p_default has active endpoints",
                                                   "round 2: network p_default has active endpoints"]}
    assert found["down/3"].samples == {"compose": [1.0, 1.0]}
    assert found["cold-up/3"].samples == {"devenv": [1.0, 1.0], "compose": [1.0, 1.0]}


def test_a_hung_latency_probe_does_not_count_as_the_tools_time(monkeypatch):
    """The port proxy of a restarting container can hold a probe; the probes after it must
    go on, and the first that gets the new content marks the moment."""
    from bench.scenarios import watch

    release = threading.Event()
    first_done = threading.Event()
    calls: list[int] = []

    def fetch(port: int) -> str | None:
        calls.append(port)
        if len(calls) == 1:  # hangs until the test ends
            release.wait(30)
            first_done.set()
            return None
        return "new"

    monkeypatch.setattr(watch, "fetch", fetch)
    try:
        seen = watch.until_served(18000, "new", timeout=60)
        assert seen is not None and not first_done.is_set()
    finally:
        release.set()
    assert watch.PROBE_TIMEOUT > watch.PROBE_EVERY  # a slow answer is waited for, not dropped


def test_no_probe_with_the_new_content_is_a_timeout(monkeypatch):
    from bench.scenarios import watch

    monkeypatch.setattr(watch, "fetch", lambda port: "old")
    assert watch.until_served(18000, "new", timeout=0.05) is None
