"""What the manifest asks the lock to pin: a service's image, or the base images its Dockerfile
names in FROM (after ARG substitution); and the hashes the lock records beside the pins."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from devenv.core.textfiles import read_text
from devenv.errors import UsageError

if TYPE_CHECKING:
    from devenv.manifest.load import Project
    from devenv.manifest.model import Service


@dataclass(frozen=True)
class Wanted:
    image: str | None = None
    bases: tuple[str, ...] = ()  # FROM images of a build service, in Dockerfile order

    def refs(self) -> tuple[str, ...]:
        """The references to pin: the image, or the base images of a build."""
        return (self.image,) if self.image else self.bases


def wanted(root: Path, name: str, svc: Service) -> Wanted:
    if not svc.build:
        return Wanted(image=svc.image)
    dockerfile = (root / svc.build.context / svc.build.dockerfile)
    try:
        text = read_text(dockerfile)
    except OSError:
        if dockerfile.is_dir():
            raise UsageError(f"service {name}: {dockerfile} is a folder, where the Dockerfile should be",
                             hint="name the file in build.dockerfile") from None
        raise UsageError(f"service {name}: no Dockerfile at {dockerfile}") from None
    blank: list[str] = []
    bases = dockerfile_bases(text, dict(svc.build.args), blank=blank)
    if blank:  # the build fails on it ("base name should not be blank"): no lock can pin it
        raise UsageError(f"service {name}: {svc.build.dockerfile} has `FROM {blank[0]}`, which names no image "
                         "with the build args given", hint="give the ARG a default in the Dockerfile, or set it "
                                                           "in the service's build.args")
    return Wanted(bases=bases)


_ARG_REF = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


def _substitute(text: str, args: dict[str, str]) -> str:
    def repl(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(4)
        value = args.get(name, "")
        if m.group(2) == "-":
            return value or m.group(3)
        if m.group(2) == "+":
            return m.group(3) if value else ""
        return value
    return _ARG_REF.sub(repl, text)


def dockerfile_bases(text: str, build_args: dict[str, str] | None = None, *,
                     blank: list[str] | None = None) -> tuple[str, ...]:
    """The external images a Dockerfile's FROM lines name (after ARG substitution), without
    `scratch` and without earlier stages, each once, in order. A FROM that substitutes to
    nothing is added to `blank`, as written."""
    build_args = build_args or {}
    lines, current = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    if current.strip():
        lines.append(current)
    args: dict[str, str] = {}
    stages: set[str] = set()
    bases: list[str] = []
    seen_from = False
    for line in lines:
        words = line.split()
        instruction = words[0].upper() if words else ""
        if instruction == "ARG" and not seen_from:
            for word in words[1:]:
                key, eq, default = word.partition("=")
                args[key] = build_args.get(key, _substitute(default.strip("\"'"), args) if eq else "")
        elif instruction == "FROM":
            seen_from = True
            rest = [w for w in words[1:] if not w.startswith("--")]
            if not rest:
                continue
            image = _substitute(rest[0], args)
            if not image and blank is not None:
                blank.append(rest[0])
            external = image and image.lower() != "scratch" and image.lower() not in stages
            if len(rest) >= 3 and rest[1].lower() == "as":
                stages.add(rest[2].lower())
            if external and image not in bases:
                bases.append(image)
    return tuple(bases)


def context_hash(project: Project, svc: Service) -> str:
    """The build context hash the lock records: the one builds use, less devenv.lock itself
    (writing the lock must not change what it records)."""
    from devenv.core.buildhash import build_context_hash
    from devenv.lock.file import LOCK_NAME

    if svc.build is None:
        raise ValueError("context_hash is for build services")
    context = (project.root / svc.build.context).resolve()
    lock_file = (project.root / LOCK_NAME).resolve()
    exclude = ("/" + lock_file.relative_to(context).as_posix(),) if lock_file.is_relative_to(context) else ()
    return build_context_hash(project.root, svc.build, exclude=exclude)


def manifest_hash(project: Project) -> str:
    from devenv.core.spec import digest

    return "sha256:" + digest(project.manifest.model_dump(mode="json", exclude_none=True))


