"""Score `devenv init` on the replay corpus (tests/init_corpus, issue 18).

Each case folder holds the marker files of a real project and `expected.toml`, the facts a
competent human would write (the schema is in tests/init_corpus/README.md). `score_case` runs
init's detection, planning and rendering in-process (no engine, no network, no files written)
and compares what init would write with those facts. A case is right when every stated fact
holds; otherwise its reasons say which facts failed.

Run `python -m tests.unit.init_corpus_score` (or scripts/init-corpus-score) to print the score.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "init_corpus"

STACKS = frozenset({"django", "flask", "fastapi", "python", "express", "node", "nextjs", "vite", "nuxt", "angular",
                    "remix", "sveltekit", "rails", "laravel", "php", "go", "spring", "java", "phoenix", "rust"})
TOP_KEYS = frozenset({"outcome", "why", "from_compose", "dockerfile", "env_file", "services", "provision", "backing",
                      "env", "versions", "not_apps", "error"})
SERVICE_KEYS = frozenset({"name", "kind", "dir", "stack", "port", "port_env", "command_contains", "depends_on"})
VERSION_KEYS = frozenset({"python", "node", "ruby", "php", "go", "java", "rust", "elixir", "php_extensions"})

# Backing-service families, by recipe name or image name (the image's last path part, no tag).
BACKING_FAMILY = {
    "postgres": "postgres", "postgresql": "postgres", "postgis": "postgres", "pgautoupgrade": "postgres",
    "mysql": "mysql", "mariadb": "mysql", "redis": "redis", "valkey": "redis", "rabbitmq": "rabbitmq",
    "mongo": "mongodb", "mongodb": "mongodb", "memcached": "memcached", "elasticsearch": "elasticsearch",
    "opensearch": "elasticsearch", "nats": "nats", "minio": "minio", "consul": "consul", "etcd": "etcd",
    "meilisearch": "meilisearch", "mailpit": "mailpit", "mailhog": "mailpit", "azure-sql-edge": "mssql",
    "mssql": "mssql", "firestore": "firestore", "maildev": "mailpit", "mysql-server": "mysql",
}
# Image names that carry a language version in their tag, for [versions].
VERSION_IMAGES = {
    "python": ("python",), "node": ("node",), "ruby": ("ruby",), "php": ("php", "composer"),
    "go": ("golang", "go"), "java": ("eclipse-temurin", "openjdk", "maven", "gradle", "amazoncorretto", "java"),
    "rust": ("rust", "cargo-chef"), "elixir": ("elixir", "hexpm/elixir"),
}


# Extensions compiled into the official php image (docker-library/php; `php -m` in php:8.x-cli
# and php:8.x-apache): no install step is needed for them.
PHP_IMAGE_EXTENSIONS = frozenset({"ctype", "curl", "date", "dom", "fileinfo", "filter", "hash", "iconv", "json",
                                  "libxml", "mbstring", "mysqlnd", "openssl", "pcre", "pdo", "pdo_sqlite", "phar",
                                  "posix", "readline", "reflection", "session", "simplexml", "sodium", "spl",
                                  "sqlite3", "standard", "tokenizer", "xml", "xmlreader", "xmlwriter", "zlib"})

# Environment variables that choose which app a generic command starts (FLASK_APP=autoapp.py).
APP_SELECTOR = re.compile(r"^(FLASK_APP|APP_MODULE|DJANGO_SETTINGS_MODULE|UVICORN_APP|.*_MAIN|MAIN_PACKAGE)$")


# -- the expected facts -----------------------------------------------------------------------------

def load_expected(case: Path) -> dict[str, Any]:
    return tomllib.loads((case / "expected.toml").read_text(encoding="utf-8"))


def cases(corpus: Path = CORPUS) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.is_dir())


def corpus_problems(case: Path) -> list[str]:
    """What is wrong with a case folder itself (so a typo in expected.toml cannot pass silently)."""
    problems = []
    source = (case / "SOURCE").read_text(encoding="utf-8").split() if (case / "SOURCE").is_file() else []
    if len(source) < 2 or not source[0].startswith("https://github.com/") or not re.fullmatch(r"[0-9a-f]{40}",
                                                                                               source[1]):
        problems.append("SOURCE must be 'https://github.com/<owner>/<repo> <40-hex commit> [date]'")
    try:
        expected = load_expected(case)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return [*problems, f"expected.toml: {exc}"]
    problems += [f"unknown key {k!r}" for k in expected if k not in TOP_KEYS]
    if expected.get("outcome") not in ("manifest", "error"):
        problems.append("outcome must be 'manifest' or 'error'")
    if expected.get("outcome") == "error" and not expected.get("error", {}).get("contains"):
        problems.append("an error case needs [error] contains")
    for svc in expected.get("services", []):
        problems += [f"service key {k!r} unknown" for k in svc if k not in SERVICE_KEYS]
        if svc.get("kind") not in ("app", "worker") or "dir" not in svc:
            problems.append(f"service {svc.get('name')}: needs kind app|worker and dir")
        if svc.get("kind") == "app" and svc.get("stack") not in STACKS:
            problems.append(f"service {svc.get('name')}: stack {svc.get('stack')!r} is not a known family")
    problems += [f"[versions] {k!r} unknown" for k in expected.get("versions", {}) if k not in VERSION_KEYS]
    return problems


def alternatives(value: str) -> list[str]:
    return [v.strip() for v in value.split("|")]


# -- what init would write --------------------------------------------------------------------------

@dataclass
class Actual:
    """The manifest init would write, reduced to what the facts are checked against."""

    error: str | None = None
    services: dict[str, dict] = field(default_factory=dict)  # name → manifest table
    folders: dict[str, str] = field(default_factory=dict)  # name → app folder ("." for the root)
    recipes: dict[str, str] = field(default_factory=dict)  # name → recipe
    backing: dict[str, str] = field(default_factory=dict)  # name → family
    files: dict[str, str] = field(default_factory=dict)  # rendered files
    said: str = ""  # everything init explains: reasons, notes, rendered text


def run_init(case: Path) -> Actual:
    """init's detect → plan → render → validate, in-process and without writing anything."""
    from devenv.cli.commands.init import compose
    from devenv.errors import DevenvError

    try:
        result = compose(case, recipes=[], with_=[], sets=[], project_name="corpus", environ={})
    except DevenvError as exc:
        parts = [str(exc), getattr(exc, "hint", None) or "", getattr(exc, "details", None) or ""]
        # The case folder's own name must not count as evidence init named.
        text = "\n".join(p for p in parts if p).replace(str(case), "<project>")
        return Actual(error=text)
    manifest = tomllib.loads(result.files["devenv.toml"])
    actual = Actual(services=manifest.get("services", {}), files=dict(result.files))
    planned = {p.name: p for p in result.planned}
    backing_names = {p.name for p in result.services}
    app_names = {p.name for p in result.apps}
    for name, table in actual.services.items():
        plan = planned.get(name)
        if plan is not None:
            actual.recipes[name] = plan.recipe
        role = "backing" if name in backing_names else "app" if name in app_names else None
        where, value = place(name, table, role=role, recipe=plan.recipe if plan else None,
                             rel=plan.rel if plan else ".")
        (actual.backing if where == "backing" else actual.folders)[name] = value
    said = [text for text in result.files.values()]
    for plan in result.planned:
        said += plan.reasons + [f"{k}: {v}" for k, v in plan.notes.items()]
    actual.said = "\n".join(said)
    return actual


