"""devenv vscode: merging into the user's JSONC files keeps their tasks, settings and comments,
reports what it cannot keep, and is idempotent."""

from __future__ import annotations

import json
import textwrap

import pytest

from devenv.errors import UsageError
from devenv.vscode import jsonc
from devenv.vscode import tasks as vscode

USER_TASKS = textwrap.dedent("""\
    // my project's tasks
    {
        "version": "2.0.0",
        /* build first */
        "tasks": [
            {
                "label": "build", // the real build
                "type": "shell",
                "command": "make",
            },
        ],
    }
    """)


def labels(text: str) -> list[str]:
    return [t["label"] for t in jsonc.parse(text).root.value["tasks"]]


def test_fresh_tasks_file_holds_every_devenv_task():
    merge = vscode.merge_tasks(None, vscode.tasks())
    data = jsonc.parse(merge.text).root.value
    assert data["version"] == "2.0.0"
    assert labels(merge.text) == ["devenv: up", "devenv: down", "devenv: status", "devenv: logs", "devenv: watch"]
    watch = data["tasks"][-1]
    assert watch["isBackground"] is True
    assert watch["problemMatcher"][0]["background"]["activeOnStart"] is True


def test_merge_keeps_the_users_task_and_comments_and_is_idempotent():
    first = vscode.merge_tasks(USER_TASKS, vscode.tasks())
    assert labels(first.text)[0] == "build"
    assert labels(first.text)[1:] == [t["label"] for t in vscode.tasks()]
    for comment in ("// my project's tasks", "/* build first */", "// the real build"):
        assert comment in first.text
    assert first.dropped_comments == []
    # the user's part of the file is untouched, byte for byte
    user_part = USER_TASKS[:USER_TASKS.index("        },\n") + len("        },\n")]
    assert first.text.startswith(user_part)
    second = vscode.merge_tasks(first.text, vscode.tasks())
    assert second.text == first.text
    assert second.changes == []


def test_an_outdated_devenv_task_is_rewritten_and_its_comments_reported():
    old = vscode.merge_tasks(USER_TASKS, vscode.tasks()).text
    outdated = old.replace('"--wait"', '"--wait" /* my tweak */, "--no-deps"', 1)
    assert labels(outdated) == labels(old)
    merge = vscode.merge_tasks(outdated, vscode.tasks())
    assert merge.changes == ["updated task 'devenv: up'"]
    assert merge.dropped_comments == ["1 comment inside task 'devenv: up'"]
    assert "my tweak" not in merge.text and "// the real build" in merge.text
    assert jsonc.parse(merge.text).root.value == jsonc.parse(old).root.value


def test_devenv_vscode_reports_a_dropped_comment(make_project, devenv):
    root = make_project({"devenv.toml": '[services.web]\nimage = "busybox"\n'})
    assert devenv("vscode", cwd=root).code == 0
    tasks = root / ".vscode" / "tasks.json"
    # a comment beside a value that is ours alone is kept: nothing needs rewriting
    tasks.write_text(tasks.read_text().replace('"--wait"', '"--wait" // keep me', 1))
    assert "up to date" in devenv("vscode", cwd=root).err
    assert "// keep me" in tasks.read_text()
    # once the task differs from ours it is rewritten, and the comment's loss is said out loud
    tasks.write_text(tasks.read_text().replace('"--wait" // keep me', '"--wait", "-v" // keep me', 1))
    result = devenv("vscode", cwd=root)
    assert result.code == 0
    assert "1 comment inside task 'devenv: up' could not be kept" in result.err


@pytest.mark.parametrize("text", ['{"tasks": []}', '{}', '{\n  "tasks": [ ] // none yet\n}',
                                  '{"version": "2.0.0", "tasks": [{"label": "a"}]}'])
def test_merge_into_minimal_files_gives_valid_jsonc(text):
    merge = vscode.merge_tasks(text, vscode.tasks())
    assert labels(merge.text)[-5:] == [t["label"] for t in vscode.tasks()]
    assert vscode.merge_tasks(merge.text, vscode.tasks()).text == merge.text


def test_settings_merge_keeps_other_settings_and_associations():
    user = textwrap.dedent("""\
        {
            // tabs, please
            "editor.insertSpaces": false,
            "evenBetterToml.schema.associations": {
                "^.*/pyproject\\\\.toml$": "https://json.schemastore.org/pyproject.json", // theirs
            },
        }
        """)
    merge = vscode.merge_settings(user, "file:///p/.vscode/devenv.schema.json")
    data = jsonc.parse(merge.text).root.value
    assert data["editor.insertSpaces"] is False
    assoc = data[vscode.SCHEMA_SETTING]
    assert assoc["^.*/pyproject\\.toml$"] == "https://json.schemastore.org/pyproject.json"
    assert assoc[vscode.MANIFEST_REGEXP] == "file:///p/.vscode/devenv.schema.json"
    assert "// tabs, please" in merge.text and "// theirs" in merge.text
    assert vscode.merge_settings(merge.text, "file:///p/.vscode/devenv.schema.json").text == merge.text


