"""A no-op `devenv up` without loading the manifest model.

Validating the manifest costs more than everything else a no-op `up` does (pydantic builds its
validators at import). After each successful converge we record, per project folder, what the
manifest resolved to and what every input was: the manifest layers, .env, the environment
variables the manifest names, the lock, and per service its image ID, env_file contents,
provision hash, build context hash and where its bind mounts resolve to (a symlink can be
retargeted without any file devenv reads changing). The next `up` recomputes only those
inputs, lists the project's containers once (and, for a routed project, the shared router's:
it must run the image `up` would start it from), and stops there when everything matches. Anything
different (or unreadable) falls through to the full path, which alone decides what to change.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:  # kept off the no-op path's start-up time
    from devenv.core.plan import Desired, Observed
    from devenv.manifest.load import Project

FORMAT = 7  # 4, 5: default project names of non-ASCII and long folder names changed; 6: .env grammar; 7: pass_env
_VAR_NAME = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)")
# `pass_env = [...]` (also quoted, dotted or inline): the variables the container takes from the
# environment. Where the list is more than plain quoted names (an escape, a comment, a name with a
# `,` or `]` in it) or `pass_env` is written elsewhere, every variable of the environment counts:
# the fast path then misses more often, never wrongly.
_PASS_ENV = re.compile(r"pass_env[\"']?\s*=\s*\[([^\]]*)\]")
_PLAIN_NAMES = re.compile(r"(?:\s|,|\"[\w.\-]*\"|'[\w.\-]*')*")
_QUOTED_NAME = re.compile(r"[\"']([\w.\-]*)[\"']")
# What an env file reads from the environment (manifest/dotenv.py): `${A}`, `$A`, and a bare `KEY`
# (on its own line, or after a closing quote), whose value is the environment's. Catching more
# names than that only costs a full path.
_ENV_FILE_NAME = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)|"
                            r"(?:^[ \t]*(?:export[ \t]+)?|[\"'][ \t]*)([\w.\-\[\]]+)[ \t]*\r?$", re.M)
_MANIFEST = "devenv.toml"
_LOCAL = "devenv.local.toml"


class _Options(Protocol):
    """What the fast path reads of the CLI's global options (devenv.options.Options)."""

    @property
    def files(self) -> Sequence[Path]: ...
    @property
    def directory(self) -> Path: ...
    @property
    def project_name(self) -> str | None: ...
    @property
    def env_file(self) -> Path | None: ...
    @property
    def profiles(self) -> Sequence[str]: ...


class _Engine(Protocol):
    """The engine calls the fast path makes (the router's only for a routed project)."""

    def image_id(self, ref: str) -> str | None: ...
    def containers(self, project: str | None = None, *, role: str | None = "service") -> Sequence[Observed]: ...
    def labelled(self, kind: str, labels: dict[str, str]) -> list[dict]: ...


class _Resolved(Protocol):
    @property
    def ref(self) -> str: ...


class _Root(NamedTuple):
    root: Path


class _Provision(NamedTuple):
    provision: list[str]
    provision_inputs: list[str]


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "devenv" / "state"


def _find_layers(opts: _Options) -> list[Path] | None:
    if opts.files:
        return [p if p.is_absolute() else opts.directory / p for p in opts.files]
    folder = opts.directory.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / _MANIFEST).is_file():
            local = candidate / _LOCAL
            return [candidate / _MANIFEST, *([local] if local.is_file() else [])]
    return None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:  # not the same input as no file: the full path refuses a folder lock
        return b"\0folder"
    except OSError:
        return b"\0missing"


def _named_variables(text: bytes, extra: tuple[str, ...] = (), env_files: bytes = b"") -> bytes:
    """The environment's values of every variable the manifest text and the env files name: part
    of what they resolve to."""
    manifest = text.decode(errors="replace")
    names = set(_VAR_NAME.findall(manifest)) | set(extra)
    passed = _PASS_ENV.findall(manifest)
    if manifest.count("pass_env") != len(passed) or not all(_PLAIN_NAMES.fullmatch(inner) for inner in passed):
        names.update(os.environ)
    names.update(name for inner in passed for name in _QUOTED_NAME.findall(inner))
    names.update(a or b for a, b in _ENV_FILE_NAME.findall(env_files.decode(errors="replace")))
    return json.dumps({n: os.environ.get(n) for n in sorted(names)}).encode()


