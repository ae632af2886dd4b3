"""`devenv up / down / status / plan` against the real engine: recreate only what changed."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import BUSYBOX, run_devenv, run_on_a_terminal
from tests.e2e.conftest import container_ids, docker, free_port, started_at

SLEEPER = f'image = "{BUSYBOX}"\ncommand = "sleep 3600"\n'


def three_services(debug: str = "0") -> str:
    return f"""
[services.a]
{SLEEPER}env = {{ DEBUG = "{debug}" }}
[services.b]
{SLEEPER}
[services.c]
{SLEEPER}depends_on = ["a"]
"""


def test_sdk_smoke_creates_starts_and_removes_a_container(docker_client, unique_name):
    container = docker_client.containers.run(BUSYBOX, ["sh", "-c", "echo ok"], name=unique_name, detach=True)
    try:
        assert container.wait(timeout=30)["StatusCode"] == 0
        assert container.logs().strip() == b"ok"
    finally:
        container.remove(force=True)


def test_changing_one_service_recreates_only_that_container(project, docker_client, unique_name):
    folder = project(three_services("0"))
    assert run_devenv("up", cwd=folder).code == 0
    before = container_ids(docker_client, unique_name)
    assert set(before) == {"a-1", "b-1", "c-1"}

    (folder / "devenv.toml").write_text((folder / "devenv.toml").read_text().replace('"0"', '"1"'))
    plan = run_devenv("plan", cwd=folder)
    assert plan.code == 0 and re.search(r'^a +recreate +env.DEBUG: "0" → "1"$', plan.out, re.M), plan.out
    assert re.search(r"^b +noop$", plan.out, re.M)
    result = run_devenv("up", cwd=folder)
    assert result.code == 0, result.output
    after = container_ids(docker_client, unique_name)
    assert after["a-1"] != before["a-1"]
    assert after["b-1"] == before["b-1"] and after["c-1"] == before["c-1"]
    # idempotence: planning right after a converge is all noop
    assert json.loads(run_devenv("plan", "--json", cwd=folder).out)["noop"] is True


def test_every_object_carries_project_labels_and_containers_have_init(project, docker_client, unique_name):
    folder = project(f"[services.web]\n{SLEEPER}mounts = [\"data:/data\"]\n")
    assert run_devenv("up", cwd=folder).code == 0
    label = {"label": f"dev.devenv.project={unique_name}"}
    assert len(docker_client.containers.list(filters=label)) == 1
    assert [n.name for n in docker_client.networks.list(filters=label)] == [f"{unique_name}_default"]
    assert [v.name for v in docker_client.volumes.list(filters=label)] == [f"{unique_name}.data"]
    info = docker_client.api.inspect_container(f"{unique_name}-web-1")
    assert info["HostConfig"]["Init"] is True
    # a stop with an init takes well under the 10 s a PID-1 program ignoring SIGTERM would
    started = time.monotonic()
    assert run_devenv("down", cwd=folder).code == 0
    assert time.monotonic() - started < 8


def test_stop_signal_is_what_stops_the_service(project, docker_client, unique_name):
    # A server that stops cleanly only on SIGINT (Compose's stop_signal): the trap it ran is its exit code.
    folder = project(f'[services.web]\nimage = "{BUSYBOX}"\nstop_signal = "SIGINT"\ncommand = ["sh", "-c", '
                     '"trap \'exit 7\' INT; trap \'exit 9\' TERM; while :; do sleep 0.1; done"]\n')
    assert run_devenv("up", cwd=folder).code == 0
    name = f"{unique_name}-web-1"
    assert docker_client.api.inspect_container(name)["Config"]["StopSignal"] == "SIGINT"
    assert run_devenv("stop", "-t", "30", cwd=folder).code == 0
    assert docker_client.api.inspect_container(name)["State"]["ExitCode"] == 7
    # without it, the engine's SIGTERM
    (folder / "devenv.toml").write_text((folder / "devenv.toml").read_text().replace('stop_signal = "SIGINT"\n', ""))
    assert run_devenv("up", cwd=folder).code == 0
    assert run_devenv("stop", "-t", "30", cwd=folder).code == 0
    assert docker_client.api.inspect_container(name)["State"]["ExitCode"] == 9


def test_pass_env_passes_the_callers_value_or_takes_the_variable_out(project, docker_client, unique_name):
    # Compose's `environment: [NAME]`: the caller's value, else no such variable at all: not the
    # env_file's, not the image's ENV (the engine reads a bare name as "remove").
    folder = project('[services.web]\nbuild = "."\nenv_file = ["web.env"]\n'
                     'pass_env = ["FROM_IMAGE", "IN_FILE", "FROM_CALLER"]\ncommand = ["sleep", "3600"]\n',
                     files={"Dockerfile": f"FROM {BUSYBOX}\nENV FROM_IMAGE=image\n", "web.env": "IN_FILE=file\n"})
    name = f"{unique_name}-web-1"
    assert not {"FROM_IMAGE", "IN_FILE", "FROM_CALLER"} & set(os.environ)  # run_devenv adds os.environ

    def env_of_container() -> set[str]:
        # what the process got (the engine's record keeps the bare names it took out)
        out = docker("exec", name, "cat", "/proc/1/environ").stdout
        return set(filter(None, out.split("\0")))

    def up(**env: str) -> None:
        result = run_devenv("up", cwd=folder, env=env)
        assert result.code == 0, result.err

    up(FROM_CALLER="caller")
    seen = env_of_container()
    assert "FROM_CALLER=caller" in seen
    assert not {e for e in seen if e.startswith(("FROM_IMAGE", "IN_FILE"))}, seen
    first = docker_client.api.inspect_container(name)["Id"]
    up(FROM_CALLER="caller")  # nothing changed: not recreated
    assert docker_client.api.inspect_container(name)["Id"] == first
    up(FROM_CALLER="caller", FROM_IMAGE="")  # set, if empty: a value
    assert "FROM_IMAGE=" in env_of_container() and docker_client.api.inspect_container(name)["Id"] != first


def test_named_volume_survives_recreate_and_down_but_not_down_volumes(project, docker_client, unique_name):
    manifest = f'[services.db]\n{SLEEPER}mounts = ["data:/data"]\nenv = {{ V = "1" }}\n'
    folder = project(manifest)
    assert run_devenv("up", cwd=folder).code == 0
    docker("exec", f"{unique_name}-db-1", "sh", "-c", "echo kept > /data/file")
    (folder / "devenv.toml").write_text((folder / "devenv.toml").read_text().replace('V = "1"', 'V = "2"'))
    assert run_devenv("up", cwd=folder).code == 0  # recreate
    assert docker("exec", f"{unique_name}-db-1", "cat", "/data/file").stdout.strip() == "kept"
    down = run_devenv("down", cwd=folder)
    assert down.code == 0 and f"kept volumes: {unique_name}.data" in down.err
    assert run_devenv("up", cwd=folder).code == 0
    assert docker("exec", f"{unique_name}-db-1", "cat", "/data/file").stdout.strip() == "kept"
    gone = run_devenv("down", "--volumes", cwd=folder)
    assert gone.code == 0 and f"{unique_name}.data" in gone.err
    assert docker_client.volumes.list(filters={"label": f"dev.devenv.project={unique_name}"}) == []


def test_two_projects_with_same_service_names_are_isolated(project, docker_client, unique_name):
    one = project(f"[services.web]\n{SLEEPER}", name=f"{unique_name}a")
    two = project(f"[services.web]\n{SLEEPER}", name=f"{unique_name}b")
    assert run_devenv("up", cwd=one).code == 0 and run_devenv("up", cwd=two).code == 0
    assert run_devenv("down", cwd=one).code == 0
    assert container_ids(docker_client, f"{unique_name}a") == {}
    remaining = docker_client.containers.list(filters={"label": f"dev.devenv.project={unique_name}b"})
    assert [c.status for c in remaining] == ["running"]


def test_orphan_service_is_removed(project, docker_client, unique_name):
    folder = project(f"[services.web]\n{SLEEPER}[services.old]\n{SLEEPER}")
    assert run_devenv("up", cwd=folder).code == 0
    (folder / "devenv.toml").write_text(f'[project]\nname = "{unique_name}"\n[services.web]\n{SLEEPER}')
    plan = run_devenv("plan", cwd=folder)
    assert "old" in plan.out and "remove" in plan.out and "not in devenv.toml any more" in plan.out
    assert run_devenv("up", cwd=folder).code == 0
    assert set(container_ids(docker_client, unique_name)) == {"web-1"}


def test_healthcheck_gate_orders_start_up(project, docker_client, unique_name):
    # db turns healthy only after ~1.5 s; web must not start before that
    manifest = f"""
