"""Install the router's local CA root certificate where the system and browsers look for it.

Each platform's way is a list of commands (pure, testable); `run` carries them out and says
which need more rights. Only the public root certificate is handled: the CA's key never leaves
the router's volume."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

NICKNAME = "devenv local CA"
LINUX_ANCHOR = Path("/usr/local/share/ca-certificates/devenv-local-ca.crt")


@dataclass(frozen=True)
class Step:
    what: str
    argv: list[str]


def nss_databases(home: Path) -> list[Path]:
    """Chromium's shared NSS store and each Firefox profile: what browsers on Linux read."""
    found = [home / ".pki" / "nssdb"] if (home / ".pki" / "nssdb").is_dir() else []
    for pattern in (".mozilla/firefox/*", "snap/firefox/common/.mozilla/firefox/*"):
        found += [Path(p) for p in sorted(glob.glob(str(home / pattern))) if (Path(p) / "cert9.db").exists()]
    return found


def install_steps(cert: Path, *, platform: str, home: Path, have: set[str]) -> list[Step]:
    if platform == "darwin":
        return [Step("system keychain", ["security", "add-trusted-cert", "-d", "-r", "trustRoot", "-k",
                                         "/Library/Keychains/System.keychain", str(cert)])]
    if platform == "win32":
        return [Step("Windows root store", ["certutil", "-addstore", "-f", "ROOT", str(cert)])]
    steps = []
    if "update-ca-certificates" in have:
        steps += [Step("system store", ["cp", str(cert), str(LINUX_ANCHOR)]),
                  Step("system store", ["update-ca-certificates"])]
    elif "trust" in have:
        steps.append(Step("system store (p11-kit)", ["trust", "anchor", "--store", str(cert)]))
    if "certutil" in have:
        steps += [Step(f"NSS {db}", ["certutil", "-A", "-d", f"sql:{db}", "-t", "C,,", "-n", NICKNAME, "-i",
                                     str(cert)]) for db in nss_databases(home)]
    return steps


def uninstall_steps(cert: Path, *, platform: str, home: Path, have: set[str]) -> list[Step]:
    if platform == "darwin":
        return [Step("system keychain", ["security", "remove-trusted-cert", "-d", str(cert)])]
    if platform == "win32":
        return [Step("Windows root store", ["certutil", "-delstore", "ROOT", NICKNAME])]
    steps = []
    if "update-ca-certificates" in have:
        steps += [Step("system store", ["rm", "-f", str(LINUX_ANCHOR)]),
                  Step("system store", ["update-ca-certificates", "--fresh"])]
    elif "trust" in have:
        steps.append(Step("system store (p11-kit)", ["trust", "anchor", "--remove", str(cert)]))
    if "certutil" in have:
        steps += [Step(f"NSS {db}", ["certutil", "-D", "-d", f"sql:{db}", "-n", NICKNAME])
                  for db in nss_databases(home)]
    return steps


def tools() -> set[str]:
    return {t for t in ("update-ca-certificates", "trust", "certutil", "security") if shutil.which(t)}


def run(steps: list[Step]) -> list[tuple[Step, int, str]]:
    """Carry the steps out; each result is (step, exit code, last output line)."""
    results = []
    for step in steps:
        try:
            proc = subprocess.run(step.argv, capture_output=True, text=True, timeout=60)
            tail = (proc.stderr or proc.stdout).strip().splitlines()
            results.append((step, proc.returncode, tail[-1] if tail else ""))
        except OSError as exc:
            results.append((step, 127, str(exc)))
    return results


def saved_root(home: Path) -> Path:
    """Where `devenv trust` keeps a copy of the root certificate (for curl --cacert, say)."""
    base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "devenv" / "router-root.crt"


def trusted_marker(home: Path) -> Path:
    """Written by a `devenv trust` that succeeded, removed by --uninstall: status reads it."""
    return saved_root(home).with_suffix(".trusted")


def platform_name() -> str:
    return sys.platform
