"""Watch mode's core: which file change triggers what, for which service.

Pure apart from reading files to hash them. The pieces, in the order a change meets them:

- `Trigger`: one rule. Explicit ones come from `[[services.X.watch]]`; defaults come from the
  manifest itself (devenv.toml, its layers, .env and env files → reload; a build context →
  rebuild; `provision_inputs` → provision). A service's explicit rules replace its defaults
  for the paths they match.
- `FileIndex`: a content hash per interesting file, so a save that changes nothing, or an
  editor's temp-file-and-rename, yields no change (or exactly one).
- `decide`: the changes of one quiet-period batch → at most one action per service, the
  strongest one needed (rebuild > recreate/provision > restart > sync/exec).

The filesystem side (inotify, polling, which folders get a watch) is in `watch_fs`; running
the actions against the engine is in `watch_actions`.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from devenv.core.dockerignore import DockerIgnore
from devenv.core.globs import IgnoreRules, compile_glob, glob_base, matches
from devenv.watch.source import normalise, rel_path

if TYPE_CHECKING:
    from devenv.watch.source import WatchSource

STRENGTH = {"rebuild": 4, "recreate": 3, "provision": 3, "restart": 2, "sync": 1, "exec": 1}

# Files editors write next to the real one while saving; never a change of their own.
EDITOR_TEMP = ("*.swp", "*.swx", "*.swo", "*~", ".#*", "#*#", "4913", "*.tmp", "*.crswap",
               ".goutputstream-*", "*___jb_tmp___", "*___jb_old___", "*.kate-swp", ".*.sw?")


def _is_glob(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")


def path_matches(rel: str, pattern: str) -> bool:
    """Manifest-relative semantics (as `provision_inputs`): a plain path names one file or
    everything in one folder; a glob is matched as in globs.compile_glob."""
    pattern = normalise(pattern)
    if not pattern:
        return True
    if not _is_glob(pattern):
        return rel == pattern or rel.startswith(pattern + "/")
    return bool(compile_glob(pattern).match(rel))


def pattern_base(pattern: str) -> str:
    """The folder below which `pattern` can match anything ('' = anywhere)."""
    pattern = normalise(pattern)
    if not _is_glob(pattern):
        return pattern
    if "/" not in pattern:
        return ""  # "*.py" matches at any depth
    return glob_base(pattern)


def sync_base(pattern: str, rel: str) -> str:
    """The folder a synced file's path is kept below: the glob's part before the first
    wildcard (`www/**` → `www`); for a plain file, its folder; for a plain folder, itself."""
    pattern = normalise(pattern)
    if not _is_glob(pattern):
        return posixpath.dirname(pattern) if rel == pattern else pattern
    return glob_base(pattern)


_EDITOR_TEMP_RE = re.compile("|".join(f"(?:{compile_glob(p).pattern})" for p in EDITOR_TEMP))


def is_editor_temp(rel: str) -> bool:
    return bool(_EDITOR_TEMP_RE.match(rel.rsplit("/", 1)[-1]))


def _any_of(patterns: list[str]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{compile_glob(p).pattern})" for p in patterns)) if patterns else None


# The manifest's watch actions (model.WatchAction), plus what devenv adds on its own: a manifest
# reload, the rebuild a build context asks for, and the provision its inputs ask for.
TriggerAction = Literal["reload", "rebuild", "provision", "restart", "recreate", "sync", "exec"]
ChangeKind = Literal["created", "modified", "deleted"]


@dataclass(frozen=True)
class Trigger:
    service: str | None  # None: the project as a whole (a manifest reload)
    action: TriggerAction
    patterns: tuple[str, ...]
    ignore: tuple[str, ...] = ()
    explicit: bool = False
    exact: bool = False  # patterns are exact paths (the manifest's files)
    target: str | None = None
    command: tuple[str, ...] | None = None
    context_ignore: DockerIgnore | None = field(default=None, compare=False)  # a build context's .dockerignore

    def match(self, rel: str) -> str | None:
        """The pattern that matches `rel`, or None."""
        if self.exact:
            return rel if rel in self.patterns else None
        if self.ignore and matches(rel, self.ignore):
            return None
        for pattern in self.patterns:
            if path_matches(rel, pattern):
                if self.context_ignore is not None:
                    base = normalise(pattern)
                    inner = rel[len(base) + 1:] if base and rel.startswith(base + "/") else rel
                    if self.context_ignore.excluded(inner):
                        return None
                return pattern
        return None

    def bases(self) -> list[str]:
        return [p if self.exact else pattern_base(p) for p in self.patterns]


def build_triggers(source: WatchSource, names: Iterable[str]) -> list[Trigger]:
    """Every trigger of the project: the manifest's own files, then the rules and defaults of
    each service watched (`names`)."""
    root = source.root
    triggers = [Trigger(None, "reload", source.manifest_files, exact=True)]
    for name in names:
        svc = source.services[name]
        for rule in svc.rules:
            triggers.append(Trigger(name, cast(TriggerAction, rule.action), tuple(normalise(p) for p in rule.paths),
                                    ignore=rule.ignore, explicit=True, target=rule.target, command=rule.exec))
        if svc.build:
            context = (root / svc.build.context).resolve()
            rules = DockerIgnore.for_context(context, dockerfile=svc.build.dockerfile)  # Docker's rules
            rel = rel_path(root, context)
            triggers.append(Trigger(name, "rebuild", ("" if rel == "." else rel,), context_ignore=rules))
            dockerfile = rel_path(root, context / svc.build.dockerfile)
            if not (rel == "." or dockerfile.startswith(rel + "/")):
                triggers.append(Trigger(name, "rebuild", (dockerfile,), exact=True))
        if svc.provision_inputs:
            triggers.append(Trigger(name, "provision", tuple(normalise(p) for p in svc.provision_inputs)))
    return triggers


def keep_patterns(triggers: Iterable[Trigger]) -> list[str]:
    """Patterns that name otherwise-ignored folders on purpose (e.g. `node_modules/**`)."""
    return [p for t in triggers if t.explicit or t.action == "provision" for p in t.patterns]


def relevant_dir(rel_dir: str, triggers: Iterable[Trigger]) -> bool:
    """Could a trigger match a file at or below folder `rel_dir` ('' = the root)? Folders
    where none can get no watch. Ancestors of a trigger's base count (to see it appear)."""
    if rel_dir in ("", "."):
        return True
    for trigger in triggers:
        for base in trigger.bases():
            if trigger.exact:
                if base.startswith(rel_dir + "/"):
                    return True
                continue
            if not base or base == rel_dir or base.startswith(rel_dir + "/") or rel_dir.startswith(base + "/"):
                return True
    return False


