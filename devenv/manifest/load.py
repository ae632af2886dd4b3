"""Load devenv.toml (plus its layers and .env) into a validated, immutable Project.

Steps: find the file → parse each layer → merge (tables by key; arrays and scalars replace) →
interpolate ${VAR} (interpolation.py; dotenv.py reads `.env`) → validate against the model →
semantic checks. Every problem is reported at once, each with the file and line that set the
value and the key path.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devenv.core.textfiles import display_path, read_text
from devenv.core.tomlerrors import locate_syntax_error
from devenv.errors import ManifestError, Problem, UsageError
from devenv.manifest.dotenv import read_dotenv
from devenv.manifest.interpolation import interpolate

if TYPE_CHECKING:  # the model (pydantic) is imported when a manifest is validated, not before
    from pydantic import BaseModel
    from pydantic_core import ErrorDetails

    from devenv.manifest.model import Manifest, Service

MANIFEST_NAME = "devenv.toml"
LOCAL_LAYER_NAME = "devenv.local.toml"

Path_ = tuple[str | int, ...]  # a key path such as ("services", "web", "ports", 1)


@dataclass(frozen=True)
class Layer:
    path: Path
    text: str


@dataclass(frozen=True)
class Project:
    """A loaded manifest and everything needed to turn it into containers."""

    name: str
    root: Path  # the manifest's folder: relative paths resolve against it
    layers: tuple[Layer, ...]
    manifest: Manifest
    env_file: Path | None
    dotenv: dict[str, str] = field(default_factory=dict)
    profiles: frozenset[str] = frozenset()
    sources: dict[Path_, int] = field(default_factory=dict, compare=False)

    @property
    def file(self) -> Path:
        return self.layers[0].path

    def enabled_services(self) -> dict[str, Service]:
        """Services whose profiles are enabled (a service without profiles always is)."""
        return {name: svc for name, svc in self.manifest.services.items()
                if not svc.profiles or self.profiles.intersection(svc.profiles)}

    def unknown_profiles(self) -> list[str]:
        """Enabled profiles (--profile, DEVENV_PROFILES) that no service names: a typo that
        would otherwise start nothing more, in silence."""
        named = {p for svc in self.manifest.services.values() for p in svc.profiles}
        return sorted(self.profiles - named)


# -- finding the files --------------------------------------------------------------------------

def find_manifest(start: Path) -> Path:
    """Walk up from `start` to the first folder holding devenv.toml, as git finds .git."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / MANIFEST_NAME
        if candidate.is_file():
            return candidate
    raise UsageError(f"no {MANIFEST_NAME} in {start} or any folder above it",
                     hint="run `devenv init` to write one, or pass -f FILE")


# -- interpolation --------------------------------------------------------------------------------

def _interpolate_tree(value: Any, lookup: dict[str, str], path: Path_, problems: list[tuple[Path_, str]]) -> Any:
    if isinstance(value, str):
        try:
            return interpolate(value, lookup)
        except ValueError as exc:
            problems.append((path, str(exc)))
            return value
    if isinstance(value, dict):
        return {k: _interpolate_tree(v, lookup, (*path, k), problems) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate_tree(v, lookup, (*path, i), problems) for i, v in enumerate(value)]
    return value


# -- layers ---------------------------------------------------------------------------------------

def merge_layer(base: dict[str, Any], over: dict[str, Any], origin: int, sources: dict[Path_, int],
                prefix: Path_ = ()) -> None:
    """Merge `over` into `base` in place: tables by key, arrays and scalars replace.
    `sources` records, per key path, the index of the layer that set it."""
    for key, value in over.items():
        path = (*prefix, key)
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            sources[path] = sources.get(path, origin)
            merge_layer(base[key], value, origin, sources, path)
        else:
            base[key] = value
            _mark(value, path, origin, sources)


def _mark(value: Any, path: Path_, origin: int, sources: dict[Path_, int]) -> None:
    sources[path] = origin
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        _mark(child, (*path, key), origin, sources)


def origin_of(path: Path_, sources: dict[Path_, int]) -> int:
    for depth in range(len(path), 0, -1):
        if path[:depth] in sources:
            return sources[path[:depth]]
    return 0


# -- locating a key path in TOML text -------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")


