"""Data belongs to a folder (issue 15, point 1): a second checkout never mounts nor deletes the
first one's volume, names cannot collide across projects, and volumes made under the old
names are kept."""

from __future__ import annotations

import pytest

from tests.conftest import BUSYBOX, run_devenv, write_files

DATA = f'image = "{BUSYBOX}"\ncommand = "sleep 3600"\nmounts = ["data:/data"]\n'


# each test keeps its writer locks in a state folder of its own (tests/e2e/conftest.py)
pytestmark = pytest.mark.usefixtures("own_state_dir")


@pytest.fixture
def cleanup(docker_client, unique_name):
    """Folders to take down (with volumes) after the test, and every volume of this test's names."""
    folders: list[tuple] = []
    yield folders
    for folder, *extra in folders:
        run_devenv(*extra, "down", "--volumes", "-t", "0", cwd=folder)
    for volume in docker_client.volumes.list():
        if volume.name.startswith(unique_name):
            volume.remove(force=True)


def read(folder, path: str = "/data/f", *extra: str) -> str:
    result = run_devenv(*extra, "exec", "-T", "web", "cat", path, cwd=folder)
    return result.out.strip() if result.code == 0 else f"<exit {result.code}>"


def write(folder, text: str, *extra: str) -> None:
    assert run_devenv(*extra, "exec", "-T", "web", "sh", "-c", f"echo {text} > /data/f", cwd=folder).code == 0


def test_a_second_checkout_never_mounts_nor_deletes_the_first_ones_volume(tmp_path, docker_client, unique_name,
                                                                          cleanup):
    manifest = f'[project]\nname = "{unique_name}"\n[services.web]\n{DATA}'
    first = write_files(tmp_path / "main" / "shop", {"devenv.toml": manifest})
    second = write_files(tmp_path / "feature" / "shop", {"devenv.toml": manifest})
    cleanup.extend([(first,), (second,)])
    assert run_devenv("up", cwd=first).code == 0
    write(first, "precious")
    assert run_devenv("down", "-t", "0", cwd=first).code == 0  # the volume stays, the first checkout is down

    up = run_devenv("up", cwd=second)
    assert up.code == 0, up.output
    assert read(second) == "<exit 1>"  # an empty volume of its own, not the first one's data
    second_name = run_devenv("status", "--json", cwd=second).out
    assert f'"project": "{unique_name}-' in second_name
    assert run_devenv("down", "--volumes", "-t", "0", cwd=second).code == 0

    volume = docker_client.volumes.get(f"{unique_name}.data")
    assert volume.attrs["Labels"]["dev.devenv.root"] == str(first.resolve())
    assert run_devenv("up", cwd=first).code == 0
    assert read(first) == "precious"


def test_the_same_name_picked_by_hand_in_another_folder_is_refused_and_deletes_nothing(
        tmp_path, docker_client, unique_name, cleanup):
    manifest = f'[project]\nname = "{unique_name}"\n[services.web]\n{DATA}'
    first = write_files(tmp_path / "a", {"devenv.toml": manifest})
    second = write_files(tmp_path / "b", {"devenv.toml": manifest})
    cleanup.append((first,))
    assert run_devenv("up", cwd=first).code == 0
    write(first, "precious")
    assert run_devenv("down", "-t", "0", cwd=first).code == 0

    refused = run_devenv("-p", unique_name, "up", cwd=second)
    assert refused.code == 2, refused.output
    assert f"volume {unique_name}.data: it belongs to project {unique_name!r} in {first.resolve()}" in refused.err
    assert "refusing to mount it" in refused.err
    assert docker_client.containers.list(all=True, filters={"label": f"dev.devenv.project={unique_name}"}) == []

    down = run_devenv("-p", unique_name, "down", "--volumes", cwd=second)
    assert down.code == 0, down.output
    assert f"volume {unique_name}.data" in down.err and "left alone" in down.err
    assert run_devenv("up", cwd=first).code == 0
    assert read(first) == "precious"
    running = docker_client.containers.list(filters={"label": f"dev.devenv.project={unique_name}"})
    down = run_devenv("-p", unique_name, "down", "--volumes", cwd=second)  # while the first one runs
    assert down.code == 0, down.output
    assert f"belong to {first.resolve()}" in down.err and "left alone" in down.err
    assert docker_client.containers.list(filters={"label": f"dev.devenv.project={unique_name}"}) == running
    assert read(first) == "precious"


def test_names_cannot_collide_across_projects(tmp_path, docker_client, unique_name, cleanup):
    # the old `<project>_<volume>` made both of these `<name>_2_data`
    one = write_files(tmp_path / "one", {"devenv.toml": f'[project]\nname = "{unique_name}"\n[services.web]\n'
                                                        f'{DATA.replace("data:/data", "2_data:/data")}'})
    two = write_files(tmp_path / "two", {"devenv.toml": f'[project]\nname = "{unique_name}_2"\n[services.web]\n'
                                                        f'{DATA}'})
    cleanup.extend([(one,), (two,)])
    assert run_devenv("up", cwd=one).code == 0 and run_devenv("up", cwd=two).code == 0
    write(one, "one")
    assert read(two) == "<exit 1>"
    names = {v.name for v in docker_client.volumes.list(filters={"label": "dev.devenv.project"})
             if v.name.startswith(unique_name)}
    assert names == {f"{unique_name}.2_data", f"{unique_name}_2.data"}
    assert run_devenv("down", "--volumes", "-t", "0", cwd=two).code == 0
    assert read(one) == "one"


def test_a_volume_made_under_the_old_name_is_kept_with_a_message(tmp_path, docker_client, unique_name, cleanup):
    folder = write_files(tmp_path / "shop", {"devenv.toml": f'[project]\nname = "{unique_name}"\n'
                                                            f'[services.web]\n{DATA}'})
    cleanup.append((folder,))
    legacy = f"{unique_name}_data"
    docker_client.volumes.create(legacy, labels={"dev.devenv.project": unique_name, "dev.devenv.volume": legacy,
                                                 "dev.devenv.root": str(folder.resolve()),
                                                 "dev.devenv.version": "0.1.0"})
    docker_client.containers.run(BUSYBOX, ["sh", "-c", "echo old > /data/f"], volumes={legacy: {"bind": "/data"}},
                                 remove=True)
    up = run_devenv("up", cwd=folder)
    assert up.code == 0, up.output
    assert f"volume {legacy}: kept under its old name" in up.err
    assert read(folder) == "old"
    assert f"{unique_name}.data" not in {v.name for v in docker_client.volumes.list()}
    gone = run_devenv("down", "--volumes", "-t", "0", cwd=folder)
    assert gone.code == 0 and legacy in gone.err
    assert not [v for v in docker_client.volumes.list() if v.name == legacy]


def test_plan_in_a_second_checkout_refuses_as_up_does(tmp_path, unique_name, cleanup):
    """Not "x remove: not in devenv.toml any more" for the first checkout's containers."""
    service = f'image = "{BUSYBOX}"\ncommand = "sleep 3600"\n'
    first = write_files(tmp_path / "a", {"devenv.toml": "[services.x]\n" + service})
    second = write_files(tmp_path / "b", {"devenv.toml": "[services.y]\n" + service})
    cleanup.append((first, "-p", unique_name))
    assert run_devenv("-p", unique_name, "up", cwd=first).code == 0
    plan = run_devenv("-p", unique_name, "plan", cwd=second)
    assert plan.code == 2, plan.output
    assert f"network {unique_name}_default: it belongs to project {unique_name!r} in {first.resolve()}" in plan.err
    assert "remove" not in plan.out
