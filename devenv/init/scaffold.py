"""From detected (or chosen) recipes to the files `devenv init` writes: one service per app,
one per implied or requested backing service, links between them, distinct host ports.

Pure: it reads recipe templates and returns text. `commands/init.py` checks, writes and prints.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from devenv.errors import UsageError
from devenv.init import recipes as rc
from devenv.init.appfacts import AppFacts
from devenv.init.detect import Match
from devenv.init.extend import apply

HEADER = """\
# devenv.toml: the development environment of this project, written by {origin}.
# Edit freely: `devenv up` brings it up, `devenv plan` shows what
# would change. Personal overrides go in devenv.local.toml (not committed).

[project]
name = {name}
requires = {requires}
"""


MARIADB_IMAGE = "mariadb:11.4"  # the current long-term release
_MARIADB = re.compile(r"\bmariadb\b", re.I)


@dataclass
class Planned:
    """One service of the manifest to be: its recipe, folder, parameters and why."""

    name: str
    recipe: str
    rel: str = "."
    reasons: list[str] = field(default_factory=list)
    given: dict[str, object] = field(default_factory=dict)  # detected values, then --set
    notes: dict[str, str] = field(default_factory=dict)  # parameter → why it has its value
    links: list[str] = field(default_factory=list)  # names of the backing services it uses
    params: dict[str, rc.ParamValue] = field(default_factory=dict)  # resolved
    host_port: int | None = None
    extras: AppFacts = field(default_factory=AppFacts)  # what init read beyond the recipe's parameters
    role: str = "app"  # app | worker | service


@dataclass
class Scaffold:
    project: str
    apps: list[Planned]
    services: list[Planned]
    files: dict[str, str]  # relative path → text; devenv.toml first
    notes: list[str] = field(default_factory=list)  # decisions and warnings the report prints
    offers: list[str] = field(default_factory=list)  # an existing Compose file `--from` would convert
    workers: list[Planned] = field(default_factory=list)  # worker processes of the apps
    log: list[str] = field(default_factory=list)  # detection decisions, for --explain

    @property
    def planned(self) -> list[Planned]:
        return [*self.apps, *self.workers, *self.services]


def service_name(rel: str, taken: set[str], hint: str | None = None) -> str:
    base = hint or ("web" if rel == "." else rel.rsplit("/", 1)[-1])
    base = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-") or "app"
    if not re.match(r"^[a-z0-9]", base):
        base = f"app-{base}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def parse_sets(sets: list[str]) -> list[tuple[str | None, str, str]]:
    """"key=value" or "target.key=value" → (target, key, value)."""
    parsed = []
    for item in sets:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--set {item!r}: expected KEY=VALUE (or SERVICE.KEY=VALUE)")
        target, _, param = key.rpartition(".")
        parsed.append((target or None, param, value))
    return parsed


def plan(sources: dict[str, rc.Source], matches: list[Match], *, chosen: list[str], with_: list[str]) -> \
        tuple[list[Planned], list[Planned]]:
    """Apps and backing services, before parameters: detected matches, or the --recipe choices."""
    taken: set[str] = set()
    apps: list[Planned] = []
    wanted: dict[str, str] = {}  # service recipe → why
    if chosen:
        for name in chosen:
            recipe = rc.get(sources, name).recipe
            if recipe.kind == "service":
                wanted.setdefault(name, "--recipe")
            elif any(a.rel == "." for a in apps):
                raise UsageError(f"--recipe {name}: only one app recipe can take the project's folder")
            else:
                # Detected facts that fit the chosen recipe are kept: its parameters, the env file,
                # workers and provision steps, the services the dependencies imply.
                root = next((m for m in matches if m.rel == "."), None)
                planned = Planned(name=service_name(".", taken), recipe=name, reasons=["chosen with --recipe"])
                if root is not None:
                    params = sources[name].recipe.params
                    planned.given = {k: v for k, v in root.params.items() if k in params}
                    planned.notes = {k: v for k, v in root.param_reasons.items() if k in params}
                    planned.extras = root.extras
                    if root.recipe != name:
                        # The detected app object belongs to the detected framework, not this one.
                        planned.extras.command = None
                        planned.given.pop("app", None)
                    for service, why in root.services.items():
                        wanted.setdefault(service, why)
                apps.append(planned)
    else:
        for match in matches:
            apps.append(Planned(name=service_name(match.rel, taken, match.name), recipe=match.recipe, rel=match.rel,
                                reasons=list(match.reasons), given=dict(match.params),
                                notes=dict(match.param_reasons), extras=match.extras))
            prefix = "" if match.rel == "." else match.rel + "/"
            for service, why in match.services.items():
                wanted.setdefault(service, prefix + why)
    for name in with_:
        recipe = rc.get(sources, name).recipe
        if recipe.kind != "service":
            raise UsageError(f"--with {name}: {name} is an app recipe; --with adds services "
                             f"({', '.join(n for n, s in sources.items() if s.recipe.kind == 'service')})",
                             hint=f"use --recipe {name} to pick the app's recipe")
        wanted.setdefault(name, "asked for with --with")
    services = []
    for recipe_name, why in wanted.items():
        name = recipe_name if recipe_name not in taken else f"{recipe_name}-db"
        taken.add(name)
        planned = Planned(name=name, recipe=recipe_name, reasons=[why])
        if recipe_name == "mysql" and _MARIADB.search(why):
            # One recipe serves both (the mariadb images read the MYSQL_* variables too), but a
            # project that names MariaDB gets its server: Laravel's mariadb driver, for one, uses
            # column types MySQL lacks.
            planned.given["image"] = MARIADB_IMAGE
            planned.notes["image"] = f"the project names MariaDB: {why}"
        services.append(planned)
    # Each app uses the services its own folder's facts imply (two apps may share a folder).
    uses = [set(m.services) for m in matches] if not chosen else \
        [set().union(*(set(m.services) for m in matches if m.rel == "."))] * len(apps)
    explicit = set(with_) | {n for n in chosen if sources[n].recipe.kind == "service"}
    for app, implied in zip(apps, uses, strict=False):
        app.links = [s.name for s in services if s.recipe in implied | explicit]
    for app in apps[len(uses):]:
        app.links = [s.name for s in services if s.recipe in explicit]
    return apps, services


def apply_sets(sources: dict[str, rc.Source], apps: list[Planned], services: list[Planned],
               sets: list[tuple[str | None, str, str]]) -> None:
    everything = [*apps, *services]
    for target, key, value in sets:
        if target:
            hits = [p for p in everything if target in (p.name, p.recipe)]
            if not hits:
                names = ", ".join(sorted({p.name for p in everything} | {p.recipe for p in everything}))
                raise UsageError(f"--set {target}.{key}: no service or recipe {target!r} in this manifest",
                                 hint=f"targets here: {names}")
        else:
            hits = [p for p in apps if key in sources[p.recipe].recipe.params] or \
                   [p for p in services if key in sources[p.recipe].recipe.params]
            if not hits:
                known = sorted({k for p in everything for k in sources[p.recipe].recipe.params})
                raise UsageError(f"--set {key}: no recipe here has a parameter {key!r}",
                                 hint=f"parameters: {', '.join(known) or 'none'} (`devenv recipes` describes them)")
        for planned in hits:
            planned.given[key] = value
            planned.notes[key] = "set with --set"


def _context(planned: Planned, project: str) -> dict:
    prefix = "" if planned.rel == "." else planned.rel + "/"

    def path(rel: str) -> str:
        if rel in (".", "./", ""):
            return "./" + planned.rel if planned.rel != "." else "."
        return prefix + rel

    return {"service": planned.name, "project": project, "dir": planned.rel, "path": path,
            "path_list": lambda items: [path(i) for i in items],
            "volume": lambda name: f"{planned.name}-{name}"}


def build(sources: dict[str, rc.Source], apps: list[Planned], services: list[Planned], *, project: str,
          requires: str) -> Scaffold:
    """Resolve parameters, link apps to services, pick host ports and render every file."""
    by_name: dict[str, dict] = {}
    fragments: list[str] = []
    files: dict[str, str] = {}
    workers: list[Planned] = []
    notes: list[str] = []
    taken = {p.name for p in [*apps, *services]}
    for svc in services:
        recipe = sources[svc.recipe].recipe
        context = _context(svc, project)
        svc.params = rc.resolve_params(recipe, svc.given, context=context)
        full = {**context, **svc.params}
        env = {key: rc.render_string(rc.sandbox(), value, full, where=f"{recipe.name}.env.{key}")
               for key, value in recipe.env.items()}
        by_name[svc.name] = {"recipe": svc.recipe, "service": svc.name, "params": svc.params, "env": env}
    _wire_backends(sources, apps, project)
    used_ports: set[int] = set()
    for app in apps:
        recipe = sources[app.recipe].recipe
        context = _context(app, project)
        app.params = rc.resolve_params(recipe, app.given, context=context)
        port = app.params.get("port")
        if isinstance(port, int):
            host = port
            while host in used_ports:
                host += 1
            if host != port:
                app.notes["host_port"] = f"{port} is taken by another app: published on {host}"
            used_ports.add(host)
            app.host_port = host
        links = {by_name[s]["recipe"]: by_name[s] for s in app.links}
        link_env: dict[str, str] = {}
        for link in links.values():
            for key, value in link["env"].items():
                link_env.setdefault(key, value)
        context.update(app.params, host_port=app.host_port, links=links, link_env=link_env,
                       depends_on={s: "healthy" for s in app.links})
        text = _fragment(sources, app, context)
        app_port = app.params.get("port")
        applied = apply(text, service=app.name, rel=app.rel, recipe=app.recipe, extras=app.extras,
                        port=app_port if isinstance(app_port, int) else None, links=links, taken=taken)
        app.notes.update(applied.notes)
        for name, why in applied.workers:
            workers.append(Planned(name=name, recipe=app.recipe, rel=app.rel, reasons=[why], role="worker",
                                   links=list(app.links)))
        notes.extend(app.extras.notes)
        fragments.append(applied.text)
        for out, template in recipe.files.items():
            if app.extras.dockerfile and out.endswith("Dockerfile"):
                continue  # the project's own Dockerfile is built instead
            files[context["path"](out)] = rc.render_template(sources, app.recipe, template, context)
    for svc in services:
        fragments.append(_fragment(sources, svc, {**_context(svc, project), **svc.params}))
    used = ", ".join(dict.fromkeys(p.recipe for p in [*apps, *services]))
    header = HEADER.format(origin=f"`devenv init` (recipes: {used or 'none'})", name=rc.toml_value(project),
                           requires=rc.toml_value(requires))
    manifest = header + "".join("\n" + f.strip("\n") + "\n" for f in fragments)
    return Scaffold(project=project, apps=apps, services=services, workers=workers, notes=notes,
                    files={"devenv.toml": manifest, ".devenvignore": devenvignore(sources, apps), **files})


def _wire_backends(sources: dict[str, rc.Source], apps: list[Planned], project: str) -> None:
    """A frontend whose dev-server config defaults its backend to localhost on another app's port
    reaches that app by its service name: localhost is the frontend's own container."""
    ports: dict[int, str] = {}
    for app in apps:
        port = rc.resolve_params(sources[app.recipe].recipe, app.given, context=_context(app, project)).get("port")
        if isinstance(port, int):
            ports.setdefault(port, app.name)
    for app in apps:
        for key, (scheme, port, rest) in app.extras.backend_urls.items():
            target = ports.get(port)
            if target and target != app.name and key not in app.extras.env:
                app.extras.env[key] = f"{scheme}{target}:{port}{rest}"
                app.extras.env_why[key] = f"the dev server's config defaults {key} to localhost:{port}, " \
                                          f"the {target} service's port"


