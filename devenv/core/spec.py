"""Service → the full container spec the engine is given, and its hash.

The spec holds exactly what makes a container what it is: image ID, command, entrypoint, env,
mounts, ports, workdir, user, healthcheck, restart, init, stop timeout and network aliases.
`depends_on`, `scale`, `profiles` and watch rules change no container, so they are not in it.
The spec is plain JSON data, stored on the container, so a plan can name the field that differs.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NotRequired, Protocol, TypedDict

from devenv.core.globs import IgnoreRules, expand

if TYPE_CHECKING:  # the model's import is kept off this module's load (the fast path imports it)
    from devenv.manifest.load import Project
    from devenv.manifest.model import Service


class MountSpec(TypedDict):
    type: Literal["bind", "volume"]
    source: str  # an absolute host path (bind) or the project-scoped volume name
    target: str
    read_only: bool


class HealthcheckSpec(TypedDict):
    test: list[str]
    interval: float
    timeout: float
    retries: int
    start_period: float


class ContainerSpec(TypedDict):
    """The container spec: plain JSON data, hashed, and stored on the container as a label."""

    image: str
    command: list[str] | None
    entrypoint: list[str] | None
    env: dict[str, str]
    mounts: list[MountSpec]
    ports: list[str]
    workdir: str | None
    user: str | None
    healthcheck: HealthcheckSpec | None
    restart: str
    init: bool
    stop_timeout: float
    aliases: list[str]
    http: NotRequired[HttpSpec]  # only for a routed service, so other specs (and hashes) stay as they were
    stop_signal: NotRequired[str]  # only when the manifest names one, for the same reason
    unset_env: NotRequired[list[str]]  # pass_env names not set here: the container must not have them


class HttpSpec(TypedDict):
    """What the shared router needs: the hosts it answers for, the port inside the container."""

    hosts: list[str]
    port: int
    paths: list[str]
    https: bool


class _HasRoot(Protocol):
    @property
    def root(self) -> Path: ...


class _Provisioned(Protocol):
    @property
    def provision(self) -> Sequence[str]: ...
    @property
    def provision_inputs(self) -> Sequence[str]: ...


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def volume_name(project: str, volume: str) -> str:
    """The engine's name of a project's named volume. Project names hold no `.` (volume names
    may), so the first `.` splits it back: two projects never share a name."""
    return f"{project}.{volume}"


def legacy_volume_name(project: str, volume: str) -> str:
    """The name devenv gave volumes before: `_` is in project and volume names alike, so it
    could collide. Still the name of swarm stack volumes; local ones made under it are kept."""
    return f"{project}_{volume}"


def resolve_user(user: str | None, *, platform: str = sys.platform) -> str | None:
    """`user = "host"`: your uid:gid on Linux. On macOS and Windows the engine runs in Docker
    Desktop's VM, whose file sharing already maps ownership to you: the image's user is kept."""
    if user == "host":
        if not platform.startswith("linux"):
            return None
        return f"{os.getuid()}:{os.getgid()}"
    return user


def service_env(project: Project, svc: Service) -> dict[str, str]:
    """The variables the container gets (resolved_env)."""
    return resolved_env(project, svc)[0]


def resolved_env(project: Project, svc: Service) -> tuple[dict[str, str], list[str]]:
    """(the variables the container gets, the names it must not have). env_file values, then
    `pass_env` over them, then `env`. These reach the container, never an image. As in Compose,
    an env_file's `$VAR` (or bare `KEY`) reads the environment, then the project's .env; so does a
    `pass_env` name, and one set in neither is taken out of the container: not the env_file's
    value, not the image's ENV (Compose's `environment: [NAME]`)."""
    from devenv.errors import UsageError
    from devenv.manifest.load import read_dotenv

    variables = {**project.dotenv, **os.environ}
    env: dict[str, str] = {}
    for name in svc.env_file:
        path = project.root / name
        if not path.is_file():
            what = "is a folder, not a file" if path.is_dir() else "does not exist"
            raise UsageError(f"env_file {name!r} {what} (relative to {project.root})",
                             hint="create it, or remove it from env_file")
        env.update(read_dotenv(path, variables))
    unset: set[str] = set()
    for name in svc.pass_env:
        if name in svc.env:
            continue
        if name in variables:
            env[name] = variables[name]
        else:
            env.pop(name, None)
            unset.add(name)
    env.update(svc.env)
    return dict(sorted(env.items())), sorted(unset)


def host_path(root: Path, source: str, *, windows: bool = os.name == "nt") -> str:
    """A bind mount's source as an absolute host path. Windows spellings work everywhere: on
    Windows as they are; elsewhere `.\\src` is `./src`, and `C:\\src` is WSL2's `/mnt/c/src`."""
    if not windows:
        if len(source) > 2 and source[1] == ":" and source[0].isalpha() and source[2] in "\\/":
            source = f"/mnt/{source[0].lower()}/" + source[3:]
        source = source.replace("\\", "/")
    return str((root / os.path.expanduser(source)).resolve())


