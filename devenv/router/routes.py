"""Routes from the engine's containers, and the Caddy configuration that serves them. Pure.

The route of each service travels on its containers (the `http` part of the spec label), so the
router's configuration is a function of what runs on the engine: nothing to store, nothing to
lose, and every project on the engine is served by the one router."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

L_PROJECT, L_SERVICE, L_SPEC, L_ROLE = "dev.devenv.project", "dev.devenv.service", "dev.devenv.spec", "dev.devenv.role"
L_ROOT = "dev.devenv.root"
ADMIN = "localhost:2019"  # inside the router only: never published, unreachable from other containers


@dataclass
class Route:
    project: str
    service: str
    hosts: list[str]
    port: int
    paths: list[str]
    https: bool
    upstreams: list[str] = field(default_factory=list)  # running replicas, by container name
    state: str = "stopped"  # running | starting | stopped
    root: str = ""  # the project's folder, where its containers say


def routes_from_containers(rows: list[dict]) -> list[Route]:
    """One route per routed service, from raw container rows (`docker ps -a` JSON).

    Every replica that is running (or restarting) is an upstream, whether its healthcheck has
    passed yet or not. The configuration only changes when devenv writes it, and a health
    state changes later, with no devenv process left to notice: a replica left out while it
    was "health: starting" stayed out until the next `up`. A replica that does not answer yet
    gets the "starting" page from Caddy's error route, and the first answer reaches the user
    with no reload. The route's state (for its page and `router status`) is the best of its
    replicas."""
    routes: dict[tuple[str, str], Route] = {}
    for row in sorted(rows, key=lambda r: (r.get("Names") or [""])[0]):
        labels = row.get("Labels") or {}
        if labels.get(L_ROLE, "service") != "service" or L_SPEC not in labels:
            continue
        try:
            http = json.loads(labels[L_SPEC]).get("http")
        except ValueError:
            continue
        if not http:
            continue
        key = (labels.get(L_PROJECT, "?"), labels.get(L_SERVICE, "?"))
        route = routes.setdefault(key, Route(key[0], key[1], list(http["hosts"]), int(http["port"]),
                                             list(http.get("paths") or []), bool(http.get("https", True)),
                                             root=labels.get(L_ROOT, "")))
        name = (row.get("Names") or ["/?"])[0].lstrip("/")
        if row.get("State") not in ("running", "restarting"):
            continue
        route.upstreams.append(f"{name}:{route.port}")
        starting = row.get("State") == "restarting" or "(health: starting)" in (row.get("Status") or "")
        if not starting:
            route.state = "running"
        elif route.state == "stopped":
            route.state = "starting"
    return sorted(routes.values(), key=lambda r: (r.project, r.service))


def claimed_elsewhere(project: str, mine: Mapping[str, Mapping[str, Any]],
                      routes: list[Route]) -> list[tuple[str, str, Route]]:
    """(service, host, the other route) for each name `project`'s routed services would answer
    at that another project's route on the engine answers on the same paths (core/routepaths:
    `/api` and `/api/` are one, `/` is the whole host): the router would serve only one of them."""
    from devenv.core.routepaths import same_requests

    found = []
    for service, http in mine.items():
        paths = http.get("paths") or []
        for host in http["hosts"]:
            other = next((r for r in routes if r.project != project and host in r.hosts
                          and same_requests(paths, r.paths)), None)
            if other is not None:
                found.append((service, host, other))
    return found


def page(route: Route, state: str) -> str:
    """The page shown for a service that does not answer: which one, and what to do."""
    what = {"starting": "is starting", "stopped": "is stopped"}.get(state, "is not answering")
    title = f"{route.service} of {route.project} {what}"
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{html.escape(title)}</title>"
            f"<meta http-equiv=refresh content=2></head><body style=\"font-family:sans-serif;margin:3em\">"
            f"<h1>{html.escape(title)}</h1><p>Run <code>devenv up</code> in the project's folder; this page "
            f"reloads itself.</p></body></html>")


def _static(body: str, status: int, content_type: str = "text/html; charset=utf-8") -> dict[str, Any]:
    return {"handler": "static_response", "status_code": status, "body": body,
            "headers": {"Content-Type": [content_type], "Cache-Control": ["no-store"]}}


def _routes(routes: list[Route], *, https: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    # Caddy takes the first route that matches: a route on path prefixes goes before one on its
    # whole host (longest prefix first), so `paths = ["/api"]` is not hidden by a catch-all.
    for route in sorted(routes, key=lambda r: (not r.paths, -max(map(len, r.paths), default=0))):
        if https and not route.https:
            continue
        match: dict[str, Any] = {"host": route.hosts}
        if route.paths:
            match["path"] = [p.rstrip("/") + "*" for p in route.paths]
        if route.upstreams:
            # Caddy passes WebSockets through and sets X-Forwarded-For/-Proto/-Host itself.
            handle: list[dict[str, Any]] = [{
                "handler": "reverse_proxy", "upstreams": [{"dial": u} for u in route.upstreams],
                # a replica that refuses (still starting) hands the request to the next one
                "load_balancing": {"selection_policy": {"policy": "round_robin"}, "try_duration": "1s"},
                "health_checks": {"passive": {"fail_duration": "2s"}}}]
        else:
            handle = [_static(page(route, route.state), 503)]
        out.append({"match": [match], "handle": handle, "terminal": True})
    # Host headers that match no route get a 404, never some other project's service.
    out.append({"handle": [_static("no devenv service answers at this address\n", 404, "text/plain")]})
    return out


def _errors(routes: list[Route]) -> dict[str, Any]:
    """A service that does not answer (restarting, still starting) gets its page, not a bare 502."""
    return {"routes": [{"match": [{"host": r.hosts}], "handle": [_static(page(r, "starting"), 502)]}
                       for r in routes] + [{"handle": [_static("bad gateway\n", 502, "text/plain")]}]}


def caddy_config(routes: list[Route]) -> dict[str, Any]:
    """Caddy's JSON config: plain HTTP on :80 (always works, no trust needed), HTTPS on :443 with
    certificates from Caddy's internal CA; the admin API on the router's own loopback."""
    tls_hosts = sorted({h for r in routes if r.https for h in r.hosts})
    servers: dict[str, Any] = {
        "http": {"listen": [":80"], "routes": _routes(routes, https=False), "errors": _errors(routes),
                 "automatic_https": {"disable": True}},
        "https": {"listen": [":443"], "routes": _routes(routes, https=True), "errors": _errors(routes),
                  "automatic_https": {"disable_redirects": True}, "tls_connection_policies": [{}]},
    }
    config: dict[str, Any] = {
        "admin": {"listen": ADMIN},
        "apps": {
            "http": {"servers": servers},
            # the CA's key stays in the router's volume; installing it into the container's own
            # trust store is pointless (and needs tools the image lacks)
            "pki": {"certificate_authorities": {"local": {"name": "devenv local CA", "install_trust": False}}},
            "tls": {"automation": {"policies": [{"subjects": tls_hosts, "issuers": [{"module": "internal"}],
                                                 "on_demand": False}] if tls_hosts else []}},
        },
    }
    return config


def urls(spec_http: Mapping[str, Any], *, http_port: int, https_port: int, trusted: bool = True) -> list[str]:
    """The addresses of one routed service, as a user types them (ports only when not 80/443)."""
    def address(scheme: str, host: str, port: int, default: int) -> str:
        return f"{scheme}://{host}" + ("" if port == default else f":{port}")

    found = []
    for host in spec_http["hosts"]:
        if spec_http.get("https", True):
            found.append(address("https", host, https_port, 443))
        found.append(address("http", host, http_port, 80))
    return found
