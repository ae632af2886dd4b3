"""Recipes: every one renders with its defaults into a manifest that validates; templates are
sandboxed and strict; parameters are typed; `devenv init` and `devenv recipes` behave."""

from __future__ import annotations

import json
import textwrap
import tomllib
from pathlib import Path

import pytest

from devenv.cli.commands.init import compose
from devenv.errors import UsageError
from devenv.init import recipes as rc
from devenv.manifest.load import load_project
from tests.conftest import run_devenv

SOURCES = rc.discover({})
APP_RECIPES = sorted(n for n, s in SOURCES.items() if s.recipe.kind == "app")
SERVICE_RECIPES = sorted(n for n, s in SOURCES.items() if s.recipe.kind == "service")
REQUIRED = {"python", "django", "flask", "fastapi", "node", "express", "nextjs", "rails", "go", "laravel",
            "spring", "postgres", "mysql", "redis", "mongodb", "rabbitmq"}


# Services that keep nothing worth a volume (a cache in memory).
STATELESS = {"memcached"}


def render(tmp_path: Path, *recipes: str, sets=(), with_=(), environ=None):
    folder = tmp_path / "proj"
    folder.mkdir(parents=True, exist_ok=True)
    return compose(folder, recipes=list(recipes), with_=list(with_), sets=list(sets), project_name=None,
                   environ=environ if environ is not None else {})


def loaded(tmp_path: Path, scaffolded) -> object:
    folder = tmp_path / "proj"
    for rel, text in scaffolded.files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    return load_project(files=[folder / "devenv.toml"], directory=folder, environ={})


def test_the_required_stacks_all_have_a_recipe():
    assert set(SOURCES) >= REQUIRED


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_recipe_renders_with_defaults_into_a_valid_manifest(tmp_path, name):
    project = loaded(tmp_path, render(tmp_path, name))
    recipe = SOURCES[name].recipe
    assert project.manifest.services, name
    for service in project.manifest.services.values():
        assert service.healthcheck is not None, f"{name}: no healthcheck"
        if name not in STATELESS:
            assert any(m.kind == "volume" for m in service.parsed_mounts()), f"{name}: no named volume"
    if recipe.kind == "app":
        (service,) = project.manifest.services.values()
        assert service.command or service.build, name
        assert service.provision and service.provision_inputs, f"{name}: dependencies must install as provision"
        assert any(m.kind == "bind" and m.target == "/app" for m in service.parsed_mounts()), f"{name}: sources"
        assert service.watch, f"{name}: no watch rules"
        assert service.ports, name


CHOICES = [(name, key, choice) for name, source in sorted(SOURCES.items())
           for key, param in source.recipe.params.items() for choice in (param.choices or [])]


@pytest.mark.parametrize("name, key, choice", CHOICES)
def test_every_choice_of_every_parameter_renders_valid(tmp_path, name, key, choice):
    project = loaded(tmp_path, render(tmp_path, name, sets=[f"{key}={choice}"]))
    service = project.manifest.services["web" if SOURCES[name].recipe.kind == "app" else name]
    assert service.healthcheck is not None


@pytest.mark.parametrize("name", APP_RECIPES)
def test_app_recipes_link_every_backing_service(tmp_path, name):
    project = loaded(tmp_path, render(tmp_path, name, with_=SERVICE_RECIPES))
    web = project.manifest.services["web"]
    assert web.depends_on == {s: "healthy" for s in SERVICE_RECIPES}
    assert {"DATABASE_URL", "REDIS_URL", "MONGODB_URL", "AMQP_URL"} <= set(web.env)


def test_user_host_is_used_where_the_image_allows_it(tmp_path):
    users = {name: loaded(tmp_path / name, render(tmp_path / name, name)).manifest.services["web"].user
             for name in APP_RECIPES}
    assert {n for n, u in users.items() if u == "host"} == {"go", "rails", "laravel", "php"}
    assert (render(tmp_path / "x", "flask", sets=["user=host"]).files["devenv.toml"]).count('user = "host"') == 1


