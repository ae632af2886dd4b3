"""The manifest's model: every key declared once, with its type, default and description.

That one declaration validates `devenv.toml`, produces `devenv schema` and feeds the README's
reference. Models are frozen: a loaded project never changes under the code that reads it.
Values are normalised here (durations to seconds, `depends_on` lists to tables, string
commands to argv) so that the spec and its hash never see two spellings of one thing.
"""

from __future__ import annotations

import ipaddress
import math
import re
import shlex
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from devenv.manifest.limits import MAX_DURATION, MAX_RETRIES, MAX_STOP_TIMEOUT, MIN_HEALTH_TIME

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
MAX_SERVICE_NAME = 63  # a DNS label: the name other containers reach a service by
VOLUME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
DURATION_RE = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)(ms|s|m|h))+\s*$")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
PORT_RE = re.compile(
    r"^(?:(?:(?P<ip>\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(?P<host>\d{1,5})?:)?"
    r"(?P<container>\d{1,5})(?:/(?P<proto>tcp|udp))?$"
)


def _spelled(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:g}ms"
    return f"{seconds / 3600:g}h" if seconds % 3600 == 0 else f"{seconds:g}s"


def parse_duration(value: object, *, at_most: float = MAX_DURATION, shortest: float = 0.0) -> float:
    """'1m30s', '500ms', '2s' or a number of seconds → seconds: finite, 0 or at least `shortest`,
    and at most `at_most`."""
    seconds: float
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):  # TOML spells inf and nan
            raise ValueError(f"{value!r} is not a duration (not a finite number)")
        if value < 0:
            raise ValueError(f"{value!r} is not a duration (negative)")
        seconds = value  # an int too large for a float is compared as it is, not converted
    elif isinstance(value, str) and DURATION_RE.match(value):
        parts = _DURATION_PART.findall(value)
        units = [u for _, u in parts]
        repeated = sorted({u for u in units if units.count(u) > 1})
        if repeated:
            raise ValueError(f"{value!r} is not a duration (it repeats the unit {', '.join(repeated)})")
        seconds = round(sum(float(n) * _UNIT_SECONDS[u] for n, u in parts), 6)  # inf for absurd digits
    else:
        raise ValueError(f"{value!r} is not a duration (use e.g. \"500ms\", \"2s\", \"1m30s\")")
    if seconds > at_most:
        raise ValueError(f"{value!r} is too long (at most {_spelled(at_most)})")
    if 0 < seconds < shortest:
        raise ValueError(f"{value!r} is too short (0, or at least {_spelled(shortest)})")
    return float(seconds)


def _duration_schema(at_most: float) -> WithJsonSchema:
    return WithJsonSchema({"anyOf": [{"type": "string", "pattern": DURATION_RE.pattern},
                                     {"type": "number", "minimum": 0, "maximum": at_most}]})


StopDuration = Annotated[float, BeforeValidator(partial(parse_duration, at_most=MAX_STOP_TIMEOUT)),
                         _duration_schema(MAX_STOP_TIMEOUT)]
HealthDuration = Annotated[float, BeforeValidator(partial(parse_duration, shortest=MIN_HEALTH_TIME)),
                           _duration_schema(MAX_DURATION)]


# The signal names Docker's engine accepts on Linux (moby/sys/signal's SignalMap), without "SIG".
_SIGNALS = frozenset(("ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV "
                      "STKFLT STOP SYS TERM TRAP TSTP TTIN TTOU URG USR1 USR2 VTALRM WINCH XCPU XFSZ RTMIN RTMAX "
                      + " ".join(f"RTMIN+{n} RTMAX-{n}" for n in range(1, 15)) + " RTMIN+15").split())


