"""Unit tests are hermetic: the fast path's records (core.fastpath) go to a folder of the test's own."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


@pytest.fixture
def engine_on(tmp_path):
    """An Engine on a stand-in socket that answers with the given replies (standin_engine.py)."""
    from devenv.engine.client import Engine
    from devenv.engine.endpoint import Endpoint
    from tests.unit.standin_engine import StandIn

    def make(*replies: bytes, name: str = "engine") -> tuple[Engine, StandIn]:
        path = tmp_path / f"{name}.sock"
        return Engine(Endpoint(f"unix://{path}", "test")), StandIn(path, list(replies))

    return make
