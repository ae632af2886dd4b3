"""`devenv init --from compose.yaml`: a Compose file converted into devenv.toml, key by key.

What the project already says wins over guessing: every Compose key devenv has a twin for is
carried over (build, image, command, entrypoint, ports, volumes, environment, env_file,
depends_on with its conditions, healthcheck, profiles, develop.watch, working_dir, user,
restart, init, stop_grace_period, scale/deploy.replicas, links as depends_on, file-backed
secrets and configs as the read-only mounts Compose makes of them); every other key is named in
a note, never dropped silently. Several files merge in order, as `docker compose -f a -f b` does
(with `!reset` / `!override`); `include` and `extends` are followed (reading and merging: compose_load.py).
Pure: reads the files, returns text and notes; nothing here writes or prints.
"""

from __future__ import annotations

import ipaddress
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from devenv.errors import UsageError
from devenv.init.compose_load import REMOTE_CONTEXT, deps_dict, env_dict, interpolation, load, split_colons
from devenv.init.recipes import toml_key, toml_value

# Compose keys with no devenv twin: named in the notes (docs/init.md lists them too).
IGNORED_QUIETLY = {"container_name", "hostname", "networks", "labels", "logging", "expose", "links", "tty",
                   "stdin_open", "platform", "pull_policy"}
CONDITIONS = {"service_started": "started", "service_healthy": "healthy",
              "service_completed_successfully": "completed"}
RESTART = {"no": "no", "always": "always", "unless-stopped": "unless-stopped", "on-failure": "on-failure"}
_NAME_OK = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_VOLUME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_MAX_RANGE = 100  # ports a range may expand to before it is left out


