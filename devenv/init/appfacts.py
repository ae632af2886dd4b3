"""Everything init reads about one app folder once its recipe is known: start command and port,
workers and provision steps, the env file, an existing Dockerfile, the backing services its
config names (Django DATABASES, database.yml, Spring datasource, Laravel's config default,
settings URLs), which folders are not apps, and the stacks init has no recipe for.
Pure reads: nothing here writes or prints.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from devenv.init import dockerfile, entry, envswitches, runenv, springapp
from devenv.init.depfiles import Facts
from devenv.init.envfiles import SCHEMES, EnvPlan, code_env_keys, is_own_secret, read_env_plan, required_secrets
from devenv.init.processes import Process, Processes, django_manage, python_files, read, read_processes

PYTHON = ("python", "django", "flask", "fastapi")
# Where projects keep the Dockerfile of their app, a development one first.
DOCKERFILES = ("Dockerfile.dev", "dev.Dockerfile", "docker/dev/Dockerfile", "dev/docker/Dockerfile", "Dockerfile",
               "docker/Dockerfile", "docker/app/Dockerfile", ".docker/Dockerfile")
NODE = ("node", "express", "nextjs", "vite", "nuxt", "angular", "remix", "sveltekit")
SQL = ("postgres", "mysql")
# Dev servers of the Node frameworks: (port, flags that open it to the container's network).
NODE_DEV = {"vite": (5173, "--host 0.0.0.0"), "sveltekit": (5173, "--host 0.0.0.0"),
            "remix": (5173, "--host 0.0.0.0"), "nuxt": (3000, "--host 0.0.0.0"),
            "angular": (4200, "--host 0.0.0.0"), "nextjs": (3000, "-H 0.0.0.0")}
SERVER_PACKAGES = ("express", "fastify", "koa", "@hapi/hapi", "hapi", "@nestjs/core", "restify", "polka", "hono",
                   "next", "nuxt", "vite", "@angular/core", "@sveltejs/kit", "@remix-run/dev", "@react-router/dev",
                   "webpack-dev-server", "parcel", "@rsbuild/core", "@vue/cli-service", "react-scripts", "astro")


@dataclass
class AppFacts:
    params: dict[str, object] = field(default_factory=dict)
    param_reasons: dict[str, str] = field(default_factory=dict)
    command: str | None = None  # replaces the recipe's start command
    command_why: str = ""
    dockerfile: str | None = None  # an existing Dockerfile of the app (relative to its folder)
    dockerfile_target: str | None = None
    dockerfile_why: str = ""  # why the target is not the last stage
    dockerfile_args: dict[str, str] = field(default_factory=dict)  # the stated versions, as build args
    workers: list[Process] = field(default_factory=list)
    provision: list[Process] = field(default_factory=list)
    provision_inputs: list[str] = field(default_factory=list)
    env_plan: EnvPlan = field(default_factory=EnvPlan)
    code_env: list[tuple[str, str, str]] = field(default_factory=list)  # settings the code reads
    # Variables a database config reads for one connection field, whatever their name
    # (database.yml's `host: <%= ENV.fetch("CABLE_HOST", "localhost") %>`): key → (field, file:line).
    config_fields: dict[str, tuple[str, str]] = field(default_factory=dict)
    backend_urls: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # see runenv.backend_urls
    env: dict[str, str] = field(default_factory=dict)
    env_why: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)  # secret the code reads → file:line
    services: dict[str, str] = field(default_factory=dict)  # backing services its config names
    preferred_db: tuple[str, str] | None = None  # the database its config wires by default, and why
    switched_off: dict[str, str] = field(default_factory=dict)  # services its env file turns off → why
    notes: list[str] = field(default_factory=list)

    def set(self, key: str, value: object, why: str) -> None:
        self.params[key] = value
        self.param_reasons[key] = why


# -- what is an app --------------------------------------------------------------------------------

def is_django_manage(facts: Facts) -> bool:
    return entry.is_django_manage(facts)


def _node_runnable(facts: Facts) -> bool:
    scripts = facts.package_json.get("scripts") or {}
    if any(isinstance(scripts.get(s), str) and not re.match(r"^\s*(tsc|rollup|tsup|babel|echo)\b", scripts[s])
           for s in ("dev", "start", "serve", "develop")):
        return True
    return any(p in facts.packages for p in SERVER_PACKAGES) and bool(facts.params.get("main"))


def not_an_app(facts: Facts, recipe: str, *, workspace_member: bool) -> str | None:
    """Why this folder is not an app for `recipe` (None: it is one)."""
    name = facts.folder.name.lower()
    if recipe in NODE:
        deps = set(facts.packages)
        if any(d.startswith("@react-email/") or d == "react-email" for d in deps) and \
                not deps & set(SERVER_PACKAGES):  # an app that sends react-email mails is still an app
            return "react-email templates"
        harness = {"jest", "@playwright/test", "playwright", "cypress", "mocha", "vitest", "supertest"}
        scripts = facts.package_json.get("scripts") or {}
        tooling = harness | {"typescript", "ts-node", "@types/node", "@types/jest", "ts-jest", "dotenv"}
        if re.search(r"(e2e|tests?|fake[-_]?\w*|mock[-_]?\w*)$", name) or (deps and deps <= tooling):
            return "a test harness"
        if recipe == "node" and not _node_runnable(facts):
            return "nothing to run (no dev/start script, no server)"
        if _only_builds(scripts):
            return "an asset build (its dev/start script only builds, e.g. `vite build --watch`)"
        runs = any(isinstance(scripts.get(s), str) for s in ("dev", "start", "serve", "develop"))
        if workspace_member and recipe in ("node", "express") and not runs:
            return "a workspace library (no dev/start script)"
    if recipe in PYTHON and facts.rel != "." and \
            not (facts.has("manage.py") or facts.has("main.py") or facts.has("app.py") or facts.has("Procfile")
                 or facts.has("wsgi.py") or facts.has("asgi.py") or entry.asgi_app(facts)
                 or entry.flask_app(facts, facts.folder) or entry.console_script(facts)):
        return "a Python package with no entry point"
    if recipe == "spring" and (why := springapp.not_an_app(facts.folder, facts.rel)):
        return why
    if recipe == "go" and not entry.go_mains(facts):
        return "a Go library (no package main)"
    if recipe == "rust" and not rust_binary(facts):
        return "a Rust library (no binary)"
    return None


# A bundler run that writes files and serves nothing: assets a backend serves.
_BUILD_RUN = re.compile(r"\b(vite\s+build|rollup|esbuild|webpack(?![- ](dev[- ]server|serve))|parcel\s+build|tsc|"
                        r"tailwindcss|sass|postcss|gulp|grunt)\b")
_SERVE_RUN = re.compile(r"\b(node|nodemon|tsx|ts-node|bun|deno|next|nuxt|serve|preview|http-server|live-server|"
                        r"vite(?!\s+build)|webpack[- ]dev[- ]server|webpack\s+serve)\b")


def _only_builds(scripts: dict) -> bool:
    runs = [v for k, v in scripts.items() if k in ("dev", "start", "serve", "develop") and isinstance(v, str)]
    return bool(runs) and all(_BUILD_RUN.search(r) and not _SERVE_RUN.search(r) for r in runs)


def rust_binary(facts: Facts) -> tuple[str | None, str] | None:
    """(package to run with -p, or None for the crate itself; evidence) of a cargo project."""
    if facts.has("src/main.rs") or any(facts.folder.glob("src/bin/*.rs")):
        return None, "src/main.rs is the binary"
    if re.search(r"^\[workspace\]", facts.text("Cargo.toml"), re.M):
        web = ("axum", "actix-web", "rocket", "warp", "poem", "tide", "hyper", "salvo")
        found: list[tuple[int, str, str]] = []
        for manifest in sorted(facts.folder.glob("**/Cargo.toml")):
            if "target" in manifest.parts or manifest.parent == facts.folder or \
                    not (manifest.parent / "src/main.rs").is_file():
                continue
            text = read(manifest)
            name = re.search(r"^name\s*=\s*\"([^\"]+)\"", text, re.M)
            if name:
                serves = any(re.search(rf"^{w}\b", text, re.M) for w in web)
                rel = manifest.parent.relative_to(facts.folder).as_posix()
                found.append((0 if serves else 1, name.group(1), f"{rel}/src/main.rs is the binary"
                                                                 + (" (a web server)" if serves else "")))
        if found:
            found.sort()
            return found[0][1], found[0][2]
    return None


def root_runs_itself(facts: Facts) -> bool:
    """A workspace root that is also an app (Nuxt at the root of a pnpm workspace)."""
    deps = set(facts.packages)
    return bool(deps & {"nuxt", "next", "@angular/core", "@sveltejs/kit"}) and facts.has("package.json") and \
        any(facts.has(n) for n in ("nuxt.config.ts", "nuxt.config.js", "next.config.js", "next.config.mjs",
                                   "angular.json", "svelte.config.js"))


# -- per stack ------------------------------------------------------------------------------------

def _python(facts: Facts, recipe: str, root: Path, found: AppFacts) -> None:
    if recipe == "fastapi":
        app = entry.asgi_app(facts)
        script = entry.console_script(facts)
        if app:
            found.set("app", app[0], f"{app[1]} creates the app")
            if app[2]:
                found.env["PYTHONPATH"], found.env_why["PYTHONPATH"] = "/app/src", "the app lives in a src/ layout"
        if script and (not app or (facts.has("Makefile") and script[0] in facts.text("Makefile"))):
            found.command = f"{script[0]} --host 0.0.0.0 --port {{port}}" if script[2] else script[0]
            found.command_why = script[1]
        run_port = runenv.uvicorn_run_port(facts.folder)
        if run_port:
            found.set("port", run_port[0], run_port[1])
    elif recipe == "flask":
        flask = entry.flask_app(facts, root)
        gunicorn = re.search(r"^web:.*?\bgunicorn\b.*?\s([\w.]+):(\w+)", facts.text("Procfile"), re.M)
        if gunicorn and (not flask or "FLASK_APP" not in flask[1]):
            found.set("app", gunicorn.group(1),
                      f"Procfile's web process serves {gunicorn.group(1)}:{gunicorn.group(2)}")
        elif flask:
            found.set("app", flask[0], flask[1])
        flask_port = entry.setting(facts, root, "FLASK_RUN_PORT")  # `flask run` reads it (.flaskenv)
        if flask_port and flask_port[0].isdigit():
            found.set("port", int(flask_port[0]), f"{flask_port[1]} sets FLASK_RUN_PORT={flask_port[0]}")
    elif recipe == "django":
        found.set("migrate", False, "migrations run as a provision step")
        manage = django_manage(facts)
        if manage != "manage.py":
            # Run from the root (its venv and dependency files): the project's modules are in manage.py's folder.
            found.set("manage", manage, f"{manage} is Django's, the dependencies are declared at the root")
            found.env["PYTHONPATH"] = f"/app/{manage.rsplit('/', 1)[0]}"
            found.env_why["PYTHONPATH"] = f"the project's modules are beside {manage}"
        settings = re.search(r"DJANGO_SETTINGS_MODULE['\"]\s*,\s*['\"]([\w.]+)", facts.text(manage))
        if settings:
            found.env["DJANGO_SETTINGS_MODULE"] = settings.group(1)
            found.env_why["DJANGO_SETTINGS_MODULE"] = "manage.py's default settings"
    if facts.params.get("requirements_file"):
        found.set("requirements_file", facts.params["requirements_file"], facts.reasons["requirements_file"])
    _config_services(facts, found)


def _refuse_unreadable_env_file(root: Path, found: AppFacts) -> None:
    """An example env file that devenv (and Compose) would refuse as an env_file is not named as
    one: the manifest init writes must come up. Its values still inform init; a note says why."""
    from devenv.manifest.dotenv import syntax_problem

    name = found.env_plan.file
    if name is None:
        return
    problem = syntax_problem(read(root / name))
    if problem is not None:
        line, why = problem
        found.notes.append(f"{name}:{line}: {why}; not used as env_file (devenv and Compose would refuse it): "
                           f"fix that line, then add env_file = [\"{name}\"]")
        found.env_plan.file = None


def _other_asgi(facts: Facts, found: AppFacts) -> None:
    """A Litestar/Quart app object: uvicorn serves it and reloads on change."""
    app = entry.other_asgi_app(facts)
    if app is None:
        return
    target, where, home = app
    found.command = f"uvicorn {target} --reload --host 0.0.0.0 --port {{port}}"
    found.command_why = f"{where} creates the app; uvicorn serves it"
    if home:
        found.env["PYTHONPATH"] = f"/app/{home}"
        found.env_why["PYTHONPATH"] = f"{where.split(':')[0]} imports its sibling modules by their bare names"


def _settings_files(facts: Facts) -> list[Path]:
    return [p for p in python_files(facts.folder, limit=300)
            if re.search(r"settings|config|conf\b|database|celery", p.as_posix())]


def _compiled_settings_files(facts: Facts, recipe: str) -> list[Path]:
    """The Go and Rust sources that load settings (a config or settings module), where the
    variables a server reads (`env::var("LEMMY_DATABASE_URL")`, `os.Getenv`) are named."""
    if recipe == "spring":
        return springapp.config_files(facts.folder)  # their ${REDIS_HOST:localhost} placeholders
    suffix = {"go": ".go", "rust": ".rs"}.get(recipe)
    if suffix is None:
        return []
    found: list[Path] = []
    skip = {"target", "vendor", "tests", "testdata", "node_modules", "docs", "examples"}
    for folder, dirs, files in os.walk(facts.folder):
        rel = Path(folder).relative_to(facts.folder)
        dirs[:] = sorted(d for d in dirs if d not in skip and not d.startswith(".") and len(rel.parts) < 5)
        for name in sorted(files):
            path = rel / name
            if name.endswith(suffix) and re.search(r"settings|config|conf\b|env", path.as_posix()):
                found.append(facts.folder / path)
        if len(found) >= 100:
            break
    return found


def _config_services(facts: Facts, found: AppFacts) -> None:
    """Databases and brokers named in settings: Django ENGINE strings and URL literals."""
    engines = {"postgresql": "postgres", "postgis": "postgres", "mysql": "mysql"}
    for path in _settings_files(facts):
        text = read(path)
        rel = path.relative_to(facts.folder).as_posix()
        for match in re.finditer(r"django(?:\.contrib\.gis)?\.db\.backends\.(\w+)", text):
            kind = engines.get(match.group(1))
            line = text.count("\n", 0, match.start()) + 1
            if kind:
                found.services.setdefault(kind, f"{rel}:{line} DATABASES uses {match.group(0)}")
                found.preferred_db = found.preferred_db or (kind, f"{rel}:{line}")
        for match in re.finditer(r"['\"](postgres|postgresql|mysql|redis|amqp|mongodb)(?:\+\w+)?://", text):
            kind = SCHEMES[match.group(1)]
            line = text.count("\n", 0, match.start()) + 1
            found.services.setdefault(kind, f"{rel}:{line} names a {match.group(1)}:// URL")


def _node(facts: Facts, recipe: str, root: Path, found: AppFacts) -> None:
    script = entry.dev_script(facts)
    if recipe in NODE_DEV:
        port, flags = NODE_DEV[recipe]
        configured = entry.vite_port(facts) if recipe in ("vite", "sveltekit", "remix") else None
        classic = recipe == "remix" and entry.classic_remix(facts)
        # Vite in middleware mode inside the project's own server (`node index.ts`): that server's port.
        server = entry.own_server(script[1]) if script and recipe == "remix" and not classic else None
        own_port = entry.port_from_code(facts, [server, "server/index.ts", "server/index.js"]) if server else None
        if classic or server:
            # `remix dev` before Vite: the app server (remix-serve or the project's own Express
            # server) takes PORT, 3000 by default, and the CLI has no --host flag.
            port, flags = 3000, ""
        if own_port:
            port, port_why = own_port
        elif configured and not server:
            port, port_why = configured
        elif classic or server:
            port_why = f"{'classic Remix' if classic else server}: the app server's PORT, 3000 unless set"
        else:
            port_why = f"the {recipe} dev server's port"
        env_port = entry.port_from_env(facts, facts.folder)
        if env_port and recipe != "angular" and (not configured or "PORT" in facts.text("vite.config.ts")):
            port, port_why = env_port
        flag = entry.script_port(script[1]) if script and not classic else None
        if script and flag:  # the dev server's own --port flag wins over its config and PORT
            port, port_why = flag, f"package.json {script[0]} script ({script[1]!r}) sets the port"
        found.set("port", port, port_why)
        if script and (classic or server):
            found.command = entry.run_script(facts, script[0])
            found.command_why = f"package.json {script[0]} script ({script[1]!r}): " \
                                f"{'classic Remix' if classic else 'the app runs its own server'}, which reads PORT"
        elif classic:
            found.command, found.command_why = "npx remix dev", "classic Remix (remix.config.js) without a dev script"
        elif script and recipe != "nextjs":
            found.command = entry.run_script(facts, script[0], f"{flags} --port {port}")
            found.command_why = f"package.json {script[0]} script ({script[1]!r}), opened with {flags}"
        elif not script and str(facts.params.get("command", "")).startswith("node --watch"):
            # No script: the framework's own dev server (the recipe's command), not `node` on the
            # package's main file (a .tsx entry for the bundler, not for Node).
            for key in ("command", "watch_restart"):
                facts.params.pop(key, None)
                facts.reasons.pop(key, None)
    elif (astro := entry.astro_dev(facts)) and script:
        # Astro binds localhost unless given --host.
        found.set("port", astro[0], astro[1])
        found.command = entry.run_script(facts, script[0], f"--host 0.0.0.0 --port {astro[0]}")
        found.command_why = f"package.json {script[0]} script ({script[1]!r}): Astro's dev server, opened with --host"
    else:
        vue = "vue-cli-service serve" in json.dumps(facts.package_json.get("scripts") or {})
        servers = [str(facts.params.get("main", "index.js")), "index.js", "server.js", "app.js", "src/index.js",
                   "src/server.js", "src/main.ts", "src/index.ts", "src/server.ts", "src/app.ts"]
        stated = entry.port_from_env(facts, facts.folder) or entry.port_from_code(facts, servers)
        address, note = entry.node_bind_address(facts, list(dict.fromkeys(servers)))
        for key, value in address.items():
            found.env[key], found.env_why[key] = value, "the server's listen address: every interface"
        if note:
            found.notes.append(note)
        if stated:
            found.set("port", stated[0], stated[1])
        elif vue:
            found.set("port", 8080, "vue-cli-service serve listens on 8080")


def _go(facts: Facts, root: Path, found: AppFacts) -> None:
    mains = entry.go_mains(facts)
    if mains:
        found.set("main", mains[0][0], mains[0][1])
        for path, why in mains[1:]:
            # A command-line tool (cmd/cli, cmd/<name>ctl, a code generator) runs on request, not as a process.
            if path.startswith("./cmd/") and not GO_TOOL_NAME.search(path.rsplit("/", 1)[-1]):
                found.workers.append(Process(path.rsplit("/", 1)[-1], f"go run {path}", why))
    port = entry.port_from_env(facts, root) or entry.go_listen_port(facts) or \
        (entry.go_default_address(facts, str(found.params["main"])) if "main" in found.params else None)
    if port:
        found.set("port", port[0], port[1])
    listen = int(str(found.params.get("port", 8080)))
    address = runenv.go_local_address_env(facts.folder, listen)
    if address:
        found.env[address[0]] = f"0.0.0.0:{listen}"
        found.env_why[address[0]] = address[1]
    _config_sections(facts, found)


def _config_sections(facts: Facts, found: AppFacts) -> None:
    """A `mysql:` or `redis:` section, or a postgres:// URL, in the service's own config files."""
    kinds = {"mysql": "mysql", "mariadb": "mysql", "redis": "redis", "postgres": "postgres", "postgresql": "postgres",
             "mongodb": "mongodb", "mongo": "mongodb", "rabbitmq": "rabbitmq", "nats": "nats"}
    files = sorted(facts.folder.glob("conf/**/*.y*ml")) + entry.service_config_files(facts.folder)
    for path in list(dict.fromkeys(files))[:20]:
        text = read(path)
        rel = path.relative_to(facts.folder).as_posix()
        for match in re.finditer(r"^\s{0,2}(mysql|mariadb|redis|postgres|postgresql|mongodb|mongo|rabbitmq|nats)"
                                 r"\s*:\s*\{?\s*$|(postgres|postgresql|mysql|redis|mongodb|amqp)://", text, re.M):
            word = match.group(1) or match.group(2)
            kind = kinds.get(word) or SCHEMES.get(word)
            if kind:
                found.services.setdefault(kind, f"{rel}:{text.count(chr(10), 0, match.start()) + 1} configures {word}")


