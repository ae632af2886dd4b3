"""Run the shared router through the engine: start it with the first routed service, follow
every up, down and recreate by reloading Caddy's configuration (no restart), stop it when no
project needs it. It holds nothing that cannot be rebuilt: routes come from the engine, and the
local CA lives in a named volume only so that a trusted root stays trusted."""

from __future__ import annotations

import io
import json
import os
import tarfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from devenv.converge.ports import port_free
from devenv.core.spec import ContainerSpec, HttpSpec, canonical_json
from devenv.engine.protocol import ContainerEngine
from devenv.errors import DevenvError
from devenv.report import Reporter, Silent
from devenv.router.image import IMAGE
from devenv.router.routes import ADMIN, Route, caddy_config, routes_from_containers, urls

NAME = "devenv-router"
NETWORK = "devenv-router"
VOLUME = "devenv-router-data"
CONFIG = "/etc/caddy/devenv.json"
ROOT_CERT = "/data/caddy/pki/authorities/local/root.crt"
LABELS = {"dev.devenv.role": "router"}
DEFAULT_PORTS = (80, 443)


def fallback_ports() -> tuple[int, int]:
    """Where the router listens when 80/443 are taken or not allowed (rootless engines), and
    always when DEVENV_ROUTER_PORTS chooses them: 8080,8443 by default."""
    text = os.environ.get("DEVENV_ROUTER_PORTS", "8080,8443")
    try:
        http, https = (int(p) for p in text.split(","))
    except ValueError:
        raise DevenvError(f"DEVENV_ROUTER_PORTS={text!r}: give two ports, e.g. 8080,8443") from None
    return http, https


@dataclass
class RouterState:
    container: dict[str, Any] | None
    ports: tuple[int, int] | None  # (http, https) on the host's loopback
    routes: list[Route]


def _router(engine: ContainerEngine) -> dict[str, Any] | None:
    found = [c for c in engine.labelled("containers", LABELS) if "/" + NAME in (c.get("Names") or [])]
    return found[0] if found else None


def _host_ports(container: dict[str, Any]) -> tuple[int, int] | None:
    published = {p.get("PrivatePort"): p.get("PublicPort") for p in container.get("Ports") or [] if p.get("PublicPort")}
    if 80 in published and 443 in published:
        return int(published[80]), int(published[443])
    labels = container.get("Labels") or {}
    if "dev.devenv.router.ports" in labels:
        http, https = labels["dev.devenv.router.ports"].split(",")
        return int(http), int(https)
    return None


def state(engine: ContainerEngine) -> RouterState:
    container = _router(engine)
    routes = routes_from_containers(engine.container_labels())
    return RouterState(container, _host_ports(container) if container else None, routes)


def sync(engine: ContainerEngine, report: Reporter | None = None, *, image: str | None = None,
         project: str | None = None) -> RouterState:
    """Make the router serve exactly the routes on the engine now. Idempotent, and quick when
    nothing changed (two list calls and one file read).

    `image`: what `project`'s devenv.lock pins the router to; a router that is not running yet
    starts from it (else from the tag). One that runs other content is the shared router's rule
    (`_follow_pin`): recreated from the pin when only `project` has routes, else reported."""
    report = report or Silent()
    rows = engine.container_labels()
    routes = routes_from_containers(rows)
    container = _router(engine)
    if not routes:
        if container is not None and os.environ.get("DEVENV_ROUTER_KEEP") != "1":
            stop(engine)
            report.step("router", "remove", "no project needs it (DEVENV_ROUTER_KEEP=1 keeps it)")
        return RouterState(None, None, [])
    engine.ensure_network(NETWORK, LABELS)
    routed = {(r.project, r.service) for r in routes}
    for row in rows:
        labels = row.get("Labels") or {}
        networks = ((row.get("NetworkSettings") or {}).get("Networks") or {})
        if ((labels.get("dev.devenv.project"), labels.get("dev.devenv.service")) in routed
                and row.get("State") == "running" and NETWORK not in networks):
            engine.connect(row["Id"], NETWORK)
    config = canonical_json(caddy_config(routes)).encode()
    if container is not None and image is not None and project is not None:
        container = _follow_pin(engine, container, image, project, routes, report)
    if container is None:
        container = _start(engine, config, report, image or IMAGE)
    elif container.get("State") != "running":
        _put_config(engine, container["Id"], config)
        engine.start(container["Id"], "the router")
    elif engine.read_file(container["Id"], CONFIG) != config:
        _put_config(engine, container["Id"], config)
        _reload(engine, container["Id"])
        report.debug(f"router: {len(routes)} route(s) reloaded")
    return RouterState(container, _host_ports(container), routes)


