"""Claims that hold for every input, checked with hypothesis:

- changing any one field of a container spec changes its hash, and every field of a service that
  reaches the container does reach its spec (the field lists are read from the spec and the model
  themselves, so a new field cannot be forgotten);
- parsing a manifest, printing it (`devenv config`) and parsing the print gives the same manifest.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from devenv.core.spec import container_spec, spec_hash
from devenv.manifest.load import load_project
from devenv.manifest.model import Healthcheck, Service

# -- the spec hash --------------------------------------------------------------------------------

SPEC_PROJECT = {"project": {"name": "p"}, "services": {"web": {
    "image": "x", "command": "serve", "entrypoint": ["sh", "-c"], "workdir": "/app", "user": "1000",
    "env": {"A": "1"}, "env_file": ["web.env"], "ports": ["8000:80"], "mounts": ["./src:/src", "data:/data"],
    "healthcheck": {"test": "true"}, "restart": "always", "init": False, "stop_timeout": "3s"}}}


def base_spec(root: Path, table: dict | None = None) -> dict:
    (root / "web.env").write_text("FROM_FILE=1\n")
    (root / "devenv.toml").write_text(tomli_w.dumps(table or SPEC_PROJECT))
    project = load_project(directory=root, environ={})
    return container_spec(project, "web", project.manifest.services["web"], "sha256:1", image_ref="x")


json_leaves = st.one_of(st.none(), st.booleans(), st.integers(-5, 70000), st.floats(allow_nan=False),
                        st.text(max_size=8))
json_values = st.recursive(json_leaves, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=6)


def spec_paths(spec: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in the spec: each key, each nested key, each list entry."""
    paths = [prefix] if prefix else []
    if isinstance(spec, dict):
        for key, value in spec.items():
            paths += spec_paths(value, (*prefix, key))
    elif isinstance(spec, list):
        for index, value in enumerate(spec):
            paths += spec_paths(value, (*prefix, index))
    return paths


def replaced(spec: dict, path: tuple, value: Any) -> dict:
    out = copy.deepcopy(spec)
    holder = out
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = value
    return out


def lookup(spec: Any, path: tuple) -> Any:
    for part in path:
        spec = spec[part]
    return spec


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_changing_any_one_field_of_a_spec_changes_its_hash(data):
    with tempfile.TemporaryDirectory() as folder:
        spec = base_spec(Path(folder))
    paths = spec_paths(spec)
    assert {p[0] for p in paths} == set(spec)  # every top-level field is a candidate
    path = data.draw(st.sampled_from(paths))
    value = data.draw(json_values)
    assume(value != lookup(spec, path) or type(value) is not type(lookup(spec, path)))
    assert spec_hash(replaced(spec, path, value)) != spec_hash(spec), path


def test_spec_hash_is_the_canonical_digest_of_the_whole_spec():
    with tempfile.TemporaryDirectory() as folder:
        spec = base_spec(Path(folder))
    reordered = dict(reversed(list(spec.items())))
    assert spec_hash(reordered) == spec_hash(spec)
    assert spec_hash({**spec, "extra": None}) != spec_hash(spec)
    assert len(spec_hash(spec)) == 64


# Fields of a service that make no container (or reach it another way), and why.
NOT_IN_SPEC = {
    "image": "reaches the spec as the image ID the engine resolved it to",
    "build": "reaches the spec as the ID of the image built from it",
    "depends_on": "decides the order, not the container",
    "scale": "decides how many containers, not what each is",
    "profiles": "decides whether the service runs at all",
    "watch": "decides what watch mode does",
    "provision": "has its own hash, the provision hash",
    "provision_inputs": "has its own hash, the provision hash",
}
HEALTHCHECK_CHANGES = [  # the base is {"test": "true"}: each example changes one field
    {"test": "false"}, {"test": ["CMD", "true"]}, {"test": "true", "interval": "3s"},
    {"test": "true", "timeout": "1s"}, {"test": "true", "retries": 2}, {"test": "true", "start_period": "1s"}]
