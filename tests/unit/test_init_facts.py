"""`devenv init` reads what a project says before guessing: small projects shaped like real ones,
one per gap of issue 18 (Procfile, env example, Dockerfile, entry points, ports, workers,
migrations, not-apps, evidence, versions, unsupported stacks, --explain, --recipe)."""

from __future__ import annotations

import json
import tomllib

import pytest

from devenv.cli.commands.init import compose
from devenv.errors import UsageError
from devenv.manifest.load import load_project

MANAGE_PY = ('import os, sys\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n'
             "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n")


def init(make_project, files: dict[str, str]):
    folder = make_project(files)
    result = compose(folder, recipes=[], with_=[], sets=[], project_name="t", environ={})
    for rel, text in result.files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    load_project(directory=folder, environ={})  # every manifest init writes validates
    return result, tomllib.loads(result.files["devenv.toml"])["services"]


def command(table: dict) -> str:
    value = table.get("command", "")
    return " ".join(value) if isinstance(value, list) else value


def test_procfile_processes_become_workers_and_release_a_provision_step(make_project):
    result, services = init(make_project, {
        "requirements.txt": "django\ncelery[redis]\npsycopg2\n", "manage.py": MANAGE_PY,
        "Procfile": "release: python manage.py migrate\nweb: gunicorn shop.wsgi\n"
                    "worker: REMAP_SIGTERM=SIGQUIT celery -A shop worker -l info\n"})
    assert "python manage.py migrate" in services["web"]["provision"]
    assert "runserver" in command(services["web"])  # the framework's dev server, not gunicorn
    worker = services["worker"]
    assert command(worker).startswith("sh -c REMAP_SIGTERM=SIGQUIT celery -A shop worker")
    assert "ports" not in worker and "healthcheck" not in worker
    assert worker["depends_on"] == {"postgres": "healthy", "redis": "healthy", "web": "started"}
    assert [w.name for w in result.workers] == ["worker"]


