"""Issue 15 (points 1, 2, 6, 7) without an engine: whose resource is it, the writer lock's file
and holder, what counts as a crash at start-up, and the recovery from a stale engine task."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from devenv.converge import writer
from devenv.converge.converger import Converger, cannot_start_again, startup_problem
from devenv.converge.ownership import NotOurs, check_owned, owner_problem
from devenv.core.plan import Action, Desired, Observed
from devenv.core.spec import legacy_volume_name, volume_name
from devenv.errors import EXIT_BUSY, EXIT_USAGE, DevenvError
from devenv.lock.file import Pin
from devenv.lock.verify import pin_mismatch

# -- names and ownership --------------------------------------------------------------------------


def test_volume_names_are_one_to_one_where_the_old_ones_collided():
    assert legacy_volume_name("rlweb", "2_data") == legacy_volume_name("rlweb_2", "data")
    assert volume_name("rlweb", "2_data") != volume_name("rlweb_2", "data")
    # project names hold no ".", so the first "." splits every name back
    for project, volume in (("rlweb", "2_data"), ("rlweb_2", "data"), ("a-b", "c.d")):
        assert volume_name(project, volume).split(".", 1) == [project, volume]


def test_a_resource_of_another_folder_or_project_is_not_ours():
    labels = {"dev.devenv.project": "shop", "dev.devenv.root": "/src/main/shop"}
    assert owner_problem(labels, project="shop", root="/src/main/shop") is None
    assert owner_problem(labels, project="shop", root="/src/feature/shop") == \
        "it belongs to project 'shop' in /src/main/shop"
    assert owner_problem(labels, project="other", root="/src/main/shop") == "it belongs to project 'shop'"
    assert owner_problem({"dev.devenv.project": "shop"}, project="shop", root="/x") is None  # made before roots


def test_using_another_folders_volume_is_refused_with_the_usage_exit_code():
    labels = {"dev.devenv.project": "shop", "dev.devenv.root": "/a"}
    with pytest.raises(NotOurs) as caught:
        check_owned("volume", "shop.data", labels, project="shop", root="/b", action="mount")
    assert caught.value.exit_code == EXIT_USAGE
    assert caught.value.message \
        == "volume shop.data: it belongs to project 'shop' in /a, not to /b; refusing to mount it"
    check_owned("volume", "shop.data", None, project="shop", root="/b", action="mount")  # created now: fine


# -- the writer lock ------------------------------------------------------------------------------


def test_the_lock_lives_in_the_state_folder_and_is_shared_within_a_process(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert writer.lock_path("shop") == tmp_path / "devenv" / "locks" / "shop.lock"
    with writer.project_lock("shop"), writer.project_lock("shop", wait=False):  # re-entrant in one process
        assert '"pid"' in (tmp_path / "devenv" / "locks" / "shop.lock").read_text()
    assert (tmp_path / "devenv" / "locks" / "shop.lock").read_text() == ""  # released and cleared


def test_holder_description_names_command_and_pid(tmp_path):
    path = Path(tmp_path / "x.lock")
    path.write_text('{"pid": 42, "command": "devenv up", "since": 0}')
    assert writer.describe_holder(path).startswith("`devenv up` (pid 42, since ")
    path.write_text("")
    assert writer.describe_holder(path) == "another devenv command"
    assert writer.ProjectBusy("x").exit_code == EXIT_BUSY == 5


# -- failures at start-up -------------------------------------------------------------------------


@pytest.mark.parametrize(("inspected", "expected"), [
    ({"State": {"Status": "running", "ExitCode": 0}, "RestartCount": 0}, None),
    ({"State": {"Status": "exited", "ExitCode": 0}, "RestartCount": 0}, None),  # a one-shot job that finished
    ({"State": {"Status": "exited", "ExitCode": 127}, "RestartCount": 0}, "exited with code 127"),
    ({"State": {"Status": "restarting", "Restarting": True, "ExitCode": 3}, "RestartCount": 2},
     "restarted 2 times (last exit code 3)"),
    ({"State": {"Status": "running", "ExitCode": 0}, "RestartCount": 1}, "restarted 1 time"),
    ({"State": {"Status": "dead", "ExitCode": 137}, "RestartCount": 0}, "exited with code 137"),
])
def test_what_counts_as_a_crash_at_start_up(inspected, expected):
    assert startup_problem(inspected) == expected


class StaleTaskEngine:
    """Starting the old container fails as after an engine crash; everything else works."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def start(self, container_id: str, what: str) -> None:
        self.calls.append(("start", container_id))
        if container_id == "old":
            raise DevenvError(f"cannot start {what}: task 0123abcd already exists: unknown")

    def create(self, *, name: str, spec: dict, network: str, labels: dict) -> str:
        self.calls.append(("create", name))
        return "new"

    def stop(self, container_id: str, timeout: float) -> None:
        self.calls.append(("stop", container_id))

    def remove(self, container_id: str) -> None:
        self.calls.append(("remove", container_id))

    def rename(self, container_id: str, name: str) -> None:
        self.calls.append(("rename", container_id, name))


