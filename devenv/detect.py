"""Stack detection for `devenv init`: which recipe fits each app folder, and why.

Reads the dependency manifests of a folder (requirements.txt, pyproject.toml, Pipfile, setup.py,
package.json, Gemfile, go.mod, composer.json, pom.xml, build.gradle) into a set of declared
package names, then matches the recipes' `[detect]` rules against the files and those names.
Versions declared by the project (python_requires, engines.node, .ruby-version, the go
directive, …) become recipe parameters. Every finding carries a human reason. Pure reads:
nothing here writes or prints.
"""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from devenv.globs import DEFAULT_IGNORES

# Folders never taken for an app of a monorepo (besides hidden ones and the dependency folders).
SKIP_FOLDERS = frozenset({*DEFAULT_IGNORES, "vendor", "tests", "test", "spec", "docs", "fixtures", "testdata",
                          "tmp", "log", "public", "static", "bin", "scripts"})
MAX_DEPTH = 2

PYTHON_VERSIONS = ("3.9", "3.10", "3.11", "3.12", "3.13")
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

    def has(self, name: str) -> bool:
        return (self.folder / name).exists()

    def text(self, name: str) -> str:
        try:
            return (self.folder / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def add(self, names, source: str) -> None:
        for name in names:
            name = name.strip()
            if name:
                self.packages.setdefault(name.lower(), source)

    def set(self, param: str, value: object, reason: str) -> None:
        self.params[param] = value
        self.reasons[param] = reason


@dataclass
class Match:
    """A recipe chosen for a folder, with the reasons, detected parameters and implied services."""

    rel: str
    recipe: str
    reasons: list[str]
    params: dict[str, object]
    param_reasons: dict[str, str]
    services: dict[str, str]  # service recipe → why


# -- reading dependency manifests ----------------------------------------------------------------

def _python_name(requirement: str) -> str | None:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return re.sub(r"[._]+", "-", match.group(1)).lower() if match else None


def _toml(facts: Facts, name: str) -> dict:
    try:
        return tomllib.loads(facts.text(name)) if facts.has(name) else {}
    except tomllib.TOMLDecodeError:
        return {}


def read_python(facts: Facts) -> None:
    for req in sorted(facts.folder.glob("requirements*.txt")):
        for line in req.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                facts.add(filter(None, [_python_name(line)]), req.name)
    pyproject = _toml(facts, "pyproject.toml")
    project = pyproject.get("project", {})
    deps = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        deps += extra
    facts.add(filter(None, map(_python_name, deps)), "pyproject.toml")
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
    if poetry and facts.has("pyproject.toml"):
        facts.set("deps", "poetry", "pyproject.toml has [tool.poetry]")
    elif facts.has("Pipfile"):
        facts.set("deps", "pipenv", "Pipfile")
    elif facts.has("requirements.txt"):
        facts.set("deps", "requirements", "requirements.txt")
    elif facts.has("pyproject.toml") or facts.has("setup.py"):
        facts.set("deps", "pyproject", "pyproject.toml" if facts.has("pyproject.toml") else "setup.py")
    for name, found in (
        (".python-version", facts.text(".python-version").strip().splitlines()[:1]),
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
        version = pick_python(constraint)
        if version:
            facts.set("python_version", version, f"{source} requires python {constraint}")


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
        elif alt.startswith(">") and "<" in alt:
            upper = int(re.search(r"<\s*=?\s*(\d+)", alt).group(1))
            choice = default if numbers[0] <= default < upper else numbers[0]
        else:
            choice = numbers[0]
        best = choice if best is None else max(best, choice)
    return best


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
    if isinstance(engines, str):
        major = pick_major(engines, 20)
        if major:
            facts.set("node_version", str(major), f"package.json engines.node is {engines!r}")
    elif facts.has(".nvmrc"):
        major = re.match(r"v?(\d+)", facts.text(".nvmrc").strip())
        if major:
            facts.set("node_version", major.group(1), f".nvmrc says {facts.text('.nvmrc').strip()}")
    for lock, manager in (("pnpm-lock.yaml", "pnpm"), ("yarn.lock", "yarn"), ("package-lock.json", "npm")):
        if facts.has(lock):
            facts.set("package_manager", manager, f"{lock} is present")
            break
    scripts = data.get("scripts") or {}
    run = {"npm": "npm run", "yarn": "yarn", "pnpm": "pnpm"}[str(facts.params.get("package_manager", "npm"))]
    main = data.get("main") if isinstance(data.get("main"), str) else None
    if not main:
        main = next((f for f in ("server.js", "app.js", "index.js", "src/server.js", "src/index.js", "main.js")
                     if facts.has(f)), None)
    if main:
        facts.set("main", main, "package.json main" if data.get("main") else f"{main} exists")
    if "dev" in scripts:
        facts.set("command", f"{run} dev", f"package.json has a dev script ({scripts['dev']!r})")
        facts.set("watch_restart", False, "the dev script reloads by itself")
    elif "start" in scripts:
        facts.set("command", "npm start" if run == "npm run" else f"{run} start",
                  f"package.json has a start script ({scripts['start']!r})")
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
    for block in re.findall(r"^\s*require\s*\((.*?)\)", text, re.M | re.S):
        modules += re.findall(r"^\s*(\S+)\s+v", block, re.M)
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
            version = f"{match[1]}.{match[2]}"
            if php.strip().startswith(("^", ">")) and match[1] == "8" and int(match[2]) <= 3:
                version = "8.3"  # a floor within 8.x: the newest 8.x we know fits
            facts.set("php_version", version, f"composer.json requires php {php}")
    for env_file in (".env", ".env.example"):
        match = re.search(r"^DB_CONNECTION=(\w+)", facts.text(env_file), re.M)
        if match:
            facts.add([f"laravel-db:{match.group(1).lower()}"], f"{env_file} (DB_CONNECTION={match.group(1)})")
            break


def read_java(facts: Facts) -> None:
    pom = facts.text("pom.xml")
    for group, artifact in re.findall(r"<groupId>\s*([^<\s]+)\s*</groupId>\s*<artifactId>\s*([^<\s]+)\s*</artifactId>",
                                      pom):
        facts.add([f"{group}:{artifact}", artifact], "pom.xml")
    gradle_file = next((f for f in ("build.gradle.kts", "build.gradle") if facts.has(f)), None)
    gradle = facts.text(gradle_file) if gradle_file else ""
    for group, artifact in re.findall(r"['\"]([\w.-]+):([\w.-]+)(?::[^'\"]*)?['\"]", gradle):
        facts.add([f"{group}:{artifact}", artifact], gradle_file)
    facts.add(re.findall(r"\bid\s*\(?\s*['\"]([\w.-]+)['\"]", gradle), gradle_file or "build.gradle")
    if pom:
        facts.set("build_tool", "maven", "pom.xml is present")
    elif gradle_file:
        facts.set("build_tool", "gradle", f"{gradle_file} is present")
    for pattern, source in ((r"<java\.version>\s*(\d+)", "pom.xml"), (r"<maven\.compiler\.release>\s*(\d+)", "pom.xml"),
                            (r"JavaLanguageVersion\.of\(\s*(\d+)", gradle_file),
                            (r"sourceCompatibility\s*=\s*(?:JavaVersion\.VERSION_|['\"])?(\d+)", gradle_file)):
        match = re.search(pattern, pom if source == "pom.xml" else gradle)
        if match:
            facts.set("java_version", match.group(1), f"{source} targets Java {match.group(1)}")
            break


READERS = (read_python, read_node, read_ruby, read_go, read_php, read_java)


def read_facts(root: Path, rel: str) -> Facts:
    facts = Facts(folder=root / rel if rel != "." else root, rel=rel)
    for reader in READERS:
        reader(facts)
    return facts


# -- matching ------------------------------------------------------------------------------------

def _declared(facts: Facts, patterns: list[str]) -> tuple[str, str] | None:
    for pattern in patterns:
        for name, source in facts.packages.items():
            if fnmatch.fnmatchcase(name, pattern.lower()):
                return name, source
    return None


def match_folder(facts: Facts, sources: dict) -> Match | None:
    """The best app recipe for one folder: a framework recipe replaces the generic one it names."""
    candidates: dict[str, list[str]] = {}
    for name, source in sources.items():
        recipe = source.recipe
        rule = recipe.detect
        if recipe.kind != "app" or not rule.files:
            continue
        present = [f for f in rule.files if any(facts.folder.glob(f))]
        if not present:
            continue
        why = []
        if rule.packages or rule.markers:
            declared = _declared(facts, rule.packages)
            marker = next((m for m in rule.markers if any(facts.folder.glob(m))), None)
            if declared:
                why.append(f"{declared[1]} declares {declared[0]}")
            if marker:
                why.append(f"{marker} exists")
            if not why:
                continue
        else:
            why.append(f"{present[0]} is present")
        candidates[name] = why
    replaced = {r for name in candidates for r in sources[name].recipe.replaces}
    best = [name for name in candidates if name not in replaced]
    if not best:
        return None
    # Several frameworks in one folder: the one with the most evidence, then the first by name.
    chosen = sorted(best, key=lambda n: (-len(candidates[n]), n))[0]
    recipe = sources[chosen].recipe
    others = [n for n in best if n != chosen]
    reasons = candidates[chosen] + ([f"also looked like {', '.join(others)}"] if others else [])
    params = {k: v for k, v in facts.params.items() if k in recipe.params}
    return Match(rel=facts.rel, recipe=chosen, reasons=reasons, params=params,
                 param_reasons={k: facts.reasons[k] for k in params},
                 services=implied_services(facts, sources))


# Databases a Laravel .env names, by DB_CONNECTION.
_LARAVEL_DB = {"pgsql": "postgres", "mysql": "mysql", "mariadb": "mysql", "mongodb": "mongodb"}


def implied_services(facts: Facts, sources: dict) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, source in sorted(sources.items()):
        recipe = source.recipe
        if recipe.kind == "service" and recipe.detect.packages:
            declared = _declared(facts, recipe.detect.packages)
            if declared:
                found[name] = f"{declared[1]} declares {declared[0]}"
    for package, source in facts.packages.items():
        if package.startswith("laravel-db:"):
            service = _LARAVEL_DB.get(package.split(":", 1)[1])
            if service in sources and service not in found:
                found[service] = source
    return found


def _candidate_folders(root: Path) -> list[str]:
    found = ["."]

    def walk(folder: Path, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        try:
            children = sorted(p for p in folder.iterdir() if p.is_dir())
        except OSError:
            return
        for child in children:
            if child.name.startswith(".") or child.name in SKIP_FOLDERS or child.is_symlink():
                continue
            found.append(child.relative_to(root).as_posix())
            walk(child, depth + 1)

    walk(root, 1)
    return found


def _is_workspace_root(facts: Facts) -> bool:
    return bool(facts.package_json.get("workspaces")) or facts.has("pnpm-workspace.yaml") or facts.has("go.work")


def detect(root: Path, sources: dict) -> list[Match]:
    """One match per app folder: the root, and apps in subfolders (a monorepo). A folder inside
    an app found in a subfolder is part of that app; a workspace root is not an app itself."""
    matches: list[Match] = []
    taken: list[str] = []
    root_facts = None
    for rel in _candidate_folders(root):
        if any(rel.startswith(t + "/") for t in taken):
            continue
        facts = read_facts(root, rel)
        if rel == ".":
            root_facts = facts
        found = match_folder(facts, sources)
        if found:
            matches.append(found)
            if rel != ".":
                taken.append(rel)
    if root_facts is not None and len(matches) > 1 and matches[0].rel == "." and _is_workspace_root(root_facts):
        matches.pop(0)
    return matches