def parse_signal(value: object) -> object:
    """`SIGINT`, `int` or `2` → `SIGINT` / `2`, as the engine reads a stop signal; "" → None."""
    if value is None:
        return None
    if not isinstance(value, str) and not (isinstance(value, int) and not isinstance(value, bool)):
        raise ValueError(f"{value!r} is not a signal (a name such as \"SIGINT\", or a number)")
    text = str(value).strip()
    if not text:
        return None  # as Compose: an empty one (an unset variable) is no stop signal of its own
    if text.isascii() and text.isdigit():
        if not 1 <= int(text) <= 64:
            raise ValueError(f"{value!r} is not a signal number (1 to 64)")
        return str(int(text))
    name = text.upper().removeprefix("SIG")
    if name not in _SIGNALS:
        raise ValueError(f"{value!r} is not a signal the engine knows (e.g. \"SIGINT\", \"SIGQUIT\", \"SIGTERM\")")
    return f"SIG{name}"


def _argv(value: object) -> object:
    """A string command is split like a shell would; a list is kept as given."""
    if isinstance(value, str):
        try:
            return shlex.split(value)
        except ValueError as exc:
            raise ValueError(f"cannot split {value!r}: {exc}") from None
    return value


_STRING_OR_LIST = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
Command = Annotated[list[str], BeforeValidator(_argv), WithJsonSchema(_STRING_OR_LIST)]
Scalar = str | int | float | bool


def _env_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("holds a NUL character, which no process environment can carry")
    return value


EnvValue = Annotated[str, BeforeValidator(_env_value),
                     WithJsonSchema({"type": ["string", "number", "boolean"]})]


def _env_name(value: object) -> object:
    if isinstance(value, str) and (not value or any(c in "=\x00" or c.isspace() for c in value)):
        raise ValueError(f"{value!r} is not a variable name (no '=', blanks or NUL)")
    return value


