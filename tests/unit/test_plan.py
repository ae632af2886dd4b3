"""The plan is pure: tested with plain data, and with hypothesis for its three promises:
converge-then-plan is all noop, key order changes nothing, one change touches one service."""

from __future__ import annotations

import random
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devenv.converge.converger import desired_state
from devenv.converge.images import Resolved
from devenv.core.plan import Action, Desired, Observed, plan
from devenv.manifest.load import load_project


def want(name: str, h: str = "h1", scale: int = 1, prov: str = "") -> Desired:
    return Desired(name=name, scale=scale, spec={"env": {"A": h}}, spec_hash=h, provision_hash=prov)


def have(service: str, h: str = "h1", replica: int = 1, state: str = "running", prov: str = "") -> Observed:
    return Observed(id=f"{service}{replica}{h}{state}", name=f"p-{service}-{replica}", service=service,
                    replica=replica, state=state, spec_hash=h, provision_hash=prov, spec={"env": {"A": h}})


def kinds(p) -> dict[str, str]:
    return {s.service: s.kind for s in p.services}


def test_each_action_with_reasons():
    p = plan({"a": want("a"), "b": want("b", "h2"), "c": want("c"), "d": want("d")},
             [have("a"), have("b", "h1"), have("c", state="exited"), have("old")])
    assert kinds(p) == {"a": "noop", "b": "recreate", "c": "start", "d": "create", "old": "remove"}
    assert p.for_service("b").reasons == ['env.A: "h1" → "h2"']
    assert p.for_service("old").reasons == ["not in devenv.toml any more"]
    assert p.for_service("c").reasons == ["container is exited"]
    assert p.for_service("not-in-the-plan") is None


def test_scale_up_and_down():
    up = plan({"w": want("w", scale=3)}, [have("w")])
    assert kinds(up) == {"w": "scale up"}
    assert [a.kind for a in up.for_service("w").actions] == ["noop", "create", "create"]
    down = plan({"w": want("w", scale=1)}, [have("w"), have("w", replica=2)])
    assert kinds(down) == {"w": "scale down"}


def test_provision_hash_change_recreates_and_provisions():
    p = plan({"w": want("w", prov="p2")}, [have("w", prov="p1")])
    sp = p.for_service("w")
    assert sp.kind == "recreate" and sp.provision and sp.reasons == ["provision: inputs changed"]
    assert not plan({"w": want("w", prov="p1")}, [have("w", prov="p1")]).for_service("w").provision


def test_a_container_about_to_be_removed_does_not_count_as_provisioned():
    # found by the converge-then-plan property: the duplicate with the right provision hash goes,
    # the one that stays was never provisioned, so the next plan would have recreated it
    p = plan({"a": want("a", "h2", prov="p1")}, [have("a", "h1", state="exited", prov="p1"), have("a", "h2", prov="")])
    sp = p.for_service("a")
    assert sp.provision and sorted(a.kind for a in sp.actions) == ["recreate", "remove"]
    scaled_down = plan({"a": want("a", prov="p1", scale=1)}, [have("a", prov=""), have("a", replica=2, prov="p1")])
    assert scaled_down.for_service("a").provision


def test_duplicates_and_created_only_containers_converge():
    # an interrupted run can leave a created-but-never-started container, or two of one replica
    p = plan({"w": want("w")}, [have("w", state="created"), have("w", state="running")])
    assert sorted(a.kind for a in p.for_service("w").actions) == ["noop", "remove"]
    assert kinds(plan({"w": want("w")}, [have("w", state="created")])) == {"w": "start"}


def test_subset_up_does_not_remove_orphans_and_disabled_is_left_alone():
    p = plan({"a": want("a")}, [have("a"), have("gone")], remove_orphans=False)
    assert kinds(p) == {"a": "noop"}
    p = plan({"a": want("a")}, [have("a"), have("dbg")], disabled={"dbg": "profile debug not enabled"})
    assert kinds(p) == {"a": "noop", "dbg": "disabled"}


def test_force_recreate():
    forced = plan({"a": want("a")}, [have("a")], force_recreate=frozenset({"a"}))
    assert kinds(forced) == {"a": "recreate"} and forced.for_service("a").reasons == ["--force-recreate"]


def test_every_action_names_its_replica():
    first, second = have("w"), have("w", replica=2, state="exited")
    p = plan({"w": want("w", scale=3)}, [first, second])
    assert [(a.replica, a.kind) for a in p.for_service("w").actions] == [(1, "noop"), (2, "start"), (3, "create")]
    assert [a.container for a in p.for_service("w").actions] == [first, second, None]  # each names its container


def test_each_action_in_full():
    """What `devenv up` acts on: the service, the replica, what to do, why, and to which container."""
    stale, kept, forced = have("a", state="exited"), have("a"), have("f")
    orphans = [have("old", replica=2), have("old")]
    p = plan({"a": want("a"), "f": want("f")}, [stale, kept, forced, *orphans], force_recreate=frozenset({"f"}),
             disabled={"dbg": "profile debug not enabled"})
    assert [a for sp in p.services for a in sp.actions] == [
        Action("a", 1, "remove", ("duplicate container",), stale),  # the running one of two is kept
        Action("a", 1, "noop", (), kept),
        Action("f", 1, "recreate", ("--force-recreate",), forced),
        Action("old", 1, "remove", ("not in devenv.toml any more",), orphans[1]),
        Action("old", 2, "remove", ("not in devenv.toml any more",), orphans[0]),
    ]
    assert p.for_service("dbg").actions == () and p.for_service("dbg").kind == "disabled"