def test_extensions_recommendation_is_added_once():
    merge = vscode.merge_extensions('{"recommendations": ["ms-python.python"]}')
    assert jsonc.parse(merge.text).root.value["recommendations"] == ["ms-python.python", vscode.TOML_EXTENSION]
    assert vscode.merge_extensions(merge.text).text == merge.text


def test_a_broken_file_is_refused_with_its_line_not_overwritten():
    with pytest.raises(UsageError, match=r"tasks.json:3: not valid JSON"):
        vscode.merge_tasks('{\n  "tasks": [\n    {"label": }\n  ]\n}', vscode.tasks())


def test_jsonc_parser_handles_the_grammar():
    doc = jsonc.parse('// c\n{"a": [1, -2.5e3, true, null, "x\\"y",], /* b */ "b": {"c": {},},}')
    assert doc.root.value == {"a": [1, -2500.0, True, None, 'x"y'], "b": {"c": {}}}
    assert len(doc.comments) == 2
    with pytest.raises(jsonc.JSONCError):
        jsonc.parse('{"a": 1} 2')


def test_devenv_vscode_twice_changes_nothing(make_project, devenv):
    root = make_project({"devenv.toml": '[services.web]\nimage = "busybox"\n',
                         ".vscode/tasks.json": USER_TASKS})
    assert devenv("vscode", cwd=root).code == 0
    before = {p.name: p.read_text() for p in (root / ".vscode").iterdir()}
    assert set(before) == {"tasks.json", "settings.json", "extensions.json", "devenv.schema.json"}
    assert devenv("vscode", "--check", cwd=root).code == 0
    assert devenv("vscode", cwd=root).code == 0
    assert {p.name: p.read_text() for p in (root / ".vscode").iterdir()} == before
    assert "build" in labels(before["tasks.json"])
    schema = json.loads(before["devenv.schema.json"])
    assert "services" in schema["properties"]
    (root / ".vscode" / "extensions.json").unlink()
    assert devenv("vscode", "--check", cwd=root).code == 1


@pytest.mark.parametrize("text", [
    '{\n\t"version": "2.0.0",\n\t"tasks": [\n\t\t{"label": "x"} // mine\n\t]\n}\n',
    '{"version": "2.0.0", "tasks": [{"label": "x"}]}',
])
def test_merge_follows_the_files_layout(text):
    merge = vscode.merge_tasks(text, vscode.tasks())
    assert labels(merge.text) == ["x"] + [t["label"] for t in vscode.tasks()]
    if "\t" in text:
        assert '\n\t\t{\n\t\t\t"label": "devenv: up",' in merge.text and "    " not in merge.text
        assert '{"label": "x"}, // mine' in merge.text
    assert vscode.merge_tasks(merge.text, vscode.tasks()).text == merge.text


@pytest.mark.parametrize("merge, text, message", [
    (lambda t: vscode.merge_tasks(t, vscode.tasks()), '{"version": "2.0.0", "tasks": {"label": "mine"}}',
     r'tasks.json: "tasks" is an object, where VS Code expects a list of tasks; nothing was written'),
    (vscode.merge_extensions, '{"recommendations": "my.ext"}',
     r'extensions.json: "recommendations" is a string, where VS Code expects a list of extension IDs'),
    (lambda t: vscode.merge_settings(t, "file:///s.json"), '{"evenBetterToml.schema.associations": true}',
     r'settings.json: "evenBetterToml.schema.associations" is true, where VS Code expects an object'),
])
def test_a_value_of_the_wrong_shape_is_refused_not_replaced(merge, text, message):
    # It holds what the user wrote (one task without its brackets): replacing it loses it.
    with pytest.raises(UsageError, match=message):
        merge(text)


def test_a_null_value_holds_nothing_and_is_filled():
    merge = vscode.merge_extensions('{"recommendations": null}')
    assert jsonc.parse(merge.text).root.value["recommendations"] == [vscode.TOML_EXTENSION]
    assert labels(vscode.merge_tasks('{"tasks": null}', vscode.tasks()).text) == [t["label"] for t in vscode.tasks()]
