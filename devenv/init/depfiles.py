"""Reading a folder's dependency manifests into facts: declared package names, and the versions
and tools the project asks for (python_requires, engines.node, .ruby-version, the go directive,
java.version, the lock file that names the package manager), each with a reason.

requirements*.txt, pyproject.toml (PEP 621 and Poetry), Pipfile, setup.py, package.json,
Gemfile, go.mod, composer.json (+ Laravel's .env DB_CONNECTION), pom.xml, build.gradle(.kts).
Pure reads: nothing here writes or prints.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

PYTHON_VERSIONS = ("3.9", "3.10", "3.11", "3.12", "3.13", "3.14")
DEFAULT_PYTHON = "3.12"


@dataclass
class Facts:
    """What one folder declares."""

    folder: Path
    rel: str  # "." or a POSIX path relative to the project root
    packages: dict[str, str] = field(default_factory=dict)  # name → file that declares it
    params: dict[str, object] = field(default_factory=dict)  # detected parameter values
    reasons: dict[str, str] = field(default_factory=dict)  # parameter → why
    package_json: dict = field(default_factory=dict)
    open_ranges: set[str] = field(default_factory=set)  # parameters only a floor decided (`>=18`)

    def has(self, name: str) -> bool:
        return (self.folder / name).exists()

    def text(self, name: str) -> str:
        try:
            return (self.folder / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def add(self, names: Iterable[str], source: str) -> None:
        for name in names:
            name = name.strip()
            if name:
                self.packages.setdefault(name.lower(), source)

    def set(self, param: str, value: object, reason: str) -> None:
        self.params[param] = value
        self.reasons[param] = reason



# -- reading dependency manifests ----------------------------------------------------------------

def _python_name(requirement: str) -> str | None:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return re.sub(r"[._]+", "-", match.group(1)).lower() if match else None


def _python_names(requirement: str) -> list[str]:
    """The package, and `package[extra]` for each extra it asks for (celery[redis] implies Redis)."""
    name = _python_name(requirement)
    if not name:
        return []
    extras = re.match(r"\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*\[([^\]]*)\]", requirement)
    return [name] + ([f"{name}[{e.strip().lower()}]" for e in extras.group(1).split(",") if e.strip()]
                     if extras else [])


def _toml(facts: Facts, name: str) -> dict:
    try:
        return tomllib.loads(facts.text(name)) if facts.has(name) else {}
    except tomllib.TOMLDecodeError:
        return _lenient_toml(facts.text(name))


def _lenient_toml(text: str) -> dict:
    """A file cut short or with an error: its [project] dependencies read line by line, so one
    bad line does not hide every declared package."""
    deps = re.findall(r"^\s*[\"']([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*(?:[<>=~!;].*?)?)[\"'],?\s*$",
                      text, re.M)
    return {"project": {"dependencies": deps}} if deps else {}


def requirement_files(folder: Path) -> list[Path]:
    """requirements*.txt, and a requirements/ folder's *.txt and *.in (cookiecutter layouts)."""
    found = sorted(folder.glob("requirements*.txt"))
    if (folder / "requirements").is_dir():
        found += sorted(p for p in (folder / "requirements").iterdir() if p.suffix in (".txt", ".in"))
    return found


def _read_requirements(facts: Facts, path: Path, seen: set[Path]) -> None:
    """One requirements file, following `-r other.txt` and `-c constraints.txt` includes."""
    resolved = path.resolve()
    if resolved in seen or not path.is_file():
        return
    seen.add(resolved)
    rel = path.relative_to(facts.folder).as_posix() if path.is_relative_to(facts.folder) else path.name
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.split(" #", 1)[0].split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        include = re.match(r"^(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)", line)
        if include:
            _read_requirements(facts, path.parent / include.group(1), seen)
        elif line and not line.startswith("-"):
            facts.add(_python_names(line), rel)


