"""Watch mode against the real engine: `devenv watch --json` runs as a user would run it, as a
separate process; the tests edit files and read its JSON events and the containers' state."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import BUSYBOX
from tests.e2e.conftest import container_ids, started_at

SLEEPER = f'image = "{BUSYBOX}"\ncommand = "sleep 100000"\nstop_timeout = "1s"\n'


class Watch:
    """A running `devenv watch --json`: its events, read on a thread, and a clean stop."""

    def __init__(self, folder: Path, *args: str, as_json: bool = True):
        cmd = [sys.executable, "-m", "devenv", "watch", *(["--json"] if as_json else []), *args]
        self.proc = subprocess.Popen(cmd, cwd=folder, env={**os.environ, "NO_COLOR": "1"}, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.lines: list[str] = []
        self.events: list[dict] = []
        self._new: queue.Queue = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.seen = 0  # events before this index were consumed by wait_for

    def _read(self) -> None:
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            self.lines.append(line)
            try:
                event = json.loads(line)
            except ValueError:
                event = None
            if isinstance(event, dict):
                self.events.append(event)
            self._new.put(line)
        self._new.put(None)

    def wait_for(self, match, timeout: float = 90) -> dict:
        """The next event (after the last one waited for) for which match(event) is true."""
        if isinstance(match, str):
            name = match
            match = lambda e: e.get("event") == name
        deadline = time.monotonic() + timeout
        while True:
            while self.seen < len(self.events):
                event = self.events[self.seen]
                self.seen += 1
                if match(event):
                    return event
            if self.proc.poll() is not None and self._new.empty() and self.seen >= len(self.events):
                pytest.fail(f"devenv watch ended (exit {self.proc.returncode}):\n" + "\n".join(self.lines))
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail("timed out waiting for an event; output so far:\n" + "\n".join(self.lines))
            try:
                self._new.get(timeout=min(left, 0.5))
            except queue.Empty:
                pass

    def cycle(self, timeout: float = 90) -> list[dict]:
        """Everything from the next `change_detected` to its `ready`."""
        start = self.wait_for("change_detected", timeout)
        begin = self.events.index(start)
        self.wait_for("ready", timeout)
        return self.events[begin:self.seen]

    def quiet_for(self, seconds: float) -> list[dict]:
        """Wait, then return the events that arrived meanwhile (consumed)."""
        time.sleep(seconds)
        new = self.events[self.seen:]
        self.seen = len(self.events)
        return new

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=5)
        return self.proc.returncode


@pytest.fixture
def watch(project):
    """watch(folder, *args) → a started, ready Watch; stopped before the project is taken down."""
    running: list[Watch] = []

    def start(folder: Path, *args: str, as_json: bool = True) -> Watch:
        w = Watch(folder, *args, as_json=as_json)
        running.append(w)
        if as_json:
            w.wait_for("watching")
            w.wait_for("ready")
        return w

    yield start
    for w in running:
        w.stop()


def actions(events: list[dict]) -> list[tuple[str, str]]:
    return [(e["service"], e["action"]) for e in events if e.get("event") == "action"]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def container_file(docker_client, container_id: str, path: str) -> tuple[int, str]:
    result = docker_client.containers.get(container_id).exec_run(["cat", path])
    return result.exit_code, result.output.decode()


def test_restart_rule_restarts_exactly_that_service(project, watch, docker_client, unique_name):
    folder = project(f"""
[services.web]
{SLEEPER}
[[services.web.watch]]
paths = ["src/**/*.txt"]
action = "restart"

