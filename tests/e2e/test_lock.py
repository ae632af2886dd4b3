"""devenv.lock against the real engine and the real local registry (ENGINE.md): a tag that
moves in the registry does not move what `up` runs until `lock --update`."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import tomllib
import urllib.request

import pytest

from tests.conftest import BUSYBOX, REGISTRY, run_devenv
from tests.e2e.conftest import container_ids, free_port

SLEEP = 'command = "sleep 3600"'


def build_and_push(client, tmp_path, ref: str, content: str) -> tuple[str, str]:
    """Build a tiny image FROM busybox holding /which = content, push it as `ref`; (image ID, digest)."""
    folder = tmp_path / f"img-{content}"
    folder.mkdir()
    (folder / "which").write_text(content + "\n")
    (folder / "Dockerfile").write_text(f"FROM {BUSYBOX}\nCOPY which /which\n")
    image, _ = client.images.build(path=str(folder), tag=ref, rm=True)
    repo, tag = ref.rsplit(":", 1)
    for line in client.api.push(repo, tag=tag, stream=True, decode=True):
        assert "error" not in line, line
    digest = next(d.split("@")[1] for d in client.images.get(image.id).attrs["RepoDigests"]
                  if d.startswith(repo + "@"))
    return image.id, digest


def lock_of(folder) -> dict:
    return tomllib.loads((folder / "devenv.lock").read_text())


def which(client, container_id: str) -> str:
    return client.containers.get(container_id).exec_run(["cat", "/which"]).output.decode().strip()


def test_tag_moved_in_the_registry_up_still_runs_the_lock_until_update(
        project, docker_client, registry, unique_name, tmp_path):
    ref = f"{REGISTRY}/devenv-test/{unique_name}:1"
    made = []
    try:
        id_a, digest_a = build_and_push(docker_client, tmp_path, ref, "A")
        made.append(id_a)
        folder = project(f'[services.x]\nimage = "{ref}"\n{SLEEP}\n'
                         f'[services.y]\nbuild = "y"\n',
                         {"y/Dockerfile": f'FROM {ref}\nCMD ["sleep", "3600"]\n'})
        result = run_devenv("lock", cwd=folder)
        assert result.code == 0, result.output
        locked = lock_of(folder)
        assert locked["services"]["x"]["pin"] == ref.rsplit(":", 1)[0] + "@" + digest_a
        assert locked["services"]["y"]["build"]["base_images"][0]["digest"] == digest_a
        assert (folder / "devenv.lock").read_text().startswith("# devenv.lock: generated")

        id_b, digest_b = build_and_push(docker_client, tmp_path, ref, "B")  # same tag, new content
        made.append(id_b)
        assert digest_b != digest_a
        docker_client.images.remove(id_a, force=True)  # `up` must fetch A from the registry by digest

        result = run_devenv("up", cwd=folder)
        assert result.code == 0, result.output
        ids = container_ids(docker_client, unique_name)
        assert docker_client.api.inspect_container(ids["x-1"])["Image"] == id_a
        assert which(docker_client, ids["x-1"]) == "A"
        assert which(docker_client, ids["y-1"]) == "A"  # the build used the pinned base, not the moved tag

        check = run_devenv("lock", "--check", cwd=folder)
        assert check.code == 4, check.output
        assert f"{ref} now points to" in check.out and "service x" in check.out and "service y" in check.out
        assert run_devenv("lock", "--check", "--offline", cwd=folder).code == 0

        result = run_devenv("lock", "--update", cwd=folder)
        assert result.code == 0, result.output
        assert lock_of(folder)["services"]["x"]["digest"] == digest_b
        assert run_devenv("lock", "--check", cwd=folder).code == 0
        result = run_devenv("up", cwd=folder)
        assert result.code == 0, result.output
        ids = container_ids(docker_client, unique_name)
        assert docker_client.api.inspect_container(ids["x-1"])["Image"] == id_b
        assert which(docker_client, ids["x-1"]) == "B" and which(docker_client, ids["y-1"]) == "B"
    finally:
        run_devenv("down", "-t", "0", cwd=tmp_path / unique_name)
        for image in made:
            try:
                docker_client.images.remove(image, force=True)
            except Exception:
                pass


def test_new_service_up_locked_exits_4_naming_it_and_local_images_are_locked_by_id(
        project, docker_client, registry, unique_name):
    # An image only this machine has: a repository no registry holds (the shared test image may
    # have been pulled through the mirror by an earlier test, which gives it a registry digest).
    local_image = f"{unique_name}-local/busybox:1"
    docker_client.images.get(BUSYBOX).tag(local_image)
    base = f'[services.a]\nimage = "{REGISTRY}/devenv-test/busybox:1"\n{SLEEP}\n'
    folder = project(base + f'[services.local]\nimage = "{local_image}"\n{SLEEP}\n')
    result = run_devenv("lock", "--json", cwd=folder)
    assert result.code == 0, result.output
    assert "local only: other machines cannot reproduce this" in result.err
    local = lock_of(folder)["services"]["local"]
    assert local["source"] == "local" and local["pin"] == docker_client.images.get(local_image).id

    (folder / "devenv.toml").write_text((folder / "devenv.toml").read_text()
                                        + f'[services.extra]\nimage = "{local_image}"\n{SLEEP}\n')
    result = run_devenv("up", "--locked", cwd=folder)
    assert result.code == 4, result.output
    assert "service extra" in result.err and "Traceback" not in result.err
    assert container_ids(docker_client, unique_name) == {}  # nothing half-made

    check = run_devenv("lock", "--check", "--json", cwd=folder)
    assert check.code == 4
    assert "service extra" in check.out

    result = run_devenv("up", cwd=folder)  # without --locked: a warning naming it, and up goes on
    assert result.code == 0, result.output
    assert "service extra" in result.err and "not locked" in result.err
    assert set(container_ids(docker_client, unique_name)) == {"a-1", "local-1", "extra-1"}


@pytest.fixture
def second_registry(tmp_path):
    """A registry of our own on a free port, to stop (the shared one on :5000 stays up)."""
    port = free_port()
    config = tmp_path / "registry.yml"
    config.write_text(f"version: 0.1\nstorage: {{ filesystem: {{ rootdirectory: {tmp_path / 'data'} }} }}\n"
                      f"http: {{ addr: 127.0.0.1:{port} }}\n")
    proc = subprocess.Popen(["docker-registry", "serve", str(config)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(80):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("the second registry did not start")
    yield port, proc
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_stopped_registry_gives_lock_a_clear_error_naming_the_image(
        project, docker_client, second_registry, unique_name):
    port, proc = second_registry
    ref = f"localhost:{port}/devenv-test/{unique_name}:1"
    repo, tag = ref.rsplit(":", 1)
    docker_client.images.get(BUSYBOX).tag(repo, tag)
    try:
        for line in docker_client.api.push(repo, tag=tag, stream=True, decode=True):
            assert "error" not in line, line
        folder = project(f'[services.db]\nimage = "{ref}"\n{SLEEP}\n')
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

        result = run_devenv("lock", cwd=folder)
        assert result.code == 1, result.output
        assert ref in result.err and "service db" in result.err and "unreachable" in result.err
        assert "Traceback" not in result.output and "internal error" not in result.err
        assert not (folder / "devenv.lock").exists()
    finally:
        docker_client.images.remove(ref)
