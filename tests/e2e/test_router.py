"""The shared router on the real engine: names over HTTP and HTTPS, balancing, WebSockets, the
stopped page, other projects' downs, watch's recreations, and a real browser.

Requests go through curl, which resolves *.localhost to the loopback address as browsers do
(RFC 6761); the router image is the caddy:2 stand-in pulled through the registry mirror
(scripts/setup-router-image)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import BUSYBOX, PYTHON, run_devenv
from tests.e2e.conftest import docker

WEB = '''
[services.web]
image = "{image}"
command = "sh -c 'mkdir -p /www && {page} > /www/index.html && httpd -f -p 8000 -h /www'"
http = 8000
scale = {scale}
'''


def web(text: str = "", *, scale: int = 1, page: str | None = None) -> str:
    return WEB.format(image=BUSYBOX, page=page or f"echo {text}", scale=scale)


@pytest.fixture(scope="module", autouse=True)
def router_leaves_nothing():
    """The router, its network and volume, and the pulled caddy:2 go when these tests are done."""
    had_volume = docker("volume", "inspect", "devenv-router-data").returncode == 0
    had_image = docker("image", "inspect", "caddy:2").returncode == 0
    yield
    run_devenv("router", "stop")
    if not had_volume:
        docker("volume", "rm", "devenv-router-data")
    if not had_image:
        docker("image", "rm", "caddy:2")


def router_ports() -> tuple[int, int]:
    status = json.loads(run_devenv("router", "status", "--json").out)
    assert status["running"], status
    return status["ports"][0], status["ports"][1]


def curl(url: str, *extra: str) -> tuple[int, str]:
    proc = subprocess.run(["curl", "-s", "-m", "10", "-w", "\n%{http_code}", *extra, url], capture_output=True,
                          text=True)
    body, _, code = proc.stdout.rpartition("\n")
    return int(code or 0), body.strip()


def url(scheme: str, host: str) -> str:
    http, https = router_ports()
    port = https if scheme == "https" else http
    default = 443 if scheme == "https" else 80
    return f"{scheme}://{host}" + ("" if port == default else f":{port}")


def test_two_projects_by_name_over_http_and_https_and_nothing_else(project, unique_name):
    shop, blog = f"{unique_name}s", f"{unique_name}b"
    a = project(web("from-shop"), name=shop)
    b = project(web("from-blog"), name=blog)
    first = run_devenv("up", "--wait", cwd=a)
    assert first.code == 0, first.output
    assert f"http://web.{shop}.localhost" in first.err  # the up summary names the URL
    assert run_devenv("up", "--wait", cwd=b).code == 0
    cert = run_devenv("trust", "--print-path").out.strip()
    for name, text in ((shop, "from-shop"), (blog, "from-blog")):
        for host in (f"web.{name}.localhost", f"{name}.localhost"):
            assert curl(url("http", host)) == (200, text)
            assert curl(url("https", host), "--cacert", cert) == (200, text)
    # a host that matches no route is a 404, never another project's service
    code, body = curl(url("http", f"nothing.{shop}.localhost"))
    assert code == 404 and "from-" not in body
    # without the CA, HTTPS is refused by the client (curl exit 60), HTTP still works
    assert curl(url("https", f"web.{shop}.localhost"))[0] == 0
    status = json.loads(run_devenv("status", "--json", cwd=a).out)
    (web_urls,) = [u["urls"] for u in status["urls"] if u["service"] == "web"]
    assert f"http://web.{shop}.localhost" in web_urls
    assert run_devenv("open", "web", cwd=a).out.split()[0].startswith(("http://web.", "https://web."))
    # a third project asking for a name the router already gives shop is refused before it makes
    # anything, naming who has the name (else the router would serve one of them, silently)
    third = project(web("from-third").replace("http = 8000", f'http = {{ port = 8000, hosts = ["{shop}.localhost"] }}'),
                    name=f"{unique_name}t")
    planned = run_devenv("plan", cwd=third)  # plan says what up would: the same refusal
    assert planned.code == 1 and f"{shop}.localhost is already served by service web" in planned.err
    refused = run_devenv("up", cwd=third)
    assert refused.code == 1 and f"{shop}.localhost is already served by service web of project {shop}" in refused.err
    made = docker("ps", "-aq", "--filter", f"label=dev.devenv.project={unique_name}t").stdout
    assert str(a) in refused.err and made == ""
    assert curl(url("http", f"{shop}.localhost")) == (200, "from-shop")


def test_the_admin_api_is_neither_published_nor_reachable_from_containers(project, unique_name):
    folder = project(web("x"))
    assert run_devenv("up", "--wait", cwd=folder).code == 0
    published = docker("port", "devenv-router").stdout
    assert "2019" not in published and all(line.split(" -> ")[1].startswith("127.0.0.1:")
                                           for line in published.splitlines() if " -> " in line)
    probe = docker("run", "--rm", "--network", "devenv-router", BUSYBOX, "sh", "-c",
                   "wget -q -T 3 -O - http://devenv-router:2019/config/ && echo REACHED || echo REFUSED")
    assert "REFUSED" in probe.stdout and "REACHED" not in probe.stdout, probe


def test_replicas_are_balanced_and_a_stopped_service_shows_its_page(project, unique_name):
    folder = project(web(scale=2, page="hostname"))
    assert run_devenv("up", "--wait", cwd=folder).code == 0
    seen = {curl(url("http", f"web.{unique_name}.localhost"))[1] for _ in range(8)}
    assert len(seen) == 2, seen
    assert run_devenv("stop", "web", cwd=folder).code == 0
    code, body = curl(url("http", f"web.{unique_name}.localhost"))
    assert code == 503 and f"web of {unique_name} is stopped" in body and "devenv up" in body
    assert run_devenv("up", "--wait", cwd=folder).code == 0
    assert curl(url("http", f"web.{unique_name}.localhost"))[0] == 200


def test_the_router_survives_one_projects_down_and_leaves_with_the_last(project, unique_name):
    a = project(web("stays"), name=f"{unique_name}a")
    b = project(web("goes"), name=f"{unique_name}b")
    assert run_devenv("up", "--wait", cwd=a).code == 0
    assert run_devenv("up", "--wait", cwd=b).code == 0
    router_id = docker("inspect", "-f", "{{.Id}} {{.State.StartedAt}}", "devenv-router").stdout
    assert run_devenv("down", cwd=b).code == 0
    assert curl(url("http", f"web.{unique_name}a.localhost")) == (200, "stays")
    assert curl(url("http", f"web.{unique_name}b.localhost"))[0] == 404
    # routes followed without a restart of the router
    assert docker("inspect", "-f", "{{.Id}} {{.State.StartedAt}}", "devenv-router").stdout == router_id
    others = [r for r in json.loads(run_devenv("router", "status", "--json").out)["routes"]
              if r["project"] != f"{unique_name}a"]
    assert run_devenv("down", cwd=a).code == 0
    if not others:  # no other project on this engine needs it: it is gone
        assert docker("inspect", "devenv-router").returncode != 0


ECHO_SERVER = r'''
import base64, hashlib, socketserver
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        headers = {}
        self.rfile.readline()
        while (line := self.rfile.readline().decode().strip()):
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        accept = base64.b64encode(hashlib.sha1((headers["sec-websocket-key"] + GUID).encode()).digest()).decode()
        self.wfile.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        b1, b2 = self.rfile.read(2)
        size, mask = b2 & 0x7F, self.rfile.read(4)
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(size)))
        self.wfile.write(bytes([0x81, len(data)]) + data)
socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer(("0.0.0.0", 8000), Echo).serve_forever()
'''


def test_a_websocket_passes_through(project, unique_name):
    folder = project(f'''
[services.ws]
image = "{PYTHON}"
command = ["python3", "/app/echo.py"]
mounts = ["./echo.py:/app/echo.py:ro"]
http = 8000
''', files={"echo.py": ECHO_SERVER})
    assert run_devenv("up", "--wait", cwd=folder).code == 0
    http, _ = router_ports()
    key = base64.b64encode(os.urandom(16)).decode()
    deadline = time.monotonic() + 20
    while True:
        with socket.create_connection(("127.0.0.1", http), timeout=5) as sock:
            sock.sendall((f"GET /chat HTTP/1.1\r\nHost: ws.{unique_name}.localhost\r\nUpgrade: websocket\r\n"
                          f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                         .encode())
            head = sock.recv(4096).decode(errors="replace")
            if head.startswith("HTTP/1.1 101") or time.monotonic() > deadline:
                break
        time.sleep(0.3)  # the server may still be binding its port
    assert head.startswith("HTTP/1.1 101"), head
    expected = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode())
                                .digest()).decode()
    headers = dict(line.split(": ", 1) for line in head.split("\r\n")[1:] if ": " in line)
    assert {k.lower(): v for k, v in headers.items()}["sec-websocket-accept"] == expected
    with socket.create_connection(("127.0.0.1", http), timeout=5) as sock:
        sock.sendall((f"GET /chat HTTP/1.1\r\nHost: ws.{unique_name}.localhost\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            reply += sock.recv(4096)
        mask, payload = os.urandom(4), b"hello through the router"
        sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        frame = reply.split(b"\r\n\r\n", 1)[1]
        while len(frame) < 2 + len(payload):
            frame += sock.recv(4096)
    assert frame[0] == 0x81 and frame[2:2 + frame[1]] == payload


def test_a_service_still_starting_when_up_returns_is_served_once_it_answers(project, unique_name):
    # The demo's web has a healthcheck and starts last. `up` wrote the router's configuration
    # while the engine still said "health: starting", left it out of the routes, and nothing of
    # devenv was running when it turned healthy: its name kept answering the "starting" page.
    folder = project(web("now-healthy") + 'healthcheck = { test = "wget -q -O /dev/null http://127.0.0.1:8000/", '
                                          'interval = "2s", retries = 30 }\n')
    up = run_devenv("up", cwd=folder)  # no --wait: up returns before the first check has run
    assert up.code == 0, up.output
    assert "health: starting" in docker("ps", "--filter", f"name={unique_name}-web-1", "--format",
                                        "{{.Status}}").stdout
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "(healthy)" not in docker(
            "ps", "--filter", f"name={unique_name}-web-1", "--format", "{{.Status}}").stdout:
        time.sleep(0.2)
    assert curl(url("http", f"web.{unique_name}.localhost")) == (200, "now-healthy")
    # and `up --wait` (one sync, before its waits) leaves it served too
    assert run_devenv("down", "-t", "0", cwd=folder).code == 0
    assert run_devenv("up", "--wait", cwd=folder).code == 0
    assert curl(url("http", f"web.{unique_name}.localhost")) == (200, "now-healthy")


def registry_digest(repo: str, tag: str) -> str:
    """The digest the local registry (the engine's mirror) holds for repo:tag, from its HTTP API."""
    import urllib.request

    accept = ", ".join(f"application/vnd.{t}" for t in (
        "docker.distribution.manifest.list.v2+json", "docker.distribution.manifest.v2+json",
        "oci.image.index.v1+json", "oci.image.manifest.v1+json"))
    request = urllib.request.Request(f"http://127.0.0.1:5000/v2/{repo}/manifests/{tag}", method="HEAD",
                                     headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.headers["Docker-Content-Digest"]


def test_the_lock_pins_the_router_and_up_locked_runs_it_from_the_pin(project, unique_name):
    import tomllib

    digest = registry_digest("library/caddy", "2")
    folder = project(web("pinned-router"))
    lock = run_devenv("lock", cwd=folder)
    assert lock.code == 0, lock.output
    assert "the router's image: added caddy:2" in lock.out
    router = tomllib.loads((folder / "devenv.lock").read_text())["router"]
    assert router == {"image": "caddy:2", "pin": f"caddy@{digest}", "source": "registry", "digest": digest}
    assert run_devenv("lock", "--check", cwd=folder).code == 0
    # a lock without the router's pin (written before it was pinned): --locked refuses it, exit 4
    full = (folder / "devenv.lock").read_text()
    (folder / "devenv.lock").write_text(full.split("\n[router]\n")[0] + "\n")
    refused = run_devenv("up", "--locked", cwd=folder)
    assert refused.code == 4 and "the router's image caddy:2 is not locked" in refused.err, refused.output
    assert run_devenv("lock", "--check", cwd=folder).code == 4
    (folder / "devenv.lock").write_text(full)
    had_router = docker("inspect", "devenv-router").returncode == 0
    up = run_devenv("up", "--locked", "--wait", cwd=folder)
    assert up.code == 0, up.output
    assert curl(url("http", f"web.{unique_name}.localhost")) == (200, "pinned-router")
    # the router runs the content of the pin: its image is the one the engine knows as caddy@digest
    pinned_id = docker("image", "inspect", "-f", "{{.Id}}", f"caddy@{digest}").stdout.strip()
    assert pinned_id and docker("inspect", "-f", "{{.Image}}", "devenv-router").stdout.strip() == pinned_id
    if not had_router:  # this up started it: from the pin itself, not the tag
        assert docker("inspect", "-f", "{{.Config.Image}}", "devenv-router").stdout.strip() == f"caddy@{digest}"
        assert json.loads(run_devenv("router", "status", "--json").out)["image"] == f"caddy@{digest}"


def test_a_router_that_was_stopped_comes_back_with_the_next_up_of_an_unchanged_project(project, unique_name):
    folder = project(web("back-again"))
    assert run_devenv("up", "--wait", cwd=folder).code == 0
    assert run_devenv("router", "stop").code == 0
    again = run_devenv("up", cwd=folder)  # nothing of the project changed: the no-op path
    assert again.code == 0, again.output
    assert curl(url("http", f"web.{unique_name}.localhost")) == (200, "back-again")


def test_routes_follow_a_recreate_by_watch(project, unique_name):
    folder = project(web("v1") + '''
[[services.web.watch]]
paths = ["page.txt"]
action = "recreate"
''', files={"page.txt": "one"})
    assert run_devenv("up", "--wait", cwd=folder).code == 0
    target = url("http", f"web.{unique_name}.localhost")
    assert curl(target) == (200, "v1")
    router_started = docker("inspect", "-f", "{{.State.StartedAt}}", "devenv-router").stdout
    watch = subprocess.Popen([sys.executable, "-m", "devenv", "watch"], cwd=folder, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, env={**os.environ, "NO_COLOR": "1"})
    try:
        deadline = time.monotonic() + 60
        lines = []
        while time.monotonic() < deadline:
            line = watch.stdout.readline()
            lines.append(line)
            if "devenv: ready" in line:
                break
        (folder / "devenv.toml").write_text((folder / "devenv.toml").read_text().replace("echo v1", "echo v2"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and curl(target) != (200, "v2"):
            time.sleep(0.2)
        assert curl(target) == (200, "v2"), "".join(lines)
        # after the recreate every request is answered by the new container
        assert all(curl(target) == (200, "v2") for _ in range(10))
    finally:
        watch.terminate()
        watch.wait(30)
    assert docker("inspect", "-f", "{{.State.StartedAt}}", "devenv-router").stdout == router_started


@pytest.mark.skipif(not shutil.which("chromedriver"), reason="the browser test needs chromium-driver "
                    "(scripts/setup-router-image installs it)")
def test_a_real_browser_loads_the_page_over_https_with_the_local_ca_trusted(project, unique_name, tmp_path):
    from selenium import webdriver

    folder = project(web("seen-by-chromium"))
    assert run_devenv("up", "--wait", cwd=folder).code == 0
    home = tmp_path / "home"
    (home / ".pki" / "nssdb").mkdir(parents=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{home / '.pki' / 'nssdb'}", "--empty-password"], check=True)
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}
    trusted = run_devenv("trust", env=env)
    try:
        assert "NSS" in trusted.err and f"sql:{home}" in trusted.err, trusted.output
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     f"--user-data-dir={tmp_path / 'profile'}"):
            options.add_argument(flag)
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"), env={**os.environ, **env})
        driver = webdriver.Chrome(options=options, service=service)
        try:
            driver.get(url("https", f"web.{unique_name}.localhost"))
            assert "seen-by-chromium" in driver.page_source, driver.page_source[:500]
        finally:
            driver.quit()
    finally:
        run_devenv("trust", "--uninstall", env=env)