def test_celery_without_procfile_is_found_in_the_code(make_project):
    _, services = init(make_project, {
        "requirements.txt": "django\ncelery\nredis\ndjango-celery-beat\n", "manage.py": MANAGE_PY,
        "shop/celery.py": "from celery import Celery\napp = Celery('shop')\n"})
    assert command(services["worker"]) == "celery -A shop worker -l info"
    assert command(services["beat"]) == "celery -A shop beat -l info"
    assert services["web"]["env"]["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert "**/migrations/*.py" in services["web"]["provision_inputs"]


def test_a_django_project_in_src_runs_from_the_root_that_declares_its_dependencies(make_project):
    _, services = init(make_project, {
        "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["django~=5.2", "celery[redis]"]\n',
        "uv.lock": "version = 1\n", "src/manage.py": MANAGE_PY,
        "src/shop/celery.py": "from celery import Celery\napp = Celery('shop')\n"})
    assert set(services) == {"web", "worker", "redis"}  # no second app for src/
    web = services["web"]
    assert command(web) == "python src/manage.py runserver 0.0.0.0:8000"
    assert "python src/manage.py migrate --noinput" in web["provision"]
    assert web["env"]["PYTHONPATH"] == "/app/src" and web["env"]["DJANGO_SETTINGS_MODULE"] == "shop.settings"
    assert command(services["worker"]) == "celery -A shop worker -l info"


def test_env_example_is_the_env_file_with_urls_rewritten_and_secrets_generated(make_project):
    _, services = init(make_project, {
        "package.json": json.dumps({"scripts": {"dev": "nodemon src/index.js"}, "dependencies": {"express": "4"}}),
        ".env.example": "NODE_ENV=development\nMONGODB_URL=mongodb://127.0.0.1:27017/app\nJWT_SECRET=changeme\n"
                        "GOOGLE_CLIENT_SECRET=\nPORT=3000\n"})
    web = services["web"]
    assert web["env_file"] == [".env.example"]
    assert web["env"]["MONGODB_URL"] == "mongodb://mongodb:27017/app"
    assert len(web["env"]["JWT_SECRET"]) >= 32 and web["env"]["JWT_SECRET"] != "changeme"
    assert "GOOGLE_CLIENT_SECRET" not in web["env"]  # a third party's secret cannot be made up
    assert set(web["depends_on"]) == {"mongodb"}


def test_database_settings_by_name_get_the_service_values(make_project):
    _, services = init(make_project, {
        "go.mod": "module x\n\ngo 1.22\n\nrequire github.com/go-sql-driver/mysql v1.7.1\n",
        "app/main.go": "package main\nfunc main() {}\n",
        "example.env": 'SERVER_ADDRESS=":9090"\nDATABASE_HOST="localhost"\nDATABASE_PORT="3306"\n'
                       'DATABASE_USER="user"\nDATABASE_PASS="password"\nDATABASE_NAME="article"\n'})
    web = services["web"]
    assert web["command"] == ["go", "run", "./app"] and web["ports"] == ["9090:9090"]
    assert web["env"]["DATABASE_HOST"] == "mysql" and web["env"]["DATABASE_NAME"] == "app"
    assert web["env"]["DATABASE_PASS"] == "dev"


def test_an_existing_dockerfile_is_built_not_replaced(make_project):
    result, services = init(make_project, {
        "composer.json": json.dumps({"require": {"php": "^8.2", "laravel/framework": "^11", "ext-gd": "*"}}),
        "artisan": "", "Dockerfile": "FROM php:8.2-apache\n"})
    assert services["web"]["build"] == {"context": ".", "dockerfile": "Dockerfile"}
    assert "image" not in services["web"] and "docker/dev/Dockerfile" not in result.files


def test_a_release_dockerfile_is_built_to_the_stage_that_has_the_toolchain(make_project):
    # `go run` cannot run in the scratch image a release build ends with: the golang stage can.
    _, services = init(make_project, {
        "go.mod": "module x\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n",
        "Dockerfile": "FROM golang:1.22-alpine AS modules\nFROM golang:1.22-alpine AS builder\nFROM scratch\n"})
    assert services["web"]["build"]["target"] == "builder"
    # A last stage that has the toolchain is built as it is.
    _, services = init(make_project, {
        "go.mod": "module x\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n",
        "Dockerfile": "FROM golang:1.22 AS builder\nFROM golang:1.22\n"})
    assert "target" not in services["web"]["build"]


@pytest.mark.parametrize(("arg", "passed"), [
    ("ARG RUBY_VERSION=3.4.4", None),  # already the stated 3.4
    ("ARG RUBY_VERSION=3.2.2", "3.4"),  # older than the project states
    ("ARG RUBY_VERSION", "3.4"),  # no default: the build needs it
])
def test_a_stated_version_is_passed_only_where_the_dockerfile_does_not_already_have_it(make_project, arg, passed):
    _, services = init(make_project, {
        "Gemfile": "source 'https://rubygems.org'\ngem 'rails'\ngem 'pg'\n", ".ruby-version": "3.4.4\n",
        "config/application.rb": "", "bin/rails": "",
        "Dockerfile": f"{arg}\nFROM ruby:$RUBY_VERSION-slim AS base\nFROM base\n"})
    assert services["web"]["build"].get("args", {}).get("RUBY_VERSION") == passed


@pytest.mark.parametrize(("files", "major"), [
    ({".nvmrc": "v24\n", "engines": ">=18.0.0 <26.0.0"}, "24"),  # the pin developers run, inside the range
    ({".nvmrc": "16\n", "engines": ">=18"}, "20"),  # a pin outside the range loses to it
    ({"Dockerfile": "FROM node:24 AS build\nFROM nginx:stable\n", "engines": ">=18.0.0"}, "24"),
    ({"engines": ">=18 <21"}, "20"),  # a bounded range decides
    ({"engines": ">=22.12.0"}, "22"),
])
def test_node_version_a_pin_or_the_project_dockerfile_over_an_open_engines_floor(make_project, files, major):
    files = dict(files)
    package = {"scripts": {"dev": "vite"}, "devDependencies": {"vite": "^5"}, "engines": {"node": files.pop("engines")}}
    _, services = init(make_project, {"package.json": json.dumps(package), **files})
    web = services["web"]
    if "build" in web:  # the project's Dockerfile, built to its node stage (not the nginx one)
        assert (major, web["build"].get("target")) == ("24", "build")
    else:
        assert web["image"].startswith(f"node:{major}-")


FLASK_GROUP = "from flask.cli import FlaskGroup\nfrom project import app\ncli = FlaskGroup(app)\n"


def test_schema_setup_in_the_start_up_script_becomes_a_provision_step(make_project):
    _, services = init(make_project, {
        "requirements.txt": "flask\nflask-sqlalchemy\npsycopg2-binary\n", "manage.py": FLASK_GROUP,
        "project/__init__.py": "from flask import Flask\napp = Flask(__name__)\n",
        "Dockerfile": "FROM python:3.11-slim\nENTRYPOINT [\"/usr/src/app/start-web.sh\"]\n",
        "docker/start-web.sh": "#!/bin/sh\necho waiting\npython manage.py create_db\nexec \"$@\"\n"})
    assert "python manage.py create_db" in services["web"]["provision"]


def test_a_dispatcher_subcommand_is_not_run_at_start_but_names_the_rq_scheduler(make_project):
    files = {"requirements.txt": "flask\nrq\nrq-scheduler\nredis\n", "manage.py": FLASK_GROUP,
             "project/__init__.py": "from flask import Flask\napp = Flask(__name__)\n",
             "bin/docker-entrypoint": "#!/bin/bash\nscheduler() {\n  exec /app/manage.py rq scheduler\n}\n"
                                      "create_db() {\n  exec /app/manage.py database create_tables\n}\n"}
    _, services = init(make_project, files)
    assert services["scheduler"]["command"] == "python manage.py rq scheduler"
    assert not any("create_tables" in step for step in services["web"].get("provision", []))


def test_rq_scheduler_without_a_project_command_runs_its_own(make_project):
    _, services = init(make_project, {
        "requirements.txt": "flask\nrq\nrq-scheduler\nredis\n", "manage.py": FLASK_GROUP,
        "project/__init__.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert services["scheduler"]["command"] == ["sh", "-c", "rqscheduler --url $$REDIS_URL"]
    assert "ports" not in services["scheduler"]


def test_a_secret_a_pydantic_settings_class_reads_without_a_usable_default_is_generated(make_project):
    _, services = init(make_project, {
        "requirements.txt": "fastapi\nuvicorn\npydantic-settings\npsycopg2\n",
        "app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "app/config.py": "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
                         "    model_config = SettingsConfigDict(env_prefix='shop_')\n    jwt_secret: str\n"
                         "    session_secret: str = secrets.token_urlsafe(32)\n    debug: bool = False\n"
                         "    api_secret: str = Field(..., description='signs tokens')\n"
                         "    postgres_host: str = 'localhost'\n    database_url: PostgresDsn\n"})
    env = services["web"]["env"]
    assert len(env["SHOP_JWT_SECRET"]) >= 32 and len(env["SHOP_API_SECRET"]) >= 32
    assert "SHOP_SESSION_SECRET" not in env  # the app makes one up itself
    # Its database settings, with or without a default, are the service's.
    assert env["SHOP_POSTGRES_HOST"] == "postgres"
    assert env["SHOP_DATABASE_URL"].startswith("postgres") and "@postgres:5432/" in env["SHOP_DATABASE_URL"]


@pytest.mark.parametrize(("files", "key", "value"), [
    ({"Cargo.toml": '[package]\nname = "forum"\nversion = "0.1.0"\n\n[dependencies]\n'
                    'actix-web = "4"\ndiesel = { version = "2", features = ["postgres"] }\n',
      "src/main.rs": "fn main() {}\n",
      "src/settings/mod.rs": 'if let Ok(url) = env::var("FORUM_DATABASE_URL") {\n'},
     "FORUM_DATABASE_URL", "postgres://postgres:dev@postgres:5432/app"),
    ({"go.mod": "module x\n\ngo 1.22\n\nrequire github.com/jackc/pgx/v5 v5.5.0\n",
      "main.go": "package main\n\nfunc main() {}\n",
      "internal/config/config.go": 'package config\n\nvar host = os.Getenv("APP_DB_HOST")\n'},
     "APP_DB_HOST", "postgres"),
])
def test_a_database_setting_a_rust_or_go_server_reads_from_the_environment_is_wired(make_project, files, key, value):
    _, services = init(make_project, files)
    assert services["web"]["env"][key] == value


def test_a_production_dockerfile_built_for_development_gets_its_development_dependencies(make_project):
    # Rails' generated Dockerfile keeps the development gems out; the dev server needs them.
    _, services = init(make_project, {
        "Gemfile": "source 'https://rubygems.org'\ngem 'rails'\ngem 'pg'\n", "config/application.rb": "",
        "bin/rails": "", "Dockerfile": 'ARG RUBY_VERSION=3.4.4\nFROM ruby:$RUBY_VERSION-slim AS base\n'
                                     'ENV RAILS_ENV="production" \\\n    BUNDLE_DEPLOYMENT="1" \\\n'
                                     '    BUNDLE_WITHOUT="development"\nFROM base AS build\nFROM base\n'})
    env = services["web"]["env"]
    assert (env["BUNDLE_WITHOUT"], env["BUNDLE_DEPLOYMENT"], env["RAILS_ENV"]) == ("", "false", "development")


def test_a_vue_cli_app_runs_its_serve_script_on_8080(make_project):
    # Vue CLI apps have `serve`, not `start`: `npm start` would look for a server.js.
    _, services = init(make_project, {"package.json": json.dumps({
        "scripts": {"serve": "vue-cli-service serve", "build": "vue-cli-service build"},
        "dependencies": {"vue": "^2.6"}, "devDependencies": {"@vue/cli-service": "^4.5"}})})
    web = services["web"]
    assert web["command"] == "npm run serve" and web["ports"] == ["8080:8080"]
    assert not [w for w in web.get("watch", []) if w["action"] == "restart"]  # it reloads by itself


def test_a_vite_app_without_scripts_runs_vite_not_node_on_its_main_file(make_project):
    _, services = init(make_project, {
        "package.json": json.dumps({"main": "index.tsx", "devDependencies": {"vite": "^8.0.0"},
                                    "dependencies": {"react": "^19.0.0"}}),
        "vite.config.ts": 'export default { server: { host: "0.0.0.0" } };\n'})
    assert services["web"]["command"] == "npx vite --host 0.0.0.0 --port 5173"
    assert services["web"]["image"] == "node:20-slim"  # nothing states a version


@pytest.mark.parametrize(("files", "cmd", "port"), [
    # Classic Remix (remix.config.js, `remix dev` with the project's Express server): the app server
    # reads PORT (3000) and the CLI takes no --host; the `vite` package is only Vitest's.
    ({"package.json": json.dumps({"scripts": {"dev": "npm-run-all --parallel dev:*",
                                              "dev:remix": "remix dev --manual -c \"node ./build/server.js\"",
                                              "test": "vitest"},
                                  "devDependencies": {"@remix-run/dev": "*", "vite": "^5", "vitest": "^2"}}),
      "remix.config.js": "module.exports = {};\n"}, "npm run dev", 3000),
    # Remix on Vite: vite.config.ts holds the Remix plugin; its dev server is opened to the network.
    ({"package.json": json.dumps({"scripts": {"dev": "remix vite:dev"},
                                  "devDependencies": {"@remix-run/dev": "*", "vite": "^5"}}),
      "vite.config.ts": "import { vitePlugin as remix } from '@remix-run/dev';\n"},
     "npm run dev -- --host 0.0.0.0 --port 5173", 5173),
])
def test_classic_remix_runs_its_dev_script_on_port_3000_without_vite_flags(make_project, files, cmd, port):
    _, services = init(make_project, files)
    web = services["web"]
    assert (web["command"], web["ports"], web["env"]["PORT"]) == (cmd, [f"{port}:{port}"], str(port))


@pytest.mark.parametrize(("scripts", "step"), [
    ({"dev": "tsx src/server.ts", "db:migrate": "tsx ./scripts/migrate.ts"}, "npm run db:migrate"),
    ({"dev": "nodemon", "migrate": "knex migrate:latest", "migrate:make": "knex migrate:make"}, "npm run migrate"),
    # A script that creates or reverts migrations is not a setup step.
    ({"dev": "nodemon", "migrate": "knex migrate:make", "db:migrate": "sequelize db:migrate:undo"}, None),
])
def test_a_node_app_s_migration_script_is_a_provision_step(make_project, scripts, step):
    _, services = init(make_project, {"package.json": json.dumps({"scripts": scripts,
                                                                  "dependencies": {"fastify": "^5"}}),
                                      "migrations/001.do.users.sql": "CREATE TABLE users (id INT);\n"})
    provision = services["web"]["provision"]
    if step is None:
        assert not [p for p in provision if "migrat" in p]
    else:
        assert provision[-1] == step and "migrations/**" in services["web"]["provision_inputs"]


RAILS_MULTI_DB = """\
default: &default
  adapter: postgresql
  host: <%= ENV.fetch("DEFAULT_HOST", "localhost") %>
  username: <%= ENV.fetch("DATABASE_USERNAME", "postgres") %>
  password: <%= ENV.fetch("DATABASE_PASSWORD", "password") %>

development:
  primary:
    <<: *default
    database: shop_development
  queue:
    <<: *default
    database: queue
    host: <%= ENV.fetch("QUEUE_HOST", "localhost") %>
    port: <%= ENV.fetch("QUEUE_PORT", "5432") %>

production:
  primary:
    <<: *default
    password: <%= ENV["SHOP_DATABASE_PASSWORD"] %>
"""


def test_rails_database_yml_settings_reach_every_database_not_only_the_primary(make_project):
    # DATABASE_URL only reaches the primary database; the queue database connects with the
    # variables database.yml reads, whatever their name.
    _, services = init(make_project, {"Gemfile": 'source "https://rubygems.org"\ngem "rails"\ngem "pg"\n',
                                      "bin/rails": "#!/usr/bin/env ruby\n", "config/database.yml": RAILS_MULTI_DB})
    env = services["web"]["env"]
    assert (env["DEFAULT_HOST"], env["QUEUE_HOST"], env["QUEUE_PORT"]) == ("postgres", "postgres", "5432")
    assert (env["DATABASE_USERNAME"], env["DATABASE_PASSWORD"]) == ("postgres", "dev")
    assert "SHOP_DATABASE_PASSWORD" not in env  # production's


def test_a_development_dockerfile_spelled_in_lower_case_is_built(make_project):
    _, services = init(make_project, {"Gemfile": 'source "https://rubygems.org"\ngem "rails"\n',
                                      "bin/rails": "#!/usr/bin/env ruby\n",
                                      "Dockerfile": "FROM ruby:3.4-slim AS base\nENV RAILS_ENV=production\n",
                                      "dockerfile.dev": "FROM ruby:3.4-slim\nWORKDIR /app\n"})
    assert services["web"]["build"] == {"context": ".", "dockerfile": "dockerfile.dev"}


GO_COBRA = {
    "go.mod": "module example.com/api\n\ngo 1.25.0\n\nrequire github.com/spf13/cobra v1.8.1\n",
    "main.go": 'package main\n\nimport "example.com/api/cmd"\n\nfunc main() {\n\tcmd.Execute()\n}\n',
    "cmd/root.go": 'package cmd\n\nvar RootCmd = &cobra.Command{\n\tUse: "api",\n}\n',
    "cmd/serve.go": 'package cmd\n\nvar serveCmd = &cobra.Command{\n\tUse: "serve",\n}\n',
    "cmd/migrate.go": 'package cmd\n\nvar migrateCmd = &cobra.Command{\n\tUse: "migrate",\n}\n',
    "database/migrations/1_init.up.sql": "CREATE TABLE t (id int);\n",
}


def test_a_go_cobra_cli_runs_its_serve_command_and_migrate_as_a_provision_step(make_project):
    # main.go hands over to cobra: `go run .` alone would print the help and exit.
    _, services = init(make_project, GO_COBRA)
    web = services["web"]
    assert command(web) == "go run . serve"
    assert web["provision"][-1] == "go run . migrate" and "database/migrations/*" in web["provision_inputs"]


def test_a_committed_dev_env_file_is_the_env_file_with_its_urls_rewritten(make_project):
    _, services = init(make_project, {**GO_COBRA, "dev.env": "PORT=3000\nDB_DSN=postgres://u:p@localhost:5432/db\n"
                                                             "AUTH_JWT_SECRET=\n"})
    web = services["web"]
    assert web["env_file"] == ["dev.env"] and web["ports"] == ["3000:3000"]
    assert web["env"]["DB_DSN"].startswith("postgres://") and "@postgres:5432/" in web["env"]["DB_DSN"]
    assert web["env"]["AUTH_JWT_SECRET"] and "postgres" in services


def test_the_node_version_of_the_project_dockerfile_when_nothing_else_states_one(make_project):
    package = json.dumps({"scripts": {"dev": "vite"}, "devDependencies": {"vite": "^8.0.0"}})
    folder = make_project({"package.json": package, "Dockerfile.prod": "FROM node:24-alpine AS build\n"})
    result = compose(folder, recipes=[], with_=[], sets=[], project_name="t", environ={})
    web = tomllib.loads(result.files["devenv.toml"])["services"]["web"]
    assert web["image"] == "node:24-slim" and "build" not in web


def test_php_extensions_go_into_the_generated_dockerfile(make_project):
    result, _ = init(make_project, {
        "composer.json": json.dumps({"require": {"php": ">=8.1", "ext-gd": "*", "ext-mbstring": "*"}}),
        "index.php": "<?php echo 'hi';"})
    dockerfile = result.files["docker/dev/Dockerfile"]
    assert "FROM php:8.1-cli" in dockerfile
    assert "docker-php-ext-install zip gd" in dockerfile and "libpng-dev" in dockerfile
    assert "gd, mbstring" in dockerfile  # named even when built in


def test_a_flaskgroup_manage_py_is_not_django(make_project):
    _, services = init(make_project, {
        "requirements.txt": "Flask\npsycopg2-binary\n",
        "manage.py": "from flask.cli import FlaskGroup\nfrom project import app\ncli = FlaskGroup(app)\n",
        "project/__init__.py": "from flask import Flask\napp = Flask(__name__)\n",
        ".env.dev": "FLASK_APP=project/__init__.py\n"})
    assert command(services["web"]).startswith("flask --app project run")


def test_fastapi_factory_in_a_package_and_alembic(make_project):
    _, services = init(make_project, {
        "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.14"\ndependencies = ["fastapi", "asyncpg"]\n',
        "app/main.py": "from fastapi import FastAPI\n\ndef get_application() -> FastAPI:\n    return FastAPI()\n\n"
                       "app = get_application()\n",
        "alembic.ini": "[alembic]\n"})
    web = services["web"]
    assert command(web).startswith("uvicorn app.main:app")
    assert web["image"] == "python:3.14-slim"
    assert "alembic upgrade head" in web["provision"]


def test_vite_listens_on_its_port_and_is_opened_to_the_network(make_project):
    _, services = init(make_project, {
        "package.json": json.dumps({"scripts": {"dev": "vite"}, "devDependencies": {"vite": "5"}}),
        ".node-version": "22.1.0\n"})
    web = services["web"]
    assert web["ports"] == ["5173:5173"] and "--host 0.0.0.0" in command(web)
    assert web["image"] == "node:22-slim"


@pytest.mark.parametrize(("scripts", "deps", "port"), [
    ({"dev": "nuxt dev --port 5314"}, {"nuxt": "^4"}, 5314),
    ({"dev": "next dev -p 4000"}, {"next": "15", "react": "19"}, 4000),
    ({"dev": "vite --port=3001"}, {"vite": "5"}, 3001),
])
def test_a_dev_scripts_port_flag_is_the_dev_port(make_project, scripts, deps, port):
    _, services = init(make_project, {"package.json": json.dumps({"scripts": scripts, "dependencies": deps})})
    assert services["web"]["ports"] == [f"{port}:{port}"]


def test_requirements_includes_and_folders_are_followed(make_project):
    _, services = init(make_project, {
        "requirements.txt": "-r requirements/base.txt\n", "requirements/base.txt": "-c constraints.txt\nflask\n",
        "requirements/constraints.txt": "redis==5\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert "redis" in services and set(services["web"]["depends_on"]) == {"redis"}


@pytest.mark.parametrize(("files", "image"), [
    ({"package.json": json.dumps({"dependencies": {"express": "^4", "mariadb": "^3"},
                                  "scripts": {"start": "node a.js"}}),
      "a.js": "require('express')().listen(3000)\n"}, "mariadb:11.4"),
    ({"composer.json": json.dumps({"require": {"laravel/framework": "^11"}}), "artisan": "",
      ".env.example": "APP_KEY=\nDB_CONNECTION=mariadb\nDB_HOST=127.0.0.1\n"}, "mariadb:11.4"),
    ({"composer.json": json.dumps({"require": {"laravel/framework": "^11"}}), "artisan": "",
      ".env.example": "APP_KEY=\nDB_CONNECTION=mysql\nDB_HOST=127.0.0.1\n"}, "mysql:8.4"),
])
def test_a_project_that_names_mariadb_gets_a_mariadb_server(make_project, files, image):
    # One recipe for both (mariadb reads MYSQL_*); Laravel's mariadb driver uses types MySQL lacks.
    _, services = init(make_project, files)
    assert services["mysql"]["image"] == image


def test_laravel_database_from_the_config_default(make_project):
    _, services = init(make_project, {
        "composer.json": json.dumps({"require": {"laravel/framework": "^11"}}), "artisan": "",
        ".env.example": "APP_KEY=\nDB_HOST=127.0.0.1\nQUEUE_CONNECTION=redis\nREDIS_HOST=127.0.0.1\n",
        "config/database.php": "<?php return ['default' => env('DB_CONNECTION', 'mysql')];\n"})
    web = services["web"]
    assert "mysql" in services and web["env"]["DB_HOST"] == "mysql"
    assert web["env"]["APP_KEY"].startswith("base64:")
    assert command(services["queue"]).startswith("php artisan queue:listen")
    assert "php artisan migrate --force" in web["provision"]


def test_two_databases_are_not_wired_first_wins_silently(make_project):
    result, services = init(make_project, {
        "requirements.txt": "fastapi\npsycopg2\nmysqlclient\n",
        "main.py": "from fastapi import FastAPI\napp = FastAPI()\n"})
    assert "postgres" in services and "mysql" not in services
    assert any("two databases" in n and "--with mysql" in n for n in result.notes)


def test_folders_with_nothing_to_run_are_not_apps(make_project):
    result, services = init(make_project, {
        "package.json": json.dumps({"workspaces": ["apps/*", "packages/*"], "devDependencies": {"turbo": "2"}}),
        "turbo.json": "{}",
        "apps/web/package.json": json.dumps({"scripts": {"dev": "next dev"}, "dependencies": {"next": "14"}}),
        "packages/email/package.json": json.dumps({"scripts": {"dev": "email dev"},
                                                   "dependencies": {"@react-email/components": "0.0.1"}}),
        "packages/app-tests/package.json": json.dumps({"devDependencies": {"@playwright/test": "1"}}),
        "packages/lib/package.json": json.dumps({"main": "index.ts", "dependencies": {"zod": "3"}}),
        "services/common/go.mod": "module common\n\ngo 1.22\n", "services/common/util.go": "package common\n"})
    assert set(services) == {"web"}
    assert any("react-email" in line for line in result.log)


def test_a_framework_entry_point_beats_a_tooling_package_json(make_project):
    _, services = init(make_project, {
        "requirements.txt": "flask\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "package.json": json.dumps({"devDependencies": {"prettier": "3"}})})
    assert services["web"]["image"].startswith("python:")


def test_spring_wins_over_its_frontend_package_json(make_project):
    _, services = init(make_project, {
        "pom.xml": "<project><parent><groupId>org.springframework.boot</groupId>"
                   "<artifactId>spring-boot-starter-parent</artifactId></parent></project>",
        "package.json": json.dumps({"scripts": {"start": "ng serve"}, "dependencies": {"@angular/core": "17"}}),
        "angular.json": "{}",
        "src/main/resources/application.properties": "server.port=8081\n"})
    assert services["web"]["ports"] == ["8081:8081"] and "spring-boot:run" in command(services["web"])


def test_go_cmd_mains_are_the_server_and_workers(make_project):
    _, services = init(make_project, {
        "go.mod": "module x\n\ngo 1.24\n", ".tool-versions": "golang 1.24.1\n",
        "cmd/api/main.go": "package main\n", "cmd/worker/main.go": "package main\n"})
    assert services["web"]["command"] == ["go", "run", "./cmd/api"]
    assert command(services["worker"]) == "go run ./cmd/worker"
    assert services["web"]["image"] == "golang:1.24"


@pytest.mark.parametrize("pinned, image", [("golang 1.18", "golang:1.25"), ("golang 1.26.1", "golang:1.26")])
def test_a_tool_versions_go_older_than_go_mod_is_stale(make_project, pinned, image):
    # go.mod's `go` line is a floor the toolchain enforces (dhax/go-base pins 1.18 beside go 1.25.0).
    _, services = init(make_project, {"go.mod": "module x\n\ngo 1.25.0\n", ".tool-versions": pinned + "\n",
                                      "main.go": "package main\n"})
    assert services["web"]["image"] == image


def test_a_cargo_workspace_runs_its_server_crate(make_project):
    _, services = init(make_project, {
        "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n[workspace.dependencies]\n'
                      'diesel = { version = "2", features = ["postgres"] }\n',
        "rust-toolchain.toml": '[toolchain]\nchannel = "1.85"\n',
        "crates/server/Cargo.toml": '[package]\nname = "app_server"\n[dependencies]\nactix-web = "4"\n',
        "crates/server/src/main.rs": 'fn main() { bind("0.0.0.0:8536"); }\n',
        "crates/db/Cargo.toml": '[package]\nname = "app_db"\n', "crates/db/src/lib.rs": "",
        "api_tests/package.json": json.dumps({"devDependencies": {"jest": "29"}})})
    assert set(services) == {"web", "postgres"}
    assert services["web"]["command"] == "cargo run -p app_server"
    assert services["web"]["ports"] == ["8536:8536"] and services["web"]["image"] == "rust:1.85"


def test_phoenix_with_ecto(make_project):
    _, services = init(make_project, {
        "mix.exs": 'defp deps do\n  [{:phoenix, "~> 1.7"}, {:ecto_sql, "~> 3.10"}, {:postgrex, ">= 0.0.0"}]\nend\n'
                   'elixir: "~> 1.16",\n'})
    web = services["web"]
    assert web["command"] == ["mix", "phx.server"] and web["ports"] == ["4000:4000"]
    assert "mix ecto.migrate" in web["provision"] and web["image"] == "elixir:1.16"
    assert set(web["depends_on"]) == {"postgres"}


@pytest.mark.parametrize(("files", "evidence"), [
    ({"Foo.sln": "", "global.json": "{}"}, "Foo.sln (.NET)"),
    ({"mix.exs": "defp deps do\n  [{:plug, \"~> 1.0\"}]\nend\n"}, "mix.exs (Elixir)"),
])
def test_an_unsupported_stack_is_named_and_nothing_is_written(make_project, devenv, files, evidence):
    folder = make_project(files)
    with pytest.raises(UsageError, match=r"found .*no recipe for it"):
        compose(folder, recipes=[], with_=[], sets=[], project_name="t", environ={})
    result = devenv("init", cwd=folder)
    assert result.code == 2 and evidence in result.err and "--recipe" in result.err
    assert not (folder / "devenv.toml").exists()


def test_explain_prints_decisions_with_their_files(make_project, devenv):
    folder = make_project({
        "requirements.txt": "flask\n", "microblog.py": "from app import create_app\napp = create_app()\n",
        ".flaskenv": "FLASK_APP=microblog.py\n", "e2e/package.json": json.dumps({"devDependencies": {"jest": "1"}}),
        "compose.yaml": "services:\n  web:\n    build: .\n"})
    result = devenv("init", "--explain", "--dry-run", cwd=folder)
    assert result.code == 0, result.output
    assert "app = \"microblog\"  (.flaskenv:1 sets FLASK_APP)" in result.err
    assert "decisions:" in result.err and "found compose.yaml" in result.err
    assert "devenv init --from compose.yaml" in result.out  # said in the manifest too


def test_recipe_keeps_the_env_file_and_workers(make_project):
    folder = make_project({"requirements.txt": "flask\nrq\n", "app.py": "", ".env.example": "SECRET_KEY=\n",
                           "Procfile": "worker: rq worker tasks\n"})
    result = compose(folder, recipes=["python"], with_=[], sets=[], project_name="t", environ={})
    services = tomllib.loads(result.files["devenv.toml"])["services"]
    assert services["web"]["env_file"] == [".env.example"] and services["web"]["env"]["SECRET_KEY"]
    assert command(services["worker"]) == "rq worker tasks" and "redis" in services


def test_nx_applications_are_served_from_the_workspace_root(make_project):
    _, services = init(make_project, {
        "nx.json": "{}", "package.json": json.dumps({"devDependencies": {"nx": "20", "@angular/core": "19"}}),
        "apps/shop/project.json": json.dumps({"name": "shop", "projectType": "application", "targets": {
            "serve": {"executor": "@angular/build:dev-server", "options": {"buildTarget": "shop:build"}}}}),
        "apps/cart/project.json": json.dumps({"name": "cart", "projectType": "application"}),
        "apps/cart/rsbuild.config.ts": "export default { server: { port: 4201 } };\n",
        "apps/cart-e2e/project.json": json.dumps({"name": "cart-e2e", "projectType": "application"}),
        "libs/ui/project.json": json.dumps({"name": "ui", "projectType": "library"})})
    assert set(services) == {"shop", "cart"}
    assert services["shop"]["command"] == "npx nx run shop:serve --host 0.0.0.0 --port 4200"
    assert services["cart"]["ports"] == ["4201:4201"] and "cart:dev" in services["cart"]["command"]
    assert all(s["mounts"][0] == ".:/app" for s in services.values())


def test_a_dev_server_beside_a_python_backend_is_a_second_app(make_project):
    _, services = init(make_project, {
        "requirements.txt": "django\npsycopg2\n", "manage.py": MANAGE_PY,
        "package.json": json.dumps({"scripts": {"dev": "vite --host"}, "devDependencies": {"vite": "7"}}),
        "vite.config.ts": "export default { server: { port: 4200 } };\n"})
    assert set(services) == {"web", "frontend", "postgres"}
    assert services["frontend"]["ports"] == ["4200:4200"] and "image" in services["frontend"]
    assert "depends_on" not in services["frontend"] and set(services["web"]["depends_on"]) == {"postgres"}


def test_indirect_go_modules_imply_no_service(make_project):
    _, services = init(make_project, {
        "go.mod": "module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/lib/pq v1.10.9\n"
                  "\tgo.mongodb.org/mongo-driver v1.17.7 // indirect\n)\n", "main.go": "package main\n"})
    assert set(services) == {"web", "postgres"}


def test_a_go_procfile_runs_go_run_and_its_chained_migrate_is_provision(make_project):
    # Heroku's Go buildpack compiles bin/<module name>; development has only the sources.
    _, services = init(make_project, {
        "go.mod": "module github.com/acme/board\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n",
        "Procfile": "web: ./bin/board migrate && ./bin/board\n", "migrations/001_init.up.sql": "select 1;\n"})
    assert command(services["web"]) == "go run ."
    assert "go run . migrate" in services["web"]["provision"]
    assert "migrations/*" in services["web"]["provision_inputs"]


def test_a_dockerfile_on_a_toolchain_a_major_older_than_stated_is_not_built(make_project):
    result, services = init(make_project, {
        "build.gradle.kts": 'plugins { id("org.springframework.boot") version "3.3.0" }\n'
                            "java { toolchain { languageVersion = JavaLanguageVersion.of(17) } }\n"
                            'dependencies { implementation("org.springframework.boot:spring-boot-starter-web") }\n',
        "Dockerfile": "FROM gradle:4.7.0-jdk8-alpine AS build\nFROM openjdk:8-jre-slim\n"})
    assert "build" not in services["web"] and "17" in services["web"]["image"]
    assert any("Dockerfile is not built" in note for note in result.notes)


def test_phoenix_config_that_fetches_a_variable_gets_it_set(make_project):
    _, services = init(make_project, {
        "mix.exs": 'defp deps do\n  [{:phoenix, "~> 1.7"}]\nend\n',
        "config/dev.exs": 'config :app, :github,\n  client_id: System.fetch_env!("APP_GITHUB_CLIENT_ID"),\n'
                          '  signing: System.fetch_env!("APP_SIGNING_SECRET")\n'})
    env = services["web"]["env"]
    assert env["APP_GITHUB_CLIENT_ID"] == "" and len(env["APP_SIGNING_SECRET"]) >= 32


@pytest.mark.parametrize(("env_example", "kind"), [
    ("DB_DATABASE=laravel\nDB_USERNAME=root\nDB_PASSWORD=password\n", "mysql"),
    ("DB_PORT=5432\nDB_DATABASE=app\nDB_USERNAME=app\nDB_PASSWORD=secret\n", "postgres"),
    ("DB_CONNECTION=sqlite\n", None),
])
def test_laravel_server_credentials_over_a_sqlite_default_mean_a_database_server(make_project, env_example, kind):
    _, services = init(make_project, {
        "composer.json": json.dumps({"require": {"php": "^8.2", "laravel/framework": "^11"}}), "artisan": "",
        "config/database.php": "<?php\nreturn ['default' => env('DB_CONNECTION', 'sqlite')];\n",
        ".env.example": "APP_KEY=\n" + env_example})
    assert ({"mysql", "postgres"} & set(services)) == ({kind} if kind else set())


def test_a_rust_config_port_is_the_apps_not_its_databases(make_project):
    _, services = init(make_project, {
        "Cargo.toml": '[package]\nname = "news"\nversion = "0.1.0"\n\n[dependencies]\nactix-web = "4"\n'
                      'sqlx = { version = "0.8", features = ["postgres"] }\n',
        "src/main.rs": "fn main() {}\n",
        "configuration/base.yaml": "database:\n  host: 127.0.0.1\n  port: 5432\napplication:\n  port: 8000\n"
                                   'redis_uri: "redis://127.0.0.1:6379"\n'})
    assert services["web"]["ports"] == ["8000:8000"] and "redis" in services


def test_a_go_server_listens_on_its_config_toml_address_not_its_databases_port(make_project):
    _, services = init(make_project, {
        "go.mod": "module x\n\ngo 1.22\n", "cmd/main.go": "package main\n\nfunc main() {}\n",
        "config.toml.sample": '[db]\nport = 5432\n\n[app]\naddress = "localhost:9000"\n'})
    assert services["web"]["ports"] == ["9000:9000"] and command(services["web"]) == "go run ./cmd"


def test_fastapi_factory_from_the_project_an_arq_worker_and_alembic_beside_the_code(make_project):
    # FastAPI-boilerplate's shape: main.py imports its factory from the project, not fastapi.
    _, services = init(make_project, {
        "pyproject.toml": '[project]\nname = "x"\ndependencies = ["fastapi", "uvicorn", "arq", "alembic", "asyncpg"]\n',
        "src/app/__init__.py": "", "src/app/main.py": "from .core.setup import create_application\n\n"
                                                      "app = create_application()\n",
        "src/app/core/setup.py": "from fastapi import FastAPI\n\n\ndef create_application():\n    return FastAPI()\n",
        "src/app/worker.py": "from arq.connections import RedisSettings\n\n\nclass WorkerSettings:\n"
                             "    functions = [send_mail]\n    redis_settings = RedisSettings()\n",
        "src/alembic.ini": "[alembic]\nscript_location = migrations\n",
        "src/app/config.py": 'from starlette.config import Config\nconfig = Config(".env")\n'
                             'SECRET_KEY = config("SECRET_KEY")\nREDIS_QUEUE_HOST = config("REDIS_QUEUE_HOST", '
                             'default="localhost")\n'})
    assert "app.main:app" in command(services["web"]) and services["web"]["env"]["PYTHONPATH"] == "/app/src"
    assert command(services["worker"]) == "arq app.worker.WorkerSettings"
    assert "cd src && alembic upgrade head" in services["web"]["provision"]
    assert services["web"]["env"]["REDIS_QUEUE_HOST"] == "redis" and services["web"]["env"]["SECRET_KEY"]


def test_a_nestjs_api_runs_start_dev_with_the_env_example_its_dockerfile_copies(make_project):
    # nestjs-boilerplate's shape: two undotted examples, one per database; Heroku's Procfile.
    _, services = init(make_project, {
        "package.json": json.dumps({"scripts": {"start": "nest start", "start:dev": "nest start --watch",
                                                "start:prod": "node dist/main"},
                                    "dependencies": {"@nestjs/core": "11", "pg": "8", "mongoose": "9"}}),
        "Procfile": "web: npm run start:prod\nrelease: echo '' > .env && npm run migration:run\n",
        "Dockerfile": "FROM node:24-alpine\nRUN if [ ! -f .env ]; then cp env-example-relational .env; fi\n",
        "env-example-document": "APP_PORT=3001\nDATABASE_TYPE=mongodb\nDATABASE_URL=mongodb://mongo:27017/api\n",
        "env-example-relational": "APP_PORT=3001\nDATABASE_TYPE=postgres\nDATABASE_HOST=postgres\n"})
    web = services["web"]
    assert command(web) == "npm run start:dev" and web["env_file"] == ["env-example-relational"]
    assert web["ports"] == ["3001:3001"] and "postgres" in services and "mongodb" not in services
    assert "npm run migration:run" in web["provision"] and not any(".env" in step for step in web["provision"])


def test_go_cmd_mains_a_cli_is_no_worker_and_the_servers_address_literal_is_its_port(make_project):
    _, services = init(make_project, {
        "go.mod": "module x\n\ngo 1.22\n",
        "cmd/server/main.go": "package main\n\nfunc main() {}\n",
        "cmd/server/flags.go": 'package main\n\nvar addr = flag.String("addr", ":8000", "listen")\n'
                               'var grpc = flag.String("grpc", ":9000", "grpc")\n',
        "cmd/agent/main.go": "package main\n\nfunc main() {}\n",
        "cmd/cli/main.go": "package main\n\nfunc main() {}\n",
        "cmd/examplectl/main.go": "package main\n\nfunc main() {}\n"})
    assert command(services["web"]) == "go run ./cmd/server" and services["web"]["ports"] == ["8000:8000"]
    assert command(services["agent"]) == "go run ./cmd/agent"
    assert "cli" not in services and "examplectl" not in services


def test_an_account_secret_is_not_generated_and_a_test_database_is_not_rewired(make_project):
    _, services = init(make_project, {
        "requirements.txt": "fastapi\nuvicorn\npsycopg\n",
        "main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        ".env.example": "APP_ID=\nAPP_SECRET=\nALGOLIA_APP_ID=\nALGOLIA_SECRET=\nVITE_SIGNING_SECRET=\n"
                        "POSTGRES_HOST=localhost\nPOSTGRES_TEST_DB=app_test\n"})
    env = services["web"].get("env", {})
    assert env.get("APP_SECRET") and "ALGOLIA_SECRET" not in env and "VITE_SIGNING_SECRET" not in env
    assert env["POSTGRES_HOST"] == "postgres" and "POSTGRES_TEST_DB" not in env


def test_init_through_a_symlink_names_the_project_after_the_link(tmp_path, monkeypatch):
    from devenv.init.scaffold import default_project_name

    real = tmp_path / "checkout-2024-real"
    real.mkdir()
    link = tmp_path / "shop"
    link.symlink_to(real)
    monkeypatch.setenv("PWD", str(link))
    assert default_project_name(real.resolve()) == "shop"
    monkeypatch.setenv("PWD", str(tmp_path))  # -C elsewhere: $PWD is another folder
    assert default_project_name(real.resolve()) == "checkout-2024-real"


def test_a_celery_app_beside_a_flask_app_in_one_module_is_named(make_project):
    # `celery -A app` would take app.app, the Flask object: the Celery instance must be named.
    _, services = init(make_project, {
        "requirements.txt": "flask\ncelery\nredis\n",
        "app.py": "from flask import Flask\nfrom celery import Celery\napp = Flask(__name__)\n"
                  "celery = Celery(app.name, broker='redis://localhost:6379/0')\n"})
    assert command(services["worker"]) == "celery -A app.celery worker -l info"


def test_example_env_files_are_read_in_the_grammar_their_env_file_is(tmp_path):
    # A quoted value over several lines (a key pasted in) is one value, as Compose and devenv read
    # the env_file init names; its lines are not assignments of their own, and a line of prose is skipped.
    from devenv.init.entry import env_lines

    (tmp_path / ".env.example").write_text(
        'JWT_PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC=\n-----END PRIVATE KEY-----"\n'
        "Fill in the values below\nDATABASE_URL='postgres://u:p@localhost:5432/app' # local\nPORT=3000 # web\n")
    assert env_lines(tmp_path) == [
        ("JWT_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC=\n-----END PRIVATE KEY-----",
         ".env.example:1"),
        ("DATABASE_URL", "postgres://u:p@localhost:5432/app", ".env.example:5"), ("PORT", "3000", ".env.example:6")]


def test_an_example_env_file_devenv_would_refuse_is_not_named_as_env_file(make_project):
    # The manifest init writes must come up: a line of prose without `#` would fail every `up`.
    files = {"Procfile": "web: python app.py\n", "requirements.txt": "flask\n",
             "app.py": "from flask import Flask\napp = Flask(__name__)\n",
             ".env.example": "A=1\nBAD LINE HERE\nDATABASE_URL=postgres://u:p@localhost/db\n"}
    result, services = init(make_project, files)
    assert "env_file" not in services["web"] and "postgres" in services  # its values still count
    assert any(".env.example:2: 'BAD LINE HERE' is not KEY=VALUE" in note for note in result.notes)
    _, services = init(make_project, {**files, ".env.example": "A=1\n# prose\nDATABASE_URL=postgres://u@localhost/d\n"})
    assert services["web"]["env_file"] == [".env.example"]


@pytest.mark.parametrize(("dotenv", "env_file"), [
    ("COMPOSE_PROJECT_NAME=shop\nDOCKER_BUILDKIT=1\n", None),
    ("COMPOSE_PROJECT_NAME=shop\nPORT=3000\n", [".env"]),  # one setting of the app's is enough
])
def test_an_env_file_of_compose_settings_only_is_not_the_apps(make_project, dotenv, env_file):
    # paperless-ngx's root .env holds COMPOSE_PROJECT_NAME, which Compose reads for itself.
    _, services = init(make_project, {
        "package.json": json.dumps({"scripts": {"dev": "nodemon src/index.js"}, "dependencies": {"express": "4"}}),
        ".env": dotenv})
    assert services["web"].get("env_file") == env_file