@dataclass
class Converted:
    """The manifest's service tables and what could not be carried over."""

    services: dict[str, dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # compose name → devenv name


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
        self.bound: list[Any] = []  # host ports published so far (devenv.manifest.model.Port)

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
                   "stop_grace_period", "scale", "deploy", "secrets", "configs", "links"}
        if "image" in svc:
            out["image"] = _str(svc["image"])
        if svc.get("build") is not None:
            build = self.build(name, svc["build"])
            if build is not None:
                out["build"] = build
            elif "image" not in out:
                raise UsageError(f"--from: service {name!r} builds from {svc['build']!r}, which devenv cannot "
                                 "build from", hint="build that image first and give the service its `image:`")
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
                          for k, v in env_dict(svc["environment"]).items()}
        replicas = svc.get("scale", (svc.get("deploy") or {}).get("replicas"))
        scale = replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else 1
        ports = [p for item in svc.get("ports") or [] for p in self.port(name, item, scale)]
        if ports:
            out["ports"] = ports
        mounts = [m for item in svc.get("volumes") or [] for m in self.volume(name, item)]
        mounts += self.granted(name, "secrets", svc.get("secrets")) + self.granted(name, "configs", svc.get("configs"))
        if mounts:
            out["mounts"] = mounts
        depends = self.depends_on(name, svc.get("depends_on") or {}, svc.get("links") or [])
        if depends:
            out["depends_on"] = depends
        if "healthcheck" in svc:
            check = self.healthcheck(name, svc["healthcheck"] or {})
            if check:
                out["healthcheck"] = check
        if svc.get("profiles"):
            out["profiles"] = [str(p) for p in svc["profiles"]]
        if "restart" in svc:
            policy, _, retries = str(svc["restart"]).partition(":")
            if policy in RESTART:
                out["restart"] = RESTART[policy]
                if retries:
                    self.note(name, f"restart {svc['restart']}: the retry limit is not supported; it retries "
                                    "without one")
            else:
                self.note(name, f"restart {svc['restart']!r} is not a restart policy devenv knows; left out")
        if "init" in svc:
            out["init"] = bool(svc["init"])
        if "stop_grace_period" in svc:
            out["stop_timeout"] = duration(svc["stop_grace_period"])
        if replicas is not None:
            out["scale"] = scale
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
                if key in ("networks", "expose", "hostname") else ""
            self.note(name, f"{key} is not supported by devenv; left out{quiet}")
        if "image" not in out and "build" not in out:
            raise UsageError(f"--from: service {name!r} has neither image nor build",
                             hint="Compose needs one too (directly or through `extends`)")
        return out

    def build(self, name: str, value: Any) -> Any:
        spec = {"context": value} if isinstance(value, str) else value if isinstance(value, dict) else {}
        context = _str(spec.get("context", "."))
        if REMOTE_CONTEXT.match(context):
            self.note(name, f"build context {context} is a remote repository, which devenv cannot build from; "
                            "left out")
            return None
        if context.startswith("~"):
            # devenv reads a context relative to the project; Compose expands ~ (and warns).
            self.note(name, f"build context {context} is outside the project: written as this machine's path")
            context = os.path.expanduser(context)
        if isinstance(value, str):
            return self.path(context)
        out: dict[str, Any] = {"context": self.path(context)}
        if "dockerfile" in value:
            out["dockerfile"] = _str(value["dockerfile"])
        if value.get("args"):
            out["args"] = {str(k): (f"${{{k}:-}}" if v is None else _str(v))
                           for k, v in env_dict(value["args"]).items()}
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
            for key in sorted(set(item) - {"path", "required"} if isinstance(item, dict) else ()):
                self.note(name, f"env_file {rel}: {key} is not supported; devenv reads it as a plain .env file")
            if not required and not (self.root / rel).exists():
                self.note(name, f"env_file {rel} is optional and absent; left out (devenv needs it to exist)")
                continue
            files.append(rel)
        return files

    def port(self, name: str, item: Any, scale: int) -> list[str]:
        """A `ports` entry (short or long syntax; ranges expanded) in devenv's spelling."""
        if isinstance(item, dict):
            extra = sorted(set(item) - {"target", "published", "host_ip", "protocol"})
            if extra:
                self.note(name, f"port {item.get('target')}: {', '.join(extra)} not supported; left out")
            ip, host, container = (_str(item.get(k) or "") for k in ("host_ip", "published", "target"))
            proto = str(item.get("protocol") or "tcp")
            shown = f"{host}:{container}" if host else container
        else:
            shown = _str(item)
            body, _, proto = shown.partition("/")
            parts = split_colons(body)
            container, host, ip = parts[-1], (parts[-2] if len(parts) > 1 else ""), ":".join(parts[:-2])
            proto = proto or "tcp"
        ip = ip.strip("[]")
        if "$" in ip + host + container:
            return [shown]  # only known once devenv interpolates it
        hosts, containers = _port_range(host), _port_range(container)
        if proto not in ("tcp", "udp") or hosts is None or not containers:
            self.note(name, f"port {shown!r} is not a port mapping devenv supports; left out")
            return []
        if len(hosts) > 1 and len(containers) == 1:
            self.note(name, f"port {shown!r}: a host port range is not supported; the engine picks a free "
                            "host port")
            hosts = [""]
        if (hosts != [""] and len(hosts) != len(containers)) or len(containers) > _MAX_RANGE:
            self.note(name, f"port range {shown!r} is not supported; left out")
            return []
        if hosts != [""] and scale > 1:
            self.note(name, f"port {shown!r}: a fixed host port cannot serve {scale} replicas; the engine "
                            "picks one per replica")
            hosts = [""]
        try:
            ipaddress.ip_address(ip or "127.0.0.1")
        except ValueError:
            self.note(name, f"port {shown!r}: {ip} is not an IP address; left out")
            return []
        hosts = hosts * len(containers) if hosts == [""] else hosts
        texts = [_port_text(ip, self.free(name, ip, h, proto) if h else "", c, proto)
                 for h, c in zip(hosts, containers, strict=True)]
        if ip in ("0.0.0.0", "::"):
            self.note(name, f"port {shown!r} binds every address; devenv keeps it as written")
        return texts

    def free(self, name: str, ip: str, host: str, proto: str) -> str:
        """The host port, or the next one no other binding holds: two services publishing one
        host port cannot both start, so the second moves on."""
        from devenv.manifest.model import Port, ports_overlap

        wanted = number = int(host)

        def port(number: int) -> Port:
            return Port(host_ip=ip or "127.0.0.1", host_port=number, container_port=1,
                        protocol="udp" if proto == "udp" else "tcp")

        while any(ports_overlap(port(number), other) for other in self.bound) and number < 65535:
            number += 1
        if number != wanted:
            self.note(name, f"host port {wanted}/{proto} is already published: {number} instead")
        self.bound.append(port(number))
        return str(number)

    def volume(self, name: str, item: Any) -> list[str]:
        if isinstance(item, dict):
            kind = item.get("type", "volume")
            target = _str(item.get("target", ""))
            if kind not in ("bind", "volume"):
                self.note(name, f"volume of type {kind} at {target} is not supported; left out")
                return []
            source = item.get("source")
            if not source:
                self.note(name, f"anonymous volume at {target}: devenv has none; left out")
                return []
            extra = [f"{key}.{k}" if isinstance(item[key], dict) else key
                     for key in sorted(set(item) - {"type", "source", "target", "read_only"})
                     for k in (item[key] if isinstance(item[key], dict) and item[key] else [""])]
            if extra:
                self.note(name, f"volume {target}: {', '.join(e.rstrip('.') for e in extra)} not supported; left out")
            source = self.path(source) if kind == "bind" else _str(source)
            read_only = bool(item.get("read_only", False))
        else:
            parts = split_colons(_str(item))
            if len(parts) == 1:
                self.note(name, f"anonymous volume at {parts[0]}: devenv has none; left out")
                return []
            source, target = parts[0], parts[1]
            options = ",".join(parts[2:]).split(",") if len(parts) > 2 else []
            read_only = "ro" in options
            other = [o for o in options if o not in ("ro", "rw", "")]
            if other:
                self.note(name, f"volume {target}: option {','.join(other)} not supported; left out")
            if source.startswith((".", "/", "~", "$")):
                source = self.path(source)
        if not source.startswith((".", "/", "~", "$")) and not _VOLUME_NAME.match(source):
            self.note(name, f"volume {source!r} is not a name devenv accepts; left out")
            return []
        return [f"{source}:{target}" + (":ro" if read_only else "")]

    def granted(self, name: str, kind: str, items: Any) -> list[str]:
        """`secrets` / `configs` backed by a file: Compose bind-mounts that file read-only (at
        /run/secrets/NAME, or /NAME for a config), and so does devenv."""
        found = []
        for item in items or []:
            spec = item if isinstance(item, dict) else {"source": item}
            source = str(spec.get("source", ""))
            target = _str(spec.get("target") or source)
            if not target.startswith("/"):
                target = f"/run/secrets/{target}" if kind == "secrets" else f"/{target}"
            extra = sorted(set(spec) - {"source", "target"})
            if extra:
                self.note(name, f"{kind} {source}: {', '.join(extra)} not supported; left out")
            top = (self.data.get(kind) or {}).get(source)
            if not isinstance(top, dict) or not top.get("file"):
                how = f"from {', '.join(sorted(top))}" if isinstance(top, dict) and top else "not defined"
                self.note(name, f"{kind} {source} ({how}): only a file becomes a mount in devenv; left out")
                continue
            found.append(f"{self.path(str(top['file']))}:{target}:ro")
        return found

    def depends_on(self, name: str, value: Any, links: list[Any]) -> dict[str, str]:
        out: dict[str, str] = {}
        known = set(self.renamed.values())  # a reference matches a service whatever its letter case
        for dep, spec in deps_dict(value).items():
            spec = spec or {}
            dep_name = self.renamed.get(dep, _service_name(dep))
            if dep_name not in known:
                if spec.get("required") is False:
                    self.note(name, f"depends_on {dep}: no such service, and not required; left out")
                    continue
                raise UsageError(f"--from: service {name!r} depends on {dep!r}, which the Compose file does not "
                                 "define", hint="Compose refuses this too: define that service or drop the "
                                                "dependency")
            condition = CONDITIONS.get(spec.get("condition", "service_started"))
            if condition is None:
                self.note(name, f"depends_on {dep}: condition {spec.get('condition')!r} unknown; taken as started")
                condition = "started"
            if spec.get("restart"):
                self.note(name, f"depends_on {dep}: restart: true is not supported (devenv restarts only "
                                "what changed)")
            if spec.get("required") is False:
                self.note(name, f"depends_on {dep}: required: false is not supported; the dependency is required")
            out[dep_name] = condition
        for link in links:
            # A link orders startup like depends_on; its alias has no devenv twin.
            dep, _, alias = str(link).partition(":")
            dep_name = self.renamed.get(dep, _service_name(dep))
            if dep_name not in known:
                self.note(name, f"links {link}: no such service; left out")
                continue
            out.setdefault(dep_name, "started")
            if alias and alias != dep:
                self.note(name, f"links {link}: the alias {alias!r} is not supported; reach it as {dep_name!r}")
        return out

    def healthcheck(self, name: str, value: dict[str, Any]) -> dict[str, Any] | None:
        test = value.get("test")
        if value.get("disable") or (isinstance(test, list) and test[:1] == ["NONE"]):
            return None
        if test is None:
            if value:
                self.note(name, f"healthcheck {', '.join(sorted(value))} without a test (the image's own) is "
                                "not supported; left out")
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