def _rust(facts: Facts, root: Path, found: AppFacts) -> None:
    binary = rust_binary(facts)
    if binary and binary[0]:
        found.set("command", f"cargo run -p {binary[0]}", binary[1])
    port = entry.port_from_env(facts, root) or entry.rust_port(facts)
    if port:
        found.set("port", port[0], port[1])
    _config_sections(facts, found)


def _phoenix(facts: Facts, found: AppFacts) -> None:
    match = re.search(r"port:\s*(?:String\.to_integer\(System\.get_env\(\"PORT\"\)\s*\|\|\s*\"(\d+)\"\)|(\d+))",
                      facts.text("config/dev.exs"))
    if match:
        found.set("port", int(match.group(1) or match.group(2)), "config/dev.exs sets the endpoint's port")
    # `System.fetch_env!` in the config the dev server loads raises when the variable is unset.
    for name in ("config/config.exs", "config/dev.exs"):
        text = facts.text(name)
        for match in re.finditer(r"System\.fetch_env!\(\s*\"([A-Z][A-Z0-9_]*)\"", text):
            key, where = match.group(1), f"{name}:{text.count(chr(10), 0, match.start()) + 1}"
            if is_own_secret(key):
                found.secrets.setdefault(key, where)
            elif key not in found.env:
                found.env[key] = ""
                found.env_why[key] = f"{where} requires it (System.fetch_env!): fill in the project's value"