[services.db]
image = "{BUSYBOX}"
command = "sh -c 'sleep 1.5; touch /tmp/ready; sleep 3600'"
healthcheck = {{ test = "test -f /tmp/ready", interval = "300ms", retries = 50 }}
[services.web]
{SLEEPER}depends_on = {{ db = "healthy" }}
"""
    folder = project(manifest)
    result = run_devenv("up", cwd=folder)
    assert result.code == 0, result.output
    db = docker_client.containers.get(f"{unique_name}-db-1")
    code, ready = db.exec_run(["stat", "-c", "%y", "/tmp/ready"])  # "2026-12-03 01:30:00.123456789 +0000"
    assert code == 0, ready
    ready_at = instant(ready.decode().strip().replace(" +0000", "Z").replace(" ", "T"))
    assert instant(started_at(docker_client, f"{unique_name}-web-1")) > ready_at


def instant(stamp: str):
    """A timestamp of the engine's (RFC 3339, nanoseconds) as a datetime, to the microsecond."""
    from datetime import datetime

    head, _, rest = stamp.rstrip("Z").partition(".")
    return datetime.fromisoformat(f"{head}.{(rest + '000000')[:6]}+00:00")


def test_wait_ends_on_devenvs_own_run_of_the_healthcheck(project, docker_client, unique_name):
    """The engine runs its first check one interval after the start (an hour here); devenv runs
    the same test in the container meanwhile, with the container's environment, and a pass is
    healthy. A test that fails is never taken for a pass."""
    manifest = f"""
[services.shell]
{SLEEPER}env = {{ MODE = "ready" }}
healthcheck = {{ test = "test \\"$MODE\\" = ready", interval = "1h" }}
[services.argv]
{SLEEPER}healthcheck = {{ test = ["CMD", "test", "-d", "/tmp"], interval = "1h" }}
"""
    result = run_devenv("up", "--wait", "--timeout", "60", cwd=project(manifest))
    assert result.code == 0, result.output
    for service in ("shell", "argv"):
        health = docker_client.api.inspect_container(f"{unique_name}-{service}-1")["State"]["Health"]
        assert health["Status"] == "starting" and not health["Log"]  # the engine has not checked yet

    failing = f"""
[services.db]
{SLEEPER}healthcheck = {{ test = "test \\"$MODE\\" = ready", interval = "1h" }}
"""
    result = run_devenv("up", "--wait", "--timeout", "3", cwd=project(failing, name=f"{unique_name}-f"))
    assert result.code == 1 and "service db: not healthy after 3s" in result.err, result.output