def _port_range(text: str) -> list[str] | None:
    """"8000" → ["8000"], "8000-8002" → ["8000", "8001", "8002"], "" → [""]; None if not ports."""
    if not text:
        return [""]
    low, _, high = text.partition("-")
    if not low.isdigit() or (high and not high.isdigit()) or not 0 < int(low) <= int(high or low) < 65536:
        return None
    return [str(n) for n in range(int(low), int(high or low) + 1)]


def _port_text(ip: str, host: str, container: str, proto: str) -> str:
    address = f"[{ip}]" if ":" in ip else ip  # devenv writes an IPv6 address bracketed
    text = f"{address}:{host}:{container}" if address else f"{host}:{container}" if host else container
    return text + ("/udp" if proto == "udp" else "")


def _service_name(name: str) -> str:
    lowered = re.sub(r"[^a-z0-9_-]+", "-", str(name).lower()).strip("-") or "service"
    return lowered if _NAME_OK.match(lowered) else f"s-{lowered}"


def convert(paths: list[Path], *, root: Path) -> Converted:
    """The services of the merged Compose files as devenv service tables (plain dicts)."""
    notes: list[str] = []
    data = load(paths, notes)
    compose_dir = paths[0].parent.resolve()
    try:
        base = PurePosixPath(compose_dir.relative_to(root.resolve()).as_posix())
    except ValueError:
        raise UsageError(f"--from {paths[0]}: the Compose file must be inside {root}",
                         hint="run init in the project's folder (-C DIR)") from None
    conv = _Converter(data, base=base, root=root, compose_dir=compose_dir)
    conv.notes = notes
    services: dict[str, dict[str, Any]] = {}
    for name, svc in data["services"].items():
        if not isinstance(svc, dict):
            raise UsageError(f"--from: service {name!r} is not a mapping")
        new = conv.renamed[name]
        if new != name:
            conv.note(new, f"renamed from {name!r} (devenv service names are lowercase letters, digits, - and _)")
        services[new] = conv.service(new, svc)
    if data.get("name"):
        conv.notes.append(f"top-level name {data['name']!r} is not carried over: the project is named after its "
                          "folder (or -p NAME)")
    # secrets and configs are carried where a service uses them.
    for key in sorted(set(data) - {"services", "volumes", "name", "version", "secrets", "configs"}):
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
