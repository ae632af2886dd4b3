"""`devenv init` on stacks the first corpus lacked: Drizzle schemas, Bun projects, Bull queues, a
PHP built-in server run by a composer script, ASGI apps other than FastAPI (Litestar, Quart), URLs
given as a setting's default in the code, Node servers that must listen on every interface,
Quarkus and Micronaut (the java recipe), viper's env files, env files that pick SQLite or switch a
service off, and Spring multi-module builds."""

from __future__ import annotations

import json

import pytest

from devenv.errors import UsageError
from tests.unit.test_init_facts import command, init

HONO = "import { serve } from '@hono/node-server'\nserve({ fetch: app.fetch, port })\n"


def package(scripts: dict[str, str], deps: dict[str, str], dev: dict[str, str] | None = None) -> str:
    return json.dumps({"name": "api", "scripts": scripts, "dependencies": deps, "devDependencies": dev or {}})


def test_drizzle_applies_its_generated_migrations(make_project):
    _, services = init(make_project, {
        "package.json": package({"dev": "tsx watch src/index.ts"}, {"hono": "^4", "drizzle-orm": "^0.44"},
                                {"drizzle-kit": "^0.31"}),
        "src/index.ts": HONO,
        "drizzle.config.ts": "export default defineConfig({\n  schema: './src/db/schema.ts',\n"
                             "  out: './src/db/migrations',\n  dialect: 'postgresql',\n})\n",
        "src/db/migrations/meta/_journal.json": "{}"})
    web = services["web"]
    assert "npx drizzle-kit migrate" in web["provision"]
    assert "src/db/migrations/**" in web["provision_inputs"]


def test_drizzle_without_migrations_pushes_the_schema(make_project):
    _, services = init(make_project, {
        "package.json": package({"dev": "tsx watch src/index.ts"}, {"hono": "^4", "drizzle-orm": "^0.44"},
                                {"drizzle-kit": "^0.31"}),
        "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
        "src/index.ts": HONO,
        "drizzle.config.ts": "export default defineConfig({ schema: './src/schema.ts', dialect: 'sqlite' })\n"})
    assert "pnpm exec drizzle-kit push" in services["web"]["provision"]


def test_a_bun_project_installs_and_runs_with_bun_and_its_bull_worker_too(make_project):
    _, services = init(make_project, {
        "package.json": package({"dev": "bun run --hot src/index.ts", "worker": "bun run src/worker.ts",
                                 "db:migrate": "bunx drizzle-kit generate && bunx drizzle-kit migrate"},
                                {"hono": "^4", "bull": "^4", "ioredis": "^5"}, {"drizzle-kit": "^0.30"}),
        "bun.lock": "{}\n",
        "src/index.ts": "const app = new Hono()\nexport default app\n",
        "drizzle.config.ts": "export default defineConfig({ out: './drizzle', dialect: 'postgresql' })\n",
        "drizzle/meta/_journal.json": "{}"})
    web = services["web"]
    assert web["image"].startswith("oven/bun:")
    assert command(web) == "bun run dev"
    assert web["provision"] == ["bun install", "bunx drizzle-kit migrate"]  # db:migrate also generates
    assert "bun.lock" in web["provision_inputs"]
    assert web["healthcheck"]["test"][0] == "bun"
    assert command(services["worker"]) == "bun run worker"


def test_a_composer_script_running_the_builtin_server_gives_the_port_and_docroot(make_project):
    _, services = init(make_project, {
        "composer.json": json.dumps({"require": {"php": "^8.2", "slim/slim": "^4.12"},
                                     "scripts": {"start": "php -S localhost:8080 -t public"}}),
        "public/index.php": "<?php\n$app = AppFactory::create();\n$app->run();\n"})
    web = services["web"]
    assert web["ports"] == ["8080:8080"]
    assert command(web) == "php -S 0.0.0.0:8080 -t public"


