"""Host differences: Windows spellings of bind mounts, user = "host" per platform, rootless ports."""

from __future__ import annotations

from pathlib import Path

import pytest

from devenv.core.spec import host_path
from devenv.manifest.model import parse_mount


@pytest.mark.parametrize(("text", "source", "target", "read_only"), [
    ("C:\\src\\app:/app", "C:\\src\\app", "/app", False),
    ("c:/src:/app:ro", "c:/src", "/app", True),
    (".\\src:/app/src", ".\\src", "/app/src", False),
    ("./src:/app/src:rw", "./src", "/app/src", False),
    ("C:\\src:/app:rw", "C:\\src", "/app", False),  # `:rw` after a drive path keeps the drive
], ids=lambda value: str(value).replace("\\", "(backslash)"))  # `mutmut run` loses IDs with a backslash
def test_windows_paths_are_bind_mounts(text: str, source: str, target: str, read_only: bool) -> None:
    mount = parse_mount(text)
    assert (mount.kind, mount.source, mount.target, mount.read_only) == ("bind", source, target, read_only)


@pytest.mark.parametrize("bad", ["C:\\src", "C:\\src:app", "C:src:/app", "C:\\src:/app:/more", "./src:/app:/more"],
                         ids=lambda value: value.replace("\\", "(backslash)"))
def test_a_drive_path_still_needs_an_absolute_target(bad: str) -> None:
    with pytest.raises(ValueError, match=r"is not a mount|neither a path"):
        parse_mount(bad)


@pytest.mark.parametrize("text", ["/srv/data:/data", "\\\\server\\share:/data"],
                         ids=["absolute", "unc"])
def test_an_absolute_or_network_share_source_is_a_bind_mount(text: str) -> None:
    mount = parse_mount(text)
    assert (mount.kind, mount.source, mount.target) == ("bind", text.rsplit(":", 1)[0], "/data")


def test_named_volumes_are_unchanged() -> None:
    assert parse_mount("pgdata:/var/lib/postgresql/data").kind == "volume"


def test_a_home_path_is_a_bind_mount(tmp_path: Path) -> None:
    mount = parse_mount("~/.ssh:/root/.ssh:ro")
    assert (mount.kind, mount.source, mount.read_only) == ("bind", "~/.ssh", True)


def test_host_path_off_windows(tmp_path: Path) -> None:
    assert host_path(tmp_path, ".\\src\\app", windows=False) == str(tmp_path / "src" / "app")
    assert host_path(tmp_path, "C:\\Users\\ann\\shop", windows=False) == "/mnt/c/Users/ann/shop"  # WSL2's view
    assert host_path(tmp_path, "./src", windows=False) == str(tmp_path / "src")
    assert host_path(tmp_path / "app", "../shared", windows=False) == str(tmp_path / "shared")  # no drive here
    assert host_path(tmp_path, ".", windows=False) == str(tmp_path)


def test_user_host_is_your_uid_on_linux_only() -> None:
    import os

    from devenv.core.spec import resolve_user

    assert resolve_user("host", platform="linux") == f"{os.getuid()}:{os.getgid()}"
    assert resolve_user("host", platform="darwin") is None  # Docker Desktop maps ownership already
    assert resolve_user("host", platform="win32") is None
    assert resolve_user("1000:1000", platform="win32") == "1000:1000"


def test_rootless_engines_cannot_publish_low_ports() -> None:
    from devenv.doctor import rootless_low_ports

    rootless = ["name=seccomp,profile=default", "name=rootless", "name=cgroupns"]
    rows = rootless_low_ports(rootless, [("web", 80), ("api", 8000)], 1024)
    assert [(r.status, r.detail) for r in rows] == [
        ("FAIL", "service web: host port 80 is below 1024, which a rootless engine cannot publish")]
    assert "ip_unprivileged_port_start=80" in (rows[0].hint or "")
    assert rootless_low_ports(rootless, [("web", 80)], 80) == []  # the sysctl was lowered
    assert rootless_low_ports(["name=seccomp,profile=default"], [("web", 80)], 1024) == []  # rootful


@pytest.mark.parametrize(("text", "read_only"), [("v:/data", False), ("v:/data:ro", True)])
def test_a_one_letter_volume_without_a_target_after_it_is_a_volume_not_a_drive(text: str, read_only: bool) -> None:
    # As Docker on Linux reads it: with nothing after `/data`, `v:` cannot be a drive.
    mount = parse_mount(text)
    assert (mount.kind, mount.source, mount.target, mount.read_only) == ("volume", "v", "/data", read_only)
