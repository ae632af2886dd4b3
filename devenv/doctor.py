"""`devenv doctor`'s checks: what breaks onboarding, each PASS / WARN / FAIL with a fix hint.

Every check returns rows and never raises for a problem it finds: a doctor that crashes on the
first broken thing tells you one thing at a time. Checks that need the engine say so (WARN, "not
checked") when it is down, instead of piling up failures that all have one cause.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devenv.core.textfiles import NotUtf8, read_text
from devenv.errors import DevenvError

if TYPE_CHECKING:
    from devenv.engine.client import Engine
    from devenv.manifest.load import Project

PASS, WARN, FAIL = "PASS", "WARN", "FAIL"
GIB = 1024 ** 3
DISK_FAIL, DISK_WARN = 1 * GIB, 5 * GIB
CLOCK_WARN, CLOCK_FAIL = 30.0, 300.0  # seconds of skew against the engine
CLOCK_FLOOR = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
INOTIFY_LIMIT = Path("/proc/sys/fs/inotify/max_user_watches")


@dataclass(frozen=True)
class Check:
    check: str
    status: str
    detail: str
    hint: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"check": self.check, "status": self.status, "detail": self.detail, "hint": self.hint}


@dataclass
class Context:
    """What the checks share: the project (None when it could not be loaded) and the engine."""

    project: Project | None
    engine: Engine | None  # None when unreachable
    engine_info: dict[str, Any] | None = None
    engine_error: str = ""
    endpoint: dict | None = None  # the resolved engine endpoint (host, context, how it was chosen)


def not_checked(name: str, why: str) -> Check:
    return Check(name, WARN, f"not checked: {why}")


# -- engine, disk, clock ----------------------------------------------------------------------------

def check_engine(ctx: Context) -> list[Check]:
    from devenv.engine.client import START_HINT, Engine

    try:
        engine = Engine()
        ctx.endpoint = engine.endpoint.to_dict()
        version = engine.ping()
        ctx.engine_info = engine.info()
    except DevenvError as exc:
        ctx.engine, ctx.engine_error = None, exc.message
        return [Check("engine", FAIL, exc.message, exc.hint or START_HINT)]
    ctx.engine = engine
    api = version.get("ApiVersion", "?")
    product = _product(version)
    detail = (f"{product} {version.get('Version', '?')}, API {api} ({version.get('Os', '?')}/"
              f"{version.get('Arch', '?')}) at {engine.endpoint.describe()}")
    if _version_tuple(api) < (1, 41):
        return [Check("engine", WARN, f"{detail}: older than API 1.41, which devenv is tested with",
                      "upgrade Docker")]
    return [Check("engine", PASS, detail)]


def _product(version: dict) -> str:
    """"Podman" when the engine's /version names a Podman component, else "Docker"."""
    names = " ".join(str(c.get("Name", "")) for c in version.get("Components") or [] if isinstance(c, dict))
    return "Podman" if "podman" in names.lower() else "Docker"


def _version_tuple(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in text.split("."))
    except ValueError:
        return (0,)


def check_disk(ctx: Context, fallback: Path) -> list[Check]:
    root = (ctx.engine_info or {}).get("DockerRootDir")
    visible = isinstance(root, str) and bool(root) and Path(root).is_dir()
    where = Path(root) if visible and isinstance(root, str) else fallback
    try:
        free = shutil.disk_usage(where).free
    except OSError as exc:
        return [Check("disk", WARN, f"cannot read free space of {where} ({exc.strerror or exc})")]
    label = f"{free / GIB:.1f} GiB free on {where}"
    if root and not visible:
        label += f" (the engine's {root} is not visible from here)"
    hint = "free space: `docker system prune` removes stopped containers, unused images and build cache"
    if free < DISK_FAIL:
        return [Check("disk", FAIL, f"{label}: pulls and builds will fail", hint)]
    if free < DISK_WARN:
        return [Check("disk", WARN, f"{label}: low for images", hint)]
    return [Check("disk", PASS, label)]