def test_a_litestar_app_importing_its_siblings_flat_runs_with_uvicorn_from_its_folder(make_project):
    _, services = init(make_project, {
        "pyproject.toml": '[project]\nname = "books"\nrequires-python = ">=3.12"\n'
                          'dependencies = ["litestar[standard]>=2.12", "environs", "psycopg[binary]"]\n',
        "src/__init__.py": '"""Sources."""\n',
        "src/app.py": "from litestar import Litestar\n\nfrom config import DB_URI\n\n"
                      "app = Litestar(route_handlers=[])\n",
        "src/config.py": 'from environs import Env\n\nenv = Env()\n'
                         'DB_URI = env.str(\n    "DB_URI",\n    "postgresql+psycopg://postgres:postgres@postgres:5432/db",\n)\n'})
    web = services["web"]
    assert command(web).startswith("uvicorn app:app --reload --host 0.0.0.0 --port 8000")
    assert web["env"]["PYTHONPATH"] == "/app/src"
    # the default's scheme and driver are kept: SQLAlchemy's async engine needs them
    assert web["env"]["DB_URI"].startswith("postgresql+psycopg://")
    assert "postgres" in services


def test_a_quart_app_at_the_root_needs_no_pythonpath(make_project):
    _, services = init(make_project, {
        "requirements.txt": "quart\nuvicorn\n",
        "main.py": "from quart import Quart\n\napp = Quart(__name__)\n"})
    assert command(services["web"]).startswith("uvicorn main:app --reload")
    assert "PYTHONPATH" not in services["web"].get("env", {})


def test_fastify_cli_is_told_to_listen_on_every_interface(make_project):
    _, services = init(make_project, {
        "package.json": package({"dev": "fastify start -w -l info app.js"}, {"fastify": "^5", "fastify-cli": "^7"}),
        "app.js": "module.exports = async function (fastify, opts) {}\n"})
    assert services["web"]["env"]["FASTIFY_ADDRESS"] == "0.0.0.0"


def test_a_listen_address_read_from_a_variable_is_set_to_every_interface(make_project):
    _, services = init(make_project, {
        "package.json": package({"start": "node server.js"}, {"fastify": "^5"}),
        "server.js": "app.listen({ port: process.env.PORT || 3000, host: process.env.BIND_ADDRESS })\n"})
    assert services["web"]["env"]["BIND_ADDRESS"] == "0.0.0.0"


def test_fastify_listening_without_a_host_is_noted(make_project):
    result, _ = init(make_project, {
        "package.json": package({"dev": "tsx watch src/server.ts"}, {"fastify": "^5"}),
        "src/server.ts": "const app = Fastify()\nawait app.listen({ port: process.env.PORT ?? 3000 })\n"})
    assert any("src/server.ts:2" in note and "host" in note for note in result.notes)


QUARKUS_POM = """<project>
  <properties>
    <maven.compiler.source>11</maven.compiler.source>
  </properties>
  <dependencies>
    <dependency>
      <groupId>io.quarkus</groupId>
      <artifactId>quarkus-resteasy</artifactId>
    </dependency>
    <dependency>
      <groupId>io.quarkus</groupId>
      <artifactId>quarkus-jdbc-postgresql</artifactId>
    </dependency>
  </dependencies>
</project>
"""


def test_quarkus_runs_its_dev_mode_on_every_interface_with_the_services_datasource(make_project):
    _, services = init(make_project, {
        "pom.xml": QUARKUS_POM,
        "src/main/resources/application.properties":
            "quarkus.datasource.db-kind = postgresql\n"
            "quarkus.datasource.jdbc.url = jdbc:postgresql://localhost:5432/todo\n%dev.quarkus.http.port=8081\n"})
    web = services["web"]
    assert web["command"] == ["mvn", "-B", "quarkus:dev"]
    assert web["image"] == "maven:3.9-eclipse-temurin-11"
    assert web["ports"] == ["8081:8081"]
    env = web["env"]
    assert env["QUARKUS_HTTP_HOST"] == "0.0.0.0" and env["QUARKUS_HTTP_PORT"] == "8081"
    assert env["QUARKUS_DATASOURCE_JDBC_URL"] == "jdbc:postgresql://postgres:5432/app"
    assert env["QUARKUS_DEVSERVICES_ENABLED"] == "false"  # devenv's postgres, not a Dev Services container
    assert "postgres" in services


