"""Detection table: small fixture projects, one per stack, plus mixed and monorepo cases."""

from __future__ import annotations

import json

import pytest

from devenv.cli.commands.init import compose
from devenv.init import recipes as rc
from devenv.init.depfiles import pick_major, pick_python
from devenv.init.detect import detect
from devenv.manifest.load import load_project

SOURCES = rc.discover({})

PKG = json.dumps
MANAGE_PY = ('import os, sys\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n'
             "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n")

# name: (files, expected [(folder, recipe, {params})], expected services)
CASES = {
    "python-generic": ({"requirements.txt": "requests==2.31\n", "main.py": "print(1)\n"},
                       [(".", "python", {"command": "python main.py", "deps": "requirements"})], set()),
    "flask-postgres": ({"requirements.txt": "Flask>=3\npsycopg2-binary\n", ".python-version": "3.11.6\n"},
                       [(".", "flask", {"python_version": "3.11"})], {"postgres"}),
    "django-mysql": ({"requirements/base.txt": "x", "requirements.txt": "-r requirements/base.txt\nDjango~=5.0\n"
                      "mysqlclient\n", "manage.py": "#!/usr/bin/env python\n"}, [(".", "django", {})], {"mysql"}),
    "django-by-manage-py": ({"pyproject.toml": '[project]\nname = "x"\ndependencies = []\n',
                             "manage.py": MANAGE_PY},
                            [(".", "django", {"deps": "pyproject"})], set()),
    "fastapi-pyproject": ({"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.10,<3.12"\n'
                           'dependencies = ["fastapi", "uvicorn[standard]", "redis>=5"]\n',
                           "app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n"},
                          [(".", "fastapi", {"python_version": "3.11", "deps": "pyproject", "app": "app.main:app"})],
                          {"redis"}),
    "poetry-mongo": ({"pyproject.toml": '[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\npython = "^3.10"\n'
                      'flask = "*"\npymongo = "*"\n'}, [(".", "flask", {"deps": "poetry", "python_version": "3.12"})],
                     {"mongodb"}),
    "uv-lock": ({"pyproject.toml": '[project]\nname = "x"\ndependencies = ["fastapi"]\n', "uv.lock": ""},
                [(".", "fastapi", {"deps": "uv"})], set()),
    "pipenv-rabbit": ({"Pipfile": '[packages]\npika = "*"\n[requires]\npython_version = "3.10"\n'},
                      [(".", "python", {"deps": "pipenv", "python_version": "3.10"})], {"rabbitmq"}),
    "node-generic": ({"package.json": PKG({"scripts": {"start": "node worker.js"}, "engines": {"node": "^18.12"}}),
                      "package-lock.json": "{}"},
                     [(".", "node", {"command": "npm start", "node_version": "18", "package_manager": "npm"})], set()),
    "express-mongoose-yarn": ({"package.json": PKG({"main": "server.js", "dependencies": {"express": "^4",
                                                                                       "mongoose": "^8"}}),
                               "yarn.lock": ""},
                              [(".", "express", {"main": "server.js", "command": "node --watch server.js",
                                                 "package_manager": "yarn"})], {"mongodb"}),
    "express-dev-script": ({"package.json": PKG({"scripts": {"dev": "nodemon src/index.js"},
                                                 "dependencies": {"express": "4", "pg": "8", "ioredis": "5"}}),
                            "pnpm-lock.yaml": ""},
                           [(".", "express", {"command": "pnpm dev", "package_manager": "pnpm"})],
                           {"postgres", "redis"}),
    "nextjs-over-express": ({"package.json": PKG({"dependencies": {"next": "14", "express": "4", "react": "18"},
                                                  "engines": {"node": ">=18"}})},
                            [(".", "nextjs", {"node_version": "20"})], set()),
    "rails-pg": ({"Gemfile": "source 'https://rubygems.org'\nruby '3.2.2'\ngem 'rails', '~> 7.1'\ngem 'pg'\n"
                  "gem 'sidekiq'\n", "config/application.rb": ""},
                 [(".", "rails", {"ruby_version": "3.2"})], {"postgres", "redis"}),
    "rails-ruby-version": ({"Gemfile": "gem \"rails\"\ngem \"mysql2\"\n", ".ruby-version": "ruby-3.1.4\n"},
                           [(".", "rails", {"ruby_version": "3.1"})], {"mysql"}),
    "go": ({"go.mod": "module example.com/svc\n\ngo 1.21.5\n\nrequire (\n\tgithub.com/redis/go-redis/v9 v9.5.1\n"
                      "\tgithub.com/jackc/pgx/v5 v5.5.0\n)\n", "cmd/server/main.go": "package main\n"},
           [(".", "go", {"go_version": "1.21", "main": "./cmd/server"})], {"redis", "postgres"}),
    "laravel": ({"composer.json": PKG({"require": {"php": "^8.2", "laravel/framework": "^11.0"}}), "artisan": "",
                 ".env.example": "APP_NAME=x\nDB_CONNECTION=pgsql\n"},
                [(".", "laravel", {"php_version": "8.2"})], {"postgres"}),
    "spring-maven": ({"pom.xml": "<project><parent><groupId>org.springframework.boot</groupId>"
                      "<artifactId>spring-boot-starter-parent</artifactId></parent><properties>"
                      "<java.version>17</java.version></properties><dependencies><dependency>"
                      "<groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency>"
                      "</dependencies></project>"},
                     [(".", "spring", {"build_tool": "maven", "java_version": "17"})], {"postgres"}),
    "spring-gradle": ({"build.gradle.kts": 'plugins { id("org.springframework.boot") version "3.2.0" }\n'
                       "java { toolchain { languageVersion = JavaLanguageVersion.of(21) } }\n"
                       'dependencies { implementation("org.springframework.boot:spring-boot-starter-amqp") }\n'},
                      [(".", "spring", {"build_tool": "gradle", "java_version": "21"})], {"rabbitmq"}),
    "plain-java-is-not-spring": ({"pom.xml": "<project><groupId>a</groupId><artifactId>b</artifactId></project>"},
                                 [], set()),
    "nothing": ({"README.md": "hi"}, [], set()),
    "monorepo": ({"package.json": PKG({"workspaces": ["apps/*"]}),
                  "apps/api/requirements.txt": "fastapi\nasyncpg\n", "apps/api/main.py": "app = FastAPI()\n",
                  "apps/site/package.json": PKG({"dependencies": {"next": "14"}}),
                  "apps/site/lib/package.json": PKG({"dependencies": {"express": "4"}})},
                 [("apps/api", "fastapi", {"app": "main:app"}), ("apps/site", "nextjs", {})], {"postgres"}),
    "mixed-rails-with-frontend": ({"Gemfile": "gem 'rails'\n",
                                   "frontend/package.json": PKG({"scripts": {"dev": "vite"}})},
                                  [(".", "rails", {}), ("frontend", "node", {"command": "npm run dev",
                                                                             "watch_restart": False})], set()),
    "test-fixtures-are-not-apps": ({"go.mod": "module x\n\ngo 1.22\n", "main.go": "package main\n",
                                    "tests/fixtures/package.json": "{}",
                                    "node_modules/x/package.json": "{}"}, [(".", "go", {})], set()),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_detection_table(make_project, case):
    files, expected, services = CASES[case]
    folder = make_project(files, name=case)
    matches = detect(folder, SOURCES)
    assert [(m.rel, m.recipe) for m in matches] == [(rel, recipe) for rel, recipe, _ in expected]
    for match, (_, _, params) in zip(matches, expected, strict=True):
        assert {k: match.params.get(k) for k in params} == params
        assert match.reasons and all(isinstance(r, str) for r in match.reasons)
        assert set(match.param_reasons) == set(match.params)
    assert set().union(*(m.services for m in matches)) == services


@pytest.mark.parametrize("case", sorted(c for c, (_, expected, _) in CASES.items() if expected))
def test_every_detected_project_gets_a_valid_manifest(make_project, case):
    files, expected, services = CASES[case]
    folder = make_project(files, name=case)
    result = compose(folder, recipes=[], with_=[], sets=[], project_name=None, environ={})
    (folder / "devenv.toml").write_text(result.files["devenv.toml"])
    project = load_project(directory=folder, environ={})
    assert set(project.manifest.services) >= services
    apps = [p for p in result.apps]
    assert len(apps) == len(expected)
    for app in apps:
        assert set(project.manifest.services[app.name].depends_on) == set(app.links)


def test_a_monorepo_gets_one_service_per_app_with_its_own_paths_and_ports(make_project):
    folder = make_project({
        "api/package.json": PKG({"dependencies": {"express": "4", "pg": "8"}}),
        "admin/package.json": PKG({"dependencies": {"express": "4"}}),
        "worker/requirements.txt": "celery\nredis\n", "worker/app.py": "",
    })
    result = compose(folder, recipes=[], with_=[], sets=[], project_name=None, environ={})
    (folder / "devenv.toml").write_text(result.files["devenv.toml"])
    services = load_project(directory=folder, environ={}).manifest.services
    assert set(services) == {"admin", "api", "worker", "postgres", "redis"}
    assert services["api"].ports == ["3001:3000"] and services["admin"].ports == ["3000:3000"]
    assert services["api"].parsed_mounts()[0].source == "./api"
    assert services["api"].provision_inputs == ["api/package.json", "api/package-lock.json"]
    assert services["worker"].watch[0].paths == ["worker/**/*.py"]
    assert set(services["api"].depends_on) == {"postgres"} and "DATABASE_URL" in services["api"].env
    assert set(services["worker"].depends_on) == {"redis"} and "DATABASE_URL" not in services["worker"].env
    assert "admin" not in services["api"].depends_on


def test_init_prints_what_it_detected_and_why(make_project, devenv):
    folder = make_project({"go.mod": "module x\n\ngo 1.21\nrequire github.com/lib/pq v1.10.9\n",
                           "main.go": "package main\n"})
    result = devenv("init", cwd=folder)
    assert result.code == 0, result.output
    assert "go.mod is present" in result.out
    assert 'go_version = "1.21"  (go.mod says go 1.21)' in result.out
    assert "postgres  postgres  (go.mod:4 declares github.com/lib/pq)" in result.out
    assert "next: devenv up --wait, then open http://127.0.0.1:8080" in result.out


def test_recipe_flag_keeps_the_detected_facts_that_fit(make_project, devenv):
    folder = make_project({"requirements.txt": "flask\npsycopg\n", ".python-version": "3.11\n"})
    result = devenv("init", "--recipe", "fastapi", "--with", "redis", "--dry-run", cwd=folder)
    assert result.code == 0, result.output
    assert "uvicorn" in result.out and "[services.redis]" in result.out
    # psycopg still needs its database, and the stated Python version still holds.
    assert "[services.postgres]" in result.out and "python:3.11-slim" in result.out


@pytest.mark.parametrize("constraint, version", [
    (">=3.8", "3.12"), (">=3.10,<3.12", "3.11"), ("^3.9", "3.12"), ("~3.10", "3.10"), ("3.9.*", "3.9"),
    ("==3.13.*", "3.13"), ("<3", None), ("nonsense", None),
])
def test_pick_python(constraint, version):
    assert pick_python(constraint) == version


@pytest.mark.parametrize("constraint, major", [
    (">=16", 20), (">=22", 22), ("^18.12.0", 18), ("18.x", 18), ("16 || 18", 18), (">=18 <20", 18),
    (">=18 <23", 20), ("lts/*", None),
])
def test_pick_major(constraint, major):
    assert pick_major(constraint, 20) == major