def container_spec(project: Project, name: str, svc: Service, image_id: str | None, *,
                   image_ref: str, volumes: dict[str, str] | None = None) -> ContainerSpec:
    """Everything Docker will be given for one replica of `name` (replicas share one spec).
    `volumes` maps a manifest volume to the engine volume it is, where that is not the
    default name (devenv.converge.ownership decides it)."""
    mounts: list[MountSpec] = []
    for m in svc.parsed_mounts():
        if m.kind == "bind":
            source = host_path(project.root, m.source)
        else:
            source = (volumes or {}).get(m.source) or volume_name(project.name, m.source)
        mounts.append({"type": m.kind, "source": source, "target": m.target, "read_only": m.read_only})
    hc = svc.healthcheck
    env, unset_env = resolved_env(project, svc)
    spec: ContainerSpec = {
        "image": image_id or f"missing:{image_ref}",
        "command": svc.command,
        "entrypoint": svc.entrypoint,
        "env": env,
        "mounts": sorted(mounts, key=lambda m: m["target"]),
        "ports": sorted(str(p) for p in svc.parsed_ports()),
        "workdir": svc.workdir,
        "user": resolve_user(svc.user),
        "healthcheck": None if hc is None else {
            "test": hc.test, "interval": hc.interval, "timeout": hc.timeout,
            "retries": hc.retries, "start_period": hc.start_period},
        "restart": svc.restart,
        "init": svc.init,
        "stop_timeout": svc.stop_timeout,
        "aliases": [name],
    }
    if svc.http is not None:
        spec["http"] = http_spec(project, name, svc)
    if svc.stop_signal:
        spec["stop_signal"] = svc.stop_signal
    if unset_env:
        spec["unset_env"] = unset_env
    return spec


def http_spec(project: Project, name: str, svc: Service) -> HttpSpec:
    """<service>.<project>.localhost, <project>.localhost for the main web service, then the
    manifest's own hosts."""
    from devenv.manifest.model import main_routed

    assert svc.http is not None
    main = main_routed(project.manifest.services)
    hosts = [f"{name}.{project.name}.localhost"] + ([f"{project.name}.localhost"] if main == name else [])
    hosts += [h for h in svc.http.hosts if h not in hosts]
    return {"hosts": hosts, "port": svc.http.port, "paths": list(svc.http.paths), "https": svc.http.https}


def spec_hash(spec: ContainerSpec) -> str:
    return digest(spec)


def provision_hash(project: _HasRoot, svc: _Provisioned) -> str:
    """Covers the provision commands and the content of every file their inputs match.
    Empty when the service has no provision steps."""
    if not svc.provision:
        return ""
    h = hashlib.sha256(canonical_json(svc.provision).encode())
    rules = IgnoreRules.for_root(project.root, keep=svc.provision_inputs)
    for rel in expand(project.root, svc.provision_inputs, rules):
        h.update(rel.encode() + b"\0")
        h.update(hashlib.sha256((project.root / rel).read_bytes()).digest())
    return h.hexdigest()


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """{"env": {"A": "1"}} → {"env.A": "1"}; lists stay whole (they compare as sets below). An
    empty table is no value of its own: emptying `env` reads as `env.A: removed`, not also as
    `env: added {}`."""
    if isinstance(data, dict) and (data or prefix):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else key))
        return out
    return {prefix: data}


def describe_changes(old: Mapping[str, Any], new: Mapping[str, Any], limit: int = 6) -> list[str]:
    """Human reasons such as `env.DEBUG: "0" → "1"` or `ports: +127.0.0.1:8001:8001/tcp`."""
    a, b = flatten(old), flatten(new)
    reasons: list[str] = []
    for key in sorted(set(a) | set(b)):
        va, vb = a.get(key), b.get(key)
        if va == vb:
            continue
        if key == "image":
            reasons.append("image: new image" if va and vb else f"image: {vb}")
        elif isinstance(va, list) and isinstance(vb, list) and key in ("ports", "mounts", "aliases"):
            sa, sb = [canonical_json(x) for x in va], [canonical_json(x) for x in vb]
            diff = [f"+{_item(json.loads(x))}" for x in sb if x not in sa]
            diff += [f"-{_item(json.loads(x))}" for x in sa if x not in sb]
            reasons.append(f"{key}: {', '.join(diff)}")
        elif key not in a:
            reasons.append(f"{key}: added {_short(vb)}")
        elif key not in b:
            reasons.append(f"{key}: removed")
        else:
            reasons.append(f"{key}: {_short(va)} → {_short(vb)}")
    if len(reasons) > limit:
        reasons = [*reasons[:limit], f"and {len(reasons) - limit} more"]
    return reasons


def _item(value: Any) -> str:
    """A list entry as a user would write it: ports without the default address and protocol."""
    if isinstance(value, str):
        return value.removeprefix("127.0.0.1:").removesuffix("/tcp")
    return _short(value)


def _short(value: Any) -> str:
    if isinstance(value, dict) and "target" in value:
        return f"{value['source']}:{value['target']}"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) or value == "" else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "…"
