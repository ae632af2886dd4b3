"""Getting each service's image: pull (policy missing | always | never), build (tagged by a hash
of its context, so an unchanged context is never rebuilt), or a digest pinned by devenv.lock."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from devenv.core.buildhash import build_context_hash, build_tag, pinned_ref
from devenv.engine.client import L_PROJECT, L_ROOT, L_SERVICE
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
    locked: set[str] = set()  # references that are devenv.lock's pins, not the manifest's tags
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
        if ref != svc.image:
            locked.add(ref)
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
            raise ServiceFailed(f"service {', '.join(names)}: {exc.message}",
                                hint=exc.hint or _pull_hint(ref, names, exc.message, locked)) from None
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
                    labels={L_PROJECT: project.name, L_SERVICE: name, L_ROOT: str(project.root)},
                    on_line=on_line)
        except EngineUnavailable:
            raise
        except DevenvError as exc:
            raise ServiceFailed(f"service {name}: {exc.message}", details=exc.details,
                                hint="fix the Dockerfile or the build context, then run `devenv up` again") from None
        if svc.image:
            engine.tag(image_id, svc.image)
        results[name] = Resolved(tag, image_id)
        # Off the path to a running service: listing images takes the engine ~50 ms. Not a
        # daemon thread, so the command's exit waits for it (it ends long before the start window).
        threading.Thread(target=drop_superseded_builds, args=(engine, project.name, name, tag),
                         name=f"devenv-prune-{name}").start()
    return results


def _pull_hint(ref: str, names: list[str], message: str, locked: set[str]) -> str:
    from devenv.lock.pins import failure_kind

    if ref in locked and failure_kind(message) == "missing":  # the pin, not the registry, is what is wrong
        return (f"devenv.lock pins a digest the registry does not hold (edited, or deleted there): "
                f"`devenv lock --update {' '.join(names)}` pins what it holds now")
    return "is the registry running and the image name right? `devenv doctor` checks both"


def drop_superseded_builds(engine: ContainerEngine, project: str, service: str, current: str) -> None:
    """Remove this service's earlier builds that no container uses. Every change of a build
    context is a new tag, and `docker image prune` leaves tagged images alone, so without this a
    day of watch rebuilds fills the disk. The build the old container still runs is refused by
    the engine (in use) and goes at the next build. Best effort: a failure here fails no `up`
    (the engine gone is said by whatever asks it next)."""
    prefix = current.rpartition(":")[0] + ":"
    try:
        for image in engine.built_images(project, service):
            for ref in image.get("RepoTags") or ():
                if ref.startswith(prefix) and ref != current:
                    engine.remove_image(ref)
    except Exception:  # on its own thread: anything left would print a traceback under the command
        pass


def remove_project_images(engine: ContainerEngine, project: str, which: str, named: set[str], *,
                          root: str | None, report: Reporter) -> None:
    """`down --rmi`: "local" removes the images devenv built for the project; "all" also the
    images its containers ran (`named`: their image IDs), by every name they have. An image a
    container of another project still uses is kept, and said so; so is a build made from
    another folder that is still there."""
    import os

    refs: list[str] = []
    for image in engine.built_images(project):
        made_in = (image.get("Labels") or {}).get(L_ROOT)
        if root and made_in and made_in != root and os.path.isdir(made_in):
            report.warn(f"images of project {project!r} built from {made_in} are left alone")
            continue
        refs.extend(image.get("RepoTags") or ())
    if which == "all":  # containers run images by ID: untag every name the image has
        for image_id in sorted(named):
            found = engine.image_inspect(image_id) or {}
            refs.extend(ref for ref in [*(found.get("RepoTags") or ()), *(found.get("RepoDigests") or ())]
                        if ref not in refs)
    for ref in refs:
        if engine.remove_image(ref):
            report.step("image", "remove", ref)
        else:
            report.info(f"kept image {ref}: a container still uses it")
