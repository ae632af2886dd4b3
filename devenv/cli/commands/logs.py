"""`devenv logs`: the services' output, interleaved by time, each line behind an aligned
`service |` prefix (coloured on a TTY).

With `-f` it keeps following until Ctrl-C, across restarts and recreates: the project's
containers are re-listed every half second, a new container of a followed service (a recreate,
a scale-up, a fresh `up`) is picked up from its first line, and a restarted one is picked up
where it left off, without repeating lines.
"""

from __future__ import annotations

import math
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from devenv import ui
from devenv.converge.projects import load_claimed
from devenv.engine.client import Engine
from devenv.errors import DevenvError, EngineUnavailable, UsageError
from devenv.options import Options

if TYPE_CHECKING:
    from devenv.core.plan import Observed
    from devenv.manifest.load import Project

Tail = int | Literal["all"]

PALETTE = ("cyan", "yellow", "green", "magenta", "blue", "bright_cyan", "bright_yellow", "bright_green",
           "bright_magenta", "bright_blue")
POLL_SECONDS = 0.5
ENGINE_PATIENCE = 60  # looks (30 s) without an engine before `logs -f` gives up: a Docker restart takes seconds
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
_TIMESTAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) ")


LAST_UNIX_TIME = 253402300799.0  # 9999-12-31T23:59:59Z: beyond it the engine cannot parse the time


def parse_since(text: str | None, now: float | None = None) -> float | None:
    """`10m`, `1h30m`, `45s`, `2d` (ago), a Unix timestamp, or an ISO date/time → Unix time."""
    if not text:
        return None
    now = time.time() if now is None else now
    wrong = UsageError(f"--since {text!r}: expected a duration (10m, 1h30m), a Unix time or an ISO date")
    if re.fullmatch(r"(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+", text):
        moment = now - sum(float(n) * _UNITS[u] for n, u in _DURATION.findall(text))
    elif re.fullmatch(r"\d+(?:\.\d+)?", text):  # not float(): it takes nan, inf, -1 and 1e400
        moment = float(text)
    else:
        try:
            date = datetime.fromisoformat(text)
        except ValueError:
            raise wrong from None
        moment = date.timestamp() if date.tzinfo else date.astimezone().timestamp()
    if not math.isfinite(moment) or moment > LAST_UNIX_TIME:
        raise wrong
    return moment if moment > 0 else None  # at or before 1970: every line (the engine wants > 0)


def parse_tail(text: str) -> Tail:
    if text == "all":
        return "all"
    if text.isdigit():
        return int(text)
    raise UsageError(f"--tail {text!r}: expected a number of lines or 'all'")


def split_timestamp(line: str) -> tuple[int, str, str]:
    """'2024-01-02T03:04:05.123456789Z text' → (nanoseconds since epoch, timestamp, text)."""
    match = _TIMESTAMP.match(line)
    if not match:
        return 0, "", line
    base, fraction, zone = match.groups()
    seconds = datetime.fromisoformat(base + ("+00:00" if zone == "Z" else zone)).timestamp()
    nanos = int(seconds) * 1_000_000_000 + int((fraction or "0").ljust(9, "0"))
    return nanos, line[:match.end() - 1], line[match.end():]


@dataclass(frozen=True)
class Prefixes:
    """How each container's lines are labelled: `web |`, or `web-2 |` for a scaled service."""

    width: int
    colours: dict[str, str]
    scaled: frozenset[str]
    enabled: bool = True

    @classmethod
    def for_project(cls, project: Project, services: list[str], observed: list[Observed], *,
                    enabled: bool = True) -> Prefixes:
        every = list(project.manifest.services)
        scaled = {c.service for c in observed if c.replica > 1}
        scaled |= {n for n, svc in project.manifest.services.items() if svc.scale > 1}
        names = list(services) + [c.service for c in observed if c.service not in services]
        widest = {n: max([c.replica for c in observed if c.service == n] + [
            project.manifest.services[n].scale if n in project.manifest.services else 1]) for n in names}
        labels = [f"{n}-{widest[n]}" if n in scaled else n for n in names]
        colours = {n: PALETTE[(every.index(n) if n in every else len(every) + i) % len(PALETTE)]
                   for i, n in enumerate(names)}
        return cls(max(map(len, labels), default=0), colours, frozenset(scaled), enabled)

    def label(self, service: str, replica: int) -> str:
        return f"{service}-{replica}" if service in self.scaled else service

    def line(self, service: str, replica: int, text: str) -> str:
        if not self.enabled:
            return text
        prefix = f"{self.label(service, replica).ljust(self.width)} |"
        return f"{ui.style(prefix, fg=self.colours.get(service, 'white'))} {text}"