def place(name: str, table: dict, *, role: str | None, recipe: str | None, rel: str = ".") -> tuple[str, str]:
    """("backing", family) or ("folder", the app folder) for one service of init's manifest.
    role is what init planned it as ("app", "backing"), None for a service without a recipe (one
    converted from a compose file): an image with none of the project mounted is then a backing
    service; a build of, or a mount from, a folder is that folder's process."""
    folder = service_folder(table)
    if role == "backing" or (folder is None and role != "app"):
        return "backing", backing_family(name, table, recipe) or image_name(table) or name
    return "folder", folder or rel


def image_name(table: dict) -> str:
    """'docker.io/library/postgres:16' → 'postgres'."""
    return split_image(str(table.get("image", "")))[0].rsplit("/", 1)[-1]


def backing_family(name: str, table: dict, recipe: str | None) -> str | None:
    for key in (recipe, image_name(table), name):
        if key and key in BACKING_FAMILY:
            return BACKING_FAMILY[key]
    return None


def service_folder(table: dict) -> str | None:
    """The project folder a service runs from: its source mount, else its build context."""
    for mount in table.get("mounts", []):
        source = (mount if isinstance(mount, str) else str(mount.get("source", ""))).split(":", 1)[0]
        if source == "." or source.startswith("./") or source.startswith("../"):
            return norm(source)
    build = table.get("build")
    if isinstance(build, str):
        return norm(build)
    if isinstance(build, dict) and build.get("context"):
        return norm(str(build["context"]))
    return None