# For every other field: a value unlike the base's.
CHANGES = {
    "command": st.lists(st.text("abc -", min_size=1, max_size=4), min_size=1, max_size=3).filter(
        lambda v: v != ["serve"]),
    "entrypoint": st.lists(st.text("abc", min_size=1, max_size=3), min_size=1, max_size=2),
    "workdir": st.sampled_from(["/", "/srv", "/app/x"]),
    "user": st.sampled_from(["root", "0:0", "1001"]),
    "env": st.dictionaries(st.sampled_from(["A", "B", "FROM_FILE"]), st.text("0123", max_size=2), min_size=1)
    .filter(lambda v: {"FROM_FILE": "1", **v} != {"FROM_FILE": "1", "A": "1"}),  # as the container sees it
    "env_file": st.just(["other.env"]),
    # set nowhere here: taken out of the container (FROM_FILE from the env_file's values)
    "pass_env": st.sampled_from([["FROM_FILE"], ["DEVENV_TEST_NEVER_SET"], ["A", "DEVENV_TEST_NEVER_SET"]]),
    "ports": st.lists(st.sampled_from(["8001:80", "8000:81", "0.0.0.0:8000:80", "8000:80/udp", "80"]),
                      min_size=0, max_size=1),
    "mounts": st.lists(st.sampled_from(["./src:/src:ro", "./other:/src", "data:/elsewhere", "more:/data"]),
                       min_size=0, max_size=2, unique=True),
    "healthcheck": st.one_of(st.none(), st.sampled_from(HEALTHCHECK_CHANGES)),
    "restart": st.sampled_from(["no", "on-failure", "unless-stopped"]),
    "init": st.just(True),
    "stop_timeout": st.sampled_from(["1s", "10s", 4]),
    "stop_signal": st.sampled_from(["SIGINT", "quit", 9]),
    "http": st.sampled_from([8000, {"port": 9000, "hosts": ["x.localhost"]}, {"port": 80, "https": False}]),
}


def test_every_service_field_is_either_in_the_spec_or_named_as_not():
    assert set(CHANGES) | set(NOT_IN_SPEC) == set(Service.model_fields)
    assert not set(CHANGES) & set(NOT_IN_SPEC)


def test_every_healthcheck_field_is_changed_by_some_example():
    changed = {key for example in HEALTHCHECK_CHANGES for key in example if example[key] != "true"}
    assert changed == set(Healthcheck.model_fields)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(sorted(CHANGES)), data=st.data())
def test_changing_any_one_service_field_that_reaches_the_container_changes_the_hash(field, data):
    value = data.draw(CHANGES[field])
    table = copy.deepcopy(SPEC_PROJECT)
    if value is None:
        del table["services"]["web"][field]
    else:
        table["services"]["web"][field] = value
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "other.env").write_text("FROM_FILE=2\n")
        (root / "other").mkdir()
        before = spec_hash(base_spec(root))
        after = spec_hash(base_spec(root, table))
    assert before != after, (field, value)


def test_the_spec_resolves_bind_mounts_and_names_volumes_by_project():
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        spec = base_spec(root)
    assert spec["mounts"] == [
        {"type": "volume", "source": "p.data", "target": "/data", "read_only": False},
        {"type": "bind", "source": str(root / "src"), "target": "/src", "read_only": False}]
    assert spec["image"] == "sha256:1" and spec["healthcheck"]["start_period"] == 0.0


def test_the_provision_hash_covers_the_content_of_its_inputs():
    from devenv.core.spec import provision_hash

    table = copy.deepcopy(SPEC_PROJECT)
    table["services"]["web"].update(provision=["pip install -r req.txt"], provision_inputs=["req.txt"])
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "req.txt").write_text("a==1\n")
        base_spec(root, table)
        project = load_project(directory=root, environ={})
        first = provision_hash(project, project.manifest.services["web"])
        (root / "req.txt").write_text("a==2\n")
        assert provision_hash(project, project.manifest.services["web"]) != first != ""


def test_the_provision_hash_leaves_out_ignored_files_unless_an_input_names_them():
    """Inputs follow the ignore rules (a dependency folder, .devenvignore), except where an input
    names an ignored folder on purpose."""
    from devenv.core.spec import provision_hash

    table = copy.deepcopy(SPEC_PROJECT)
    table["services"]["web"].update(provision=["make"], provision_inputs=["**/*.txt"])
    table["services"]["node"] = {"image": "x", "provision": ["npm ci"], "provision_inputs": ["node_modules/**"]}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for rel in ("req.txt", "node_modules/pkg/notes.txt", "scratch/x.txt"):
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text("1")
        (root / ".devenvignore").write_text("scratch/\n")
        base_spec(root, table)
        project = load_project(directory=root, environ={})
        web, node = project.manifest.services["web"], project.manifest.services["node"]
        first_web, first_node = provision_hash(project, web), provision_hash(project, node)
        (root / "node_modules/pkg/notes.txt").write_text("2")
        (root / "scratch/x.txt").write_text("2")
        assert provision_hash(project, web) == first_web  # both folders are ignored for `**/*.txt`
        assert provision_hash(project, node) != first_node  # named on purpose: hashed
        (root / "req.txt").write_text("2")
        assert provision_hash(project, web) != first_web