def run_logs(opts: Options, *, services: list[str], follow: bool = False, tail: str = "all",
             since: str | None = None, timestamps: bool = False, no_prefix: bool = False) -> int:
    engine = Engine()
    project = load_claimed(opts, engine)
    unknown = [s for s in services if s not in project.manifest.services]
    if unknown:
        raise UsageError(f"no service named {', '.join(unknown)} in {project.file.name}"
                         f" (services: {', '.join(project.manifest.services)})")
    lines, since_ts = parse_tail(tail), parse_since(since)
    wanted = set(services)

    def selected() -> list[Observed]:
        return [c for c in engine.containers(project.name) if not wanted or c.service in wanted]

    observed = selected()
    prefixes = Prefixes.for_project(project, services or list(project.manifest.services), observed,
                                    enabled=not no_prefix)
    if not follow:
        print_history(engine, observed, prefixes, tail=lines, since=since_ts, timestamps=timestamps)
        if not observed:
            ui.info(f"{project.name}: no containers{' for ' + ', '.join(services) if services else ''}"
                    " (run `devenv up`)")
        return 0
    if not observed:
        ui.info(f"{project.name}: waiting for containers (Ctrl-C to stop)")
    try:
        Follower(engine, selected, prefixes, timestamps=timestamps).run(observed, tail=lines, since=since_ts)
    except KeyboardInterrupt:
        pass  # Ctrl-C is how one stops following: not a failure
    return 0


def print_history(engine: Engine, containers: Iterable[Observed], prefixes: Prefixes, *, tail: Tail,
                  since: float | None, timestamps: bool) -> None:
    """Every container's lines, merged into one stream by timestamp."""
    entries = []
    for order, c in enumerate(containers):
        data = b"".join(engine.logs(c.id, tail=tail, since=since, timestamps=True))
        for line in data.decode(errors="replace").splitlines():
            nanos, stamp, text = split_timestamp(line)
            entries.append((nanos, order, c.service, c.replica, stamp, text))
    entries.sort(key=lambda e: (e[0], e[1]))
    for _, _, service, replica, stamp, text in entries:
        ui.out(prefixes.line(service, replica, f"{stamp} {text}" if timestamps and stamp else text))


class Follower:
    """One reader thread per container, feeding a queue that the main thread prints from."""

    def __init__(self, engine: Engine, list_containers: Callable[[], list[Observed]], prefixes: Prefixes, *,
                 timestamps: bool) -> None:
        self.engine = engine
        self.list_containers = list_containers
        self.prefixes = prefixes
        self.timestamps = timestamps
        self.queue: queue.Queue[tuple[str, int, str, str]] = queue.Queue()
        self.readers: dict[str, threading.Thread] = {}
        self.last_seen: dict[str, int] = {}  # container ID → nanoseconds of its last printed line
        self.unanswered = 0  # looks in a row that found no engine

    def run(self, initial: Iterable[Observed], *, tail: Tail, since: float | None) -> None:
        for c in initial:
            self.start_reader(c, tail=tail, since=since)
        next_poll = time.monotonic() + POLL_SECONDS
        while True:
            timeout = max(0.0, next_poll - time.monotonic())
            try:
                item = self.queue.get(timeout=timeout)
            except queue.Empty:
                item = None
            if item is not None:
                service, replica, stamp, text = item
                ui.out(self.prefixes.line(service, replica, f"{stamp} {text}" if self.timestamps and stamp
                                          else text))
                continue
            next_poll = time.monotonic() + POLL_SECONDS
            self.poll()

    def poll(self) -> None:
        try:
            containers = self.list_containers()
        except EngineUnavailable as exc:
            self.unanswered += 1
            if self.unanswered >= ENGINE_PATIENCE:
                raise  # exit 3, as every command that finds no engine
            if self.unanswered == 1:
                ui.warn(f"{exc.message}; waiting up to {ENGINE_PATIENCE * POLL_SECONDS:.0f}s for it to come back")
            return
        except DevenvError as exc:
            ui.warn(f"cannot list containers ({exc.message}); retrying")
            return
        if self.unanswered:
            ui.info("the engine answers again")
            self.unanswered = 0
        for c in containers:
            reader = self.readers.get(c.id)
            if reader is None:  # a container we have never seen: new, so all its output is new
                self.start_reader(c, tail="all", since=None)
            elif not reader.is_alive() and c.running:  # restarted: resume after the last line
                seen = self.last_seen.get(c.id)
                self.start_reader(c, tail="all", since=seen / 1e9 if seen else None)

    def start_reader(self, c: Observed, *, tail: Tail, since: float | None) -> None:
        thread = threading.Thread(target=self.read, args=(c, tail, since), daemon=True,
                                  name=f"devenv-logs-{c.name}")
        self.readers[c.id] = thread
        thread.start()

    def read(self, c: Observed, tail: Tail, since: float | None) -> None:
        pending = b""
        after = self.last_seen.get(c.id, 0)
        try:
            for chunk in self.engine.logs(c.id, tail=tail, since=since, follow=True, timestamps=True):
                pending += chunk
                *complete, pending = pending.split(b"\n")
                for raw in complete:
                    self.emit(c, raw.decode(errors="replace"), after)
        except DevenvError:
            pass  # the container went away; poll() decides whether to resume
        if pending:
            self.emit(c, pending.decode(errors="replace"), after)

    def emit(self, c: Observed, line: str, after: int) -> None:
        nanos, stamp, text = split_timestamp(line.rstrip("\r"))
        if nanos and nanos <= after:
            return  # already printed before a restart
        if nanos:
            self.last_seen[c.id] = nanos
        self.queue.put((c.service, c.replica, stamp, text))