def check_clock(ctx: Context, *, now: dt.datetime, own_files_written: dt.datetime | None) -> list[Check]:
    """Compare `now` with the engine's clock and with when devenv's own files were written.

    Both times are passed in (the command reads the real ones), so the check is testable on any date."""
    hint = "sync the clock (e.g. `timedatectl set-ntp true`); a wrong clock breaks TLS, registry tokens and make"
    if now < CLOCK_FLOOR:
        return [Check("clock", FAIL, f"the clock says {now:%Y-%m-%d %H:%M} UTC, before devenv existed", hint)]
    newest = own_files_written
    if newest and now < newest - dt.timedelta(days=1):
        return [Check("clock", FAIL, f"the clock says {now:%Y-%m-%d %H:%M} UTC, but devenv's own files were "
                                     f"written {newest:%Y-%m-%d %H:%M} UTC", hint)]
    engine_time = _parse_time((ctx.engine_info or {}).get("SystemTime"))
    if engine_time is None:
        return [Check("clock", PASS, f"{now:%Y-%m-%d %H:%M:%S} UTC (no engine clock to compare with)")]
    skew = (now - engine_time).total_seconds()
    detail = f"{now:%Y-%m-%d %H:%M:%S} UTC, {abs(skew):.1f}s {'ahead of' if skew > 0 else 'behind'} the engine"
    if abs(skew) >= CLOCK_FAIL:
        return [Check("clock", FAIL, detail, hint)]
    if abs(skew) >= CLOCK_WARN:
        return [Check("clock", WARN, detail, hint)]
    return [Check("clock", PASS, detail)]


def _parse_time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    # "2026-11-28T12:57:03.814293507Z": Python parses at most microseconds
    head, _, frac = text.rstrip("Z").partition(".")
    try:
        parsed = dt.datetime.fromisoformat(head).replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return parsed + dt.timedelta(microseconds=int((frac + "000000")[:6])) if frac.isdigit() else parsed


def newest_own_file() -> dt.datetime | None:
    try:
        stamp = max(p.stat().st_mtime for p in Path(__file__).parent.rglob("*.py"))
    except (OSError, ValueError):
        return None
    return dt.datetime.fromtimestamp(stamp, dt.UTC)


# -- the project: requires, inotify, ports, images, lock ---------------------------------------------------

def check_requires(manifest_file: Path | None, project: Project | None) -> list[Check]:
    """Read from the raw manifest, so it answers even when this devenv cannot load the project."""
    from devenv import __version__

    if project is None and (manifest_file is None or not manifest_file.is_file()):
        return [not_checked("requires", "no manifest found")]
    requires = project.manifest.project.requires if project is not None else _raw_requires(manifest_file)
    if not requires:
        return [Check("requires", PASS, f"devenv {__version__} (the manifest sets no [project] requires)")]
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        ok = SpecifierSet(requires).contains(__version__, prereleases=True)
    except InvalidSpecifier:
        return [Check("requires", FAIL, f"[project] requires = {requires!r} is not a version constraint",
                      "write it like \">=0.1\"")]
    if not ok:
        return [Check("requires", FAIL, f"the project requires devenv {requires}; this is devenv {__version__}",
                      "upgrade with `pip install -U devenv` (or install the version your team uses)")]
    return [Check("requires", PASS, f"devenv {__version__} satisfies {requires}")]


def _raw_requires(path: Path | None) -> str | None:
    import tomllib

    if path is None:
        return None
    try:
        value = tomllib.loads(read_text(path)).get("project", {}).get("requires")
    except (OSError, AttributeError, tomllib.TOMLDecodeError, NotUtf8):
        return None
    return value if isinstance(value, str) else None


def check_inotify(project: Project, *, limit_file: Path = INOTIFY_LIMIT, cap: int = 1_000_000) -> list[Check]:
    """Watch mode puts one inotify watch on each folder a watch trigger can match (the same
    folders `devenv watch` walks: ignored and irrelevant ones are pruned)."""
    try:
        limit = int(limit_file.read_text().strip())
    except (OSError, ValueError):
        return [Check("inotify", PASS, "no inotify limit to check on this system")]
    from devenv.core.globs import IgnoreRules
    from devenv.watch.rules import build_triggers, keep_patterns, relevant_dir
    from devenv.watch.source import from_project

    triggers = build_triggers(from_project(project), project.enabled_services())
    rules = IgnoreRules.for_root(project.root, keep=keep_patterns(triggers))
    folders = 0
    for folder, dirs, _files in os.walk(project.root):
        rel = os.path.relpath(folder, project.root).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        dirs[:] = [d for d in dirs if not rules.ignored(prefix + d, is_dir=True) and relevant_dir(prefix + d, triggers)]
        folders += 1
        if folders > min(limit, cap):
            break
    detail = f"{folders} folder{'s' if folders != 1 else ''} to watch, limit fs.inotify.max_user_watches = {limit}"
    hint = ("raise it: `sudo sysctl fs.inotify.max_user_watches=524288` (persist in /etc/sysctl.d/), or ignore "
            "big folders in .devenvignore")
    if folders > limit:
        # watch mode still sees every change (it polls what it cannot watch), only slower
        return [Check("inotify", WARN, f"{detail}: watch mode would poll the rest, slower and costing CPU", hint)]
    if folders > limit // 2:
        return [Check("inotify", WARN, f"{detail}: editors and other watchers share that limit", hint)]
    return [Check("inotify", PASS, detail)]


