"""Where an app starts and which port it listens on, read from its code and config.

Python: the FastAPI/Starlette app object or factory (packages and src/ layouts), Flask's app
from FLASK_APP (Dockerfile, .flaskenv, env examples) or `Flask(__name__)`, console scripts.
Node: the dev server of the framework (Vite, Nuxt, Angular, Remix, SvelteKit) and its port.
Go: the main package (root, ./cmd/<name>, ./app, .air.toml). Spring: server.port. Any stack:
PORT / SERVER_ADDRESS / HTTP_PORT in the env files. Each finding carries "file:line".
Pure reads: nothing here writes or prints.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from devenv.init.depfiles import Facts
from devenv.init.processes import module_of, python_files, read
from devenv.manifest.dotenv import example_values

ENV_EXAMPLES = (".env.example", ".example.env", ".env.sample", ".env.dist", ".env.template", "example.env",
                ".env.dev.example", ".env.local.example", ".env.development", "sample.env", "env.example",
                ".flaskenv", "dev.env", "local.env", ".env")


def _where(path: Path, root: Path, text: str, start: int) -> str:
    return f"{path.relative_to(root).as_posix()}:{text.count(chr(10), 0, start) + 1}"


def undotted_examples(folder: Path) -> list[str]:
    """Env examples named without the dot (`env-example-relational`, `env.sample`), the one the
    Dockerfile or a start-up script copies to `.env` first (`cp env-example-relational .env`)."""
    named = sorted(p.name for p in folder.glob("env[-._]*")
                   if p.is_file() and re.search(r"example|sample|template|dist", p.name))
    if len(named) < 2:
        return named
    scripts = " ".join(read(p) for p in [folder / "Dockerfile", *sorted(folder.glob("*.sh")), folder / "Makefile"]
                       if p.is_file())
    copied = {c.rsplit("/", 1)[-1] for c in re.findall(r"\bcp\s+(?:-\S+\s+)*(\S+)\s+\S*\.env\b", scripts)}
    return sorted(named, key=lambda name: name not in copied)


_ENV_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def env_lines(folder: Path, names: tuple[str, ...] = ENV_EXAMPLES) -> list[tuple[str, str, str]]:
    """(key, value, "file:line") of every assignment in the env files of a folder (by default
    the usual names, then the first undotted example)."""
    found = []
    if names is ENV_EXAMPLES:
        names = names + tuple(undotted_examples(folder)[:1])
    for name in names:
        path = folder / name
        if not path.is_file():
            continue
        # The grammar the app's env_file is read in (Compose's): a quoted value may span lines.
        for number, key, value in example_values(read(path)):
            if _ENV_KEY.fullmatch(key):
                found.append((key, value, f"{name}:{number}"))
    return found


def dockerfile_env(folder: Path) -> list[tuple[str, str, str]]:
    path = folder / "Dockerfile"
    text = read(path) if path.is_file() else ""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for key, value in re.findall(r"(?:^\s*ENV\s+|\s)([A-Z_][A-Z0-9_]*)[= ]\"?([^\s\"\\]+)", line) \
                if line.lstrip().upper().startswith("ENV") else []:
            found.append((key, value, f"Dockerfile:{number}"))
    return found


def setting(facts: Facts, root: Path, key: str) -> tuple[str, str] | None:
    """A variable's value from the Dockerfile, .flaskenv or env examples of the app, then the root."""
    for folder in dict.fromkeys([facts.folder, root]):
        for name, value, where in [*dockerfile_env(folder), *env_lines(folder)]:
            if name == key and value:
                return value, where
    return None


# -- ports -----------------------------------------------------------------------------------------

PORT_KEYS = ("PORT", "APP_PORT", "HTTP_PORT", "SERVER_PORT", "SERVER_ADDRESS", "LISTEN_ADDR", "HTTP_ADDR", "ADDR")


