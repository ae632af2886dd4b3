"""The router through a converge on the FakeEngine: when a routed replica joins the router's
network, and what the one sync at the end of `apply` writes into Caddy's configuration."""

from __future__ import annotations

import json
import threading

import pytest

from devenv.converge.converger import Converger, make_plan
from devenv.converge.images import resolve_images
from devenv.manifest.load import Project, load_project
from devenv.router import manager
from tests.fakes import FakeEngine, converge

IMAGE = "localhost:5000/busybox:1"
WEB = f"""
[services.web]
image = "{IMAGE}"
http = 8000
scale = {{scale}}
healthcheck = {{{{ test = "true", interval = "1s" }}}}
"""


@pytest.fixture(autouse=True)
def free_ports(monkeypatch):
    monkeypatch.setattr(manager, "port_free", lambda host, port: True)  # no look at this machine's ports


def engine() -> FakeEngine:
    return FakeEngine(registry={IMAGE: "sha256:" + "b" * 64, manager.IMAGE: "sha256:" + "c" * 64})


def load(make_project, *, scale: int = 1, command: str = "httpd") -> Project:
    text = '[project]\nname = "shop"\n' + WEB.format(scale=scale) + f'command = "{command}"\n'
    return load_project(directory=make_project({"devenv.toml": text}), environ={})


def served(fake: FakeEngine) -> dict[str, list[str]]:
    """host → the upstreams Caddy is configured to proxy it to ([] when it serves a page)."""
    router = fake.container(manager.NAME)
    config = json.loads(router.files[manager.CONFIG])
    found = {}
    for route in config["apps"]["http"]["servers"]["http"]["routes"]:
        for match in route.get("match", []):
            handler = route["handle"][0]
            found[match["host"][0]] = [u["dial"] for u in handler.get("upstreams", [])]
    return found


def test_a_replica_still_starting_is_routed_by_the_one_sync_of_up(make_project):
    # The demo's web: a healthcheck, the last to start. The sync at the end of apply saw it
    # "health: starting"; left out then, it stayed on the "starting" page after it was healthy.
    fake = engine()
    fake.health["web"] = ["starting"]  # its healthcheck has not passed when apply ends
    converge(load(make_project), fake)
    assert fake.called("put_archive") == [manager.NAME]  # one configuration written, once
    assert served(fake) == {"web.shop.localhost": ["shop-web-1:8000"]}  # answers as soon as it listens
    assert [(r.service, r.state) for r in manager.state(fake).routes] == [("web", "starting")]


def test_a_routed_replica_joins_the_router_network_before_it_first_starts(make_project):
    fake = engine()
    converge(load(make_project, scale=2), fake)
    for name in ("shop-web-1", "shop-web-2"):
        ops = [(op, target) for op, target in fake.calls if target in (name, manager.NETWORK)]
        assert ops.index(("connect", manager.NETWORK)) < ops.index(("start", name)), ops
        assert manager.NETWORK in fake.container(name).networks
    assert served(fake) == {"web.shop.localhost": ["shop-web-1:8000", "shop-web-2:8000"]}


def test_a_recreate_as_watch_makes_it_joins_and_is_routed_under_its_final_name(make_project):
    fake = engine()
    project = load(make_project)
    converge(project, fake)
    old = fake.container("shop-web-1").id
    changed = load(make_project, command="httpd -v")
    services = changed.enabled_services()
    images = resolve_images(changed, fake, services)
    the_plan, desired = make_plan(changed, fake, services, images, full=False)  # watch's converge([name])
    assert [sp.kind for sp in the_plan.services] == ["recreate"]
    Converger(changed, fake, desired, threading.Event()).apply(the_plan)
    new = fake.container("shop-web-1")
    assert new.id != old and manager.NETWORK in new.networks
    # made as shop-web-1.next-…, renamed after: the router's network knows it by its final name
    assert "rename" in [op for op, _ in fake.calls]
    assert new.aliases[manager.NETWORK] == ["shop-web-1"]
    assert served(fake) == {"web.shop.localhost": ["shop-web-1:8000"]}


def test_a_replica_that_cannot_join_the_router_network_is_not_left_half_made(make_project):
    fake = engine()
    fake.fail("connect", "shop-web-1")
    with pytest.raises(Exception, match="injected"):
        converge(load(make_project), fake)
    assert [c.name for c in fake.by_id.values()] == []


def test_router_ports_chosen_by_the_user_are_used_even_with_80_and_443_free(make_project, monkeypatch):
    fake = engine()
    monkeypatch.setenv("DEVENV_ROUTER_PORTS", "47080,47443")
    converge(load(make_project), fake)
    assert fake.container(manager.NAME).spec["ports"] == ["127.0.0.1:47080:80/tcp", "127.0.0.1:47443:443/tcp"]
    monkeypatch.delenv("DEVENV_ROUTER_PORTS")
    other = engine()
    converge(load(make_project), other)  # not chosen, and free: 80 and 443
    assert other.container(manager.NAME).spec["ports"] == ["127.0.0.1:80:80/tcp", "127.0.0.1:443:443/tcp"]