EnvName = Annotated[str, BeforeValidator(_env_name)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Port(Strict):
    """A parsed `ports` entry. Host side binds 127.0.0.1 unless an address is given."""

    host_ip: str
    host_port: int | None  # None: the engine picks a free port
    container_port: int
    protocol: Literal["tcp", "udp"]

    def __str__(self) -> str:
        host = f"{self.host_ip}:{self.host_port or ''}"
        return f"{host}:{self.container_port}/{self.protocol}"


def parse_port(text: str) -> Port:
    match = PORT_RE.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a port mapping (use \"8000:80\", \"127.0.0.1:8000:80\" or \"80\")")
    numbers = [int(n) for n in (match["host"], match["container"]) if n is not None]
    if any(not 0 < n < 65536 for n in numbers):
        raise ValueError(f"{text!r}: port numbers run from 1 to 65535")
    ip = (match["ip"] or "127.0.0.1").strip("[]")  # "[::1]" is written bracketed; Docker wants ::1
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        raise ValueError(f"{text!r}: {ip} is not an IP address") from None
    return Port(host_ip=ip, host_port=int(match["host"]) if match["host"] else None,
                container_port=int(match["container"]), protocol="udp" if match["proto"] == "udp" else "tcp")


def ports_overlap(a: Port, b: Port) -> bool:
    """Two host bindings that the engine cannot both make: same port and protocol, and the same
    address, or one of them the wildcard (0.0.0.0 covers every IPv4 address, :: every address).
    8000/udp and 8000/tcp never overlap; an engine-picked port (no host port) never does."""
    if a.host_port is None or a.host_port != b.host_port or a.protocol != b.protocol:
        return False
    ip_a, ip_b = ipaddress.ip_address(a.host_ip), ipaddress.ip_address(b.host_ip)
    if ip_a == ip_b:
        return True
    for wildcard, other in ((ip_a, ip_b), (ip_b, ip_a)):
        if wildcard.is_unspecified and (wildcard.version == 6 or other.version == 4):
            return True
    return False


class Mount(Strict):
    """A parsed `mounts` entry: a bind mount of a host path, or a named volume of the project."""

    kind: Literal["bind", "volume"]
    source: str  # host path as written (bind) or volume name
    target: str
    read_only: bool


WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def parse_mount(text: str) -> Mount:
    text = str(text)
    # A Windows path's drive colon (C:\src, C:/src) is not the separator; unless the rest has no
    # target, when `v:/data` is volume `v` at /data, as Docker on Linux reads it.
    drive = text[:2] if WINDOWS_DRIVE.match(text) else ""
    parts = _mount_parts(text, drive)
    if drive and not _well_formed(parts):
        drive, parts = "", _mount_parts(text, "")
    read_only = False
    if len(parts) == 3 and parts[2] in ("ro", "rw"):
        read_only = parts.pop() == "ro"
    if not _well_formed(parts):
        raise ValueError(f"{text!r} is not a mount (use \"./src:/app/src\", \"name:/data\" or add \":ro\")")
    source, target = parts
    if drive or source.startswith((".", "/", "~", "\\")):
        return Mount(kind="bind", source=source, target=target, read_only=read_only)
    if not VOLUME_RE.match(source):
        raise ValueError(f"{text!r}: {source!r} is neither a path (start it with ./) nor a volume name")
    return Mount(kind="volume", source=source, target=target, read_only=read_only)


def _mount_parts(text: str, drive: str) -> list[str]:
    parts = text[len(drive):].split(":")
    parts[0] = drive + parts[0]
    return parts


def _well_formed(parts: list[str]) -> bool:
    """SOURCE:TARGET, optionally :ro or :rw, with an absolute container path."""
    core = parts[:2] if len(parts) == 3 and parts[2] in ("ro", "rw") else parts
    return len(core) == 2 and bool(core[0]) and core[1].startswith("/")


def _validated(parser: Callable[[str], object]) -> Callable[[object], object]:
    def check(value: object) -> object:
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not a string")
        parser(value)
        return value
    return check


PortSpec = Annotated[str, BeforeValidator(_validated(parse_port)),
                     BeforeValidator(lambda v: str(v) if isinstance(v, int) and not isinstance(v, bool) else v),
                     WithJsonSchema({"type": ["string", "integer"], "pattern": PORT_RE.pattern})]
MountSpec = Annotated[str, BeforeValidator(_validated(parse_mount)), WithJsonSchema({"type": "string"})]


class Build(Strict):
    context: str = Field(".", description="Folder sent to the engine, relative to the manifest.")
    dockerfile: str = Field("Dockerfile", description="Dockerfile path, relative to the context.")
    args: dict[str, EnvValue] = Field(default_factory=dict, description="Build arguments.")
    target: str | None = Field(None, description="Stage of a multi-stage Dockerfile to build.")


def _build(value: object) -> object:
    return {"context": value} if isinstance(value, str) else value


class Healthcheck(Strict):
    test: Command = Field(description="Command run inside the container; exit 0 means healthy. "
                                      "A string runs through the container's sh.")
    interval: HealthDuration = Field(2.0, description="Time between checks.")
    timeout: HealthDuration = Field(5.0, description="Time one check may take.")
    retries: int = Field(30, ge=1, le=MAX_RETRIES, description="Failures in a row before the service is unhealthy.")
    start_period: HealthDuration = Field(0.0, description="Grace time after start when failures don't count.")

    @field_validator("test", mode="before")
    @classmethod
    def _shell_form(cls, value: object) -> object:
        # A string healthcheck is a shell command line, as in a Dockerfile's HEALTHCHECK.
        return ["CMD-SHELL", value] if isinstance(value, str) else value


Condition = Literal["started", "healthy", "completed"]


def _depends_on(value: object) -> object:
    if isinstance(value, (list, tuple)):
        if not all(isinstance(name, str) for name in value):
            raise ValueError("depends_on lists service names (strings)")
        return {name: "started" for name in value}
    return value


WatchAction = Literal["restart", "recreate", "rebuild", "sync", "exec"]


class WatchRule(Strict):
    paths: list[str] = Field(min_length=1, description="Globs relative to the manifest's folder.")
    ignore: list[str] = Field(default_factory=list, description="Globs excluded from `paths`.")
    action: WatchAction = Field(description="What a change does to the service.")
    target: str | None = Field(None, description="Container folder that `sync` copies into.")
    exec: Command | None = Field(None, description="Command that `exec` runs in the container.")

    @model_validator(mode="after")
    def _action_needs(self) -> WatchRule:
        if self.action == "sync" and not self.target:
            raise ValueError("action \"sync\" needs a target folder in the container")
        if self.action == "exec" and not self.exec:
            raise ValueError("action \"exec\" needs an exec command")
        return self


_HOST_RE = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


class Http(Strict):
    """How the shared router reaches a service by name: http(s)://<service>.<project>.localhost."""

    port: int = Field(ge=1, le=65535, description="Port the service listens on inside its container.")
    hosts: list[str] = Field(default_factory=list,
                             description="More host names routed to it, e.g. \"api.shop.localhost\".")
    paths: list[str] = Field(default_factory=list,
                             description="Only these path prefixes (\"/api\"); default: every path.")
    https: bool = Field(True, description="Also serve it over HTTPS with the local CA.")
    main: bool | None = Field(None, description="Also answer at <project>.localhost; default: the service "
                                                "named web, or the only routed service.")

    @field_validator("hosts")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        for host in value:
            if not _HOST_RE.match(host):
                raise ValueError(f"{host!r} is not a host name (lowercase letters, digits, - and dots)")
        return value

    @field_validator("paths")
    @classmethod
    def _paths(cls, value: list[str]) -> list[str]:
        for path in value:
            if not path.startswith("/") or any(c in path for c in " *?#"):
                raise ValueError(f"{path!r} is not a path prefix (starts with /, no spaces or wildcards)")
        return value


def _http(value: object) -> object:
    return {"port": value} if isinstance(value, int) and not isinstance(value, bool) else value


# An image reference as the engine parses it (distribution/reference's grammar): an optional
# registry host[:port], lowercase path components, then :tag and/or @digest. Checked here so a
# typo is a file:line error, not a pull that fails with "is the registry running?".
_LABEL = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[a-fA-F0-9:]+\])"
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
IMAGE_RE = re.compile(rf"^(?:{_HOST}(?::[0-9]+)?/)?{_COMPONENT}(?:/{_COMPONENT})*"
                      r"(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$")