def test_unhealthy_dependency_fails_with_exit_1_and_logs(project):
    manifest = f"""
[services.db]
image = "{BUSYBOX}"
command = "sh -c 'echo db-is-broken; sleep 3600'"
healthcheck = {{ test = "false", interval = "200ms", retries = 2 }}
[services.web]
{SLEEPER}depends_on = {{ db = "healthy" }}
"""
    result = run_devenv("up", cwd=project(manifest))
    assert result.code == 1
    assert "service db: is unhealthy (web needs it healthy)" in result.err
    assert "db-is-broken" in result.err and "Traceback" not in result.err


def test_wait_fails_when_a_service_exits(project):
    result = run_devenv("up", "--wait", cwd=project(f'[services.job]\nimage = "{BUSYBOX}"\n'
                                                   "command = \"sh -c 'echo bye; exit 3'\"\n"))
    assert result.code == 1 and "service job: exited with code 3" in result.err and "bye" in result.err


def test_wait_fails_when_a_service_dies_shortly_after_starting(project):
    """Running when started, gone a moment later: `up` watches the first START_WINDOW seconds
    after the last start, and `--wait` looks again."""
    result = run_devenv("up", "--wait", cwd=project(f'[services.job]\nimage = "{BUSYBOX}"\n'
                                                   "command = \"sh -c 'sleep 0.3; echo late; exit 4'\"\n"))
    assert result.code == 1 and "service job: exited with code 4" in result.err and "late" in result.err


