"""Stack detection for `devenv init`: which recipe fits each app folder, and why.

Takes the facts of each folder (depfiles: declared package names, versions, tools) and matches
the recipes' `[detect]` rules against its files and those names. The strongest evidence wins,
not the count: a server framework beats a frontend toolchain in its folder, a framework beats
the generic recipe it replaces, and a folder with nothing to run (a library, a test harness,
email templates, a tooling-only package.json) is not an app. A monorepo gives one match per
app folder, up to three levels deep. Every finding carries a human reason with its file.
Pure reads: nothing here writes or prints.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devenv.core.globs import DEFAULT_IGNORES
from devenv.init import appfacts
from devenv.init.depfiles import Facts, read_facts

# Folders never taken for an app of a monorepo (besides hidden ones and the dependency folders).
SKIP_FOLDERS = frozenset({*DEFAULT_IGNORES, "vendor", "tests", "test", "spec", "e2e", "cypress", "docs", "fixtures",
                          "testdata", "examples", "example", "samples", "tmp", "log", "public", "static", "bin",
                          "scripts", "tools", "hack", "infra", "deploy", "deployment", "migrations", "templates",
                          "api_tests", "api-tests", "integration-tests", "playwright", "storybook", "target"})
MAX_DEPTH = 3
# How much a recipe's kind of evidence weighs when several match one folder: a server framework
# over a frontend toolchain over a generic runtime. User recipes weigh as frameworks.
WEIGHT = {"django": 30, "flask": 30, "fastapi": 30, "rails": 30, "laravel": 30, "spring": 30, "phoenix": 30, "java": 30,
          "nextjs": 20, "nuxt": 20, "angular": 20, "remix": 20, "sveltekit": 20, "vite": 18, "express": 15,
          "go": 12, "rust": 12, "php": 9, "python": 8, "node": 5}


@dataclass
class Match:
    """A recipe chosen for a folder, with the reasons, detected parameters and implied services."""

    rel: str
    recipe: str
    reasons: list[str]
    params: dict[str, object]
    param_reasons: dict[str, str]
    services: dict[str, str]  # service recipe → why
    extras: appfacts.AppFacts = field(default_factory=appfacts.AppFacts)
    name: str | None = None  # the service's name when the folder cannot give it (nx apps run from the root)


# -- matching ------------------------------------------------------------------------------------

def _declared(facts: Facts, patterns: list[str]) -> tuple[str, str] | None:
    """The first declared package a pattern names, and where: "requirements.txt:3"."""
    for pattern in patterns:
        for name, source in facts.packages.items():
            if name == pattern.lower() or fnmatch.fnmatchcase(name, pattern.lower()):
                return name, _with_line(facts, source, name)
    return None


def _with_line(facts: Facts, source: str, name: str) -> str:
    """`source` with the line that names the package, when source is a plain file name."""
    if " " in source or ":" in source:
        return source
    text = facts.text(source)
    bare = re.escape(name.split("[", 1)[0].split(":")[-1])
    match = re.search(rf"(?im)^.*?(?<![\w.-]){bare.replace(chr(92) + '-', '[-_.]')}(?![\w.-]).*$", text)
    return f"{source}:{text.count(chr(10), 0, match.start()) + 1}" if match else source


def _marker_counts(name: str, marker: str, facts: Facts) -> bool:
    """A marker file that is not what it seems: a FlaskGroup manage.py is not Django's."""
    if name == "django" and marker == "manage.py":
        return appfacts.is_django_manage(facts)
    return True