def _php(facts: Facts, found: AppFacts) -> None:
    for folder in ("public", "web"):
        if facts.has(f"{folder}/index.php"):
            found.set("docroot", folder, f"{folder}/index.php is the front controller")
            break
    served = entry.php_server_script(facts)
    if served:
        port, root, why = served
        found.set("port", port, why)
        if root and facts.has(f"{root}/index.php"):
            found.set("docroot", root, why)
    _php_extensions(facts, found)


def _spring(facts: Facts, found: AppFacts) -> None:
    port = entry.spring_port(facts)
    if port:
        found.set("port", port[0], port[1])
    resources = facts.folder / "src/main/resources"
    default = "\n".join(facts.text(f"src/main/resources/application.{e}") for e in ("properties", "yml", "yaml"))
    match = re.search(r"jdbc:(postgresql|mysql|mariadb|h2|sqlite)", default) or \
        re.search(r"^database\s*=\s*(h2|hsqldb)\s*$", default, re.M)
    if match:
        kind = {"postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql"}.get(match.group(1))
        if kind:
            found.preferred_db = (kind, "application properties datasource URL")
        else:
            found.preferred_db = ("embedded", f"the default datasource is {match.group(1)}")
    profiles = sorted(p.stem.split("-", 1)[1] for p in resources.glob("application-*.*")) if resources.is_dir() else []
    found.params["_profiles"] = profiles