def test_a_string_default_may_use_other_parameters(tmp_path):
    text = render(tmp_path, "python", sets=["python_version=3.11"]).files["devenv.toml"]
    assert 'image = "python:3.11-slim"' in text
    text = render(tmp_path, "spring", sets=["build_tool=gradle", "java_version=17"]).files["devenv.toml"]
    assert 'image = "gradle:8-jdk17"' in text


def test_laravel_writes_its_dockerfile_and_builds_from_it(tmp_path):
    scaffolded = render(tmp_path, "laravel", with_=["postgres"])
    assert "pdo_pgsql" in scaffolded.files["docker/dev/Dockerfile"]
    project = loaded(tmp_path, scaffolded)
    assert project.manifest.services["web"].build.context == "docker/dev"
    assert project.manifest.services["web"].env["DB_CONNECTION"] == "pgsql"


# -- parameters ----------------------------------------------------------------------------------

@pytest.mark.parametrize("setting, message", [
    ("port=abc", "port: 'abc' is not an integer"),
    ("migrate=maybe", "migrate: 'maybe' is not a boolean"),
    ("deps=conda", "deps: 'conda' is not one of requirements, pyproject, poetry, pipenv, uv"),
])
def test_a_wrong_set_type_is_a_clear_error(tmp_path, setting, message):
    with pytest.raises(UsageError, match=message):
        render(tmp_path, "django", sets=[setting])


def test_set_values_are_coerced_to_the_parameter_type(tmp_path):
    scaffolded = render(tmp_path, "django", sets=["port=8001", "migrate=false"])
    assert 'ports = ["8001:8001"]' in scaffolded.files["devenv.toml"]
    assert "migrate --noinput" not in scaffolded.files["devenv.toml"]


def test_django_migrates_as_a_provision_step_that_reruns_when_a_migration_changes(tmp_path):
    project = loaded(tmp_path, render(tmp_path, "django", with_=["postgres"]))
    web = project.manifest.services["web"]
    assert web.provision[-1] == "python manage.py migrate --noinput"
    assert "**/migrations/*.py" in web.provision_inputs
    assert "migrate" not in " ".join(web.command), "migrations belong to provision, not to every start"
    assert any("**/migrations/*.py" in rule.paths and rule.action == "recreate" for rule in web.watch)
    assert web.depends_on == {"postgres": "healthy"}, "provision runs once the database is healthy"


def test_rails_leaves_the_gem_location_to_the_image(tmp_path):
    # The ruby image's GEM_HOME is /usr/local/bundle already; BUNDLE_PATH made bundler ignore
    # gems installed anywhere else in the image.
    web = loaded(tmp_path, render(tmp_path, "rails")).manifest.services["web"]
    assert "BUNDLE_PATH" not in web.env


def test_rabbitmq_is_healthy_only_once_its_ports_answer(tmp_path):
    # `rabbitmq-diagnostics ping` passes while RabbitMQ itself is still starting.
    service = loaded(tmp_path, render(tmp_path, "rabbitmq")).manifest.services["rabbitmq"]
    assert "check_port_connectivity" in " ".join(service.healthcheck.test)


def test_set_can_target_one_service(tmp_path):
    text = render(tmp_path, "flask", with_=["postgres"], sets=["postgres.version=15", "web.port=5001"]
                  ).files["devenv.toml"]
    assert 'image = "postgres:15"' in text and 'ports = ["5001:5001"]' in text


@pytest.mark.parametrize("setting, message", [
    ("colour=blue", "no recipe here has a parameter 'colour'"),
    ("nosuch.port=1", "no service or recipe 'nosuch'"),
    ("justakey", "expected KEY=VALUE"),
    ("postgres.verison=1", "has no parameter 'verison' \\(did you mean 'version'\\?\\)"),
])
def test_bad_set_keys_are_clear_errors(tmp_path, setting, message):
    with pytest.raises(UsageError, match=message):
        render(tmp_path, "flask", with_=["postgres"] if "postgres" in setting else [], sets=[setting])