def test_provision_runs_once_and_again_when_its_input_changes(project, docker_client, unique_name):
    manifest = f"""
[services.app]
{SLEEPER}mounts = ["./:/src", "state:/state"]
provision = ["cat /src/requirements.txt >> /state/installed", "echo run >> /state/runs"]
provision_inputs = ["requirements.txt"]
"""
    folder = project(manifest, {"requirements.txt": "flask==1\n"})
    first = run_devenv("up", cwd=folder)
    assert first.code == 0 and "provision" in first.err
    second = run_devenv("up", cwd=folder)
    assert second.code == 0 and "provision" not in second.err
    (folder / "requirements.txt").write_text("flask==2\n")
    assert "provision: inputs changed" in run_devenv("plan", cwd=folder).out
    third = run_devenv("up", cwd=folder)
    assert third.code == 0, third.output
    runs = docker("exec", f"{unique_name}-app-1", "cat", "/state/runs").stdout.split()
    assert runs == ["run", "run"]
    assert docker("exec", f"{unique_name}-app-1", "cat", "/state/installed").stdout.split() == ["flask==1", "flask==2"]


def test_failing_provision_fails_the_service_with_output(project):
    manifest = f'[services.app]\n{SLEEPER}provision = ["echo step-one", "echo oops >&2; exit 7"]\n'
    result = run_devenv("up", cwd=project(manifest))
    assert result.code == 1 and "provision failed (exit 7)" in result.err and "oops" in result.err


def test_stopped_container_is_started_not_recreated(project, docker_client, unique_name):
    folder = project(f"[services.web]\n{SLEEPER}")
    assert run_devenv("up", cwd=folder).code == 0
    before = container_ids(docker_client, unique_name)["web-1"]
    docker("stop", "-t", "0", f"{unique_name}-web-1")
    assert "start" in run_devenv("plan", cwd=folder).out
    assert run_devenv("up", cwd=folder).code == 0
    assert container_ids(docker_client, unique_name)["web-1"] == before
    assert docker_client.containers.get(before).status == "running"


def test_status_shows_clickable_port_and_json(project, unique_name):
    port = free_port()
    folder = project(f'[services.web]\nimage = "{BUSYBOX}"\ncommand = "httpd -f -p 80 -h /www"\n'
                     f'ports = ["{port}:80"]\n')
    assert run_devenv("up", "--wait", cwd=folder).code == 0
    table = run_devenv("status", cwd=folder)
    assert f"http://127.0.0.1:{port}" in table.out and "running" in table.out
    data = json.loads(run_devenv("ps", "--json", cwd=folder).out)
    row = data["containers"][0]
    assert row["service"] == "web" and row["state"] == "running"
    assert row["ports"][0]["host_port"] == port and row["ports"][0]["host_ip"] == "127.0.0.1"


def test_port_in_use_names_service_port_and_holder(project, unique_name):
    port = free_port()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen()
        folder = project(f'[services.web]\n{SLEEPER}ports = ["{port}:80"]\n')
        result = run_devenv("up", cwd=folder)
    assert result.code == 1, result.output
    assert f"service web: host port 127.0.0.1:{port} is already in use by process" in result.err
    assert "Traceback" not in result.err
    assert run_devenv("up", cwd=folder).code == 0  # the port is free again: the next up converges


def test_engine_unreachable_is_exit_3(project):
    folder = project(f"[services.web]\n{SLEEPER}")
    result = run_devenv("up", cwd=folder, env={"DOCKER_HOST": "unix:///nonexistent/docker.sock"})
    assert result.code == 3 and "cannot reach the Docker engine" in result.err and "hint:" in result.err


def test_missing_image_names_service_and_image(project, registry):
    folder = project(f'[services.web]\nimage = "{registry}/devenv-test/does-not-exist:1"\n')
    result = run_devenv("up", cwd=folder)
    assert result.code == 1
    assert "service web: cannot pull localhost:5000/devenv-test/does-not-exist:1" in result.err