def _java(facts: Facts, found: AppFacts) -> None:
    """Quarkus or Micronaut: the framework, and the port and database its own settings name."""
    framework = "micronaut" if any(name.startswith("io.micronaut") for name in facts.packages) else "quarkus"
    build_file = "pom.xml" if facts.params.get("build_tool") != "gradle" else "the Gradle build"
    found.set("framework", framework, f"{build_file} declares io.{framework}")
    settings = entry.jvm_settings(facts, framework)
    if "port" in settings and settings["port"][0].isdigit():
        found.set("port", int(settings["port"][0]), f"{settings['port'][1]} sets the HTTP port")
    if "db" in settings:
        value, where = settings["db"]
        kind = next((k for word, k in (("postgres", "postgres"), ("mysql", "mysql"), ("mariadb", "mysql"))
                     if word in value.lower()), None)
        if kind:
            found.services.setdefault(kind, f"{where} names {value}")
            found.preferred_db = (kind, where)


def _rails(facts: Facts, found: AppFacts) -> None:
    found.set("prepare", False, "the schema is prepared as a provision step")
    for name in ("config/database.yml", "config/database.example.yml", "config/database.yml.example"):
        match = re.search(r"^\s*adapter:\s*(\w+)", facts.text(name), re.M)
        if match:
            kind = {"postgresql": "postgres", "postgis": "postgres", "mysql2": "mysql", "trilogy": "mysql"}.get(
                match.group(1))
            if kind:
                found.services.setdefault(kind, f"{name} uses the {match.group(1)} adapter")
                found.preferred_db = (kind, name)
                found.config_fields = database_yml_fields(facts.text(name), name)
            break


