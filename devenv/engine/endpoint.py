"""Which Docker engine to talk to, resolved exactly as the docker CLI resolves it.

The order (docker CLI `cli/command/cli.go`, `resolveContextName` and the default context):

1. the global options `--context NAME` or `-H/--host URL` (both at once is an error);
2. `DOCKER_HOST` (with `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`): it overrides any context;
3. `DOCKER_CONTEXT`;
4. `currentContext` in `$DOCKER_CONFIG/config.json` (default `~/.docker`), read through
   `contexts/meta/<sha256(name)>/meta.json`, TLS material from `contexts/tls/<sha256(name)>/docker/`;
5. the platform default: `unix:///var/run/docker.sock`, `npipe:////./pipe/docker_engine` on Windows.

Every way devenv reaches the engine (raw HTTP reads, the SDK, the event stream, deploy, doctor)
starts from one `Endpoint`, so reads and writes can never go to two different engines. Each
`Endpoint` remembers how it was chosen, so an error names the endpoint *and* why it was picked.
Pure: the environment, the platform and the home folder are parameters (unit-tested hermetically).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from devenv.errors import UsageError

DEFAULT_UNIX = "unix:///var/run/docker.sock"
DEFAULT_NPIPE = "npipe:////./pipe/docker_engine"
SCHEMES = ("unix", "tcp", "ssh", "npipe")
CONTEXT_HINT = "list the contexts with `docker context ls`; pick one with `docker context use NAME` or --context"


class TLS(NamedTuple):  # NamedTuple, not dataclass: no `dataclasses` on every command's start-up
    """TLS material for a tcp:// endpoint. `verify` False means encrypt but do not check the server."""

    verify: bool
    ca: str | None = None
    cert: str | None = None
    key: str | None = None


class Endpoint(NamedTuple):  # NamedTuple, not dataclass: no `dataclasses` on every command's start-up
    host: str            # unix:///path, tcp://host:port, ssh://user@host, npipe:////./pipe/name
    source: str          # how it was chosen, e.g. "context colima from ~/.docker/config.json"
    context: str = "default"
    tls: TLS | None = None

    @property
    def scheme(self) -> str:
        return self.host.split("://", 1)[0]

    @property
    def unix_path(self) -> str | None:
        return self.host[len("unix://"):] if self.scheme == "unix" else None

    @property
    def tcp_address(self) -> tuple[str, int] | None:
        if self.scheme != "tcp":
            return None
        parts = urlsplit(self.host)
        return parts.hostname or "localhost", parts.port or (2376 if self.tls else 2375)

    def describe(self) -> str:
        return f"{self.source}: {self.host}"

    def to_dict(self) -> dict:
        return {"host": self.host, "context": self.context, "source": self.source, "tls": self.tls is not None,
                "tls_verify": bool(self.tls and self.tls.verify)}


# -- the global options (--context, -H), set once by the CLI -----------------------------------------

_cli_context: str | None = None
_cli_host: str | None = None


def select(*, context: str | None, host: str | None) -> None:
    """Remember the CLI's --context / --host for every Engine made afterwards in this process."""
    global _cli_context, _cli_host
    if context and host:
        raise UsageError("conflicting options: either --host or --context, not both")
    _cli_context, _cli_host = context or None, host or None


def current() -> Endpoint:
    """The endpoint for this process: the CLI's options, then the environment and the docker config."""
    return resolve(context=_cli_context, host=_cli_host, env=os.environ)


# -- resolution ----------------------------------------------------------------------------------------

def resolve(*, context: str | None = None, host: str | None = None, env: Mapping[str, str],
            platform: str = sys.platform, home: Path | None = None) -> Endpoint:
    """The endpoint the docker CLI would use with these options and this environment."""
    if context and host:
        raise UsageError("conflicting options: either --host or --context, not both")
    config_dir = _config_dir(env, home)
    if host:
        return _plain(host, "--host", env, platform, home)
    if context:
        return _named_context(context, "--context", config_dir, env, platform, home)
    if env.get("DOCKER_HOST"):
        return _plain(env["DOCKER_HOST"], "DOCKER_HOST", env, platform, home)
    if env.get("DOCKER_CONTEXT"):
        return _named_context(env["DOCKER_CONTEXT"], "DOCKER_CONTEXT", config_dir, env, platform, home)
    config_file = config_dir / "config.json"
    current_context = _read_current_context(config_file)
    if current_context:
        return _named_context(current_context, _shown(config_file, env, home), config_dir, env, platform, home)
    return _default(env, platform, home, source="the default endpoint")


def config_dir() -> Path:
    """The docker CLI's config folder for this process ($DOCKER_CONFIG, else ~/.docker)."""
    return _config_dir(os.environ, None)


