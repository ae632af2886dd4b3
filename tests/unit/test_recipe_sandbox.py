"""Templates cannot escape (issue 15, point 4): the loader of the sandboxed jinja2 environment
serves only files inside a recipe's folder. `..`, absolute paths and symlinks that lead out are
refused with one clear error, and nothing of the outside file reaches the output."""

from __future__ import annotations

from pathlib import Path

import pytest

from devenv.init import recipes as rc
from tests.conftest import run_devenv
from tests.unit.test_recipes import GOOD, render, write_recipe

SECRET = "top-secret-value-4711"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(f"# {SECRET}\n")
    return path


def house_with(tmp_path: Path, template: str) -> dict[str, str]:
    house = tmp_path / "house"
    write_recipe(house, "sneaky", GOOD + template)
    return {rc.RECIPES_ENV: str(house)}


@pytest.mark.parametrize("name", [
    "../../secret.txt",                # up out of the recipe's folder
    "../sneaky/../../secret.txt",      # up and around
    "postgres/../../secret.txt",       # through another recipe's name
    "./service.toml.j2",               # not a plain name either
])
def test_a_template_cannot_include_a_relative_path_out_of_its_folder(tmp_path, secret, name):
    environ = house_with(tmp_path, f'{{% include "{name}" %}}\n')
    with pytest.raises(rc.TemplateOutside, match=r"recipe sneaky: template .* is outside the recipe's folder"):
        render(tmp_path, "sneaky", environ=environ)


def test_a_template_cannot_include_an_absolute_path(tmp_path, secret):
    environ = house_with(tmp_path, f'{{% include "{secret}" %}}\n')
    with pytest.raises(rc.TemplateOutside, match=f"template '{secret}' is outside the recipe's folder"):
        render(tmp_path, "sneaky", environ=environ)


def test_a_template_cannot_extend_or_import_a_path_out_of_its_folder(tmp_path, secret):
    for tag in ('{% extends "../../secret.txt" %}', '{% import "../../secret.txt" as s %}',
                '{% from "../../secret.txt" import x %}'):
        environ = house_with(tmp_path / tag.split()[1], tag + "\n")
        with pytest.raises(rc.TemplateOutside):
            render(tmp_path / tag.split()[1], "sneaky", environ=environ)


def test_a_symlink_out_of_the_recipe_folder_is_refused(tmp_path, secret):
    environ = house_with(tmp_path, '{% include "notes.j2" %}\n')
    (tmp_path / "house" / "sneaky" / "notes.j2").symlink_to(secret)
    with pytest.raises(rc.TemplateOutside, match=r"template 'notes.j2' is a link to .*secret.txt, outside"):
        render(tmp_path, "sneaky", environ=environ)


def test_a_symlinked_folder_inside_the_recipe_does_not_lead_out(tmp_path, secret):
    environ = house_with(tmp_path, '{% include "sneaky/up/secret.txt" %}\n')
    (tmp_path / "house" / "sneaky" / "up").symlink_to(tmp_path)
    with pytest.raises(rc.TemplateOutside, match="outside the recipe's folder"):
        render(tmp_path, "sneaky", environ=environ)


def test_a_file_inside_the_folder_and_another_recipe_are_still_served(tmp_path):
    environ = house_with(tmp_path, '{% include "extra.j2" %}\n')
    (tmp_path / "house" / "sneaky" / "extra.j2").write_text("# included from the recipe's own folder\n")
    assert "# included from the recipe's own folder" in render(tmp_path, "sneaky", environ=environ).files[
        "devenv.toml"]
    # the builtin flask recipe extends "python/service.toml.j2": a named recipe's folder is allowed
    assert "[services.web]" in render(tmp_path, "flask").files["devenv.toml"]


def test_init_refuses_the_escape_with_exit_2_and_leaks_nothing(tmp_path, secret):
    environ = house_with(tmp_path, '{% include "../../secret.txt" %}\n')
    project = tmp_path / "proj"
    project.mkdir()
    result = run_devenv("init", "--recipe", "python", "--with", "sneaky", cwd=project, env=environ)
    assert result.code == 2, result.output
    assert "template '../../secret.txt' is outside the recipe's folder" in result.err
    assert SECRET not in result.output
    assert "Traceback" not in result.output
    assert not (project / "devenv.toml").exists()


def test_a_sandbox_limit_is_a_recipe_error_not_an_internal_one(tmp_path):
    environ = house_with(tmp_path, "{% for i in range(10**9) %}x{% endfor %}\n")
    with pytest.raises(rc.UsageError, match=r"recipe sneaky: service\.toml\.j2: Range too big"):
        render(tmp_path, "sneaky", environ=environ)


def test_a_template_that_is_not_utf8_is_named_as_such_not_as_missing(tmp_path):
    environ = house_with(tmp_path, "")
    (tmp_path / "house" / "sneaky" / "service.toml.j2").write_bytes(GOOD.encode() + b"# caf\xe9\n")
    with pytest.raises(rc.UsageError, match=r"sneaky/service\.toml\.j2:5: not valid UTF-8: byte 0xe9"):
        render(tmp_path, "sneaky", environ=environ)


def test_a_runaway_rendering_is_shown_cut_short(tmp_path):
    environ = house_with(tmp_path, '{{ "x" * 1000000 }}\n' + "bad line\n" * 100)
    with pytest.raises(rc.UsageError, match="rendered invalid TOML") as info:
        render(tmp_path, "sneaky", environ=environ)
    assert len(info.value.details or "") < 10_000 and "more characters" in info.value.details
