"""Layers: -f a -f b stacking, --sources, --env-file."""

from __future__ import annotations

import json

import pytest

from devenv.cli.main import main


def test_stacked_files_and_sources(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.toml").write_text('[project]\nname = "p"\n[services.web]\nimage = "x"\nenv = { A = "1" }\n')
    (tmp_path / "b.toml").write_text('[services.web]\nenv = { B = "2" }\nports = ["8000:80"]\n')
    assert main(["-f", "a.toml", "-f", "b.toml", "config", "--json"]) == 0
    web = json.loads(capsys.readouterr().out)["services"]["web"]
    assert web["env"] == {"A": "1", "B": "2"} and web["ports"] == ["8000:80"]
    assert main(["-f", "a.toml", "-f", "b.toml", "config", "--sources", "--json"]) == 0
    sources = json.loads(capsys.readouterr().out)
    assert sources["services.web.image"] == "a.toml"
    assert sources["services.web.env.A"] == "a.toml" and sources["services.web.env.B"] == "b.toml"
    assert sources["services.web.ports"] == "b.toml"


def test_env_file_replaces_dotenv(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TAG", raising=False)
    (tmp_path / "devenv.toml").write_text('[services.web]\nimage = "x:${TAG:-none}"\n')
    (tmp_path / ".env").write_text("TAG=dotenv\n")
    (tmp_path / "ci.env").write_text("TAG=ci\n")
    assert main(["config", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["services"]["web"]["image"] == "x:dotenv"
    assert main(["--env-file", "ci.env", "config", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["services"]["web"]["image"] == "x:ci"
    assert main(["--env-file", "missing.env", "config"]) == 2
    assert "no such env file" in capsys.readouterr().err
    (tmp_path / "venv.env").mkdir()
    assert main(["--env-file", "venv.env", "config"]) == 2
    assert "venv.env: a folder, not an env file" in capsys.readouterr().err
    # /dev/null is an empty env file (not a regular file), as Compose takes it: .env is replaced
    assert main(["--env-file", "/dev/null", "config", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["services"]["web"]["image"] == "x:none"
    # A virtualenv named .env is common: a default .env that is a folder is not an env file.
    (tmp_path / ".env").unlink()
    (tmp_path / ".env").mkdir()
    assert main(["config", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["services"]["web"]["image"] == "x:none"


def test_missing_layer_file_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["-f", "nope.toml", "config"]) == 2
    assert "nope.toml: no such manifest file" in capsys.readouterr().err


def test_missing_env_file_is_a_clear_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "devenv.toml").write_text('[services.web]\nimage = "x"\nenv_file = ["web.env"]\n')
    from devenv.core.spec import service_env
    from devenv.errors import UsageError
    from devenv.manifest.load import load_project

    project = load_project(directory=tmp_path, environ={})
    with pytest.raises(UsageError, match=r"env_file 'web\.env' does not exist") as info:
        service_env(project, project.manifest.services["web"])
    assert info.value.hint == "create it, or remove it from env_file"
    (tmp_path / "web.env").mkdir()
    with pytest.raises(UsageError, match=r"env_file 'web\.env' is a folder, not a file"):
        service_env(project, project.manifest.services["web"])
    (tmp_path / "web.env").rmdir()
    (tmp_path / "web.env").write_text("A=1\n")
    assert service_env(project, project.manifest.services["web"]) == {"A": "1"}


def test_env_file_values_read_the_environment_then_the_projects_dotenv(tmp_path, monkeypatch):
    # As docker compose: web.env's $A and bare D come from .env when the environment lacks them.
    from devenv.core.spec import service_env
    from devenv.manifest.load import load_project

    (tmp_path / "devenv.toml").write_text('[services.web]\nimage = "x"\nenv_file = ["web.env"]\n')
    (tmp_path / ".env").write_text("A=fromdotenv\nD=dfromdotenv\nE=efromdotenv\n")
    (tmp_path / "web.env").write_text("B=$A\nC=${A:+yes}\nD\nE\n")
    monkeypatch.delenv("A", raising=False)
    monkeypatch.delenv("D", raising=False)
    monkeypatch.setenv("E", "efromenv")
    project = load_project(directory=tmp_path, environ={"E": "efromenv"})
    assert service_env(project, project.manifest.services["web"]) == {"B": "fromdotenv", "C": "yes",
                                                                      "D": "dfromdotenv", "E": "efromenv"}


def test_dotenv_values_name_variables_as_compose_reads_them(tmp_path):
    from devenv.errors import ManifestError
    from devenv.manifest.load import read_dotenv

    env = tmp_path / ".env"
    env.write_text("A=x\nB=${A}2\nC=\"${A}-${HOME}\"\nD='${A}'\nE=pa$$word\nF=$plain\nA=${A}y\n")
    # `$plain` is a reference too, unset so empty (as Compose reads it, with a warning)
    assert read_dotenv(env, {"HOME": "/h"}) == {"A": "xy", "B": "x2", "C": "x-/h", "D": "${A}", "E": "pa$word",
                                                "F": ""}
    assert read_dotenv(env, {"HOME": "/h", "A": "env"})["B"] == "env2"  # the environment first, as Compose
    env.write_text("A=${NOPE}|${NOPE-d}|${NOPE:-e}\n")  # unset: empty, as Compose (which warns)
    assert read_dotenv(env, {}) == {"A": "|d|e"}
    env.write_text("A=1\nB=${NOPE:?set it}\n")
    with pytest.raises(ManifestError) as info:
        read_dotenv(env, {})
    assert info.value.problems[0].line == 2 and "set it" in str(info.value.problems[0])


def test_defaults_nested_too_deep_are_a_located_error_not_a_crash(tmp_path):
    from devenv.errors import ManifestError
    from devenv.manifest.interpolation import MAX_NESTING
    from devenv.manifest.load import read_dotenv

    def nested(levels: int) -> str:
        text = "x"
        for i in range(levels):
            text = f"${{V{i}:-{text}}}"
        return text

    env = tmp_path / ".env"
    env.write_text(f"A={nested(MAX_NESTING)}\n")
    assert read_dotenv(env, {}) == {"A": "x"}
    env.write_text(f"A=1\nB={nested(500)}\n")  # Python's stack would give out long before 500
    with pytest.raises(ManifestError) as info:
        read_dotenv(env, {})
    assert info.value.problems[0].line == 2 and f"nested more than {MAX_NESTING} deep" in str(info.value)