def port_from_env(facts: Facts, root: Path) -> tuple[int, str] | None:
    for folder in dict.fromkeys([facts.folder, root]):
        lines = env_lines(folder)
        for key in PORT_KEYS:
            for name, value, where in lines:
                if name == key:
                    match = re.fullmatch(r"(?:[\w.\-\[\]]*:)?(\d{2,5})", value.strip())
                    if match:
                        return int(match.group(1)), f"{where} sets {name}={value}"
    return None


def port_from_code(facts: Facts, files: list[str]) -> tuple[int, str] | None:
    """`process.env.PORT || 5000`, `os.getenv("PORT", "8000")`, `getenv("PORT") ?: ":8080"`."""
    for rel in files:
        text = facts.text(rel)
        match = re.search(r"env\.PORT\s*(?:\|\||\?\?)\s*['\"]?(\d{2,5})", text) or \
            re.search(r"getenv\(\s*['\"]PORT['\"]\s*,\s*['\"]?(\d{2,5})", text)
        if match:
            return int(match.group(1)), f"{_where(facts.folder / rel, facts.folder, text, match.start())} " \
                                        f"defaults the port to {match.group(1)}"
    return None


# A server call that names its listen address: fastify's `listen({ port, host: process.env.ADDRESS })`,
# Node's `listen(port, process.env.BIND)`.
_LISTEN_OPTIONS = re.compile(r"\.listen\(\s*\{([^{}]*)\}")
_HOST_VARIABLE = re.compile(r"\b(?:host|hostname|address)\s*:\s*process\.env\.([A-Z][A-Z0-9_]*)|"
                            r"\.listen\(\s*[^,()]+,\s*process\.env\.([A-Z][A-Z0-9_]*)")


def node_bind_address(facts: Facts, files: list[str]) -> tuple[dict[str, str], str | None]:
    """What makes a Node server listen on every interface, which it must in a container: the
    variables that carry its address ({"FASTIFY_ADDRESS": "0.0.0.0"} for fastify-cli, a variable the
    code passes as `host`), and a note when the code binds localhost whatever is set (fastify's
    `listen({ port })` without a host)."""
    scripts = json.dumps(facts.package_json.get("scripts") or {})
    env: dict[str, str] = {}
    if re.search(r"\bfastify start\b", scripts) and not re.search(r"fastify start[^\"]*\s(-a|--address)\b", scripts):
        env["FASTIFY_ADDRESS"] = "0.0.0.0"  # fastify-cli's address, localhost unless set
    for rel in files:
        text = facts.text(rel)
        for match in _HOST_VARIABLE.finditer(text):
            env.setdefault(match.group(1) or match.group(2), "0.0.0.0")
        if "fastify" in facts.packages and not env:
            bare = next((m for m in _LISTEN_OPTIONS.finditer(text) if not re.search(r"\b(host|hostname)\b",
                                                                                    m.group(1))), None)
            if bare:
                where = _where(facts.folder / rel, facts.folder, text, bare.start())
                return env, (f"{where}: fastify's listen() without a host binds 127.0.0.1, which the container's "
                             f"published port cannot reach: pass `host: '0.0.0.0'` (or process.env.HOST, which "
                             f"devenv sets)")
    env.pop("HOST", None)  # the recipe sets HOST=0.0.0.0 already
    return env, None


def jvm_settings(facts: Facts, framework: str) -> dict[str, tuple[str, str]]:
    """Quarkus's or Micronaut's own settings in src/main/resources/application.properties|yml
    that init reads: {"port": (value, "file:line"), "db": (kind or JDBC URL, "file:line")}."""
    keys = {"quarkus": {"port": r"quarkus\.http\.port", "db": r"quarkus\.datasource\.(?:db-kind|jdbc\.url)"},
            "micronaut": {"port": r"micronaut\.server\.port", "db": r"datasources\.default\.(?:url|dialect)"}}
    found: dict[str, tuple[str, str]] = {}
    for name in ("application.properties", "application.yml", "application.yaml"):
        rel = f"src/main/resources/{name}"
        text = facts.text(rel)
        for what, key in keys.get(framework, {}).items():
            # `%dev.quarkus.http.port=…` is the dev profile's; `%prod.…` is not development's.
            match = re.search(rf"^(?:%dev\.)?{key}\s*[=:]\s*\$?\{{?(?:\w+:)?([^\s}}]+)", text, re.M)
            if match and what not in found:
                found[what] = match.group(1), _where(facts.folder / rel, facts.folder, text, match.start())
    return found


