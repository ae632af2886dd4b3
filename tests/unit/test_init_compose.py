"""`devenv init --from compose.yaml` on Compose's own documented examples (tests/unit/compose_examples,
each with its SOURCE): every key with a devenv twin is carried over, the rest is named in a note,
and the manifest validates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from devenv.cli.commands.init import from_compose
from devenv.errors import UsageError
from devenv.init.compose import find_compose, interpolation
from devenv.manifest.load import load_project

EXAMPLES = Path(__file__).parent / "compose_examples"


def convert(tmp_path: Path, example: str, *extra_files: str):
    folder = tmp_path / "proj"
    folder.mkdir(exist_ok=True)
    shutil.copy(EXAMPLES / example, folder / "compose.yaml")
    for rel in extra_files:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text("")
    result = from_compose(folder, ["compose.yaml"], project_name=None)
    (folder / "devenv.toml").write_text(result.files["devenv.toml"])
    project = load_project(files=[folder / "devenv.toml"], directory=folder,
                           environ={"POSTGRES_USER": "u", "POSTGRES_DB": "d"})
    return result, project.manifest.services


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_documented_example_converts_into_a_valid_manifest(tmp_path, example):
    assert (EXAMPLES / example).read_text().startswith("# SOURCE: https://github.com/docker/")
    _, services = convert(tmp_path, example)
    assert services


def test_depends_on_conditions_and_healthcheck_carry_over(tmp_path):
    result, services = convert(tmp_path, "startup-order.yaml")
    assert services["web"].depends_on == {"db": "healthy", "redis": "started"}
    assert services["web"].build.context == "."
    check = services["db"].healthcheck
    assert check.test == ["CMD-SHELL", "pg_isready -U u -d d"]
    assert (check.interval, check.timeout, check.retries, check.start_period) == (10, 10, 5, 30)
    assert any("restart: true" in n for n in result.notes)


def test_develop_watch_becomes_watch_rules(tmp_path):
    _, services = convert(tmp_path, "file-watch-1.yaml", "package.json")
    sync, rebuild = services["web"].watch
    assert (sync.action, sync.paths, sync.target) == ("sync", ["web/**"], "/src/web")
    assert "web/node_modules/**" in sync.ignore
    assert (rebuild.action, rebuild.paths) == ("rebuild", ["package.json"])
    assert services["web"].command == ["npm", "start"]


def test_sync_restart_is_a_sync_then_a_restart_and_build_target_is_kept(tmp_path):
    _, services = convert(tmp_path, "file-watch-2.yaml", "proxy/nginx.conf")
    actions = [(r.action, r.paths) for r in services["web"].watch]
    assert ("sync", ["proxy/nginx.conf"]) in actions and ("restart", ["proxy/nginx.conf"]) in actions
    assert services["backend"].build.context == "./backend"
    assert services["backend"].build.target == "builder"


def test_profiles_carry_over(tmp_path):
    _, services = convert(tmp_path, "profiles.yaml")
    assert services["db-migrations"].profiles == ["tools"]
    assert services["db-migrations"].command == ["myapp", "migrate"]
    assert services["db-migrations"].depends_on == {"db": "started"}
    assert not services["backend"].profiles


def test_volumes_env_restart_user_and_unsupported_keys(tmp_path):
    result, services = convert(tmp_path, "nginx-golang-postgres.yaml")
    db, proxy = services["db"], services["proxy"]
    assert db.mounts == ["db-data:/var/lib/postgresql"]
    assert db.env["POSTGRES_DB"] == "example"
    assert (db.restart, db.user) == ("always", "postgres")
    assert proxy.mounts == ["./proxy/nginx.conf:/etc/nginx/conf.d/default.conf:ro"]
    assert proxy.ports == ["80:80"]
    joined = "\n".join(result.notes)
    assert "secrets is not supported" in joined and "top-level secrets" in joined
    assert "expose" in joined


def test_service_names_are_normalised_and_references_follow(tmp_path):
    result, services = convert(tmp_path, "react-express-mongodb.yaml")
    assert set(services) == {"frontend", "backend", "db"}
    assert services["backend"].depends_on == {"db": "started"}
    assert services["frontend"].mounts == ["./frontend:/app"]
    assert any("renamed from 'Backend'" in n for n in result.notes)


def test_compose_interpolation_is_rewritten_to_devenv_semantics():
    assert interpolation("$HOME/x") == "${HOME:-}/x"
    assert interpolation("${A}") == "${A:-}"
    assert interpolation("${A:-b}") == "${A:-b}"
    assert interpolation("$$HOME") == "$$HOME"


def test_a_compose_file_in_a_subfolder_keeps_its_paths_right(tmp_path):
    folder = tmp_path / "proj"
    (folder / "deploy").mkdir(parents=True)
    (folder / "deploy" / "compose.yaml").write_text(
        "services:\n  web:\n    build: ..\n    volumes: ['../src:/app/src', 'data:/data']\n    env_file: .env\n")
    (folder / "deploy" / ".env").write_text("A=1\n")
    result = from_compose(folder, ["deploy/compose.yaml"], project_name=None)
    text = result.files["devenv.toml"]
    assert 'build = "."' in text and '"./src:/app/src"' in text and '"./deploy/.env"' in text


def test_an_override_file_merges_like_compose_does(tmp_path):
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "compose.yaml").write_text("services:\n  web:\n    image: app\n    environment: [A=1, B=2]\n"
                                         "    ports: ['8000:8000']\n")
    (folder / "compose.override.yaml").write_text("services:\n  web:\n    environment:\n      B: '3'\n"
                                                  "    ports: ['5678:5678']\n")
    assert find_compose(folder) == ["compose.yaml", "compose.override.yaml"]
    text = from_compose(folder, find_compose(folder), project_name=None).files["devenv.toml"]
    assert 'A = "1"' in text and 'B = "3"' in text and '"5678:5678"' in text and '"8000:8000"' in text


def test_not_a_compose_file_is_a_usage_error(tmp_path):
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "compose.yaml").write_text("just: text\n")
    with pytest.raises(UsageError, match="not a Compose file"):
        from_compose(folder, ["compose.yaml"], project_name=None)
    with pytest.raises(UsageError, match="no such file"):
        from_compose(folder, ["nope.yaml"], project_name=None)


def test_required_variables_do_not_stop_the_conversion(tmp_path):
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "compose.yaml").write_text("services:\n  db:\n    image: postgres\n    environment:\n"
                                         "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}\n")
    text = from_compose(folder, ["compose.yaml"], project_name=None).files["devenv.toml"]
    assert "${POSTGRES_PASSWORD:?set it}" in text
