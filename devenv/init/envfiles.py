"""The project's example env file (.env.example, .env.sample, .env.dist…) as the app's env_file:
the backing services its URLs and host names imply, its database and broker settings rewritten
to the services init creates, a generated value for each secret the app needs, and listen
addresses opened to the container's network. Pure: nothing here writes or prints.
"""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from devenv.init.entry import env_lines, undotted_examples
from devenv.init.processes import read
from devenv.init.viperenv import viper_env_file

EXAMPLES = (".env.example", ".example.env", ".env.sample", ".env.dist", ".env.template", "example.env", "sample.env",
            "env.example", ".env.local.example", ".env.dev.example", ".env.development.example", "dev.env", "local.env",
            ".env")

# URL schemes → service recipe.
SCHEMES = {"postgres": "postgres", "postgresql": "postgres", "pgsql": "postgres", "mysql": "mysql",
           "mariadb": "mysql", "redis": "redis", "rediss": "redis", "amqp": "rabbitmq", "amqps": "rabbitmq",
           "mongodb": "mongodb", "mongodb+srv": "mongodb", "nats": "nats", "memcached": "memcached"}
_URL = re.compile(r"^([a-z][a-z0-9]*)(\+[\w+]+)?://", re.I)
# Name prefixes of host/port/user/password/database settings → the service kind they name.
_PREFIXES = {"POSTGRES": "postgres", "PG": "postgres", "PSQL": "postgres", "MYSQL": "mysql", "MARIADB": "mysql",
             "REDIS": "redis", "MONGO": "mongodb", "MONGODB": "mongodb", "RABBITMQ": "rabbitmq", "RMQ": "rabbitmq",
             "AMQP": "rabbitmq", "NATS": "nats", "MEMCACHED": "memcached", "DB": "db", "DATABASE": "db", "SQL": "db"}
# A service's setting, after an app prefix and before a purpose (REDIS_CACHE_HOST, REDIS_QUEUE_PORT).
_FIELD = re.compile(r"^(?:[A-Z0-9]+_)??(POSTGRES|PG|PSQL|MYSQL|MARIADB|REDIS|MONGODB|MONGO|RABBITMQ|RMQ|AMQP|NATS|"
                    r"MEMCACHED|DATABASE|DB|SQL)(?:_(?!TEST)[A-Z0-9]+){0,2}?_?(HOST|HOSTNAME|SERVER|PORT|USER|USERNAME|PASSWORD|PASS|NAME|"
                    r"DATABASE|DB|URL|URI|ADDR|ADDRESS|DSN)$")
SECRET_NAME = re.compile(r"(SECRET|^APP_KEY$|_KEY_BASE$|HMAC_KEY|SIGNING_KEY|ENCRYPTION_KEY|JWT_KEY|SALT)")
# Secrets of third-party accounts (a generated value would not work) and names that only look secret.
NOT_OWN_SECRET = re.compile(r"(CLIENT|STRIPE|AWS|_SES_|GOOGLE|GITHUB|GITLAB|MICROSOFT|AZURE|GCLOUD|SLACK|TWILIO|"
                            r"SENTRY|WEBHOOK|ACCESS_KEY|API_KEY|OAUTH|_PATH$|_FILE$|_URL$|_ID$|_NAME$|_REGION$|"
                            # shipped to the browser by the bundler: never a server's own secret
                            r"^VITE_|^NEXT_PUBLIC_|^REACT_APP_|^NUXT_PUBLIC_|^EXPO_PUBLIC_)")
PLACEHOLDER = re.compile(r"^(|changeme|change_me|changethis|change-this|secret|your[-_ ].*|xxx+|<.*>|\*+|todo|"
                         r"replace.*|some.*secret.*|super.*secret.*|mysecret.*|please.*|set.*)$", re.I)
_LISTEN_KEYS = ("HOST", "APP_HOST", "SERVER_HOST", "BIND_HOST", "LISTEN_HOST")


@dataclass
class EnvPlan:
    """What the example env file gives an app."""

    file: str | None = None  # relative to the project root
    services: dict[str, str] = field(default_factory=dict)  # service recipe → "file:line: why"
    db_names: dict[str, str] = field(default_factory=dict)  # key → service kind it names (for rewriting)
    keys: list[tuple[str, str, str]] = field(default_factory=list)  # (key, value, where)


