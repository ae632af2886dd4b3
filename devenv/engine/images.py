"""Pulling, building, tagging and pushing images; what the local store holds."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from typing import TYPE_CHECKING

from devenv.engine.connect import START_HINT as START_HINT  # re-exported: doctor's hint
from devenv.errors import DevenvError, EngineUnavailable

if TYPE_CHECKING:  # both are imported on first use only (start-up time of read paths)

    pass

from devenv.engine.transport import EngineBase


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
        """Build with the engine; on failure the error carries the tail of the build log."""
        log: list[str] = []
        with self.translate(f"cannot build {tag}"):
            stream = self.api.build(path=context, dockerfile=dockerfile, tag=tag, buildargs=args or None,
                                    target=target, rm=True, forcerm=True, labels=labels, decode=True)
            for event in stream:
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