def _split_key(text: str) -> list[str]:
    return [part.strip().strip("\"'") for part in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", text)]


def locate(text: str, path: Path_) -> int | None:
    """The line that best matches `path`: the deepest table header or key that is a prefix of it,
    or else the first one below it (`[servics.web]` is where the key `servics` is set)."""
    want = [str(p) for p in path]
    best_line, best_depth = None, 0
    table: list[str] = []
    array_counts: dict[tuple, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            keys = _split_key(header.group(2))
            if header.group(1) == "[[":
                index = array_counts[tuple(keys)] = array_counts.get(tuple(keys), -1) + 1
                keys = [*keys, str(index)]
            table, full = keys, keys
        else:
            key = _KEY.match(line)
            if not key:
                continue
            full = [*table, *_split_key(key.group(1))]
        depth = len(full) if want[:len(full)] == full else len(want) if full[:len(want)] == want else 0
        if depth > best_depth:
            best_line, best_depth = number, depth
    return best_line


# -- validation -----------------------------------------------------------------------------------

def _fields_at(path: Path_) -> list[str]:
    from devenv.manifest import model

    shapes: dict[tuple[str, ...], type[BaseModel]] = {
              ("project",): model.ProjectSection, ("services", "*"): model.Service,
              ("services", "*", "build"): model.Build, ("services", "*", "healthcheck"): model.Healthcheck,
              ("services", "*", "watch", "#"): model.WatchRule, (): model.Manifest}
    shape = tuple("#" if isinstance(p, int) else p for p in path)
    for pattern, cls in shapes.items():
        if len(pattern) == len(shape) and all(a in ("*", b) for a, b in zip(pattern, shape, strict=True)):
            return list(cls.model_fields)
    return []


def _message(error: ErrorDetails) -> str:
    kind, msg = error["type"], error["msg"]
    if kind == "extra_forbidden":
        key = error["loc"][-1]
        close = difflib.get_close_matches(str(key), _fields_at(error["loc"][:-1]), n=1)
        return f"unknown key {key!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
    if kind == "missing":
        return "is required"
    msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    for pydantic_words, ours in _PLAIN_WORDS:  # the user wrote TOML, not Python: say it in its words
        msg = pydantic_words.sub(ours, msg)
    if kind.endswith("_type") or kind.endswith("_parsing") or kind in ("literal_error", "enum"):
        msg = f"{msg[0].lower()}{msg[1:]}, got {error['input']!r}"
    return msg


_PLAIN_WORDS = [(re.compile(pattern), words) for pattern, words in (
    (r"^Input should be a valid dictionary( or instance of \w+)?", "should be a table"),
    (r"^Input should be a valid list", "should be a list"),
    (r"^Input should be a valid integer(, unable to parse string as an integer)?", "should be a whole number"),
    (r"^Input should be a valid string", "should be a string"),
    (r"^Input should be greater than or equal to", "should be at least"),
    (r"^Input should be less than or equal to", "should be at most"),
    (r"^Input should be greater than", "should be more than"),
    (r"^Input should be less than", "should be less than"),
    (r"^Input should be", "should be"),
)]


def _clean_loc(loc: tuple[str | int, ...]) -> Path_:
    # pydantic adds function-names / union tags to some locations; they are not keys.
    return tuple(p for p in loc if isinstance(p, int) or not str(p).startswith(("function-", "union[")))


def load_project(*, files: list[Path] | None = None, directory: Path | None = None,
                 project_name: str | None = None, env_file: Path | None = None,
                 profiles: frozenset[str] | None = None, environ: dict[str, str] | None = None) -> Project:
    """Find, merge, interpolate and validate the manifest. Raises ManifestError or UsageError."""
    import tomllib

    from pydantic import ValidationError

    from devenv.manifest import model

    environ = dict(os.environ if environ is None else environ)
    directory = Path(directory or Path.cwd())
    if files:
        paths = [p if p.is_absolute() else directory / p for p in files]
        for p in paths:
            if not p.is_file():
                what = ("no such manifest file" if not p.exists() else "a folder, not a manifest file" if p.is_dir()
                        else "not a regular file (devenv reads a manifest as a file)")
                raise UsageError(f"{display_path(p)}: {what}")
    else:
        main = find_manifest(directory)
        local = main.with_name(LOCAL_LAYER_NAME)
        paths = [main, local] if local.is_file() else [main]
    root = paths[0].parent.resolve()

    layers: list[Layer] = []
    merged: dict = {}
    sources: dict = {}
    for index, path in enumerate(paths):
        text = read_text(path)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            syntax = locate_syntax_error(exc, text)
            raise ManifestError([Problem(display_path(path), syntax.line, "",
                                         f"not valid TOML: {syntax.message}")]) from None
        layers.append(Layer(path.resolve(), text))
        merge_layer(merged, data, index, sources)

    def problem(loc: Path_, message: str) -> Problem:
        layer = layers[origin_of(loc, sources)]
        dotted = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        return Problem(display_path(layer.path), locate(layer.text, loc), dotted, message)

    # A manifest written for a newer devenv fails this one's schema in ways that hide the cause
    # (unknown keys, new values): the version mismatch is said first, before any other check.
    table = merged.get("project")
    raw_requires = table.get("requires") if isinstance(table, dict) else None
    if isinstance(raw_requires, str) and "$" not in raw_requires:
        check_requires(raw_requires, problem)

    env_path = env_file if env_file is not None else root / ".env"
    if env_file is not None and (env_file.is_dir() or not env_file.exists()):  # /dev/null is one, as in Compose
        raise UsageError(f"{display_path(env_file)}: " + ("a folder, not an env file" if env_file.is_dir()
                                                          else "no such env file"))
    dotenv = read_dotenv(env_path, environ) if env_file is not None or env_path.is_file() else {}
    lookup = {**dotenv, **environ}  # the environment wins over .env

    raw_problems: list[tuple[Path_, str]] = []
    data = _interpolate_tree(merged, lookup, (), raw_problems)
    problems = [problem(loc, msg) for loc, msg in raw_problems]
    try:
        manifest = model.Manifest.model_validate(data)
    except ValidationError as exc:
        # A value whose variable is not set was left as written: what the model says of it then
        # is the same problem told a second time.
        failed = [loc for loc, _ in raw_problems]
        located = [(_clean_loc(e["loc"]), e) for e in exc.errors()]
        problems += [problem(loc, _message(e)) for loc, e in located
                     if not any(loc[:len(f)] == f for f in failed)]
        raise ManifestError(problems) from None
    if problems:
        raise ManifestError(problems)

    enabled = frozenset(profiles if profiles is not None else
                        filter(None, environ.get("DEVENV_PROFILES", "").replace(",", " ").split()))
    problems = [problem(loc, msg) for loc, msg in semantic_problems(manifest, enabled)]
    if problems:
        raise ManifestError(problems)
    check_requires(manifest.project.requires, problem)

    name = (project_name or environ.get("DEVENV_PROJECT_NAME") or manifest.project.name
            or normalise_name(root.name))
    if not model.NAME_RE.match(name):
        raise UsageError(f"{name!r} is not a project name (lowercase letters, digits, - and _)")
    if len(name) > model.MAX_SERVICE_NAME:
        raise UsageError(f"project name {name[:20]}… is {len(name)} characters long: at most "
                         f"{model.MAX_SERVICE_NAME} (its routed address <project>.localhost is a DNS label)")
    problems = [problem(loc, msg) for loc, msg in route_problems(manifest, name)]
    if problems:
        raise ManifestError(problems)
    return Project(name=name, root=root, layers=tuple(layers), manifest=manifest,
                   env_file=env_path if env_path.is_file() else None, dotenv=dotenv,
                   profiles=enabled, sources=sources)


def route_problems(manifest: Manifest, project: str) -> list[tuple[Path_, str]]:
    """Names the router answers to, claimed twice in one project: `main = true` on two services,
    or a `hosts` entry that is another service's name (its automatic or listed one) on the same
    paths. The router would serve one of them, silently."""
    from devenv.core.routepaths import same_requests
    from devenv.manifest import model

    found: list[tuple[Path_, str]] = []
    routed = {name: svc.http for name, svc in manifest.services.items() if svc.http is not None}
    mains = [name for name, http in routed.items() if http.main]
    for extra in mains[1:]:
        found.append((("services", extra, "http", "main"), f"service {mains[0]!r} is the main one already "
                                                           f"(one service answers at {project}.localhost)"))
    claims: dict[str, list[tuple[str, list[str]]]] = {}  # host → (service, its path prefixes; [] all)
    for name, http in routed.items():
        claims.setdefault(f"{name}.{project}.localhost", []).append((name, http.paths))
    main = model.main_routed(manifest.services)
    if main is not None:
        claims.setdefault(f"{project}.localhost", []).append((main, routed[main].paths))
    for name, http in routed.items():
        for host in http.hosts:
            # Two services may share a host on different path prefixes, or one on its `paths`
            # and one on the rest (the router tries path routes first), not on the same
            # (`/api` and `/api/` are one prefix, `/` the whole host: core/routepaths.py).
            other = next((o for o, paths in claims.get(host, []) if o != name and same_requests(paths, http.paths)),
                         None)
            if other is not None:
                found.append((("services", name, "http", "hosts"),
                              f"{host!r} is also routed to service {other!r} on the same paths; the router "
                              "answers a name and path with one service (give each its own `paths`)"))
            claims.setdefault(host, []).append((name, http.paths))
    return found


def normalise_name(folder: str) -> str:
    """A project name from a folder name: lowercase ASCII letters, digits and `-`. Accents fold
    to their letter (`Café` → `cafe`). Letters with no ASCII form (`日本語`, `app-日本`) leave a
    short hash of the whole name behind, so two such folders never share a project (and its
    volumes)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", folder)
    lost = any(not ch.isascii() and not unicodedata.combining(ch) for ch in decomposed)
    ascii_only = decomposed.encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", ascii_only.lower()).strip("-") or "project"
    if lost or len(name) > 63:  # a long name is cut to a DNS label, the hash keeping it apart
        name = name[:54].rstrip("-") + "-" + hashlib.sha256(folder.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return name


def check_requires(requires: str | None, problem: Callable[[Path_, str], Problem]) -> None:
    if not requires:
        return
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    from devenv import __version__

    try:
        wanted = SpecifierSet(requires)
    except InvalidSpecifier:
        raise ManifestError([problem(("project", "requires"),
                                     f"{requires!r} is not a version constraint (e.g. \">=0.1\")")]) from None
    if not wanted.contains(__version__, prereleases=True):
        raise UsageError(f"this project requires devenv {requires}, but this is devenv {__version__}",
                         hint="upgrade with `pip install -U devenv` (or install the version the team uses)")


def semantic_problems(manifest: Manifest, profiles: frozenset[str]) -> list[tuple[Path_, str]]:
    """Checks across keys, run once the schema is satisfied."""
    from devenv.core.graph import CycleError, topological_order

    found: list[tuple[Path_, str]] = []
    services = manifest.services
    if not services:  # an `up` of nothing would say "up to date (0 services)" and succeed
        found.append((("services",), "no services: add a [services.NAME] table (`devenv init` writes a first one)"))
    for name, svc in services.items():
        for dep in svc.depends_on:
            if dep not in services:
                close = difflib.get_close_matches(dep, list(services), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                found.append((("services", name, "depends_on"), f"unknown service {dep!r}{hint}"))
            elif services[dep].profiles and not profiles.intersection(services[dep].profiles) and (
                    not svc.profiles or profiles.intersection(svc.profiles)):
                found.append((("services", name, "depends_on"),
                              f"{dep!r} is only in profile(s) {', '.join(services[dep].profiles)}, "
                              f"which are not enabled (use --profile {services[dep].profiles[0]})"))
    try:  # among the known services: an unknown name above is no reason to hide a cycle
        topological_order({n: [d for d in s.depends_on if d in services] for n, s in services.items()})
    except CycleError as exc:
        found.append((("services", exc.cycle[0], "depends_on"), f"dependency cycle: {' → '.join(exc.cycle)}"))
    import ipaddress

    from devenv.manifest.model import ports_overlap

    taken: list[tuple[Any, str]] = []  # (port, service) bound so far
    for name, svc in services.items():
        for index, port in enumerate(svc.parsed_ports()):
            if port.host_port is None:
                continue
            clash = next(((other, owner) for other, owner in taken if ports_overlap(port, other)), None)
            if clash is not None:
                other, owner = clash
                message = f"host port {port.host_ip}:{port.host_port} is already used by service {owner!r}"
                if other.host_ip != port.host_ip:  # one of them is a wildcard address
                    wildcard = port.host_ip if ipaddress.ip_address(port.host_ip).is_unspecified else other.host_ip
                    message += f" on {other.host_ip} ({wildcard} binds every address)"
                found.append((("services", name, "ports", index), message))
            elif svc.scale > 1:
                found.append((("services", name, "ports", index),
                              f"a fixed host port cannot serve {svc.scale} replicas (use \"{port.container_port}\" "
                              "to let the engine pick one per replica)"))
            taken.append((port, name))
    return found