def find_example(folder: Path, root: Path) -> Path | None:
    """The app's example env file: a known name in its folder, its docker/ folder, then the
    project's; else any `.env*` file named as an example or sample (`.env.dev-sample`), else one
    named without the dot (`env-example-relational`)."""
    for base in dict.fromkeys([folder, folder / "docker", root]):
        for name in EXAMPLES:
            if (base / name).is_file() and not _compose_settings_only(base / name):
                return base / name
    if viper := viper_env_file(folder):
        return viper
    for base in dict.fromkeys([folder, root]):
        named = sorted(p for p in base.glob(".env*") if p.is_file() and re.search(r"example|sample|dist|template",
                                                                                   p.name))
        if named:
            return named[0]
    for base in dict.fromkeys([folder, root]):
        undotted = undotted_examples(base)
        if undotted:
            return base / undotted[0]
    return None


def _compose_settings_only(path: Path) -> bool:
    """A file that sets only Compose's and the docker CLI's own variables (paperless's `.env`:
    COMPOSE_PROJECT_NAME), which Compose reads for itself: nothing of the app's."""
    keys = [key for key, _, _ in env_lines(path.parent, (path.name,))]
    return bool(keys) and all(key.startswith(("COMPOSE_", "DOCKER_")) for key in keys)


def read_env_plan(folder: Path, root: Path) -> EnvPlan:
    path = find_example(folder, root)
    if path is None:
        return EnvPlan()
    plan = EnvPlan(file=path.relative_to(root).as_posix())
    plan.keys = env_lines(path.parent, (path.name,))
    for key, value, where in plan.keys:
        kind = _kind(key, value)
        if kind and kind != "db" and ("://" in value or key.endswith(("_TYPE", "_DRIVER", "_ENGINE"))):
            # A URL or an engine choice names a service; a bare REDIS_HOST=127.0.0.1 in a
            # framework's template does not (the driver that uses it may be switched off).
            plan.services.setdefault(kind, f"{where} sets {key}" + (f" to a {kind} URL" if "://" in value else ""))
        elif kind == "db" and (named := _FIELD.match(key)) and named.group(2) in ("HOST", "HOSTNAME", "SERVER"):
            # DB_HOST alone names no engine: the driver (or DB_CONNECTION) decides; kept for rewriting.
            plan.db_names[key] = "db"
    return plan


def _kind(key: str, value: str) -> str | None:
    url = _URL.match(value.strip())
    if url:
        return SCHEMES.get(url.group(1).lower())
    field_match = _FIELD.match(key)
    if field_match and value.strip():
        prefix = field_match.group(1)
        kind = _PREFIXES.get(prefix)
        if kind == "db" and key.startswith("DB_TYPE"):
            return None
        return kind
    if key in ("DB_TYPE", "DB_DRIVER", "DATABASE_TYPE", "DB_ENGINE", "DATABASE_ENGINE"):
        lowered = value.lower()
        for word, kind in (("postgres", "postgres"), ("pgsql", "postgres"), ("mysql", "mysql"),
                           ("mariadb", "mysql"), ("mongo", "mongodb")):
            if word in lowered:
                return kind
    return None


def is_own_secret(key: str) -> bool:
    """A secret the app makes up for itself (SECRET_KEY, APP_KEY, JWT_SECRET…), so a random value works."""
    return bool(SECRET_NAME.search(key)) and not NOT_OWN_SECRET.search(key)


def generated_secret(key: str) -> str:
    if key == "APP_KEY":
        return "base64:" + base64.b64encode(secrets.token_bytes(32)).decode()
    return secrets.token_urlsafe(32)


# Prefixes of the app's own settings, not of an account elsewhere (APP_SECRET beside APP_ID).
_OWN_PREFIXES = ("APP_", "AUTH_", "JWT_", "SESSION_", "SECRET_", "COOKIE_", "CSRF_", "DJANGO_", "FLASK_", "RAILS_",
                 "NEXTAUTH_", "SERVER_", "API_")


def _account_secret(key: str, plan: EnvPlan) -> bool:
    """ALGOLIA_SECRET beside ALGOLIA_APP_ID: the secret of an account elsewhere (an id or user
    of the same prefix goes with it), which a generated value would not open."""
    prefix = key.split("_", 1)[0] + "_"
    if prefix in _OWN_PREFIXES:
        return False
    return any(k != key and k.startswith(prefix) and re.search(r"(_ID|_CLIENTID|_USERNAME|_USER)$", k)
               for k, _, _ in plan.keys)