def read_python(facts: Facts) -> None:
    seen: set[Path] = set()
    for req in requirement_files(facts.folder):
        _read_requirements(facts, req, seen)
    pyproject = _toml(facts, "pyproject.toml")
    project = pyproject.get("project", {})
    deps = list(project.get("dependencies", []))
    facts.add([n for dep in deps if isinstance(dep, str) for n in _python_names(dep)], "pyproject.toml")
    for extra, listed in (project.get("optional-dependencies") or {}).items():
        # Named with its extra: the service a driver in it implies needs the extra installed.
        facts.add([n for dep in listed if isinstance(dep, str) for n in _python_names(dep)],
                  f"pyproject.toml [{extra}]")
    poetry = pyproject.get("tool", {}).get("poetry", {})
    names = list(poetry.get("dependencies", {}))
    for group in poetry.get("group", {}).values():
        names += list(group.get("dependencies", {}))
    facts.add(filter(None, (_python_name(n) for n in names if n.lower() != "python")), "pyproject.toml")
    pipfile = _toml(facts, "Pipfile")
    facts.add(filter(None, map(_python_name, [*pipfile.get("packages", {}), *pipfile.get("dev-packages", {})])),
              "Pipfile")
    setup = facts.text("setup.py")
    block = re.search(r"install_requires\s*=\s*\[(.*?)\]", setup, re.S)
    if block:
        facts.add(filter(None, map(_python_name, re.findall(r"['\"]([^'\"]+)['\"]", block.group(1)))), "setup.py")

    # The entry point: what the generic recipe runs, and uvicorn's module:app.
    for name, module in (("app.py", "app"), ("main.py", "main"), ("app/main.py", "app.main"),
                         ("src/main.py", "src.main")):
        if facts.has(name):
            if "/" not in name:
                facts.set("command", f"python {name}", f"{name} is the entry point")
            if re.search(r"^\s*app\s*=\s*FastAPI\(", facts.text(name), re.M):
                facts.set("app", f"{module}:app", f"{name} creates the FastAPI app")
            elif name not in ("app.py",) and re.search(r"=\s*Flask\(", facts.text(name)):
                facts.set("app", module, f"{name} creates the Flask app")
            if "command" in facts.params or "app" in facts.params:
                break
    # How dependencies install, and the Python version the project asks for.
    if facts.has("uv.lock"):
        facts.set("deps", "uv", "uv.lock is present")
    elif poetry and facts.has("pyproject.toml"):
        facts.set("deps", "poetry", "pyproject.toml has [tool.poetry]")
    elif facts.has("Pipfile"):
        facts.set("deps", "pipenv", "Pipfile")
    elif facts.has("requirements.txt"):
        facts.set("deps", "requirements", "requirements.txt")
    elif facts.has("pyproject.toml") and project:
        facts.set("deps", "pyproject", "pyproject.toml has [project]")
    elif requirement_files(facts.folder):
        first = requirement_files(facts.folder)
        local = next((p for p in first if re.search(r"(local|dev|base)", p.name)), first[0])
        rel = local.relative_to(facts.folder).as_posix()
        facts.set("deps", "requirements", f"{rel} (no requirements.txt)")
        facts.set("requirements_file", rel, f"{rel} lists the dependencies")
    elif facts.has("pyproject.toml") or facts.has("setup.py"):
        facts.set("deps", "pyproject", "pyproject.toml" if facts.has("pyproject.toml") else "setup.py")
    for name, found in (
        (".python-version", [line.strip() for line in facts.text(".python-version").splitlines()
                             if line.strip() and not line.lstrip().startswith("#")][:1]),
        ("runtime.txt", re.findall(r"python-(\d+\.\d+)", facts.text("runtime.txt"))),
        ("Pipfile", [pipfile.get("requires", {}).get("python_version", "")]),
    ):
        version = re.match(r"(\d+\.\d+)", found[0]) if found and found[0] else None
        if version:
            facts.set("python_version", version.group(1), f"{name} says {found[0]}")
            return
    constraint = project.get("requires-python") or poetry.get("dependencies", {}).get("python")
    source = "pyproject.toml"
    if not constraint:
        setup_req = re.search(r"python_requires\s*=\s*['\"]([^'\"]+)['\"]", setup)
        constraint, source = (setup_req.group(1), "setup.py") if setup_req else (None, "")
    if isinstance(constraint, str) and constraint.strip():
        picked = pick_python(constraint)
        if picked:
            facts.set("python_version", picked, f"{source} requires python {constraint}")


