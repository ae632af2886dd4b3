"""Watch mode's shell: a session that owns the watched tree, turns raw events into content
changes, and runs each service's action through the engine, one output line per action.

Every action goes through the same pieces `up` uses (resolve_images, make_plan, Converger),
so a reload or a rebuild recreates only what changed and a failed build touches nothing.
"""

from __future__ import annotations

import io
import os
import queue
import tarfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, cast

from devenv.converge.projects import load_claimed
from devenv.core.globs import IgnoreRules
from devenv.errors import DevenvError, ManifestError, ServiceFailed, UsageError
from devenv.report import AsDetail, Reporter, Silent
from devenv.watch import source as watch_source
from devenv.watch.fs import TreeWatcher
from devenv.watch.output import Output
from devenv.watch.rules import (
    Change,
    FileIndex,
    Work,
    build_triggers,
    interesting_fn,
    keep_patterns,
    relevant_dir,
    sync_destination,
)

if TYPE_CHECKING:
    from devenv.core.plan import Observed, Plan
    from devenv.core.spec import ContainerSpec
    from devenv.engine.protocol import ContainerEngine
    from devenv.manifest.load import Project
    from devenv.options import Options
    from devenv.watch.source import WatchSource


class _Named(NamedTuple):
    """What waiting on a service reads of its project."""

    name: str
    root: Path