def test_micronaut_on_gradle_runs_and_is_restarted_on_source_changes(make_project):
    _, services = init(make_project, {
        "build.gradle": 'plugins {\n    id("io.micronaut.application") version "4.4.0"\n}\n'
                        'dependencies {\n    runtimeOnly("org.postgresql:postgresql")\n}\n',
        "src/main/resources/application.yml": "micronaut:\n  application:\n    name: demo\n"})
    web = services["web"]
    assert web["command"] == ["gradle", "--no-daemon", "run"]
    assert web["env"]["MICRONAUT_SERVER_HOST"] == "0.0.0.0"
    assert web["env"]["DATASOURCES_DEFAULT_URL"].startswith("jdbc:postgresql://postgres:5432/")
    assert any(rule["action"] == "restart" for rule in web["watch"])


def test_java_without_quarkus_micronaut_or_spring_is_still_refused(make_project):
    with pytest.raises(UsageError, match=r"pom\.xml"):
        init(make_project, {"pom.xml": "<project><dependencies><dependency><groupId>com.google.guava</groupId>"
                                       "<artifactId>guava</artifactId></dependency></dependencies></project>\n"})


def test_a_start_watch_script_is_the_dev_command_over_start(make_project):
    # Older NestJS projects run nodemon as `start:watch`; `npm start` would not reload.
    _, services = init(make_project, {
        "package.json": package({"start": "node index.js", "start:watch": "nodemon"},
                                {"@nestjs/core": "^7", "mysql": "^2"}, {"nodemon": "^1"}),
        "index.js": "require('ts-node/register');\nrequire('./src/main');\n",
        "src/main.ts": "await app.listen(3000);\n"})
    assert command(services["web"]) == "npm run start:watch"


def test_a_go_app_reading_an_env_file_through_viper_gets_it_rewritten(make_project):
    # viper's SetConfigName("app") + SetConfigType("env") reads app.env; AutomaticEnv lets the
    # environment win, so its localhost addresses are overridden with the services'.
    _, services = init(make_project, {
        "go.mod": "module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/jackc/pgx/v5 v5.3.1\n"
                  "\tgithub.com/go-redis/redis/v8 v8.11.5\n\tgithub.com/spf13/viper v1.10.1\n)\n",
        "main.go": "package main\n\nfunc main() {}\n",
        "util/config.go": 'package util\n\nimport "github.com/spf13/viper"\n\nfunc LoadConfig(path string) {\n'
                          '\tviper.AddConfigPath(path)\n\tviper.SetConfigName("app")\n\tviper.SetConfigType("env")\n'
                          '\tviper.AutomaticEnv()\n}\n',
        "app.env": "DB_SOURCE=postgresql://root:secret@localhost:5432/bank?sslmode=disable\n"
                   "REDIS_ADDRESS=0.0.0.0:6379\nHTTP_SERVER_ADDRESS=0.0.0.0:8080\n"})
    web = services["web"]
    assert web["env_file"] == ["app.env"]
    assert web["env"]["DB_SOURCE"].startswith("postgresql://postgres:dev@postgres:5432/")
    assert web["env"]["REDIS_ADDRESS"] == "redis:6379"


