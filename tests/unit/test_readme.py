"""The README stays true: every manifest key is in its reference, every command in its table,
and the demo manifest it points at validates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from devenv.cli.main import cli
from devenv.manifest import model
from devenv.manifest.load import load_project

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()


@pytest.mark.parametrize("cls", [model.ProjectSection, model.Service, model.WatchRule])
def test_every_manifest_key_is_in_the_reference(cls):
    missing = [key for key in cls.model_fields if f"| `{key}` |" not in README]
    assert missing == []


def test_every_command_is_in_the_commands_table():
    table = README.split("## Commands", 1)[1].split("## Exit codes", 1)[0]
    missing = [name for name in cli.commands if not re.search(rf"`devenv [^`]*\b{re.escape(name)}\b", table)]
    assert missing == []


def test_exit_codes_are_documented():
    from devenv import errors

    codes = {errors.EXIT_OK, errors.EXIT_SERVICE_FAILED, errors.EXIT_USAGE, errors.EXIT_ENGINE, errors.EXIT_LOCK,
             errors.EXIT_INTERRUPTED}
    table = README.split("## Exit codes", 1)[1]
    assert all(f"| {code} |" in table for code in codes)


def test_readme_test_command_is_what_ci_runs():
    assert "scripts/test" in README and "scripts/test" in (REPO / ".ci" / "run").read_text()


def test_demo_manifest_validates():
    project = load_project(directory=REPO / "examples" / "demo", environ={})
    assert set(project.manifest.services) == {"cache", "api", "web"}