# `host: <%= ENV.fetch("CABLE_HOST", "localhost") %>`, `password: <%= ENV["DB_PASSWORD"] %>`
_YML_ENV_FIELD = re.compile(r"^\s+(host|username|password|port):\s*['\"]?<%=\s*ENV(?:\.fetch\(\s*|\[\s*)"
                            r"['\"]([A-Z][A-Z0-9_]*)['\"]", re.M)
_YML_FIELDS = {"host": "HOST", "username": "USER", "password": "PASSWORD", "port": "PORT"}


def database_yml_fields(text: str, name: str) -> dict[str, tuple[str, str]]:
    """The variables database.yml reads for a connection's host, user, password or port outside
    its test and production sections. DATABASE_URL only reaches the primary database: the other
    databases of a multi-database config (cable, queue, cache) connect with these."""
    found: dict[str, tuple[str, str]] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), 1):
        top = re.match(r"^([\w-]+):", line)
        if top:
            section = top.group(1)
        match = _YML_ENV_FIELD.match(line)
        if match and not re.match(r"(test|production|staging)", section):
            found.setdefault(match.group(2), (_YML_FIELDS[match.group(1)], f"{name}:{number}"))
    return found


def _laravel(facts: Facts, found: AppFacts) -> None:
    if not any(p.startswith("laravel-db:") for p in facts.packages):
        for name in ("config/database.php", "app/Config/database.php"):
            match = re.search(r"'default'\s*=>\s*env\(\s*'DB_CONNECTION'\s*,\s*'(\w+)'", facts.text(name))
            if match:
                kind = {"pgsql": "postgres", "mysql": "mysql", "mariadb": "mysql"}.get(match.group(1))
                if kind:
                    found.services.setdefault(kind, f"{name} defaults DB_CONNECTION to {match.group(1)}")
                    found.preferred_db = (kind, name)
                elif match.group(1) == "sqlite":
                    _laravel_server_db(facts, found)
                break
    _php_extensions(facts, found)


def _laravel_server_db(facts: Facts, found: AppFacts) -> None:
    """The config defaults to sqlite but the env example, with no DB_CONNECTION, gives a server's
    credentials (DB_USERNAME/DB_PASSWORD mean nothing to sqlite, and DB_DATABASE=laravel would be
    a file): the project runs a database server. Postgres when its user or port says so, else
    MySQL, Laravel's server connection of the examples."""
    for name in (".env.example", ".env.dist", ".env.sample"):
        text = facts.text(name)
        values = dict(re.findall(r"^(DB_\w+)=[\"']?([^\"'\n]*)", text, re.M))
        if not values:
            continue
        if "DB_CONNECTION" in values or not ({"DB_USERNAME", "DB_PASSWORD"} & set(values)):
            return
        kind = "postgres" if values.get("DB_USERNAME") == "postgres" or values.get("DB_PORT") == "5432" else "mysql"
        found.services.setdefault(kind, f"{name} sets DB_USERNAME/DB_PASSWORD (a server's credentials) and no "
                                        f"DB_CONNECTION, while config/database.php defaults to sqlite")
        found.preferred_db = (kind, name)
        found.env["DB_CONNECTION"] = {"postgres": "pgsql", "mysql": "mysql"}[kind]
        found.env_why["DB_CONNECTION"] = f"{name} gives a database server's credentials: the {kind} service"
        return


def _php_extensions(facts: Facts, found: AppFacts) -> None:
    try:
        data = json.loads(facts.text("composer.json") or "{}")
    except json.JSONDecodeError:
        return
    require = data.get("require") or {} if isinstance(data, dict) else {}
    exts = sorted(name[4:].lower() for name in require if name.lower().startswith("ext-"))
    if exts:
        found.set("php_extensions", " ".join(exts), f"composer.json requires {', '.join('ext-' + e for e in exts)}")


def _procfile_web(facts: Facts, recipe: str, processes_web: Process | None, found: AppFacts) -> None:
    """A generic recipe runs what the Procfile's web line runs; a framework keeps its dev server."""
    scripts = facts.package_json.get("scripts") or {}
    if processes_web and processes_web.why.startswith("Procfile:") and recipe in ("node", "express") and \
            any(isinstance(scripts.get(n), str) for n in ("dev", "start:dev", "start:watch")):
        return  # Heroku's Procfile runs the production build; the project's dev script is for development
    if processes_web and recipe in ("python", "node", "express", "go", "php") and not found.command:
        command = re.sub(r"\$\{?PORT\}?", "{port}", processes_web.command)
        found.command, found.command_why = command, processes_web.why