def check_ports(ctx: Context) -> list[Check]:
    from devenv.converge.converger import port_holder
    from devenv.converge.ports import port_free, process_listening_on

    project = ctx.project
    if project is None:
        return [not_checked("ports", "no manifest loaded")]
    wanted = [(name, p, p.host_port) for name, svc in project.enabled_services().items() for p in svc.parsed_ports()
              if p.host_port is not None]
    if not wanted:
        return [Check("ports", PASS, "no fixed host ports in the manifest")]
    own: dict[int, str] = {}
    if ctx.engine is not None:
        try:
            for c in ctx.engine.containers(project.name):
                for text in c.ports:  # "127.0.0.1:8000->80/tcp"
                    own[int(text.rsplit("->", 1)[0].rsplit(":", 1)[1])] = c.service
        except DevenvError:
            pass
    rows = rootless_low_ports((ctx.engine_info or {}).get("SecurityOptions") or [],
                              [(name, host_port) for name, _, host_port in wanted], _unprivileged_port_start())
    for name, p, host_port in wanted:
        if port_free(p.host_ip, host_port, p.protocol) or own.get(host_port) == name:
            continue
        if host_port in own:
            holder = f"this project's service {own[host_port]}"
        else:  # another project's container names its project, not Docker's docker-proxy
            holder = ((port_holder(ctx.engine, host_port) if ctx.engine is not None else None)
                      or process_listening_on(host_port) or "another process")
        rows.append(Check("ports", FAIL, f"service {name}: host port {p.host_ip}:{p.host_port}/{p.protocol} is "
                                         f"taken by {holder}",
                          f"stop {holder}, or change the host port of {name} in devenv.toml"))
    listed = ", ".join(str(host_port) for _, _, host_port in wanted)
    return rows or [Check("ports", PASS, f"host ports free (or held by this project): {listed}")]


UNPRIVILEGED_PORT_START = Path("/proc/sys/net/ipv4/ip_unprivileged_port_start")


def _unprivileged_port_start() -> int:
    try:
        return int(UNPRIVILEGED_PORT_START.read_text())
    except (OSError, ValueError):
        return 1024


def rootless_low_ports(security_options: list[str], ports: list[tuple[str, int]], unprivileged_start: int
                       ) -> list[Check]:
    """A rootless engine (Docker or Podman) cannot publish host ports below
    net.ipv4.ip_unprivileged_port_start (1024 unless lowered)."""
    if not any("name=rootless" in str(o) for o in security_options):
        return []
    return [Check("ports", FAIL, f"service {name}: host port {port} is below {unprivileged_start}, which a rootless "
                                 "engine cannot publish",
                  f"use a port >= {unprivileged_start}, or allow it: "
                  f"`sudo sysctl net.ipv4.ip_unprivileged_port_start={port}`")
            for name, port in ports if port < unprivileged_start]


def check_build_contexts(project: Any) -> list[Check]:
    """No build context sends a developer's .env to an image (a `COPY . .` that takes it)."""
    from devenv.core.envleaks import env_leaks

    builds = {n: s for n, s in project.enabled_services().items() if s.build}
    if not builds:
        return [Check("context", PASS, "no service builds an image")]
    leaks = env_leaks(project.root, builds)
    return [Check("context", WARN, leak.message(), leak.hint()) for leak in leaks] or \
        [Check("context", PASS, f"no .env in the build context of {', '.join(builds)}")]


