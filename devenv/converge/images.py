"""Getting each service's image: pull (policy missing | always | never), build (tagged by a hash
of its context, so an unchanged context is never rebuilt), or a digest pinned by devenv.lock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from devenv.core.buildhash import build_context_hash, build_tag, pinned_ref
from devenv.errors import DevenvError, EngineUnavailable, ServiceFailed
from devenv.report import Reporter, Silent

if TYPE_CHECKING:
    from devenv.engine.protocol import ContainerEngine
    from devenv.lock.file import Lock
    from devenv.manifest.load import Project
    from devenv.manifest.model import Build, Service


@dataclass(frozen=True)
class Resolved:
    ref: str  # what runs: a tag, a repo@digest pin or a build tag
    image_id: str | None  # None: not present locally (plan only)


def resolve_images(project: Project, engine: ContainerEngine, services: Mapping[str, Service], *,
                   pull: str = "missing", lock: Lock | None = None,
                   offline: bool = False, report: Reporter | None = None) -> dict[str, Resolved]:
    """Make sure every service's image is present (pulling or building as needed) and return
    the image ID each runs. With offline=True nothing is pulled or built (plan, dry runs)."""
    report = report or Silent()
    results: dict[str, Resolved] = {}
    to_pull: dict[str, list[str]] = {}
    builds: list[tuple[str, Service, Build, str]] = []
    for name, svc in services.items():
        if svc.build:
            context_hash = build_context_hash(project.root, svc.build)
            if lock is not None:  # the base images devenv.lock pins are part of what a build is made from
                context_hash = lock.build_hash(name, svc, project.root, context_hash)
            tag = build_tag(project.name, name, context_hash)
            image_id = engine.image_id(tag)
            if image_id is None and not offline:
                builds.append((name, svc, svc.build, tag))
            results[name] = Resolved(tag, image_id)
            continue
        ref = pinned_ref(project, name, svc, lock)
        local_only = ref.startswith("sha256:")  # devenv.lock pins an image that was never in a registry
        image_id = None if pull == "always" and not offline and not local_only else engine.image_id(ref)
        if image_id is None and not offline and local_only:
            raise ServiceFailed(f"service {name}: devenv.lock pins {svc.image} to the local-only image "
                                f"{ref[:19]}…, which is not on this machine",
                                hint=f"make that image here (it was never pushed to a registry), or pin what "
                                     f"this machine has with `devenv lock --update {name}`")
        if image_id is None and not offline:
            if pull == "never":
                raise ServiceFailed(f"service {name}: image {ref} is not present and --pull never forbids pulling")
            to_pull.setdefault(ref, []).append(name)
        results[name] = Resolved(ref, image_id)

    from devenv.core.graph import parallel_each

    def pull_one(item: tuple[str, list[str]]) -> None:
        ref, names = item
        try:
            with report.pull_progress(f"{names[0]} pull") as progress:
                report.step(names[0], "pull", ref)
                image_id = engine.pull(ref, progress)
        except EngineUnavailable:
            raise
        except DevenvError as exc:
            raise ServiceFailed(f"service {', '.join(names)}: {exc.message}", hint=exc.hint or (
                "is the registry running and the image name right? `devenv doctor` checks both")) from None
        for name in names:
            results[name] = Resolved(ref, image_id)

    parallel_each(pull_one, to_pull.items())

    for name, svc, build, tag in builds:
        if lock is not None:
            lock.prepare_build(engine, name, svc, project.root, report=report)
        report.step(name, "build", f"{build.context} → {tag}")
        try:
            with report.build_progress(f"{name} build") as on_line:
                image_id = engine.build(
                    context=str((project.root / build.context).resolve()), dockerfile=build.dockerfile,
                    tag=tag, args=dict(build.args), target=build.target,
                    labels={"dev.devenv.project": project.name, "dev.devenv.service": name},
                    on_line=on_line)
        except EngineUnavailable:
            raise
        except DevenvError as exc:
            raise ServiceFailed(f"service {name}: {exc.message}", details=exc.details,
                                hint="fix the Dockerfile or the build context, then run `devenv up` again") from None
        if svc.image:
            engine.tag(image_id, svc.image)
        results[name] = Resolved(tag, image_id)
    return results