def _go_procfile_web(facts: Facts, processes: Processes, found: AppFacts) -> Process | None:
    """A Go Procfile runs the binary the buildpack compiled (`bin/fider migrate && bin/fider`),
    which development does not have: the binary is `go run` on the main package, and the steps
    chained before the server (`migrate`) are provision steps."""
    web = processes.web
    if not web:
        return None
    module = re.search(r"^module\s+(\S+)", facts.text("go.mod"), re.M)
    # `go build` names the binary after the path's last element before a major version (`/v2`).
    path = re.sub(r"/v\d+$", "", module.group(1).rstrip("/")) if module else ""
    binaries = {path.rsplit("/", 1)[-1]} if module else set()
    binaries |= {p.name for p in facts.folder.glob("cmd/*") if p.is_dir()}
    main = str(found.params.get("main", "."))
    parts = [p.strip() for p in web.command.split("&&")]
    runs = []
    for part in parts:
        words = part.split()
        if not words or words[0].rsplit("/", 1)[-1] not in binaries or \
                not re.match(r"^(\./)?(bin/)?[\w.-]+$", words[0]):
            return web  # not the project's own binary: run the line as it is
        runs.append(words[1:])
    if runs[-1]:
        return Process("web", " ".join(["go", "run", main, *runs[-1]]), web.why)
    for args in runs[:-1]:
        processes.provision.append(Process("release", " ".join(["go", "run", main, *args]),
                                           f"{web.why} runs it before the server"))
    if runs[:-1] and facts.has("migrations"):
        processes.provision_inputs.append("migrations/*")
    return None  # the recipe's `go run` on the main package


# The subcommand of a cobra CLI that starts the server, in the order looked for.
COBRA_SERVE = ("serve", "server", "start", "web", "api", "http")


def _go_cobra_commands(facts: Facts, processes: Processes, found: AppFacts) -> None:
    """A main package that hands over to a cobra CLI (`cmd.Execute()`) prints its help and exits
    without a subcommand: the server is its `serve` command (`go run . serve`), and a `migrate`
    command is a provision step."""
    if "github.com/spf13/cobra" not in facts.text("go.mod"):
        return
    main = str(found.params.get("main", "."))
    folders = [facts.folder / main]
    if main == ".":
        folders += [facts.folder / "cmd", facts.folder / "internal" / "cmd"]
    uses: dict[str, str] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.go"))[:60] if folder.is_dir() else []:
            text = read(path)
            if path.name.endswith("_test.go") or "cobra.Command" not in text:
                continue
            for match in re.finditer(r"\bUse:\s*\"([\w-]+)", text):
                line = text.count("\n", 0, match.start()) + 1
                uses.setdefault(match.group(1), f"{path.relative_to(facts.folder).as_posix()}:{line}")
    serve = next((name for name in COBRA_SERVE if name in uses), None)
    if serve is None:
        return
    found.command = f"go run {main} {serve}"
    found.command_why = f"{uses[serve]}: the cobra command {serve!r} starts the server"
    if "migrate" in uses and "migrat" not in " ".join(p.command for p in processes.provision):
        processes.provision.append(Process("migrate", f"go run {main} migrate",
                                           f"{uses['migrate']}: the cobra command 'migrate'"))
        for schema in ("migrations", "database/migrations", "db/migrations"):
            if (facts.folder / schema).is_dir():
                processes.provision_inputs.append(f"{schema}/*")


def read_app(facts: Facts, recipe: str, root: Path) -> AppFacts:
    found = AppFacts()
    if recipe in PYTHON:
        _python(facts, recipe, root, found)
    elif recipe in NODE:
        _node(facts, recipe, root, found)
    elif recipe == "go":
        _go(facts, root, found)
    elif recipe == "spring":
        _spring(facts, found)
    elif recipe == "java":
        _java(facts, found)
    elif recipe == "rails":
        _rails(facts, found)
    elif recipe == "laravel":
        _laravel(facts, found)
    elif recipe == "php":
        _php(facts, found)
    elif recipe == "rust":
        _rust(facts, root, found)
    elif recipe == "phoenix":
        _phoenix(facts, found)
    if recipe in NODE:
        found.backend_urls = runenv.backend_urls(facts.folder)
    if "port" not in found.params and recipe not in NODE:
        port = entry.port_from_env(facts, root)
        if port:
            found.set("port", port[0], port[1])
    processes = read_processes(facts, recipe)
    if recipe == "go":
        processes.web = _go_procfile_web(facts, processes, found)
        if not processes.web and found.command is None:
            _go_cobra_commands(facts, processes, found)
    _procfile_web(facts, recipe, processes.web, found)
    if recipe == "python" and not found.command:
        _other_asgi(facts, found)
    inline = runenv.makefile_run_env(facts.folder)
    if inline:
        for key, value in inline[0].items():
            found.env.setdefault(key, value)
            found.env_why.setdefault(key, inline[1])
    found.workers = processes.workers + found.workers
    found.provision, found.provision_inputs = processes.provision, processes.provision_inputs
    found.env_plan = read_env_plan(facts.folder, root)
    _refuse_unreadable_env_file(root, found)
    from_root = found.env_plan.file is not None and "/" not in found.env_plan.file and facts.rel != "."
    if not (from_root and recipe in ("vite", "angular", "node")):
        # A frontend in a monorepo does not connect to the databases the root env file names.
        for kind, why in found.env_plan.services.items():
            found.services.setdefault(kind, why)
            if kind in ("postgres", "mysql", "mongodb") and re.search(r"DB_TYPE|DATABASE_TYPE|DATABASE_URL|"
                                                                      r"DB_CONNECTION|DB_DRIVER|_ENGINE\b", why):
                found.preferred_db = found.preferred_db or (kind, why)
    embedded = envswitches.embedded_database(found.env_plan.keys)
    if embedded and not found.preferred_db:
        found.preferred_db = ("embedded", embedded)
    found.switched_off = envswitches.switched_off(found.env_plan.keys)
    settings = _settings_files(facts) if recipe in PYTHON else []
    found.secrets = {**required_secrets(facts.folder, settings), **found.secrets}
    declared = {k for k, _, _ in found.env_plan.keys}
    read_by_code = code_env_keys(facts.folder, settings + _compiled_settings_files(facts, recipe))
    found.code_env = [k for k in read_by_code if k[0] not in declared]
    if "celery" in facts.packages:
        found.code_env.append(("CELERY_BROKER_URL", "", f"{facts.packages['celery']} declares celery"))
    if recipe == "rails" and "SECRET_KEY_BASE" not in found.secrets:
        found.secrets["SECRET_KEY_BASE"] = "Rails signs sessions with it"
    for candidate in [*DOCKERFILES, *_dev_dockerfiles(facts)]:
        name = _spelled(facts, candidate)
        if name:
            found.dockerfile = name
            text = facts.text(name)
            found.dockerfile_target = dockerfile.dev_target(text, recipe)
            built = dockerfile.stages(text)
            runtime = dockerfile.runs_no_toolchain(text, recipe, found.dockerfile_target)
            supervisor = dockerfile.supervisor_entrypoint(text, found.dockerfile_target)
            stale = f"it only runs a build's output ({runtime}, no {recipe} toolchain)" if runtime else \
                f"its ENTRYPOINT ({supervisor}) boots a process supervisor that starts the image's own " \
                f"services" if supervisor else _stale_toolchain(facts, recipe, built, found.dockerfile_target)
            if stale:
                found.dockerfile, found.dockerfile_target = None, None
                found.notes.append(f"{name} is not built: {stale}")
                continue
            if found.dockerfile_target and built and built[-1].name != found.dockerfile_target and \
                    found.dockerfile_target not in ("dev", "development", "develop"):
                found.dockerfile_why = (f"its last stage ({built[-1].image}) only runs the build's output: built to "
                                        f"the {found.dockerfile_target} stage, which has the toolchain")
            image_user = dockerfile.non_root_user(text, found.dockerfile_target)
            if image_user and recipe not in HOST_USER:
                # The dependency volumes provision fills are root-owned: the image's user cannot write them.
                found.set("user", "root", f"{name} runs as {image_user}; the dependency volumes are root-owned")
            for key, value in dockerfile.development_env(text, found.dockerfile_target).items():
                found.env.setdefault(key, value)
                found.env_why.setdefault(key, f"{name} sets it for production; the dev server needs the "
                                              f"development dependencies")
            known = {**facts.params, **found.params}
            defaults = dockerfile.arg_defaults(text)
            for arg in re.findall(r"^ARG\s+([A-Z_]*VERSION)\b", text, re.M):
                param = BUILD_ARG_PARAMS.get(arg)
                stated = known.get(param) if param else None
                if isinstance(stated, str) and dockerfile.needs_version_arg(defaults.get(arg), stated):
                    found.dockerfile_args[arg] = stated
            break
    return found


