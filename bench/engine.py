"""What the engine holds, read beside the tools (never through them): container IDs per service,
the engine's version, and a sweeper that removes whatever a run left behind."""

from __future__ import annotations

import functools

from bench.describe import BUILD_LABEL
from bench.tools import Tool


@functools.lru_cache(maxsize=1)
def client():
    import docker

    return docker.from_env(version="auto")


def container_ids(tool: Tool, project: str) -> dict[str, str]:
    """service → container ID, for the project's service containers (one replica each here)."""
    found = {}
    # The low-level list: one engine call (the high-level one inspects every container).
    for c in client().api.containers(all=True, filters={"label": f"{tool.project_label}={project}"}):
        labels = c.get("Labels") or {}
        if labels.get("dev.devenv.role", "service") != "service":
            continue
        found[labels.get(tool.service_label, c["Id"])] = c["Id"]
    return found


def engine_version() -> dict:
    info = client().version()
    return {"version": info.get("Version"), "api": info.get("ApiVersion"), "os": info.get("Os"),
            "kernel": info.get("KernelVersion")}


def sweep(prefix: str) -> int:
    """Remove every container, network and volume whose project label starts with `prefix`, and the
    images tagged with a project name that does. Returns the count of containers."""
    removed = 0
    api = client()
    for label in ("dev.devenv.project", "com.docker.compose.project"):
        for c in api.api.containers(all=True, filters={"label": label}):
            if (c.get("Labels") or {}).get(label, "").startswith(prefix):
                api.api.remove_container(c["Id"], force=True)
                removed += 1
        for net in api.networks.list(filters={"label": label}):
            if (net.attrs.get("Labels") or {}).get(label, "").startswith(prefix):
                try:
                    net.remove()
                except Exception:
                    continue
        for vol in api.volumes.list(filters={"label": label}):
            if (vol.attrs.get("Labels") or {}).get(label, "").startswith(prefix):
                vol.remove(force=True)
    for image in api.api.images(filters={"label": BUILD_LABEL}):  # scenario 8's, tagged or replaced
        if (image.get("Labels") or {}).get(BUILD_LABEL, "").startswith(prefix):
            try:
                api.api.remove_image(image["Id"], force=True)
            except Exception:
                continue
    return removed
