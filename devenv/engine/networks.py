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
        with self.translate(f"network {name}"):
            # names= matches by substring, so compare exactly
            found = [n for n in self.api.networks(names=[name]) if n["Name"] == name]
            if found:
                return found[0].get("Labels") or {}
            self.api.create_network(name, driver="bridge", labels=labels, check_duplicate=True)
            return None

    def networks(self, project: str) -> list[dict]:
        query = urllib.parse.urlencode({"filters": json.dumps({"label": [f"{L_PROJECT}={project}"]})})
        return list(self._raw_get(f"/networks?{query}"))

    def remove_network(self, network_id: str) -> None:
        """Remove a network. The engine releases a removed container's endpoint a moment after
        the removal returns (seconds, under the load of a 200-service `down`), and refuses the
        network meanwhile ("has active endpoints"): asked again for NETWORK_SETTLE seconds."""
        import time

        path = f"/networks/{urllib.parse.quote(network_id, safe='')}"
        deadline = time.monotonic() + NETWORK_SETTLE
        while True:
            try:
                self._raw_call("DELETE", path, "cannot remove network")
                return
            except DevenvError as exc:
                if "active endpoints" not in exc.message or time.monotonic() > deadline:
                    raise
            time.sleep(0.2)

    def connect(self, container_id: str, network: str, aliases: list[str] | None = None) -> None:
        """Attach a container to one more network (the shared router's); already attached is fine.
        `aliases`: names it answers to there. A container attached under a temporary name and
        renamed later keeps the old name in that network's DNS, so the final one is given here."""
        with self.translate(f"cannot connect to network {network}"):
            try:
                self.api.connect_container_to_network(container_id, network, aliases=aliases)
            except Exception as exc:
                if "already exists" not in str(exc) and "already attached" not in str(exc):
                    raise

    def ensure_overlay_network(self, name: str, labels: dict) -> None:
        with self.translate(f"network {name}"):
            found = [n for n in self.api.networks(names=[name]) if n["Name"] == name]
            if found and found[0].get("Driver") != "overlay":
                raise DevenvError(f"network {name} exists and is a {found[0].get('Driver')} network, not an overlay",
                                  hint=f"remove it (`docker network rm {name}`) and deploy again")
            if not found:
                self.api.create_network(name, driver="overlay", scope="swarm", labels=labels, check_duplicate=True)


