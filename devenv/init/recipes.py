"""Recipes: folders of data (recipe.toml + jinja2 templates) that write a first manifest.

One typed model describes a recipe (`Recipe`); recipes are found by scanning the folders of
DEVENV_RECIPES_PATH first, then the `devenv_recipes` package that ships in the wheel. A recipe
renders in jinja2's sandbox with StrictUndefined, so a missing parameter is an error and never
an empty string. Nothing here prints or writes files: `commands/init.py` does that.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from devenv.core.textfiles import NotUtf8, decode
from devenv.core.tomlerrors import locate_syntax_error
from devenv.errors import UsageError

if TYPE_CHECKING:  # jinja2 is imported when a template is rendered
    from jinja2 import BaseLoader, Environment, FunctionLoader
    from jinja2.sandbox import SandboxedEnvironment

RECIPES_ENV = "DEVENV_RECIPES_PATH"
RECIPE_FILE = "recipe.toml"
SERVICE_TEMPLATE = "service.toml.j2"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

ParamValue = bool | int | float | str
_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Param(_Strict):
    """A typed parameter. A string default may use `{{ other_param }}` (e.g. an image tag built
    from a version); it is rendered after the plain values are known."""

    type: Literal["str", "int", "float", "bool"] = "str"
    default: ParamValue
    description: str
    choices: list[ParamValue] | None = None

    @model_validator(mode="after")
    def _default_has_type(self) -> Param:
        coerce(self, self.default, name="default")
        return self


class Detect(_Strict):
    """How `devenv init` recognises the stack in a folder.

    `files`: at least one must exist (the stack's dependency manifest). Then, when `packages`
    or `markers` are given, one declared dependency must be named in `packages` or one file in
    `markers` must exist (a framework's fingerprint). Service recipes use `packages` alone:
    a dependency of any app on one of them implies the service."""

    files: list[str] = Field(default_factory=list)
    packages: list[str] = Field(default_factory=list)
    markers: list[str] = Field(default_factory=list)


class Recipe(_Strict):
    name: str
    description: str
    kind: Literal["app", "service"]
    replaces: list[str] = Field(default_factory=list,
                                description="Generic recipes this one supersedes when both match.")
    detect: Detect = Field(default_factory=Detect)
    params: dict[str, Param] = Field(default_factory=dict)
    files: dict[str, str] = Field(default_factory=dict,
                                  description="Extra files written beside the app: output path = template.")
    env: dict[str, str] = Field(default_factory=dict,
                                description="Service recipes: connection variables given to the apps that use it.")
    ignore: list[str] = Field(default_factory=list, description="Lines for .devenvignore.")
    # Where it was found: the package (builtin) or a user folder. Not part of recipe.toml.
    origin: str = Field("builtin", exclude=True)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME_RE.match(value):
            raise ValueError(f"{value!r} is not a recipe name (lowercase letters, digits, - and _)")
        return value

    @field_validator("files")
    @classmethod
    def _inside_the_app(cls, value: dict[str, str]) -> dict[str, str]:
        for out, template in value.items():
            for path in (out, template):
                parts = path.replace("\\", "/").split("/")
                if path.startswith(("/", "~")) or ".." in parts or not path.strip():
                    raise ValueError(f"{path!r} must be a relative path inside the app's folder (no ..)")
        return value

    def defaults(self) -> dict[str, ParamValue]:
        return {name: p.default for name, p in self.params.items()}


def coerce(param: Param, value: object, *, name: str) -> ParamValue:
    """A value (a string from --set, or from detection) converted to the parameter's type."""
    kind = param.type
    if isinstance(value, str) and kind != "str":
        text = value.strip().lower()
        try:
            if kind == "int":
                value = int(text)
            elif kind == "float":
                value = float(text)
            elif text in ("true", "yes", "on", "1"):
                value = True
            elif text in ("false", "no", "off", "0"):
                value = False
        except ValueError:
            pass
    ok = isinstance(value, _TYPES[kind]) and not (kind in ("int", "float") and isinstance(value, bool))
    if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok or not isinstance(value, bool | int | float | str):  # (ok means it is one of these)
        article = "an" if kind == "int" else "a"
        words = {"int": "integer", "float": "number", "bool": "boolean (true or false)", "str": "string"}
        raise ValueError(f"{name}: {value!r} is not {article} {words[kind]}")
    if param.choices is not None and value not in param.choices:
        raise ValueError(f"{name}: {value!r} is not one of {', '.join(map(str, param.choices))}")
    return value


# -- discovery ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """A recipe's folder: a real path (user recipes) or a Traversable inside the wheel."""

    recipe: Recipe
    folder: Traversable

    def read(self, name: str) -> str:
        """A file of this recipe's folder. Nothing outside it is served: not `..`, not an
        absolute path, not a symlink that leads out (templates come from other people)."""
        refuse_outside(name, self.recipe.name)
        node = self.folder
        for part in name.split("/"):
            node = node.joinpath(part)
        if isinstance(self.folder, Path) and isinstance(node, Path) and \
                not node.resolve().is_relative_to(self.folder.resolve()):
            raise TemplateOutside(f"recipe {self.recipe.name}: template {name!r} is a link to "
                                  f"{node.resolve()}, outside the recipe's folder", hint=OUTSIDE_HINT)
        if not node.is_file():
            raise UsageError(f"recipe {self.recipe.name}: no template {name!r} in {self.recipe.origin}")
        origin = self.recipe.origin if self.recipe.origin != "builtin" else f"devenv_recipes/{self.recipe.name}"
        return decode(Path(origin) / name, node.read_bytes())


class TemplateOutside(UsageError):
    """A template asked for a file outside the recipes' folders."""


OUTSIDE_HINT = ("a template may use its own recipe's files (\"file.j2\") or another recipe's "
                "(\"python/service.toml.j2\"), nothing else")


def refuse_outside(name: str, recipe: str) -> None:
    """Names with `..`, an absolute path or a drive cannot stay inside a recipe's folder."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\", "~")) or ":" in parts[0] or any(p in ("..", ".", "") for p in parts):
        raise TemplateOutside(f"recipe {recipe}: template {name!r} is outside the recipe's folder",
                              hint=OUTSIDE_HINT)


def user_folders(environ: dict | None = None) -> list[Path]:
    raw = (environ if environ is not None else os.environ).get(RECIPES_ENV, "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def _load_one(folder: Traversable, origin: str) -> Recipe:
    where = f"{origin}/{RECIPE_FILE}" if origin != "builtin" else f"devenv_recipes/{folder.name}/{RECIPE_FILE}"
    text = decode(Path(where), folder.joinpath(RECIPE_FILE).read_bytes())
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        syntax = locate_syntax_error(exc, text)
        raise UsageError(f"{where}:{syntax.line}: not valid TOML: {syntax.message}") from None
    try:
        recipe = Recipe.model_validate({**data, "origin": origin})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
                             for e in exc.errors())
        raise UsageError(f"{where}: not a valid recipe: {problems}") from None
    if recipe.name != folder.name:
        raise UsageError(f"{where}: the recipe is named {recipe.name!r} but its folder is {folder.name!r}",
                         hint="a recipe's name and its folder's name must be the same")
    return recipe


def discover(environ: dict | None = None) -> dict[str, Source]:
    """Every recipe by name. User folders come first (in order) and win over the builtin ones."""
    found: dict[str, Source] = {}
    roots: list[tuple[Traversable, str | None]] = [(folder, str(folder)) for folder in user_folders(environ)]
    roots.append((resources.files("devenv_recipes"), None))
    for root, label in roots:
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir(), key=lambda f: f.name):
            if folder.name in found or not folder.is_dir() or not folder.joinpath(RECIPE_FILE).is_file():
                continue
            origin = f"{label}/{folder.name}" if label else "builtin"
            found[folder.name] = Source(_load_one(folder, origin), folder)
    return found


def get(sources: dict[str, Source], name: str) -> Source:
    if name not in sources:
        close = difflib.get_close_matches(name, list(sources), n=1)
        raise UsageError(f"unknown recipe {name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""),
                         hint="`devenv recipes` lists them")
    return sources[name]


# -- parameters -----------------------------------------------------------------------------------

def resolve_params(recipe: Recipe, given: dict[str, object], *, context: dict[str, Any]) -> dict[str, ParamValue]:
    """Defaults, then `given` (detected values and --set), each coerced to its type. String
    defaults that hold `{{ … }}` are rendered with the resolved values of the others."""
    values: dict[str, ParamValue] = {}
    for name, value in given.items():
        if name not in recipe.params:
            close = difflib.get_close_matches(name, list(recipe.params), n=1)
            raise UsageError(f"recipe {recipe.name} has no parameter {name!r}"
                             + (f" (did you mean {close[0]!r}?)" if close else ""),
                             hint=f"its parameters: {', '.join(recipe.params) or 'none'}")
        try:
            values[name] = coerce(recipe.params[name], value, name=name)
        except ValueError as exc:
            raise UsageError(f"recipe {recipe.name}: {exc}",
                             hint=f"{name}: {recipe.params[name].description}") from None
    env = sandbox()
    pending = {n: p.default for n, p in recipe.params.items() if n not in values}
    for name in [n for n, v in pending.items() if not (isinstance(v, str) and "{{" in v)]:
        values[name] = pending.pop(name)
    for name, template in pending.items():
        values[name] = render_string(env, str(template), {**context, **values}, where=f"{recipe.name}.{name}")
    return {name: values[name] for name in recipe.params}


# -- rendering ------------------------------------------------------------------------------------

def toml_value(value: object, *, literal_dollars: bool = False) -> str:
    """A Python value as a TOML literal (inline tables and arrays included). With
    `literal_dollars`, `$` becomes `$$`, so the manifest's ${VAR} interpolation leaves a
    parameter's value as given (templates write ${VAR} themselves where they mean it)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value.replace("$", "$$") if literal_dollars else value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v, literal_dollars=literal_dollars) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v, literal_dollars=literal_dollars)}"
                                for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def toml_key(key: object) -> str:
    key = str(key)
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def sandbox(loader: BaseLoader | None = None) -> SandboxedEnvironment:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(loader=loader, undefined=StrictUndefined, keep_trailing_newline=True,
                               trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters["toml"] = lambda value: toml_value(value, literal_dollars=True)
    env.filters["tomlkey"] = toml_key
    return env


def render_string(env: Environment, text: str, context: dict[str, Any], *, where: str) -> str:
    from jinja2 import TemplateError

    try:
        return env.from_string(text).render(context)
    except TemplateError as exc:
        raise UsageError(f"recipe {where}: {exc}") from None
    except OverflowError as exc:  # the sandbox's limit on range() and the like
        raise UsageError(f"recipe {where}: {exc}") from None


def _loader(sources: dict[str, Source], own: str) -> FunctionLoader:
    """Template names are `file` (the recipe's own) or `recipe/file` (another recipe's, for
    `{% extends "python/service.toml.j2" %}`)."""
    from jinja2 import FunctionLoader

    def load(template: str) -> tuple[str, str, Callable[[], bool]] | None:
        refuse_outside(template, own)  # raised through jinja2: it is not a template error
        recipe, _, name = template.partition("/") if "/" in template else (own, "", template)
        source = sources.get(recipe)
        if source is None:
            return None
        try:
            text = source.read(name)
        except (TemplateOutside, NotUtf8):  # there, but not to be read: say why, not "no template"
            raise
        except UsageError:
            return None  # jinja2 raises TemplateNotFound
        return text, f"{source.recipe.origin}/{name}", lambda: False

    return FunctionLoader(load)


def render_template(sources: dict[str, Source], recipe: str, template: str, context: dict[str, Any]) -> str:
    """Render one template of `recipe` with `context` in the sandbox."""
    from jinja2 import TemplateError, TemplateNotFound, UndefinedError

    env = sandbox(_loader(sources, recipe))
    try:
        return env.get_template(template).render(context)
    except UndefinedError as exc:
        raise UsageError(f"recipe {recipe}: {template}: {exc.message} (a parameter the template needs is missing)") \
            from None
    except TemplateNotFound as exc:
        raise UsageError(f"recipe {recipe}: no template {exc.name!r}") from None
    except TemplateError as exc:
        lineno = getattr(exc, "lineno", None)  # syntax errors carry one
        line = f" line {lineno}" if lineno else ""
        raise UsageError(f"recipe {recipe}: {template}{line}: {exc}") from None
    except OverflowError as exc:  # the sandbox's limit on range() and the like
        raise UsageError(f"recipe {recipe}: {template}: {exc}") from None