def test_an_env_file_choosing_sqlite_and_turning_redis_off_adds_neither_server(make_project):
    # knex with pg and mysql2 installed, ioredis too: the env file picks SQLite and switches Redis off.
    _, services = init(make_project, {
        "package.json": package({"dev": "node --watch server/server.js"},
                                {"express": "4", "knex": "3", "better-sqlite3": "11", "pg": "8", "ioredis": "5",
                                 "bull": "4"}),
        "server/server.js": "const express = require('express');\napp.listen(env.PORT);\n",
        ".example.env": "PORT=3000\nDB_CLIENT=better-sqlite3\nDB_FILENAME=db/data\nDB_HOST=localhost\n"
                        "DB_NAME=kutt\nREDIS_ENABLED=false\nREDIS_HOST=127.0.0.1\n"})
    assert set(services) == {"web"}
    assert "depends_on" not in services["web"]


POM_MODULES = """<project>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent>
  <packaging>pom</packaging>
  <modules>
    <module>shop-common</module>
    <module>shop-system</module>
  </modules>
  <properties><java.version>1.8</java.version></properties>
  <dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-data-redis</artifactId>
    </dependency>
    <dependency><groupId>com.mysql</groupId><artifactId>mysql-connector-j</artifactId></dependency>
  </dependencies>
</project>
"""


def test_a_spring_multi_module_build_runs_the_module_with_the_application_class(make_project):
    module = ("<project><parent><artifactId>shop</artifactId></parent><artifactId>{}</artifactId><dependencies>"
              "<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-{}"
              "</artifactId></dependency></dependencies></project>\n")
    _, services = init(make_project, {
        "pom.xml": POM_MODULES,
        "shop-common/pom.xml": module.format("shop-common", "web"),
        "shop-common/src/main/java/shop/Util.java": "package shop;\npublic class Util {}\n",
        "shop-system/pom.xml": module.format("shop-system", "quartz"),
        "shop-system/src/main/java/shop/AppRun.java": "package shop;\n@SpringBootApplication\npublic class AppRun {}\n",
        "shop-system/src/main/resources/config/application.yml":
            "server:\n  port: 8000\nspring:\n  redis:\n    host: ${REDIS_HOST:127.0.0.1}\n"})
    assert set(services) == {"shop-system", "mysql", "redis"}  # neither the aggregator nor the library
    app = services["shop-system"]
    assert app["ports"] == ["8000:8000"]
    assert app["image"].endswith("temurin-8")  # java.version 1.8, inherited from the parent pom
    assert app["env"]["REDIS_HOST"] == "redis"
    assert set(app["depends_on"]) == {"mysql", "redis"}


DIESEL_MAIN = "use actix_web::{App, HttpServer};\n\n#[actix_web::main]\nasync fn main() -> std::io::Result<()> {\n" \
    "    HttpServer::new(|| App::new()).bind(\"0.0.0.0:8080\")?.run().await\n}\n"


def test_diesel_migrations_are_applied_by_diesel_cli(make_project):
    _, services = init(make_project, {
        "Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\nactix-web = "4"\n'
                      'diesel = { version = "2", features = ["mysql", "r2d2"] }\n',
        "diesel.toml": '[print_schema]\nfile = "src/schema.rs"\n\n[migrations_directory]\ndir = "db/migrations"\n',
        "db/migrations/2024-01-01-000000_users/up.sql": "CREATE TABLE users (id INT);\n",
        "src/main.rs": DIESEL_MAIN})
    web = services["web"]
    step = web["provision"][-1]
    assert "diesel_cli --no-default-features --features mysql" in step and step.endswith("diesel setup")
    assert "db/migrations/**" in web["provision_inputs"]


def test_embedded_diesel_migrations_need_no_cli(make_project):
    _, services = init(make_project, {
        "Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\nactix-web = "4"\n'
                      'diesel = { version = "2", features = ["postgres"] }\ndiesel_migrations = "2"\n',
        "migrations/2024-01-01-000000_users/up.sql": "CREATE TABLE users (id INT);\n",
        "src/main.rs": DIESEL_MAIN})
    assert not any("diesel" in step for step in services["web"]["provision"])