def norm(folder: str) -> str:
    folder = folder.strip().removeprefix("./").rstrip("/")
    return folder or "."


def command_text(table: dict) -> str:
    command = table.get("command", "")
    entry = table.get("entrypoint", "")
    parts = [" ".join(x) if isinstance(x, list) else str(x) for x in (entry, command) if x]
    return " ".join(parts)


def how_it_starts(table: dict) -> str:
    """The start command and the environment it runs with: FLASK_APP=autoapp.py plus `flask run`
    starts the same app as `flask --app autoapp run`."""
    env = table.get("env", {})
    chooses = [f"{k}={v}" for k, v in env.items() if APP_SELECTOR.search(k)]
    return " ".join([command_text(table), *chooses])


def container_ports(table: dict) -> set[int]:
    ports: set[int] = set()
    for item in table.get("ports", []):
        text = str(item if not isinstance(item, dict) else item.get("target", ""))
        match = re.search(r"(\d+)(/\w+)?$", text)
        if match:
            ports.add(int(match.group(1)))
    return ports


def port_from_env(svc: dict, table: dict) -> bool:
    """The project reads its port from svc["port_env"]: any port is right when init sets that
    variable to the port it publishes and checks."""
    name = svc.get("port_env")
    value = str(table.get("env", {}).get(name, "")) if name else ""
    digits = re.findall(r"\d+", value)
    return bool(digits) and int(digits[-1]) in container_ports(table)


def depends_on(table: dict) -> set[str]:
    value = table.get("depends_on", {})
    return set(value) if isinstance(value, (dict, list)) else set()


def image_versions(table: dict, case: Path, files: dict[str, str] | None = None) -> list[str]:
    """name:tag of what the service runs: its image, or the base image of the Dockerfile stage it
    builds (one init writes, or the project's own)."""
    images = [str(table["image"])] if table.get("image") else []
    build = table.get("build")
    if build is not None:
        context = build if isinstance(build, str) else str(build.get("context", "."))
        options = {} if isinstance(build, str) else build
        dockerfile = str(options.get("dockerfile", "Dockerfile"))
        rel = norm(f"{norm(context)}/{dockerfile}")
        text = (files or {}).get(rel) or read(case / rel)
        image = built_image(text, options.get("target"), options.get("args") or {})
        images += [image] if image else []
    return images


def built_image(text: str, target: str | None = None, args: dict | None = None) -> str | None:
    """The image a build of this Dockerfile runs on, as `docker build --target T --build-arg ...`
    would make it: the target stage (else the last one), followed through `FROM <stage>` to an
    image, with `ARG`s substituted (a build argument over the ARG's default). The other stages do
    not run: a runtime-only last stage (`FROM debian`) has no language in it."""
    lines = re.sub(r"\\\n", " ", text).splitlines()
    known: dict[str, str] = {}  # ARGs declared before the first FROM: the only ones FROM may use
    given = {str(k): str(v) for k, v in (args or {}).items()}
    stages: list[tuple[str | None, str]] = []
    for line in lines:
        arg = re.match(r"\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?\s*$", line, re.I)
        if arg and not stages:
            default = substitute(arg.group(2).strip("\"'"), known) if arg.group(2) is not None else ""
            known[arg.group(1)] = given.get(arg.group(1), default)
        base = re.match(r"\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", line, re.I)
        if base:
            stages.append(((base.group(2) or "").lower() or None, substitute(base.group(1), known)))
    names = {name: image for name, image in stages if name}
    image = names.get(target.lower()) if target else (stages[-1][1] if stages else None)
    seen: set[str] = set()
    while image is not None and image.lower() in names and image.lower() not in seen:
        seen.add(image.lower())
        image = names[image.lower()]
    return image


def substitute(text: str, values: dict[str, str]) -> str:
    """${X}, $X and ${X:-default} as the Dockerfile parser expands them; an unknown X stays
    as written, so an unresolved version can never pass for a right one."""
    def one(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        if name in values and values[name] != "":
            return values[name]
        if match.group(2) is not None:
            return match.group(2)
        return match.group(0)
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)", one, text)


# -- comparing -----------------------------------------------------------------------------------

class Reason(str):
    """A reason a case is wrong, weighing the number of expected facts it fails."""

    facts: int = 1


def reason(text: str, facts: int = 1) -> Reason:
    made = Reason(text)
    made.facts = facts
    return made