def test_env_wins_over_env_file():
    table = copy.deepcopy(SPEC_PROJECT)
    table["services"]["web"]["env"] = {"FROM_FILE": "from-env"}
    with tempfile.TemporaryDirectory() as folder:
        assert base_spec(Path(folder), table)["env"] == {"FROM_FILE": "from-env"}


@pytest.mark.parametrize("field, documented", [("interval", 2.0), ("timeout", 5.0), ("retries", 30),
                                               ("start_period", 0.0)])
def test_healthcheck_defaults_are_the_documented_ones(field, documented):
    """README: `interval` (2s), `timeout` (5s), `retries` (30), `start_period` (0s)."""
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    shown = {2.0: "(2s)", 5.0: "(5s)", 30: "(30)", 0.0: "(0s)"}[documented]
    assert f"`{field}` {shown}" in readme
    assert getattr(Healthcheck(test="true"), field) == documented


# -- parse, print, parse --------------------------------------------------------------------------

text = st.one_of(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
                 st.sampled_from(["$$", "$${HOME}", "cost: $5", "a\\b", "'\"", "#x"]))
names = st.from_regex(r"[a-z][a-z0-9_-]{0,6}", fullmatch=True)
durations = st.one_of(st.sampled_from(["1s", "500ms", "1m30s", "2h"]), st.integers(0, 100))
# image references the engine takes (manifest/model.py checks the grammar)
images = st.one_of(st.from_regex(r"[a-z0-9]{1,6}(/[a-z0-9]{1,6})?(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,5})?", fullmatch=True),
                   st.sampled_from(["127.0.0.1:5000/team/api:1", "ghcr.io/o/n@sha256:" + "a" * 64]))
services = st.fixed_dictionaries({"image": images}, optional={
    "command": st.one_of(st.lists(text, max_size=3), st.just("python -m http.server 8000")),
    "entrypoint": st.lists(text, min_size=1, max_size=2),
    "workdir": text,
    "user": st.sampled_from(["host", "1000:1000", "root"]),
    "env": st.dictionaries(st.from_regex(r"[A-Z_][A-Z0-9_]{0,5}", fullmatch=True),
                           st.one_of(text, st.integers(-9, 9), st.booleans()), max_size=3),
    "pass_env": st.lists(st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,5}", fullmatch=True), max_size=2),
    "ports": st.lists(st.sampled_from(["80", "8000:80", "127.0.0.2:8001:80/udp", "[::1]:8002:80"]), unique=True,
                      max_size=2),
    "mounts": st.lists(st.sampled_from(["./src:/src", "data:/data:ro", "~/x:/x"]), unique_by=lambda m: m.split(":")[1],
                       max_size=2),
    "healthcheck": st.fixed_dictionaries({"test": st.one_of(text, st.lists(text, min_size=1, max_size=2))},
                                         optional={"interval": durations, "retries": st.integers(1, 9)}),
    "restart": st.sampled_from(["no", "always"]),
    "init": st.booleans(),
    "stop_timeout": durations,
    "profiles": st.lists(names, max_size=2),
    "provision": st.lists(text, max_size=2),
    "build": st.one_of(st.just("."), st.fixed_dictionaries({"context": st.just("app")}, optional={
        "args": st.dictionaries(names, text, max_size=2), "target": names})),
    "watch": st.lists(st.fixed_dictionaries({"paths": st.lists(text.filter(bool), min_size=1, max_size=2),
                                             "action": st.sampled_from(["restart", "rebuild"])}), max_size=1),
})
manifests = st.fixed_dictionaries({"project": st.fixed_dictionaries({"name": names}),
                                   "services": st.dictionaries(names, services, min_size=1, max_size=3)})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifest=manifests)
def test_parse_print_parse_gives_the_same_manifest(manifest):
    from devenv.cli.commands.config import config_text

    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder) / "a", Path(folder) / "b"
        first.mkdir()
        second.mkdir()
        (first / "devenv.toml").write_text(tomli_w.dumps(manifest))
        try:
            parsed = load_project(directory=first, environ={})
        except Exception:
            assume(False)  # not a valid manifest (e.g. a ${VAR} that is not set): nothing to print
            raise
        (second / "devenv.toml").write_text(config_text(parsed))
        again = load_project(directory=second, environ={})
    assert again.manifest == parsed.manifest
    assert again.name == parsed.name
