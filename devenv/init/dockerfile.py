"""What a project's Dockerfile builds: its stages, the image each one starts from (`ARG`
defaults substituted, `FROM <stage>` followed), the stage a development container should be
built to, and which stated versions must be passed as build arguments. Pure reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The images that carry each language's toolchain (the last path part of the image name).
PYTHON_IMAGES = ("python", "uv", "pypy", "miniconda3", "micromamba")
NODE_IMAGES = ("node", "bun", "deno")
TOOLCHAINS = {
    **dict.fromkeys(("python", "django", "flask", "fastapi"), PYTHON_IMAGES),
    **dict.fromkeys(("node", "express", "nextjs", "vite", "nuxt", "angular", "remix", "sveltekit"), NODE_IMAGES),
    "rails": ("ruby",), "laravel": ("php", "composer", "frankenphp"), "php": ("php", "composer", "frankenphp"),
    "go": ("golang",), "rust": ("rust", "cargo-chef"), "phoenix": ("elixir",),
    **dict.fromkeys(("spring", "java"), ("maven", "gradle", "eclipse-temurin", "openjdk", "amazoncorretto")),
}
# Images that run a build's output and nothing else: no compiler, no package manager of the app.
RUNTIME_ONLY = ("debian", "ubuntu", "alpine", "scratch", "busybox", "distroless", "static", "static-debian12",
                "base-debian12", "cc-debian12", "nginx", "caddy", "httpd", "chainguard", "wolfi-base")


@dataclass
class Stage:
    name: str | None
    image: str  # the image it starts from, ARGs substituted and stages followed
    env: dict[str, str] = field(default_factory=dict)  # its ENV, with the stage it is built FROM
    user: str | None = None  # its USER, or the one of the stage it is built FROM
    entrypoint: str | None = None  # its ENTRYPOINT's program, or the one of the stage it is built FROM


def stages(text: str) -> list[Stage]:
    """The build stages in order; a stage built `FROM` another stage carries that stage's image."""
    known: dict[str, str] = {}
    found: list[Stage] = []
    for line in re.sub(r"\\\n", " ", text).splitlines():
        arg = re.match(r"\s*ARG\s+([A-Za-z_]\w*)(?:=(\S*))?\s*$", line, re.I)
        if arg and not found:  # only the ARGs before the first FROM reach FROM lines
            known[arg.group(1)] = _expand((arg.group(2) or "").strip("\"'"), known)
        base = re.match(r"\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", line, re.I)
        if base:
            image = _expand(base.group(1), known)
            parent = next((s for s in found if s.name and s.name == image.lower()), None)
            found.append(Stage((base.group(2) or "").lower() or None, parent.image if parent else image,
                               dict(parent.env) if parent else {}, parent.user if parent else None,
                               parent.entrypoint if parent else None))
        entrypoint = re.match(r"\s*ENTRYPOINT\s+(?:\[\s*)?[\"']?([^\s\"',\]]+)", line, re.I)
        if entrypoint and found:
            found[-1].entrypoint = entrypoint.group(1)
        user = re.match(r"\s*USER\s+(\S+)", line, re.I)
        if user and found:
            found[-1].user = user.group(1)
        env = re.match(r"\s*ENV\s+(.+)$", line, re.I)
        if env and found:
            pairs = re.findall(r"([A-Za-z_]\w*)=(\"[^\"]*\"|'[^']*'|\S*)", env.group(1))
            if not pairs and (single := re.match(r"([A-Za-z_]\w*)\s+(.*)$", env.group(1).strip())):
                pairs = [(single.group(1), single.group(2))]
            found[-1].env.update({k: v.strip("\"'") for k, v in pairs})
    return found


# Settings a production image bakes in that keep development tools out, and the value that
# lets them back in: the dev server needs the development dependencies.
PRODUCTION_ENV = {
    "BUNDLE_WITHOUT": (r"\bdevelopment\b", ""), "BUNDLE_DEPLOYMENT": (r"^(1|true)$", "false"),
    "NODE_ENV": (r"^production$", "development"), "COMPOSER_NO_DEV": (r"^(1|true)$", "0"),
    "UV_NO_DEV": (r"^(1|true)$", "0"), "PIPENV_DEV": (r"^(0|false)$", "1"),
}


def built_stage(text: str, target: str | None) -> Stage | None:
    """The stage a build of `target` makes (the last one without a target), or None."""
    found = stages(text)
    return next((s for s in found if target and s.name == target), found[-1] if found else None)


def development_env(text: str, target: str | None) -> dict[str, str]:
    """The variables to set so the built stage (the target, else the last) installs and runs
    development dependencies: those its ENV sets for production (BUNDLE_WITHOUT=development)."""
    stage = built_stage(text, target)
    if stage is None:
        return {}
    return {key: value for key, (production, value) in PRODUCTION_ENV.items()
            if key in stage.env and re.search(production, stage.env[key])}


# ENTRYPOINTs that boot a process supervisor (s6-overlay, supervisord, phusion's my_init): they start
# the services baked into the image before (or instead of) the command given.
SUPERVISORS = re.compile(r"^(/init|/sbin/my_init|(?:\S*/)?(supervisord|runsvdir|s6-svscan))$")


def supervisor_entrypoint(text: str, target: str | None) -> str | None:
    """The built stage's ENTRYPOINT when it is a process supervisor, else None."""
    stage = built_stage(text, target)
    return stage.entrypoint if stage and stage.entrypoint and SUPERVISORS.match(stage.entrypoint) else None