def spring_port(facts: Facts) -> tuple[int, str] | None:
    # Spring reads classpath:/config/application.* too (and over the root ones).
    for rel in [f"src/main/resources/{d}{n}" for d in ("config/", "")
                for n in ("application.properties", "application.yml", "application.yaml")]:
        text = facts.text(rel)
        match = re.search(r"^\s*server\.port\s*[=:]\s*\$?\{?(?:PORT:)?(\d+)", text, re.M) or \
            re.search(r"^server:\s*\n(?:\s+.*\n)*?\s+port:\s*\$?\{?(?:PORT:)?(\d+)", text, re.M)
        if match:
            return int(match.group(1)), f"{_where(facts.folder / rel, facts.folder, text, match.start())} " \
                                        f"sets server.port"
    return None


# -- Python ------------------------------------------------------------------------------------------

_PREFERRED = ("main.py", "app.py", "asgi.py", "server.py", "wsgi.py", "api.py", "__init__.py")


def _ranked(facts: Facts) -> list[Path]:
    files = python_files(facts.folder)
    return sorted(files, key=lambda p: (p.name not in _PREFERRED, len(p.relative_to(facts.folder).parts),
                                        _PREFERRED.index(p.name) if p.name in _PREFERRED else 99))


def asgi_app(facts: Facts) -> tuple[str, str, bool] | None:
    """(module:attribute, "file:line", src layout) of a FastAPI/Starlette app at module level."""
    candidates = []
    for path in _ranked(facts):
        text = read(path)
        framework = re.search(r"^\s*(from|import)\s+(fastapi|starlette)", text, re.M)
        direct = re.search(r"^(\w+)\s*(?::\s*\w+\s*)?=\s*(?:FastAPI|Starlette)\(", text, re.M) if framework else None
        factory = re.search(r"^(app|application|api)\s*=\s*(create_app|get_application|create_application|"
                            r"make_app|get_app|build_app|\w*app\w*)\(", text, re.M)
        if factory and not framework and not re.search(rf"^\s*from\s+\S+\s+import\s+[^#\n]*\b{factory.group(2)}\b",
                                                       text, re.M):
            factory = None  # a factory the module imports from the project (`from .core.setup import …`)
        match = direct or factory
        if match:
            rel = path.relative_to(facts.folder)
            candidates.append((f"{module_of(path, facts.folder)}:{match.group(1)}",
                               _where(path, facts.folder, text, match.start()), rel.parts[0] == "src"))
            if direct and match.group(1) == "app":
                break
    if not candidates:
        return None
    return next((c for c in candidates if c[0].endswith(":app")), candidates[0])


# ASGI frameworks without a recipe of their own, whose app object uvicorn serves.
OTHER_ASGI = {"litestar": "Litestar", "quart": "Quart", "blacksheep": "Application"}
# What brings uvicorn into the environment.
UVICORN = ("uvicorn", "uvicorn[standard]", "litestar[standard]", "quart[uvicorn]")


