"""devenv.toml → a Compose file (the Compose Specification, as `docker compose` reads it).

Everything a container is made of carries over: image or build, command, entrypoint, env and
env files, ports, bind mounts and named volumes, dependencies with their conditions,
healthchecks, restart policy, init, stop timeout, profiles and scale. Watch rules and provision
steps have no Compose counterpart and are left out, with a warning.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devenv.core.spec import resolve_user

if TYPE_CHECKING:
    from devenv.lock.file import Lock
    from devenv.manifest.load import Project
    from devenv.manifest.model import Service

CONDITIONS = {"started": "service_started", "healthy": "service_healthy",
              "completed": "service_completed_successfully"}


def duration(seconds: float) -> str:
    """Seconds → a Go duration as Compose reads it ("2s", "1m30s", "500ms")."""
    ms = round(seconds * 1000)
    if ms % 1000:
        return f"{ms}ms"
    s = ms // 1000
    parts = [(s // 3600, "h"), (s % 3600 // 60, "m"), (s % 60, "s")]
    return "".join(f"{n}{unit}" for n, unit in parts if n) or "0s"


def relative(project_root: Path, path: str, base: Path) -> str:
    """A manifest-relative path, made relative to the folder the export is written to."""
    if path.startswith(("/", "~")):
        return path
    rel = os.path.relpath((project_root / path).resolve(), base.resolve())
    return rel if rel.startswith(".") else f"./{rel}"


def _escape(value: Any) -> Any:
    """devenv already interpolated every value; Compose interpolates again, so `$` becomes `$$`."""
    if isinstance(value, str):
        return value.replace("$", "$$")
    if isinstance(value, list):
        return [_escape(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    return value


def compose_service(project: Project, name: str, svc: Service, *, base: Path,
                    image: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if image:
        out["image"] = image
    if svc.build:
        b = svc.build
        build: dict[str, Any] = {"context": relative(project.root, b.context, base)}
        if b.dockerfile != "Dockerfile":
            build["dockerfile"] = b.dockerfile
        if b.args:
            build["args"] = dict(b.args)
        if b.target:
            build["target"] = b.target
        out["build"] = build
    for key, value in (("entrypoint", svc.entrypoint), ("command", svc.command), ("working_dir", svc.workdir),
                       ("user", resolve_user(svc.user))):
        if value is not None:
            out[key] = value
    if svc.env_file:
        out["env_file"] = [relative(project.root, f, base) for f in svc.env_file]
    # A null value is Compose's passthrough: the caller's value, or no such variable at all.
    passed: dict[str, Any] = {name: None for name in svc.pass_env if name not in svc.env}
    if svc.env or passed:
        out["environment"] = {**passed, **svc.env}
    ports = []
    for p in svc.parsed_ports():
        port: dict[str, Any] = {"target": p.container_port, "host_ip": p.host_ip, "protocol": p.protocol}
        if p.host_port:
            port["published"] = str(p.host_port)
        ports.append(port)
    if ports:
        out["ports"] = ports
    mounts = []
    for m in svc.parsed_mounts():
        source = relative(project.root, m.source, base) if m.kind == "bind" else m.source
        mount: dict[str, Any] = {"type": m.kind, "source": source, "target": m.target}
        if m.read_only:
            mount["read_only"] = True
        mounts.append(mount)
    if mounts:
        out["volumes"] = mounts
    if svc.depends_on:
        out["depends_on"] = {dep: {"condition": CONDITIONS[cond]} for dep, cond in svc.depends_on.items()}
    hc = svc.healthcheck
    if hc is not None:
        out["healthcheck"] = {"test": list(hc.test), "interval": duration(hc.interval), "timeout": duration(hc.timeout),
                              "retries": hc.retries, "start_period": duration(hc.start_period)}
    out["restart"] = svc.restart
    out["init"] = svc.init
    out["stop_grace_period"] = duration(svc.stop_timeout)
    if svc.stop_signal:
        out["stop_signal"] = svc.stop_signal
    if svc.scale != 1:
        out["scale"] = svc.scale
    if svc.profiles:
        out["profiles"] = list(svc.profiles)
    return _escape(out)


def export_compose(project: Project, *, base: Path, lock: Lock | None = None) -> tuple[dict[str, Any], list[str]]:
    """(the Compose file as data, warnings). Every service is exported, with its profiles: a
    Compose profile means what a devenv profile means. `base`: the folder the file lands in,
    which relative paths are written against."""
    from devenv.core.buildhash import pinned_ref

    services: dict[str, Any] = {}
    volumes: dict[str, dict[str, Any]] = {}
    warnings: list[str] = []
    for name, svc in project.manifest.services.items():
        image = pinned_ref(project, name, svc, lock) if svc.image and not svc.build else svc.image
        if image and image.startswith("sha256:"):  # a local-only pin: a Compose file names the tag
            image = svc.image
        services[name] = compose_service(project, name, svc, base=base, image=image)
        for m in svc.parsed_mounts():
            if m.kind == "volume":
                volumes[m.source] = {}
        left_out = [what for what, present in (("watch rules", svc.watch), ("provision steps", svc.provision))
                    if present]
        if left_out:
            warnings.append(f"service {name}: {' and '.join(left_out)} left out (Compose has no counterpart; "
                            f"`devenv watch` keeps them)")
    data: dict[str, Any] = {"name": project.name, "services": services}
    if volumes:
        data["volumes"] = volumes
    return data, warnings
