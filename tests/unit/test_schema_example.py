"""The committed JSON Schema matches `devenv schema`; the example manifest validates; arbitrary
TOML never makes `devenv config` raise anything but the manifest error type."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devenv.cli.commands.config import schema_text
from devenv.cli.main import main
from devenv.errors import ManifestError, UsageError
from devenv.manifest.load import load_project

REPO = Path(__file__).resolve().parents[2]


def test_committed_schema_is_current():
    committed = (REPO / "devenv.schema.json").read_text()
    assert committed == schema_text(), "run `devenv schema > devenv.schema.json`"


def test_schema_command_prints_valid_json(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(schema["properties"]) == {"project", "services"}
    assert "healthcheck" in schema["$defs"]["Service"]["properties"]


def test_example_manifest_validates(tmp_path):
    shutil.copy(REPO / "devenv.toml.example", tmp_path / "devenv.toml")
    (tmp_path / "src").mkdir()
    project = load_project(directory=tmp_path, environ={})
    keys = set()
    for svc in project.manifest.services.values():
        keys |= set(svc.model_fields_set)
    from devenv.manifest.model import Service

    assert keys == set(Service.model_fields), "the example shows every service key"


def test_config_prints_resolved_toml_and_json(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "devenv.toml").write_text('[services.web]\nimage = "x"\nenv = { A = "${A:-1}" }\n')
    assert main(["config", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["services"]["web"]["env"] == {"A": "1"}
    assert data["project"]["name"] == tmp_path.name.lower().replace("_", "-")
    assert main(["config"]) == 0
    assert 'A = "1"' in capsys.readouterr().out


toml_scalars = st.one_of(st.text(max_size=8), st.integers(-5, 70000), st.booleans(), st.floats(allow_nan=False))
toml_values = st.recursive(toml_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=3), max_leaves=6)
service_keys = st.sampled_from(["image", "build", "command", "entrypoint", "workdir", "user", "env", "env_file",
                                "ports", "mounts", "depends_on", "healthcheck", "provision", "provision_inputs",
                                "scale", "restart", "init", "stop_timeout", "profiles", "watch", "imag"])
services = st.dictionaries(st.sampled_from(["web", "db", "Bad Name"]),
                           st.dictionaries(service_keys, toml_values, max_size=5), max_size=3)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(services=services, project=st.dictionaries(st.sampled_from(["name", "requires", "x"]), toml_values, max_size=2))
def test_arbitrary_manifests_only_raise_manifest_errors(tmp_path_factory, services, project):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "devenv.toml").write_text(tomli_w.dumps({"project": project, "services": services}))
    try:
        load_project(directory=root, environ={})
    except (ManifestError, UsageError) as exc:
        assert str(exc)


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("[]=\"'.{},\n abc123_-#:$")), max_size=80))
def test_arbitrary_text_only_raises_manifest_errors(tmp_path_factory, text):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "devenv.toml").write_text(text)
    try:
        load_project(directory=root, environ={})
    except (ManifestError, UsageError) as exc:
        assert str(exc)