def other_asgi_app(facts: Facts) -> tuple[str, str, str | None] | None:
    """(module:attribute, "file:line", home) of a Litestar/Quart/BlackSheep app at module level that
    uvicorn can serve (it is declared). `home` is the folder to put on PYTHONPATH when the module
    imports its siblings flat (`from config import DB_URI` in src/app.py): the app runs from there."""
    if not any(name in facts.packages for name in UVICORN):
        return None
    for path in _ranked(facts):
        text = read(path)
        for package, cls in OTHER_ASGI.items():
            if not re.search(rf"^\s*(from|import)\s+{package}\b", text, re.M):
                continue
            match = re.search(rf"^(\w+)\s*(?::\s*\w+\s*)?=\s*{cls}\(", text, re.M)
            if match:
                home = _flat_home(path, facts.folder, text)
                module = module_of(path, home if home is not None else facts.folder)
                return (f"{module}:{match.group(1)}", _where(path, facts.folder, text, match.start()),
                        home.relative_to(facts.folder).as_posix() if home is not None else None)
    return None


def _flat_home(path: Path, folder: Path, text: str) -> Path | None:
    """The app's own folder when it imports a sibling module by its bare name, which only resolves
    with that folder on sys.path; None when the project's root will do."""
    parent = path.parent
    if parent == folder:
        return None
    for name in re.findall(r"^\s*(?:from\s+(\w+)[\w.]*\s+import|import\s+(\w+))", text, re.M):
        name = name[0] or name[1]
        sibling = (parent / f"{name}.py").is_file() or (parent / name / "__init__.py").is_file()
        if sibling and not (folder / f"{name}.py").is_file() and not (folder / name).is_dir():
            return parent
    return None


def flask_app(facts: Facts, root: Path) -> tuple[str, str] | None:
    """Flask's --app value: FLASK_APP where the project sets it, else the module creating the app."""
    declared = setting(facts, root, "FLASK_APP")
    if declared:
        value, where = declared
        value = value.removesuffix(".py").replace("/__init__", "").replace("/", ".")
        return value, f"{where} sets FLASK_APP"
    for path in _ranked(facts):
        text = read(path)
        match = re.search(r"^(\w+)\s*=\s*Flask\(", text, re.M) or re.search(r"^def (create_app|make_app)\(", text, re.M)
        if match:
            module = module_of(path, facts.folder)
            if path.name in ("app.py", "wsgi.py") and len(path.relative_to(facts.folder).parts) == 1:
                return "", f"{_where(path, facts.folder, text, match.start())} (flask finds {path.name} itself)"
            return module, _where(path, facts.folder, text, match.start())
    return None