[services.db]
{SLEEPER}
""", {"src/app.txt": "one\n"})
    w = watch(folder)
    ids = container_ids(docker_client, unique_name)
    before = {name: started_at(docker_client, cid) for name, cid in ids.items()}

    write(folder / "src/app.txt", "two\n")
    cycle = w.cycle()
    assert actions(cycle) == [("web", "restart")]
    action = next(e for e in cycle if e["event"] == "action")
    assert action["files"] == ["src/app.txt"]
    assert container_ids(docker_client, unique_name) == ids
    assert started_at(docker_client, ids["web-1"]) != before["web-1"]
    assert started_at(docker_client, ids["db-1"]) == before["db-1"]
    assert w.stop() == 0  # Ctrl-C ends watching and leaves the environment up
    assert container_ids(docker_client, unique_name) == ids
    assert docker_client.containers.get(ids["web-1"]).status == "running"


def test_ignored_file_and_same_content_save_trigger_nothing(project, watch, unique_name):
    folder = project(f"""
[services.web]
{SLEEPER}
[[services.web.watch]]
paths = ["**"]
action = "restart"
""", {"src/app.txt": "same\n", "node_modules/pkg/index.js": "x", ".devenvignore": "*.log\n",
      **{f"node_modules/p{i}/lib/a.js": "x" for i in range(40)}})
    w = watch(folder)
    time.sleep(0.3)
    write(folder / "node_modules/pkg/index.js", "changed")  # a default-ignored folder
    write(folder / "logs/debug.log", "line\n")  # a .devenvignore pattern
    write(folder / "src/app.txt", "same\n")  # rewritten with the same content
    tmp = folder / "src/.app.txt.tmp"  # an editor's atomic save of the same content
    tmp.write_text("same\n")
    tmp.rename(folder / "src/app.txt")
    assert w.quiet_for(1.5) == []

    write(folder / "src/other.txt", "new\n")  # the sentinel: only this one is a change
    cycle = w.cycle()
    assert [e["files"] for e in cycle if e["event"] == "action"] == [["src/other.txt"]]

    # node_modules got no inotify watch at all: count the watches of the watcher's inotify fd.
    # The root, src and logs (made after the start) are watched; node_modules and its 81 folders are not.
    assert inotify_watches(w.proc.pid) == 3


def inotify_watches(pid: int) -> int:
    total = 0
    for fd in os.listdir(f"/proc/{pid}/fdinfo"):
        try:
            text = Path(f"/proc/{pid}/fdinfo/{fd}").read_text()
        except OSError:
            continue
        total += len(re.findall(r"^inotify wd:", text, re.M))
    return total


def test_500_files_at_once_give_one_action_per_service(project, watch):
    folder = project(f"""
[services.web]
{SLEEPER}
[[services.web.watch]]
paths = ["src/**"]
action = "restart"

[services.worker]
{SLEEPER}
[[services.worker.watch]]
paths = ["src/**"]
action = "exec"
exec = ["sh", "-c", "echo ran >> /tmp/ran"]

[services.db]
{SLEEPER}
""", {"src/keep.txt": "x"})
    w = watch(folder)
    for i in range(500):
        write(folder / f"src/pkg{i % 10}/mod{i}.py", f"v = {i}\n")
    cycle = w.cycle()
    assert sorted(actions(cycle)) == [("web", "restart"), ("worker", "exec")]
    assert [e["count"] for e in cycle if e["event"] == "change_detected"] == [500]
    assert actions(w.quiet_for(1.0)) == []


def test_manifest_edit_recreates_only_the_changed_service(project, watch, docker_client, unique_name):
    folder = project(f"""
[services.web]
{SLEEPER}env = {{ MODE = "one" }}

[services.db]
{SLEEPER}
""")
    w = watch(folder)
    ids = container_ids(docker_client, unique_name)
    manifest = folder / "devenv.toml"
    manifest.write_text(manifest.read_text().replace('MODE = "one"', 'MODE = "two"'))
    cycle = w.cycle()
    assert actions(cycle) == [("web", "recreate")]
    assert "env.MODE" in next(e for e in cycle if e["event"] == "action")["detail"]
    after = container_ids(docker_client, unique_name)
    assert after["db-1"] == ids["db-1"]
    assert after["web-1"] != ids["web-1"]
    env = docker_client.api.inspect_container(after["web-1"])["Config"]["Env"]
    assert "MODE=two" in env


def test_broken_manifest_keeps_the_environment_and_the_next_save_recovers(project, watch, docker_client,
                                                                            unique_name):
    folder = project(f"""
