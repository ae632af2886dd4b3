"""A no-op `up` skips loading the manifest model, but never skips a real change."""

from __future__ import annotations

from tests.conftest import BUSYBOX, run_devenv
from tests.e2e.conftest import container_ids, docker


def test_no_op_up_notices_every_kind_of_input_change(project, docker_client, unique_name):
    tag = f"{unique_name}/img:1"
    docker("tag", BUSYBOX, tag)
    manifest = (f'[services.web]\nimage = "{tag}"\ncommand = "sleep 3600"\nenv = {{ A = "${{A:-none}}" }}\n'
                'env_file = ["web.env"]\n[services.db]\n'
                f'image = "{BUSYBOX}"\ncommand = "sleep 3600"\n')
    folder = project(manifest, {"web.env": "X=1\n"})
    try:
        assert run_devenv("up", cwd=folder).code == 0
        assert "up to date" in run_devenv("up", cwd=folder).err
        ids = container_ids(docker_client, unique_name)

        def changed_only_web() -> bool:
            result = run_devenv("up", cwd=folder)
            assert result.code == 0, result.output
            now = container_ids(docker_client, unique_name)
            nonlocal ids
            web_changed, db_same = now["web-1"] != ids["web-1"], now["db-1"] == ids["db-1"]
            ids = now
            return web_changed and db_same and "up to date" in run_devenv("up", cwd=folder).err

        (folder / ".env").write_text("A=from-dotenv\n")  # a variable the manifest names
        assert changed_only_web()
        assert run_devenv("up", cwd=folder, env={"A": "from-environment"}).code == 0  # the environment wins
        ids = container_ids(docker_client, unique_name)
        (folder / "web.env").write_text("X=2\n")  # an env_file's content
        assert changed_only_web()
        other = docker_client.images.build(fileobj=__import__("io").BytesIO(
            f"FROM {BUSYBOX}\nLABEL v={unique_name}\n".encode()), tag=tag, rm=True)[0]  # same tag, new image
        assert other.id != docker_client.images.get(BUSYBOX).id
        assert changed_only_web()
        docker("stop", "-t", "0", f"{unique_name}-db-1")  # a stopped container
        result = run_devenv("up", cwd=folder)
        assert result.code == 0 and "db" in result.err and "start" in result.err
    finally:
        docker("rmi", "-f", tag)
