"""Reading Compose files for `devenv init --from`: each file parsed and interpolated, merged in
order as `docker compose -f a -f b` merges them (`!reset`, `!override`, lists by key or by
container path), `include` and `extends` followed with their paths rebased, and every value's
type checked so that a wrong one is one clear error. The result is plain data for the converter
(devenv/init/compose.py). Pure: reads files, writes and prints nothing.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from devenv.core.textfiles import read_text
from devenv.errors import UsageError
from devenv.init.compose_yaml import Override, Reset, parse

# The names `docker compose` looks for, in its order of preference.
COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
OVERRIDE_NAMES = ("compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml",
                  "docker-compose.override.yml")
REMOTE_CONTEXT = re.compile(r"^([a-z][a-z0-9+.-]*://|git@|github\.com/)")  # a build context devenv cannot send


def find_compose(directory: Path) -> list[str]:
    """The Compose file `docker compose` would read in this folder, and its override file; else a
    development variant (docker-compose.dev.yml, local.yml…) that holds `services:`."""
    found = next((n for n in COMPOSE_NAMES if (directory / n).is_file()), None)
    variants = sorted(p.name for pattern in ("docker-compose.*.y*ml", "compose.*.y*ml", "local.y*ml")
                      for p in directory.glob(pattern)
                      if not re.search(r"example|sample|prod|override", p.name)
                      and re.search(r"^services:", _text(p), re.M))
    dev = [n for n in variants if re.search(r"dev|local", n)]
    if not found:
        return (dev or variants)[:1]
    override = next((n for n in OVERRIDE_NAMES if (directory / n).is_file()), None)
    default = [found, override] if override else [found]
    # A default file that only runs released images (`image: org/app:latest`) beside a development
    # one that builds the source: the development one is the project's way to work on it.
    if dev and not any(_builds(directory / n) for n in default) and _builds(directory / dev[0]):
        return dev[:1]
    return default


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _builds(path: Path) -> bool:
    return re.search(r"^\s+build:", _text(path), re.M) is not None


def load(paths: list[Path], notes: list[str] | None = None) -> dict[str, Any]:
    """Read and merge the files (later ones override earlier ones, as with `-f a -f b`), with
    their `include`s, then resolve `extends`. Every relative path ends up relative to the first
    file's folder, as Compose resolves them."""
    notes = [] if notes is None else notes
    main = paths[0].parent
    merged: dict[str, Any] = {}
    for path in paths:
        merged = _merge(merged, _included(_read(path), path, main, [path], notes))
    merged = _plain(merged)
    _check_shapes(merged)
    services = merged["services"]
    merged["services"] = {name: _extended(name, services, main, []) for name in services}
    return merged


# The types Compose's schema allows where the converter reads a key (None: the key is unset).
_SHAPES: dict[str, tuple[type, ...]] = {
    "image": (str,), "build": (str, dict), "command": (str, list), "entrypoint": (str, list),
    "working_dir": (str,), "user": (str, int), "environment": (dict, list), "env_file": (str, list),
    "ports": (list,), "volumes": (list,), "depends_on": (dict, list), "healthcheck": (dict,),
    "profiles": (list,), "develop": (dict,), "restart": (str,), "init": (bool, str), "scale": (int,),
    "stop_grace_period": (str, int, float), "stop_signal": (str,), "deploy": (dict,), "secrets": (list,),
    "configs": (list,), "links": (list,), "extends": (str, dict)}
_ITEMS: dict[str, tuple[type, ...]] = {
    "ports": (str, int, dict), "volumes": (str, dict), "secrets": (str, dict), "configs": (str, dict),
    "links": (str,), "profiles": (str,), "env_file": (str, dict), "depends_on": (str,)}


def _check_shapes(data: dict[str, Any]) -> None:
    """A value of the wrong type is one clear error (Compose refuses it too), not a crash later."""
    def fail(where: str, value: Any, allowed: tuple[type, ...]) -> None:
        names = {str: "a string", int: "a number", float: "a number", bool: "true/false", list: "a list",
                 dict: "a mapping", type(None): "nothing"}
        kinds = " or ".join(dict.fromkeys(names[t] for t in allowed))
        # as the YAML spells it: `command: true` is "true", not Python's True
        shown = "true" if value is True else "false" if value is False else repr(value)
        raise UsageError(f"--from: {where} is {shown}, where Compose expects {kinds}")

    for key in ("secrets", "configs", "volumes", "networks"):
        if data.get(key) is not None and not isinstance(data[key], dict):
            fail(f"top-level {key}", data[key], (dict,))
    for name, svc in data["services"].items():
        if not isinstance(svc, dict):
            raise UsageError(f"--from: service {name!r} is not a mapping")
        for key, allowed in _SHAPES.items():
            value = svc.get(key)
            if value is None:
                continue
            if not isinstance(value, allowed) or (bool not in allowed and isinstance(value, bool)):
                fail(f"service {name!r}: {key}", value, allowed)
            item_types: tuple[type, ...]
            if key == "depends_on" and isinstance(value, dict):
                items, item_types = list(value.values()), (dict, type(None))
            else:
                items, item_types = (value if isinstance(value, list) else []), _ITEMS.get(key, (object,))
            for item in items:
                if not isinstance(item, item_types) or isinstance(item, bool):
                    fail(f"service {name!r}: an entry of {key}", item, item_types)
        for key, inner in (("deploy", "replicas"), ("develop", "watch")):
            value = (svc.get(key) or {}).get(inner)
            wanted: tuple[type, ...] = (int,) if inner == "replicas" else (list,)
            if value is not None and (not isinstance(value, wanted) or isinstance(value, bool)):
                fail(f"service {name!r}: {key}.{inner}", value, wanted)
            if inner == "watch" and any(not isinstance(rule, dict) for rule in value or []):
                fail(f"service {name!r}: an entry of develop.watch", value, (dict,))