# Recipes that run as the host's user already (their images' caches are writable by any uid).
HOST_USER = ("go", "laravel", "php", "rails")
GO_TOOL_NAME = re.compile(r"^(cli|ctl|client|tools?|gen|generate|codegen|docs?|lint|mocks?|schema|debug|bench|"
                          r"migrate|seed)$|(ctl|-cli|cli|gen)$")

# The parameter holding the language version each recipe's project states.
VERSION_PARAMS = {**dict.fromkeys(PYTHON, "python_version"), **dict.fromkeys(NODE, "node_version"),
                  "rails": "ruby_version", "go": "go_version", "rust": "rust_version", "phoenix": "elixir_version",
                  "laravel": "php_version", "php": "php_version", "spring": "java_version",
                  "java": "java_version"}


def _stale_toolchain(facts: Facts, recipe: str, built: list[dockerfile.Stage], target: str | None) -> str | None:
    """Why the project's Dockerfile cannot run the project: the stage it builds starts from a
    toolchain older than the version the project states, hard-coded in FROM (no ARG to pass)."""
    stage = next((s for s in built if target and s.name == target), built[-1] if built else None)
    stated = facts.params.get(VERSION_PARAMS.get(recipe, ""))
    why = facts.reasons.get(VERSION_PARAMS.get(recipe, ""), "")
    if stage is None or not isinstance(stated, str) or re.search(r"[\^~<>|*]| - ", why):
        return None  # a range: the version init picks from it is not the project's floor
    # The built stage's own toolchain, else the one it copies in (`COPY --from=go /usr/local/go`).
    toolchains = [stage] if dockerfile.toolchain_version(stage.image, recipe) else \
        [s for s in built if dockerfile.toolchain_version(s.image, recipe)]
    for candidate in toolchains:
        have = dockerfile.older_than_stated(candidate.image, recipe, stated)
        if have:
            return f"it builds on {candidate.image} ({have}), older than the {stated} the project states ({why})"
    return None


# Dockerfile ARGs that choose a language version → the parameter holding the version the project states.
BUILD_ARG_PARAMS = {"PYTHON_VERSION": "python_version", "NODE_VERSION": "node_version", "RUBY_VERSION": "ruby_version",
                    "GO_VERSION": "go_version", "GOLANG_VERSION": "go_version", "RUST_VERSION": "rust_version",
                    "ELIXIR_VERSION": "elixir_version", "PHP_VERSION": "php_version", "JAVA_VERSION": "java_version"}


def _spelled(facts: Facts, name: str) -> str | None:
    """The file `name` as the project spells it: `dockerfile.dev` for Dockerfile.dev (Docker takes
    any name with `-f`, and a case-sensitive file system tells them apart)."""
    if facts.has(name):
        return name
    where = Path(name).parent
    folder = facts.folder / where
    if not folder.is_dir():
        return None
    for path in sorted(folder.iterdir()):
        if path.name.lower() == Path(name).name.lower() and path.is_file():
            return (where / path.name).as_posix()
    return None


