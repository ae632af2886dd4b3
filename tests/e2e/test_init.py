"""e2e: `devenv init` writes a manifest that works first time on the real engine."""

from __future__ import annotations

import re
import urllib.request

from tests.conftest import PYTHON, run_devenv
from tests.e2e.conftest import free_port, remove_built_images

APP = """\
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello from devenv init"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Hello).serve_forever()
"""

PROVISION = re.compile(r"^web\s+provision\b", re.M)


def get(port: int) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
        return response.read()


def test_init_then_up_serves_the_app_and_a_requirements_edit_re_provisions(make_project, unique_name, docker_client):
    port = free_port()
    # No network here: the requirements hold no package at first, then one the venv already has.
    folder = make_project({"app.py": APP, "requirements.txt": "# no dependencies yet\n"}, name=unique_name)
    init = run_devenv("-p", unique_name, "init", "--set", f"image={PYTHON}", "--set", f"port={port}", cwd=folder)
    assert init.code == 0, init.output
    assert "web   python  ./" in init.out and "requirements.txt is present" in init.out
    assert 'command = "python app.py"' in (folder / "devenv.toml").read_text()
    try:
        up = run_devenv("up", "--wait", "--timeout", "120", cwd=folder)
        assert up.code == 0, up.output
        assert PROVISION.search(up.err), up.err
        assert get(port) == b"hello from devenv init"
        venv = docker_client.volumes.get(f"{unique_name}.web-venv")
        assert venv.attrs["Labels"]["dev.devenv.project"] == unique_name

        again = run_devenv("up", "--wait", "--timeout", "60", cwd=folder)
        assert again.code == 0, again.output
        assert not PROVISION.search(again.err), "nothing changed, yet provision ran again"

        (folder / "requirements.txt").write_text("setuptools\n")
        edited = run_devenv("up", "--wait", "--timeout", "120", cwd=folder)
        assert edited.code == 0, edited.output
        assert PROVISION.search(edited.err), edited.err
        assert get(port) == b"hello from devenv init"
    finally:
        run_devenv("down", "--volumes", "-t", "0", cwd=folder)
        remove_built_images(unique_name)
