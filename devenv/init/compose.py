"""`devenv init --from compose.yaml`: a Compose file converted into devenv.toml, key by key.

What the project already says wins over guessing: every Compose key devenv has a twin for is
carried over (build, image, command, entrypoint, ports, volumes, environment, env_file,
depends_on with its conditions, healthcheck, profiles, develop.watch, working_dir, user,
restart, init, stop_grace_period, scale/deploy.replicas); every other key is named in a note,
never dropped silently. Several files merge in order, as `docker compose -f a -f b` does.
Pure: reads the files, returns text and notes; nothing here writes or prints.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from devenv.errors import UsageError
from devenv.init.recipes import toml_key, toml_value

# The names `docker compose` looks for, in its order of preference.
COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
OVERRIDE_NAMES = ("compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml",
                  "docker-compose.override.yml")

# Compose keys with no devenv twin: named in the notes (docs/init.md lists them too).
IGNORED_QUIETLY = {"container_name", "hostname", "networks", "labels", "logging", "expose", "links", "tty",
                   "stdin_open", "platform", "pull_policy"}
CONDITIONS = {"service_started": "started", "service_healthy": "healthy",
              "service_completed_successfully": "completed"}
RESTART = {"no": "no", "always": "always", "unless-stopped": "unless-stopped", "on-failure": "on-failure"}
_NAME_OK = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass
class Converted:
    """The manifest's service tables and what could not be carried over."""

    services: dict[str, dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # compose name → devenv name


def find_compose(directory: Path) -> list[str]:
    """The Compose file `docker compose` would read in this folder, and its override file; else a
    development variant (docker-compose.dev.yml, local.yml…) that holds `services:`."""
    found = next((n for n in COMPOSE_NAMES if (directory / n).is_file()), None)
    if not found:
        variants = sorted(p.name for pattern in ("docker-compose.*.y*ml", "compose.*.y*ml", "local.y*ml")
                          for p in directory.glob(pattern)
                          if not re.search(r"example|sample|prod|override", p.name)
                          and re.search(r"^services:", p.read_text(encoding="utf-8", errors="replace"), re.M))
        dev = [n for n in variants if re.search(r"dev|local", n)]
        return (dev or variants)[:1]
    override = next((n for n in OVERRIDE_NAMES if (directory / n).is_file()), None)
    return [found, override] if override else [found]


def load(paths: list[Path]) -> dict[str, Any]:
    """Read and merge the files (later ones override earlier ones, as with `-f a -f b`)."""
    import yaml

    merged: dict[str, Any] = {}
    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"--from {path}: cannot read it ({exc.strerror})") from None
        except yaml.YAMLError as exc:
            raise UsageError(f"--from {path}: not valid YAML: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("services"), dict):
            raise UsageError(f"--from {path}: not a Compose file (no `services:` mapping)")
        merged = _merge(merged, data)
    return merged


def _merge(base: Any, over: Any, key: str = "") -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        if key in ("environment", "labels"):
            return {**_env_dict(base), **_env_dict(over)}
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base[k], v, k) if k in base else v
        return out
    if key in ("environment",):
        return {**_env_dict(base), **_env_dict(over)}
    if isinstance(base, list) and isinstance(over, list) and key in ("ports", "expose", "env_file", "volumes",
                                                                     "profiles"):
        return base + [item for item in over if item not in base]
    return over


def _env_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return dict(value)
    out: dict[str, Any] = {}
    for item in value or []:
        name, sep, rest = str(item).partition("=")
        out[name] = rest if sep else None
    return out


# -- values ----------------------------------------------------------------------------------------

def interpolation(text: str) -> str:
    """Compose's variable syntax in devenv's: `$VAR` → `${VAR}`, and a bare `${VAR}` (empty
    when unset in Compose, an error in devenv) → `${VAR:-}`. `$$` stays a literal dollar."""
    text = re.sub(r"(?<!\$)((?:\$\$)*)\$([A-Za-z_][A-Za-z0-9_]*)", r"\1${\2}", text)
    return re.sub(r"(?<!\$)((?:\$\$)*)\$\{([A-Za-z_][A-Za-z0-9_]*)\}", r"\1${\2:-}", text)