def console_script(facts: Facts) -> tuple[str, str, bool] | None:
    """A [project.scripts] entry whose function starts a server: (script, "file:line", takes --host/--port)."""
    text = facts.text("pyproject.toml")
    try:
        data = tomllib.loads(text) if text else {}
        scripts = (data.get("project") or {}).get("scripts") or (data.get("tool", {}).get("poetry", {}) or {}).get(
            "scripts") or {}
    except tomllib.TOMLDecodeError:
        section = re.search(r"^\[(?:project|tool\.poetry)\.scripts\]\s*\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
        scripts = dict(re.findall(r"^\s*([\w-]+)\s*=\s*[\"']([\w.:]+)[\"']", section.group(1), re.M)) if section else {}
    for name, target in scripts.items():
        if not isinstance(target, str):
            continue
        module = target.split(":", 1)[0]
        for base in ("", "src/"):
            path = facts.folder / (base + module.replace(".", "/") + ".py")
            if path.is_file():
                text = read(path)
                if re.search(r"uvicorn|hypercorn|gunicorn|\.run\(", text):
                    flags = "--host" in text and "--port" in text
                    line = facts.text("pyproject.toml")
                    return name, f"pyproject.toml:{line[:line.find(name + ' =')].count(chr(10)) + 1} " \
                                 f"({target} starts the server)", flags
    return None


def is_django_manage(facts: Facts) -> bool:
    text = facts.text("manage.py")
    return "django" in text.lower() and "FlaskGroup" not in text


# -- Node ------------------------------------------------------------------------------------------

def vite_port(facts: Facts) -> tuple[int, str] | None:
    for name in ("vite.config.ts", "vite.config.js", "vite.config.mts", "vite.config.mjs", "rsbuild.config.ts"):
        text = facts.text(name)
        match = re.search(r"server\s*:\s*\{[^}]*?\bport\s*:\s*(?:[^,}\n]*?(?:\|\||\?\?)\s*)?['\"]?(\d{2,5})",
                          text, re.S)
        variable = re.search(r"server\s*:\s*\{[^}]*?\bport\s*:[^,}\n]*?\.(\w+)\s*(?:\|\||\?\?)", text, re.S)
        if variable:
            # `port: Number(env.VITE_APP_PORT || 3000)`: the env files Vite loads may set it.
            env_dir = re.search(r"envDir\s*:\s*['\"]([^'\"]+)['\"]", text)
            folders = [facts.folder] + ([(facts.folder / env_dir.group(1)).resolve()] if env_dir else [])
            for folder in folders:
                for key, value, where in env_lines(folder, (".env", ".env.development", ".env.local",
                                                             ".env.development.local")):
                    if key == variable.group(1) and value.isdigit():
                        return int(value), f"{where} sets {key}, the port vite.config reads"
        if match:
            return int(match.group(1)), f"{_where(facts.folder / name, facts.folder, text, match.start())} " \
                                        f"sets server.port {match.group(1)}"
    return None


VITE_CONFIGS = ("vite.config.ts", "vite.config.js", "vite.config.mts", "vite.config.mjs", "vite.config.cjs")


def classic_remix(facts: Facts) -> bool:
    """Remix before Vite (remix.config.js, `remix dev`): no React Router package, no vite.config,
    and no script that runs Vite (`remix vite:dev`). A `vite` package alone is Vitest's."""
    if any(p.startswith("@react-router") for p in facts.packages):
        return False
    if any((facts.folder / name).is_file() for name in VITE_CONFIGS):
        return False
    return not re.search(r"\bvite\b", json.dumps(facts.package_json.get("scripts") or {}))


def dev_script(facts: Facts) -> tuple[str, str] | None:
    scripts = facts.package_json.get("scripts") or {}
    for name in ("dev", "start", "serve", "develop"):
        if isinstance(scripts.get(name), str):
            return name, scripts[name]
    return None


def script_port(command: str) -> int | None:
    """The port a dev script gives its server (`nuxt dev --port 5314`, `next dev -p 4000`)."""
    match = re.search(r"(?:^|\s)(?:--port[= ]|-p\s+)(\d{2,5})\b", command)
    return int(match.group(1)) if match else None


ASTRO_CONFIGS = ("astro.config.mjs", "astro.config.ts", "astro.config.js", "astro.config.mts")


def astro_dev(facts: Facts) -> tuple[int, str] | None:
    """(port, evidence) when the dev script runs Astro's dev server: the script's --port, else
    astro.config's server.port, else Astro's 4321."""
    script = dev_script(facts)
    if not script or "astro" not in facts.packages or not re.search(r"\bastro(\s+dev\b|\s*$)", script[1]):
        return None
    flag = script_port(script[1])
    if flag:
        return flag, f"package.json {script[0]} script ({script[1]!r}) sets the port"
    for name in ASTRO_CONFIGS:
        match = re.search(r"server\s*:\s*\{[^}]*?\bport\s*:\s*(\d{2,5})", facts.text(name), re.S)
        if match:
            return int(match.group(1)), f"{name} sets server.port {match.group(1)}"
    return 4321, "Astro's dev server listens on 4321"


def own_server(command: str) -> str | None:
    """The server file a dev script runs itself (`node index.ts`, `tsx server.ts`) rather than a
    framework's CLI: the file, or None."""
    if re.search(r"\b(react-router|remix|vite)\b", command):
        return None
    match = re.search(r"\b(?:node|tsx|ts-node|bun)\s+(?:--?[\w-]+(?:=\S+)?\s+)*([\w./-]+\.[cm]?[jt]sx?)\b", command)
    return match.group(1) if match else None


def run_script(facts: Facts, script: str, extra: str = "") -> str:
    manager = str(facts.params.get("package_manager", "npm"))
    if manager == "npm":
        base = "npm start" if script == "start" else f"npm run {script}"
        return f"{base} -- {extra}".strip() if extra else base
    return f"{'bun run' if manager == 'bun' else manager} {script} {extra}".strip()


# -- PHP -------------------------------------------------------------------------------------------

PHP_SERVER = re.compile(r"\bphp\s+(?:-\S+\s+)*-S\s+[\w.\[\]:-]*?:(\d{2,5})\b(?:.*?\s-t\s+['\"]?([\w./-]+))?")


def php_server_script(facts: Facts) -> tuple[int, str | None, str] | None:
    """(port, docroot, evidence) of a composer.json script that runs PHP's built-in server
    (Slim's `"start": "php -S localhost:8080 -t public"`)."""
    try:
        scripts = json.loads(facts.text("composer.json") or "{}").get("scripts") or {}
    except (json.JSONDecodeError, AttributeError):
        return None
    for name, command in scripts.items() if isinstance(scripts, dict) else ():
        for line in command if isinstance(command, list) else [command]:
            served = PHP_SERVER.search(str(line))
            if served:
                root = served.group(2).strip("/") if served.group(2) else None
                return int(served.group(1)), root, f"composer.json's {name} script serves it ({line!r})"
    return None


# -- Go --------------------------------------------------------------------------------------------

def go_mains(facts: Facts) -> list[tuple[str, str]]:
    """Main packages of a Go module: (package path, evidence), the server first."""
    def is_main(folder: Path) -> Path | None:
        for path in sorted(folder.glob("*.go")):
            if not path.name.endswith("_test.go") and re.search(r"^package\s+main\b",
                                                                read(path),
                                                                re.M):
                return path
        return None

    air = re.search(r"^\s*cmd\s*=\s*['\"][^'\"]*go build[^'\"]*?\s(\./[\w./-]+)['\"]", facts.text(".air.toml"), re.M)
    if air:
        return [(air.group(1).rstrip("/"), f".air.toml builds {air.group(1)}")]
    if is_main(facts.folder):
        found = is_main(facts.folder)
        assert found is not None
        return [(".", f"{found.name} is package main")]
    mains = []
    for folder in sorted([*facts.folder.glob("cmd/*"), *facts.folder.glob("*")]):
        if folder.is_dir() and folder.name not in ("vendor", "internal", "pkg", "test", "tests", "tools") and \
                (main := is_main(folder)):
            rel = "./" + folder.relative_to(facts.folder).as_posix()
            mains.append((rel, f"{main.relative_to(facts.folder).as_posix()} is package main"))
    server_words = ("api", "server", "app", "web", "http", facts.folder.name)
    mains.sort(key=lambda m: (m[0].rsplit("/", 1)[-1] not in server_words, m[0]))
    return mains


def go_default_address(facts: Facts, main: str) -> tuple[int, str] | None:
    """A listen address literal (`":8000"`, a flag's default or `http.ListenAndServe(":8080")`) in
    the Go files of the main package: the first one there."""
    folder = facts.folder / main
    for path in sorted(folder.glob("*.go")):
        if path.name.endswith("_test.go"):
            continue
        text = read(path)
        match = re.search(r"\"(?:0\.0\.0\.0|localhost|127\.0\.0\.1)?:(\d{2,5})\"", text)
        if match:
            return int(match.group(1)), f"{_where(path, facts.folder, text, match.start())} listens on {match.group(1)}"
    return None


def service_config_files(folder: Path, *, go: bool = False) -> list[Path]:
    """A Go or Rust service's own config files: conf/ (Go: conf/dev first), config/, configuration/
    (the config crate's layout), and config.* / configuration.* at the root."""
    globs = ["conf/dev/*.y*ml", "conf/*.y*ml"] if go else []
    globs += ["config/*.hjson", "config/*.toml", "config/*.y*ml", "configuration/*.y*ml", "config.y*ml",
              "configuration.y*ml", "config.toml", "config.toml.sample", "config.toml.example", "config.example.toml",
              "config.sample.toml"]
    found: list[Path] = []
    for pattern in globs:
        found += [p for p in sorted(folder.glob(pattern)) if p not in found]
    return found


# Sections whose `port` is a backing service's, not the app's own.
_BACKING_SECTION = re.compile(r"(database|db|postgres\w*|mysql|mariadb|redis|cache|mongo\w*|rabbit\w*|amqp|nats|"
                              r"smtp|e?mail\w*|elastic\w*|broker|queue|kafka)$", re.I)


def _section_of(text: str, start: int) -> str:
    """The key of the section a line sits in: the nearest line above it indented less (YAML,
    hjson `name: {`), or the last `[table]` header (TOML)."""
    lines = text[:start].split("\n")
    indent = len(lines[-1]) - len(lines[-1].lstrip())
    for line in reversed(lines[:-1]):
        stripped = line.strip()
        table = re.match(r"^\[([\w.-]+)\]$", stripped)
        if table:
            return table.group(1).rsplit(".", 1)[-1]
        if stripped and not stripped.startswith("#") and len(line) - len(line.lstrip()) < indent:
            key = re.match(r"^[\"']?([\w-]+)[\"']?\s*[:=]", stripped)
            return key.group(1) if key else ""
    return ""


def config_port(path: Path, root: Path, pattern: str) -> tuple[int, str] | None:
    """The first port `pattern` finds in a config file outside a database/broker section."""
    text = read(path)
    for match in re.finditer(pattern, text, re.M):
        key = match.start() + len(match.group(0)) - len(match.group(0).lstrip())  # past `^\s*`
        if not _BACKING_SECTION.match(_section_of(text, key)):
            return int(match.group(1)), f"{_where(path, root, text, match.start())} listens on {match.group(1)}"
    return None


def go_listen_port(facts: Facts) -> tuple[int, str] | None:
    """`address: ":8083"` in a conf/*/conf.yaml or config.yaml of the service, `address =
    "localhost:9000"` in its config.toml (or the sample it ships)."""
    for path in service_config_files(facts.folder, go=True):
        if path.suffix == ".hjson":
            continue
        port = config_port(path, facts.folder,
                           r"^\s*(?:address|addr|listen|port)\s*[:=]\s*['\"]?[\w.]*:?(\d{2,5})['\"]?\s*$")
        if port:
            return port
    return None


# -- Rust ------------------------------------------------------------------------------------------

def rust_port(facts: Facts) -> tuple[int, str] | None:
    """`port: 8536` in the service's config files (config/*.hjson|toml|yaml, configuration/*.yaml),
    else a listen address in the code (`0.0.0.0:8080`)."""
    for path in service_config_files(facts.folder):
        port = config_port(path, facts.folder, r"^\s*port\s*[:=]\s*(\d{2,5})")
        if port:
            return port
    sources = [p for p in sorted(facts.folder.glob("**/src/**/*.rs")) if "target" not in p.parts][:300]
    sources.sort(key=lambda p: p.name != "main.rs")
    for path in sources:
        text = read(path)
        match = re.search(r"(?:0\.0\.0\.0|127\.0\.0\.1|\[::\]|localhost):(\d{2,5})", text) or \
            re.search(r"SocketAddr::from\(\(\[[\d,\s]+\],\s*(\d{2,5})\)\)", text)
        if match:
            return int(match.group(1)), f"{_where(path, facts.folder, text, match.start())} listens on {match.group(1)}"
    return None
