"""`devenv init --from compose.yaml`: a Compose file converted into devenv.toml, key by key.

What the project already says wins over guessing: every Compose key devenv has a twin for is
carried over (build, image, command, entrypoint, ports, volumes, environment, env_file,
depends_on with its conditions, healthcheck, profiles, develop.watch, working_dir, user,
restart, init, stop_grace_period, stop_signal, scale/deploy.replicas, links as depends_on, file-backed
secrets and configs as the read-only mounts Compose makes of them, an anonymous volume as a
named volume of its service, pre_start steps as provision steps, the top-level name as the
project's); every other key is named in a note, never dropped silently, and so is a provider
service (run by an outside tool). A port, mount or duration that holds a variable is kept as
written. Several files merge in order, as `docker compose -f a -f b` does (with `!reset` /
`!override`); `include` and `extends` are followed (reading and merging: compose_load.py; ports,
mounts, secrets and durations: compose_bindings.py; watch rules: compose_watch.py; build args
without a value: compose_build.py; pre_start: compose_hooks.py).
Pure: reads the files, returns text and notes; nothing here writes or prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from devenv.errors import UsageError
from devenv.init.compose_bindings import text_of
from devenv.init.compose_build import BuildConversion
from devenv.init.compose_hooks import provision_steps
from devenv.init.compose_load import deps_dict, env_dict, load
from devenv.init.compose_watch import watch_rules
from devenv.init.recipes import toml_key, toml_value
from devenv.manifest.limits import MAX_DURATION, MAX_STOP_TIMEOUT

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
    name: str | None = None  # the top-level `name:`, as a devenv project name
    # A value for each variable with no default that is valid where it stands ("8000" in a port),
    # so the manifest can be checked before anyone has set them.
    examples: dict[str, str] = field(default_factory=dict)


class _Converter(BuildConversion):
    def __init__(self, data: dict[str, Any], *, base: PurePosixPath, root: Path, compose_dir: Path):
        super().__init__(data, base=base)
        self.root = root
        self.compose_dir = compose_dir
        self.renamed = {name: _service_name(name) for name in data["services"]}
        # Services an outside tool runs (`provider:`): Compose runs no container for them.
        self.provided = {self.renamed[n] for n, s in data["services"].items()
                         if isinstance(s, dict) and "provider" in s}

    def service(self, name: str, svc: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        handled = {"image", "build", "command", "entrypoint", "working_dir", "user", "environment", "env_file",
                   "ports", "volumes", "depends_on", "healthcheck", "profiles", "develop", "restart", "init",
                   "stop_grace_period", "stop_signal", "scale", "deploy", "secrets", "configs", "links",
                   "pre_start"}
        if "image" in svc:
            out["image"] = text_of(svc["image"])
        if svc.get("build") is not None:
            build = self.build(name, svc["build"])
            if build is not None:
                out["build"] = build
            elif "image" not in out:
                inline = isinstance(svc["build"], dict) and "dockerfile_inline" in svc["build"]
                what = "an inline Dockerfile (build.dockerfile_inline)" if inline else repr(svc["build"])
                raise UsageError(f"--from: service {name!r} builds from {what}, which devenv cannot build from",
                                 hint="write that Dockerfile to a file and name it in `build.dockerfile`" if inline
                                 else "build that image first and give the service its `image:`")
        if "command" in svc and svc["command"] is not None:
            out["command"] = _command(svc["command"])
        if "entrypoint" in svc and svc["entrypoint"] is not None:
            out["entrypoint"] = _command(svc["entrypoint"])
        if "working_dir" in svc:
            out["workdir"] = text_of(svc["working_dir"])
        if "user" in svc:
            out["user"] = text_of(svc["user"])
        if "env_file" in svc:
            files = self.env_files(name, svc["env_file"])
            if files:
                out["env_file"] = files
        if svc.get("environment"):
            environment = env_dict(svc["environment"])
            # A name without a value passes the caller's value through, or none at all; except
            # COMPOSE_PROJECT_NAME, which Compose itself sets (name_the_project).
            environment.update({k: "${COMPOSE_PROJECT_NAME}" for k, v in environment.items()
                                if k == "COMPOSE_PROJECT_NAME" and v is None})
            passed = [str(k) for k, v in environment.items() if v is None]
            if passed:
                out["pass_env"] = passed
            env = {str(k): text_of(v) for k, v in environment.items() if v is not None}
            if env:
                out["env"] = env
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
        # Compose runs no init unless asked, and devenv's default one would not be PID 1, which an
        # entrypoint such as s6-overlay's (linuxserver images, pihole) refuses to run without.
        out["init"] = _boolean(svc.get("init", False))
        if "stop_grace_period" in svc:
            out["stop_timeout"] = self.timing(name, "stop_grace_period", svc["stop_grace_period"],
                                              at_most=MAX_STOP_TIMEOUT)
        if "stop_signal" in svc:
            self.stop_signal(name, svc["stop_signal"], out)
        if replicas is not None:
            out["scale"] = scale
        for key in sorted(set(svc.get("deploy") or {}) - {"replicas"}):
            self.note(name, f"deploy.{key} is not carried over (devenv runs one engine, no orchestrator)")
        if "pre_start" in svc:
            steps = provision_steps(svc["pre_start"], lambda text: self.note(name, text))
            if steps:
                out["provision"] = steps
        watch = (svc.get("develop") or {}).get("watch") or []
        rules = [rule for item in watch for rule in self.watch(name, item)]
        if rules:
            out["watch"] = rules
        for key in sorted(set(svc) - handled):
            if key.startswith("x-"):
                continue
            quiet = " (devenv puts every service on one project network, reachable by its name)" \
                if key in ("networks", "expose", "hostname", "container_name") else ""
            self.note(name, f"{key} is not supported by devenv; left out{quiet}")
        if "image" not in out and "build" not in out:
            raise UsageError(f"--from: service {name!r} has neither image nor build",
                             hint="Compose needs one too (directly or through `extends`)")
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

    def depends_on(self, name: str, value: Any, links: list[Any]) -> dict[str, str]:
        out: dict[str, str] = {}
        known = set(self.renamed.values())  # a reference matches a service whatever its letter case
        for dep, spec in deps_dict(value).items():
            spec = spec or {}
            dep_name = self.renamed.get(dep, _service_name(dep))
            if dep_name in self.provided:
                self.note(name, f"depends_on {dep}: a provider service, which devenv does not run; left out")
                continue
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
            self.note(name, "healthcheck disabled: devenv sets no healthcheck, so one the image defines still "
                            "applies (an image without one is unaffected)")
            return None
        if test is None:
            if value:
                self.note(name, f"healthcheck {', '.join(sorted(value))} without a test (the image's own) is "
                                "not supported; left out")
            return None
        if isinstance(test, list):
            kind, rest = (test[0], test[1:]) if test and test[0] in ("CMD", "CMD-SHELL") else ("CMD", test)
            check: Any = " ".join(map(text_of, rest)) if kind == "CMD-SHELL" else [text_of(t) for t in rest]
        else:
            check = text_of(test)
        out: dict[str, Any] = {"test": check}
        for key in ("interval", "timeout", "start_period"):
            if key in value:
                out[key] = self.timing(name, f"healthcheck.{key}", value[key], at_most=MAX_DURATION)
        # Compose's default timeout is 30s, devenv's 5s: a slower check must pass as it did. The
        # interval and retries keep devenv's (2s × 30, about Compose's 30s × 3), so readiness is seen sooner.
        out.setdefault("timeout", "30s")
        if "retries" in value:
            out["retries"] = int(value["retries"])
        if "start_interval" in value:
            self.note(name, "healthcheck.start_interval is not supported; the interval applies from the start")
        return out

    def watch(self, name: str, item: dict[str, Any]) -> list[dict[str, Any]]:
        return watch_rules(item, rel=self.path(str(item.get("path", "")).rstrip("/")), root=self.root,
                           note=lambda text: self.note(name, text), command=_command)


def _boolean(value: Any) -> bool:
    """A boolean as Compose reads one, quoted ("true") or not (Go's strconv.ParseBool)."""
    if isinstance(value, str):
        if value not in ("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"):
            raise UsageError(f"--from: {value!r} is not true or false")
        return value in ("1", "t", "T", "TRUE", "true", "True")
    return bool(value)


def _command(value: Any) -> Any:
    return [text_of(v) for v in value] if isinstance(value, list) else text_of(value)


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
        if new in conv.provided:
            kind = (svc["provider"] or {}).get("type") if isinstance(svc["provider"], dict) else None
            conv.note(new, f"provider{f' {kind}' if kind else ''} is not supported (an outside tool runs this "
                           "service, not a container); left out, and so are the variables it gives the services "
                           "that depend on it")
            continue
        if new != name:
            conv.note(new, f"renamed from {name!r} (devenv service names are lowercase letters, digits, - and _)")
        services[new] = conv.service(new, svc)
    project = _project_name(data.get("name"), conv.notes)
    # secrets and configs are carried where a service uses them.
    for key in sorted(set(data) - {"services", "volumes", "name", "version", "secrets", "configs"}):
        if not key.startswith("x-"):
            conv.notes.append(f"top-level {key} is not supported by devenv; left out")
    for volume, spec in (data.get("volumes") or {}).items():
        options = sorted(k for k in spec if spec[k] not in (None, False) and not k.startswith("x-")) \
            if isinstance(spec, dict) else []
        if options:
            conv.notes.append(f"volume {volume}: {', '.join(options)} not supported; devenv makes a plain named "
                              "volume of the project")
    return Converted(services=services, notes=conv.notes, renamed={k: v for k, v in conv.renamed.items() if k != v},
                     name=project, examples=conv.examples)


def name_the_project(converted: Converted, project: str) -> None:
    """Compose gives each file COMPOSE_PROJECT_NAME, the project's name, unless the environment
    sets it (it then names the project): devenv does not, so its default becomes that name."""
    bare = "${COMPOSE_PROJECT_NAME:-}"

    def named(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(bare, f"${{COMPOSE_PROJECT_NAME:-{project}}}")
        if isinstance(value, list):
            return [named(v) for v in value]
        if isinstance(value, dict):
            return {k: named(v) for k, v in value.items()}
        return value

    services = named(converted.services)
    if services != converted.services:
        converted.services = services
        converted.notes.append(f"COMPOSE_PROJECT_NAME, which Compose sets to the project's name, is {project!r} "
                               "unless the environment sets it")


def _project_name(value: Any, notes: list[str]) -> str | None:
    """The top-level `name:` as devenv spells project names (`My_App` → `my-app`)."""
    from devenv.manifest.load import normalise_name

    if not value:
        return None
    text = str(value)
    if "$" in text:
        notes.append(f"top-level name {text!r} holds a variable; the project is named after its folder "
                     "(or -p NAME)")
        return None
    name = normalise_name(text)
    if name != text:
        notes.append(f"top-level name {text!r} is the project name {name!r} (lowercase letters, digits and -)")
    return name


def render(converted: Converted, *, header: str, sources: list[str]) -> str:
    """The manifest text: one [services.NAME] table per service, sub-tables for healthcheck,
    env and watch rules, in the Compose file's order."""
    lines = [header.rstrip("\n"), ""]
    lines.append(f"# Converted from {', '.join(sources)} by `devenv init --from`.")
    for note in converted.notes:
        lines.append(f"# note: {note}")
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