def _read(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = parse(read_text(path), path)  # bad bytes are named with their line
    except OSError as exc:
        raise UsageError(f"--from {path}: cannot read it ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise UsageError(f"--from {path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("services", {}), dict) or (
            "services" not in data and "include" not in data):
        raise UsageError(f"--from {path}: not a Compose file (no `services:` mapping)")
    data.setdefault("services", {})
    return _interpolated(data, path)


def _interpolated(value: Any, path: Path) -> Any:
    """Compose interpolates every value of each file before merging; so does the converter."""
    if isinstance(value, str):
        return interpolation(value)
    if isinstance(value, dict):
        return {k: _interpolated(v, path) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolated(v, path) for v in value]
    if isinstance(value, Override):
        return Override(_interpolated(value.value, path))
    return value


def _plain(value: Any) -> Any:
    """The merged tree without !reset / !override markers (a lone file can carry them too)."""
    if isinstance(value, Override):
        return _plain(value.value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not isinstance(v, Reset)}
    if isinstance(value, list):
        return [_plain(v) for v in value if not isinstance(v, Reset)]
    return value


def _included(data: dict[str, Any], path: Path, main: Path, chain: list[Path], notes: list[str]) -> dict[str, Any]:
    """`include:` brings in other Compose files' services (their paths stay relative to their own
    folder); a service defined twice is an error, as in Compose."""
    items = data.pop("include", None) or []
    for item in items if isinstance(items, list) else [items]:
        spec = {"path": item} if isinstance(item, str) else item if isinstance(item, dict) else {}
        for key in sorted(set(spec) - {"path"}):
            notes.append(f"include {spec.get('path')}: {key} is not supported; left out")
        files = spec.get("path") or []
        for rel in files if isinstance(files, list) else [files]:
            file = (path.parent / str(rel)).resolve()
            if file in chain:
                raise UsageError(f"--from {path}: include {rel} includes itself")
            if not file.is_file():
                raise UsageError(f"--from {path}: include {rel}: no such file")
            inc = _included(_read(file), file, main, [*chain, file], notes)
            prefix = Path(posixpath.relpath(file.parent, main.resolve())).as_posix()
            for name, svc in inc["services"].items():
                if name in data["services"]:
                    raise UsageError(f"--from {path}: service {name!r} is defined both here and in {rel}",
                                     hint="Compose refuses this too; rename one of them")
                data["services"][name] = _rebase(svc, prefix) if isinstance(svc, dict) else svc
            for key in ("volumes", "secrets", "configs", "networks"):
                if isinstance(inc.get(key), dict):
                    rebased = {n: {**s, "file": _join(prefix, s["file"])} if isinstance(s, dict) and "file" in s
                               else s for n, s in inc[key].items()}
                    data[key] = {**rebased, **(data.get(key) or {})}
    return data


def _extended(name: str, services: dict[str, Any], main: Path, chain: list[str]) -> Any:
    """The service with its `extends` applied: the base service (of this file, or of `file`,
    whose relative paths are rebased) merged under the service's own keys."""
    svc = services[name]
    ext = svc.get("extends") if isinstance(svc, dict) else None
    if not ext:
        return svc
    spec = {"service": ext} if isinstance(ext, str) else ext
    base_name = str(spec.get("service", ""))
    where = f"service {name!r}: extends {base_name!r}"
    key = f"{spec.get('file') or ''}#{base_name}"
    if key in chain:
        raise UsageError(f"--from: {where} is circular", hint="Compose refuses this too")
    if spec.get("file"):
        file = main / str(spec["file"])
        if not file.is_file():
            raise UsageError(f"--from: {where}: no such file {spec['file']}")
        pool = _read(file)["services"]
        prefix = Path(posixpath.relpath(file.parent.resolve(), main.resolve())).as_posix()
        pool = {n: _rebase(s, prefix) if isinstance(s, dict) else s for n, s in pool.items()}
    else:
        pool = services
    if not isinstance(pool.get(base_name), dict):
        raise UsageError(f"--from: {where}, which is not defined" + (f" in {spec['file']}" if spec.get("file") else ""))
    base = _extended(base_name, pool, main, [*chain, key])
    own = {k: v for k, v in svc.items() if k != "extends"}
    return _plain(_merge({k: v for k, v in base.items() if k != "extends"}, own))


def _join(prefix: str, text: str) -> str:
    """A relative path of a file in folder `prefix` (relative to the main file's), rebased."""
    if prefix in ("", ".") or text.startswith(("/", "~", "$")) or REMOTE_CONTEXT.match(text):
        return text
    joined = posixpath.normpath(posixpath.join(prefix, text))
    return joined if joined == "." or joined.startswith("..") else "./" + joined


def _rebase(svc: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A service of a file in another folder, its relative paths made relative to the main file's."""
    out = dict(svc)
    build = out.get("build")
    if isinstance(build, str):
        out["build"] = _join(prefix, build)
    elif isinstance(build, dict):
        out["build"] = {**build, "context": _join(prefix, str(build.get("context", ".")))}
    if "env_file" in out:
        files = out["env_file"] if isinstance(out["env_file"], list) else [out["env_file"]]
        out["env_file"] = [{**f, "path": _join(prefix, str(f.get("path")))} if isinstance(f, dict)
                           else _join(prefix, str(f)) for f in files]
    volumes = []
    for item in out.get("volumes") or []:
        if isinstance(item, dict) and item.get("type") == "bind" and item.get("source"):
            item = {**item, "source": _join(prefix, str(item["source"]))}
        elif isinstance(item, str) and item.startswith("."):
            source, _, rest = item.partition(":")
            item = f"{_join(prefix, source)}:{rest}"
        volumes.append(item)
    if volumes:
        out["volumes"] = volumes
    develop = out.get("develop")
    if isinstance(develop, dict) and isinstance(develop.get("watch"), list):
        out["develop"] = {**develop, "watch": [{**w, "path": _join(prefix, str(w.get("path", ".")))}
                                               if isinstance(w, dict) else w for w in develop["watch"]]}
    ext = out.get("extends")
    if isinstance(ext, dict) and ext.get("file"):
        out["extends"] = {**ext, "file": _join(prefix, str(ext["file"]))}
    return out


# Lists that a later file replaces rather than extends (Compose's merge rules).
_REPLACED = {"command", "entrypoint", "test"}
# Lists merged as mappings, by entry name or by the container path they mount.
_AS_MAPPING = {"environment", "labels", "args", "extra_hosts", "sysctls", "annotations"}


def _merge(base: Any, over: Any, key: str = "") -> Any:
    if isinstance(over, Override):
        return over.value
    if isinstance(over, Reset):
        return over
    if key in _AS_MAPPING and isinstance(base, (dict, list)) and isinstance(over, (dict, list)):
        return {**env_dict(base), **env_dict(over)}
    if key == "depends_on" and isinstance(base, (dict, list)) and isinstance(over, (dict, list)):
        return {**deps_dict(base), **deps_dict(over)}
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base[k], v, k) if k in base else v
        return {k: v for k, v in out.items() if not isinstance(v, Reset)}
    if isinstance(base, list) and isinstance(over, list) and key not in _REPLACED:
        if key in ("volumes", "secrets", "configs"):
            # Unique by the container path: a later entry for the same path replaces the earlier.
            targets = {_target(key, item) for item in over}
            return [item for item in base if _target(key, item) not in targets] + over
        return base + [item for item in over if item not in base or key in ("env_file",)]
    return over


def _target(key: str, item: Any) -> str:
    if isinstance(item, dict):
        name = str(item.get("source", ""))
        return str(item.get("target") or name)
    if key == "volumes":
        parts = split_colons(str(item))
        return parts[1] if len(parts) > 1 else parts[0]
    return str(item)


def env_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return dict(value)
    out: dict[str, Any] = {}
    for item in value or []:
        name, sep, rest = str(item).partition("=")
        out[name] = rest if sep else None
    return out


def deps_dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {str(v): {"condition": "service_started"} for v in value}


# -- values ----------------------------------------------------------------------------------------

def interpolation(text: str) -> str:
    """Compose's variable syntax in devenv's: `$VAR` → `${VAR}`, and a bare `${VAR}` (empty
    when unset in Compose, an error in devenv) → `${VAR:-}`. `$$` stays a literal dollar."""
    text = re.sub(r"(?<!\$)((?:\$\$)*)\$([A-Za-z_][A-Za-z0-9_]*)", r"\1${\2}", text)
    return re.sub(r"(?<!\$)((?:\$\$)*)\$\{([A-Za-z_][A-Za-z0-9_]*)\}", r"\1${\2:-}", text)


def no_default(text: str) -> list[str]:
    """The variables of a converted value that have no default, or an empty one (`${X:-}`,
    `${X:?message}`): only the environment gives them a value."""
    found = re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-\}|\}|:?\?)", text.replace("$$", ""))
    return list(dict.fromkeys(found))


def split_colons(text: str) -> list[str]:
    """`a:b:c` split at the colons that are not inside ${...} or [...] (an IPv6 address)."""
    parts, depth, current = [], 0, ""
    for index, char in enumerate(text):
        if char in "[" or text.startswith("${", index):
            depth += 1
        elif char in "]}" and depth:
            depth -= 1
        if char == ":" and not depth:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]
