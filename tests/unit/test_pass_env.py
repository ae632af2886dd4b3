"""`pass_env`: Compose's `environment: [NAME]`. The container gets the variable as the environment
(then .env) has it, and does not have it at all when neither sets it: not the env_file's value,
not the image's ENV (Docker reads a bare name in Env as "remove"; Podman as "take the service's
own", so there it is left out)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from devenv.core.spec import container_spec, resolved_env
from devenv.engine.containers import Containers
from devenv.engine.create_body import container_body
from devenv.errors import DevenvError
from devenv.export.compose import compose_service
from devenv.export.swarm import api_spec, stack_spec
from devenv.manifest.load import load_project
from tests.conftest import run_devenv

MANIFEST = """
[services.web]
image = "busybox:1"
env_file = ["web.env"]
pass_env = ["FROM_SHELL", "FROM_DOTENV", "NOWHERE", "IN_FILE", "OVERRIDDEN"]
env = { OVERRIDDEN = "explicit" }
"""


@pytest.fixture
def project(make_project, monkeypatch):
    for name in ("FROM_SHELL", "FROM_DOTENV", "NOWHERE", "IN_FILE", "OVERRIDDEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FROM_SHELL", "shell")
    root = make_project({"devenv.toml": MANIFEST, ".env": "FROM_DOTENV=dotenv\nFROM_SHELL=loses\n",
                         "web.env": "IN_FILE=file\nKEPT=file\n"})
    return load_project(directory=root)


def test_a_passed_name_takes_the_environment_then_dotenv_and_is_unset_when_neither_has_it(project):
    env, unset = resolved_env(project, project.manifest.services["web"])
    assert env == {"FROM_SHELL": "shell", "FROM_DOTENV": "dotenv", "KEPT": "file", "OVERRIDDEN": "explicit"}
    # IN_FILE: the passthrough wins over the env_file, as Compose's environment does
    assert unset == ["IN_FILE", "NOWHERE"]


def test_an_empty_value_is_a_value(project, monkeypatch):
    monkeypatch.setenv("NOWHERE", "")
    env, unset = resolved_env(project, project.manifest.services["web"])
    assert env["NOWHERE"] == "" and "NOWHERE" not in unset


def test_the_unset_names_come_sorted_whatever_the_order_of_pass_env(make_project, monkeypatch):
    # They are part of the spec, so of its hash: an order that changed from run to run (a set's)
    # would recreate the container at every `up`.
    names = [f"GONE_{c}_T" for c in "HGFEDCBA"]
    for name in names:
        monkeypatch.delenv(name, raising=False)
    root = make_project({"devenv.toml": f'[services.web]\nimage = "busybox:1"\npass_env = {json.dumps(names)}\n'})
    project = load_project(directory=root)
    assert resolved_env(project, project.manifest.services["web"])[1] == sorted(names)


def test_the_spec_holds_the_unset_names_only_when_there_are_some(make_project, monkeypatch):
    monkeypatch.delenv("NOWHERE", raising=False)
    monkeypatch.setenv("HERE", "1")

    def spec_of(extra: str) -> dict:
        root = make_project({"devenv.toml": f'[services.web]\nimage = "busybox:1"\n{extra}'}, name=extra[:12] or "x")
        project = load_project(directory=root)
        return dict(container_spec(project, "web", project.manifest.services["web"], "sha256:1", image_ref="x"))

    plain = spec_of("")
    assert "unset_env" not in plain  # so no container made before pass_env is recreated
    assert spec_of('pass_env = ["HERE"]') == {**plain, "env": {"HERE": "1"}}
    assert spec_of('pass_env = ["NOWHERE"]') == {**plain, "unset_env": ["NOWHERE"]}


@pytest.mark.parametrize(("podman", "env"), [(False, ["A=1", "GONE"]), (True, ["A=1"]), (None, ["A=1", "GONE"])])
def test_docker_gets_the_unset_names_bare_and_podman_does_not(podman, env):
    spec = {"image": "busybox:1", "command": None, "entrypoint": None, "env": {"A": "1"}, "unset_env": ["GONE"],
            "mounts": [], "ports": [], "workdir": None, "user": None, "healthcheck": None, "restart": "no",
            "init": True, "stop_timeout": 10.0, "aliases": ["web"]}
    engine = {} if podman is None else {"unset_env": not podman}  # None: the default, Docker's reading
    body = container_body(spec, labels={}, network="n", host_gateway="host-gateway",  # type: ignore[arg-type]
                          **engine)
    assert body["Env"] == env


@pytest.mark.parametrize("podman", [False, True])
def test_create_asks_for_the_bare_names_only_of_docker(podman):
    class Engine(Containers):
        is_podman = podman  # what /version would have said

        def _host_gateway(self, network: str) -> str:
            return "gw"

        def _raw_call(self, method: str, path: str, what: str, **kwargs: Any) -> Any:
            sent.append(kwargs["payload"])
            return {"Id": "c1"}

    sent: list[dict] = []
    spec = {"image": "busybox:1", "command": None, "entrypoint": None, "env": {"A": "1"}, "unset_env": ["GONE"],
            "mounts": [], "ports": [], "workdir": None, "user": None, "healthcheck": None, "restart": "no",
            "init": True, "stop_timeout": 10.0, "aliases": ["web"]}
    engine = object.__new__(Engine)  # no connection: only create's own part runs
    assert engine.create(name="p-web-1", spec=spec, labels={}, network="n") == "c1"  # type: ignore[arg-type]
    assert sent[0]["Env"] == (["A=1"] if podman else ["A=1", "GONE"])


def test_the_compose_export_writes_a_passthrough_and_the_swarm_spec_the_bare_name(project, monkeypatch):
    svc = project.manifest.services["web"]
    out = compose_service(project, "web", svc, base=project.root, image="busybox:1")
    assert out["environment"] == {"FROM_SHELL": None, "FROM_DOTENV": None, "NOWHERE": None, "IN_FILE": None,
                                  "OVERRIDDEN": "explicit"}
    spec = api_spec("p", "web", stack_spec(project, "web", svc, "busybox:1"), {})
    env = spec["TaskTemplate"]["ContainerSpec"]["Env"]
    assert "IN_FILE" in env and "NOWHERE" in env and "FROM_SHELL=shell" in env


@pytest.mark.parametrize("bad", ['["A=B"]', '[""]', '["A B"]', '[" A"]', '"A"', "[1]"])
def test_a_name_that_cannot_be_a_variable_is_refused_where_it_is(make_project, bad):
    root = make_project({"devenv.toml": f'[services.web]\nimage = "busybox:1"\npass_env = {bad}\n'})
    with pytest.raises(DevenvError) as caught:
        load_project(directory=root)
    assert "pass_env" in caught.value.message
    result = run_devenv("config", cwd=root)
    assert result.code == 2 and "Traceback" not in result.err and "pass_env" in result.err
