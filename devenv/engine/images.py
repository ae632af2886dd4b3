"""Pulling, building, tagging and pushing images; what the local store holds."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

from devenv.engine.connect import START_HINT as START_HINT  # re-exported: doctor's hint
from devenv.engine.connect import reason_of, speaks_raw, unreachable
from devenv.engine.transport import L_PROJECT, L_SERVICE, EngineBase, _raw_stream, engine_error, engine_message
from devenv.errors import DevenvError, EngineUnavailable


class Images(EngineBase):
    def image_id(self, ref: str) -> str | None:
        try:
            return self._raw_get(f"/images/{urllib.parse.quote(ref, safe='')}/json")["Id"]
        except DevenvError as exc:
            if isinstance(exc, EngineUnavailable):
                raise
            return None

    def image_inspect(self, ref: str) -> dict | None:
        try:
            return self._raw_get(f"/images/{urllib.parse.quote(ref, safe='')}/json")
        except EngineUnavailable:
            raise
        except DevenvError:
            return None

    def pull(self, ref: str, on_progress: Callable[[dict], None] | None = None) -> str:
        """Pull `ref`, streaming progress events; an error inside the stream is an error."""
        repo, tag = _split_ref(ref)
        try:
            with self.translate():
                for event in self.api.pull(repo, tag=tag, stream=True, decode=True):
                    if "error" in event:
                        raise DevenvError(event["error"])
                    if on_progress:
                        on_progress(event)
        except EngineUnavailable:
            raise
        except DevenvError as exc:
            raise DevenvError(f"cannot pull {ref}: {_pull_error(exc.message)}") from None
        image = self.image_id(ref)
        if image is None:
            raise DevenvError(f"cannot pull {ref}: the engine reported no image after the pull")
        return image

    def build(self, *, context: str, dockerfile: str, tag: str, args: dict, target: str | None,
              labels: dict, on_line: Callable[[str], None] | None = None) -> str:
        """Build with the engine; on failure the error carries the tail of the build log. Over
        the raw socket on unix:// and tcp:// (the SDK's import was ~0.1 s of a rebuild), through
        the SDK over ssh:// and npipe://."""
        log: list[str] = []
        if speaks_raw(self.endpoint):
            events = self._raw_build(context, dockerfile, tag, args, target, labels)
        else:
            with self.translate(f"cannot build {tag}"):
                events = self.api.build(path=context, dockerfile=dockerfile, tag=tag, buildargs=args or None,
                                        target=target, rm=True, forcerm=True, labels=labels, decode=True)
        with self.translate(f"cannot build {tag}"):
            for event in events:
                if "stream" in event:
                    for line in event["stream"].splitlines():
                        if line.strip():
                            log.append(line)
                            if on_line:
                                on_line(line)
                if "error" in event:
                    tail = "\n".join([*log[-20:], event["error"].strip()])
                    raise DevenvError(f"build of {tag} failed: {event['error'].strip()}", details=tail)
        image = self.image_id(tag)
        if image is None:
            raise DevenvError(f"build of {tag} produced no image", details="\n".join(log[-20:]))
        return image

    def _raw_build(self, context: str, dockerfile: str, tag: str, args: dict, target: str | None,
                   labels: dict) -> Iterator[dict]:
        """`POST /build` with the context's tar; the engine's JSON events as they come."""
        from devenv.engine.buildcontext import context_tar, registry_config_header
        from devenv.engine.endpoint import config_dir

        archive, dockerfile_name = context_tar(Path(context), dockerfile)
        query = {"t": tag, "dockerfile": dockerfile_name, "rm": "1", "forcerm": "1", "labels": json.dumps(labels),
                 **({"buildargs": json.dumps(args)} if args else {}), **({"target": target} if target else {})}
        headers = {"Content-Type": "application/x-tar"}
        credentials = registry_config_header(config_dir())
        if credentials:
            headers["X-Registry-Config"] = credentials
        with archive:
            try:
                for line in _raw_stream(self.endpoint, f"/build?{urllib.parse.urlencode(query)}", method="POST",
                                        body=archive, headers=headers):
                    if line.strip():
                        yield json.loads(line)
            except DevenvError as exc:  # the engine refused the request itself (a bad Dockerfile name …)
                raise DevenvError(f"build of {tag} failed: {exc.message.removeprefix('engine error: ')}") from None
            except ValueError:
                raise DevenvError(f"build of {tag}: the engine sent output that is not JSON") from None
            except OSError as exc:
                raise unreachable(self.endpoint, reason_of(exc), f"cannot build {tag}") from None

    def built_images(self, project: str, service: str | None = None) -> list[dict]:
        """The images devenv built for `project` (or one of its services): the build labels them."""
        labels = [f"{L_PROJECT}={project}"] + ([f"{L_SERVICE}={service}"] if service else [])
        query = urllib.parse.urlencode({"filters": json.dumps({"label": labels})})
        return list(self._raw_get(f"/images/json?{query}"))

    def remove_image(self, ref: str) -> bool:
        """Untag `ref` (and remove the image when that was its last name). False when a container
        still uses it (409: the engine refuses without force, and devenv never forces it)."""
        status, reply = self._raw_status(f"/images/{urllib.parse.quote(ref, safe='')}", method="DELETE")
        if status == 409:
            return False
        if status >= 400 and status != 404:
            raise engine_error(f"cannot remove image {ref}: ", engine_message(reply) or f"engine status {status}")
        return True

    def tag(self, image: str, ref: str) -> None:
        repo, tag = _split_ref(ref)
        with self.translate(f"cannot tag {ref}"):
            self.api.tag(image, repo, tag)

    def push(self, ref: str) -> str | None:
        """Push `ref`; returns the manifest digest the registry reported (None if it sent none)."""
        repo, tag = _split_ref(ref)
        pushed = None
        with self.translate(f"cannot push {ref}"):
            for event in self.api.push(repo, tag=tag, stream=True, decode=True):
                if "error" in event:
                    raise DevenvError(f"cannot push {ref}: {event['error']}")
                pushed = (event.get("aux") or {}).get("Digest") or pushed
        return pushed

    def registry_digest(self, ref: str) -> str:
        """The digest the registry holds for `ref` now (asks the registry, pulls nothing)."""
        with self.translate(f"cannot resolve {ref}"):
            data = self.api.inspect_distribution(ref)
        return data["Descriptor"]["digest"]

    def registry_platforms(self, repo: str, digest: str) -> dict[str, str]:
        """The per-platform manifest digests an image index lists, asked of its registry
        ({} for a single-platform image, or when the registry will not say)."""
        from devenv.engine.registry import RegistryError, platform_digests

        try:
            return platform_digests(repo, digest)
        except RegistryError:
            return {}


def _split_ref(ref: str) -> tuple[str, str | None]:
    if "@" in ref:
        repo, digest = ref.split("@", 1)
        return repo, digest
    last = ref.rsplit("/", 1)[-1]
    if ":" in last:
        repo, tag = ref.rsplit(":", 1)
        return repo, tag
    return ref, "latest"


def _pull_error(message: str) -> str:
    lowered = message.lower()
    if "connection refused" in lowered or "no such host" in lowered or "dial tcp" in lowered:
        return f"registry unreachable ({message.strip()})"
    if "not found" in lowered or "manifest unknown" in lowered:
        return f"no such image in the registry ({message.strip()})"
    return message.strip()