def _image(value: object) -> object:
    if isinstance(value, str) and value and not IMAGE_RE.match(value):
        hint = " (names are lowercase)" if value != value.lower() and IMAGE_RE.match(value.lower()) else ""
        raise ValueError(f"{value!r} is not an image reference{hint}: [REGISTRY/]NAME[:TAG][@DIGEST]")
    return value


class Service(Strict):
    image: Annotated[str | None, BeforeValidator(_image)] = Field(
        None, description="Image to run; with `build`, the tag it builds.")
    build: Annotated[Build | None, BeforeValidator(_build),
                     WithJsonSchema({"anyOf": [{"type": "string"}, Build.model_json_schema()]})] = Field(
        None, description="Build the image from a folder (string) or a table.")
    command: Command | None = Field(None, description="Overrides the image's CMD; string or list.")
    entrypoint: Command | None = Field(None, description="Overrides the image's ENTRYPOINT.")
    workdir: str | None = Field(None, description="Working folder in the container.")
    user: str | None = Field(None, description="User to run as; \"host\" = the invoking uid:gid.")
    env: dict[str, EnvValue] = Field(default_factory=dict, description="Environment variables.")
    pass_env: list[EnvName] = Field(
        default_factory=list, description="Variables the container gets from your environment (or .env) "
                                          "as they are there, and does not have when they are not set "
                                          "(Compose's `environment: [NAME]`); `env` wins over it.")
    env_file: Annotated[list[str], BeforeValidator(lambda v: [v] if isinstance(v, str) else v),
                        WithJsonSchema(_STRING_OR_LIST)] = Field(
        default_factory=list, description="Files of KEY=VALUE lines, relative to the manifest.")
    ports: list[PortSpec] = Field(default_factory=list, description="\"[ip:][host:]container[/udp]\".")
    mounts: list[MountSpec] = Field(default_factory=list,
                                    description="\"./path:/target\" (bind) or \"name:/target\" (volume), "
                                                "\":ro\" for read-only.")
    depends_on: Annotated[dict[str, Condition], BeforeValidator(_depends_on), WithJsonSchema({"anyOf": [
        {"type": "array", "items": {"type": "string"}},
        {"type": "object", "additionalProperties": {"enum": ["started", "healthy", "completed"]}}]})] = Field(
        default_factory=dict, description="Services to wait for: a list, or a table of "
                                          "started | healthy | completed.")
    healthcheck: Healthcheck | None = Field(None, description="How the engine tells the service is ready.")
    provision: list[str] = Field(default_factory=list,
                                 description="Shell commands run in a one-off container before start.")
    provision_inputs: list[str] = Field(default_factory=list,
                                        description="Globs whose content re-runs `provision` when it changes.")
    scale: int = Field(1, ge=0, le=100, description="Number of replicas.")
    restart: Literal["no", "always", "on-failure", "unless-stopped"] = Field(
        "no", description="Engine restart policy.")
    init: bool = Field(True, description="Run an init as PID 1, so stops are fast.")
    stop_timeout: StopDuration = Field(10.0, description="Grace time between SIGTERM and SIGKILL.")
    stop_signal: Annotated[str | None, BeforeValidator(parse_signal), WithJsonSchema({"anyOf": [
        {"type": "string"}, {"type": "integer", "minimum": 1, "maximum": 64}, {"type": "null"}]})] = Field(
        None, description="Signal that asks the service to stop (the image's STOPSIGNAL, else SIGTERM), "
                          "e.g. \"SIGINT\" for a server that stops cleanly only on Ctrl-C.")
    profiles: list[str] = Field(default_factory=list,
                                description="Start only when one of these profiles is enabled.")
    watch: list[WatchRule] = Field(default_factory=list, description="File-change rules for watch mode.")
    http: Annotated[Http | None, BeforeValidator(_http),
                    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 1, "maximum": 65535},
                                              Http.model_json_schema()]})] = Field(
        None, description="Reach it by name through the shared router: a port, or a table "
                          "(port, hosts, paths, https, main). See docs/routing.md.")

    @model_validator(mode="after")
    def _image_or_build(self) -> Service:
        if not self.image and not self.build:
            raise ValueError("a service needs an image or a build")
        return self

    def parsed_ports(self) -> list[Port]:
        return [parse_port(p) for p in self.ports]

    def parsed_mounts(self) -> list[Mount]:
        return [parse_mount(m) for m in self.mounts]


