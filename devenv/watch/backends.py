"""Which file-event source a watch uses, decided per platform and per folder.

Native events everywhere, through public APIs: inotify on Linux (devenv.watch.inotify), FSEvents on
macOS and ReadDirectoryChangesW on Windows (watchdog's observers, devenv.watch.recursive).
Polling only where events do not arrive: network file systems, WSL2's Windows drives (/mnt/c),
or when asked (--poll). The decision is a pure function of what was detected, so it is
unit-tested for every platform on any machine.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

INOTIFY, FSEVENTS, WINDOWS, POLLING = "inotify", "fsevents", "windows", "polling"
# Events from other machines (or from Windows, for WSL2's 9p/drvfs drives) never reach inotify here.
NETWORK_FS = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "drvfs", "afs", "ncpfs", "fuse.sshfs",
                        "fuse.rclone", "davfs", "fuse.davfs2", "glusterfs", "ceph", "lustre"})
WSL_DRIVE = re.compile(r"^/mnt/[a-zA-Z](/|$)")


@dataclass(frozen=True)
class Choice:
    backend: str              # inotify | fsevents | windows | polling
    reason: str               # why, for `watch -v` and the docs
    warning: str | None = None


def choose_backend(root: str, *, poll: bool, platform: str, wsl: bool, fs_type: str | None) -> Choice:
    if poll:
        return Choice(POLLING, "asked for (--poll)")
    if platform.startswith("linux"):
        if wsl and WSL_DRIVE.match(root):
            return Choice(POLLING, "WSL2 Windows drive", warning=(
                f"{root} is on a Windows drive seen from WSL2, where file events do not arrive: polling instead. "
                "Move the project into the Linux file system (e.g. ~/src) for instant, cheap events"))
        if fs_type in NETWORK_FS:
            return Choice(POLLING, f"network file system ({fs_type})", warning=(
                f"{root} is on a network file system ({fs_type}), where changes made elsewhere send no "
                "events: polling instead"))
        return Choice(INOTIFY, "Linux")
    if platform == "darwin":
        return Choice(FSEVENTS, "macOS")
    if platform == "win32":
        return Choice(WINDOWS, "Windows")
    return Choice(POLLING, f"no native events on {platform}")


def detect(root: str, *, poll: bool) -> Choice:
    """choose_backend with what this machine says about itself."""
    linux = sys.platform.startswith("linux")
    return choose_backend(root, poll=poll, platform=sys.platform, wsl=linux and is_wsl(),
                          fs_type=fs_type_of(root, _read("/proc/self/mounts")) if linux else None)


def is_wsl(osrelease: str | None = None) -> bool:
    """WSL kernels say so in their release string ("…-microsoft-standard-WSL2")."""
    text = osrelease if osrelease is not None else _read("/proc/sys/kernel/osrelease")
    return "microsoft" in text.lower()


def fs_type_of(path: str, mounts: str) -> str | None:
    """The file system type of the longest mount point containing `path` (/proc/self/mounts text)."""
    best, best_type = "", None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fields[2]
    return best_type


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""
