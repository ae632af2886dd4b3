"""`devenv open [SERVICE]`: the URL of a service's published port (and, with --browser, open it).

With a SERVICE it prints that service's URL(s) and nothing else, so `URL=$(devenv open web)`
works in a script; without one it lists `service  url` for every service that publishes a port.
"""

from __future__ import annotations

from devenv import ui
from devenv.cli.commands.status import https_hint, status_view
from devenv.converge.projects import load_claimed
from devenv.engine.client import Engine
from devenv.errors import DevenvError, ServiceFailed, UsageError
from devenv.options import Options


def service_urls(rows: list[dict], service: str, port: int | None = None) -> list[str]:
    urls = []
    for row in rows:
        if row["service"] != service or row["state"] != "running":
            continue
        for p in row["ports"]:
            if p["url"] and (port is None or p["container_port"] == port) and p["url"] not in urls:
                urls.append(p["url"])
    return urls


def no_url(rows: list[dict], service: str, port: int | None) -> ServiceFailed:
    """Why a running service has no URL: no port published, or only UDP ones (no URL is for UDP)."""
    what = f"container port {port}" if port else "any port"
    if any(p["protocol"] != "tcp" and (port is None or p["container_port"] == port)
           for row in rows if row["service"] == service for p in row["ports"]):
        return ServiceFailed(f"service {service} publishes {what if port else 'ports'} over UDP only, and a URL "
                             "is for a TCP port", hint="publish a TCP port to open it")
    return ServiceFailed(f"service {service} does not publish {what} on the host",
                         hint=f'add e.g. ports = ["8000:8000"] to [services.{service}] in devenv.toml')


def run_open(opts: Options, *, service: str | None, browser: bool = False, port: int | None = None) -> int:
    engine = Engine()
    project = load_claimed(opts, engine)
    if service is not None and service not in project.manifest.services:
        raise UsageError(f"no service named {service} in {project.file.name}"
                         f" (services: {', '.join(project.manifest.services)})")
    rows, routed_by_name = status_view(project.name, tuple(project.manifest.services), engine)
    # Addresses by name through the router come first; https first once the local CA is trusted.
    running = {r["service"] for r in rows if r["state"] == "running"}
    routed = {name: ordered(found) for name, found in routed_by_name.items()
              if name in running and port is None}
    if service is None:
        found = {name: routed.get(name, []) + service_urls(rows, name, port)
                 for name in dict.fromkeys(r["service"] for r in rows)}
        found = {name: urls for name, urls in found.items() if urls}
        if not found:
            raise ServiceFailed(f"{project.name}: no running service publishes a port",
                                hint="`devenv up` starts the services; `ports` in devenv.toml publishes them")
        width = max(map(len, found))
        for name, urls in found.items():
            for url in urls:
                ui.out(f"{name.ljust(width)}  {url}")
        if browser:
            if len(found) > 1:
                raise UsageError(f"several services publish ports ({', '.join(found)}): name the one to open")
            _browse(next(iter(found.values()))[0])
        return 0
    urls = routed.get(service, []) + service_urls(rows, service, port)
    if not urls:
        if service not in running:
            raise ServiceFailed(f"service {service} is not running", hint=f"`devenv up {service}` starts it")
        raise no_url(rows, service, port)
    for url in urls:
        ui.out(url)
    if browser:
        _browse(urls[0])
    return 0


def ordered(urls: list[str]) -> list[str]:
    """http:// before https:// until `devenv trust` has run, so the first URL opens without a warning."""
    trusted = https_hint() is None
    return sorted(urls, key=lambda u: u.startswith("https://") != trusted)


def _browse(url: str) -> None:
    import webbrowser

    try:
        opened = webbrowser.open(url)
    except webbrowser.Error:
        opened = False
    if not opened:
        raise DevenvError(f"could not open a browser for {url}", hint="set BROWSER, or open the URL yourself")