def manifest_key(opts: _Options, layers: list[Path]) -> tuple[str, Path]:
    """Everything that decides what the manifest resolves to, hashed; and the cache file."""
    root = layers[0].resolve().parent
    from devenv import __version__

    who = f"{os.getuid()}:{os.getgid()}"  # user = "host" resolves to them
    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{root}\0{who}\0{opts.project_name}"
                       f"\0{sorted(opts.profiles)}".encode())
    texts: list[bytes] = []
    for layer in layers:
        text = _read(layer)
        texts.append(text)
        h.update(str(layer).encode() + b"\0" + text)
    env_file = opts.env_file or root / ".env"
    dotenv = _read(env_file)
    h.update(b"env\0" + str(env_file).encode() + b"\0" + dotenv + b"\0lock\0" + _read(root / "devenv.lock"))
    # .env's values may name variables too (`B=$A`, as Compose reads it)
    h.update(_named_variables(b"\n".join(texts), extra=("DEVENV_PROFILES", "DEVENV_PROJECT_NAME"), env_files=dotenv))
    return h.hexdigest(), _cache_dir() / f"{hashlib.sha256(str(layers[0].resolve()).encode()).hexdigest()[:24]}.json"


def _bind_sources(root: Path, sources: list[str]) -> list[str]:
    """Where each bind mount's host path resolves now, as container_spec resolves it."""
    return [str((root / os.path.expanduser(source)).resolve()) for source in sources]


class _OnceEach:
    """The engine's `image_id`, asked once per reference within one look."""

    def __init__(self, engine: _Engine) -> None:
        self.engine = engine
        self.known: dict[str, str | None] = {}

    def image_id(self, ref: str) -> str | None:
        if ref not in self.known:
            self.known[ref] = self.engine.image_id(ref)
        return self.known[ref]


def _inputs(root: Path, service: Mapping[str, Any], engine: _Engine | _OnceEach) -> dict[str, Any]:
    """The inputs of one service that can change without the manifest changing."""
    ref, provision = service["ref"], ""
    if service.get("build"):  # imported only when needed: this is the no-op path's start-up time
        from devenv.core.buildhash import build_context_hash, build_tag

        build = SimpleNamespace(**service["build"])
        ref = build_tag(service["project"], service["name"], build_context_hash(root, build))
    if service["provision"]:
        from devenv.core.spec import provision_hash

        svc = _Provision(provision=service["provision"], provision_inputs=service["provision_inputs"])
        provision = provision_hash(_Root(root), svc)
    env_texts = b"".join(_read(root / f) for f in service["env_file"])
    return {"ref": ref, "image": engine.image_id(ref),
            "env_files": hashlib.sha256(env_texts + _named_variables(b"", env_files=env_texts)).hexdigest(),
            "provision": provision, "mounts": _bind_sources(root, service["mounts"])}


def record(opts: _Options, project: Project, engine: _Engine, desired: Mapping[str, Desired],
           images: Mapping[str, _Resolved], *, router: str | None = None, watch: dict[str, Any] | None = None) -> None:
    """After a successful full `up` of every enabled service: remember what it resolved to.
    `router`: for a routed project, the image the shared router should run (the lock's pin, or
    the tag); a no-op `up` is only taken while it runs. `watch`: what watch mode reads of the
    manifest (watch.source), kept for a watch started on the same manifest."""
    layers = _find_layers(opts)
    if layers is None:
        return
    key, path = manifest_key(opts, layers)
    services = []
    for name, want in desired.items():
        svc = project.manifest.services[name]
        entry: dict[str, Any] = {"name": name, "project": project.name, "ref": images[name].ref, "scale": want.scale,
                 "build": svc.build.model_dump() if svc.build else None, "env_file": list(svc.env_file),
                 "provision": list(svc.provision), "provision_inputs": list(svc.provision_inputs),
                 "mounts": [m.source for m in svc.parsed_mounts() if m.kind == "bind"],
                 "spec_hash": want.spec_hash, "provision_hash": want.provision_hash}
        entry["inputs"] = _inputs(project.root, entry, engine)
        services.append(entry)
    data = {"key": key, "project": project.name, "root": str(project.root), "services": services,
            "known": sorted(project.manifest.services), "router": router,
            "depends_on": {name: list(svc.depends_on) for name, svc in project.manifest.services.items()},
            "watch": watch}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        os.replace(tmp, path)
    except OSError:
        pass  # a cache we cannot write only costs speed