def push_only(docker_client, ref: str, step: str, build: Path) -> None:
    """An image of busybox plus one layer of its own (`step`), in the registry and not here: the
    next pull really downloads something."""
    build.mkdir()
    (build / "Dockerfile").write_text(f"FROM {BUSYBOX}\n{step}\n")
    docker_client.images.build(path=str(build), tag=ref, rm=True)
    for _ in docker_client.api.push(ref, stream=True, decode=True):
        pass
    docker_client.images.remove(ref)


def test_pull_from_local_registry_shows_progress(project, registry, docker_client, unique_name, tmp_path):
    # a layer of its own, so the pull really downloads something
    ref = f"{registry}/{unique_name}/busybox:1"
    push_only(docker_client, ref, f"RUN echo {unique_name} > /unique", tmp_path / "ctx")
    folder = project(f'[services.web]\nimage = "{ref}"\ncommand = "sleep 3600"\n')
    result = run_devenv("up", cwd=folder)
    assert result.code == 0, result.output
    assert f"web          pull       {ref}" in result.err
    assert re.search(r"web pull  layer [0-9a-f]{12}: pull complete", result.err), result.err
    docker_client.images.remove(ref, force=True)


def test_two_images_pull_at_once_with_a_bar_each_on_a_terminal(project, registry, docker_client, unique_name,
                                                                tmp_path):
    refs = []
    for n in (1, 2):
        ref = f"{registry}/{unique_name}/img{n}:1"
        push_only(docker_client, ref, f"RUN head -c 3000000 /dev/urandom > /blob{n}", tmp_path / f"ctx{n}")
        refs.append(ref)
    folder = project("".join(f'[services.s{n}]\nimage = "{ref}"\ncommand = "sleep 3600"\n'
                             for n, ref in enumerate(refs, 1)))
    try:
        code, shown = run_on_a_terminal("up", cwd=folder, env={**os.environ, "COLUMNS": "120"})
        assert code == 0, shown
        assert "Traceback" not in shown and "live display" not in shown
        for n in (1, 2):
            assert re.search(rf"s{n} pull  done: 2/2 layers \(1 already here\), 3\.\d MB", shown), shown
        assert "layer" not in re.sub(r"\d/\d layers", "", shown.replace("already here", "")), shown  # bars, not lines
    finally:
        for ref in refs:
            docker_client.images.remove(ref, force=True)


def test_stopped_registry_gives_a_clear_error(project, docker_client, unique_name, tmp_path):
    """A second, private registry: push to it, stop it, then `up` must name service and image."""
    port = free_port()
    config = tmp_path / "registry.yml"
    config.write_text(f"version: 0.1\nstorage: {{ filesystem: {{ rootdirectory: {tmp_path / 'data'} }} }}\n"
                      f"http: {{ addr: 127.0.0.1:{port} }}\n")
    registry = subprocess.Popen(["docker-registry", "serve", str(config)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    ref = f"localhost:{port}/{unique_name}:1"
    try:
        for _ in range(100):  # until the registry listens
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        docker_client.images.get(BUSYBOX).tag(ref)
        events = list(docker_client.api.push(ref, stream=True, decode=True))
        assert not any("error" in e for e in events), events
    finally:
        registry.terminate()
        registry.wait(timeout=10)
    docker_client.images.remove(ref)
    folder = project(f'[services.web]\nimage = "{ref}"\n')
    result = run_devenv("up", cwd=folder)
    assert result.code == 1
    assert f"service web: cannot pull {ref}: registry unreachable" in result.err
    assert "Traceback" not in result.err


def test_build_is_tagged_by_context_hash_and_rebuilt_only_on_change(project, docker_client, unique_name):
    files = {"Dockerfile": f"FROM {BUSYBOX}\nCOPY msg /msg\nCMD [\"sleep\", \"3600\"]\n", "msg": "one\n"}
    folder = project("[services.app]\nbuild = \".\"\n[services.other]\n" + SLEEPER, files)

    def builds() -> list[str]:
        return sorted(docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}",
                             f"devenv/{unique_name}-app").stdout.split())

    first = run_devenv("up", cwd=folder)
    assert first.code == 0 and "build" in first.err, first.output
    assert "build" not in run_devenv("up", cwd=folder).err
    [first_build] = builds()
    before = container_ids(docker_client, unique_name)
    (folder / "msg").write_text("two\n")
    third = run_devenv("up", cwd=folder)
    assert third.code == 0 and "build" in third.err
    after = container_ids(docker_client, unique_name)
    assert after["app-1"] != before["app-1"] and after["other-1"] == before["other-1"]
    assert docker("exec", f"{unique_name}-app-1", "cat", "/msg").stdout == "two\n"
    # The engine refused to remove the first build while the old container ran it; the next
    # build removes it, and `down --rmi local` the rest.
    assert len(builds()) == 2 and first_build in builds()
    (folder / "msg").write_text("three\n")
    assert run_devenv("up", cwd=folder).code == 0
    assert len(builds()) == 2 and first_build not in builds()
    down = run_devenv("down", "--rmi", "local", "-t", "0", cwd=folder)
    assert down.code == 0 and builds() == [], down.output
    assert docker("image", "inspect", BUSYBOX).returncode == 0  # `local`: pulled images stay


