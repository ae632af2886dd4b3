"""`devenv doctor` against the real engine and registry: a taken port and a stopped engine FAIL
with a hint and exit 1; a healthy project passes."""

from __future__ import annotations

import json
import socket

from tests.conftest import BUSYBOX, REGISTRY, run_devenv

SLEEP = 'command = "sleep 3600"'


def rows(result) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for row in json.loads(result.out)["checks"]:
        found.setdefault(row["check"], []).append(row)
    return found


def test_doctor_flags_a_taken_port_and_passes_the_rest(project, registry, tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        folder = project(f'[services.web]\nimage = "{REGISTRY}/devenv-test/busybox:1"\n{SLEEP}\n'
                         f'ports = ["{port}:80"]\n')
        assert run_devenv("lock", cwd=folder).code == 0
        result = run_devenv("doctor", "--json", cwd=folder)
        assert result.code == 1, result.output
        checks = rows(result)
        (ports,) = checks["ports"]
        assert ports["status"] == "FAIL" and f"127.0.0.1:{port}" in ports["detail"] and ports["hint"]
        assert "service web" in ports["detail"]
        for name in ("engine", "manifest", "requires", "images", "lock", "clock", "disk", "inotify"):
            assert [r["status"] for r in checks[name]] == ["PASS"], checks[name]
        assert json.loads(result.out)["ok"] is False

        text = run_devenv("doctor", cwd=folder)
        assert text.code == 1
        assert any(line.startswith("ports") and "FAIL" in line and str(port) in line for line in text.out.splitlines())
        assert "hint:" in text.out

    result = run_devenv("doctor", cwd=folder)  # the port is free again
    assert result.code == 0, result.output
    assert "FAIL" not in result.out


def test_doctor_flags_a_stopped_engine_without_a_traceback(project, tmp_path, unique_name):
    # What a stopped dockerd leaves behind: a socket file nobody listens on.
    path = tmp_path / "docker.sock"
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(path))
    stale.close()
    folder = project(f'[services.web]\nimage = "{BUSYBOX}"\n{SLEEP}\n')
    result = run_devenv("doctor", "--json", cwd=folder, env={"DOCKER_HOST": f"unix://{path}"})
    assert result.code == 1, result.output
    checks = rows(result)
    (engine,) = checks["engine"]
    assert engine["status"] == "FAIL" and "cannot reach the Docker engine" in engine["detail"]
    assert "start Docker" in engine["hint"]
    assert checks["images"][0]["status"] == "WARN" and "not checked" in checks["images"][0]["detail"]
    assert checks["manifest"][0]["status"] == "PASS"
    assert "Traceback" not in result.err


def test_doctor_names_a_missing_image_and_a_stale_lock(project, registry, unique_name):
    ref = f"{REGISTRY}/devenv-test/{unique_name}-missing:1"
    folder = project(f'[services.a]\nimage = "{REGISTRY}/devenv-test/busybox:1"\n{SLEEP}\n')
    assert run_devenv("lock", cwd=folder).code == 0
    (folder / "devenv.toml").write_text((folder / "devenv.toml").read_text()
                                        + f'[services.b]\nimage = "{ref}"\n{SLEEP}\n')
    result = run_devenv("doctor", "--json", cwd=folder)
    assert result.code == 1
    checks = rows(result)
    assert checks["images"][0]["status"] == "FAIL" and ref in checks["images"][0]["detail"]
    assert checks["lock"][0]["status"] == "FAIL" and "service b" in checks["lock"][0]["detail"]
