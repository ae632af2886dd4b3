"""What `devenv vscode` writes into .vscode/, and how it merges with what is already there.

- tasks.json: the tasks "devenv: up", "down", "status", "logs" and the background task
  "devenv: watch", whose problem matcher follows the watch loop's fixed lines and turns
  `devenv: error: FILE:LINE: message` into a problem on that line of the manifest;
- settings.json: the JSON Schema association of devenv.toml (for the Even Better TOML
  extension, which validates and completes TOML against a JSON Schema);
- extensions.json: that extension as a recommendation;
- devenv.schema.json: the schema itself (`devenv schema`).

Pure: text in, text out (see `merge_*`). Tasks are identified by label; only ours are touched.
The user's other tasks, settings and comments are kept byte for byte, and a comment that sat
inside one of our own entries (which is rewritten) is reported, never dropped silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from devenv.vscode import jsonc

ANSI = r"(?:\u001b\[[0-9;]*m)*"
# The lines of `devenv watch` (devenv/commands/watch.py) and of every devenv error. The colour
# codes devenv prints on a terminal (VS Code runs tasks in one) are allowed for, so the regexes
# match with or without them.
ERROR_REGEXP = rf"devenv: error: {ANSI}(.+?):(\d+): (.*?){ANSI}$"
BEGINS_REGEXP = rf"^{ANSI}devenv: change detected"
ENDS_REGEXP = rf"^{ANSI}devenv: ready"
TOML_EXTENSION = "tamasfe.even-better-toml"
SCHEMA_SETTING = "evenBetterToml.schema.associations"
SCHEMA_FILE = "devenv.schema.json"
MANIFEST_REGEXP = r"^.*[/\\]devenv(\.local)?\.toml$"
HEADER = ("// Tasks labelled \"devenv: …\" are written by `devenv vscode` and rewritten when it runs\n"
          "// again; add your own tasks freely, they are kept.\n")


def problem_matcher(cwd: str, *, background: bool = False) -> dict:
    matcher: dict[str, Any] = {
        "owner": "devenv",
        "source": "devenv",
        "fileLocation": ["autoDetect", cwd],
        "pattern": {"regexp": ERROR_REGEXP, "file": 1, "line": 2, "message": 3},
    }
    if background:
        matcher["background"] = {"activeOnStart": True, "beginsPattern": BEGINS_REGEXP, "endsPattern": ENDS_REGEXP}
    return matcher


def tasks(*, cwd: str = "${workspaceFolder}", global_args: list[str] | None = None) -> list[dict]:
    """Our tasks, in the order they are added. `cwd` is where devenv runs (the manifest's folder)."""
    pre = list(global_args or [])

    def task(label: str, args: list[str], **extra: Any) -> dict[str, Any]:
        return {"label": f"devenv: {label}", "type": "shell", "command": "devenv", "args": pre + args,
                "options": {"cwd": cwd}, **extra}

    return [
        task("up", ["up", "--wait"], problemMatcher=[problem_matcher(cwd)],
             detail="Bring the environment up and wait until it is healthy"),
        task("down", ["down"], problemMatcher=[problem_matcher(cwd)], detail="Remove the containers (volumes kept)"),
        task("status", ["status"], problemMatcher=[problem_matcher(cwd)], detail="Services, health and URLs"),
        task("logs", ["logs", "-f", "--tail", "200"], isBackground=True, problemMatcher=[],
             detail="Follow every service's output", presentation={"panel": "dedicated"}),
        task("watch", ["watch"], isBackground=True, problemMatcher=[problem_matcher(cwd, background=True)],
             detail="Up, then recreate what changed on save", presentation={"panel": "dedicated"}),
    ]


@dataclass
class Merge:
    """The outcome of merging into one file: new text, and what a person should hear about."""

    text: str
    changes: list[str] = field(default_factory=list)
    dropped_comments: list[str] = field(default_factory=list)


def _document(text: str, name: str) -> jsonc.Document:
    from devenv.errors import UsageError

    try:
        doc = jsonc.parse(text)
    except jsonc.JSONCError as exc:
        raise UsageError(f".vscode/{name}:{exc.line}: not valid JSON with comments ({exc}); "
                         "nothing was written", hint=f"fix .vscode/{name}, then run `devenv vscode` again") from None
    if doc.root.kind != "object":
        raise UsageError(f".vscode/{name}: expected a JSON object at the top; nothing was written")
    return doc


def merge_tasks(existing: str | None, wanted: list[dict]) -> Merge:
    if existing is None or not existing.strip():
        body = json.dumps({"version": "2.0.0", "tasks": wanted}, indent=4, ensure_ascii=False)
        return Merge(HEADER + body + "\n", [f"added task '{t['label']}'" for t in wanted])
    merge = Merge(existing)
    doc = _document(existing, "tasks.json")
    if doc.root.get("version") is None:
        merge.text = jsonc.set_property(doc, doc.root, "version", "2.0.0")
        doc = jsonc.parse(merge.text)
    listed = doc.root.get("tasks")
    if listed is None or listed.value.kind != "array":
        if listed is not None:
            _refuse_shape("tasks.json", "tasks", listed.value, "a list of tasks")
        merge.text = jsonc.set_property(doc, doc.root, "tasks", wanted)
        merge.changes += [f"added task '{t['label']}'" for t in wanted]
        return merge
    for want in wanted:
        doc = jsonc.parse(merge.text)
        listed = doc.root.get("tasks")
        if listed is None:  # set above; edits keep it
            raise ValueError("tasks.json lost its \"tasks\"")
        array = listed.value
        found = next((n for n in array.items if n.kind == "object" and isinstance(n.value, dict)
                      and n.value.get("label") == want["label"]), None)
        if found is None:
            merge.text = jsonc.append(doc, array, want)
            merge.changes.append(f"added task '{want['label']}'")
        elif found.value != want:
            merge.dropped_comments += _dropped(doc, found, f"task '{want['label']}'")
            merge.text = jsonc.replace(doc, found, want)
            merge.changes.append(f"updated task '{want['label']}'")
    return merge


def merge_settings(existing: str | None, schema_uri: str) -> Merge:
    wanted = {MANIFEST_REGEXP: schema_uri}
    if existing is None or not existing.strip():
        text = json.dumps({SCHEMA_SETTING: wanted}, indent=4, ensure_ascii=False) + "\n"
        return Merge(text, [f"added {SCHEMA_SETTING}"])
    merge = Merge(existing)
    doc = _document(existing, "settings.json")
    current = doc.root.get(SCHEMA_SETTING)
    if current is None:
        merge.text = jsonc.set_property(doc, doc.root, SCHEMA_SETTING, wanted)
        merge.changes.append(f"added {SCHEMA_SETTING}")
    elif current.value.kind != "object":
        _refuse_shape("settings.json", SCHEMA_SETTING, current.value, "an object")
        merge.text = jsonc.replace(doc, current.value, wanted)
        merge.changes.append(f"added {SCHEMA_SETTING}")
    elif current.value.value.get(MANIFEST_REGEXP) != schema_uri:
        entry = current.value.get(MANIFEST_REGEXP)
        if entry is not None:
            merge.dropped_comments += _dropped(doc, entry.value, f"{SCHEMA_SETTING} entry")
        merge.text = jsonc.set_property(doc, current.value, MANIFEST_REGEXP, schema_uri)
        merge.changes.append(f"set the devenv.toml schema in {SCHEMA_SETTING}")
    return merge


def merge_extensions(existing: str | None) -> Merge:
    if existing is None or not existing.strip():
        text = json.dumps({"recommendations": [TOML_EXTENSION]}, indent=4) + "\n"
        return Merge(text, [f"recommended {TOML_EXTENSION}"])
    merge = Merge(existing)
    doc = _document(existing, "extensions.json")
    listed = doc.root.get("recommendations")
    if listed is None:
        merge.text = jsonc.set_property(doc, doc.root, "recommendations", [TOML_EXTENSION])
    elif listed.value.kind != "array":
        _refuse_shape("extensions.json", "recommendations", listed.value, "a list of extension IDs")
        merge.text = jsonc.replace(doc, listed.value, [TOML_EXTENSION])
    elif TOML_EXTENSION not in listed.value.value:
        merge.text = jsonc.append(doc, listed.value, TOML_EXTENSION)
    else:
        return merge
    merge.changes.append(f"recommended {TOML_EXTENSION}")
    return merge


def _refuse_shape(name: str, key: str, node: jsonc.Node, expected: str) -> None:
    """A value of the wrong shape holds what the user wrote (one task without the brackets, one
    extension as a string): replacing it would lose it. Only a null holds nothing."""
    from devenv.errors import UsageError

    if node.kind == "literal" and node.value is None:
        return
    found = {"object": "an object", "array": "a list", "string": "a string", "number": "a number"}.get(
        node.kind, json.dumps(node.value))
    raise UsageError(f".vscode/{name}: \"{key}\" is {found}, where VS Code expects {expected}; "
                     "nothing was written", hint=f"fix .vscode/{name} (VS Code ignores it as it is), then run "
                                                  "`devenv vscode` again")


def _dropped(doc: jsonc.Document, node: jsonc.Node, what: str) -> list[str]:
    count = doc.comments_in(node.start, node.end)
    return [f"{count} comment{'s' if count != 1 else ''} inside {what}"] if count else []