class Session:
    """One watch: the project, its triggers, the watched tree, the content index, the engine."""

    def __init__(self, opts: Options, *, targets: list[str], no_deps: bool, pull: str, timeout: float, locked: bool,
                 poll: bool, poll_interval: float, output: Output, report: Reporter | None = None,
                 engine: ContainerEngine | None = None) -> None:
        from devenv.engine.client import Engine

        self.opts = opts
        self.targets, self.no_deps, self.pull, self.timeout, self.locked = targets, no_deps, pull, timeout, locked
        self.out = output
        # The converger's steps are detail here (-v): watch prints one line per action.
        self.report = AsDetail(report or Silent())
        self.engine: ContainerEngine = engine or Engine()
        self.stop = threading.Event()
        self.events: queue.Queue[tuple[str, str | None]] = queue.Queue()
        self._project: Project | None = None  # the validated model, once an action needs it
        self.source = self._open_source()
        self.tree = TreeWatcher(self.events, self._skip, poll=poll, poll_interval=poll_interval,
                                root=str(self.source.root))
        self.index: FileIndex | None = None
        self.pending: list[str] = []
        self.writing: set[str] = set()  # watched files open for writing in this batch
        self.down_ids: set[str] = set()
        self.engine_lost = False
        self.crash_pending = False  # a container of the project stopped: look once the workers are idle
        self.died: dict[str, int] = {}  # container ID → looks left while it still shows as running
        self.looping: set[str] = set()  # containers reported as crash-looping
        self.configure()

    @property
    def name(self) -> str:
        return self.source.name

    def _open_source(self) -> WatchSource:
        """What to watch: read back from the last full `up` when the manifest is as it was then
        and the project still runs here under the recorded name (no pydantic: half the
        watcher's memory), else from the validated model. A project that is down is brought up
        by the full path, which claims its name again: it needs the model anyway."""
        from devenv.core.fastpath import cached_watch

        cached = cached_watch(self.opts)
        if cached is not None:
            project, record = cached
            roots = {c.root for c in self.engine.containers(project.name, role=None)}
            found = watch_source.from_record(project.name, project.root, record) if roots == {project.root} else None
            if found is not None and not found.unknown(self.targets):
                return found
        return watch_source.from_project(self.project())

    def project(self) -> Project:
        """The validated project, loaded on the first action that needs it (a rebuild, a
        recreate, a provision, a reload)."""
        if self._project is None:
            self._project = load_claimed(self.opts, self.engine)
        return self._project

    def follow_engine(self) -> None:
        """Put ("died", id) on the event queue whenever a container of the project stops, so a
        crash is reported at once without polling the engine (reconnects if the stream ends)."""
        def follow() -> None:
            delay = 1.0
            while not self.stop.is_set():
                # What stopped before the stream opened will not show in it: look once it is
                # surely open (the stream is connected within milliseconds; a second is plenty).
                look = threading.Timer(1.0, self.events.put, args=(("died", None),))
                look.daemon = True
                look.start()
                try:
                    for event in self.engine.container_events(self.name):
                        self.events.put(("died", event.get("id")))
                        delay = 1.0
                except DevenvError:
                    pass
                if self.stop.wait(delay):
                    return
                delay = min(delay * 2, 30.0)

        threading.Thread(target=follow, name="devenv-engine-events", daemon=True).start()

    # -- what is watched ------------------------------------------------------------------------

    def configure(self) -> None:
        """(Re)derive triggers, ignore rules and watched folders from the current source."""
        from devenv.converge.converger import unknown_services

        source = self.source
        unknown = source.unknown(self.targets)
        if unknown:
            raise UsageError(unknown_services(unknown, source.file_name, source.services))
        self.root = source.root
        names = source.select(self.targets or None, no_deps=self.no_deps)
        self.services = {name: source.services[name] for name in names}
        self.triggers = build_triggers(source, names)
        self.ignore = IgnoreRules.for_root(self.root, keep=keep_patterns(self.triggers))
        self.out.width = max([len(n) for n in self.services] + [8])
        old = self.index.digests if self.index else {}
        self.index = FileIndex(self.root, interesting_fn(self.triggers, self.ignore))
        self.index.digests = {rel: d for rel, d in old.items() if self.index.interesting(rel)}
        tops = self.roots()
        # Folders that a new rule set or ignore file leaves out lose their watch.
        self.tree.prune(lambda folder: self._keep(folder, tops))
        files: list[str] = []
        for top in tops:
            files += self.tree.add_tree(top)
        self.index.seed(f for f in files if self.index.rel(f) not in self.index.digests)

    def roots(self) -> list[str]:
        """The manifest's folder, plus trigger folders outside it (e.g. build = "../shared")."""
        tops = [str(self.root)]
        for trigger in self.triggers:
            for base in trigger.bases():
                if base.startswith("../"):
                    folder = os.path.normpath(os.path.join(self.root, base))
                    if not os.path.isdir(folder):
                        folder = os.path.dirname(folder)
                    if os.path.isdir(folder) and not any(folder == t or folder.startswith(t + os.sep) for t in tops):
                        tops.append(folder)
        return tops

    def _keep(self, folder: str, tops: list[str]) -> bool:
        """Does a watched folder stay watched: a root, or below one with nothing skipped on the way."""
        if folder in tops:
            return True
        top = next((t for t in tops if folder.startswith(t + os.sep)), None)
        if top is None:
            return False
        while folder != top:
            if self._skip(folder):
                return False
            folder = os.path.dirname(folder)
        return True

    def _skip(self, abs_dir: str) -> bool:
        rel = self.index.rel(abs_dir) if self.index else os.path.relpath(abs_dir, self.root)
        return self.ignore.ignored(rel, is_dir=True) or not relevant_dir(rel, self.triggers)

    # -- events → changes -----------------------------------------------------------------------

    def _files(self) -> FileIndex:
        if self.index is None:  # configure() builds it before any event is taken
            raise RuntimeError("the watch session is not configured")
        return self.index

    def absorb(self, kind: str, path: str | None) -> None:
        """Take one raw event: note the files to compare, watch a new folder at once."""
        index, pending = self._files(), self.pending
        if kind == "died":
            self.crash_pending = True
            if path:
                self.died[path] = 5  # looks left: the engine may report the state a moment later
                self.engine.forget_health(path)  # restarted by its policy, it must pass its check again
        elif kind == "overflow":  # the kernel dropped events: compare everything again
            for top in self.roots():
                pending += [index.rel(f) for f in self.tree.add_tree(top)]
            pending += list(index.digests)
        elif path is None:  # every other event names a path
            return
        elif kind == "write":
            rel = index.rel(path)
            pending.append(rel)
            if index.interesting(rel):
                self.writing.add(rel)
        elif kind == "dir":
            if os.path.isdir(path) and not self._skip(path):
                pending += [index.rel(f) for f in self.tree.add_tree(path)]
        elif kind == "gone":
            self.tree.remove_tree(path)
            rel = index.rel(path)
            pending += [rel, *index.below(rel)]
            self.writing = {w for w in self.writing if w != rel and not w.startswith(rel + "/")}
        else:
            rel = index.rel(path)
            pending.append(rel)
            self.writing.discard(rel)

    def changes(self) -> list[Change]:
        """The files absorbed since the last call whose content really changed."""
        pending, self.pending = self.pending, []
        self.writing.clear()  # a file never closed (a hard link, an mmap) holds up one batch only
        return self._files().refresh(pending)

    # -- running a batch ------------------------------------------------------------------------

    def run_work(self, work: Work) -> None:
        """Run one service's action and print its line (or its error). Safe on a worker thread:
        each service has at most one action running at a time."""
        started = time.monotonic()
        try:
            label = self._run(work)
        except DevenvError as exc:
            keep = " (the old container keeps running)" if work.action == "rebuild" else ""
            self.out.error(f"{exc.message}{keep}", service=work.service, hint=exc.hint, details=exc.details)
            return
        self.out.action(work.service, label, work.changes, time.monotonic() - started)

    def _run(self, work: Work) -> str:
        name, action = work.service, work.action
        if action in ("rebuild", "recreate", "provision"):
            # rebuild: the build is skipped when its context is unchanged; a failed one raises
            # before the old container is touched. provision: the plan sees the new input hash.
            self.converge([name], force=action != "provision")
            self.wait_ready(name)
            return work.label
        found = self.containers(name)
        revived = not found or not all(c.running for c in found)
        if revived:  # crashed or never started: starting it is the restart
            self.converge([name])
            found = self.containers(name)
        self.sync(work, found)
        self.run_execs(work, found)
        if action == "restart" and not revived:
            self.restart(found)
        if action == "restart" or revived:
            self.wait_ready(name)
        return work.label

    def converge(self, names: list[str], *, force: bool = False) -> Plan:
        from devenv.converge.converger import Converger, make_plan
        from devenv.converge.images import resolve_images
        from devenv.converge.writer import project_lock
        from devenv.lock.drift import load_lock
        from devenv.router.image import pinned

        project = self.project()
        missing = [n for n in names if n not in project.manifest.services]
        if missing:  # the manifest changed under the watch: its reload converges what is there now
            raise UsageError(f"service {missing[0]} is no longer in {project.file.name}")
        chosen = {n: project.manifest.services[n] for n in names}
        with project_lock(project.name, report=self.report):  # one writer: a concurrent `up` or `down` waits
            lock = load_lock(project, locked=self.locked, report=self.report)
            images = resolve_images(project, self.engine, chosen, pull=self.pull, lock=lock, report=self.report)
            the_plan, desired = make_plan(project, self.engine, chosen, images, full=False,
                                          force_recreate=frozenset(names) if force else frozenset(), report=self.report)
            Converger(project, self.engine, desired, self.stop, timeout=self.timeout,
                      report=self.report, router_image=pinned(lock)).apply(the_plan)
        return the_plan

    def containers(self, name: str) -> list[Observed]:
        return [c for c in self.engine.containers(self.name) if c.service == name]

    def restart(self, found: list[Observed]) -> None:
        from devenv.converge.converger import stop_timeout

        for c in found:
            self.engine.restart(c.id, stop_timeout(c))

    def wait_ready(self, name: str) -> None:
        from devenv.converge.converger import Converger
        from devenv.core.plan import Desired

        svc = self.services[name]
        if svc.scale == 0:
            return
        # wait_for reads only the scale and the project's name: no spec, no model is needed to wait
        desired = {name: Desired(name=name, scale=svc.scale, spec=cast("ContainerSpec", {}), spec_hash="")}
        named = cast("Project", _Named(self.name, self.root))
        Converger(named, self.engine, desired, self.stop, timeout=self.timeout, report=self.report).wait_for(
            name, "healthy" if svc.healthcheck else "started")

    def sync(self, work: Work, found: list[Observed]) -> None:
        if not work.syncs:
            return
        deletes: list[str] = []
        buffer = io.BytesIO()
        copies = 0
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            for trigger, change, base in work.syncs:
                if trigger.target is None:  # the model gives every sync rule a target
                    raise ServiceFailed(f"service {work.service}: a sync rule has no target")
                dest = sync_destination(trigger.target, base, change.path)
                if change.kind == "deleted":
                    deletes.append(dest)
                    continue
                source = self.root / change.path
                try:
                    info = tar.gettarinfo(str(source), arcname=dest.lstrip("/"))
                except OSError:
                    deletes.append(dest)  # gone again since it was hashed
                    continue
                info.uid = info.gid = 0
                info.uname = info.gname = "root"
                with open(source, "rb") as f:
                    tar.addfile(info, f)
                copies += 1
        for c in found:
            if deletes:
                code, output = self.engine.exec(c.id, ["rm", "-rf", "--", *deletes])
                if code != 0:
                    raise ServiceFailed(f"service {work.service}: sync could not delete {deletes[0]} "
                                        f"(exit {code})", details=output.strip()[-2000:] or None)
            if copies:
                self.engine.put_archive(c.id, "/", buffer.getvalue())

    def run_execs(self, work: Work, found: list[Observed]) -> None:
        import shlex

        for trigger in work.execs:
            command = list(trigger.command or ())
            for c in found:
                code, output = self.engine.exec(c.id, command)
                if code != 0:
                    tail = "\n".join(output.rstrip().splitlines()[-20:])
                    raise ServiceFailed(f"service {work.service}: `{shlex.join(command)}` exited with code {code}",
                                        details=tail or None)

    # -- the manifest ---------------------------------------------------------------------------

    def reload(self, changes: list[Change]) -> set[str] | None:
        """Re-read the manifest and converge what changed: the services it handled. On an invalid
        manifest, say why, keep everything as it is, and return None."""
        from devenv.converge.converger import Converger, make_plan, select_services
        from devenv.converge.images import resolve_images
        from devenv.lock.drift import load_lock
        from devenv.router.image import pinned

        started = time.monotonic()
        try:
            project = load_claimed(self.opts, self.engine)
            chosen = select_services(project, self.targets or None, no_deps=self.no_deps)  # `watch web`: still there?
        except OSError as exc:  # e.g. the file is gone for a moment during an editor's save
            self.out.error(f"cannot read the manifest ({exc.strerror or exc}); the running environment is kept")
            return None
        except (ManifestError, UsageError) as exc:
            # One `devenv: error: FILE:LINE: …` line per problem: each becomes a problem in VS Code.
            messages = [str(p) for p in exc.problems] if isinstance(exc, ManifestError) else [exc.message]
            for i, message in enumerate(messages, 1):
                self.out.error(message, hint=None if i < len(messages) else exc.hint or (
                    "the running environment is kept as it was; fix the file and save again"))
            return None
        self._project = project
        self.source = watch_source.from_project(project)
        self.configure()
        from devenv.converge.writer import project_lock

        try:
            with project_lock(project.name, report=self.report):
                lock = load_lock(project, locked=self.locked, report=self.report)
                images = resolve_images(project, self.engine, chosen, pull=self.pull, lock=lock,
                                        report=self.report)
                the_plan, desired = make_plan(project, self.engine, chosen, images, full=not self.targets,
                                              report=self.report)
                touched = [sp for sp in the_plan.services if sp.kind not in ("noop", "disabled")]
                if touched:
                    Converger(project, self.engine, desired, self.stop, timeout=self.timeout,
                              report=self.report, router_image=pinned(lock)).apply(the_plan)
        except DevenvError as exc:
            self.out.error(exc.message, hint=exc.hint, details=exc.details)
            return set(self.services)  # its outcome stands for this batch; the next change retries
        elapsed = time.monotonic() - started
        for sp in touched:
            self.out.action(sp.service, sp.kind, changes, elapsed, why=f": {'; '.join(sp.reasons)}")
        if not touched:
            self.out.action("-", "reload", changes, elapsed, why="; no service changed")
        return {sp.service for sp in touched}

    # -- crashes --------------------------------------------------------------------------------

    def check_crashes(self) -> None:
        """Report a container that stopped on its own, once; its next change restarts it."""
        try:
            found = self.engine.containers(self.name)
        except DevenvError as exc:
            self.crash_pending = False  # the 30 s look retries
            if not self.engine_lost:
                self.engine_lost = True
                self.out.error(f"{exc.message} (still watching)", hint=exc.hint)
            return
        self.engine_lost = False
        self.report_crash_loops([c for c in found if c.service in self.services and c.running
                                 and (c.state == "restarting" or c.id in self.died)])
        running = {c.id for c in found if c.running}
        for cid in list(self.died):
            self.died[cid] -= 1
            if cid not in running or self.died[cid] <= 0:
                del self.died[cid]
        self.crash_pending = bool(self.died)  # died, yet still shown running: look again shortly
        for c in found:
            if c.service not in self.services or c.running:
                self.down_ids.discard(c.id)
                continue
            if c.id in self.down_ids or c.state not in ("exited", "dead"):
                continue
            self.down_ids.add(c.id)
            if c.exit_code == 0:
                continue  # a one-shot job that finished
            why = f"exited with code {c.exit_code}" if c.exit_code is not None else f"is {c.state}"
            tail = "\n".join(self.engine.log_tail(c.id, 10).splitlines()[-10:])
            self.out.error(f"service {c.service} {why}; it is restarted on its next change", service=c.service,
                           details=tail or None)

    def report_crash_loops(self, candidates: list) -> None:
        """A container the engine keeps restarting (its `restart` policy) is a crash loop: say so
        once per container, with the restart count and the code it last exited with."""
        for c in candidates:
            if c.id in self.looping:
                continue
            try:
                restarts, code = self.engine.crash_record(c.id)
            except DevenvError:
                continue
            if not restarts:
                continue
            self.looping.add(c.id)
            last = f", last exit code {code}" if code is not None else ""
            tail = "\n".join(self.engine.log_tail(c.id, 10).splitlines()[-10:])
            self.out.error(f"service {c.service} is in a crash loop: restarted {restarts} "
                           f"time{'s' if restarts > 1 else ''}{last}; fix it and save", service=c.service,
                           details=tail or None)

    def close(self) -> None:
        self.stop.set()
        self.tree.close()
