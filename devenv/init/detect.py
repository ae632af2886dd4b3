"""Stack detection for `devenv init`: which recipe fits each app folder, and why.

Takes the facts of each folder (devenv.depfiles: declared package names, versions, tools) and
matches the recipes' `[detect]` rules against its files and those names. A framework recipe
replaces the generic one it names; a monorepo gives one match per app folder. Every finding
carries a human reason. Pure reads: nothing here writes or prints.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from devenv.core.globs import DEFAULT_IGNORES
from devenv.init.depfiles import Facts, read_facts

# Folders never taken for an app of a monorepo (besides hidden ones and the dependency folders).
SKIP_FOLDERS = frozenset({*DEFAULT_IGNORES, "vendor", "tests", "test", "spec", "e2e", "cypress", "docs", "fixtures",
                          "testdata", "examples", "example", "samples", "tmp", "log", "public", "static", "bin",
                          "scripts"})
MAX_DEPTH = 2


@dataclass
class Match:
    """A recipe chosen for a folder, with the reasons, detected parameters and implied services."""

    rel: str
    recipe: str
    reasons: list[str]
    params: dict[str, object]
    param_reasons: dict[str, str]
    services: dict[str, str]  # service recipe → why


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
        present = [p.relative_to(facts.folder).as_posix() for f in rule.files for p in sorted(facts.folder.glob(f))]
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