def check_images(ctx: Context) -> list[Check]:
    from devenv.lock.file import read_lock
    from devenv.lock.pins import failure_kind, registry_of
    from devenv.lock.wanted import wanted

    project, engine = ctx.project, ctx.engine
    if project is None:
        return [not_checked("images", "no manifest loaded")]
    if engine is None:
        return [not_checked("images", "the engine is unreachable")]
    try:
        lock = read_lock(project)
    except DevenvError:
        lock = None
    # A pin that does not verify is the lock check's to report; here its service's tag is probed.
    from devenv.lock.verify import tampered

    unverified = {d.service for d in tampered(project, lock, ctx.engine)} if lock else set()
    refs: dict[str, list[str]] = {}  # ref → services needing it
    for name, svc in project.enabled_services().items():
        if svc.build:
            try:
                bases = wanted(project.root, name, svc).bases
            except DevenvError as exc:
                refs.setdefault(f"!{exc.message}", []).append(name)
                continue
            pins = lock.current_bases(name, svc, project.root) if lock else None
            for i, base in enumerate(bases):
                refs.setdefault(pins[i].pin if pins else base, []).append(name)
        else:
            # (a service without build has an image)
            pin = lock.pin_for(name, svc) if lock and name not in unverified else None
            refs.setdefault(pin or svc.image or "", []).append(name)
    from devenv.router.image import IMAGE as ROUTER_IMAGE
    from devenv.router.image import pinned, routes_any

    if routes_any(project.enabled_services()):  # the shared router's image, as `up` would start it
        refs.setdefault((pinned(lock) if "" not in unverified else None) or ROUTER_IMAGE, []).append("")

    def probe(ref: str) -> tuple[str, str | None]:
        if ref.startswith("!"):
            return FAIL, ref[1:]
        if engine.image_id(ref):
            return PASS, None
        if ref.startswith("sha256:"):
            return FAIL, (f"the local-only image {ref[:19]}… that devenv.lock pins is not on this machine "
                          "(it was never in a registry)")
        try:
            engine.registry_digest(ref)
        except DevenvError as exc:
            detail = exc.message.removeprefix(f"cannot resolve {ref}: ")
            kind = failure_kind(detail)
            return FAIL, (f"{ref}: registry {registry_of(ref)} unreachable ({detail})" if kind == "unreachable" else
                          f"{ref}: not here and not in registry {registry_of(ref)} ({detail})" if kind == "missing"
                          else f"{ref}: {detail}")
        return PASS, f"pullable from {registry_of(ref)}"

    with ThreadPoolExecutor(max_workers=min(8, max(1, len(refs)))) as pool:
        results = dict(zip(refs, pool.map(probe, refs), strict=True))

    def users(names: list[str]) -> str:  # "" is the router, which is no service
        services = [n for n in names if n]
        return " and ".join(([f"service {', '.join(services)}"] if services else [])
                            + (["the router"] if "" in names else []))

    rows = [Check("images", FAIL, f"{users(refs[ref])}: {why}",
                  # a "!" ref is a Dockerfile devenv cannot read: the registry is not what is wrong
                  "fix the Dockerfile named above" if ref.startswith("!") else
                  "start the registry / check the image name, or build/load it here; `devenv lock --update` "
                  "re-pins") for ref, (status, why) in results.items() if status == FAIL]
    if rows:
        return rows
    pullable = sum(1 for status, why in results.values() if why)
    return [Check("images", PASS, f"{len(results) - pullable} present, {pullable} pullable")]


def check_lock(project: Project, engine: Engine | None = None) -> list[Check]:
    """The lock against the manifest; its pins verified (with an engine, against the image
    store and the registry too)."""
    from devenv.lock.drift import differences
    from devenv.lock.file import LOCK_NAME, RELOCK_HINT, read_lock
    from devenv.lock.verify import RELOCK_TAMPERED, tampered

    try:
        lock = read_lock(project)
    except DevenvError as exc:
        return [Check("lock", FAIL, exc.message, exc.hint)]
    if lock is None:
        return [Check("lock", WARN, f"no {LOCK_NAME}: images run whatever their tags point to today",
                      "run `devenv lock` and commit devenv.lock")]
    try:
        found = differences(project, lock)
        bad = tampered(project, lock, engine)
    except DevenvError as exc:
        return [Check("lock", FAIL, exc.message, exc.hint)]
    if bad:
        return [Check("lock", FAIL, f"{LOCK_NAME} does not verify: {'; '.join(d.message for d in bad)}",
                      RELOCK_TAMPERED)]
    stale = [d.message for d in found if d.blocking]
    if stale:
        return [Check("lock", FAIL, f"{LOCK_NAME} is out of date: {'; '.join(stale)}", RELOCK_HINT)]
    local = [d.message for d in found if d.kind == "local"]
    if local:
        return [Check("lock", WARN, "; ".join(local), "push the image to a registry the team uses, then "
                                                     "`devenv lock --update`")]
    return [Check("lock", PASS, f"{LOCK_NAME} is current ({len(lock.services)} services pinned)")]