[services.web]
{SLEEPER}env = {{ MODE = "one" }}
""")
    w = watch(folder)
    ids = container_ids(docker_client, unique_name)
    manifest = folder / "devenv.toml"
    good = manifest.read_text()
    manifest.write_text(good.replace('MODE = "one"', 'MODE = "two"') + 'ports = ["not-a-port"]\n')
    cycle = w.cycle()
    errors = [e for e in cycle if e["event"] == "error"]
    assert len(errors) == 1 and re.search(r"devenv\.toml:\d+: services\.web\.ports", errors[0]["message"])
    assert actions(cycle) == []
    assert container_ids(docker_client, unique_name) == ids
    assert docker_client.containers.get(ids["web-1"]).status == "running"

    manifest.write_text(good.replace('MODE = "one"', 'MODE = "three"'))
    cycle = w.cycle()
    assert actions(cycle) == [("web", "recreate")]
    new_id = container_ids(docker_client, unique_name)["web-1"]
    assert new_id != ids["web-1"]
    assert "MODE=three" in docker_client.api.inspect_container(new_id)["Config"]["Env"]


def test_sync_copies_and_deletes_files_in_the_container(project, watch, docker_client, unique_name):
    folder = project(f"""
[services.web]
{SLEEPER}
[[services.web.watch]]
paths = ["www/**"]
action = "sync"
target = "/srv/site"
""", {"www/index.html": "home\n"})
    w = watch(folder)
    cid = container_ids(docker_client, unique_name)["web-1"]
    before = started_at(docker_client, cid)

    write(folder / "www/a/b.html", "deep\n")  # /srv/site/a does not exist in the container yet
    write(folder / "www/index.html", "home v2\n")
    cycle = w.cycle()
    assert actions(cycle) == [("web", "sync")]
    assert container_file(docker_client, cid, "/srv/site/a/b.html") == (0, "deep\n")
    assert container_file(docker_client, cid, "/srv/site/index.html") == (0, "home v2\n")

    (folder / "www/a/b.html").unlink()
    cycle = w.cycle()
    assert actions(cycle) == [("web", "sync")]
    assert container_file(docker_client, cid, "/srv/site/a/b.html")[0] != 0
    assert container_file(docker_client, cid, "/srv/site/index.html") == (0, "home v2\n")
    assert started_at(docker_client, cid) == before  # synced, not restarted


def test_exec_runs_its_command_in_the_container(project, watch, docker_client, unique_name):
    folder = project(f"""
[services.web]
{SLEEPER}mounts = ["./app:/app"]
[[services.web.watch]]
paths = ["app/package.json"]
action = "exec"
exec = "sh -c 'cat /app/package.json >> /tmp/installed'"
""", {"app/package.json": "{}\n", "app/index.js": "1"})
    w = watch(folder)
    cid = container_ids(docker_client, unique_name)["web-1"]
    write(folder / "app/index.js", "2")  # a bind-mounted source with no rule: nothing
    write(folder / "app/package.json", '{"v": 2}\n')
    cycle = w.cycle()
    assert actions(cycle) == [("web", "exec")]
    assert next(e for e in cycle if e["event"] == "action")["files"] == ["app/package.json"]
    assert container_file(docker_client, cid, "/tmp/installed") == (0, '{"v": 2}\n')


def test_a_directory_created_after_the_start_is_watched(project, watch, docker_client, unique_name):
    folder = project(f"""
