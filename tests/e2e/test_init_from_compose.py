"""e2e: `devenv init --from compose.yaml` converts a Compose file that then comes up on the real
engine as Compose would bring it up: build, healthcheck gate, depends_on conditions, env, ports."""

from __future__ import annotations

import urllib.request

from tests.conftest import BUSYBOX, run_devenv
from tests.e2e.conftest import free_port, remove_built_images

# Shaped like Compose's startup-order example (docs/manuals/compose/how-tos/startup-order.md):
# web waits for a healthy db and a started cache; busybox stands in for the real images.
COMPOSE = """\
services:
  web:
    build: ./web
    command: ["sh", "-c", "echo \\"$$GREETING from $$DB_HOST\\" > /www/index.html && exec httpd -f -p 8080 -h /www"]
    environment:
      GREETING: hello
      DB_HOST: db
    ports:
      - "{port}:8080"
    depends_on:
      db:
        condition: service_healthy
      cache:
        condition: service_started
  cache:
    image: {busybox}
    command: ["sleep", "3600"]
  db:
    image: {busybox}
    command: ["sh", "-c", "sleep 2 && touch /tmp/ready && exec sleep 3600"]
    healthcheck:
      test: ["CMD-SHELL", "test -f /tmp/ready"]
      interval: 1s
      retries: 30
  tools:
    image: {busybox}
    command: ["true"]
    profiles: [debug]
"""


def test_a_converted_compose_file_comes_up_in_dependency_order(make_project, unique_name):
    port = free_port()
    folder = make_project({
        "compose.yaml": COMPOSE.format(port=port, busybox=BUSYBOX),
        "web/Dockerfile": f"FROM {BUSYBOX}\nRUN mkdir -p /www\n",
    }, name=unique_name)
    init = run_devenv("-p", unique_name, "init", "--from", "compose.yaml", cwd=folder)
    assert init.code == 0, init.output
    text = (folder / "devenv.toml").read_text()
    assert 'depends_on = { db = "healthy", cache = "started" }' in text
    assert 'profiles = ["debug"]' in text
    try:
        up = run_devenv("up", "--wait", "--timeout", "120", cwd=folder)
        assert up.code == 0, up.output
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.read().strip() == b"hello from db"
        status = run_devenv("status", "--json", cwd=folder)
        assert "tools" not in status.out  # a profile that is not enabled stays down, as in Compose
    finally:
        run_devenv("down", "--volumes", "-t", "0", cwd=folder)
        remove_built_images(unique_name)
