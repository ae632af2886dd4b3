"""One description of a benchmark project, rendered to both tools' manifests.

Every scenario builds a `Project` and asks for `devenv_toml()` and `compose_file()`: the two
manifests can only differ where the tools' defaults differ (devenv runs an init as PID 1 by
default, Compose does not; see `init` below). The Compose file is written as JSON, which is
valid YAML, so no YAML library is needed and nothing is lost in quoting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import tomli_w

IMAGE = "devenv-test/busybox:1"
HTTPD = "exec httpd -f -p 80 -h /www"
BUILD_LABEL = "dev.devenv.bench"  # on images scenario 8 builds, so the sweeper finds even untagged ones
HEALTH_TEST = "wget -q -O /dev/null http://127.0.0.1/"


@dataclass(frozen=True)
class Watch:
    """A watch rule on a folder below the project: `restart` the service, or `sync` into `target`."""

    folder: str  # relative to the project, "" = the project itself
    action: str  # "restart" | "sync"
    target: str | None = None
    ignore: tuple[str, ...] = ()  # folder names below `folder` that are not watched

    def devenv(self) -> dict:
        glob = f"{self.folder}/**" if self.folder else "**"
        rule: dict = {"paths": [glob], "action": self.action}
        if self.ignore:
            prefix = f"{self.folder}/" if self.folder else ""
            rule["ignore"] = [f"{prefix}{name}/**" for name in self.ignore]
        if self.target:
            rule["target"] = self.target
        return rule

    def compose(self) -> dict:
        rule: dict = {"path": f"./{self.folder}" if self.folder else ".", "action": self.action}
        if self.target:
            rule["target"] = self.target
        if self.ignore:
            rule["ignore"] = [f"{name}/" for name in self.ignore]
        return rule


@dataclass(frozen=True)
class Service:
    name: str
    script: str = f"mkdir -p /www && echo ok > /www/index.html && {HTTPD}"
    env: tuple[tuple[str, str], ...] = ()
    binds: tuple[tuple[str, str], ...] = ()  # (folder relative to the project, container path)
    port: int | None = None  # published on 127.0.0.1:port → 80
    healthcheck: bool = True
    watch: tuple[Watch, ...] = ()
    build: bool = False  # built from the project folder's Dockerfile instead of the shared image

    @property
    def command(self) -> list[str]:
        return ["sh", "-c", self.script]


@dataclass(frozen=True)
class Project:
    name: str
    services: tuple[Service, ...] = field(default_factory=tuple)
    image: str = IMAGE
    health_interval: str = "500ms"
    health_retries: int = 120
    files: tuple[tuple[str, str], ...] = ()  # (path relative to the project, text) written beside the manifest

    def devenv_toml(self) -> str:
        services = {}
        for svc in self.services:
            body: dict = {"build": "."} if svc.build else {"image": self.image}
            body["command"] = svc.command
            if svc.env:
                body["env"] = dict(svc.env)
            if svc.binds:
                body["mounts"] = [f"./{src}:{dst}" for src, dst in svc.binds]
            if svc.port:
                body["ports"] = [f"127.0.0.1:{svc.port}:80"]
            if svc.healthcheck:
                body["healthcheck"] = {"test": HEALTH_TEST, "interval": self.health_interval,
                                       "retries": self.health_retries}
            if svc.watch:
                body["watch"] = [w.devenv() for w in svc.watch]
            services[svc.name] = body
        return tomli_w.dumps({"project": {"name": self.name}, "services": services})

    def compose_file(self, *, init: bool = False) -> str:
        """The Compose manifest; `init=True` adds `init: true` to every service (a noted variant)."""
        services = {}
        for svc in self.services:
            body: dict = {"build": "."} if svc.build else {"image": self.image}
            body["command"] = svc.command
            if init:
                body["init"] = True
            if svc.env:
                body["environment"] = dict(svc.env)
            if svc.binds:
                body["volumes"] = [f"./{src}:{dst}" for src, dst in svc.binds]
            if svc.port:
                body["ports"] = [f"127.0.0.1:{svc.port}:80"]
            if svc.healthcheck:
                body["healthcheck"] = {"test": ["CMD-SHELL", HEALTH_TEST], "interval": self.health_interval,
                                       "retries": self.health_retries}
            if svc.watch:
                body["develop"] = {"watch": [w.compose() for w in svc.watch]}
            services[svc.name] = body
        return json.dumps({"name": self.name, "services": services}, indent=2) + "\n"


HEALTHCHECKS_PER_SECOND = 25  # what a fleet's healthchecks may cost the engine, all services together


def health_interval(count: int) -> str:
    """500 ms up to 12 services, then longer, so that the fleet runs at most HEALTHCHECKS_PER_SECOND
    checks: each is an exec in the container, and at 300 a second (150 services at 500 ms) Docker
    20.10 on two cores stopped answering. Both tools get the same interval."""
    return f"{max(500, round(count * 1000 / HEALTHCHECKS_PER_SECOND))}ms"


def httpd_fleet(name: str, count: int, *, changed: str | None = None, revision: int = 0) -> Project:
    """`count` busybox httpd services s01…sNN with a healthcheck; `changed` carries REVISION=revision."""
    services = []
    for i in range(1, count + 1):
        svc_name = f"s{i:02d}"
        env = (("REVISION", str(revision)),) if svc_name == changed else ()
        services.append(Service(name=svc_name, env=env))
    return Project(name=name, services=tuple(services), health_interval=health_interval(count))


def service_name(index: int) -> str:
    return f"s{index:02d}"


def build_project(name: str, *, revision: int) -> Project:
    """One service built from a Dockerfile whose last line says `revision` (scenario 8)."""
    dockerfile = (f"FROM {IMAGE}\nLABEL {BUILD_LABEL}={name}\n"
                  f"RUN mkdir -p /www && echo ok > /www/index.html\nRUN echo {revision} > /revision\n")
    return Project(name=name, services=(Service(name="web", build=True),), files=(("Dockerfile", dockerfile),))