def test_symfony_doctrine_migrations_run_through_the_console(make_project):
    _, services = init(make_project, {
        "composer.json": json.dumps({"require": {"php": ">=8.2", "symfony/framework-bundle": "^6.0",
                                                 "doctrine/doctrine-migrations-bundle": "^3.3"}}),
        ".env": "DATABASE_URL=postgresql://app:pw@127.0.0.1:5432/app?serverVersion=16\n",
        "bin/console": "#!/usr/bin/env php\n<?php\n",
        "public/index.php": "<?php\nuse App\\Kernel;\n",
        "migrations/Version20240101000000.php": "<?php\nnamespace DoctrineMigrations;\n"})
    web = services["web"]
    assert any("doctrine:migrations:migrate" in step and step.startswith("php bin/console doctrine:database:create")
               for step in web["provision"])
    assert "migrations/*.php" in web["provision_inputs"]


@pytest.mark.parametrize(("files", "port"), [
    ({}, 4321),
    ({"astro.config.mjs": "export default defineConfig({\n  server: { port: 3300 },\n});\n"}, 3300),
])
def test_astro_runs_its_dev_server_on_its_port_opened_to_the_network(make_project, files, port):
    _, services = init(make_project, {
        "package.json": package({"dev": "astro dev", "build": "astro build"}, {"astro": "^5"}), **files})
    web = services["web"]
    assert web["ports"] == [f"{port}:{port}"]
    assert command(web) == f"npm run dev -- --host 0.0.0.0 --port {port}"


def test_react_router_in_its_own_express_server_sending_react_email_mails(make_project):
    _, services = init(make_project, {
        "package.json": package({"dev": "cross-env NODE_ENV=development node index.ts"},
                                {"react-router": "^7", "@react-router/express": "^7", "express": "^5",
                                 "@react-email/components": "^1"}, {"@react-router/dev": "^7", "vite": "^7"}),
        "react-router.config.ts": "export default { ssr: true }\n",
        "vite.config.ts": "export default defineConfig({ plugins: [reactRouter()] })\n",
        "index.ts": "await import('./server/index.ts')\n",
        "server/index.ts": "const app = express()\nconst port = Number(process.env.PORT || 3300)\napp.listen(port)\n"})
    web = services["web"]  # an app that sends mails, not react-email templates
    assert web["ports"] == ["3300:3300"] and web["env"]["PORT"] == "3300"
    assert command(web) == "npm run dev"  # no Vite flags for the project's own server


@pytest.mark.parametrize(("lock", "install"), [
    ({"uv.lock": "version = 1\n"}, "pip install uv && uv sync --frozen --extra postgres"),
    ({}, "pip install -e '.[postgres]'"),  # quoted: sh would glob the brackets
])
def test_a_database_driver_in_a_pyproject_extra_installs_that_extra(make_project, lock, install):
    _, services = init(make_project, {
        "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["fastapi", "uvicorn"]\n\n'
                          '[project.optional-dependencies]\npostgres = ["psycopg[binary]>=3"]\ndev = ["pytest"]\n',
        "main.py": "from fastapi import FastAPI\napp = FastAPI()\n", **lock})
    assert "postgres" in services
    assert install in services["web"]["provision"]


def test_a_package_whose_dev_script_only_builds_assets_is_not_an_app(make_project):
    # A Flask theme folder's `vite build --watch` writes files the backend serves; it serves nothing.
    _, services = init(make_project, {
        "requirements.txt": "flask\n", "wsgi.py": "from flask import Flask\napp = Flask(__name__)\n",
        "themes/core/package.json": package({"dev": "vite build --watch", "build": "vite build"}, {},
                                            {"vite": "^5"}),
        "ui/package.json": package({"dev": "vite", "build": "vite build"}, {}, {"vite": "^5"})})
    assert set(services) == {"web", "ui"}