def candidates(facts: Facts, sources: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, source in sources.items():
        recipe = source.recipe
        rule = recipe.detect
        if recipe.kind != "app" or not rule.files:
            continue
        present = [p.relative_to(facts.folder).as_posix() for f in rule.files for p in sorted(facts.folder.glob(f))]
        if not present:
            continue
        why = []
        if rule.packages or rule.markers:
            declared = _declared(facts, rule.packages)
            marker = next((m for m in rule.markers if any(facts.folder.glob(m)) and _marker_counts(name, m, facts)),
                          None)
            if declared:
                why.append(f"{declared[1]} declares {declared[0]}")
            if marker:
                why.append(f"{marker} exists")
            if not why:
                continue
        else:
            why.append(f"{present[0]} is present")
        found[name] = why
    return found


def match_folder(facts: Facts, sources: dict[str, Any], *, root: Path | None = None,
                 workspace_member: bool = False, log: list[str] | None = None) -> Match | None:
    """The best app recipe for one folder, or None when nothing in it can run as an app.
    Decisions against a folder or a recipe are appended to `log` (for --explain)."""
    log = log if log is not None else []
    where = "./" if facts.rel == "." else f"./{facts.rel}"
    found = candidates(facts, sources)
    replaced = {r for name in found for r in sources[name].recipe.replaces}
    best = {name: why for name, why in found.items() if name not in replaced}
    for name in sorted(set(found) - set(best)):
        log.append(f"{where}: {name} replaced by a framework recipe that matched too")
    for name in list(best):
        not_app = appfacts.not_an_app(facts, name, workspace_member=workspace_member)
        if not_app:
            log.append(f"{where}: not a {name} app: {not_app} ({'; '.join(best[name])})")
            best.pop(name)
    if not best:
        return None
    # The strongest kind of evidence wins (framework over toolchain over runtime), then the most.
    chosen = sorted(best, key=lambda n: (-WEIGHT.get(n, 25), -len(best[n]), n))[0]
    recipe = sources[chosen].recipe
    others = [n for n in best if n != chosen]
    reasons = best[chosen] + ([f"also looked like {', '.join(others)} (weaker evidence)"] if others else [])
    extras = appfacts.read_app(facts, chosen, root or facts.folder)
    params = {k: v for k, v in {**facts.params, **extras.params}.items() if k in recipe.params}
    param_reasons = {k: extras.param_reasons.get(k) or facts.reasons.get(k, "detected") for k in params}
    services = implied_services(facts, sources)
    for kind, why in extras.services.items():
        if kind in sources and kind not in services:
            services[kind] = why
    for kind, why in extras.switched_off.items():
        if kind in services:
            extras.notes.append(f"{kind} not added: {services.pop(kind)}, but {why}; --with {kind} adds it")
    services = appfacts.pick_databases(services, extras)
    needed = sorted({m.group(1) for why in services.values() if (m := re.match(r"pyproject\.toml \[([\w.-]+)\]", why))})
    if needed and "extras" in recipe.params and params.get("deps") in ("uv", "pyproject"):
        params["extras"] = " ".join(needed)
        param_reasons["extras"] = "the drivers of the services wired are in these pyproject extras"
    return Match(rel=facts.rel, recipe=chosen, reasons=reasons, params=params, param_reasons=param_reasons,
                 services=services, extras=extras)


# Databases a Laravel .env names, by DB_CONNECTION.
_LARAVEL_DB = {"pgsql": "postgres", "mysql": "mysql", "mariadb": "mysql", "mongodb": "mongodb"}


def implied_services(facts: Facts, sources: dict[str, Any]) -> dict[str, str]:
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
            if service is not None and service in sources and service not in found:
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
            if child.name.startswith(".") or child.name in SKIP_FOLDERS or child.is_symlink() or \
                    re.search(r"(^|[-_])(e2e|tests?)$", child.name):
                continue
            found.append(child.relative_to(root).as_posix())
            walk(child, depth + 1)

    walk(root, 1)
    return found


def is_workspace_root(facts: Facts) -> str | None:
    """What makes a folder a workspace root (pnpm/yarn/npm workspaces, turborepo, nx, go.work,
    a cargo workspace), or None."""
    if facts.package_json.get("workspaces"):
        return "package.json declares workspaces"
    for name, what in (("pnpm-workspace.yaml", "pnpm workspace"), ("turbo.json", "turborepo"), ("nx.json", "nx"),
                       ("go.work", "go.work"), ("lerna.json", "lerna")):
        if facts.has(name):
            return f"{name} ({what})"
    if re.search(r"^\[workspace\]", facts.text("Cargo.toml"), re.M) and \
            not re.search(r"^\[package\]", facts.text("Cargo.toml"), re.M):
        return "Cargo.toml is a cargo workspace"
    return None


def detect(root: Path, sources: dict[str, Any], log: list[str] | None = None) -> list[Match]:
    """One match per app folder: the root, and apps in subfolders (a monorepo). A folder inside
    an app found in a subfolder is part of that app; a workspace root is not an app itself
    unless it holds a framework's app of its own."""
    log = log if log is not None else []
    matches: list[Match] = []
    taken: list[str] = []
    root_facts = read_facts(root, ".")
    workspace = is_workspace_root(root_facts)
    if workspace:
        log.append(f"./: a workspace root: {workspace}")
    cargo_root = workspace == "Cargo.toml is a cargo workspace"
    for rel in _candidate_folders(root):
        if any(rel == t or rel.startswith(t + "/") for t in taken):
            continue
        if cargo_root and rel != "." and (root / rel / "Cargo.toml").is_file() and matches and \
                matches[0].recipe == "rust":
            continue  # a member crate: the workspace root runs it with cargo run -p
        facts = root_facts if rel == "." else read_facts(root, rel)
        found = match_folder(facts, sources, root=root, workspace_member=bool(workspace) and rel != ".", log=log)
        if found:
            matches.append(found)
            manage = str(found.params.get("manage", "manage.py"))
            if "/" in manage:  # the root's Django project below it is part of it
                taken.append(manage.rsplit("/", 1)[0])
            beside = frontend_beside(facts, found, sources, root, log)
            if beside:
                matches.append(beside)
            if rel != ".":
                taken.append(rel)
    if root_facts.has("nx.json"):
        matches = _nx_matches(root, root_facts, sources, matches, log)
    if matches and matches[0].rel == "." and len(matches) > 1 and matches[0].name is None:
        first = matches[0]
        weak = WEIGHT.get(first.recipe, 25) < 18 and first.recipe != "rust"
        frontend_only = first.recipe in ("nextjs", "vite")
        if ((workspace and (weak or frontend_only)) or (weak and first.recipe == "node")) and \
                not appfacts.root_runs_itself(root_facts):
            log.append(f"./: {first.recipe} at the root not kept: "
                       f"{workspace or 'it only installs the apps below it'}; the apps are in subfolders")
            matches.pop(0)  # the root only installs or orchestrates the apps below it
    return matches


PYTHON_BACKENDS = ("django", "flask", "fastapi")


def frontend_beside(facts: Facts, backend: Match, sources: dict[str, Any], root: Path,
                    log: list[str]) -> Match | None:
    """A Python backend whose folder also runs a frontend dev server (django-vite, a webpack
    dev server proxying to Flask): the dev server is a second app of the same folder."""
    if backend.recipe not in PYTHON_BACKENDS or not facts.package_json:
        return None
    scripts = facts.package_json.get("scripts") or {}
    script = next((n for n in ("dev", "start", "serve") if isinstance(scripts.get(n), str) and re.search(
        r"\b(vite|webpack-dev-server|webpack serve|react-scripts start|vue-cli-service serve|ng serve)\b|"
        r"webpack-dev-server", scripts[n] + " " + " ".join(str(v) for v in scripts.values()))), None)
    if not script:
        return None
    found = candidates(facts, sources)
    recipe = next((r for r in ("vite", "angular", "node") if r in found and r in sources), None)
    if recipe is None:
        return None
    extras = appfacts.read_app(facts, recipe, root)
    if recipe == "node":
        port = appfacts.webpack_port(facts)
        extras.set("port", port[0], port[1])
        extras.command = appfacts.entry.run_script(facts, script)
        extras.command_why = f"package.json {script} script ({scripts[script]!r})"
    # The backend's Dockerfile, workers, migrations and env file are the backend's.
    extras.workers, extras.provision, extras.provision_inputs = [], [], []
    extras.dockerfile, extras.dockerfile_args, extras.env_plan = None, {}, appfacts.EnvPlan()
    extras.code_env, extras.secrets, extras.config_fields = [], {}, {}
    params = {k: v for k, v in {**facts.params, **extras.params}.items() if k in sources[recipe].recipe.params}
    why = f"package.json's {script} script runs a dev server beside the {backend.recipe} app"
    log.append(f"./{facts.rel if facts.rel != '.' else ''}: {why}")
    return Match(rel=facts.rel, recipe=recipe, reasons=[why], params=params,
                 param_reasons={k: extras.param_reasons.get(k) or facts.reasons.get(k, "detected") for k in params},
                 services={}, extras=extras, name="frontend" if facts.rel == "." else None)


def _nx_matches(root: Path, root_facts: Facts, sources: dict[str, Any], matches: list[Match],
                log: list[str]) -> list[Match]:
    """An nx workspace serves its applications from the root (`nx run app:serve`), with the
    root's node_modules: one service per application, all mounting the root."""
    projects = [p for p in appfacts.nx_projects(root) if p["recipe"] in sources]
    if not projects:
        return matches
    folders = {str(p["rel"]) for p in projects}
    kept = [m for m in matches if m.rel != "." and not any(m.rel == f or m.rel.startswith(f + "/") for f in folders)]
    services = implied_services(root_facts, sources)
    for project in projects:
        recipe = str(project["recipe"])
        extras = appfacts.read_app(root_facts, recipe, root)
        extras.command, extras.command_why = str(project["command"]), str(project["why"])
        extras.set("port", project["port"], str(project["why"]))
        params = {k: v for k, v in {**root_facts.params, **extras.params}.items() if k in sources[recipe].recipe.params}
        log.append(f"./{project['rel']}: {project['why']}; run from the workspace root")
        kept.append(Match(rel=".", recipe=recipe, reasons=[str(project["why"])], params=params,
                          param_reasons={k: extras.param_reasons.get(k) or root_facts.reasons.get(k, "detected")
                                         for k in params},
                          services=dict(services), extras=extras, name=str(project["name"])))
    return kept


def unsupported(root: Path) -> list[str]:
    """Evidence of a stack init has no recipe for, when nothing was detected: "found X (Y)"."""
    return appfacts.unsupported_evidence(root)
