"""`devenv router status|stop|logs` and `devenv trust`: the shared router and its local CA."""

from __future__ import annotations

import os
from pathlib import Path

from devenv import ui
from devenv.engine.client import Engine
from devenv.errors import EXIT_SERVICE_FAILED, DevenvError
from devenv.router import manager, trust
from devenv.router.routes import urls


def run_router_status(*, as_json: bool) -> int:
    engine = Engine()
    if as_json:
        ui.out(manager.status_json(engine))
        return 0
    current = manager.state(engine)
    if current.container is None:
        ui.out("router: not running (it starts with the first `devenv up` of a service with `http`)")
    else:
        http, https = current.ports or manager.DEFAULT_PORTS
        image = manager.running_image(current.container)
        ui.out(f"router: {current.container.get('State')}, {image}, 127.0.0.1:{http} (http) "
               f"and 127.0.0.1:{https} (https)")
    for route in current.routes:
        http, https = current.ports or manager.DEFAULT_PORTS
        shown = urls({"hosts": route.hosts, "https": route.https}, http_port=http, https_port=https)
        ui.out(f"  {route.project}/{route.service}  {route.state:<8} {' '.join(shown)}"
               + (f"  → {', '.join(route.upstreams)}" if route.upstreams else ""))
    return 0


def run_router_stop() -> int:
    stopped = manager.stop(Engine())
    ui.info("router: stopped (its CA stays in the volume devenv-router-data)" if stopped else
            "router: not running")
    return 0


def run_router_logs(*, tail: str) -> int:
    engine = Engine()
    container = manager.state(engine).container
    if container is None:
        raise DevenvError("the router is not running", hint="it starts with `devenv up` of a service with `http`")
    from devenv.cli.commands.logs import parse_tail

    for chunk in engine.logs(container["Id"], tail=parse_tail(tail)):
        ui.out(chunk.decode(errors="replace").rstrip("\n"))
    return 0


def run_trust(*, uninstall: bool, print_path: bool) -> int:
    home = Path(os.path.expanduser("~"))
    saved = trust.saved_root(home)
    if uninstall:
        steps = trust.uninstall_steps(saved, platform=trust.platform_name(), home=home, have=trust.tools())
    else:
        cert = manager.root_certificate(Engine())
        if cert is None:
            raise DevenvError("no local CA yet: the router has not run",
                              hint="run `devenv up` in a project with an `http` service, then `devenv trust`")
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_bytes(cert)
        if print_path:
            ui.out(str(saved))
            return 0
        steps = trust.install_steps(saved, platform=trust.platform_name(), home=home, have=trust.tools())
    if not steps:
        ui.warn("no certificate store found to update (no update-ca-certificates, p11-kit `trust` or certutil)")
        ui.info(f"the root certificate is at {saved}: import it by hand, or use it with curl --cacert")
        return EXIT_SERVICE_FAILED
    failed = 0
    for step, code, tail in trust.run(steps):
        ok = code == 0
        failed += not ok
        detail = f"{step.what}: {' '.join(step.argv)}" + ("" if ok else f" ({tail})")
        ui.step("trust", "done" if ok else "failed", detail)
    if failed:
        ui.info("some stores need more rights: run `sudo devenv trust" + (" --uninstall`" if uninstall else "`"))
        return EXIT_SERVICE_FAILED
    marker = trust.trusted_marker(home)
    if uninstall:
        marker.unlink(missing_ok=True)
    else:
        marker.touch()
    ui.info(f"{'removed' if uninstall else 'trusted'}: the devenv local CA ({saved})")
    return 0