def test_the_engine_builds_what_the_context_holds(project, unique_name):
    """The context devenv sends on its own (no SDK): a Dockerfile from outside the context, an
    empty folder, a link kept as a link, .dockerignore with a `!` rule, and build args."""
    files = {"docker/dev.Dockerfile": (f"FROM {BUSYBOX}\nARG GREETING\nCOPY . /ctx\n"
                                       "RUN echo \"$GREETING\" > /greeting\nCMD [\"sleep\", \"3600\"]\n"),
             "app/.dockerignore": "*.log\n!keep.log\nsecret\n", "app/main.py": "print(1)\n",
             "app/debug.log": "x", "app/keep.log": "kept\n", "app/secret": "no", "app/empty/.placeholder": ""}
    folder = project('[services.app]\nbuild = { context = "app", dockerfile = "../docker/dev.Dockerfile", '
                     'args = { GREETING = "hello" } }\n', files)
    (folder / "app/empty/.placeholder").unlink()
    (folder / "app/link.py").symlink_to("main.py")
    result = run_devenv("up", cwd=folder)
    assert result.code == 0, result.output
    listing = docker("exec", f"{unique_name}-app-1", "sh", "-c",
                     "cd /ctx && find . | sort && readlink link.py && cat /greeting").stdout.split()
    assert listing == [".", "./.dockerignore", "./empty", "./keep.log", "./link.py", "./main.py", "main.py", "hello"]


def test_build_failure_shows_log_tail(project):
    files = {"Dockerfile": f"FROM {BUSYBOX}\nRUN echo building-step && exit 4\n"}
    result = run_devenv("up", cwd=project("[services.app]\nbuild = \".\"\n", files))
    assert result.code == 1 and "service app: build" in result.err and "building-step" in result.err