def test_flask_run_port_from_flaskenv_is_the_apps_port(make_project):
    _, services = init(make_project, {
        "requirements.txt": "flask\n", "wsgi.py": "from flask import Flask\napp = Flask(__name__)\n",
        ".flaskenv": "FLASK_ENV=development\nFLASK_RUN_PORT=4000\n"})
    assert services["web"]["ports"] == ["4000:4000"] and "4000" in command(services["web"])


def test_a_go_procfile_naming_a_v2_modules_binary_runs_go_run(make_project):
    # `go build` names miniflux.app/v2's binary miniflux.app, as the buildpack does.
    _, services = init(make_project, {
        "go.mod": "module miniflux.app/v2\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n",
        "Procfile": "web: miniflux.app\n"})
    assert command(services["web"]) == "go run ."


def test_a_makefile_run_targets_inline_variables_and_a_localhost_listen_address(make_project):
    _, services = init(make_project, {
        "go.mod": "module example.com/feeds\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n",
        "Makefile": "APP := feeds\n\nrun:\n\t@ LOG_LEVEL=debug RUN_MIGRATIONS=1 go run main.go\n\n"
                    "test:\n\tCGO_ENABLED=0 go test ./...\n",
        "internal/config/options.go": 'package config\n\nvar defaults = map[string]string{\n'
                                      '\t"LISTEN_ADDR": "127.0.0.1:8080",\n\t"REDIS_ADDR": "localhost:6379",\n}\n'})
    env = services["web"]["env"]
    assert env["RUN_MIGRATIONS"] == "1" and env["LOG_LEVEL"] == "debug" and "CGO_ENABLED" not in env
    assert env["LISTEN_ADDR"] == "0.0.0.0:8080" and "REDIS_ADDR" not in env


@pytest.mark.parametrize(("reads_args", "step"), [(True, "go run ./cmd/migrate up"), (False, "go run ./cmd/migrate")])
def test_a_go_migrate_command_is_a_provision_step_not_a_worker(make_project, reads_args, step):
    body = "\tgoose.RunContext(ctx, flags.Args()[0], db, \"migrations\")\n" if reads_args else "\tm.Up()\n"
    _, services = init(make_project, {
        "go.mod": "module myapp\n\ngo 1.22\n\nrequire github.com/jackc/pgx/v5 v5.7.0\n",
        "cmd/app/main.go": "package main\n\nfunc main() {}\n",
        "cmd/migrate/main.go": f"package main\n\nfunc main() {{\n{body}}}\n"})
    assert step in services["web"]["provision"] and "migrate" not in services
    assert command(services["web"]) == "go run ./cmd/app"


def test_uvicorn_run_on_a_settings_port_and_a_frontend_proxy_reaching_the_api_by_name(make_project):
    _, services = init(make_project, {
        "pyproject.toml": '[project]\nname = "recipes"\ndependencies = ["fastapi", "uvicorn"]\n',
        "recipes/app.py": "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\ndef main():\n"
                          '    uvicorn.run("app:app", host="0.0.0.0", port=settings.API_PORT)\n',
        "recipes/settings.py": "class AppSettings(BaseSettings):\n    API_PORT: int = 9000\n",
        "frontend/package.json": package({"dev": "nuxt"}, {"nuxt": "^2"}),
        "frontend/nuxt.config.js": "export default {\n  proxy: {\n    '/api': { target: process.env.API_URL || "
                                   "'http://localhost:9000' },\n  },\n  publicRuntimeConfig: { x: "
                                   "process.env.NUXT_PUBLIC_API || 'http://localhost:9000' },\n}\n"})
    assert services["web"]["ports"] == ["9000:9000"]
    env = services["frontend"]["env"]
    assert env["API_URL"] == "http://web:9000" and "NUXT_PUBLIC_API" not in env  # the browser cannot resolve web