def pick_python(constraint: str) -> str | None:
    """The default Python when it satisfies the constraint, else the newest known one that does."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    text = constraint.strip()
    text = re.sub(r"\^\s*(\d+)\.(\d+)", lambda m: f">={m[1]}.{m[2]},<{int(m[1]) + 1}", text)
    text = re.sub(r"~\s*(\d+)\.(\d+)", lambda m: f">={m[1]}.{m[2]},<{m[1]}.{int(m[2]) + 1}", text)
    text = re.sub(r"^(\d+\.\d+)(\.\*)?$", r"==\1.*", text)
    try:
        spec = SpecifierSet(text)
    except InvalidSpecifier:
        return None
    if spec.contains(DEFAULT_PYTHON + ".0"):
        return DEFAULT_PYTHON
    fitting = [v for v in PYTHON_VERSIONS if spec.contains(v + ".0")]
    return fitting[-1] if fitting else None


def pick_major(constraint: str, default: int) -> int | None:
    """A major version from a node-style range: "^18", "18.x", ">=16", "18 || 20" → one major."""
    best = None
    for alternative in constraint.split("||"):
        alt = alternative.strip()
        numbers = [int(n) for n in re.findall(r"(?<![\d.])(\d+)", alt)]
        if not numbers:
            continue
        if alt.startswith(">") and not re.search(r"<", alt):
            choice = max(numbers[0], default)
        elif alt.startswith(">") and (upper := re.search(r"<\s*=?\s*(\d+)", alt)):
            choice = default if numbers[0] <= default < int(upper.group(1)) else numbers[0]
        else:
            choice = numbers[0]
        best = choice if best is None else max(best, choice)
    return best


def fits_major(constraint: str, major: int) -> bool:
    """Does a node-style range allow this major? ">=18 <26" allows 24; "^20 || >=22" allows 22."""
    for alternative in constraint.split("||"):
        allowed = True
        for op, number in re.findall(r"(>=|<=|>|<|\^|~|=)?\s*v?(\d+)(?:\.[\dx*]+)*", alternative):
            n = int(number)
            allowed &= {">=": major >= n, ">": major >= n, "<": major < n, "<=": major <= n}.get(op, major == n)
        if allowed:
            return True
    return False


def dockerfile_node_major(facts: Facts) -> int | None:
    """The Node major the project's own Dockerfile builds with (`FROM node:24 AS build`)."""
    for path in sorted(facts.folder.glob("*Dockerfile*")) + sorted(facts.folder.glob("docker/*Dockerfile*")):
        found = re.search(r"(?im)^\s*FROM\s+(?:--\S+\s+)*(?:\S*/)?node:v?(\d+)\b",
                          path.read_text(encoding="utf-8", errors="replace") if path.is_file() else "")
        if found:
            return int(found.group(1))
    return None


