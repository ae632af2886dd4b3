"""The entry point answers a bare `up`/`status` from the fast path, and hands everything else,
every miss and every failure to the full CLI."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

import devenv.cli.main
import devenv.core.fastpath
import devenv.engine.client
from devenv.cli import fast


@pytest.fixture
def full(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """Record calls of the full CLI instead of running it."""
    calls: list[list[str]] = []

    def fake_main() -> int:
        calls.append(list(fast.sys.argv[1:]))
        return 7

    monkeypatch.setattr(devenv.cli.main, "main", fake_main)
    monkeypatch.setattr(devenv.engine.client, "Engine", lambda: SimpleNamespace())
    yield calls


def run(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    monkeypatch.setattr(fast.sys, "argv", ["devenv", *argv])
    return fast.main()


def test_a_noop_up_is_answered_without_the_full_cli(monkeypatch: pytest.MonkeyPatch, full: list,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(devenv.core.fastpath, "up_to_date", lambda opts, engine: ("demo", 3))
    assert run(monkeypatch, "up") == 0
    assert full == []
    assert "demo: up to date (3 services)" in capsys.readouterr().err


def test_a_miss_goes_to_the_full_cli(monkeypatch: pytest.MonkeyPatch, full: list) -> None:
    monkeypatch.setattr(devenv.core.fastpath, "up_to_date", lambda opts, engine: None)
    assert run(monkeypatch, "up") == 7
    assert full == [["up"]]


def test_a_failure_goes_to_the_full_cli(monkeypatch: pytest.MonkeyPatch, full: list) -> None:
    def broken(opts: object, engine: object) -> None:
        raise OSError("engine unreachable")

    monkeypatch.setattr(devenv.core.fastpath, "up_to_date", broken)
    assert run(monkeypatch, "up") == 7
    assert full == [["up"]]


@pytest.mark.parametrize("argv", [["up", "--wait"], ["up", "web"], ["-p", "x", "up"], ["status", "--json"], ["down"],
                                  []])
def test_anything_but_the_bare_commands_goes_to_the_full_cli(monkeypatch: pytest.MonkeyPatch, full: list,
                                                             argv: list[str]) -> None:
    def must_not_run(opts: object, engine: object) -> None:
        raise AssertionError("the fast path ran")

    monkeypatch.setattr(devenv.core.fastpath, "up_to_date", must_not_run)
    monkeypatch.setattr(devenv.core.fastpath, "cached_project", must_not_run)
    assert run(monkeypatch, *argv) == 7
    assert full == [argv]


def test_status_from_the_record(monkeypatch: pytest.MonkeyPatch, full: list,
                                capsys: pytest.CaptureFixture[str]) -> None:
    cached = SimpleNamespace(name="demo", known=("web",), holds_name=lambda engine: True)
    monkeypatch.setattr(devenv.core.fastpath, "cached_project", lambda opts: cached)
    import devenv.cli.commands.status as status

    monkeypatch.setattr(status, "status_view", lambda name, known, engine: ([], {}))
    assert run(monkeypatch, "status") == 0
    assert full == []
    assert "demo: no containers" in capsys.readouterr().out


def test_status_of_a_name_another_folder_holds_goes_to_the_full_cli(monkeypatch: pytest.MonkeyPatch,
                                                                    full: list) -> None:
    cached = SimpleNamespace(name="demo", known=("web",), holds_name=lambda engine: False)
    monkeypatch.setattr(devenv.core.fastpath, "cached_project", lambda opts: cached)
    assert run(monkeypatch, "ps") == 7
    assert full == [["ps"]]


def test_status_rows_pair_each_container_with_its_own_crash_record():
    """Containers with a restart policy are inspected (at once; each row must still get its own
    container's record); without one, nothing restarts them, and the list says how they exited."""
    from devenv.cli.commands.status import status_rows
    from tests.fakes import FakeEngine

    engine = FakeEngine()
    for i in range(20):
        engine.add_container(f"shop-w{i}-1", service=f"w{i}", project="shop", state="exited" if i % 2 else "running",
                             exit_code=i if i % 2 else None, spec={"restart": "always" if i % 4 < 2 else "no"})
    engine.add_container("shop-new-1", service="new", project="shop", state="created", spec={"restart": "always"})
    inspected = []

    def crash_record(container_id: str) -> tuple[int, int | None]:
        inspected.append(container_id)
        n = int(engine.by_id[container_id].name.split("-w")[1].split("-")[0])
        return n + 100, n + 200

    engine.crash_record = crash_record  # type: ignore[method-assign]
    rows = {r["service"]: r for r in status_rows(engine.containers("shop"), [f"w{i}" for i in range(20)], engine)}
    policy = [i for i in range(20) if i % 4 < 2]
    assert sorted(engine.by_id[c].service for c in inspected) == sorted(f"w{i}" for i in policy)
    assert {s: (r["restarts"], r["last_exit_code"]) for s, r in rows.items()} == {
        **{f"w{i}": (i + 100, i + 200) for i in policy},
        **{f"w{i}": (0, i if i % 2 else None) for i in range(20) if i not in policy},
        "new": (0, None)}
    assert rows["new"]["orphan"] and not rows["w0"]["orphan"]


def test_ctrl_c_while_the_cli_starts_is_exit_130_without_a_traceback(monkeypatch, capsys):
    # A Ctrl-C right after Enter lands in devenv's own imports, before the CLI handles it.
    import builtins

    from devenv.cli import fast

    real_import = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "devenv.cli.main":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(sys, "argv", ["devenv", "down"])
    monkeypatch.setattr(builtins, "__import__", interrupted)
    assert fast.main() == 130
    assert capsys.readouterr().err == "devenv: error: interrupted\n"