class CachedProject(NamedTuple):  # NamedTuple, not dataclass: no `dataclasses` on every command's start-up
    """What the last full `up` resolved this unchanged manifest to: enough for `status` and `down`."""

    name: str
    root: str  # the manifest's folder, as the containers' root label carries it
    known: tuple[str, ...]  # every service the manifest declares, enabled or not
    depends_on: dict[str, list[str]] | None  # service → what it needs; None in an older cache

    def holds_name(self, engine: _Engine) -> bool:
        """Whether every container under this name is this folder's. The name was claimed when it
        was recorded; once this folder's containers are gone another folder may claim it, and then
        the cached name is not ours to show or take down (the full path claims a new one)."""
        return all(c.root == self.root for c in engine.containers(self.name, role=None))


def _cached(opts: _Options) -> dict[str, Any] | None:
    """The recorded state when every input of the manifest is as it was recorded, else None."""
    layers = _find_layers(opts)
    if layers is None:
        return None
    key, path = manifest_key(opts, layers)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("key") == key else None


def cached_project(opts: _Options) -> CachedProject | None:
    """The project's name and services without validating the manifest, when it has not changed
    since the last full `up` (same key as `up_to_date`: layers, .env, lock, named variables)."""
    data = _cached(opts)
    return None if data is None else _project_of(data)


def _project_of(data: dict[str, Any]) -> CachedProject | None:
    try:
        deps = data.get("depends_on")
        return CachedProject(name=str(data["project"]), root=str(data["root"]), known=tuple(data["known"]),
                             depends_on={str(k): list(v) for k, v in deps.items()} if isinstance(deps, dict) else None)
    except (KeyError, TypeError, AttributeError):
        return None


def cached_watch(opts: _Options) -> tuple[CachedProject, dict[str, Any]] | None:
    """The project and what `record` kept for watch mode, when the manifest has not changed."""
    data = _cached(opts)
    project = None if data is None else _project_of(data)
    if data is None or project is None or not isinstance(data.get("watch"), dict):
        return None
    return project, data["watch"]


def up_to_date(opts: _Options, engine: _Engine) -> tuple[str, int] | None:
    """(project name, number of services) when a full `up` would change nothing, else None."""
    data = _cached(opts)
    if data is None:
        return None
    root = Path(data["root"])
    try:
        observed = engine.containers(data["project"])
        images = _OnceEach(engine)  # ten services of one image: one inspect, not ten
        for service in data["services"]:
            if _inputs(root, service, images) != service["inputs"]:
                return None
    except Exception:
        return None
    # Health is not looked at: the plan never acts on it (a plain `up` leaves a container that is
    # still starting, or unhealthy, as it is), so neither does its fast path.
    if any(c.root != data["root"] for c in observed):
        return None
    wanted = {s["name"]: s for s in data["services"]}
    seen: dict[str, set[int]] = {}
    for c in observed:
        want = wanted.get(c.service)
        if want is None:
            if c.service not in data["known"]:
                return None  # an orphan to remove
            continue  # a disabled (profiled) service is left alone
        if (not c.running or c.spec_hash != want["spec_hash"] or c.provision_hash != want["provision_hash"]
                or c.replica > want["scale"] or c.replica in seen.setdefault(c.service, set())):
            return None
        seen[c.service].add(c.replica)
    if any(len(seen.get(name, ())) != s["scale"] for name, s in wanted.items()):
        return None
    if data.get("router") and not _router_runs(engine, data["router"]):
        return None  # gone (`devenv router stop`) or on other content: the full path syncs it
    return data["project"], len(wanted)


def _router_runs(engine: _Engine, image: str) -> bool:
    """Whether the shared router runs, made from `image` or from the same content."""
    try:
        rows = engine.labelled("containers", {"dev.devenv.role": "router"})
        for row in rows:
            if row.get("State") == "running" and (row.get("Image") == image
                                                   or engine.image_id(image) == row.get("ImageID")):
                return True
    except Exception:
        return False
    return False
