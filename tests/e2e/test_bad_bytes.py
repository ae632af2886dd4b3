"""Bad bytes on a real engine (issue 15, point 5): `down` still takes the project down when the
manifest is not UTF-8; `up` refuses a non-UTF-8 env_file without touching what runs; watch
reports a bad save once and carries on, and the next good save converges."""

from __future__ import annotations

import re

from tests.conftest import BUSYBOX, run_devenv
from tests.e2e.conftest import container_ids
from tests.e2e.test_watch import SLEEPER, actions
from tests.e2e.test_watch import watch as watch_fixture

LATIN1 = "# café\n".encode("latin-1")
watch = watch_fixture  # the running `devenv watch --json` of test_watch.py


def test_down_works_when_the_manifest_is_not_utf8(project, docker_client, unique_name):
    folder = project(f'[services.web]\n{SLEEPER}mounts = ["data:/data"]\n')
    assert run_devenv("up", cwd=folder).code == 0
    assert container_ids(docker_client, unique_name)
    manifest = folder / "devenv.toml"
    manifest.write_bytes(manifest.read_bytes() + LATIN1)

    status = run_devenv("status", cwd=folder)
    assert status.code == 2 and "Traceback" not in status.output
    assert re.search(r"devenv\.toml:\d+: not valid UTF-8: byte 0xe9 at offset \d+", status.err)

    down = run_devenv("down", cwd=folder)
    assert down.code == 0, down.output
    assert "not valid UTF-8" in down.err and f"taking down {unique_name}" in down.err
    assert container_ids(docker_client, unique_name) == {}
    volumes = docker_client.volumes.list(filters={"label": f"dev.devenv.project={unique_name}"})
    assert volumes, "down without --volumes keeps the named volume"


def test_down_works_when_dotenv_is_not_utf8(project, docker_client, unique_name):
    folder = project(f"[services.web]\n{SLEEPER}")
    assert run_devenv("up", cwd=folder).code == 0
    (folder / ".env").write_bytes(b"GREETING=caf\xe9\n")
    down = run_devenv("down", cwd=folder)
    assert down.code == 0, down.output
    assert ".env:1: not valid UTF-8: byte 0xe9 at offset 12" in down.err
    assert container_ids(docker_client, unique_name) == {}


def test_up_refuses_an_env_file_that_is_not_utf8_and_keeps_the_running_container(project, docker_client,
                                                                                  unique_name):
    folder = project(f'[services.web]\n{SLEEPER}env_file = ["app.env"]\n', files={"app.env": "MODE=one\n"})
    assert run_devenv("up", cwd=folder).code == 0
    before = container_ids(docker_client, unique_name)
    (folder / "app.env").write_bytes(b"MODE=two\nNAME=Jos\xe9\n")
    result = run_devenv("up", cwd=folder)
    assert result.code == 2, result.output
    assert "app.env:2: not valid UTF-8: byte 0xe9 at offset 17 (column 9)" in result.err
    assert "Traceback" not in result.output
    assert container_ids(docker_client, unique_name) == before
    assert docker_client.containers.get(before["web-1"]).status == "running"


def test_watch_reports_a_non_utf8_save_once_and_recovers(project, watch, docker_client, unique_name):
    folder = project(f'[services.web]\n{SLEEPER}env = {{ MODE = "one" }}\n')
    w = watch(folder)
    ids = container_ids(docker_client, unique_name)
    manifest = folder / "devenv.toml"
    good = manifest.read_text()

    manifest.write_bytes(good.replace('MODE = "one"', 'MODE = "two"').encode() + LATIN1)
    cycle = w.cycle()
    errors = [e for e in cycle if e["event"] == "error"]
    assert len(errors) == 1, cycle
    assert re.search(r"devenv\.toml:\d+: not valid UTF-8: byte 0xe9 at offset \d+", errors[0]["message"])
    assert actions(cycle) == []
    assert container_ids(docker_client, unique_name) == ids
    assert docker_client.containers.get(ids["web-1"]).status == "running"

    (folder / ".env").write_bytes(b"X=caf\xe9\n")  # the manifest is good again, the .env it reads is not
    manifest.write_text(good.replace('MODE = "one"', 'MODE = "three"'))
    cycle = w.cycle()
    errors = [e for e in cycle if e["event"] == "error"]
    assert len(errors) == 1 and ".env:1: not valid UTF-8: byte 0xe9 at offset 5" in errors[0]["message"], cycle
    assert actions(cycle) == []
    assert container_ids(docker_client, unique_name) == ids

    (folder / ".env").unlink()
    cycle = w.cycle()
    assert actions(cycle) == [("web", "recreate")]
    new_id = container_ids(docker_client, unique_name)["web-1"]
    assert "MODE=three" in docker_client.api.inspect_container(new_id)["Config"]["Env"]
    assert w.stop() == 0
    assert not any("Traceback" in line for line in w.lines)


def test_a_build_context_with_a_non_utf8_dockerignore_is_refused_before_building(project, unique_name):
    folder = project('[services.web]\nbuild = "."\ncommand = "sleep 100000"\n',
                     files={"Dockerfile": f"FROM {BUSYBOX}\n"})
    (folder / ".dockerignore").write_bytes(b"node_modules\ncaf\xe9/\n")
    result = run_devenv("up", cwd=folder)
    assert result.code == 2, result.output
    assert ".dockerignore:2: not valid UTF-8: byte 0xe9 at offset 16 (column 4)" in result.err