[services.web]
{SLEEPER}
[[services.web.watch]]
paths = ["src/**"]
action = "restart"
""", {"src/app.txt": "x"})
    w = watch(folder)
    (folder / "src/new/deeper").mkdir(parents=True)
    assert w.quiet_for(1.0) == []  # empty folders: nothing changed yet
    write(folder / "src/new/deeper/mod.txt", "1")
    cycle = w.cycle()
    assert [e["files"] for e in cycle if e["event"] == "action"] == [["src/new/deeper/mod.txt"]]
    write(folder / "src/new/deeper/mod.txt", "2")
    cycle = w.cycle()
    # the new folder keeps its watch: the edit is seen (on a loaded machine the truncate and the
    # write of write_text() may land in two batches, so count files, not actions)
    files = [f for e in cycle if e["event"] == "action" for f in e["files"]]
    assert files and set(files) == {"src/new/deeper/mod.txt"}, w.lines


@pytest.mark.parametrize("context", ["app", "."])  # ".": the manifest's own folder, the commonest layout
def test_build_context_change_rebuilds_and_a_failing_build_keeps_the_old_container(project, watch, docker_client,
                                                                                    unique_name, context):
    at = "" if context == "." else context + "/"
    folder = project(f"""
[services.app]
build = "{context}"
command = "sleep 100000"
stop_timeout = "1s"
""", {f"{at}Dockerfile": f"FROM {BUSYBOX}\nCOPY version.txt /version.txt\n", f"{at}version.txt": "1\n"})
    w = watch(folder)
    first = container_ids(docker_client, unique_name)["app-1"]
    write(folder / f"{at}version.txt", "2\n")
    cycle = w.cycle(timeout=180)
    assert actions(cycle) == [("app", "rebuild")]
    second = container_ids(docker_client, unique_name)["app-1"]
    assert second != first
    assert container_file(docker_client, second, "/version.txt") == (0, "2\n")

    write(folder / f"{at}Dockerfile", f"FROM {BUSYBOX}\nRUN exit 3\n")
    cycle = w.cycle(timeout=180)
    assert actions(cycle) == []
    errors = [e for e in cycle if e["event"] == "error"]
    assert len(errors) == 1 and "old container keeps running" in errors[0]["message"]
    assert container_ids(docker_client, unique_name)["app-1"] == second
    assert docker_client.containers.get(second).status == "running"


def test_a_crash_is_reported_and_the_next_change_restarts_it(project, watch, docker_client, unique_name):
    folder = project(f"""
[services.web]
{SLEEPER}
[[services.web.watch]]
paths = ["src/**"]
action = "restart"
""", {"src/app.txt": "x"})
    w = watch(folder)
    cid = container_ids(docker_client, unique_name)["web-1"]
    docker_client.containers.get(cid).kill()
    error = w.wait_for(lambda e: e.get("event") == "error", timeout=15)  # from the event stream, not the 30 s look
    assert error["service"] == "web" and "exited with code 137" in error["message"]
    assert w.proc.poll() is None  # still watching

    write(folder / "src/app.txt", "y")
    cycle = w.cycle()
    assert actions(cycle) == [("web", "restart")]
    assert docker_client.containers.get(cid).status == "running"


def test_plain_output_with_polling_and_down_on_exit(project, watch, docker_client, unique_name):
    folder = project(f"""
[services.web]
{SLEEPER}
[[services.web.watch]]
paths = ["src/**"]
action = "restart"
""", {"src/app.txt": "x"})
    w = watch(folder, "--poll", "--poll-interval", "100", "--down-on-exit", as_json=False)
    deadline = time.monotonic() + 90
    while "devenv: ready" not in w.lines:
        assert time.monotonic() < deadline and w.proc.poll() is None, "\n".join(w.lines)
        time.sleep(0.1)
    assert "devenv: watching" in w.lines
    write(folder / "src/app.txt", "y")
    while w.lines.count("devenv: ready") < 2:
        assert time.monotonic() < deadline and w.proc.poll() is None, "\n".join(w.lines)
        time.sleep(0.1)
    start = w.lines.index("devenv: change detected")
    assert re.fullmatch(r"\d\d:\d\d:\d\d web +restart  \(src/app\.txt changed\)  \d+\.\d\ds", w.lines[start + 1])
    assert w.stop() == 0
    assert container_ids(docker_client, unique_name) == {}


def test_a_provision_input_change_reprovisions_and_recreates(project, watch, docker_client, unique_name):
    folder = project(f"""
