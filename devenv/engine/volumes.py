"""Named volumes: made with the project's labels, kept until asked to remove."""

from __future__ import annotations

import json
import urllib.parse

from devenv.engine.connect import START_HINT as START_HINT  # re-exported: doctor's hint
from devenv.engine.transport import L_PROJECT, EngineBase, engine_message
from devenv.errors import DevenvError


class Volumes(EngineBase):
    def volume_labels(self, name: str) -> dict[str, str] | None:
        """The labels of the volume `name`, or None when there is no such volume."""
        status, body = self._raw_status(f"/volumes/{urllib.parse.quote(name, safe='')}")
        if status == 404:
            return None
        if status >= 400:
            raise DevenvError(f"volume {name}: {engine_message(body)}")
        return json.loads(body).get("Labels") or {}

    def ensure_volume(self, name: str, labels: dict) -> dict[str, str] | None:
        """Create the volume unless it exists; returns the labels of one that already existed,
        None when it was created now."""
        found = self.volume_labels(name)
        if found is not None:
            return found
        self._raw_call("POST", "/volumes/create", f"volume {name}", payload={"Name": name, "Labels": labels})
        return None

    def volumes(self, project: str) -> list[dict]:
        query = urllib.parse.urlencode({"filters": json.dumps({"label": [f"{L_PROJECT}={project}"]})})
        return list(self._raw_get(f"/volumes?{query}").get("Volumes") or [])

    def remove_volume(self, name: str) -> None:
        self._raw_call("DELETE", f"/volumes/{urllib.parse.quote(name, safe='')}", f"cannot remove volume {name}")


