"""Loading the options' project reads files only; the engine is asked only by load_claimed."""

from __future__ import annotations

import pytest

from devenv.converge.projects import L_PROJECT, L_ROOT, load_claimed
from devenv.engine import client
from devenv.options import Options


class Resources:
    """What claim_name reads of the engine: labelled rows, per kind and label filter."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows, self.asked = rows, 0

    def resources(self, kind: str, label: str) -> list[dict]:
        self.asked += 1
        key, _, value = label.partition("=")
        return [r for r in self.rows if kind == "containers" and r["Labels"].get(key) == value]


def test_load_touches_no_engine(make_project, monkeypatch):
    root = make_project({"devenv.toml": '[project]\nname = "shop"\n[services.web]\nimage = "x"\n'})

    def no_engine(*args: object, **kwargs: object) -> None:
        raise AssertionError("Options.load() made an Engine")

    monkeypatch.setattr(client.Engine, "__init__", no_engine)
    assert Options(directory=root).load().name == "shop"


@pytest.mark.parametrize("holder, expected", [
    (None, "shop"),  # nobody holds the name: it is ours
    ("/elsewhere", "shop-"),  # another folder holds it: this checkout gets its own
])
def test_load_claimed_takes_a_distinct_name_when_another_folder_holds_it(make_project, holder, expected):
    root = make_project({"devenv.toml": '[project]\nname = "shop"\n[services.web]\nimage = "x"\n'})
    rows = [] if holder is None else [{"Labels": {L_PROJECT: "shop", L_ROOT: holder, "dev.devenv.service": "web"},
                                       "State": "running"}]
    engine = Resources(rows)
    name = load_claimed(Options(directory=root), engine).name  # type: ignore[arg-type]
    assert name.startswith(expected) and (name == "shop") == (holder is None)
    assert engine.asked > 0


def test_a_name_given_by_hand_is_never_claimed(make_project):
    root = make_project({"devenv.toml": '[project]\nname = "shop"\n[services.web]\nimage = "x"\n'})
    engine = Resources([{"Labels": {L_PROJECT: "mine", L_ROOT: "/elsewhere"}, "State": "running"}])
    assert load_claimed(Options(directory=root, project_name="mine"), engine).name == "mine"  # type: ignore[arg-type]
    assert engine.asked == 0