def _dev_dockerfiles(facts: Facts) -> list[str]:
    """Dockerfiles named for development (docker/local.Dockerfile, compose/local/django/Dockerfile)."""
    found = []
    for pattern in ("*/*[Dd]ockerfile*", "*/*/*[Dd]ockerfile*", "*/*/*/*[Dd]ockerfile*"):
        for path in sorted(facts.folder.glob(pattern)):
            parts = path.relative_to(facts.folder).parts
            if set(parts[:-1]) & {"tests", "test", "examples", "node_modules", "vendor", "fixtures", "testdata"}:
                continue
            named = re.search(r"(^|[._-])(local|dev|development)([._-]|$)", parts[-1])
            if named or set(parts[:-1]) & {"local", "dev", "development"}:
                found.append("/".join(parts))
    return found


def pick_databases(services: dict[str, str], extras: AppFacts) -> dict[str, str]:
    """Two SQL databases declared: wire the one the config names (or postgres), say so, never
    first-wins silently. An embedded default (H2, SQLite) with profiles for servers: the first
    server profile is wired and activated."""
    both = [k for k in SQL if k in services]
    if extras.preferred_db and extras.preferred_db[0] == "embedded" and both:
        listed = extras.params.get("_profiles")
        profiles = [p for p in listed if isinstance(p, str)] if isinstance(listed, list) else []
        wanted = next((k for k in both if k in profiles), None)
        if wanted:
            extras.env["SPRING_PROFILES_ACTIVE"] = wanted
            extras.env_why["SPRING_PROFILES_ACTIVE"] = f"application-{wanted} profile matches the {wanted} service"
        for other in both:
            if other != wanted:
                extras.notes.append(f"{other} not added: {services[other]}, but {extras.preferred_db[1]}"
                                    + (f" and the {wanted} profile is wired" if wanted else "")
                                    + f"; --with {other} adds it")
                services.pop(other)
    declared = [k for k in ("postgres", "mysql", "mongodb") if k in services]
    preferred = extras.preferred_db[0] if extras.preferred_db and extras.preferred_db[0] in declared else None
    if len(declared) > 1 and (preferred or all(k in declared for k in SQL)):
        keep = preferred or "postgres"
        reason = f"{extras.preferred_db[1]} wires it" if preferred and extras.preferred_db else \
            "both are declared; postgres is wired by default"
        for drop in [k for k in declared if k != keep and (preferred or k in SQL)]:
            extras.notes.append(f"two databases declared ({services[keep]}; {services[drop]}): {keep} is wired "
                                f"to the app ({reason}); {drop} left out: --with {drop} adds it")
            services.pop(drop)
    extras.params.pop("_profiles", None)
    return services


def webpack_port(facts: Facts) -> tuple[int, str]:
    """webpack-dev-server's port: devServer.port in webpack.config.js, else its default 8080."""
    text = facts.text("webpack.config.js")
    match = re.search(r"devServer\s*:\s*\{[^}]*?\bport\s*:\s*(\d{2,5})", text, re.S)
    if match:
        return int(match.group(1)), "webpack.config.js sets devServer.port"
    return 8080, "webpack-dev-server listens on 8080"


# -- nx workspaces ---------------------------------------------------------------------------------

def nx_projects(root: Path) -> list[dict[str, object]]:
    """Applications of an nx workspace, served from its root: name, folder, recipe, port, command, why."""
    found: list[dict[str, object]] = []
    manifests = [*root.glob("*/project.json"), *root.glob("*/*/project.json"), *root.glob("*/*/*/project.json")]
    for path in sorted(manifests):
        if "node_modules" in path.parts:
            continue
        try:
            data = json.loads(read(path) or "{}")
        except json.JSONDecodeError:
            continue
        name = data.get("name") if isinstance(data, dict) else None
        if not isinstance(name, str) or data.get("projectType") != "application" or name.endswith("-e2e"):
            continue
        folder = path.parent
        rel = folder.relative_to(root).as_posix()
        serve = (data.get("targets") or {}).get("serve") or {}
        executor = str(serve.get("executor", ""))
        configs = {c.split(".")[0] for c in ("rsbuild.config.ts", "vite.config.ts", "webpack.config.js",
                                                 "next.config.js", "vite.config.mts") if (folder / c).is_file()}
        if not executor and not configs:
            continue
        recipe = "angular" if "angular" in executor else "nextjs" if "next" in executor or "next" in configs else \
            "vite" if "vite" in executor or "vite" in configs else "node"
        target = "serve" if executor or "rsbuild" not in configs else "dev"
        options = serve.get("options") or {}
        port = options.get("port") if isinstance(options.get("port"), int) else None
        why = f"{rel}/project.json: an nx application" + (f" served by {executor}" if executor else
                                                          f" with {', '.join(sorted(configs))}.config")
        if port is None:
            for config in sorted(folder.glob("*.config.*")):
                match = re.search(r"\bport\s*:\s*(\d{2,5})", read(config))
                if match:
                    port = int(match.group(1))
                    why += f"; {config.name} sets port {port}"
                    break
        port = port or 4200  # nx's dev servers default to 4200
        found.append({"name": name, "rel": rel, "recipe": recipe, "port": port, "why": why,
                      "command": f"npx nx run {name}:{target} --host 0.0.0.0 --port {port}"})
    return found


# -- stacks without a recipe -------------------------------------------------------------------------

_UNSUPPORTED = (("mix.exs", "Elixir"), ("*.csproj", ".NET"), ("*.sln", ".NET"), ("global.json", ".NET"),
                ("Cargo.toml", "Rust"), ("index.php", "PHP"), ("composer.json", "PHP"), ("build.gradle", "Java"),
                ("build.gradle.kts", "Java/Kotlin"), ("pom.xml", "Java"), ("Gemfile", "Ruby"),
                ("deno.json", "Deno"), ("pubspec.yaml", "Dart"), ("stack.yaml", "Haskell"), ("dune-project", "OCaml"),
                ("CMakeLists.txt", "C/C++"), ("Package.swift", "Swift"), ("runtime.txt", "Python"))


def unsupported_evidence(root: Path) -> list[str]:
    seen = []
    for pattern, stack in _UNSUPPORTED:
        for folder in (root, *sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))):
            hits = sorted(folder.glob(pattern))
            if hits:
                rel = hits[0].relative_to(root).as_posix()
                seen.append(f"{rel} ({stack})")
                break
    return seen