def _str(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return interpolation(str(value))


def duration(value: Any) -> str | float:
    """Compose durations ("1m30s", "10s", "500ms") are devenv's; "us"/"ns" round to ms."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if re.fullmatch(r"(\d+(\.\d+)?(ms|s|m|h))+", text):
        return text
    micro = re.fullmatch(r"(\d+)(us|ns)", text)
    if micro:
        return f"{max(1, int(micro[1]) // (1000 if micro[2] == 'us' else 1_000_000))}ms"
    return text


class _Converter:
    def __init__(self, data: dict[str, Any], *, base: PurePosixPath, root: Path, compose_dir: Path):
        self.data = data
        self.base = base  # the Compose file's folder, relative to the manifest's
        self.root = root
        self.compose_dir = compose_dir
        self.notes: list[str] = []
        self.renamed = {name: _service_name(name) for name in data["services"]}
        self.host_ports: set[tuple[str, str]] = set()

    def note(self, service: str, text: str) -> None:
        self.notes.append(f"{service}: {text}")

    def path(self, value: str) -> str:
        """A host path of the Compose file, relative to the manifest's folder."""
        text = _str(value)
        if text.startswith(("/", "~", "$")):
            return text
        joined = posixpath.normpath((self.base / text).as_posix())
        return joined if joined == "." or joined.startswith("..") else "./" + joined

    def service(self, name: str, svc: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        handled = {"image", "build", "command", "entrypoint", "working_dir", "user", "environment", "env_file",
                   "ports", "volumes", "depends_on", "healthcheck", "profiles", "develop", "restart", "init",
                   "stop_grace_period", "scale", "deploy"}
        if "image" in svc:
            out["image"] = _str(svc["image"])
        if "build" in svc:
            out["build"] = self.build(name, svc["build"])
        if "command" in svc and svc["command"] is not None:
            out["command"] = _command(svc["command"])
        if "entrypoint" in svc and svc["entrypoint"] is not None:
            out["entrypoint"] = _command(svc["entrypoint"])
        if "working_dir" in svc:
            out["workdir"] = _str(svc["working_dir"])
        if "user" in svc:
            out["user"] = _str(svc["user"])
        if "env_file" in svc:
            files = self.env_files(name, svc["env_file"])
            if files:
                out["env_file"] = files
        if svc.get("environment"):
            out["env"] = {str(k): (f"${{{k}:-}}" if v is None else _str(v))
                          for k, v in _env_dict(svc["environment"]).items()}
        if svc.get("ports"):
            out["ports"] = [p for item in svc["ports"] for p in self.port(name, item)]
        if svc.get("volumes"):
            out["mounts"] = [m for item in svc["volumes"] for m in self.volume(name, item)]
        if svc.get("depends_on"):
            out["depends_on"] = self.depends_on(name, svc["depends_on"])
        if "healthcheck" in svc:
            check = self.healthcheck(name, svc["healthcheck"] or {})
            if check:
                out["healthcheck"] = check
        if svc.get("profiles"):
            out["profiles"] = [str(p) for p in svc["profiles"]]
        if "restart" in svc:
            policy = str(svc["restart"]).split(":", 1)[0]
            if policy in RESTART:
                out["restart"] = RESTART[policy]
            else:
                self.note(name, f"restart {svc['restart']!r} is not a restart policy devenv knows; left out")
        if "init" in svc:
            out["init"] = bool(svc["init"])
        if "stop_grace_period" in svc:
            out["stop_timeout"] = duration(svc["stop_grace_period"])
        replicas = svc.get("scale", (svc.get("deploy") or {}).get("replicas"))
        if isinstance(replicas, int):
            out["scale"] = replicas
        for key in sorted(set(svc.get("deploy") or {}) - {"replicas"}):
            self.note(name, f"deploy.{key} is not carried over (devenv runs one engine, no orchestrator)")
        watch = (svc.get("develop") or {}).get("watch") or []
        rules = [rule for item in watch for rule in self.watch(name, item)]
        if rules:
            out["watch"] = rules
        for key in sorted(set(svc) - handled):
            if key.startswith("x-"):
                continue
            quiet = " (devenv puts every service on one project network, reachable by its name)" \
                if key in ("networks", "links", "expose", "hostname") else ""
            self.note(name, f"{key} is not supported by devenv; left out{quiet}")
        if "image" not in out and "build" not in out:
            raise UsageError(f"--from: service {name!r} has neither image nor build",
                             hint="Compose needs one too (or an `extends`, which devenv does not follow)")
        return out

    def build(self, name: str, value: Any) -> Any:
        if isinstance(value, str):
            return self.path(value)
        out: dict[str, Any] = {"context": self.path(value.get("context", "."))}
        if "dockerfile" in value:
            out["dockerfile"] = _str(value["dockerfile"])
        if value.get("args"):
            out["args"] = {str(k): (f"${{{k}:-}}" if v is None else _str(v))
                           for k, v in _env_dict(value["args"]).items()}
        if "target" in value:
            out["target"] = _str(value["target"])
        for key in sorted(set(value) - {"context", "dockerfile", "args", "target"}):
            self.note(name, f"build.{key} is not supported by devenv; left out")
        return out

    def env_files(self, name: str, value: Any) -> list[str]:
        items = value if isinstance(value, list) else [value]
        files = []
        for item in items:
            path = item.get("path") if isinstance(item, dict) else item
            required = item.get("required", True) if isinstance(item, dict) else True
            rel = self.path(str(path))
            if not required and not (self.root / rel).exists():
                self.note(name, f"env_file {rel} is optional and absent; left out (devenv needs it to exist)")
                continue
            files.append(rel)
        return files

    def port(self, name: str, item: Any) -> list[str]:
        if isinstance(item, dict):
            text = str(item.get("target", ""))
            if item.get("published") is not None:
                text = f"{item['published']}:{text}"
                if item.get("host_ip"):
                    text = f"{item['host_ip']}:{text}"
            if item.get("protocol") in ("udp",):
                text += "/udp"
        else:
            text = _str(item)
        if "-" in text.split("/")[0]:
            self.note(name, f"port range {text!r} is not supported; left out")
            return []
        parts = text.split(":")
        if len(parts) >= 2 and parts[-2].isdigit():
            # Two services publishing one host port cannot both start: the second moves on.
            ip, host = ":".join(parts[:-2]) or "127.0.0.1", int(parts[-2])
            wanted = host
            while (ip, str(host)) in self.host_ports:
                host += 1
            if host != wanted:
                self.note(name, f"host port {wanted} is published by another service: {host} instead")
                parts[-2] = str(host)
                text = ":".join(parts)
            self.host_ports.add((ip, str(host)))
        if parts[0] in ("0.0.0.0", "::"):
            self.note(name, f"port {text!r} binds every address; devenv keeps it as written")
        return [text]

    def volume(self, name: str, item: Any) -> list[str]:
        if isinstance(item, dict):
            kind = item.get("type", "volume")
            target = str(item.get("target", ""))
            if kind not in ("bind", "volume"):
                self.note(name, f"volume of type {kind} at {target} is not supported; left out")
                return []
            source = item.get("source")
            if not source:
                self.note(name, f"anonymous volume at {target}: devenv has none; left out")
                return []
            source = self.path(source) if kind == "bind" else _str(source)
            read_only = item.get("read_only", False)
        else:
            parts = _str(item).split(":")
            if len(parts) == 1:
                self.note(name, f"anonymous volume at {parts[0]}: devenv has none; left out")
                return []
            source, target = parts[0], parts[1]
            read_only = len(parts) > 2 and "ro" in parts[2].split(",")
            if source.startswith((".", "/", "~", "$")):
                source = self.path(source)
        if not source.startswith((".", "/", "~", "$")) and not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", source):
            self.note(name, f"volume {source!r} is not a name devenv accepts; left out")
            return []
        return [f"{source}:{target}" + (":ro" if read_only else "")]

    def depends_on(self, name: str, value: Any) -> dict[str, str]:
        out: dict[str, str] = {}
        items = value.items() if isinstance(value, dict) else ((v, {}) for v in value)
        for dep, spec in items:
            spec = spec or {}
            condition = CONDITIONS.get(spec.get("condition", "service_started"))
            if condition is None:
                self.note(name, f"depends_on {dep}: condition {spec.get('condition')!r} unknown; taken as started")
                condition = "started"
            if spec.get("restart"):
                self.note(name, f"depends_on {dep}: restart: true is not supported (devenv restarts only "
                                "what changed)")
            if spec.get("required") is False:
                self.note(name, f"depends_on {dep}: required: false is not supported; the dependency is required")
            out[self.renamed.get(dep, _service_name(dep))] = condition
        return out

    def healthcheck(self, name: str, value: dict[str, Any]) -> dict[str, Any] | None:
        test = value.get("test")
        if value.get("disable") or test is None or (isinstance(test, list) and test[:1] == ["NONE"]):
            return None
        if isinstance(test, list):
            kind, rest = (test[0], test[1:]) if test and test[0] in ("CMD", "CMD-SHELL") else ("CMD", test)
            check: Any = " ".join(map(_str, rest)) if kind == "CMD-SHELL" else [_str(t) for t in rest]
        else:
            check = _str(test)
        out: dict[str, Any] = {"test": check}
        for key in ("interval", "timeout", "start_period"):
            if key in value:
                out[key] = duration(value[key])
        if "retries" in value:
            out["retries"] = int(value["retries"])
        if "start_interval" in value:
            self.note(name, "healthcheck.start_interval is not supported; the interval applies from the start")
        return out

    def watch(self, name: str, item: dict[str, Any]) -> list[dict[str, Any]]:
        path = str(item.get("path", "")).rstrip("/")
        rel = self.path(path)
        glob_base = rel[2:] if rel.startswith("./") else rel
        prefix = "" if glob_base == "." else glob_base + "/"
        is_file = (self.root / glob_base).is_file()
        paths = [glob_base if is_file else f"{prefix}**"]
        ignore = []
        for pattern in item.get("ignore") or []:
            # Compose's ignore patterns are relative to the rule's path.
            pattern = str(pattern).rstrip("/")
            ignore += [f"{prefix}{pattern}", f"{prefix}{pattern}/**"]
        common: dict[str, Any] = {"paths": paths}
        if ignore:
            common["ignore"] = ignore
        action = str(item.get("action", ""))
        target = item.get("target")
        rules: list[dict[str, Any]] = []
        if action.startswith("sync"):
            if not target:
                self.note(name, f"watch {path}: {action} without a target; left out")
                return []
            rules.append({**common, "action": "sync", "target": str(target)})
            if action == "sync+restart":
                rules.append({**common, "action": "restart"})
            elif action == "sync+exec":
                command = (item.get("exec") or {}).get("command")
                if command:
                    rules.append({**common, "action": "exec", "exec": _command(command)})
        elif action == "rebuild":
            rules.append({**common, "action": "rebuild"})
        elif action == "restart":
            rules.append({**common, "action": "restart"})
        else:
            self.note(name, f"watch {path}: action {action!r} unknown; left out")
        if item.get("initial_sync"):
            self.note(name, f"watch {path}: initial_sync is not supported (devenv syncs on change)")
        return rules


def _command(value: Any) -> Any:
    return [_str(v) for v in value] if isinstance(value, list) else _str(value)


def _service_name(name: str) -> str:
    lowered = re.sub(r"[^a-z0-9_-]+", "-", str(name).lower()).strip("-") or "service"
    return lowered if _NAME_OK.match(lowered) else f"s-{lowered}"


def convert(paths: list[Path], *, root: Path) -> Converted:
    """The services of the merged Compose files as devenv service tables (plain dicts)."""
    data = load(paths)
    compose_dir = paths[0].parent.resolve()
    try:
        base = PurePosixPath(compose_dir.relative_to(root.resolve()).as_posix())
    except ValueError:
        raise UsageError(f"--from {paths[0]}: the Compose file must be inside {root}",
                         hint="run init in the project's folder (-C DIR)") from None
    conv = _Converter(data, base=base, root=root, compose_dir=compose_dir)
    services: dict[str, dict[str, Any]] = {}
    for name, svc in data["services"].items():
        if not isinstance(svc, dict):
            raise UsageError(f"--from: service {name!r} is not a mapping")
        new = conv.renamed[name]
        if new != name:
            conv.note(new, f"renamed from {name!r} (devenv service names are lowercase letters, digits, - and _)")
        if svc.get("extends"):
            conv.note(new, "extends is not followed; copy the keys it brings in")
        services[new] = conv.service(new, svc)
    for key in sorted(set(data) - {"services", "volumes", "name", "version"}):
        if not key.startswith("x-"):
            conv.notes.append(f"top-level {key} is not supported by devenv; left out")
    for volume, spec in (data.get("volumes") or {}).items():
        if isinstance(spec, dict) and (spec.get("external") or spec.get("driver") or spec.get("driver_opts")):
            conv.notes.append(f"volume {volume}: external/driver options are not supported; devenv makes "
                              "a plain named volume of the project")
    return Converted(services=services, notes=conv.notes, renamed={k: v for k, v in conv.renamed.items() if k != v})


def render(converted: Converted, *, header: str, sources: list[str]) -> str:
    """The manifest text: one [services.NAME] table per service, sub-tables for healthcheck,
    env and watch rules, in the Compose file's order."""
    lines = [header.rstrip("\n"), ""]
    lines.append(f"# Converted from {', '.join(sources)} by `devenv init --from`.")
    for note in converted.notes:
        lines.append(f"# not carried over: {note}")
    for name, svc in converted.services.items():
        lines.append("")
        lines.append(f"[services.{toml_key(name)}]")
        tables = {k: svc[k] for k in ("env", "healthcheck") if k in svc}
        for key, value in svc.items():
            if key in tables or key == "watch":
                continue
            lines.append(f"{key} = {toml_value(value)}")
        for key, value in tables.items():
            lines.append("")
            lines.append(f"[services.{toml_key(name)}.{key}]")
            lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()]
        for rule in svc.get("watch", []):
            lines.append("")
            lines.append(f"[[services.{toml_key(name)}.watch]]")
            lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in rule.items()]
    return "\n".join(lines) + "\n"