def _put_config(engine: ContainerEngine, container_id: str, config: bytes) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo(os.path.basename(CONFIG))
        info.size, info.mode, info.mtime = len(config), 0o644, int(time.time())
        tar.addfile(info, io.BytesIO(config))
    engine.put_archive(container_id, os.path.dirname(CONFIG), buffer.getvalue())


def _reload(engine: ContainerEngine, container_id: str) -> None:
    # Through the admin API on the router's own loopback: a graceful reload, no restart, no
    # dropped connections; the API is never published.
    code, output = engine.exec(container_id, ["caddy", "reload", "--config", CONFIG, "--address", ADMIN,
                                              "--force"])
    if code != 0:
        raise DevenvError("the router refused its new configuration", details=output.strip()[-2000:])


def runs_pin(engine: ContainerEngine, container: dict[str, Any], image: str) -> bool:
    """Whether the router container runs exactly the content `image` (a pin) names."""
    if container.get("Image") == image:
        return True
    wanted = engine.image_id(image)
    return wanted is not None and wanted == container.get("ImageID")


def _follow_pin(engine: ContainerEngine, container: dict[str, Any], image: str, project: str,
                routes: list[Route], report: Reporter) -> dict[str, Any] | None:
    """The shared router's rule for pins. Projects on one engine share one router, and their
    locks may pin different content. A router that runs other content than `project`'s pin is
    recreated from the pin when no other project has routes on it (nothing is lost: routes come
    from the containers, the CA from the volume); while another project has routes, it is
    left as it is and reported, since recreating it would move that project's router too."""
    if runs_pin(engine, container, image):
        return container
    running = f"{container.get('Image')} ({str(container.get('ImageID', ''))[7:19]})"
    others = sorted({r.project for r in routes} - {project})
    if others:
        report.warn(f"the router runs {running}, not {image} that devenv.lock pins; it also serves "
                    f"{', '.join(others)}, so it is left as it is (once they are down, the next `devenv up` "
                    "moves it to the pin; `devenv router stop` does it now)")
        return container
    report.step("router", "recreate", f"{running} → {image} (devenv.lock)")
    engine.remove(container["Id"])
    return None


