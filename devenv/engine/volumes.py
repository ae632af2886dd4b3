"""Named volumes: made with the project's labels, kept until asked to remove."""

from __future__ import annotations

import json
import urllib.parse
from typing import TYPE_CHECKING

from devenv.engine.connect import START_HINT as START_HINT  # re-exported: doctor's hint
from devenv.errors import DevenvError

if TYPE_CHECKING:  # both are imported on first use only (start-up time of read paths)

    pass

from devenv.engine.transport import L_PROJECT, EngineBase


class Volumes(EngineBase):
    def volume_labels(self, name: str) -> dict[str, str] | None:
        """The labels of the volume `name`, or None when there is no such volume."""
        status, body = self._raw_status(f"/volumes/{urllib.parse.quote(name, safe='')}")
        if status == 404:
            return None
        if status >= 400:
            raise DevenvError(f"engine error: {body.decode(errors='replace').strip()}")
        return json.loads(body).get("Labels") or {}

    def ensure_volume(self, name: str, labels: dict) -> dict[str, str] | None:
        """Create the volume unless it exists; returns the labels of one that already existed,
        None when it was created now."""
        import docker.errors

        with self.translate(f"volume {name}"):
            try:
                return self.api.inspect_volume(name).get("Labels") or {}
            except docker.errors.NotFound:
                self.api.create_volume(name, labels=labels)
                return None

    def volumes(self, project: str) -> list[dict]:
        query = urllib.parse.urlencode({"filters": json.dumps({"label": [f"{L_PROJECT}={project}"]})})
        return list(self._raw_get(f"/volumes?{query}").get("Volumes") or [])

    def remove_volume(self, name: str) -> None:
        self._raw_call("DELETE", f"/volumes/{urllib.parse.quote(name, safe='')}", f"cannot remove volume {name}")