def non_root_user(text: str, target: str | None) -> str | None:
    """The USER the built stage (the target, else the last) switches to, when it is not root."""
    stage = built_stage(text, target)
    user = stage.user if stage else None
    return user if user and user.split(":", 1)[0] not in ("root", "0") else None


def arg_defaults(text: str) -> dict[str, str]:
    """The defaults of the ARGs declared before the first FROM."""
    known: dict[str, str] = {}
    for line in re.sub(r"\\\n", " ", text).splitlines():
        if re.match(r"\s*FROM\s", line, re.I):
            break
        arg = re.match(r"\s*ARG\s+([A-Za-z_]\w*)=(\S+)\s*$", line, re.I)
        if arg:
            known[arg.group(1)] = _expand(arg.group(2).strip("\"'"), known)
    return known


def image_name(image: str) -> str:
    """'registry.docker.com/library/ruby:3.4-slim' → 'ruby'; 'gcr.io/distroless/static' → 'static'."""
    name = image.split("@", 1)[0].rsplit("/", 1)[-1]
    return name.split(":", 1)[0].lower()


def dev_target(text: str, recipe: str) -> str | None:
    """The stage a development container is built to: one named for development, else, when
    the last stage only runs a build's output (`FROM debian`, `FROM scratch`, nginx serving
    assets), the last stage that has the recipe's toolchain (`FROM golang AS builder`); the dev
    command (`go run`, `mix phx.server`, `npm run dev`) needs the toolchain."""
    found = stages(text)
    named = next((s.name for s in found if s.name in ("dev", "development", "develop")), None)
    if named or len(found) < 2:
        return named
    toolchain = TOOLCHAINS.get(recipe, ())
    last = image_name(found[-1].image)
    # A Java runtime image (eclipse-temurin:21-jre) cannot compile what spring-boot:run builds.
    jre = re.search(r":[^@]*\bjre\b", found[-1].image) is not None
    if (last in toolchain and not jre) or not (last in RUNTIME_ONLY or "distroless" in found[-1].image or jre):
        return None
    return next((s.name for s in reversed(found[:-1]) if s.name and image_name(s.image) in toolchain), None)


def needs_version_arg(default: str | None, stated: str) -> bool:
    """Pass the stated version as a build argument only when the Dockerfile has no default, or
    one older than or outside the stated major (a default of 3.4.4 already is `3.4`; 1.20.3
    already satisfies elixir `~> 1.18`). A pinned patch release is the project's choice, and a
    shortened one may not be a tag at all (hexpm/elixir has no `1.18-erlang-…`)."""
    if not default:
        return True
    have, want = _numbers(default), _numbers(stated)
    if not have or not want:
        return True
    return have[0] != want[0] or have[:len(want)] < want


def toolchain_version(image: str, recipe: str) -> str | None:
    """The language version a toolchain image carries: the tag's version (python:3.11-slim,
    golang:1.25-bookworm), for Java the JDK's (gradle:4.7.0-jdk8-alpine, eclipse-temurin:21)."""
    name = image_name(image)
    if name not in TOOLCHAINS.get(recipe, ()):
        return None
    tag = image.split("@", 1)[0].rsplit("/", 1)[-1].partition(":")[2]
    if recipe in ("spring", "java") and name in ("maven", "gradle"):
        match = re.search(r"(?:jdk|temurin|corretto|java)-?(\d+)", tag)
    else:
        match = re.search(r"(?:rust|jdk)-(\d+(?:\.\d+)*)", tag) if name == "cargo-chef" else \
            re.match(r"v?(\d+(?:\.\d+)*)", tag)
    return match.group(1) if match else None


def runs_no_toolchain(text: str, recipe: str, target: str | None) -> str | None:
    """The image of the stage that would be built when it only runs a compiled build's output
    (`FROM alpine` copying a release binary) and no stage has the toolchain: `go run`, `cargo
    run`, `mix phx.server` or `bootRun` cannot run there."""
    if recipe not in ("go", "rust", "phoenix", "spring", "java"):
        return None
    stage = built_stage(text, target)
    jre = recipe in ("spring", "java") and re.search(r":[^@]*\bjre\b", stage.image) is not None if stage else False
    if stage is None or not (image_name(stage.image) in RUNTIME_ONLY or "distroless" in stage.image or jre):
        return None
    return stage.image


def older_than_stated(image: str, recipe: str, stated: str) -> str | None:
    """The toolchain's version when the built image carries an older major than the one the
    project states (JDK 8 for a Java 17 toolchain, node:16 for an .nvmrc of 22; for Go, an older
    release than go.mod's go line): hard-coded in FROM, it cannot be passed in, and the project
    does not build on it."""
    have = toolchain_version(image, recipe)
    if not have or "$" in image:
        return None
    want, got = _numbers(stated), _numbers(have)
    # go.mod's go line is a floor the go command enforces (the golang image sets GOTOOLCHAIN=local).
    digits = 2 if recipe == "go" else 1
    return have if want and got and got[:digits] < want[:digits] else None


def _numbers(version: str) -> list[int]:
    match = re.match(r"v?(\d+(?:\.\d+)*)", version)
    return [int(n) for n in match.group(1).split(".")] if match else []


def _expand(text: str, values: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        if values.get(name):
            return values[name]
        return match.group(2) if match.group(2) is not None else match.group(0)
    return re.sub(r"\$\{([A-Za-z_]\w*)(?::-([^}]*))?\}|\$([A-Za-z_]\w*)", one, text)
