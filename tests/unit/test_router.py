"""The router's pure parts: routes from engine rows, Caddy's config, the manifest field, trust steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devenv.errors import ManifestError
from devenv.manifest.load import load_project
from devenv.router.routes import ADMIN, caddy_config, claimed_elsewhere, page, routes_from_containers, urls
from devenv.router.trust import NICKNAME, install_steps, uninstall_steps


def row(project: str, service: str, n: int, *, state: str = "running", status: str = "Up 3 seconds",
        http: dict | None = None) -> dict:
    spec = {"image": "x"} | ({"http": http} if http else {})
    return {"Names": [f"/{project}-{service}-{n}"], "State": state, "Status": status,
            "Labels": {"dev.devenv.project": project, "dev.devenv.service": service,
                       "dev.devenv.spec": json.dumps(spec)}}


WEB = {"hosts": ["web.shop.localhost", "shop.localhost"], "port": 8000, "paths": [], "https": True}


def test_running_or_starting_replicas_are_upstreams_and_stopped_ones_are_not():
    # A replica whose healthcheck has not passed yet is routed too: the configuration is written
    # when devenv acts, and health changes later with nobody to write it again.
    routes = routes_from_containers([
        row("shop", "web", 2, http=WEB), row("shop", "web", 1, http=WEB),
        row("shop", "web", 3, status="Up 1 second (health: starting)", http=WEB),
        row("shop", "db", 1),  # not routed
        row("blog", "web", 1, state="exited", status="Exited (0)", http={**WEB, "hosts": ["web.blog.localhost"]}),
        row("cms", "web", 1, status="Up 1 second (health: starting)", http={**WEB, "hosts": ["web.cms.localhost"]}),
        row("wiki", "web", 1, state="restarting", status="Restarting (1) 1 second ago",
            http={**WEB, "hosts": ["web.wiki.localhost"]}),
    ])
    assert [(r.project, r.service, r.state, r.upstreams) for r in routes] == [
        ("blog", "web", "stopped", []), ("cms", "web", "starting", ["cms-web-1:8000"]),
        ("shop", "web", "running", ["shop-web-1:8000", "shop-web-2:8000", "shop-web-3:8000"]),
        ("wiki", "web", "starting", ["wiki-web-1:8000"])]


@pytest.mark.parametrize(("mine", "clash"), [
    ({"hosts": ["api.localhost"], "paths": []}, "api.localhost"),  # another project's listed host
    ({"hosts": ["web.blog.localhost", "shop.localhost"], "paths": []}, "shop.localhost"),  # its automatic one
    ({"hosts": ["pages.localhost"], "paths": ["/v1"]}, "pages.localhost"),  # a path prefix both claim
    ({"hosts": ["pages.localhost"], "paths": ["/v2//"]}, "pages.localhost"),  # the router's /v2* too
    ({"hosts": ["api.localhost"], "paths": ["/"]}, "api.localhost"),  # `/` is the whole host
    ({"hosts": ["pages.localhost"], "paths": ["/v3"]}, None),  # different prefixes share a host
    ({"hosts": ["pages.localhost"], "paths": []}, None),  # the rest of a host whose prefixes are taken
    ({"hosts": ["web.blog.localhost"], "paths": []}, None),  # this project's own name, on the engine already
])
def test_a_name_another_project_is_served_at_is_claimed_elsewhere(mine, clash):
    rows = [row("shop", "web", 1, http=WEB),
            row("cms", "api", 1, state="exited", http={**WEB, "hosts": ["api.localhost"]}),  # stopped: still routed
            row("docs", "pages", 1, http={**WEB, "hosts": ["pages.localhost"], "paths": ["/v1", "/v2"]}),
            row("blog", "web", 1, http={**WEB, "hosts": ["web.blog.localhost"]})]
    rows[0]["Labels"]["dev.devenv.root"] = "/src/shop"
    found = claimed_elsewhere("blog", {"web": mine}, routes_from_containers(rows))
    assert [(service, host) for service, host, _ in found] == ([("web", clash)] if clash else [])
    if clash == "shop.localhost":
        assert (found[0][2].project, found[0][2].root) == ("shop", "/src/shop")


def test_a_router_or_one_off_container_is_never_a_route():
    other = row("shop", "web", 1, http=WEB)
    other["Labels"]["dev.devenv.role"] = "oneoff"
    assert routes_from_containers([other]) == []


def test_config_routes_hosts_balances_replicas_and_ends_in_a_404():
    (route,) = routes_from_containers([row("shop", "web", 1, http=WEB), row("shop", "web", 2, http=WEB)])
    config = caddy_config([route])
    assert config["admin"] == {"listen": ADMIN} and ADMIN.startswith("localhost:")
    for server in ("http", "https"):
        routes = config["apps"]["http"]["servers"][server]["routes"]
        first, last = routes[0], routes[-1]
        assert first["match"] == [{"host": ["web.shop.localhost", "shop.localhost"]}]
        proxy = first["handle"][0]
        assert proxy["handler"] == "reverse_proxy"
        assert [u["dial"] for u in proxy["upstreams"]] == ["shop-web-1:8000", "shop-web-2:8000"]
        assert proxy["load_balancing"]["selection_policy"]["policy"] == "round_robin"
        assert proxy["load_balancing"]["try_duration"]  # a replica that refuses hands over to the next
        assert "match" not in last and last["handle"][0]["status_code"] == 404
    policy = config["apps"]["tls"]["automation"]["policies"][0]
    assert policy["subjects"] == ["shop.localhost", "web.shop.localhost"]
    assert policy["issuers"] == [{"module": "internal"}]
    assert config["apps"]["pki"]["certificate_authorities"]["local"]["install_trust"] is False


def test_a_service_without_a_running_replica_gets_its_page_and_http_only_routes_stay_off_https():
    (route,) = routes_from_containers([row("shop", "web", 1, state="exited", status="Exited (0)",
                                           http={**WEB, "https": False, "paths": ["/api/"]})])
    config = caddy_config([route])
    http_routes = config["apps"]["http"]["servers"]["http"]["routes"]
    assert http_routes[0]["match"] == [{"host": WEB["hosts"], "path": ["/api*"]}]
    handler = http_routes[0]["handle"][0]
    assert handler["status_code"] == 503 and "web of shop is stopped" in handler["body"]
    assert len(config["apps"]["http"]["servers"]["https"]["routes"]) == 1  # only the 404
    assert config["apps"]["tls"]["automation"]["policies"] == []


def test_the_page_escapes_names_and_says_what_to_do():
    (route,) = routes_from_containers([row("shop", "web", 1, http=WEB)])
    route.service = "<b>"
    text = page(route, "starting")
    assert "&lt;b&gt; of shop is starting" in text and "devenv up" in text and "<b>" not in text


@pytest.mark.parametrize("ports, expected", [
    ((80, 443), ["https://web.shop.localhost", "http://web.shop.localhost"]),
    ((8080, 8443), ["https://web.shop.localhost:8443", "http://web.shop.localhost:8080"]),
])
def test_urls_show_a_port_only_when_it_is_not_the_default(ports, expected):
    assert urls({"hosts": ["web.shop.localhost"], "https": True}, http_port=ports[0], https_port=ports[1]) == expected
    assert urls({"hosts": ["a.localhost"], "https": False}, http_port=80, https_port=443) == ["http://a.localhost"]


def spec_http(make_project, manifest: str) -> dict[str, dict]:
    from devenv.core.spec import container_spec

    root = make_project({"devenv.toml": '[project]\nname = "shop"\n' + manifest})
    project = load_project(directory=root, environ={})
    return {name: container_spec(project, name, svc, "sha256:1", image_ref="x").get("http")
            for name, svc in project.manifest.services.items()}


def test_the_main_web_service_also_answers_at_the_project_name(make_project):
    found = spec_http(make_project, '[services.web]\nimage = "x"\nhttp = 8000\n'
                                    '[services.api]\nimage = "x"\n'
                                    'http = { port = 9000, hosts = ["api.example.localhost"] }\n'
                                    '[services.db]\nimage = "x"\n')
    assert found["web"] == {"hosts": ["web.shop.localhost", "shop.localhost"], "port": 8000, "paths": [],
                            "https": True}
    assert found["api"]["hosts"] == ["api.shop.localhost", "api.example.localhost"]
    assert found["db"] is None


@pytest.mark.parametrize("manifest, main", [
    ('[services.app]\nimage = "x"\nhttp = 3000\n', "app"),  # the only routed service
    ('[services.a]\nimage = "x"\nhttp = 1\n[services.b]\nimage = "x"\nhttp = 2\n', None),  # no web, two routed
    ('[services.a]\nimage = "x"\nhttp = 1\n[services.b]\nimage = "x"\nhttp = { port = 2, main = true }\n', "b"),
    ('[services.web]\nimage = "x"\nhttp = { port = 1, main = false }\n', None),
])
def test_which_service_is_main(make_project, manifest, main):
    found = spec_http(make_project, manifest)
    assert [name for name, h in found.items() if h and "shop.localhost" in h["hosts"]] == ([main] if main else [])


@pytest.mark.parametrize("value, message", [
    ("0", "should be at least 1"), ("65536", "should be at most 65535"),
    ('{ port = 80, hosts = ["Bad_Host"] }', "is not a host name"),
    ('{ port = 80, paths = ["api"] }', "is not a path prefix"),
    ('{ port = 80, colour = 1 }', "colour"),
])
def test_bad_http_values_name_the_line(make_project, value, message):
    root = make_project({"devenv.toml": f'[project]\nname = "shop"\n[services.web]\nimage = "x"\nhttp = {value}\n'})
    with pytest.raises(ManifestError) as caught:
        load_project(directory=root, environ={})
    text = str(caught.value) + " ".join(str(p) for p in caught.value.problems)
    assert message in text and "devenv.toml:5" in text, text


def test_trust_steps_per_platform(tmp_path: Path):
    cert = tmp_path / "root.crt"
    (tmp_path / ".pki" / "nssdb").mkdir(parents=True)
    profile = tmp_path / ".mozilla" / "firefox" / "abc.default"
    profile.mkdir(parents=True)
    (profile / "cert9.db").write_bytes(b"")
    linux = install_steps(cert, platform="linux", home=tmp_path, have={"update-ca-certificates", "certutil"})
    assert [s.argv[0] for s in linux] == ["cp", "update-ca-certificates", "certutil", "certutil"]
    assert linux[2].argv[linux[2].argv.index("-d") + 1] == f"sql:{tmp_path / '.pki' / 'nssdb'}"
    assert NICKNAME in linux[3].argv and f"sql:{profile}" in linux[3].argv
    p11 = install_steps(cert, platform="linux", home=tmp_path, have={"trust"})
    assert [s.argv[:3] for s in p11] == [["trust", "anchor", "--store"]]
    assert install_steps(cert, platform="darwin", home=tmp_path, have=set())[0].argv[:2] == ["security",
                                                                                              "add-trusted-cert"]
    assert install_steps(cert, platform="win32", home=tmp_path, have=set())[0].argv[:3] == ["certutil", "-addstore",
                                                                                             "-f"]
    undo = uninstall_steps(cert, platform="linux", home=tmp_path, have={"update-ca-certificates", "certutil"})
    assert [s.argv[0] for s in undo] == ["rm", "update-ca-certificates", "certutil", "certutil"]
    assert install_steps(cert, platform="linux", home=tmp_path, have=set()) == []


def test_a_route_on_path_prefixes_goes_before_one_on_its_whole_host():
    # Caddy takes the first match: `web` (all of shop.localhost) sorted before `zeta` (/z) hid /z.
    from devenv.router.routes import Route

    web = Route("shop", "web", ["shop.localhost"], 80, [], True, ["shop-web-1:80"], "running")
    zeta = Route("shop", "zeta", ["shop.localhost"], 80, ["/z"], True, ["shop-zeta-1:80"], "running")
    deep = Route("shop", "zz", ["shop.localhost"], 80, ["/z/deeper"], True, ["shop-zz-1:80"], "running")
    config = caddy_config([web, zeta, deep])
    served = [r["handle"][0]["upstreams"][0]["dial"]
              for r in config["apps"]["http"]["servers"]["http"]["routes"] if "match" in r]
    assert served == ["shop-zz-1:80", "shop-zeta-1:80", "shop-web-1:80"]