def read_node(facts: Facts) -> None:
    try:
        data = json.loads(facts.text("package.json")) if facts.has("package.json") else {}
    except json.JSONDecodeError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    facts.package_json = data
    facts.add([*data.get("dependencies", {}), *data.get("devDependencies", {})], "package.json")
    engines = (data.get("engines") or {}).get("node")
    engines = engines if isinstance(engines, str) else None
    # .nvmrc / .node-version pin what the developers run; engines is the range the package supports.
    pinned = next(((m.group(1), name) for name in (".nvmrc", ".node-version")
                   if (m := re.match(r"v?(\d+)", facts.text(name).strip()))), None)
    if pinned and (engines is None or fits_major(engines, int(pinned[0]))):
        facts.set("node_version", pinned[0], f"{pinned[1]} says {facts.text(pinned[1]).strip()}")
    elif engines is not None:
        floor_only = re.fullmatch(r"\s*>=?\s*v?[\d.x*]+\s*", engines) is not None
        built = dockerfile_node_major(facts) if floor_only else None
        if built is not None and fits_major(engines, built):
            facts.set("node_version", str(built), f"package.json engines.node is {engines!r}; the project's "
                                                  f"Dockerfile builds with node:{built}")
        elif major := pick_major(engines, 20):
            facts.set("node_version", str(major), f"package.json engines.node is {engines!r}")
            if floor_only:
                facts.open_ranges.add("node_version")
    elif (built := dockerfile_node_major(facts)) is not None:
        facts.set("node_version", str(built), f"the project's Dockerfile builds with node:{built}")
    prisma = data.get("prisma")
    declared = prisma.get("schema") if isinstance(prisma, dict) else None
    schema = declared if isinstance(declared, str) else "prisma/schema.prisma"
    provider = re.search(r"datasource\s+\w+\s*\{[^}]*?provider\s*=\s*\"(\w+)\"", facts.text(schema), re.S)
    if provider:
        facts.add([f"prisma:{provider.group(1)}"], f"{schema} (provider {provider.group(1)})")
    for lock, manager in (("pnpm-lock.yaml", "pnpm"), ("yarn.lock", "yarn"), ("package-lock.json", "npm"),
                          ("bun.lock", "bun"), ("bun.lockb", "bun")):
        if facts.has(lock):
            facts.set("package_manager", manager, f"{lock} is present")
            break
    else:
        declared = data.get("packageManager")
        if isinstance(declared, str) and declared.split("@")[0] in ("pnpm", "yarn", "bun"):
            facts.set("package_manager", declared.split("@")[0], f"package.json packageManager is {declared!r}")
    scripts = data.get("scripts") or {}
    # `bun run dev`, not `bun dev`: a script named like one of bun's commands (build, test) would run that.
    run = {"npm": "npm run", "yarn": "yarn", "pnpm": "pnpm", "bun": "bun run"}[str(facts.params.get("package_manager",
                                                                                                      "npm"))]
    main = data.get("main") if isinstance(data.get("main"), str) else None
    if not main:
        main = next((f for f in ("server.js", "app.js", "index.js", "src/server.js", "src/index.js", "main.js")
                     if facts.has(f)), None)
    if main:
        facts.set("main", main, "package.json main" if data.get("main") else f"{main} exists")
    if "dev" in scripts:
        facts.set("command", f"{run} dev", f"package.json has a dev script ({scripts['dev']!r})")
        facts.set("watch_restart", False, "the dev script reloads by itself")
    elif watched := next((n for n in ("start:dev", "start:watch") if isinstance(scripts.get(n), str)), None):
        # NestJS names its watch mode `start:dev` (`nest start --watch`), older projects `start:watch`
        # (nodemon); `start` runs it once.
        facts.set("command", f"{run} {watched}", f"package.json has a {watched} script ({scripts[watched]!r})")
        if re.search(r"--watch|nodemon|ts-node-dev|tsx watch", scripts[watched]):
            facts.set("watch_restart", False, f"the {watched} script reloads by itself")
    elif "start" in scripts:
        facts.set("command", "npm start" if run == "npm run" else f"{run} start",
                  f"package.json has a start script ({scripts['start']!r})")
    elif dev := next((n for n in ("serve", "develop") if isinstance(scripts.get(n), str)), None):
        # Vue CLI names its dev server `serve`, Gatsby `develop`: there is no start script to run.
        facts.set("command", f"{run} {dev}", f"package.json has a {dev} script ({scripts[dev]!r})")
        if re.search(r"vue-cli-service serve|webpack(-dev-server| serve)|gatsby develop|nodemon|parcel",
                     scripts[dev]):
            facts.set("watch_restart", False, f"the {dev} script reloads by itself")
    elif main:
        facts.set("command", f"node --watch {main}", f"{main} is the entry point")
        facts.set("watch_restart", False, "node --watch reloads by itself")


def read_ruby(facts: Facts) -> None:
    gemfile = facts.text("Gemfile")
    facts.add(re.findall(r"^\s*gem\s+['\"]([^'\"]+)['\"]", gemfile, re.M), "Gemfile")
    declared = facts.text(".ruby-version").strip()
    match = re.search(r"(\d+\.\d+)", declared)
    if match:
        facts.set("ruby_version", match.group(1), f".ruby-version says {declared}")
        return
    match = re.search(r"^\s*ruby\s+['\"][~>=\s]*(\d+\.\d+)", gemfile, re.M)
    if match:
        facts.set("ruby_version", match.group(1), f"the Gemfile asks for ruby {match.group(1)}")