def test_interrupted_up_converges_on_the_next_run(project, docker_client, unique_name):
    services = "".join(f"[services.s{i}]\n{SLEEPER}depends_on = {{ gate = \"healthy\" }}\n" for i in range(4))
    manifest = (f'[services.gate]\nimage = "{BUSYBOX}"\ncommand = "sh -c \'sleep 2; touch /ok; sleep 3600\'"\n'
                'healthcheck = { test = "test -f /ok", interval = "200ms", retries = 100 }\n' + services)
    folder = project(manifest)
    proc = subprocess.Popen([sys.executable, "-m", "devenv", "up"], cwd=folder, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(1.2)  # gate is created, its dependents wait on its health
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    result = run_devenv("up", "--wait", cwd=folder)
    assert result.code == 0, result.output
    assert set(container_ids(docker_client, unique_name)) == {"gate-1", "s0-1", "s1-1", "s2-1", "s3-1"}
    assert json.loads(run_devenv("plan", "--json", cwd=folder).out)["noop"] is True


def test_up_named_service_brings_its_dependencies_only(project, docker_client, unique_name):
    folder = project(f"[services.db]\n{SLEEPER}[services.web]\n{SLEEPER}depends_on = [\"db\"]\n[services.x]\n{SLEEPER}")
    assert run_devenv("up", "web", cwd=folder).code == 0
    assert set(container_ids(docker_client, unique_name)) == {"db-1", "web-1"}
    assert run_devenv("up", "web", "--no-deps", "--force-recreate", cwd=folder).code == 0
    bad = run_devenv("up", "nope", cwd=folder)
    assert bad.code == 2 and "no service named nope" in bad.err


def test_scale_creates_replicas_with_engine_picked_ports(project, docker_client, unique_name):
    folder = project(f'[services.web]\n{SLEEPER}scale = 2\nports = ["80"]\n')
    assert run_devenv("up", cwd=folder).code == 0
    rows = json.loads(run_devenv("status", "--json", cwd=folder).out)["containers"]
    assert [r["replica"] for r in rows] == [1, 2]
    assert all(r["ports"] and r["ports"][0]["host_port"] > 0 for r in rows)


def test_manifest_error_is_exit_2_with_location(make_project):
    folder = make_project({"devenv.toml": '[services.web]\nimage = "x"\nports = ["80:abc"]\n'})
    result = run_devenv("up", cwd=folder)
    assert result.code == 2
    assert result.err.startswith("devenv: error: devenv.toml:3: services.web.ports[0]: '80:abc' is not a port mapping")


def test_down_works_when_the_manifest_no_longer_validates(project, docker_client, unique_name):
    folder = project(f"[services.web]\n{SLEEPER}mounts = [\"data:/data\"]\n")
    assert run_devenv("up", cwd=folder).code == 0
    (folder / "devenv.toml").write_text((folder / "devenv.toml").read_text() + "bogus = 1\n")
    assert run_devenv("up", cwd=folder).code == 2
    result = run_devenv("down", cwd=folder)
    assert result.code == 0, result.output
    assert "unknown key 'bogus'" in result.err and f"taking down {unique_name}" in result.err
    assert container_ids(docker_client, unique_name) == {}
    assert docker_client.volumes.list(filters={"label": f"dev.devenv.project={unique_name}"}) != []  # data kept
    # with the containers gone, `down --volumes` still finds the folder's volumes by their labels
    gone = run_devenv("down", "--volumes", cwd=folder)
    assert gone.code == 0, gone.output
    assert docker_client.volumes.list(filters={"label": f"dev.devenv.project={unique_name}"}) == []
    # and once nothing is left, a clean-up script's `down` still succeeds, saying why
    again = run_devenv("down", "--volumes", cwd=folder)
    assert again.code == 0 and "unknown key 'bogus'" in again.err and "nothing to take down" in again.err


def test_a_file_docker_sends_to_the_build_makes_plan_rebuild(project, docker_client, unique_name):
    """.dockerignore with Docker's rules: `*.log` leaves out the context root's logs only, so
    logs/app.log is sent (and copied into the image); changing it must rebuild, changing the
    root's debug.log must not."""
    files = {"Dockerfile": f"FROM {BUSYBOX}\nCOPY logs /logs\nCMD [\"sleep\", \"3600\"]\n",
             ".dockerignore": "*.log\n", "logs/app.log": "one\n", "debug.log": "one\n"}
    folder = project("[services.app]\nbuild = \".\"\n[services.other]\n" + SLEEPER, files)
    assert run_devenv("up", cwd=folder).code == 0
    assert docker("exec", f"{unique_name}-app-1", "cat", "/logs/app.log").stdout == "one\n"  # Docker sent it

    (folder / "debug.log").write_text("two\n")  # left out of the context: nothing to rebuild
    unchanged = json.loads(run_devenv("plan", "--json", cwd=folder).out)
    assert unchanged["noop"], unchanged

    (folder / "logs/app.log").write_text("two\n")
    plan = json.loads(run_devenv("plan", "--json", cwd=folder).out)
    actions = {s["service"]: (s["action"], s["reasons"]) for s in plan["services"]}
    assert actions["app"][0] == "recreate" and any(r.startswith("image") for r in actions["app"][1]), actions
    assert actions["other"][0] == "noop"
    assert run_devenv("up", cwd=folder).code == 0
    assert docker("exec", f"{unique_name}-app-1", "cat", "/logs/app.log").stdout == "two\n"