def _fragment(sources: dict[str, rc.Source], planned: Planned, context: dict) -> str:
    text = rc.render_template(sources, planned.recipe, rc.SERVICE_TEMPLATE, context)
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"recipe {planned.recipe} rendered invalid TOML for service {planned.name}: {exc}",
                         details=excerpt(text),
                         hint="a parameter value may hold characters the template does not expect") from None
    return text


def devenvignore(sources: dict[str, rc.Source], apps: list[Planned]) -> str:
    lines = ["# Files devenv never watches or hashes (gitignore syntax), written by `devenv init`.",
             "# Dependency folders, .git and caches are ignored already.", ""]
    seen: set[str] = set()
    for app in apps:
        for pattern in sources[app.recipe].recipe.ignore:
            line = pattern if app.rel == "." or "/" not in pattern else f"{app.rel}/{pattern}"
            if line not in seen:
                seen.add(line)
                lines.append(line)
    return "\n".join(lines) + "\n"


def default_project_name(folder: Path) -> str:
    """Named after the folder as the user reached it: through a symlink (the shell's $PWD), the
    link's name rather than its target's."""
    import os

    from devenv.manifest.load import normalise_name

    shown = os.environ.get("PWD")
    if shown and Path(shown).name and Path(shown).resolve() == folder.resolve():
        folder = Path(shown)
    return normalise_name(folder.name)


def excerpt(text: str, *, lines: int = 40, width: int = 200) -> str:
    """What a rendered template shows in an error: a runaway template can render megabytes."""
    shown = [line if len(line) <= width else line[:width] + f"… ({len(line) - width} more characters)"
             for line in text.splitlines()[:lines]]
    more = len(text.splitlines()) - lines
    return "\n".join(shown + ([f"… ({more} more lines)"] if more > 0 else []))