def test_an_out_of_range_port_fails_validation_not_later(tmp_path):
    with pytest.raises(UsageError, match="does not validate"):
        render(tmp_path, "flask", sets=["port=70000"])


def test_a_value_with_quotes_stays_valid_toml(tmp_path):
    text = render(tmp_path, "python", sets=['command=python -c "print(\'hi\')"']).files["devenv.toml"]
    assert tomllib.loads(text)["services"]["web"]["command"] == 'python -c "print(\'hi\')"'


def test_param_defaults_must_have_their_type():
    with pytest.raises(ValueError, match="is not an integer"):
        rc.Param(type="int", default="eighty", description="x")


# -- user recipes, sandbox, strictness -----------------------------------------------------------

def write_recipe(folder: Path, name: str, template: str, extra: str = "") -> Path:
    recipe = folder / name
    recipe.mkdir(parents=True)
    (recipe / "recipe.toml").write_text(textwrap.dedent(f"""\
        name = "{name}"
        description = "house recipe"
        kind = "service"
        {extra}
        [params.tag]
        default = "1"
        description = "image tag"
        """))
    (recipe / "service.toml.j2").write_text(template)
    return recipe


GOOD = '[services.{{ service }}]\nimage = "house/cache:{{ tag }}"\nmounts = ["{{ volume("data") }}:/data"]\n' \
       'healthcheck = { test = "true" }\n'


def test_user_recipes_are_searched_first_and_can_replace_a_builtin(tmp_path):
    house = tmp_path / "house"
    write_recipe(house, "redis", GOOD)
    write_recipe(house, "cache", GOOD)
    sources = rc.discover({rc.RECIPES_ENV: str(house)})
    assert sources["redis"].recipe.origin == f"{house}/redis"
    assert sources["postgres"].recipe.origin == "builtin"
    text = render(tmp_path, "redis", environ={rc.RECIPES_ENV: str(house)}).files["devenv.toml"]
    assert 'image = "house/cache:1"' in text


def test_a_missing_parameter_is_an_error_never_an_empty_string(tmp_path):
    house = tmp_path / "house"
    write_recipe(house, "broken", GOOD.replace("{{ tag }}", "{{ tga }}"))
    with pytest.raises(UsageError, match="'tga' is undefined"):
        render(tmp_path, "broken", environ={rc.RECIPES_ENV: str(house)})


