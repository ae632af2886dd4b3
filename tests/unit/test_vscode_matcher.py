"""The problem matcher that `devenv vscode` writes, tried on real devenv output: plain, and
coloured as VS Code's terminal gets it; and the watch loop's real marker lines."""

from __future__ import annotations

import os
import re

import pytest

from devenv.vscode import jsonc
from tests.conftest import run_on_a_terminal

BROKEN = '[services.web]\nimage = "busybox"\n\n[services.db]\nimage = "busybox"\nfoo = 1\nports = ["80:abc"]\n'


@pytest.fixture
def generated(make_project, devenv):
    """A project with a broken manifest is no good for `devenv vscode`: write the tasks from a
    valid one, then break it."""
    root = make_project({"devenv.toml": '[services.web]\nimage = "busybox"\n'})
    assert devenv("vscode", cwd=root).code == 0
    tasks = jsonc.parse((root / ".vscode" / "tasks.json").read_text()).root.value["tasks"]
    (root / "devenv.toml").write_text(BROKEN)
    return root, {t["label"]: t for t in tasks}


def matcher(task: dict) -> dict:
    (found,) = task["problemMatcher"]
    return found


def problems(task: dict, output: str, root) -> list[tuple[str, int, str]]:
    """What VS Code would make of `output`: (file, line, message) per matched line."""
    m = matcher(task)
    regex = re.compile(m["pattern"]["regexp"])
    assert m["fileLocation"] == ["autoDetect", "${workspaceFolder}"]
    found = []
    for line in output.splitlines():
        hit = regex.search(line)
        if hit:
            p = m["pattern"]
            file = hit.group(p["file"])
            path = file if os.path.isabs(file) else os.path.join(root, file)  # autoDetect, relative to cwd
            found.append((os.path.realpath(path), int(hit.group(p["line"])), hit.group(p["message"])))
    return found


def expected(root) -> list[tuple[str, int, str]]:
    manifest = os.path.realpath(root / "devenv.toml")
    return [(manifest, 6, "services.db.foo: unknown key 'foo'"),
            (manifest, 7, "services.db.ports[0]: '80:abc' is not a port mapping")]


def check(found, root):
    found = sorted(found)
    assert [(f, n) for f, n, _ in found] == [(f, n) for f, n, _ in expected(root)]
    for (_, _, message), (_, _, want) in zip(found, expected(root), strict=True):
        assert message.startswith(want), message


def test_error_pattern_on_plain_output(generated, devenv):
    root, tasks = generated
    result = devenv("up", cwd=root)
    assert result.code == 2
    for label in ("devenv: up", "devenv: watch"):
        check(problems(tasks[label], result.err, root), root)


def test_error_pattern_on_coloured_terminal_output(generated):
    """VS Code runs tasks in a terminal, so devenv colours its output: the regex must see through it."""
    root, tasks = generated
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    code, output = run_on_a_terminal("up", cwd=root, env=env, timeout=60)
    assert code == 2
    assert "\x1b[" in output, "expected coloured output on a terminal"
    check(problems(tasks["devenv: watch"], output, root), root)


def test_background_patterns_follow_the_watch_loop(capsys):
    from devenv import ui
    from devenv.watch.output import Output
    from devenv.watch.rules import Change

    ui.configure()
    out = Output(as_json=False)
    for name in ("watching", "ready", "change detected", "ready"):
        out.marker(name)
    out.action("web", "restart", [Change("src/app.py", "modified")], 0.42)
    lines = capsys.readouterr().out.splitlines()
    from devenv.vscode import tasks as vscode

    begins, ends = re.compile(vscode.BEGINS_REGEXP), re.compile(vscode.ENDS_REGEXP)
    assert [bool(begins.search(line)) for line in lines] == [False, False, True, False, False]
    assert [bool(ends.search(line)) for line in lines] == [False, True, False, True, False]
    error = re.compile(vscode.ERROR_REGEXP)
    assert not any(error.search(line) for line in lines)


def test_error_pattern_ignores_errors_without_a_place(generated, devenv):
    root, tasks = generated
    (root / "devenv.toml").write_text('[services.web]\nimage = "busybox"\n')
    result = devenv("exec", "nosuch", "true", cwd=root)
    assert result.code == 2 and "devenv: error:" in result.err
    assert problems(tasks["devenv: up"], result.err, root) == []
