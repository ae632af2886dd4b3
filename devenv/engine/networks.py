"""The project's networks (and the shared router's)."""

from __future__ import annotations

import json
import urllib.parse

from devenv.engine.connect import START_HINT as START_HINT  # re-exported: doctor's hint
from devenv.engine.transport import L_PROJECT, EngineBase
from devenv.errors import DevenvError

NETWORK_SETTLE = 15.0  # seconds a removed container's endpoint may take to leave its network


class Networks(EngineBase):
    def ensure_network(self, name: str, labels: dict) -> dict[str, str] | None:
        """Create the network unless it exists; returns the labels of one that already existed
        (so the caller can check whose it is), None when it was created now."""
        found = self._named_network(name)
        if found is not None:
            return found.get("Labels") or {}
        self._raw_call("POST", "/networks/create", f"network {name}",
                       payload={"Name": name, "Driver": "bridge", "CheckDuplicate": True, "Labels": labels})
        return None

    def _named_network(self, name: str) -> dict | None:
        query = urllib.parse.urlencode({"filters": json.dumps({"name": [name]})})
        # the name filter matches by substring, so compare exactly
        return next((n for n in self._raw_get(f"/networks?{query}") if n.get("Name") == name), None)

    def networks(self, project: str) -> list[dict]:
        query = urllib.parse.urlencode({"filters": json.dumps({"label": [f"{L_PROJECT}={project}"]})})
        return list(self._raw_get(f"/networks?{query}"))

    def remove_network(self, network_id: str) -> None:
        """Remove a network. The engine releases a removed container's endpoint a moment after
        the removal returns (seconds, under the load of a 200-service `down`), and refuses the
        network meanwhile ("has active endpoints"): asked again for NETWORK_SETTLE seconds. Then
        the endpoints whose container no longer exists are stale (Docker 20.10 kept one after a
        200-service `down`): they are disconnected by force, and the network asked once more."""
        import time

        path = f"/networks/{urllib.parse.quote(network_id, safe='')}"
        deadline = time.monotonic() + NETWORK_SETTLE
        swept = False
        while True:
            try:
                self._raw_call("DELETE", path, "cannot remove network")
                return
            except DevenvError as exc:
                if "active endpoints" not in exc.message or (swept and time.monotonic() > deadline):
                    raise
                if time.monotonic() > deadline:
                    self._disconnect_stale(path)
                    swept = True
                    continue
            time.sleep(0.2)

    def _disconnect_stale(self, path: str) -> None:
        """Force out of the network every endpoint whose container the engine no longer has."""
        status, body = self._raw_status(path)
        attached = (json.loads(body).get("Containers") or {}) if status < 300 else {}
        for key, endpoint in attached.items():
            if self._raw_status(f"/containers/{urllib.parse.quote(key, safe='')}/json")[0] != 404:
                continue  # a container that exists is not ours to cut off
            for who in dict.fromkeys(x for x in (endpoint.get("Name"), key) if x):
                payload = json.dumps({"Container": who, "Force": True}).encode()
                if self._raw_status(f"{path}/disconnect", method="POST", body=payload)[0] < 300:
                    break

    def connect(self, container_id: str, network: str, aliases: list[str] | None = None) -> None:
        """Attach a container to one more network (the shared router's); already attached is fine.
        `aliases`: names it answers to there. A container attached under a temporary name and
        renamed later keeps the old name in that network's DNS, so the final one is given here."""
        endpoint = {"Aliases": aliases} if aliases else {}
        try:
            self._raw_call("POST", f"/networks/{urllib.parse.quote(network, safe='')}/connect",
                           f"cannot connect to network {network}",
                           payload={"Container": container_id, "EndpointConfig": endpoint})
        except DevenvError as exc:
            if "already exists" not in exc.message and "already attached" not in exc.message:
                raise

    def ensure_overlay_network(self, name: str, labels: dict) -> None:
        found = self._named_network(name)
        if found is not None and found.get("Driver") != "overlay":
            raise DevenvError(f"network {name} exists and is a {found.get('Driver')} network, not an overlay",
                              hint=f"remove it (`docker network rm {name}`) and deploy again")
        if found is None:
            self._raw_call("POST", "/networks/create", f"network {name}",
                           payload={"Name": name, "Driver": "overlay", "CheckDuplicate": True, "Labels": labels,
                                    "Scope": "swarm"})


