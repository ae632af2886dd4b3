"""`devenv init` (a first manifest from recipes) and `devenv recipes` (what recipes there are)."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devenv import ui
from devenv.core.textfiles import check_writable, read_text, write_atomic
from devenv.errors import ManifestError, UsageError
from devenv.init import recipes as rc
from devenv.init import scaffold
from devenv.options import Options

if TYPE_CHECKING:
    from devenv.errors import Problem
    from devenv.init.compose import Converted

GITIGNORE_LINE = "devenv.local.toml"


def _split(values: list[str]) -> list[str]:
    """--with a,b --with c → [a, b, c], in order, without repeats."""
    return list(dict.fromkeys(v.strip() for value in values for v in value.split(",") if v.strip()))


def requires_floor() -> str:
    from devenv import __version__

    major, minor, *_ = [*__version__.split("."), "0"]
    return f">={major}.{minor}"


def validate(scaffolded: scaffold.Scaffold, *, environ: dict[str, str] | None = None) -> None:
    """The rendered manifest must pass the same validation as `devenv up` would apply."""
    from devenv.manifest.load import load_project

    with tempfile.TemporaryDirectory(prefix="devenv-init-") as folder:
        path = Path(folder) / "devenv.toml"
        path.write_text(scaffolded.files["devenv.toml"], encoding="utf-8")
        try:
            load_project(files=[path], directory=Path(folder), environ=environ or {})
        except ManifestError as exc:
            lines = [f"{p.path}: {p.message}" if p.path else p.message for p in exc.problems]
            raise UsageError("the recipes rendered a manifest that does not validate:\n  " + "\n  ".join(lines),
                             hint="check the --set values (`devenv recipes NAME` describes each parameter)") from None


def compose(directory: Path, *, recipes: list[str], with_: list[str], sets: list[str],
            project_name: str | None, environ: dict[str, str] | None = None) -> scaffold.Scaffold:
    """Detect (unless recipes are chosen), plan, apply --set, render and validate."""
    from devenv.init.detect import detect

    sources = rc.discover(environ)
    chosen, extra = _split(recipes), _split(with_)
    for name in [*chosen, *extra]:
        rc.get(sources, name)
    parsed = scaffold.parse_sets(sets)
    log: list[str] = []
    matches = detect(directory, sources, log)
    apps, services = scaffold.plan(sources, matches, chosen=chosen, with_=extra)
    if not apps and not services:
        from devenv.init.compose_load import find_compose
        from devenv.init.detect import unsupported

        seen = unsupported(directory)
        offers = find_compose(directory)
        way = f"`devenv init --from {offers[0]}` converts the project's Compose file; or " if offers else ""
        if seen:
            raise UsageError(f"found {', '.join(seen)}: no recipe for it; nothing written",
                             hint=way + "pick the closest recipe with --recipe NAME, or write a house recipe "
                                        "(docs/recipes.md); `devenv recipes` lists them")
        raise UsageError(f"no stack detected in {directory}: no dependency manifest or entry point found; "
                         "nothing written",
                         hint=way + "pick one with --recipe NAME (and add services with --with postgres,redis); "
                                    "`devenv recipes` lists them")
    scaffold.apply_sets(sources, apps, services, parsed)
    result = scaffold.build(sources, apps, services,
                            project=project_name or scaffold.default_project_name(directory),
                            requires=requires_floor())
    from devenv.init.compose_load import find_compose

    result.offers = find_compose(directory)
    result.log = log
    if result.offers:
        # Said in the manifest too, where the next reader looks.
        offer = (f"# This project has {' and '.join(result.offers)}: `devenv init --from "
                 f"{' --from '.join(result.offers)} --force` converts it instead of this guess.\n")
        text = result.files["devenv.toml"]
        cut = text.index("\n[project]")
        result.files["devenv.toml"] = text[:cut] + "\n" + offer.rstrip("\n") + text[cut:]
    validate(result)
    return result


def report(result: scaffold.Scaffold, *, emit: Callable[[str], None], explain: bool = False) -> None:
    width = max([len(p.name) for p in result.planned] + [4])
    emit("detected:" if any(p.reasons and not p.reasons[0].startswith(("chosen", "asked", "--", "from "))
                            for p in result.planned) else "services:")
    for planned in result.planned:
        where = "" if planned in result.services else f"  ./{planned.rel}" if planned.rel != "." else "  ./"
        emit(f"  {planned.name.ljust(width)}  {planned.recipe}{where}  ({'; '.join(planned.reasons)})")
        for key, why in planned.notes.items():
            value = planned.params.get(key, planned.host_port if key == "host_port" else None)
            shown = f" = {rc.toml_value(value)}" if value is not None and key != "command" else ""
            emit(f"  {''.ljust(width)}    {key}{shown}  ({why})")
        if planned.links:
            emit(f"  {''.ljust(width)}    uses {', '.join(planned.links)} (depends_on healthy, connection env vars)")
    for note in result.notes:
        emit(f"note: {note}")
    if explain:
        emit("decisions:")
        for line in result.log:
            emit(f"  {line}")
        for planned in result.planned:
            for key, value in planned.params.items():
                if key not in planned.notes:
                    emit(f"  {planned.name}: {key} = {rc.toml_value(value)}  (the recipe's default)")
    if result.offers:
        emit(f"found {' and '.join(result.offers)}: `devenv init --from {' --from '.join(result.offers)}` "
             "converts it instead of guessing")


def write_files(directory: Path, files: dict[str, str], *, force: bool) -> tuple[list[str], list[str]]:
    """Write each file atomically. devenv.toml is checked by the caller; other existing files are
    kept unless --force (they may hold the user's edits)."""
    written, kept = [], []
    for rel, text in files.items():
        path = directory / rel
        if not will_write(path, rel, force=force):
            kept.append(rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
        written.append(rel)
    return written, kept


def will_write(path: Path, rel: str, *, force: bool) -> bool:
    return force or rel == "devenv.toml" or not path.exists()


def gitignore_lacks_the_line(directory: Path) -> bool:
    path = directory / ".gitignore"
    text = read_text(path) if path.is_file() else ""
    return not any(line.strip().lstrip("/") == GITIGNORE_LINE for line in text.splitlines())


def add_to_gitignore(directory: Path) -> bool:
    """Append devenv.local.toml to .gitignore unless a line already names it."""
    path = directory / ".gitignore"
    if not gitignore_lacks_the_line(directory):
        return False
    text = read_text(path) if path.is_file() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    write_atomic(path, text + f"# personal devenv overrides\n{GITIGNORE_LINE}\n")  # as the other files: whole or not
    return True


def from_compose(directory: Path, files: list[str], *, project_name: str | None) -> scaffold.Scaffold:
    """`--from compose.yaml`: the Compose file's services, converted key by key, validated."""
    from devenv.init import compose as compose_file
    from devenv.init.compose_load import find_compose

    paths = [(directory / f) if not Path(f).is_absolute() else Path(f) for f in files]
    for path in paths:
        if not path.is_file():
            found = find_compose(directory)
            raise UsageError(f"--from {path}: no such file",
                             hint=f"found here: {', '.join(found)}" if found else "give the Compose file's path")
    converted = compose_file.convert(paths, root=directory)
    project = project_name or converted.name or scaffold.default_project_name(directory)
    compose_file.name_the_project(converted, project)
    header = scaffold.HEADER.format(origin="`devenv init --from`", name=rc.toml_value(project),
                                    requires=rc.toml_value(requires_floor()))
    sources = [p.relative_to(directory).as_posix() if p.is_relative_to(directory) else str(p) for p in paths]
    text = compose_file.render(converted, header=header, sources=sources)
    planned = [scaffold.Planned(name=name, recipe="compose", reasons=[f"from {files[0]}"])
               for name in converted.services]
    result = scaffold.Scaffold(project=project, apps=[], services=planned, files={"devenv.toml": text},
                               notes=converted.notes)
    _check_converted(text, converted, sources)
    return result


def _check_converted(text: str, converted: Converted, sources: list[str]) -> None:
    """The converted manifest validates as `devenv up` reads it with no variable set, so with
    each variable's default; one without a default (legal in Compose: ${VAR}, ${VAR:?message})
    counts with a value valid where it stands. A problem is told in the Compose file's terms."""
    from devenv.init.compose_load import no_default
    from devenv.manifest.load import load_project

    environ = {name: converted.examples.get(name, "x") for name in no_default(text)}
    with tempfile.TemporaryDirectory(prefix="devenv-init-") as folder:
        path = Path(folder) / "devenv.toml"
        path.write_text(text, encoding="utf-8")
        try:
            load_project(files=[path], directory=Path(folder), environ=environ)
        except ManifestError as exc:
            lines = [_compose_problem(p, converted) for p in exc.problems]
            raise UsageError(f"--from {', '.join(sources)}: converted, it does not validate:\n  "
                             + "\n  ".join(lines), hint="change it in the Compose file and convert again (a "
                                                        "variable counts with its default)") from None


# devenv's service keys that a Compose key of another name became.
_COMPOSE_KEYS = {"mounts": "volumes", "env": "environment", "workdir": "working_dir",
                 "stop_timeout": "stop_grace_period", "watch": "develop.watch"}


def _compose_problem(problem: Problem, converted: Converted) -> str:
    """A problem of the converted manifest, told by the Compose service, key and value it came
    from: that is what the user edits, not a devenv.toml that was never written."""
    match = re.match(r"services\.([^.\[]+)\.?([^.\[]*)(.*)", problem.path)
    if not match:
        return f"{problem.path}: {problem.message}" if problem.path else problem.message
    service, key, rest = match.groups()
    compose_name = {new: old for old, new in converted.renamed.items()}.get(service, service)
    where = f"service {compose_name!r}" + (f", {_COMPOSE_KEYS.get(key, key)}{rest}" if key else "")
    value: Any = converted.services.get(service, {}).get(key)
    index = re.fullmatch(r"\[(\d+)\]", rest)
    if index and isinstance(value, list) and int(index[1]) < len(value):
        value = value[int(index[1])]
    shown = f" {value!r}" if isinstance(value, str) and "$" in value else ""
    return f"{where}{shown}: {problem.message}"


def run_init(opts: Options, *, recipes: list[str], with_: list[str], sets: list[str], dry_run: bool,
             force: bool, as_json: bool, from_: list[str] | None = None, explain: bool = False) -> int:
    directory = opts.directory
    if not directory.is_dir():
        raise UsageError(f"{directory}: no such folder")
    manifest = directory / "devenv.toml"
    if manifest.exists() and not force and not dry_run:
        raise UsageError(f"{manifest} already exists; not overwriting it",
                         hint="pass --force to replace it, or --dry-run to see what init would write")
    if from_ and (recipes or with_ or sets):
        raise UsageError("--from converts a Compose file as it is; it cannot be combined with --recipe, --with "
                         "or --set", hint="convert first, then edit devenv.toml")
    if from_:
        result = from_compose(directory, from_, project_name=opts.project_name)
    else:
        result = compose(directory, recipes=recipes, with_=with_, sets=sets, project_name=opts.project_name)
    written: list[str]
    kept: list[str]
    if dry_run:
        written, kept, gitignored = [], [], False
    else:
        # all or none: every file this run writes (not those it keeps) can be written
        check_writable([directory / rel for rel in result.files if will_write(directory / rel, rel, force=force)]
                       + ([directory / ".gitignore"] if gitignore_lacks_the_line(directory) else []))
        written, kept = write_files(directory, result.files, force=force)
        gitignored = add_to_gitignore(directory)
    if as_json:
        ui.out(json.dumps({
            "project": result.project, "dry_run": dry_run, "written": written, "kept": kept,
            "gitignore": gitignored, "files": result.files if dry_run else None,
            "services": [{"name": p.name, "recipe": p.recipe, "folder": p.rel if p in result.apps else None,
                          "reasons": p.reasons, "params": p.params, "param_reasons": p.notes,
                          "host_port": p.host_port, "links": p.links} for p in result.planned],
            "notes": result.notes, "offers": result.offers, "decisions": result.log}, indent=2))
        return 0
    if dry_run:
        for rel, text in result.files.items():
            ui.out(f"# ---- {rel} ----")
            ui.out(text.rstrip("\n"))
        report(result, emit=ui.info, explain=explain)
        ui.info("dry run: nothing written")
        return 0
    report(result, emit=ui.out, explain=explain)
    ui.out(f"wrote {', '.join(written)}" + (f" (kept existing {', '.join(kept)}; --force replaces them)"
                                            if kept else ""))
    if gitignored:
        ui.out(f"added {GITIGNORE_LINE} to .gitignore")
    urls = [f"http://127.0.0.1:{a.host_port}" for a in result.apps if a.host_port]
    ui.out("next: devenv up --wait" + (f", then open {', '.join(urls)}" if urls else ""))
    return 0


# -- devenv recipes -------------------------------------------------------------------------------

def run_recipes(*, name: str | None, as_json: bool) -> int:
    sources = rc.discover()
    chosen = [rc.get(sources, name)] if name else sorted(
        sources.values(), key=lambda s: (s.recipe.kind != "app", s.recipe.name))
    if as_json:
        ui.out(json.dumps([{
            "name": s.recipe.name, "kind": s.recipe.kind, "description": s.recipe.description,
            "origin": s.recipe.origin, "replaces": s.recipe.replaces,
            "detect": s.recipe.detect.model_dump(),
            "params": {k: p.model_dump(exclude_none=True) for k, p in s.recipe.params.items()}}
            for s in chosen], indent=2))
        return 0
    width = max(len(s.recipe.name) for s in chosen)
    for index, source in enumerate(chosen):
        recipe = source.recipe
        origin = "" if recipe.origin == "builtin" else f"  [{recipe.origin}]"
        if index and (name or chosen[index - 1].recipe.kind != recipe.kind):
            ui.out()
        ui.out(f"{ui.style(recipe.name.ljust(width), bold=True)}  {recipe.kind:<7}  {recipe.description}{origin}")
        pwidth = max([len(k) for k in recipe.params] + [0])
        for key, param in recipe.params.items():
            choices = f" ({' | '.join(map(str, param.choices))})" if param.choices else ""
            ui.out(f"{''.ljust(width)}    {key.ljust(pwidth)}  {param.type:<5} = {rc.toml_value(param.default)}"
                   f"{choices}  {param.description}")
    if not name:
        ui.out()
        ui.out(f"Your own recipes: folders in ${rc.RECIPES_ENV} (searched first). "
               "`devenv init --recipe NAME --set KEY=VALUE` uses one.")
    return 0