def simulate(p, desired: dict[str, Desired], observed: list[Observed]) -> list[Observed]:
    """What the engine holds after a converge of plan p (a model of converge, for the property)."""
    result = {(o.service, o.replica, o.id): o for o in observed}
    for sp in p.services:
        for a in sp.actions:
            if a.container is not None and a.kind in ("remove", "recreate"):
                result.pop((a.container.service, a.container.replica, a.container.id))
            if a.kind in ("create", "recreate"):
                d = desired[a.service]
                o = Observed(id=f"new-{a.service}-{a.replica}", name="", service=a.service, replica=a.replica,
                             state="running", spec_hash=d.spec_hash, provision_hash=d.provision_hash, spec=d.spec)
                result[(o.service, o.replica, o.id)] = o
            if a.kind == "start":
                c = a.container
                result[(c.service, c.replica, c.id)] = c._replace(state="running")
    return list(result.values())


names = st.sampled_from(["a", "b", "c", "d", "e"])
hashes = st.sampled_from(["h1", "h2", "h3"])
states = st.sampled_from(["running", "exited", "created", "dead"])


@given(desired=st.dictionaries(names, st.tuples(hashes, st.integers(0, 3), st.sampled_from(["", "p1", "p2"]))),
       observed=st.lists(st.tuples(names, hashes, st.integers(1, 4), states, st.sampled_from(["", "p1"])),
                         max_size=8))
def test_converge_then_plan_is_all_noop(desired, observed):
    want_ = {n: Desired(n, scale, {"h": h}, h, prov) for n, (h, scale, prov) in desired.items()}
    have_ = [Observed(id=f"c{i}", name="", service=n, replica=r, state=s, spec_hash=h, provision_hash=p,
                      spec={"h": h}) for i, (n, h, r, s, p) in enumerate(observed)]
    first = plan(want_, have_)
    after = simulate(first, want_, have_)
    again = plan(want_, after)
    assert again.is_noop, [(s.service, s.kind, s.reasons) for s in again.services]


SERVICE_KEYS = {
    "image": st.sampled_from(["devenv-test/busybox:1", "postgres:16"]),
    "command": st.lists(st.sampled_from(["sh", "-c", "echo hi", "sleep 1"]), min_size=1, max_size=3),
    "env": st.dictionaries(st.sampled_from(["A", "B", "DEBUG"]), st.sampled_from(["0", "1", "x y"]), max_size=3),
    "ports": st.lists(st.integers(1000, 1100).map(lambda p: f"{p}:80"), max_size=2, unique=True),
    "workdir": st.sampled_from(["/app", "/srv"]),
    "mounts": st.lists(st.sampled_from(["data:/data", "./src:/src", "cache:/cache:ro"]), max_size=2, unique=True),
    "restart": st.sampled_from(["no", "always"]),
    "init": st.booleans(),
}
service_tables = st.fixed_dictionaries({"image": SERVICE_KEYS["image"]},
                                       optional={k: v for k, v in SERVICE_KEYS.items() if k != "image"})
manifests = st.dictionaries(st.sampled_from(["api", "db", "web", "cache"]), service_tables, min_size=1, max_size=4)


def specs_of(root: Path, services: dict) -> dict[str, str]:
    # Host ports must be unique across services for the manifest to be valid.
    seen: set[str] = set()
    for name in sorted(services):  # by name, so the shuffled copy keeps the same ports
        svc = services[name]
        svc["ports"] = [p for p in svc.get("ports", []) if not (p in seen or seen.add(p))]
    (root / "devenv.toml").write_text(tomli_w.dumps({"project": {"name": "p"}, "services": services}))
    project = load_project(directory=root, environ={})
    images = {n: Resolved(s.image, "sha256:" + s.image) for n, s in project.manifest.services.items()}
    return {n: d.spec_hash for n, d in desired_state(project, project.manifest.services, images).items()}


def shuffled(data, rng: random.Random):
    if isinstance(data, dict):
        items = list(data.items())
        rng.shuffle(items)
        return {k: shuffled(v, rng) for k, v in items}
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(services=manifests, rng=st.randoms())
def test_reordering_keys_changes_no_hash(tmp_path_factory, services, rng):
    root = tmp_path_factory.mktemp("p")  # one folder: bind mount sources resolve against it
    first = specs_of(root, {k: dict(v) for k, v in services.items()})
    second = specs_of(root, shuffled({k: dict(v) for k, v in services.items()}, rng))
    assert first == second


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(services=manifests, data=st.data())
def test_changing_one_field_touches_that_service_alone(tmp_path_factory, services, data):
    root = tmp_path_factory.mktemp("p")
    before = specs_of(root, {k: dict(v) for k, v in services.items()})
    target = data.draw(st.sampled_from(sorted(services)))
    changed = {k: dict(v) for k, v in services.items()}
    changed[target]["env"] = {**changed[target].get("env", {}), "CHANGED": "yes"}
    after = specs_of(root, changed)
    differing = {n for n in before if before[n] != after[n]}
    assert differing == {target}


def test_a_container_without_a_service_label_is_no_orphan_of_ours():
    # `docker run --label dev.devenv.project=p`: devenv did not make it, so `up` does not remove it.
    p = plan({"a": want("a")}, [have("a"), have("?"), have("old")])
    assert kinds(p) == {"a": "noop", "old": "remove"}


def test_orphans_are_removed_in_name_order_each_replica_in_turn():
    # the engine's order, and the containers' ids, say nothing about which replica goes first
    second, first = have("zeta", replica=2)._replace(id="0000"), have("zeta", replica=1)._replace(id="ffff")
    p = plan({"a": want("a")}, [second, have("a"), have("alpha"), first])
    assert [(a.service, a.replica, a.kind, a.container.replica) for s in p.services[1:] for a in s.actions] == [
        ("alpha", 1, "remove", 1), ("zeta", 1, "remove", 1), ("zeta", 2, "remove", 2)]