class ProjectSection(Strict):
    name: str | None = Field(None, description="Project name; default: the folder's name, "
                                               "normalised to [a-z0-9-].")
    requires: str | None = Field(None, description="Version constraint on devenv, e.g. \">=0.1\".")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not NAME_RE.match(value):
            raise ValueError(f"{value!r} is not a project name (lowercase letters, digits, - and _)")
        return value


class Manifest(Strict):
    """The whole of devenv.toml."""

    project: ProjectSection = Field(default_factory=ProjectSection)
    services: dict[str, Service] = Field(default_factory=dict)

    @field_validator("services")
    @classmethod
    def _service_names(cls, value: dict[str, Service]) -> dict[str, Service]:
        bad = [name for name in value if not NAME_RE.match(name)]
        if bad:
            what = "is not a service name" if len(bad) == 1 else "are not service names"
            raise ValueError(f"{', '.join(map(repr, bad))} {what} (lowercase letters, digits, - and _)")
        long = [name for name in value if len(name) > MAX_SERVICE_NAME]
        if long:
            raise ValueError(f"{', '.join(map(repr, long))}: longer than {MAX_SERVICE_NAME} characters, so other "
                             "services could not reach it by name (a DNS label)")
        return value


def json_schema() -> dict[str, Any]:
    schema = Manifest.model_json_schema()
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["title"] = "devenv.toml"
    return schema


def main_routed(services: dict[str, Service]) -> str | None:
    """The service that also answers at <project>.localhost: the one with `main = true`, else the
    routed service named web, else the only routed one; none when that one says `main = false`."""
    routed = {name: svc.http for name, svc in services.items() if svc.http is not None}
    chosen = [name for name, http in routed.items() if http.main]
    main = chosen[0] if chosen else "web" if "web" in routed else next(iter(routed)) if len(routed) == 1 else None
    return None if main is None or routed[main].main is False else main