def _config_dir(env: Mapping[str, str], home: Path | None) -> Path:
    if env.get("DOCKER_CONFIG"):
        return Path(env["DOCKER_CONFIG"])
    return (home or Path.home()) / ".docker"


def _shown(path: Path, env: Mapping[str, str], home: Path | None) -> str:
    """A path as a user would write it: ~/.docker/config.json rather than /home/ann/.docker/…"""
    base = home or Path(env.get("HOME") or Path.home())
    try:
        return "~/" + path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


def _read_current_context(config_file: Path) -> str | None:
    try:
        text = config_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UsageError(f"cannot read {config_file} ({exc.strerror or exc})") from None
    try:
        data = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise UsageError(f"{config_file}: not valid JSON ({exc.msg}, line {exc.lineno})",
                         hint="fix the file, or point DOCKER_CONFIG at another folder") from None
    name = data.get("currentContext") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else None


def _default(env: Mapping[str, str], platform: str, home: Path | None, *, source: str) -> Endpoint:
    """The `default` context: DOCKER_HOST when set, else the platform's socket."""
    if env.get("DOCKER_HOST"):
        return _plain(env["DOCKER_HOST"], "DOCKER_HOST", env, platform, home)
    return Endpoint(DEFAULT_NPIPE if platform == "win32" else DEFAULT_UNIX, source)


def _plain(url: str, source: str, env: Mapping[str, str], platform: str, home: Path | None) -> Endpoint:
    """An endpoint from -H or DOCKER_HOST, with TLS from DOCKER_TLS_VERIFY / DOCKER_CERT_PATH."""
    host = normalize_host(url, source)
    tls = None
    verify = bool(env.get("DOCKER_TLS_VERIFY"))  # the CLI treats any non-empty value as "on"
    if host.startswith("tcp://") and (verify or env.get("DOCKER_CERT_PATH")):
        cert_dir = Path(env.get("DOCKER_CERT_PATH") or _config_dir(env, home))
        tls = TLS(verify=verify, **_tls_files(cert_dir))
    return Endpoint(host, source, tls=tls)


def _named_context(name: str, chosen_by: str, config_dir: Path, env: Mapping[str, str], platform: str,
                   home: Path | None) -> Endpoint:
    source = f"context {name} from {chosen_by}"
    if name == "default":
        return _default(env, platform, home, source=source)
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta_file = config_dir / "contexts" / "meta" / digest / "meta.json"
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{source}: no such context (no {meta_file})", hint=CONTEXT_HINT) from None
    except (OSError, json.JSONDecodeError) as exc:
        raise UsageError(f"{source}: cannot read {meta_file} ({exc})", hint=CONTEXT_HINT) from None
    docker = ((meta.get("Endpoints") or {}).get("docker") or {}) if isinstance(meta, dict) else {}
    if not docker.get("Host"):
        raise UsageError(f"{source}: the context has no docker endpoint ({meta_file})", hint=CONTEXT_HINT)
    host = normalize_host(docker["Host"], source)
    tls_dir = config_dir / "contexts" / "tls" / digest / "docker"
    files = _tls_files(tls_dir)
    tls = None
    if host.startswith("tcp://") and (any(files.values()) or docker.get("SkipTLSVerify")):
        tls = TLS(verify=not docker.get("SkipTLSVerify"), **files)
    return Endpoint(host, source, context=name, tls=tls)


def _tls_files(folder: Path) -> dict[str, str | None]:
    found = {kind: folder / f"{kind}.pem" for kind in ("ca", "cert", "key")}
    return {kind: str(path) if path.is_file() else None for kind, path in found.items()}


def normalize_host(url: str, source: str) -> str:
    """Check a host URL's scheme and shape; `host:port` alone means tcp, as for the docker CLI."""
    url = url.strip()
    if "://" not in url:
        url = "tcp://" + url
    scheme, rest = url.split("://", 1)
    scheme = scheme.lower()
    if scheme == "http":  # the CLI accepts http:// as a synonym of tcp://
        scheme = "tcp"
    if scheme not in SCHEMES:
        known = ", ".join(s + "://" for s in SCHEMES)
        raise UsageError(f"{source}: {url}: unsupported scheme {scheme}:// (use {known})")
    if not rest.strip("/"):
        raise UsageError(f"{source}: {url}: no address after {scheme}://")
    if scheme == "tcp":
        rest = rest.rstrip("/")
        try:
            _ = urlsplit(f"tcp://{rest}").port  # raises on a port that is not a number
        except ValueError:
            raise UsageError(f"{source}: {url}: invalid port") from None
    return f"{scheme}://{rest}"