def service_facts(svc: dict) -> int:
    return (1 + (1 if svc["kind"] == "app" and svc.get("stack") else 0) + (1 if "port" in svc else 0)
            + len(svc.get("command_contains", [])) + len(svc.get("depends_on", [])))


def count_facts(expected: dict) -> int:
    """How many facts a case states: each is one check of the scorer."""
    if expected["outcome"] == "error":
        return len(expected["error"]["contains"])
    backing = expected.get("backing")
    versions = expected.get("versions", {})
    return (sum(service_facts(s) for s in expected.get("services", []))
            + (len(backing.get("services", [])) + 1 + (1 if backing.get("exclusive") else 0) if backing else 0)
            + len(expected.get("provision", [])) + len(expected.get("env", {}).get("required", []))
            + len([k for k in versions if k != "php_extensions"]) + len(versions.get("php_extensions", []))
            + len(expected.get("not_apps", {}).get("dirs", []))
            + sum(1 for k in ("env_file", "from_compose", "dockerfile") if k in expected))


def facts_wrong(reasons: list[str]) -> int:
    return sum(getattr(r, "facts", 1) for r in reasons)


def score_case(case: Path, actual: Actual | None = None) -> list[str]:
    """Why init is wrong on this case; an empty list when every stated fact holds."""
    expected = load_expected(case)
    actual = actual if actual is not None else run_init(case)
    if expected["outcome"] == "error":
        if actual.error is None:
            return [reason(f"error: init wrote a manifest ({', '.join(actual.services) or 'no services'}); "
                           f"expected it to refuse and name {expected['error']['contains']}", count_facts(expected))]
        missing = [c for c in expected["error"]["contains"]
                   if not any(a.lower() in actual.error.lower() for a in alternatives(c))]
        return [f"error: the message does not name {m!r}: {first_line(actual.error)}" for m in missing]
    if actual.error is not None:
        return [reason(f"refused: {first_line(actual.error)}", count_facts(expected))]
    reasons: list[str] = []
    matched = match_services(expected.get("services", []), actual, reasons)
    for svc, name in matched:
        if name is not None:
            reasons += check_service(svc, name, actual)
    reasons += check_backing(expected.get("backing"), actual)
    reasons += check_provision(expected.get("provision", []), actual)
    reasons += check_env(expected, actual, case)
    reasons += check_versions(expected.get("versions", {}), actual, case)
    reasons += check_not_apps(expected.get("not_apps", {}).get("dirs", []), actual)
    reasons += check_reuse(expected, actual)
    return reasons


def first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def match_services(wanted: list[dict], actual: Actual, reasons: list[str]) -> list[tuple[dict, str | None]]:
    """Pair each expected process with one of init's services in the same folder and of the same
    kind (an app publishes a port, a worker does not); the right stack or command wins a tie."""
    free = dict(actual.folders)
    pairs: list[tuple[dict, str | None]] = []
    for svc in sorted(wanted, key=lambda s: s["kind"] != "app"):
        dirs = [norm(d) for d in alternatives(svc["dir"])]
        here = [n for n, folder in free.items() if folder in dirs]
        kind = [n for n in here if is_app(actual.services[n]) == (svc["kind"] == "app")]

        def fits(name: str, svc: dict = svc) -> bool:
            if svc["kind"] == "app":
                return family(actual, name) == svc.get("stack")
            return all(any(a in how_it_starts(actual.services[name]) for a in alternatives(c))
                       for c in svc.get("command_contains", []))

        best = next((n for n in kind if fits(n)), kind[0] if kind else None)
        if best is None:
            label = f"{svc['kind']} {svc.get('name', '')} ({svc.get('stack', 'worker')}) in {svc['dir']}"
            found = ", ".join(f"{n}={family(actual, n) or '?'}" for n in here)
            reasons.append(reason(f"missing {label}" + (f"; that folder has {found}" if found else ""),
                                  service_facts(svc)))
        else:
            del free[best]
        pairs.append((svc, best))
    return pairs


def is_app(table: dict) -> bool:
    return bool(table.get("ports"))


def family(actual: Actual, name: str) -> str | None:
    return actual.recipes.get(name)