def read_go(facts: Facts) -> None:
    text = facts.text("go.mod")
    modules = re.findall(r"^\s*require\s+(\S+)\s+v", text, re.M)
    for block in re.findall(r"^\s*require\s*\((.*?)(?:\)|\Z)", text, re.M | re.S):
        # `// indirect` modules are dependencies of dependencies: they imply no service.
        modules += re.findall(r"^\s*(\S+)\s+v[^\n]*?(?<!// indirect)$", block, re.M)
    facts.add(modules, "go.mod")
    match = re.search(r"^\s*go\s+(\d+\.\d+)", text, re.M)
    if match:
        facts.set("go_version", match.group(1), f"go.mod says go {match.group(1)}")
    if not any(facts.folder.glob("*.go")):
        cmds = sorted(p.parent for p in facts.folder.glob("cmd/*/main.go"))
        if cmds:
            rel = "./" + cmds[0].relative_to(facts.folder).as_posix()
            facts.set("main", rel, f"{rel}/main.go is the program")


def read_php(facts: Facts) -> None:
    try:
        data = json.loads(facts.text("composer.json")) if facts.has("composer.json") else {}
    except json.JSONDecodeError:
        data = {}
    require = {**(data.get("require") or {}), **(data.get("require-dev") or {})} if isinstance(data, dict) else {}
    facts.add([name for name in require if name != "php"], "composer.json")
    php = require.get("php")
    if isinstance(php, str):
        match = re.search(r"(\d+)\.(\d+)", php)
        if match:
            # The version the project states (its floor): the image runs what the project is tested on.
            facts.set("php_version", f"{match[1]}.{match[2]}", f"composer.json requires php {php}")
    for env_file in (".env", ".env.example"):
        match = re.search(r"^DB_CONNECTION=(\w+)", facts.text(env_file), re.M)
        if match:
            facts.add([f"laravel-db:{match.group(1).lower()}"], f"{env_file} (DB_CONNECTION={match.group(1)})")
            break


def _parent_pom(facts: Facts) -> str:
    """The aggregator pom one folder up that lists this folder as a module: its dependencies and
    properties (java.version) are inherited."""
    parent = facts.folder.parent / "pom.xml"
    if facts.rel == "." or not facts.has("pom.xml") or not parent.is_file():
        return ""
    text = parent.read_text(encoding="utf-8", errors="replace")
    return text if re.search(rf"<module>\s*(?:\./)?{re.escape(facts.folder.name)}/?\s*</module>", text) else ""


def read_java(facts: Facts) -> None:
    own, inherited = facts.text("pom.xml"), _parent_pom(facts)
    pom = own + "\n" + inherited  # the module's own settings first: they win
    for text, origin in ((own, "pom.xml"), (inherited, "../pom.xml")):
        for group, artifact in re.findall(r"<groupId>\s*([^<\s]+)\s*</groupId>\s*<artifactId>\s*([^<\s]+)\s*"
                                          r"</artifactId>", text):
            facts.add([f"{group}:{artifact}", artifact], origin)
    gradle_file = next((f for f in ("build.gradle.kts", "build.gradle") if facts.has(f)), None)
    gradle = facts.text(gradle_file) if gradle_file else ""
    for group, artifact in re.findall(r"['\"]([\w.-]+):([\w.-]+)(?::[^'\"]*)?['\"]", gradle):
        facts.add([f"{group}:{artifact}", artifact], gradle_file or "build.gradle")
    facts.add(re.findall(r"\bid\s*\(?\s*['\"]([\w.-]+)['\"]", gradle), gradle_file or "build.gradle")
    if own:
        facts.set("build_tool", "maven", "pom.xml is present")
    elif gradle_file:
        facts.set("build_tool", "gradle", f"{gradle_file} is present")
    for pattern, source in ((r"<java\.version>\s*(?:1\.)?(\d+)", "pom.xml"),
                            (r"<maven\.compiler\.release>\s*(\d+)", "pom.xml"),
                            (r"<maven\.compiler\.(?:source|target)>\s*(?:1\.)?(\d+)", "pom.xml"),
                            (r"JavaLanguageVersion\.of\(\s*(\d+)", gradle_file),
                            (r"sourceCompatibility\s*=\s*(?:JavaVersion\.VERSION_|['\"])?(\d+)", gradle_file)):
        match = re.search(pattern, pom if source == "pom.xml" else gradle)
        if match:
            facts.set("java_version", match.group(1), f"{source} targets Java {match.group(1)}")
            break


