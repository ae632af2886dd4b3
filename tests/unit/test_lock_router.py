"""The router's image in devenv.lock: pinned in its own [router] table when a service is routed,
checked like a service's pin (out of date, --locked, tampering, drift), run by `up` from the pin,
and the rule for one router shared by projects with different pins. FakeEngine only."""

from __future__ import annotations

import threading

import pytest

from devenv.converge.converger import Converger, make_plan
from devenv.converge.images import resolve_images
from devenv.errors import LockOutOfDate
from devenv.lock.drift import differences, load_lock
from devenv.lock.file import Lock, Pin, parse_lock, read_lock, write_lock
from devenv.lock.file import lock_path as path_of
from devenv.lock.pins import registry_drift, relock
from devenv.lock.verify import tampered
from devenv.manifest.load import Project, load_project
from devenv.report import Reporter, Silent
from devenv.router import manager
from devenv.router.image import IMAGE, pinned
from tests.fakes import FakeEngine

APP = "localhost:5000/team/app:1"
CADDY = "sha256:" + "c" * 64
ROUTED = f'[services.web]\nimage = "{APP}"\nhttp = 8000\n'
PLAIN = f'[services.web]\nimage = "{APP}"\n'


@pytest.fixture(autouse=True)
def free_ports(monkeypatch):
    monkeypatch.setattr(manager, "port_free", lambda host, port: True)


