"""`--json` of status and plan, from the real commands against a real project: the output parses
and has exactly the shape documented in docs/commands.md (the examples there are the spec)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import BUSYBOX, run_devenv
from tests.e2e.conftest import free_port

pytestmark = pytest.mark.e2e
DOCS = Path(__file__).resolve().parents[2] / "docs" / "commands.md"


def documented(name: str) -> dict:
    match = re.search(rf"<!-- shape: {name} -->\s*```json\n(.*?)```", DOCS.read_text(), re.DOTALL)
    assert match, f"docs/commands.md documents no `{name} --json` shape"
    return json.loads(match.group(1))


def assert_shape(doc, real, where: str = "$") -> None:
    """Same keys at every level; each list item shaped like the documented first item."""
    if isinstance(doc, dict):
        assert isinstance(real, dict), f"{where}: expected an object, got {real!r}"
        assert set(real) == set(doc), f"{where}: keys {sorted(real)} != documented {sorted(doc)}"
        for key in doc:
            assert_shape(doc[key], real[key], f"{where}.{key}")
    elif isinstance(doc, list):
        assert isinstance(real, list), f"{where}: expected a list, got {real!r}"
        if doc and isinstance(doc[0], (dict, list)):
            for i, item in enumerate(real):
                assert_shape(doc[0], item, f"{where}[{i}]")
    elif doc is not None and real is not None:
        assert type(real) is type(doc), f"{where}: {real!r} is not a {type(doc).__name__}"


def run_json(*args: str, cwd: Path) -> dict:
    result = run_devenv(*args, "--json", cwd=cwd)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_status_and_plan_json_have_the_documented_shape(project):
    port = free_port()
    root = project(f"""
[services.web]
image = "{BUSYBOX}"
command = ["httpd", "-f", "-p", "80"]
ports = ["{port}:80"]

[services.worker]
image = "{BUSYBOX}"
command = ["sleep", "3600"]
""")
    before = run_json("plan", cwd=root)
    assert_shape(documented("plan"), before)
    assert before["noop"] is False
    assert {s["service"]: s["action"] for s in before["services"]} == {"web": "create", "worker": "create"}
    assert run_json("status", cwd=root)["containers"] == []

    came_up = run_json("up", "--wait", cwd=root)  # up --json: the status once it is up
    assert_shape(documented("status"), came_up)
    assert {c["service"]: c["state"] for c in came_up["containers"]} == {"web": "running", "worker": "running"}
    status = run_json("status", cwd=root)
    assert_shape(documented("status"), status)
    rows = {c["service"]: c for c in status["containers"]}
    assert rows["web"]["state"] == "running" and rows["web"]["orphan"] is False
    assert rows["web"]["ports"][0]["url"] == f"http://127.0.0.1:{port}"
    assert rows["worker"]["ports"] == []

    after = run_json("plan", cwd=root)
    assert_shape(documented("plan"), after)
    assert after["noop"] is True


def test_shape_check_can_fail():
    with pytest.raises(AssertionError):
        assert_shape(documented("status"), {"project": "x", "containers": [{"service": "web"}]})