def test_templates_run_in_the_sandbox(tmp_path):
    house = tmp_path / "house"
    write_recipe(house, "sneaky", GOOD + "# {{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(UsageError, match=r"unsafe|not safely|access to attribute"):
        render(tmp_path, "sneaky", environ={rc.RECIPES_ENV: str(house)})


def test_a_broken_recipe_toml_names_its_file(tmp_path):
    house = tmp_path / "house"
    write_recipe(house, "bad", GOOD, extra='kind2 = "x"')
    with pytest.raises(UsageError, match=r"bad/recipe.toml: not a valid recipe: kind2"):
        rc.discover({rc.RECIPES_ENV: str(house)})


def test_unknown_recipe_suggests_a_close_name(tmp_path):
    with pytest.raises(UsageError, match="unknown recipe 'postgre' \\(did you mean 'postgres'\\?\\)"):
        render(tmp_path, "postgre")


def test_with_takes_services_only(tmp_path):
    with pytest.raises(UsageError, match="--with flask: flask is an app recipe"):
        render(tmp_path, "python", with_=["flask"])


# -- the command ---------------------------------------------------------------------------------

@pytest.fixture
def flask_app(make_project):
    return make_project({"requirements.txt": "flask\npsycopg[binary]\n", "app.py": "print('hi')\n"})


def test_init_writes_the_manifest_ignore_file_and_gitignore_line(flask_app):
    (flask_app / ".gitignore").write_text("*.pyc")
    result = run_devenv("init", cwd=flask_app)
    assert result.code == 0, result.output
    assert "web       flask" in result.out and "requirements.txt:1 declares flask" in result.out
    assert "postgres  postgres" in result.out and "declares psycopg" in result.out
    project = load_project(directory=flask_app, environ={})
    assert set(project.manifest.services) == {"web", "postgres"}
    assert (flask_app / ".devenvignore").read_text().count(".venv") == 1
    assert (flask_app / ".gitignore").read_text() == "*.pyc\n# personal devenv overrides\ndevenv.local.toml\n"
    run_devenv("init", "--force", cwd=flask_app)
    assert (flask_app / ".gitignore").read_text().count("devenv.local.toml") == 1


def test_an_existing_manifest_is_never_overwritten_without_force(flask_app):
    (flask_app / "devenv.toml").write_text("# mine\n")
    result = run_devenv("init", cwd=flask_app)
    assert result.code == 2
    assert "already exists" in result.err and "--force" in result.err and "Traceback" not in result.output
    assert (flask_app / "devenv.toml").read_text() == "# mine\n"
    assert not (flask_app / ".devenvignore").exists()
    assert run_devenv("init", "--force", cwd=flask_app).code == 0
    assert "[services.web]" in (flask_app / "devenv.toml").read_text()


def test_dry_run_prints_the_files_and_writes_nothing(flask_app):
    result = run_devenv("init", "--dry-run", cwd=flask_app)
    assert result.code == 0, result.output
    assert "# ---- devenv.toml ----" in result.out and "[services.postgres]" in result.out
    assert "# ---- .devenvignore ----" in result.out
    assert "detected:" in result.err
    assert sorted(p.name for p in flask_app.iterdir()) == ["app.py", "requirements.txt"]


@pytest.mark.parametrize("args, message", [
    (["--set", "port=abc"], "recipe flask: port: 'abc' is not an integer"),
    (["--recipe", "nope"], "unknown recipe 'nope'"),
    (["--set", "port"], "expected KEY=VALUE"),
])
def test_user_errors_exit_2_without_a_traceback(flask_app, args, message):
    result = run_devenv("init", *args, cwd=flask_app)
    assert result.code == 2, result.output
    assert message in result.err and "Traceback" not in result.output
    assert not (flask_app / "devenv.toml").exists()


def test_nothing_detected_is_a_clear_error(make_project):
    folder = make_project({"README.md": "hello"})
    result = run_devenv("init", cwd=folder, input="")
    assert result.code == 2 and "no stack detected" in result.err and "--recipe" in result.err


def test_init_json_reports_services_and_reasons(flask_app):
    result = run_devenv("init", "--json", "--set", "port=5050", cwd=flask_app)
    data = json.loads(result.out)
    web = data["services"][0]
    assert web["recipe"] == "flask" and web["host_port"] == 5050 and web["links"] == ["postgres"]
    assert web["param_reasons"]["port"] == "set with --set"
    assert data["written"] == ["devenv.toml", ".devenvignore"]


def test_recipes_lists_names_descriptions_and_parameters():
    result = run_devenv("recipes")
    assert result.code == 0
    for name in REQUIRED:
        assert f"\n{name} " in "\n" + result.out
    assert "python_version  str   = \"3.12\"" in result.out
    data = json.loads(run_devenv("recipes", "--json").out)
    assert {r["name"] for r in data} >= REQUIRED
    assert data[0]["params"]
    one = run_devenv("recipes", "postgres")
    assert one.out.startswith("postgres") and "flask" not in one.out


def test_recipes_shows_house_recipes_with_their_origin(tmp_path):
    write_recipe(tmp_path / "house", "cache", GOOD)
    result = run_devenv("recipes", env={rc.RECIPES_ENV: str(tmp_path / "house")})
    assert f"[{tmp_path / 'house'}/cache]" in result.out


def test_dollars_in_values_stay_literal_through_interpolation(tmp_path):
    project = loaded(tmp_path, render(tmp_path, "python", with_=["postgres"],
                                      sets=["command=sh -c 'echo $HOME ${USER}'", "postgres.password=pa$$${x}"]))
    assert project.manifest.services["web"].command == ["sh", "-c", "echo $HOME ${USER}"]
    assert project.manifest.services["postgres"].env["POSTGRES_PASSWORD"] == "pa$$${x}"
    assert project.manifest.services["web"].env["DATABASE_URL"] == "postgres://postgres:pa$$${x}@postgres:5432/app"


def test_a_recipe_cannot_write_outside_the_project(tmp_path):
    house = tmp_path / "house"
    write_recipe(house, "escape", GOOD, extra='[files]\n"../../evil" = "service.toml.j2"\n')
    with pytest.raises(UsageError, match="must be a relative path inside the app's folder"):
        rc.discover({rc.RECIPES_ENV: str(house)})


def test_a_house_app_recipe_takes_part_in_detection_and_replaces_the_generic_one(make_project, tmp_path):
    house = tmp_path / "house"
    recipe = house / "shop-python"
    recipe.mkdir(parents=True)
    (recipe / "recipe.toml").write_text(textwrap.dedent("""\
        name = "shop-python"
        description = "Our Python services, on the house base image"
        kind = "app"
        replaces = ["python"]
        [detect]
        files = ["requirements.txt"]
        packages = ["shop-*"]
        [params.port]
        type = "int"
        default = 9000
        description = "port"
        """))
    (recipe / "service.toml.j2").write_text(
        '{% extends "python/service.toml.j2" %}\n{% block command %}"shop-serve"{% endblock %}\n')
    (recipe / "recipe.toml").write_text((recipe / "recipe.toml").read_text() + "".join(
        f'[params.{k}]\ndefault = "{v}"\ndescription = "{k}"\n' for k, v in
        {"image": "house/python:3", "deps": "requirements", "user": "", "command": "x"}.items()))
    folder = make_project({"requirements.txt": "shop-core\n"})
    result = run_devenv("init", "--dry-run", cwd=folder, env={rc.RECIPES_ENV: str(house)})
    assert result.code == 0, result.output
    assert "web   shop-python" in result.err and "requirements.txt:1 declares shop-core" in result.err
    assert 'image = "house/python:3"' in result.out and 'command = "shop-serve"' in result.out


def test_recipes_name_unknown_is_a_usage_error():
    result = run_devenv("recipes", "postgress")
    assert result.code == 2 and "did you mean 'postgres'" in result.err


@pytest.mark.parametrize("sets, path", [
    ([], "/var/lib/postgresql/data"),  # the default, 16
    (["postgres.version=17"], "/var/lib/postgresql/data"),
    (["postgres.version=18"], "/var/lib/postgresql"),
    (["postgres.image=postgres:18-alpine"], "/var/lib/postgresql"),
    (["postgres.image=postgres:16.4-bookworm"], "/var/lib/postgresql/data"),
    (["postgres.image=postgres"], "/var/lib/postgresql"),  # latest: 18 and on
    (["postgres.image=postgres:alpine"], "/var/lib/postgresql"),
    (["postgres.image=localhost:5000/library/postgres:15"], "/var/lib/postgresql/data"),
    (["postgres.version=17", "postgres.image=postgres@sha256:" + "a" * 64], "/var/lib/postgresql/data"),
])
def test_postgres_data_volume_sits_where_the_images_major_version_keeps_data(tmp_path, sets, path):
    # From 18 the official image keeps PGDATA at /var/lib/postgresql/18/docker (VOLUME
    # /var/lib/postgresql): a volume on the old path would stay empty and the data be lost.
    project = loaded(tmp_path, render(tmp_path, "postgres", sets=sets))
    (mount,) = project.manifest.services["postgres"].parsed_mounts()
    assert mount.kind == "volume" and mount.target == path


def test_database_recipes_speak_the_official_entrypoints_even_without_a_password(tmp_path):
    # The entrypoints refuse an empty MYSQL_ROOT_PASSWORD / POSTGRES_PASSWORD and MYSQL_USER=root.
    def env(recipe, *sets):
        project = loaded(tmp_path, render(tmp_path, recipe, sets=list(sets)))
        return dict(project.manifest.services[recipe].env)

    assert env("mysql") == {"MYSQL_ROOT_PASSWORD": "dev", "MYSQL_DATABASE": "app", "MYSQL_USER": "app",
                            "MYSQL_PASSWORD": "dev"}
    assert env("mysql", "mysql.password=", "mysql.db_user=root") == {"MYSQL_ALLOW_EMPTY_PASSWORD": "yes",
                                                                      "MYSQL_DATABASE": "app"}
    assert env("postgres", "postgres.password=") == {"POSTGRES_USER": "postgres", "POSTGRES_HOST_AUTH_METHOD": "trust",
                                                     "POSTGRES_DB": "app"}
    assert env("postgres")["POSTGRES_PASSWORD"] == "dev"
    # The check reads the password from the container, so no character of it reaches a shell.
    project = loaded(tmp_path, render(tmp_path, "mysql", sets=["mysql.password=p$x\"y'z"]))
    check = project.manifest.services["mysql"].healthcheck.test
    assert "p$x" not in " ".join(check) and '"$MYSQL_ROOT_PASSWORD"' in " ".join(check)
    assert project.manifest.services["mysql"].env["MYSQL_ROOT_PASSWORD"] == "p$x\"y'z"


@pytest.mark.parametrize("admins, healthy", [({"mariadb-admin": 0}, True), ({"mysqladmin": 0}, True), ({}, False),
                                             ({"mariadb-admin": 1, "mysqladmin": 0}, False)])
def test_the_mysql_check_uses_whichever_admin_tool_the_image_has(tmp_path, admins, healthy):
    # mariadb:11 and later have only `mariadb-admin`, mysql images only `mysqladmin`; a server that
    # does not answer the one the image has is not healthy.
    import os
    import stat
    import subprocess

    project = loaded(tmp_path, render(tmp_path, "mysql", sets=["mysql.image=mariadb:11"]))
    test = project.manifest.services["mysql"].healthcheck.test
    command = test[-1] if isinstance(test, list) else test
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(subprocess.run(["sh", "-c", "command -v sh"], capture_output=True, text=True).stdout.strip(),
               bin_dir / "sh")
    for tool, code in admins.items():
        # the password arrives whole, as one argument, from the container's environment
        (bin_dir / tool).write_text(f'#!/bin/sh\n[ "$1|$6" = "ping|--password=$MYSQL_ROOT_PASSWORD" ] || exit 9\n'
                                    f'exit {code}\n')
        (bin_dir / tool).chmod(stat.S_IRWXU)
    result = subprocess.run([str(bin_dir / "sh"), "-c", command], capture_output=True,
                            env={"PATH": str(bin_dir), "MYSQL_ROOT_PASSWORD": "d e$v"})
    assert (result.returncode == 0) is healthy, result.stderr


@pytest.mark.parametrize("shells, healthy", [(("mongosh",), True), (("mongo",), True), ((), False)])
def test_the_mongodb_check_uses_whichever_shell_the_image_has(tmp_path, shells, healthy):
    # mongo:4.4 has only the legacy `mongo` shell, mongo:6 and later only `mongosh`.
    import os
    import stat
    import subprocess

    project = loaded(tmp_path, render(tmp_path, "mongodb"))
    test = project.manifest.services["mongodb"].healthcheck.test
    command = test[-1] if isinstance(test, list) else test
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("grep", "sh"):
        os.symlink(subprocess.run(["sh", "-c", f"command -v {name}"], capture_output=True, text=True).stdout.strip(),
                   bin_dir / name)
    for shell in shells:  # a server that answers the ping
        (bin_dir / shell).write_text("#!/bin/sh\necho 1\n")
        (bin_dir / shell).chmod(stat.S_IRWXU)
    result = subprocess.run([str(bin_dir / "sh"), "-c", command], env={"PATH": str(bin_dir)}, capture_output=True)
    assert (result.returncode == 0) is healthy