def check_service(svc: dict, name: str, actual: Actual) -> list[str]:
    table = actual.services[name]
    label = f"{name} ({svc['dir']})"
    reasons = []
    if svc["kind"] == "app" and svc.get("stack") and family(actual, name) != svc["stack"]:
        reasons.append(f"stack: {label} is {family(actual, name) or 'not from a recipe'}, expected {svc['stack']}")
    ports = svc["port"] if isinstance(svc.get("port"), list) else [svc["port"]] if "port" in svc else []
    if ports and not set(ports) & container_ports(table) and not port_from_env(svc, table):
        reasons.append(f"port: {label} listens on {sorted(container_ports(table)) or 'nothing'}, expected "
                       f"{' or '.join(map(str, ports))}")
    command = command_text(table)
    for wanted in svc.get("command_contains", []):
        if not any(a in how_it_starts(table) for a in alternatives(wanted)):
            reasons.append(f"command: {label} runs {command!r}, expected it to contain {wanted!r}")
    deps = {actual.backing.get(d) for d in depends_on(table)}
    for backing in svc.get("depends_on", []):
        if backing not in deps:
            reasons.append(f"depends_on: {label} does not use {backing}")
    return reasons


def check_backing(backing: dict | None, actual: Actual) -> list[str]:
    if backing is None:
        return []
    have = Counter(actual.backing.values())
    required = set(backing.get("services", []))
    allowed = required | set(backing.get("optional", []))
    reasons = [f"backing: {s} is missing" for s in sorted(required - set(have))]
    extra = [f"backing: {s} is not needed" for s in sorted(set(have) - allowed)]
    extra += [f"backing: {s} twice" for s, n in have.items() if n > 1]
    reasons += [reason(text, 1 if i == 0 else 0) for i, text in enumerate(extra)]  # one fact: nothing else
    both = set(have) & set(backing.get("exclusive", []))
    if len(both) > 1:
        reasons.append(f"backing: {' and '.join(sorted(both))} are alternatives, both were wired")
    return reasons


def check_provision(steps: list[dict], actual: Actual) -> list[str]:
    reasons = []
    for step in steps:
        dirs = [norm(d) for d in alternatives(step.get("dir", "."))]
        texts = []
        for name, folder in actual.folders.items():
            if folder in dirs:
                table = actual.services[name]
                texts += [str(p) for p in table.get("provision", [])] + [command_text(table)]
        if not any(all(any(a in text for a in alternatives(c)) for c in step["command_contains"]) for text in texts):
            reasons.append(f"provision: no step in {step.get('dir', '.')} runs {step['command_contains']}")
    return reasons


def check_env(expected: dict, actual: Actual, case: Path) -> list[str]:
    """The example env file must reach the apps: as their env_file, as a file init writes from
    it (every variable kept, values rewritten), or inlined into their env; and each required
    variable must be set one of those ways."""
    reasons = []
    env_files = [f for name in actual.folders for f in as_list(actual.services[name].get("env_file"))]
    names: set[str] = set()
    for name in actual.folders:
        names |= set(actual.services[name].get("env", {}))
    for f in env_files:
        names |= env_names(actual.files.get(norm(f)) or read(case / norm(f)))
    if "env_file" in expected:
        wanted = alternatives(expected["env_file"])
        used = any(norm(f) in {norm(w) for w in wanted} for f in env_files)
        example = next((read(case / w) for w in wanted if (case / w).is_file()), "")
        carried = bool(env_names(example)) and env_names(example) <= names
        if not used and not carried:
            reasons.append(f"env_file: {expected['env_file']} is not used (env_file: {env_files or 'none'})")
    missing = [v for v in expected.get("env", {}).get("required", []) if v not in names]
    if missing:
        reasons.append(reason(f"env: not set for the apps: {', '.join(missing)}", len(missing)))
    return reasons


def env_names(text: str) -> set[str]:
    return set(re.findall(r"(?m)^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=", text))


def read(path: Path) -> str:
    return path.read_text(errors="replace") if path.is_file() else ""


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def check_versions(versions: dict, actual: Actual, case: Path) -> list[str]:
    reasons = []
    images = [i for name in actual.folders for i in image_versions(actual.services[name], case, actual.files)]
    for language, version in versions.items():
        if language == "php_extensions":
            continue
        tags = [tag for repo, tag in map(split_image, images) if repo in VERSION_IMAGES.get(language, ())]
        if not any(re.search(rf"(?<![\d.]){re.escape(version)}(?!\d)", t) for t in tags):
            reasons.append(f"version: {language} {version} expected, images are {images or 'none'}")
    exts = versions.get("php_extensions", [])
    if exts:
        # Installed by a file init writes or by a project Dockerfile a service builds, or compiled
        # into the official php image the service runs.
        text = "\n".join([*actual.files.values(), *(built_dockerfiles(actual, case))])
        official = any(split_image(i)[0] == "php" for i in images)
        missing = [e for e in exts if not re.search(rf"(ext-install|install-php-extensions|php\S*-)[^\n]*\b{e}\b",
                                                    text) and not (official and e in PHP_IMAGE_EXTENSIONS)]
        if missing:
            reasons.append(reason(f"php_extensions: not installed: {', '.join(missing)}", len(missing)))
    return reasons


