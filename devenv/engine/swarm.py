"""Swarm services and tasks for `deploy --swarm`."""

from __future__ import annotations

import json
import urllib.parse
from typing import TYPE_CHECKING

from devenv.engine.connect import START_HINT as START_HINT  # re-exported: doctor's hint

if TYPE_CHECKING:  # both are imported on first use only (start-up time of read paths)

    pass

from devenv.engine.transport import EngineBase


class Swarm(EngineBase):
    def swarm_state(self) -> dict:
        """The engine's `Swarm` info: LocalNodeState (inactive | active | …), ControlAvailable."""
        return self._raw_get("/info").get("Swarm") or {}

    def services(self, labels: dict[str, str]) -> list[dict]:
        """Swarm services carrying all these labels, with ServiceStatus (running/desired tasks)."""
        filters = json.dumps({"label": [f"{k}={v}" for k, v in labels.items()]})
        return self._raw_get(f"/services?{urllib.parse.urlencode({'filters': filters, 'status': 'true'})}")

    def tasks(self, service_id: str) -> list[dict]:
        filters = json.dumps({"service": [service_id]})
        return self._raw_get(f"/tasks?{urllib.parse.urlencode({'filters': filters})}")

    def create_service(self, spec: dict) -> str:
        with self.translate(f"cannot create service {spec['Name']}"):
            return self._post_spec("/services/create", spec)["ID"]

    def update_service(self, service_id: str, version: int, spec: dict) -> None:
        """Replace a service's whole spec (fields left out are reset, as the engine does)."""
        with self.translate(f"cannot update service {spec['Name']}"):
            self._post_spec(f"/services/{urllib.parse.quote(service_id)}/update", spec, params={"version": version})

    def _post_spec(self, path: str, spec: dict, params: dict | None = None) -> dict:
        """POST a whole service spec as JSON. The SDK's create_service/update_service take typed
        objects that cannot carry every field of a raw spec, so this goes through the APIClient's
        public requests session (base_url, api_version) rather than its private helpers."""
        import docker.errors
        import requests

        api = self.api
        response = api.post(f"{api.base_url}/v{api.api_version}{path}", json=spec, params=params,
                            headers=self._auth_header(spec))
        try:
            response.raise_for_status()
        except requests.exceptions.HTTPError as exc:
            raise docker.errors.create_api_error_from_http_exception(exc) from None
        return response.json() if response.content else {}

    def remove_service(self, service_id: str) -> None:
        import docker.errors

        with self.translate("cannot remove service"):
            try:
                self.api.remove_service(service_id)
            except docker.errors.NotFound:
                pass

    def _auth_header(self, spec: dict) -> dict:
        from docker import auth

        image = spec.get("TaskTemplate", {}).get("ContainerSpec", {}).get("Image")
        if not image:
            return {}
        header = auth.get_config_header(self.api, auth.resolve_repository_name(image)[0])
        return {"X-Registry-Auth": header} if header else {}


