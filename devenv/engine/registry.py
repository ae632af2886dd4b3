"""Read an image index (manifest list) from its registry, through the Docker Registry HTTP API
v2, to record each platform's manifest digest in devenv.lock.

The engine tells devenv the digest a tag points to (the index digest, for a multi-platform
image) but not the digests the index lists; those come from the registry itself. Anonymous
access only (a registry asking for credentials gives no platform list: the index digest is
still pinned, and it alone decides what runs). Loopback registries are spoken to over plain
HTTP, as the engine does; every other one over HTTPS.
"""

from __future__ import annotations

import ipaddress
import json
import re
import urllib.error
import urllib.parse
import urllib.request

INDEX_TYPES = ("application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json")
MANIFEST_TYPES = ("application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json")
ACCEPT = ", ".join(INDEX_TYPES + MANIFEST_TYPES)
DOCKER_HUB = "registry-1.docker.io"


class RegistryError(Exception):
    """The registry could not tell (unreachable, needs credentials, not an image)."""


def locate(repo: str) -> tuple[str, str]:
    """`localhost:5000/a/b` → ("localhost:5000", "a/b"); `postgres` → (Docker Hub, "library/postgres")."""
    first, _, rest = repo.partition("/")
    if first in ("docker.io", "index.docker.io", DOCKER_HUB) and rest:
        repo = rest
    elif rest and ("." in first or ":" in first or first == "localhost"):
        return first, rest
    return DOCKER_HUB, repo if "/" in repo else f"library/{repo}"


def is_loopback(registry: str) -> bool:
    host = urllib.parse.urlsplit(f"//{registry}").hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def platform_digests(repo: str, digest: str, *, timeout: float = 10) -> dict[str, str]:
    """{"linux/amd64": "sha256:…", "linux/arm64/v8": "sha256:…"} for an index; {} for a
    single-platform manifest. Raises RegistryError when the registry cannot tell."""
    registry, path = locate(repo)
    scheme = "http" if is_loopback(registry) else "https"
    url = f"{scheme}://{registry}/v2/{path}/manifests/{digest}"
    document = json.loads(_get(url, timeout=timeout))
    if document.get("mediaType") not in INDEX_TYPES and "manifests" not in document:
        return {}
    found: dict[str, str] = {}
    for entry in document.get("manifests") or []:
        platform = entry.get("platform") or {}
        if platform.get("os") in (None, "unknown"):  # build attestations ride in indexes as "unknown/unknown"
            continue
        key = "/".join(str(p) for p in (platform.get("os"), platform.get("architecture"), platform.get("variant")) if p)
        found[key] = str(entry["digest"])
    return dict(sorted(found.items()))


def _get(url: str, *, timeout: float, token: str | None = None) -> bytes:
    headers = {"Accept": ACCEPT, **({"Authorization": f"Bearer {token}"} if token else {})}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        challenge = exc.headers.get("WWW-Authenticate", "")
        if exc.code == 401 and token is None and challenge.lower().startswith("bearer "):
            return _get(url, timeout=timeout, token=_anonymous_token(challenge, timeout=timeout))
        raise RegistryError(f"{url}: HTTP {exc.code}") from None
    except (OSError, ValueError) as exc:
        raise RegistryError(f"{url}: {exc}") from None


def _anonymous_token(challenge: str, *, timeout: float) -> str:
    """The token flow of the distribution spec: GET realm?service=…&scope=… without credentials."""
    params = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
    realm = params.pop("realm", "")
    if not realm:
        raise RegistryError(f"no realm in the registry's challenge {challenge!r}")
    try:
        with urllib.request.urlopen(f"{realm}?{urllib.parse.urlencode(params)}", timeout=timeout) as response:
            data = json.loads(response.read())
    except (OSError, ValueError) as exc:
        raise RegistryError(f"{realm}: {exc}") from None
    token = data.get("token") or data.get("access_token")
    if not token:
        raise RegistryError(f"{realm}: no token in the answer")
    return str(token)