def rewrite(plan: EnvPlan, links: dict[str, dict], *, port: int | None) -> tuple[dict[str, str], dict[str, str]]:
    """Values that must differ from the example: (env, key → why). `links` is the app's backing
    services by recipe ({service, params, env}), as the templates see them."""
    env: dict[str, str] = {}
    why: dict[str, str] = {}
    default_db = next((k for k in ("postgres", "mysql", "mongodb") if k in links), None)
    for key, value, where in plan.keys:
        url = _URL.match(value.strip())
        if url:
            kind = SCHEMES.get(url.group(1).lower())
            link = links.get(kind or "")
            if link:
                new = _url_for(kind or "", link)
                if new:
                    env[key] = url.group(1) + (url.group(2) or "") + new[new.index("://"):]
                    why[key] = f"{where}: {kind} URL rewritten to service {link['service']}"
            continue
        field_match = _FIELD.match(key)
        if field_match:
            kind = _PREFIXES.get(field_match.group(1))
            kind = default_db if kind == "db" else kind
            link = links.get(kind or "")
            if link:
                new_value = _field_value(kind or "", link, field_match.group(2))
                if new_value is not None and new_value != value:
                    env[key] = new_value
                    why[key] = f"{where}: {field_match.group(2).lower()} of service {link['service']}"
            continue
        if key.endswith("_ENGINE") and default_db in ("postgres", "mysql") and not value:
            env[key] = {"postgres": "django.db.backends.postgresql", "mysql": "django.db.backends.mysql"}[default_db]
            why[key] = f"{where}: the {default_db} service"
        elif key == "DB_CONNECTION" and default_db in ("postgres", "mysql"):
            wanted = {"postgres": "pgsql", "mysql": "mysql"}[default_db]
            if value != wanted:
                env[key], why[key] = wanted, f"{where}: the {default_db} service"
        elif key in _LISTEN_KEYS and value in ("127.0.0.1", "localhost"):
            env[key], why[key] = "0.0.0.0", f"{where}: {value} is unreachable from outside the container"
        elif is_own_secret(key) and PLACEHOLDER.match(value.strip()) and not _account_secret(key, plan):
            env[key], why[key] = generated_secret(key), f"{where}: a secret the app needs, generated"
    if port is not None:
        for key, value, where in plan.keys:
            if key == "PORT" and value != str(port):
                env[key], why[key] = str(port), f"{where}: the port the service publishes"
    return env, why


def service_field(links: dict[str, dict], field_name: str) -> str | None:
    """The value of one connection field (HOST, USER, PASSWORD, PORT) of the app's database."""
    kind = next((k for k in ("postgres", "mysql", "mongodb") if k in links), None)
    return _field_value(kind, links[kind], field_name) if kind else None


def _url_for(kind: str, link: dict) -> str | None:
    env = link.get("env", {})
    for key in ("DATABASE_URL", "REDIS_URL", "AMQP_URL", "MONGODB_URL", "NATS_URL", "MEMCACHED_URL"):
        if key in env and "://" in env[key]:
            return str(env[key])
    return None


def _field_value(kind: str, link: dict, field_name: str) -> str | None:
    params = link.get("params", {})
    ports = {"postgres": "5432", "mysql": "3306", "redis": "6379", "mongodb": "27017", "rabbitmq": "5672",
             "nats": "4222", "memcached": "11211"}
    if field_name in ("HOST", "HOSTNAME", "SERVER"):
        return str(link["service"])
    if field_name in ("ADDR", "ADDRESS"):
        return f"{link['service']}:{ports.get(kind, '')}"
    if field_name == "PORT":
        return ports.get(kind)
    if field_name in ("USER", "USERNAME"):
        return str(params.get("db_user", params.get("amqp_user", ""))) or None
    if field_name in ("PASSWORD", "PASS"):
        return str(params["password"]) if "password" in params else None
    if field_name in ("NAME", "DATABASE", "DB"):
        return str(params["database"]) if "database" in params else None
    if field_name in ("URL", "URI", "DSN"):
        return _url_for(kind, link)
    return None


# `config("X")`: starlette's Config and python-decouple read the environment (and a .env) that way.
_ENV_READ = re.compile(r"(?:os\.environ\[\s*|os\.environ\.get\(\s*|getenv\(\s*|env\(\s*|env\.\w+\(\s*|"
                       r"(?<![\w.])config\(\s*|"
                       r"\$\{(?=[A-Z][A-Z0-9_]*[:}])|"  # Spring's ${REDIS_HOST:localhost}
                       r"process\.env\.|ENV\[\s*|ENV\.fetch\(\s*|env::var\(\s*|os\.(?:Getenv|LookupEnv)\(\s*)"
                       r"['\"]?([A-Z][A-Z0-9_]*)")


