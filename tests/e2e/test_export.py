"""The Compose export runs: PyPI's `docker-compose` brings the exported file up on the real
engine, and the service answers as `devenv up` would have made it."""

from __future__ import annotations

import subprocess
import urllib.request

from tests.conftest import BUSYBOX, run_devenv
from tests.e2e.conftest import free_port
from tests.unit.test_export import compose_binary


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