def _start(engine: ContainerEngine, config: bytes, report: Reporter, image: str = IMAGE) -> dict[str, Any]:
    if engine.image_id(image) is None and image.startswith("sha256:"):
        raise DevenvError(f"devenv.lock pins the router's image {IMAGE} to the local-only image {image[:19]}…, "
                          "which is not on this machine",
                          hint="make that image here (it was never in a registry), or pin one a registry holds "
                               "with `devenv lock --update`")
    if engine.image_id(image) is None:
        report.step("router", "pull", image)
        with report.pull_progress("router pull") as progress:
            engine.pull(image, progress)
    engine.ensure_volume(VOLUME, LABELS)
    wanted = [DEFAULT_PORTS, fallback_ports()]
    if os.environ.get("DEVENV_ROUTER_PORTS"):  # a choice, not only the fallback: kept off 80/443
        wanted = wanted[1:]
    elif not all(port_free("127.0.0.1", p) for p in DEFAULT_PORTS):
        wanted = wanted[1:]
        report.warn(f"ports 80/443 are taken on 127.0.0.1: the router listens on {wanted[0][0]}/{wanted[0][1]} "
                    "(set DEVENV_ROUTER_PORTS to choose)")
    last: DevenvError | None = None
    for http, https in wanted:
        spec: ContainerSpec = {"image": image, "command": ["caddy", "run", "--config", CONFIG], "entrypoint": None,
                "env": {"XDG_DATA_HOME": "/data", "XDG_CONFIG_HOME": "/config"},
                "mounts": [{"type": "volume", "source": VOLUME, "target": "/data", "read_only": False}],
                "ports": [f"127.0.0.1:{http}:80/tcp", f"127.0.0.1:{https}:443/tcp"], "workdir": None,
                "user": None, "healthcheck": None, "restart": "unless-stopped", "init": False,
                "stop_timeout": 5.0, "aliases": [NAME]}
        labels = {**LABELS, "dev.devenv.router.ports": f"{http},{https}"}
        container_id = engine.create(name=NAME, spec=spec, labels=labels, network=NETWORK)
        _put_config(engine, container_id, config)
        try:
            engine.start(container_id, "the router")
        except DevenvError as exc:  # a port that is not ours to bind (rootless) or taken meanwhile
            engine.remove(container_id)
            last = exc
            if (http, https) != wanted[-1]:
                report.warn(f"the router cannot listen on {http}/{https} ({exc.message}); trying "
                            f"{wanted[-1][0]}/{wanted[-1][1]}")
            continue
        report.step("router", "start", f"http://*.localhost:{http} https://*.localhost:{https}"
                    .replace(":80 ", " ").replace(":443", ""))
        found = _router(engine)
        if found is None:
            raise DevenvError("the router started, then disappeared", hint="see `devenv router logs`")
        return found
    raise DevenvError(f"the router could not start: {last.message if last else 'no port'}",
                      hint="free the ports, or set DEVENV_ROUTER_PORTS=8080,8443")


def stop(engine: ContainerEngine) -> bool:
    """Remove the router and its network; the CA's volume stays, so a trusted root stays trusted."""
    container = _router(engine)
    if container is not None:
        engine.remove(container["Id"])
    for network in engine.labelled("networks", LABELS):
        try:
            engine.remove_network(network["Id"])
        except DevenvError:
            pass  # a routed container still attached: the next sync uses the network again
    return container is not None


def root_certificate(engine: ContainerEngine) -> bytes | None:
    """The local CA's root certificate (public); its key never leaves the router's volume."""
    container = _router(engine)
    if container is None:
        return None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # Caddy makes its CA on the first start
        cert = engine.read_file(container["Id"], ROOT_CERT)
        if cert:
            return cert
        time.sleep(0.2)
    return None


def service_urls(engine: ContainerEngine, http_specs: Mapping[str, HttpSpec]) -> dict[str, list[str]]:
    """The router addresses of each routed service (by the `http` part of its spec), with the
    ports the router really listens on."""
    if not http_specs:
        return {}
    container = _router(engine)
    http, https = (_host_ports(container) if container else None) or DEFAULT_PORTS
    return {name: urls(spec, http_port=http, https_port=https) for name, spec in sorted(http_specs.items())}


def running_image(container: dict[str, Any] | None) -> str:
    """The image the router was made from (a tag, or the pin of a project's devenv.lock)."""
    return str(container.get("Image") or IMAGE) if container else IMAGE


def describe(route: Route) -> dict[str, Any]:
    return {"project": route.project, "service": route.service, "hosts": route.hosts, "state": route.state,
            "upstreams": route.upstreams, "https": route.https, "paths": route.paths}


def status_json(engine: ContainerEngine) -> str:
    current = state(engine)
    return json.dumps({"running": bool(current.container and current.container.get("State") == "running"),
                       "image": running_image(current.container),
                       "ports": list(current.ports) if current.ports else None,
                       "routes": [describe(r) for r in current.routes]}, indent=2)