def code_env_keys(folder: Path, files: list[Path]) -> list[tuple[str, str, str]]:
    """Variables the code reads (os.environ, getenv, env(), process.env, ENV[]) as (key, default,
    "file:line"): the database and broker settings among them are given the services' values. The
    default is kept when it is a URL (`env.str("DB_URI", "postgresql+psycopg://…")`), so that its
    scheme and driver are too; else it is empty."""
    found: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for path in files:
        try:
            text = read(path)
        except OSError:
            continue
        for match in _ENV_READ.finditer(text):
            key = match.group(1)
            if key not in found and (_FIELD.match(key) or key.endswith("_ENGINE")):
                found[key] = f"{path.relative_to(folder).as_posix()}:{text.count(chr(10), 0, match.start()) + 1}"
                url = _URL_DEFAULT.match(text, match.end())
                if url:
                    defaults[key] = url.group(1)
        for key, line, _ in settings_fields(text):  # pydantic settings read the environment too
            if key not in found and _FIELD.match(key):
                found[key] = f"{path.relative_to(folder).as_posix()}:{line}"
    return [(key, defaults.get(key, ""), where) for key, where in found.items()]


# The default given beside the variable's name: `getenv("DB_URI", "postgresql+psycopg://…")`.
_URL_DEFAULT = re.compile(r"['\"]?\s*,\s*(?:default\s*=\s*)?['\"]([a-z][\w+.-]*://[^'\"\s]*)['\"]")


def required_secrets(folder: Path, files: list[Path]) -> dict[str, str]:
    """Secrets the code reads from the environment with no default: key → "file:line"."""
    found: dict[str, str] = {}
    pattern = re.compile(r"(?:os\.environ\[\s*|os\.environ\.get\(\s*|getenv\(\s*|env\(\s*|env\.str\(\s*|"
                         r"(?<![\w.])config\(\s*|"
                         r"process\.env\.|ENV\[\s*|ENV\.fetch\(\s*)['\"]?([A-Z][A-Z0-9_]*)")
    for path in files:
        try:
            text = read(path)
        except OSError:
            continue
        for match in pattern.finditer(text):
            key = match.group(1)
            if is_own_secret(key) and key not in found:
                found[key] = f"{path.relative_to(folder).as_posix()}:{text.count(chr(10), 0, match.start()) + 1}"
        for key, line in settings_secrets(text):
            found.setdefault(key, f"{path.relative_to(folder).as_posix()}:{line}")
    return found


# A field of a pydantic settings class (`secret_key: str`, `db_host: str = "localhost"`): its
# name, and the default after `=` when there is one.
_SETTINGS_FIELD = re.compile(r"^[ \t]+([A-Za-z_]\w*)\s*:\s*[\w\[\]|., ]+?\s*(?:=\s*(.*?))?\s*(?:#.*)?$", re.M)
# A default that gives nothing usable: none at all, "", None, or pydantic's `...` (required).
_NO_DEFAULT = re.compile(r"^(?:Field\(\s*(?:default\s*=\s*)?)?(\"\"|''|None|\.\.\.)?\s*(?:[,)]|$)")


def settings_fields(text: str) -> list[tuple[str, int, str | None]]:
    """The fields of pydantic settings classes as (VARIABLE, line, default or None): the variable
    is the field's name in capitals after the class's env_prefix, as pydantic reads it."""
    found = []
    for klass in re.finditer(r"^class\s+\w+\(([^)]*)\):\n((?:[ \t]+.*\n|\n)*)", text, re.M):
        if "Settings" not in klass.group(1):
            continue
        body = klass.group(2)
        prefix = re.search(r"env_prefix\s*[=:]\s*['\"](\w*)['\"]", body)
        for declared in _SETTINGS_FIELD.finditer(body):
            if declared.group(1) in ("model_config", "Config") or re.match(r"^\s*(def|class|@)", declared.group(0)):
                continue
            key = ((prefix.group(1) if prefix else "") + declared.group(1)).upper()
            found.append((key, text.count("\n", 0, klass.start(2) + declared.start()) + 1, declared.group(2)))
    return found


def settings_secrets(text: str) -> list[tuple[str, int]]:
    """Secrets a pydantic settings class reads from the environment with nothing usable by
    default (no default, or an empty one): (VARIABLE, line)."""
    return [(key, line) for key, line, default in settings_fields(text)
            if is_own_secret(key) and (default is None or _empty_default(default))]


def _empty_default(default: str) -> bool:
    match = _NO_DEFAULT.match(default)
    return bool(match and match.group(1))