# -- content hashes -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    path: str  # relative to the manifest's folder, POSIX
    kind: ChangeKind


def file_digest(path: str) -> str | None:
    """sha256 of a regular file's content (plus its exec bit); None if it is not one now.
    One open, one fstat, one read: this runs for every watched file at start."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))  # a fifo must not block
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        h = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            h.update(chunk)
        return h.hexdigest() + ("x" if st.st_mode & 0o111 else "")
    except OSError:  # removed or made unreadable meanwhile
        return None
    finally:
        os.close(fd)


class FileIndex:
    """The last seen content hash of every interesting file."""

    def __init__(self, root: Path, interesting: Callable[[str], bool]):
        self.root = str(root)
        self._prefix = self.root.rstrip(os.sep) + os.sep
        self.interesting = interesting
        self.digests: dict[str, str] = {}

    def rel(self, abs_path: str) -> str:
        if abs_path.startswith(self._prefix):
            return abs_path[len(self._prefix):]
        return os.path.relpath(abs_path, self.root).replace(os.sep, "/")

    def seed(self, abs_paths: Iterable[str]) -> None:
        """Record the current content, reporting nothing (the start of a watch)."""
        for path in abs_paths:
            rel = self.rel(path)
            if self.interesting(rel):
                digest = file_digest(path)
                if digest is not None:
                    self.digests[rel] = digest

    def refresh(self, rels: Iterable[str]) -> list[Change]:
        """Re-hash these files; report those whose content really changed."""
        changes = []
        for rel in dict.fromkeys(rels):
            if not self.interesting(rel):
                continue
            old = self.digests.get(rel)
            new = file_digest(os.path.join(self.root, rel))
            if new == old:
                continue
            if new is None:
                del self.digests[rel]
                changes.append(Change(rel, "deleted"))
            else:
                self.digests[rel] = new
                changes.append(Change(rel, "created" if old is None else "modified"))
        return changes

    def below(self, rel_dir: str) -> list[str]:
        prefix = rel_dir + "/"
        return [rel for rel in self.digests if rel.startswith(prefix)]


def interesting_fn(triggers: list[Trigger], ignore: IgnoreRules | None = None) -> Callable[[str], bool]:
    """Is a change of this file worth a look: not an editor's temp file, not ignored (a folder
    that is ignored is not even watched; this catches file patterns such as `*.log`), and
    matched by some trigger."""
    cache: dict[str, bool] = {}

    def interesting(rel: str) -> bool:
        if rel not in cache:
            if len(cache) > 100_000:
                cache.clear()
            cache[rel] = (not is_editor_temp(rel) and not (ignore is not None and ignore.ignored(rel))
                          and any(t.match(rel) is not None for t in triggers))  # "" matches all
        return cache[rel]

    return interesting


# -- deciding -------------------------------------------------------------------------------------

@dataclass
class Work:
    """What one batch asks of one service."""

    service: str
    actions: set[TriggerAction] = field(default_factory=set)
    changes: list[Change] = field(default_factory=list)
    syncs: list[tuple[Trigger, Change, str]] = field(default_factory=list)  # (rule, change, base folder)
    execs: list[Trigger] = field(default_factory=list)

    @property
    def action(self) -> TriggerAction:
        return max(self.actions, key=lambda a: (STRENGTH[a], a == "sync"))

    @property
    def label(self) -> str:
        if STRENGTH[self.action] == 1:
            return "+".join(a for a in ("sync", "exec") if a in self.actions)
        return self.action


def merge(into: Work, later: Work) -> Work:
    """Fold a later batch's work for a service into work not yet started: still one action,
    the strongest; every file to sync and every command to run is kept (later syncs last)."""
    into.actions |= later.actions
    newer = {c.path for c in later.changes}
    into.changes = [c for c in into.changes if c.path not in newer] + later.changes
    synced = {change.path for _, change, _ in later.syncs}
    into.syncs = [s for s in into.syncs if s[1].path not in synced] + later.syncs
    into.execs += [t for t in later.execs if t not in into.execs]
    return into


@dataclass
class Batch:
    reload: list[Change] = field(default_factory=list)
    work: dict[str, Work] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.reload or self.work)


def decide(changes: Iterable[Change], triggers: list[Trigger]) -> Batch:
    """Map changes to work: per service, the triggers of its explicit rules where one matches
    the path, else its default triggers; the manifest's own files reload the project."""
    batch = Batch()
    for change in changes:
        hits = [(t, p) for t in triggers if (p := t.match(change.path)) is not None]
        ruled = {t.service for t, _ in hits if t.explicit}
        for trigger, pattern in hits:
            if trigger.service is None:
                if change not in batch.reload:
                    batch.reload.append(change)
                continue
            if not trigger.explicit and trigger.service in ruled:
                continue
            work = batch.work.setdefault(trigger.service, Work(trigger.service))
            work.actions.add(trigger.action)
            if change not in work.changes:
                work.changes.append(change)
            if trigger.action == "sync":
                work.syncs.append((trigger, change, sync_base(pattern, change.path)))
            elif trigger.action == "exec" and trigger not in work.execs:
                work.execs.append(trigger)
    return batch


def describe(changes: list[Change]) -> str:
    """`src/app.py changed`, `src/a.py deleted`, `src/a.py and 499 more changed`."""
    if not changes:
        return "no file changed"
    first = changes[0]
    verb = {"created": "created", "deleted": "deleted", "modified": "changed"}[first.kind]
    if len(changes) == 1:
        return f"{first.path} {verb}"
    return f"{first.path} and {len(changes) - 1} more changed"


def sync_destination(target: str, base: str, rel: str) -> str:
    """Where a synced file lands in the container: its path below `base`, kept under `target`."""
    inner = rel[len(base) + 1:] if base and rel.startswith(base + "/") else rel
    return posixpath.join(target, inner)