def built_dockerfiles(actual: Actual, case: Path) -> list[str]:
    """The text of each project Dockerfile a service of init's builds."""
    texts = []
    for name in actual.folders:
        build = actual.services[name].get("build")
        if isinstance(build, dict):
            rel = norm(f"{norm(str(build.get('context', '.')))}/{build.get('dockerfile', 'Dockerfile')}")
            texts.append(actual.files.get(rel) or read(case / rel))
    return texts


def split_image(image: str) -> tuple[str, str]:
    """'docker.io/library/python:3.12-slim' → ('python', '3.12-slim'); no tag → ('python', '')."""
    name = image.split("@", 1)[0]
    repo, _, tag = name.rpartition(":") if ":" in name.rsplit("/", 1)[-1] else (name, "", "")
    short = repo.removeprefix("docker.io/").removeprefix("library/")
    return (short if short in {"hexpm/elixir"} else short.rsplit("/", 1)[-1]), tag


def check_not_apps(dirs: list[str], actual: Actual) -> list[str]:
    wrong = {norm(d) for d in dirs}
    return [f"not an app: {folder} became service {name}" for name, folder in actual.folders.items()
            if folder in wrong]


def check_reuse(expected: dict, actual: Actual) -> list[str]:
    reasons = []
    if "from_compose" in expected and not any(a in actual.said for a in alternatives(expected["from_compose"])):
        reasons.append(f"compose: {expected['from_compose']} is not offered (init --from)")
    if "dockerfile" in expected:
        wanted = {norm(a) for a in alternatives(expected["dockerfile"])}
        built = set()
        for name in actual.folders:
            build = actual.services[name].get("build")
            if build is not None:
                context = norm(build if isinstance(build, str) else str(build.get("context", ".")))
                file = "Dockerfile" if isinstance(build, str) else str(build.get("dockerfile", "Dockerfile"))
                built.add(norm(f"{context}/{file}" if context != "." else file))
        if not built & wanted:
            reasons.append(f"dockerfile: {expected['dockerfile']} is not built")
    return reasons


# -- the report ------------------------------------------------------------------------------------

def score(corpus: Path = CORPUS) -> tuple[dict[str, list[str]], int]:
    """Reasons per case (empty: right) and the number right."""
    results = {case.name: score_case(case) for case in cases(corpus)}
    return results, sum(1 for r in results.values() if not r)


def facts_score(results: dict[str, list[str]], corpus: Path = CORPUS) -> tuple[int, int]:
    """(facts right, facts stated) over the corpus: a finer measure than whole cases."""
    total = sum(count_facts(load_expected(corpus / name)) for name in results)
    return total - sum(facts_wrong(r) for r in results.values()), total


def reason_kind(reason: str) -> str:
    """'backing: redis is missing' → 'backing'; 'missing app web ...' → 'missing'."""
    head = reason.split(":", 1)[0]
    return head if ":" in reason and len(head.split()) <= 3 else reason.split(" ", 1)[0]


def report(results: dict[str, list[str]], corpus: Path = CORPUS) -> str:
    right = sum(1 for r in results.values() if not r)
    facts_right, facts = facts_score(results, corpus)
    lines = [f"devenv init on the replay corpus: {right}/{len(results)} cases right "
             f"({100 * right // max(len(results), 1)}%), {facts_right}/{facts} facts right "
             f"({100 * facts_right // max(facts, 1)}%)", ""]
    for name, reasons in results.items():
        lines.append(f"{'RIGHT' if not reasons else 'WRONG'}  {name}")
        lines += [f"         - {r}" for r in reasons]
    kinds = Counter(reason_kind(r) for reasons in results.values() for r in set(reasons))
    cases_hit = Counter(k for reasons in results.values() for k in {reason_kind(r) for r in reasons})
    lines += ["", "failure reasons, by kind (cases hit / reasons):"]
    lines += [f"  {k:<28} {cases_hit[k]:>3} / {n}" for k, n in kinds.most_common()]
    return "\n".join(lines)


def main() -> int:
    results, _ = score()
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