def read_rust(facts: Facts) -> None:
    data = _toml(facts, "Cargo.toml")
    for table in ("dependencies", "dev-dependencies"):
        deps = data.get(table) or {}
        workspace_deps = (data.get("workspace") or {}).get("dependencies") or {}
        for name, spec in {**deps, **workspace_deps}.items():
            facts.add([name], "Cargo.toml")
            features = spec.get("features", []) if isinstance(spec, dict) else []
            facts.add([f"{name}:{f}" for f in features if isinstance(f, str)], "Cargo.toml")
    toolchain = re.search(r"channel\s*=\s*\"(\d+\.\d+)", facts.text("rust-toolchain.toml")) or \
        re.search(r"^(\d+\.\d+)", facts.text("rust-toolchain").strip())
    declared = (data.get("package") or {}).get("rust-version") or \
        ((data.get("workspace") or {}).get("package") or {}).get("rust-version")
    if toolchain:
        facts.set("rust_version", toolchain.group(1), f"rust-toolchain says {toolchain.group(1)}")
    elif isinstance(declared, str) and re.match(r"\d+\.\d+", declared):
        facts.set("rust_version", declared, f"Cargo.toml rust-version = {declared}")


def read_elixir(facts: Facts) -> None:
    mix = facts.text("mix.exs")
    facts.add(re.findall(r"\{:(\w+)\s*,", mix), "mix.exs")
    match = re.search(r"elixir:\s*\"[~>= ]*(\d+\.\d+)", mix)
    if match:
        facts.set("elixir_version", match.group(1), f"mix.exs asks for elixir {match.group(1)}")


# .tool-versions (asdf, mise) names → the parameter each sets.
TOOL_VERSIONS = {"python": "python_version", "nodejs": "node_version", "node": "node_version",
                 "ruby": "ruby_version", "golang": "go_version", "go": "go_version", "elixir": "elixir_version",
                 "php": "php_version", "rust": "rust_version", "java": "java_version"}


def read_tool_versions(facts: Facts, text: str, source: str) -> None:
    """.tool-versions wins over the manifests' ranges: it pins what the developers run."""
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"^\s*([\w-]+)\s+(?:\w+-)?v?(\d+(?:\.\d+)?)", line)
        if match and match.group(1) in TOOL_VERSIONS:
            param, version = TOOL_VERSIONS[match.group(1)], match.group(2)
            if param in ("node_version", "java_version"):
                version = version.split(".")[0]
            if param == "go_version" and _older(version, facts.params.get("go_version")):
                # go.mod's `go` line is a floor the toolchain enforces: an older pin is stale.
                facts.set(param, str(facts.params["go_version"]), f"{facts.reasons['go_version']} (newer than "
                          f"{source}:{number}, {line.strip()}, which the go toolchain would refuse)")
                continue
            facts.set(param, version, f"{source}:{number} says {line.strip()}")


def _older(version: str, than: object) -> bool:
    def parts(text: str) -> tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", text)[:3])

    return isinstance(than, str) and parts(version) < parts(than)


READERS = (read_python, read_node, read_ruby, read_go, read_php, read_java, read_rust, read_elixir)


def read_facts(root: Path, rel: str) -> Facts:
    facts = Facts(folder=root / rel if rel != "." else root, rel=rel)
    for reader in READERS:
        reader(facts)
    if rel != ".":
        # Version files at the root of a monorepo speak for the apps below it that have none.
        root_facts = Facts(folder=root, rel=".")
        for reader in (read_python, read_node, read_ruby):
            reader(root_facts)
        for key in ("python_version", "node_version", "ruby_version"):
            weaker = key not in facts.params or (key in facts.open_ranges and key not in root_facts.open_ranges)
            if weaker and key in root_facts.params:
                facts.set(key, root_facts.params[key], root_facts.reasons[key] + " (at the project's root)")
    if facts.has(".tool-versions"):
        read_tool_versions(facts, facts.text(".tool-versions"), f"{rel}/.tool-versions" if rel != "." else
                           ".tool-versions")
    elif rel != "." and (root / ".tool-versions").is_file():
        read_tool_versions(facts, (root / ".tool-versions").read_text(encoding="utf-8", errors="replace"),
                           ".tool-versions")
    return facts
