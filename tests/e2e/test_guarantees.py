"""Guarantees of docs/guarantees.md that no other e2e test covers: devenv never removes an
image, neither a pulled one nor one it built."""

from __future__ import annotations

from tests.conftest import BUSYBOX, run_devenv


def test_down_with_volumes_removes_no_image(project, docker_client, unique_name):
    folder = project(f'[services.app]\nbuild = "."\ncommand = "sleep 100000"\nstop_timeout = "1s"\n'
                     f'mounts = ["data:/data"]\n\n[services.db]\nimage = "{BUSYBOX}"\ncommand = "sleep 100000"\n'
                     'stop_timeout = "1s"\n', files={"Dockerfile": f"FROM {BUSYBOX}\nRUN echo built > /built\n"})
    assert run_devenv("up", cwd=folder).code == 0
    built = docker_client.containers.list(filters={"label": [f"dev.devenv.project={unique_name}",
                                                             "dev.devenv.service=app"]})[0].image.id
    result = run_devenv("down", "--volumes", cwd=folder)
    assert result.code == 0, result.output
    assert docker_client.images.get(built).id == built  # the image devenv built
    assert docker_client.images.get(BUSYBOX)  # the image the project used
    assert docker_client.containers.list(all=True, filters={"label": f"dev.devenv.project={unique_name}"}) == []