class Said(Silent):
    """A reporter that keeps what it is told."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def step(self, service: str, action: str, detail: str = "") -> None:
        self.lines.append(f"{service} {action} {detail}")

    def warn(self, message: str) -> None:
        self.lines.append(f"warn {message}")


def engine(caddy: str = CADDY) -> FakeEngine:
    return FakeEngine(registry={APP: "sha256:" + "a" * 64, IMAGE: caddy})


def project_of(make_project, manifest: str, name: str = "shop") -> Project:
    root = make_project({"devenv.toml": f'[project]\nname = "{name}"\n' + manifest}, name=name)
    return load_project(directory=root, environ={})


def locked(project: Project, fake: FakeEngine) -> Lock:
    result = relock(project, fake, read_lock(project))
    write_lock(path_of(project), result.lock)
    return result.lock


def test_a_routed_manifest_pins_the_router_in_its_own_table(make_project):
    project = project_of(make_project, ROUTED)
    result = relock(project, engine(), None)
    assert result.lock.router == Pin(IMAGE, f"{IMAGE.split(':')[0]}@{CADDY}", "registry", CADDY)
    assert set(result.lock.services) == {"web"}  # not a service: no row among them
    assert result.router is not None and result.router.change == "added"
    text = result.lock.to_toml()
    assert "\n[router]\n" in text and f'pin = "caddy@{CADDY}"' in text
    assert parse_lock(text) == result.lock
    assert not [d for d in differences(project, result.lock) if d.blocking]


def test_a_manifest_without_http_has_no_router_pin_and_dropping_http_drops_it(make_project):
    assert relock(project_of(make_project, PLAIN, "a"), engine(), None).lock.router is None
    project = project_of(make_project, ROUTED, "b")
    lock = locked(project, engine())
    (path_of(project).parent / "devenv.toml").write_text('[project]\nname = "b"\n' + PLAIN)
    plain = load_project(directory=path_of(project).parent, environ={})
    assert [(d.service, d.kind, d.blocking) for d in differences(plain, lock)] == [("", "removed", True)]
    result = relock(plain, engine(), lock)
    assert result.lock.router is None and result.router is not None and result.router.change == "removed"


def test_a_lock_without_the_router_pin_is_out_of_date_and_locked_refuses_it(make_project):
    project = project_of(make_project, ROUTED)
    lock = locked(project, engine())
    write_lock(path_of(project), Lock(lock.services, lock.manifest_hash, lock.devenv))  # an older lock
    found = [d for d in differences(project, read_lock(project)) if d.blocking]
    assert [(d.service, d.kind) for d in found] == [("", "new")]
    assert f"the router's image {IMAGE} is not locked (service web" in found[0].message
    with pytest.raises(LockOutOfDate, match="the router's image"):
        load_lock(project, locked=True)
    said = Said()
    assert pinned(load_lock(project, report=said)) is None  # plain up warns and runs the tag
    assert any("the router's image" in line for line in said.lines), said.lines


def test_the_pin_is_kept_until_a_full_update_and_drift_is_reported(make_project):
    project = project_of(make_project, ROUTED)
    before = locked(project, engine())
    moved = engine(caddy="sha256:" + "d" * 64)
    kept = relock(project, moved, before)
    assert kept.lock.router == before.router and kept.router is not None and kept.router.change == "unchanged"
    assert relock(project, moved, before, update={"web"}).lock.router == before.router
    drift = registry_drift(project, moved, before)
    assert [(d.service, d.kind) for d in drift] == [("", "moved")] and "the router's image" in drift[0].message
    updated = relock(project, moved, before, update_all=True)
    assert updated.lock.router is not None and updated.lock.router.digest == "sha256:" + "d" * 64
    assert updated.router is not None and updated.router.change == "updated"


def test_a_router_pin_of_another_repository_does_not_verify(make_project):
    project = project_of(make_project, ROUTED)
    lock = locked(project, engine())
    forged = Lock(lock.services, lock.manifest_hash, lock.devenv,
                  router=Pin(IMAGE, f"localhost:5000/evil@{CADDY}", "registry", CADDY))
    (bad,) = tampered(project, forged)
    assert (bad.service, bad.kind) == ("", "tampered") and "localhost:5000/evil" in bad.message
    unknown = Lock(lock.services, lock.manifest_hash, lock.devenv,
                   router=Pin(IMAGE, "caddy@sha256:" + "e" * 64, "registry", "sha256:" + "e" * 64))
    # no such digest here or in the registry
    assert [d.kind for d in tampered(project, unknown, engine()) if d.service == ""] == ["tampered"]


# -- up runs the pin; one router, several projects ------------------------------------------------

MOVED = "sha256:" + "d" * 64


def pinned_engine() -> FakeEngine:
    """caddy:2 has moved on to MOVED since a lock pinned CADDY; both pullable by digest."""
    fake = engine(caddy=MOVED)
    fake.registry.update({f"caddy@{CADDY}": CADDY, f"caddy@{MOVED}": MOVED})
    return fake


def up(project: Project, fake: FakeEngine, router_image: str | None, report: Reporter | None = None) -> None:
    services = project.enabled_services()
    images = resolve_images(project, fake, services)
    the_plan, desired = make_plan(project, fake, services, images)
    kwargs = {"report": report} if report else {}
    Converger(project, fake, desired, threading.Event(), router_image=router_image, **kwargs).apply(the_plan)


def test_up_starts_the_router_from_the_pin(make_project):
    project = project_of(make_project, ROUTED)
    fake = pinned_engine()
    lock = locked(project, fake)
    assert pinned(lock) == f"caddy@{MOVED}"
    fake.registry[IMAGE] = CADDY  # the tag moves on after the lock was written
    up(project, fake, pinned(lock))
    router = fake.container(manager.NAME)
    assert router.spec["image"] == f"caddy@{MOVED}"
    assert fake.called("pull")[-1] == f"caddy@{MOVED}"  # never the tag


def test_a_router_on_other_content_is_recreated_from_the_pin_when_no_other_project_uses_it(make_project):
    project = project_of(make_project, ROUTED)
    fake = pinned_engine()
    up(project, fake, None)  # no lock yet: the router runs the tag
    old = fake.container(manager.NAME)
    assert old.spec["image"] == IMAGE
    said = Said()
    up(project, fake, f"caddy@{CADDY}", said)  # not the same content: the tag's image is not the pin's
    new = fake.container(manager.NAME)
    assert new.id != old.id and new.spec["image"] == f"caddy@{CADDY}"
    assert any(line.startswith("router recreate") for line in said.lines), said.lines


def test_a_router_on_the_pinned_content_is_kept_whatever_reference_made_it(make_project):
    project = project_of(make_project, ROUTED)
    fake = engine()
    fake.registry[f"caddy@{CADDY}"] = CADDY
    up(project, fake, None)  # made from the tag, which is the pinned content
    router = fake.container(manager.NAME).id
    fake.pull(f"caddy@{CADDY}")  # the engine knows the pin as that image
    said = Said()
    up(project, fake, f"caddy@{CADDY}", said)
    assert fake.container(manager.NAME).id == router and not [x for x in said.lines if "router" in x], said.lines


def test_a_router_that_serves_another_project_is_left_and_reported(make_project):
    shop, blog = project_of(make_project, ROUTED, "shop"), project_of(make_project, ROUTED, "blog")
    fake = pinned_engine()
    up(blog, fake, None)  # blog has no lock: the router runs the tag
    router = fake.container(manager.NAME).id
    said = Said()
    up(shop, fake, f"caddy@{CADDY}", said)
    assert fake.container(manager.NAME).id == router  # blog keeps its router
    (warning,) = [line for line in said.lines if line.startswith("warn")]
    assert f"not caddy@{CADDY} that devenv.lock pins" in warning and "blog" in warning


def test_the_no_op_fast_path_is_taken_only_while_the_router_runs_what_up_would_start(make_project, monkeypatch,
                                                                                    tmp_path):
    from devenv.core import fastpath
    from devenv.options import Options

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DEVENV_PROJECT_NAME", raising=False)
    project = project_of(make_project, ROUTED)
    fake = pinned_engine()
    services = project.enabled_services()
    images = resolve_images(project, fake, services)
    the_plan, desired = make_plan(project, fake, services, images)
    Converger(project, fake, desired, threading.Event()).apply(the_plan)  # the router runs the tag
    opts = Options(directory=project.root)
    fastpath.record(opts, project, fake, desired, images, router=IMAGE)
    assert fastpath.up_to_date(opts, fake) == ("shop", 1)
    fastpath.record(opts, project, fake, desired, images, router=f"caddy@{CADDY}")  # a pin of other content
    assert fastpath.up_to_date(opts, fake) is None
    fastpath.record(opts, project, fake, desired, images, router=IMAGE)
    manager.stop(fake)  # `devenv router stop`: the next up must start it again
    assert fastpath.up_to_date(opts, fake) is None


def test_doctor_probes_the_router_image_up_would_start(make_project):
    from devenv.doctor import FAIL, PASS, Context, check_images

    project = project_of(make_project, ROUTED)
    fake = engine()
    fake.registry[f"caddy@{CADDY}"] = CADDY  # a registry answers for the digest as for the tag
    locked(project, fake)
    before = len(fake.calls)
    assert [c.status for c in check_images(Context(project, fake))] == [PASS]  # type: ignore[arg-type]
    probed = [target for op, target in fake.calls[before:] if op == "registry_digest"]
    assert f"caddy@{CADDY}" in probed and IMAGE not in probed  # the pin, as `up` would start it
    fake.registry.clear()  # the registry lost everything; this machine never pulled the router
    rows = check_images(Context(project, fake))  # type: ignore[arg-type]
    assert [r.detail.split(":")[0] for r in rows] == ["service web", "the router"], rows
    assert all(r.status == FAIL for r in rows)


def test_a_local_only_router_pin_missing_here_is_named_not_pulled(make_project):
    from devenv.errors import DevenvError

    project = project_of(make_project, ROUTED)
    fake = engine()
    with pytest.raises(DevenvError, match="local-only image sha256:1111") as caught:
        up(project, fake, "sha256:" + "1" * 64)
    assert "devenv lock --update" in (caught.value.hint or "")
    assert not [ref for ref in fake.called("pull") if ref.startswith("sha256:")]