@pytest.mark.parametrize(("message", "why"), [
    ("cannot start service web: task 0123 already exists: unknown", "the engine kept a stale task after a crash"),
    ("cannot start service a: network d6ee119b932ae4e7659a44a7dd0468f69c9611f656ff240e484857a2e913c90f not found",
     "its network was removed"),
    ("port is already allocated", None),
    ("network mode not found", None),  # not a network that was there and is gone
])
def test_what_a_fresh_container_cures(message, why):
    assert cannot_start_again(message) == why


def test_a_stale_task_after_an_engine_crash_is_replaced_by_a_fresh_container():
    engine = StaleTaskEngine()
    want = Desired(name="web", scale=1, spec={"stop_timeout": 1}, spec_hash="h")
    project = SimpleNamespace(name="shop", root=Path("/src/shop"))
    old = Observed(id="old", name="shop-web-1", service="web", replica=1, state="exited", spec_hash="h")
    told: list[tuple[str, str, str]] = []
    report = SimpleNamespace(step=lambda service, action, detail="": told.append((service, action, detail)))
    converger = Converger(project, engine, {"web": want}, threading.Event(), report=report)  # type: ignore[arg-type]
    converger.apply_action(Action("web", 1, "start", ("container is exited",), old), want, 0.0)
    assert told[0] == ("web", "recreate", "the engine kept a stale task after a crash")
    assert engine.calls[0] == ("start", "old")
    assert engine.calls[1][0] == "create" and engine.calls[1][1].startswith("shop-web-1.next-")
    assert engine.calls[2][:2] == ("rename", "old") and engine.calls[2][2].startswith("shop-web-1.old-")
    assert engine.calls[3:] == [("rename", "new", "shop-web-1"), ("start", "new"), ("remove", "old")]
    assert converger.started == [("web", "new")]


# -- the lock verifies what it pins ---------------------------------------------------------------

D1, D2 = "sha256:" + "1" * 64, "sha256:" + "2" * 64


@pytest.mark.parametrize(("pin", "problem"), [
    (Pin("localhost:5000/team/web:1", f"localhost:5000/team/web@{D1}", "registry", D1), None),
    (Pin("postgres:16", f"docker.io/library/postgres@{D1}", "registry", D1), None),  # same repository, spelled out
    (Pin("localhost:5000/team/web:1", f"localhost:5000/team/api@{D1}", "registry", D1),
     "an image of localhost:5000/team/api, not of localhost:5000/team/web"),
    (Pin("web:1", f"web@{D1}", "registry", D2), "records the digest"),
    (Pin("web:1", "web:2", "registry"), "has no sha256 digest"),
    (Pin("web:1", "sha256:" + "a" * 64, "local"), None),
    (Pin("web:1", "web:1", "local"), "not a local image ID"),
    (Pin(f"web@{D1}", f"web@{D1}", "manifest", D1), None),
    (Pin(f"web@{D1}", f"web@{D2}", "manifest", D2), "the manifest names the digest itself"),
])
def test_a_pin_is_checked_on_its_face(pin, problem):
    found = pin_mismatch(pin)
    assert (found is None) if problem is None else (problem in (found or ""))