[services.app]
{SLEEPER}mounts = ["./:/src"]
provision = ["cp /src/requirements.txt /src/provisioned.txt"]
provision_inputs = ["requirements.txt"]

[services.db]
{SLEEPER}
""", {"requirements.txt": "one\n"})
    w = watch(folder)
    ids = container_ids(docker_client, unique_name)
    assert (folder / "provisioned.txt").read_text() == "one\n"
    write(folder / "requirements.txt", "two\n")
    cycle = w.cycle(timeout=120)
    assert actions(cycle) == [("app", "provision")]
    assert (folder / "provisioned.txt").read_text() == "two\n"
    after = container_ids(docker_client, unique_name)
    assert after["app-1"] != ids["app-1"] and after["db-1"] == ids["db-1"]


def maps_pydantic(pid: int) -> bool:
    """Whether the process has pydantic's compiled core loaded: the manifest model is in memory."""
    return "pydantic_core" in Path(f"/proc/{pid}/maps").read_text()


def test_a_watch_after_up_syncs_and_restarts_without_the_model_and_loads_it_to_reload(
        project, watch, docker_client, unique_name):
    """The watcher reads what to watch from the record of the last full `up` (about half its
    memory is the model otherwise); a manifest change still reloads and recreates."""
    from tests.conftest import run_devenv

    folder = project(f"""
[services.web]
{SLEEPER}env = {{ MODE = "one" }}
healthcheck = {{ test = "true", interval = "500ms" }}
[[services.web.watch]]
paths = ["www/**"]
action = "sync"
target = "/srv/site"
[[services.web.watch]]
paths = ["conf/**"]
action = "restart"
""", {"www/index.html": "home\n", "conf/app.ini": "a=1\n"})
    assert run_devenv("up", cwd=folder).code == 0
    w = watch(folder)
    assert not maps_pydantic(w.proc.pid)
    cid = container_ids(docker_client, unique_name)["web-1"]

    write(folder / "www/index.html", "home v2\n")
    assert actions(w.cycle()) == [("web", "sync")]
    assert container_file(docker_client, cid, "/srv/site/index.html") == (0, "home v2\n")
    before = started_at(docker_client, cid)
    write(folder / "conf/app.ini", "a=2\n")
    assert actions(w.cycle()) == [("web", "restart")]
    assert started_at(docker_client, cid) != before
    assert not maps_pydantic(w.proc.pid)

    manifest = folder / "devenv.toml"
    manifest.write_text(manifest.read_text().replace('MODE = "one"', 'MODE = "two"'))
    assert actions(w.cycle()) == [("web", "recreate")]
    after = container_ids(docker_client, unique_name)["web-1"]
    assert "MODE=two" in docker_client.api.inspect_container(after)["Config"]["Env"]
    assert maps_pydantic(w.proc.pid)


def test_a_bad_save_of_a_manifest_inside_a_build_context_is_reported_once(project, watch, docker_client,
                                                                          unique_name):
    """build = ".": devenv.toml is part of the context, so a save asks for a reload and for a
    rebuild; the rebuild would load the same broken manifest and report it a second time."""
    folder = project("""
[services.b]
build = "."
command = "sleep 100000"
stop_timeout = "1s"
""", {"Dockerfile": f"FROM {BUSYBOX}\n"})
    w = watch(folder)
    first = container_ids(docker_client, unique_name)["b-1"]
    manifest = folder / "devenv.toml"
    manifest.write_text(manifest.read_text() + "this is = = broken\n")
    cycle = w.cycle()
    errors = [e for e in cycle if e["event"] == "error"]
    assert len(errors) == 1 and "not valid TOML" in errors[0]["message"], cycle
    assert actions(cycle) == [] and container_ids(docker_client, unique_name)["b-1"] == first
