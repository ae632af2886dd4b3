"""`devenv init --from compose.yaml` on Compose's own documented examples (tests/unit/compose_examples,
each with its SOURCE): every key with a devenv twin is carried over, the rest is named in a note,
and the manifest validates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from devenv.cli.commands.init import from_compose
from devenv.errors import UsageError
from devenv.init import compose
from devenv.init.compose_load import find_compose, interpolation
from devenv.manifest.load import load_project

EXAMPLES = Path(__file__).parent / "compose_examples"


def place(tmp_path: Path, example: str, *extra_files: str) -> Path:
    """The example as proj/compose.yaml, with the files beside it in the folder of its name."""
    folder = tmp_path / "proj"
    folder.mkdir(exist_ok=True)
    shutil.copy(EXAMPLES / example, folder / "compose.yaml")
    side = EXAMPLES / example.removesuffix(".yaml")
    for path in side.glob("*.yaml") if side.is_dir() else []:
        shutil.copy(path, folder / path.name)
    for rel in extra_files:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text("")
    return folder


def convert(tmp_path: Path, example: str, *extra_files: str, files=("compose.yaml",), environ=None):
    folder = place(tmp_path, example, *extra_files)
    result = from_compose(folder, list(files), project_name=None)
    (folder / "devenv.toml").write_text(result.files["devenv.toml"])
    project = load_project(files=[folder / "devenv.toml"], directory=folder,
                           environ=environ or {"POSTGRES_USER": "u", "POSTGRES_DB": "d"})
    return result, project.manifest.services


def convert_text(tmp_path: Path, text: str, environ=None, **files: str):
    """An inline Compose file (and files beside it), converted and loaded."""
    folder = tmp_path / "inline"
    folder.mkdir(exist_ok=True)
    (folder / "compose.yaml").write_text(text)
    for rel, content in files.items():
        (folder / rel).write_text(content)
    converted = compose.convert([folder / "compose.yaml"], root=folder)
    (folder / "devenv.toml").write_text(compose.render(converted, header="", sources=["compose.yaml"]))
    project = load_project(files=[folder / "devenv.toml"], directory=folder, environ=environ or {})
    return converted, project.manifest.services


# Documented examples that Compose itself refuses: the conversion says why, in one sentence.
REFUSED = {"extends-additional.yaml": "depends on 'queue', which the Compose file does not define",
           "extends-same-file.yaml": "'webapp' has neither image nor build",
           "extension-example-3.yaml": "depends on 'gateway', which the Compose file does not define",
           "spec-build-additional-contexts.yaml": "line 10: 'base' is given twice in one mapping",
           "spec-fragments-3.yaml": "volume 'db-data' is a container path that is not absolute",
           "spec-runtime.yaml": "command is true, where Compose expects a string or a list",
           # ... and one that Compose builds but devenv cannot: it says so.
           "spec-build-dockerfile-inline.yaml": "builds from an inline Dockerfile"}
# Files an example names, made empty beside it.
EXTRA_FILES = {"spec-env-file.yaml": (".env", "a.env", "b.env", "default.env")}
# Variables an example requires (`${VARIABLE:?err}`): Compose stops without them too.
ENVIRON = {"spec-interpolation-syntax.yaml": {"VARIABLE": "v"}}
# Needs the variable set to load (Compose too: an empty volume source is an error).
NEEDS_VARIABLE = {"plex.yaml"}


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_documented_example_converts_into_a_valid_manifest(tmp_path, example):
    assert (EXAMPLES / example).read_text().startswith(("# SOURCE: https://github.com/docker/",
                                                        "# SOURCE: https://github.com/compose-spec/"))
    if example in REFUSED:
        with pytest.raises(UsageError, match=REFUSED[example]):
            convert(tmp_path, example)
        return
    if example in NEEDS_VARIABLE:
        return  # test_plex_converts_and_says_which_variable_it_needs
    _, services = convert(tmp_path, example, *EXTRA_FILES.get(example, ()), environ=ENVIRON.get(example))
    assert services


def test_depends_on_conditions_and_healthcheck_carry_over(tmp_path):
    result, services = convert(tmp_path, "startup-order.yaml")
    assert services["web"].depends_on == {"db": "healthy", "redis": "started"}
    assert services["web"].build.context == "."
    check = services["db"].healthcheck
    assert check.test == ["CMD-SHELL", "pg_isready -U u -d d"]
    assert (check.interval, check.timeout, check.retries, check.start_period) == (10, 10, 5, 30)
    assert any("restart: true" in n for n in result.notes)


def test_develop_watch_becomes_watch_rules(tmp_path):
    _, services = convert(tmp_path, "file-watch-1.yaml", "package.json")
    sync, rebuild = services["web"].watch
    assert (sync.action, sync.paths, sync.target) == ("sync", ["web/**"], "/src/web")
    assert "web/node_modules/**" in sync.ignore
    assert (rebuild.action, rebuild.paths) == ("rebuild", ["package.json"])
    assert services["web"].command == ["npm", "start"]


def test_sync_restart_is_a_sync_then_a_restart_and_build_target_is_kept(tmp_path):
    _, services = convert(tmp_path, "file-watch-2.yaml", "proxy/nginx.conf")
    actions = [(r.action, r.paths) for r in services["web"].watch]
    assert ("sync", ["proxy/nginx.conf"]) in actions and ("restart", ["proxy/nginx.conf"]) in actions
    assert services["backend"].build.context == "./backend"
    assert services["backend"].build.target == "builder"


def test_profiles_carry_over(tmp_path):
    _, services = convert(tmp_path, "profiles.yaml")
    assert services["db-migrations"].profiles == ["tools"]
    assert services["db-migrations"].command == ["myapp", "migrate"]
    assert services["db-migrations"].depends_on == {"db": "started"}
    assert not services["backend"].profiles


def test_volumes_env_restart_user_and_unsupported_keys(tmp_path):
    result, services = convert(tmp_path, "nginx-golang-postgres.yaml")
    db, proxy = services["db"], services["proxy"]
    assert db.mounts == ["db-data:/var/lib/postgresql", "./db/password.txt:/run/secrets/db-password:ro"]
    assert db.env["POSTGRES_DB"] == "example"
    assert (db.restart, db.user) == ("always", "postgres")
    assert proxy.mounts == ["./proxy/nginx.conf:/etc/nginx/conf.d/default.conf:ro"]
    assert proxy.ports == ["80:80"]
    joined = "\n".join(result.notes)
    assert "expose" in joined


def test_service_names_are_normalised_and_references_follow(tmp_path):
    result, services = convert(tmp_path, "react-express-mongodb.yaml")
    assert set(services) == {"frontend", "backend", "db"}
    assert services["backend"].depends_on == {"db": "started"}
    assert services["frontend"].mounts == ["./frontend:/app"]
    assert any("renamed from 'Backend'" in n for n in result.notes)


def test_compose_interpolation_is_rewritten_to_devenv_semantics():
    assert interpolation("$HOME/x") == "${HOME:-}/x"
    assert interpolation("${A}") == "${A:-}"
    assert interpolation("${A:-b}") == "${A:-b}"
    assert interpolation("$$HOME") == "$$HOME"


def test_a_compose_file_in_a_subfolder_keeps_its_paths_right(tmp_path):
    folder = tmp_path / "proj"
    (folder / "deploy").mkdir(parents=True)
    (folder / "deploy" / "compose.yaml").write_text(
        "services:\n  web:\n    build: ..\n    volumes: ['../src:/app/src', 'data:/data']\n    env_file: .env\n")
    (folder / "deploy" / ".env").write_text("A=1\n")
    result = from_compose(folder, ["deploy/compose.yaml"], project_name=None)
    text = result.files["devenv.toml"]
    assert 'build = "."' in text and '"./src:/app/src"' in text and '"./deploy/.env"' in text


@pytest.mark.parametrize(("default", "override", "chosen"), [
    ("services:\n  app:\n    image: ghcr.io/o/app:latest\n", None, ["compose.dev.yml"]),
    ("services:\n  app:\n    build: .\n", None, ["docker-compose.yml"]),  # the default builds too
    ("services:\n  app:\n    image: o/app\n", "services:\n  app:\n    build: .\n",
     ["docker-compose.yml", "docker-compose.override.yml"]),  # so does its override
])
def test_a_default_file_of_released_images_gives_way_to_the_development_one(tmp_path, default, override, chosen):
    # Claper: docker-compose.yml pulls the released image, compose.dev.yml builds Dockerfile.dev.
    (tmp_path / "docker-compose.yml").write_text(default)
    if override:
        (tmp_path / "docker-compose.override.yml").write_text(override)
    (tmp_path / "compose.dev.yml").write_text("services:\n  app:\n    build:\n      context: .\n"
                                               "      dockerfile: Dockerfile.dev\n")
    assert find_compose(tmp_path) == chosen
    (tmp_path / "compose.dev.yml").write_text("services:\n  app:\n    image: o/app:dev\n")
    assert find_compose(tmp_path)[0] == "docker-compose.yml"  # a development file that builds nothing


def test_an_override_file_merges_like_compose_does(tmp_path):
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "compose.yaml").write_text("services:\n  web:\n    image: app\n    environment: [A=1, B=2]\n"
                                         "    ports: ['8000:8000']\n")
    (folder / "compose.override.yaml").write_text("services:\n  web:\n    environment:\n      B: '3'\n"
                                                  "    ports: ['5678:5678']\n")
    assert find_compose(folder) == ["compose.yaml", "compose.override.yaml"]
    text = from_compose(folder, find_compose(folder), project_name=None).files["devenv.toml"]
    assert 'A = "1"' in text and 'B = "3"' in text and '"5678:5678"' in text and '"8000:8000"' in text


def test_not_a_compose_file_is_a_usage_error(tmp_path):
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "compose.yaml").write_text("just: text\n")
    with pytest.raises(UsageError, match="not a Compose file"):
        from_compose(folder, ["compose.yaml"], project_name=None)
    with pytest.raises(UsageError, match="no such file"):
        from_compose(folder, ["nope.yaml"], project_name=None)


def test_required_variables_do_not_stop_the_conversion(tmp_path):
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "compose.yaml").write_text("services:\n  db:\n    image: postgres\n    environment:\n"
                                         "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}\n")
    text = from_compose(folder, ["compose.yaml"], project_name=None).files["devenv.toml"]
    assert "${POSTGRES_PASSWORD:?set it}" in text


# -- what checking more of Compose's documented examples found ---------------------------------------

def test_tcp_and_udp_on_one_host_port_are_no_clash(tmp_path):
    result, services = convert(tmp_path, "elasticsearch-logstash-kibana.yaml")
    assert services["logstash"].ports == ["5000:5000", "5000:5000/udp", "5044:5044", "9600:9600"]
    _, services = convert(tmp_path, "pihole-cloudflared-doh.yaml")
    assert services["pihole"].ports[:3] == ["53:53", "53:53/udp", "67:67/udp"]
    assert not any("already published" in n for n in result.notes)


def test_a_host_port_two_services_publish_still_moves_on(tmp_path):
    result, services = convert(tmp_path, "react-express-mongodb.yaml")
    assert services["frontend"].ports == ["3000:3000"] and services["backend"].ports == ["3001:3000"]
    assert any("3000/tcp is already published: 3001" in n for n in result.notes)


# services.md, "ports", "Short syntax" and "Long syntax" (commit 008eaf6), in one service.
PORTS = """services:
  web:
    image: nginx
    ports:
      - "3000"
      - "3000-3005"
      - "8000:8000"
      - "9090-9091:8080-8081"
      - "49100:22"
      - "8000-9000:80"
      - "127.0.0.1:8001:8001"
      - "127.0.0.1:5000-5010:5000-5010"
      - "::1:6000:6000"
      - "[::1]:6001:6001"
      - "6060:6060/udp"
      - name: web
        target: 80
        host_ip: 127.0.0.1
        published: "8080"
        protocol: tcp
        app_protocol: http
        mode: host
      - target: 443
        host_ip: "::1"
"""


def test_every_documented_port_syntax_converts(tmp_path):
    converted, services = convert_text(tmp_path, PORTS)
    ports = services["web"].ports
    assert ports[:7] == ["3000", "3000", "3001", "3002", "3003", "3004", "3005"]  # a range is every port of it
    assert "9090:8080" in ports and "9091:8081" in ports and "49100:22" in ports
    assert "80" in ports  # a host port range: the engine picks the host port
    assert "127.0.0.1:5000:5000" in ports and "127.0.0.1:5010:5010" in ports
    assert "[::1]:6000:6000" in ports and "[::1]:6001:6001" in ports and "6060:6060/udp" in ports
    assert "127.0.0.1:8080:80" in ports and "[::1]::443" in ports
    notes = "\n".join(converted.notes)
    assert "app_protocol, mode, name not supported" in notes and "host port range" in notes


def test_a_variable_in_a_mount_or_port_keeps_its_default_and_colons(tmp_path):
    folder = place(tmp_path, "plex.yaml")
    converted = compose.convert([folder / "compose.yaml"], root=folder)
    assert converted.services["plex"]["mounts"] == ["${PLEX_MEDIA_PATH:-}:/media/"]
    assert any("network_mode" in n for n in converted.notes)
    converted, services = convert_text(tmp_path, "services:\n  web:\n    image: nginx\n"
                                                 "    ports: ['${WEB_PORT:-8080}:80']\n"
                                                 "    volumes: ['${DATA:-./data}:/data:ro']\n")
    assert converted.services["web"]["ports"] == ["${WEB_PORT:-8080}:80"]
    assert (services["web"].ports, services["web"].mounts) == (["8080:80"], ["./data:/data:ro"])


def test_file_secrets_and_configs_are_read_only_mounts_as_in_compose(tmp_path):
    result, services = convert(tmp_path, "secrets-advanced.yaml")
    assert services["db"].mounts == ["db_data:/var/lib/mysql",
                                     "./db_root_password.txt:/run/secrets/db_root_password:ro",
                                     "./db_password.txt:/run/secrets/db_password:ro"]
    assert services["wordpress"].mounts == ["./db_password.txt:/run/secrets/db_password:ro"]
    result, services = convert(tmp_path, "services-secrets-long.yaml")
    assert services["frontend"].mounts == ["./server.cert:/run/secrets/server.cert:ro"]
    assert any("gid, mode, uid not supported" in n for n in result.notes)
    result, services = convert(tmp_path, "services-configs-short.yaml")
    assert services["redis"].mounts == ["./my_config.txt:/my_config:ro"]
    assert any("my_other_config (from external)" in n for n in result.notes)


def test_reset_and_override_tags_merge_as_in_compose(tmp_path):
    for example, ports, env in (("merge-reset", [], {}), ("merge-override", ["8443:443"], {})):
        folder = tmp_path / example
        shutil.copytree(EXAMPLES / example, folder)
        result = from_compose(folder, ["compose.yaml", "compose.override.yaml"], project_name=None)
        (folder / "devenv.toml").write_text(result.files["devenv.toml"])
        app = load_project(files=[folder / "devenv.toml"], directory=folder, environ={}).manifest.services["app"]
        assert (app.ports, app.env, app.image) == (ports, env, "myapp")


def test_an_override_file_merges_volumes_by_target_and_keeps_dependencies(tmp_path):
    convert_text(tmp_path, "services:\n  db:\n    image: postgres\n  cache:\n    image: redis\n"
                                         "  web:\n    image: app\n    depends_on: [db]\n    volumes: ['foo:/work']\n",
                               **{"compose.override.yaml": "services:\n  web:\n    depends_on:\n      cache:\n"
                                                           "        condition: service_started\n"
                                                           "    volumes: ['bar:/work']\n"})
    converted = compose.convert([tmp_path / "inline" / "compose.yaml", tmp_path / "inline" / "compose.override.yaml"],
                                root=tmp_path / "inline")
    assert converted.services["web"]["mounts"] == ["bar:/work"]
    assert converted.services["web"]["depends_on"] == {"db": "started", "cache": "started"}


def test_extends_brings_in_the_base_service(tmp_path):
    folder = place(tmp_path, "extends-additional.yaml")
    (folder / "compose.yaml").write_text("services:\n  webapp:\n    extends:\n      file: common.yaml\n"
                                         "      service: app\n    command: /code/run_web_app\n"
                                         "  worker:\n    extends: webapp\n    environment: [API_KEY=zzz]\n")
    result = from_compose(folder, ["compose.yaml"], project_name=None)
    (folder / "devenv.toml").write_text(result.files["devenv.toml"])
    services = load_project(files=[folder / "devenv.toml"], directory=folder, environ={}).manifest.services
    assert services["webapp"].build.context == "." and services["webapp"].command == ["/code/run_web_app"]
    assert services["webapp"].env == {"CONFIG_FILE_PATH": "/code/config", "API_KEY": "xxxyyy"}
    assert services["worker"].env["API_KEY"] == "zzz" and services["worker"].command == ["/code/run_web_app"]
    assert any("cpu_shares" in n for n in result.notes)


def test_extends_from_another_folder_rebases_its_paths(tmp_path):
    (tmp_path / "inline" / "commons").mkdir(parents=True)
    (tmp_path / "inline" / "commons" / "compose.yaml").write_text(
        "services:\n  base:\n    build: .\n    env_file: ./container.env\n    volumes: ['./data:/data']\n")
    (tmp_path / "inline" / "commons" / "container.env").write_text("A=1\n")
    _, services = convert_text(tmp_path, "services:\n  webapp:\n    image: example\n    extends:\n"
                                         "      file: commons/compose.yaml\n      service: base\n")
    web = services["webapp"]
    assert (web.build.context, web.env_file, web.mounts) == ("./commons", ["./commons/container.env"],
                                                             ["./commons/data:/data"])


def test_include_brings_in_the_included_services(tmp_path):
    _, services = convert(tmp_path, "gettingstarted-include.yaml")
    assert services["redis"].image == "redis:alpine" and services["web"].ports == ["8000:5000"]


def test_links_order_startup_like_depends_on(tmp_path):
    result, services = convert(tmp_path, "networking-links.yaml")
    assert services["web"].depends_on == {"db": "started"}
    assert any("alias 'database'" in n for n in result.notes)


def test_replacement_interpolation_is_kept_as_compose_reads_it(tmp_path):
    # `${VAR:+x}` and `${VAR+x}` (x when VAR is set) are devenv's interpolation too.
    text = "services:\n  web:\n    image: 'app${TAG:+:latest}'\n    environment: {MODE: '${DEBUG+debug}'}\n"
    _, services = convert_text(tmp_path, text)
    assert services["web"].image == "app" and services["web"].env == {"MODE": ""}
    project = load_project(directory=tmp_path / "inline", environ={"TAG": "1", "DEBUG": ""})
    assert project.manifest.services["web"].image == "app:latest"
    assert project.manifest.services["web"].env == {"MODE": "debug"}


def test_volume_options_devenv_lacks_are_named(tmp_path):
    result, services = convert(tmp_path, "services-volumes-long.yaml")
    assert services["backend"].mounts == ["db-data:/data",
                                          "/var/run/postgres/postgres.sock:/var/run/postgres/postgres.sock"]
    assert any("volume.nocopy, volume.subpath not supported" in n for n in result.notes)
    converted, services = convert_text(tmp_path, "services:\n  web:\n    image: app\n"
                                                 "    volumes: ['./src:/src:ro,z']\n")
    assert services["web"].mounts == ["./src:/src:ro"] and any("option z" in n for n in converted.notes)


def test_replicas_with_a_fixed_host_port_let_the_engine_pick(tmp_path):
    converted, services = convert_text(tmp_path, "services:\n  web:\n    image: app\n    deploy:\n"
                                                 "      replicas: 3\n    ports: ['7000:7000']\n")
    assert (services["web"].ports, services["web"].scale) == (["7000"], 3)
    assert any("cannot serve 3 replicas" in n for n in converted.notes)


def test_build_contexts_devenv_cannot_read_as_written(tmp_path):
    _, services = convert(tmp_path, "build-illustrative.yaml")
    assert services["custom"].build.context == str(Path("~/custom").expanduser())
    assert services["backend"].build.dockerfile == "../backend.Dockerfile"
    converted, services = convert_text(tmp_path, "services:\n  web:\n    image: app\n"
                                                 "    build: https://github.com/mycompany/example.git#main:sub\n")
    assert services["web"].build is None and any("remote repository" in n for n in converted.notes)
    with pytest.raises(UsageError, match="cannot build from"):
        convert_text(tmp_path, "services:\n  web:\n    build: https://github.com/mycompany/example.git\n")


def test_keys_that_lose_a_detail_say_so(tmp_path):
    converted, services = convert_text(tmp_path, "services:\n  web:\n    image: app\n    restart: on-failure:3\n"
                                                 "    healthcheck:\n      interval: 5s\n"
                                                 "    env_file: [{path: ./a.env, format: raw}]\n", **{"a.env": "A=1\n"})
    notes = "\n".join(converted.notes)
    assert services["web"].restart == "on-failure" and "retry limit" in notes
    assert "healthcheck interval without a test" in notes and "format is not supported" in notes


@pytest.mark.parametrize("service", ["build: [a]", "deploy: x", "secrets: x", "develop: [a]", "extends: [a]",
                                     "ports: 8080", "depends_on: {db: 1}"])
def test_a_value_of_the_wrong_type_is_one_clear_error(tmp_path, service):
    with pytest.raises(UsageError, match="where Compose expects"):
        convert_text(tmp_path, f"services:\n  web:\n    image: app\n    {service}\n")


# -- variables, the project name, anonymous volumes -----------------------------------------------

def test_plex_converts_and_says_which_variable_it_needs(tmp_path):
    folder = place(tmp_path, "plex.yaml")
    result = from_compose(folder, ["compose.yaml"], project_name=None)
    assert any("needs PLEX_MEDIA_PATH set" in n for n in result.notes)
    (folder / "devenv.toml").write_text(result.files["devenv.toml"])
    project = load_project(files=[folder / "devenv.toml"], directory=folder,
                           environ={"PLEX_MEDIA_PATH": "/srv/media"})
    assert project.manifest.services["plex"].mounts == ["/srv/media:/media/"]


VARIABLE_PORTS = """services:
  web:
    image: nginx
    ports: ["${PORT:-8000}:80", "${ADMIN_PORT}:81", "${BIND:-127.0.0.1}:${DEBUG_PORT:?set it}:9229",
            {target: 53, published: "${DNS_PORT:-5353}", host_ip: "::1", protocol: udp}]
    volumes: ["${DATA}:/data", "${CACHE:-cache}:/cache"]
    healthcheck:
      test: [CMD, true]
      interval: ${INTERVAL}
  api:
    image: api
    ports: ["8000:8000"]
"""


def test_variable_ports_and_mounts_are_checked_with_their_defaults(tmp_path):
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "compose.yaml").write_text(VARIABLE_PORTS)
    result = from_compose(folder, ["compose.yaml"], project_name=None)
    notes = "\n".join(result.notes)
    assert "needs DEBUG_PORT set" in notes and "needs DATA set" in notes and "needs INTERVAL set" in notes
    assert "needs PORT" not in notes and "ADMIN_PORT" not in notes  # ":81" is valid: the engine picks the host port
    assert "host port 8000/tcp is already published: 8001 instead" in notes  # ${PORT:-8000} holds 8000
    (folder / "devenv.toml").write_text(result.files["devenv.toml"])
    services = load_project(files=[folder / "devenv.toml"], directory=folder,
                            environ={"ADMIN_PORT": "8081", "DEBUG_PORT": "9229", "DATA": "./data",
                                     "INTERVAL": "5s"}).manifest.services
    assert services["web"].ports == ["8000:80", "8081:81", "127.0.0.1:9229:9229", "[::1]:5353:53/udp"]
    assert services["web"].mounts == ["./data:/data", "cache:/cache"]
    assert services["web"].healthcheck.interval == 5
    assert services["api"].ports == ["8001:8000"]


def test_a_converted_file_that_does_not_validate_names_the_compose_service_and_key(tmp_path):
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "compose.yaml").write_text(
        "services:\n  API:\n    image: api\n    ports: ['8000:8000']\n"
        "  Web:\n    image: web\n    ports: ['${PORT:-8000}:80']\n")
    with pytest.raises(UsageError) as caught:
        from_compose(folder, ["compose.yaml"], project_name=None)
    text = str(caught.value) + str(caught.value.hint)
    assert "compose.yaml" in text and "service 'Web', ports" in text and "${PORT:-8000}:80" in text
    assert "--set" not in text and "recipes" not in text


def test_the_top_level_name_names_the_project_unless_one_is_given(tmp_path):
    result, _ = convert(tmp_path, "react-rust-postgres.yaml")
    assert result.project == "react-rust-postgres"
    assert '[project]\nname = "react-rust-postgres"' in result.files["devenv.toml"]
    folder = tmp_path / "proj"  # a folder of another name: the Compose file's name wins
    assert from_compose(folder, ["compose.yaml"], project_name="mine").project == "mine"
    converted, _ = convert_text(tmp_path, "name: My_Shop.dev\nservices:\n  web:\n    image: app\n")
    assert converted.name == "my-shop-dev"
    assert any("'My_Shop.dev' is the project name 'my-shop-dev'" in n for n in converted.notes)


def test_an_anonymous_volume_becomes_a_named_volume_of_its_service(tmp_path):
    result, services = convert(tmp_path, "react-express-mysql.yaml")
    assert services["frontend"].mounts == ["./frontend/src:/code/src", "frontend-node_modules:/code/node_modules"]
    assert any("frontend: anonymous volume at /code/node_modules: the named volume frontend-node_modules" in n
               for n in result.notes)
    # Two paths of one name, a long-syntax one, and a name the file already gives a volume.
    _, services = convert_text(tmp_path, "services:\n  web:\n    image: app\n    volumes:\n"
                                         "      - .:/app\n      - /app/node_modules\n"
                                         "      - /app/web/node_modules\n"
                                         "      - {type: volume, target: /cache, read_only: true}\n"
                                         "      - web-cache:/data\n"
                                         "volumes:\n  web-cache:\n")
    assert services["web"].mounts == [".:/app", "web-node_modules:/app/node_modules",
                                      "web-node_modules-2:/app/web/node_modules", "web-cache-2:/cache:ro",
                                      "web-cache:/data"]


def test_a_compose_file_that_is_not_utf8_is_named_with_its_line(tmp_path):
    from devenv.core.textfiles import NotUtf8

    (tmp_path / "compose.yaml").write_bytes(b'services:\n  web:\n    image: "caf\xe9"\n')
    with pytest.raises(NotUtf8) as info:
        from_compose(tmp_path, ["compose.yaml"], project_name=None)
    (problem,) = info.value.problems
    assert problem.file.endswith("compose.yaml") and problem.line == 3
    assert problem.message.startswith("not valid UTF-8: byte 0xe9")


# -- what checking the Compose Specification's own examples found (compose-spec/compose-spec) ------

def test_a_key_given_twice_in_one_mapping_is_refused_as_compose_refuses_it(tmp_path):
    # build.md's additional_contexts example defines `base` twice; PyYAML kept the second silently.
    with pytest.raises(UsageError, match=r"line 10: 'base' is given twice in one mapping \(first at line 3\)"):
        convert(tmp_path, "spec-build-additional-contexts.yaml")
    # A key that overrides what a `<<` merge brought in is no repeat.
    _, services = convert(tmp_path, "extension-example-4.yaml")
    assert services["frontend"].env["YET_ANOTHER"] == "VARIABLE"


def test_yes_no_on_off_and_base_60_are_text_as_compose_reads_them(tmp_path):
    converted, services = convert_text(tmp_path, "services:\n  web:\n    image: app\n    restart: no\n"
                                                 "    ports:\n      - 22:22\n      - 127.0.0.1:1:1\n"
                                                 "    environment:\n      DEBUG: yes\n      FEATURE: off\n"
                                                 "      SINCE: 2001-12-14t21:59:43.10-05:00\n      N: 0x1f\n")
    web = services["web"]
    assert web.restart == "no" and web.ports == ["22:22", "127.0.0.1:1:1"]
    assert web.env == {"DEBUG": "yes", "FEATURE": "off", "SINCE": "2001-12-14t21:59:43.10-05:00", "N": "31"}
    assert not converted.notes


def test_watch_include_narrows_the_rule_and_ignore_may_be_one_string(tmp_path):
    _, services = convert(tmp_path, "spec-develop-include.yaml")
    (rule,) = services["backend"].watch
    assert (rule.action, rule.paths) == ("rebuild", ["src/*.go"])
    converted, services = convert_text(tmp_path, "services:\n  web:\n    image: app\n    develop:\n      watch:\n"
                                                 "        - {path: ./web, action: sync, target: /app, ignore: tmp/,"
                                                 " include: [lib, '*.py', '!x.py']}\n")
    (rule,) = services["web"].watch
    assert rule.paths == ["web/lib", "web/lib/**", "web/*.py"] and rule.ignore == ["web/tmp", "web/tmp/**"]
    assert any("include exception '!x.py' is not supported" in n for n in converted.notes)


def test_watch_exec_options_devenv_lacks_are_named(tmp_path):
    converted, services = convert_text(tmp_path, "services:\n  web:\n    image: app\n    develop:\n      watch:\n"
                                                 "        - path: ./etc\n          action: sync+exec\n"
                                                 "          target: /etc/app\n          exec:\n"
                                                 "            command: app reload\n            user: root\n")
    assert [r.action for r in services["web"].watch] == ["sync", "exec"]
    assert services["web"].watch[1].exec == ["app", "reload"]
    assert any("exec user not supported" in n for n in converted.notes)


def test_a_stop_grace_period_longer_than_devenv_allows_becomes_the_longest(tmp_path):
    converted, services = convert_text(tmp_path, "services:\n  db:\n    image: postgres\n"
                                                 "    stop_grace_period: 2h\n    healthcheck:\n"
                                                 "      test: [CMD, true]\n      interval: 48h\n")
    assert services["db"].stop_timeout == 3600 and services["db"].healthcheck.interval == 86400
    notes = "\n".join(converted.notes)
    assert "stop_grace_period 2h: longer than devenv allows; 1h instead" in notes
    assert "healthcheck.interval 48h: longer than devenv allows; 24h instead" in notes


def test_a_provider_service_is_left_out_and_so_are_dependencies_on_it(tmp_path):
    result, services = convert(tmp_path, "spec-provider.yaml")
    assert set(services) == {"app"} and services["app"].depends_on == {}
    notes = "\n".join(result.notes)
    assert "database: provider awesomecloud is not supported" in notes
    assert "app: depends_on database: a provider service" in notes


def test_an_inline_dockerfile_is_not_built_from_the_context_s_dockerfile(tmp_path):
    with pytest.raises(UsageError, match="inline Dockerfile") as caught:
        convert(tmp_path, "spec-build-dockerfile-inline.yaml")
    assert "build.dockerfile" in str(caught.value.hint)
    converted, services = convert_text(tmp_path, "services:\n  web:\n    image: app\n    build:\n"
                                                 "      context: .\n      dockerfile_inline: FROM alpine\n")
    assert services["web"].build is None and services["web"].image == "app"
    assert any("dockerfile_inline" in n for n in converted.notes)


def test_a_build_arg_without_a_value_keeps_the_dockerfile_s_default(tmp_path):
    converted, services = convert_text(
        tmp_path, "services:\n  web:\n    build:\n      context: .\n      args: [GIT_COMMIT, BARE, GIT_BRANCH=dev]\n",
        Dockerfile="FROM alpine\nARG GIT_COMMIT=unknown \\\n    BARE\nRUN echo $GIT_COMMIT\n")
    args = services["web"].build.args
    assert args == {"GIT_COMMIT": "unknown", "BARE": "", "GIT_BRANCH": "dev"}
    assert converted.services["web"]["build"]["args"]["GIT_COMMIT"] == "${GIT_COMMIT-unknown}"
    assert not converted.notes
    converted, _ = convert_text(tmp_path, "services:\n  api:\n    build:\n      context: .\n"
                                          "      dockerfile: none.Dockerfile\n      args: [TOKEN]\n")
    assert any("build arg TOKEN has no value" in n for n in converted.notes)


def test_an_anonymous_volume_needs_an_absolute_container_path(tmp_path):
    # fragments.md's Example 3 lists `- db-data`: an anonymous volume at a relative path.
    with pytest.raises(UsageError, match="'db-data' is a container path that is not absolute") as caught:
        convert(tmp_path, "spec-fragments-3.yaml")
    assert "db-data:/path/in/the/container" in str(caught.value.hint)


def test_what_the_spec_s_examples_leave_out_is_named(tmp_path):
    result, services = convert(tmp_path, "spec-healthcheck.yaml")
    assert services["disabled"].healthcheck is None and services["none"].healthcheck is None
    assert services["shell"].healthcheck.test == ["CMD-SHELL", "curl -f http://localhost || exit 1"]
    assert sum("healthcheck disabled" in n for n in result.notes) == 2
    result, _ = convert(tmp_path, "spec-model-illustrative.yaml")
    assert any("volume db-data: driver, driver_opts not supported" in n for n in result.notes)
    result, services = convert(tmp_path, "spec-pre-start.yaml")  # its second step runs in busybox
    assert not services["app"].provision
    assert any("pre_start is not carried over" in n and "step 2 sets image" in n for n in result.notes)
    result, _ = convert(tmp_path, "spec-volumes-external.yaml")
    assert any("volume db-data: external not supported" in n for n in result.notes)


def test_the_spec_s_interpolation_forms_carry_over(tmp_path):
    result, services = convert(tmp_path, "spec-interpolation-syntax.yaml", environ={"VARIABLE": "v"})
    env = services["web"].env
    assert result.files["devenv.toml"].count("${VARIABLE:-${FOO:-default}}") == 1
    assert env["DEFAULT"] == env["UNSET_DEFAULT"] == env["NESTED"] == env["NESTED_DEFAULT"] == "v"
    assert env["NOT_A_NAME"] == "$1 costs $5" and services["web"].command == ["$VAR_NOT_INTERPOLATED_BY_COMPOSE"]


def test_pre_start_steps_in_the_service_s_own_image_are_provision_steps(tmp_path):
    converted, services = convert_text(tmp_path, "services:\n  app:\n    image: app\n    pre_start:\n"
                                                 "      - command: [./manage.py, migrate]\n"
                                                 "      - command: echo $$HOME 'a b'\n")
    assert services["app"].provision == ["./manage.py migrate", "echo '$HOME' 'a b'"]  # exactly Compose's argv
    assert any("pre_start: its steps are `provision` steps" in n for n in converted.notes)


def test_compose_project_name_is_the_project_s_name_unless_set(tmp_path):
    # version-and-name.md: Compose exposes the project's name as COMPOSE_PROJECT_NAME.
    result, services = convert(tmp_path, "spec-project-name.yaml", environ={})
    assert services["foo"].env == {"COMPOSE_PROJECT_NAME": "proj"}
    assert services["foo"].command == ["echo", "I'm running proj"]
    assert any("COMPOSE_PROJECT_NAME, which Compose sets to the project's name, is 'proj'" in n for n in result.notes)
    folder = tmp_path / "proj"
    project = load_project(files=[folder / "devenv.toml"], directory=folder, environ={"COMPOSE_PROJECT_NAME": "x"})
    assert project.manifest.services["foo"].env == {"COMPOSE_PROJECT_NAME": "x"}


# -- what checking more awesome-compose samples found (docker/awesome-compose, commit 18f59bd) -------

def test_a_service_runs_without_an_init_unless_compose_asks_for_one(tmp_path):
    # pihole's s6-overlay entrypoint must be PID 1; Compose starts no init before it, devenv did.
    _, services = convert(tmp_path, "pihole-cloudflared-doh.yaml")
    assert services["pihole"].init is False and services["cloudflared"].init is False
    _, services = convert_text(tmp_path, "services:\n  web:\n    image: app\n    init: true\n"
                                         "  db:\n    image: postgres\n    init: false\n")
    assert (services["web"].init, services["db"].init) == (True, False)


def test_a_bind_source_that_does_not_exist_is_named(tmp_path):
    # The Django sample's database folder: Compose creates ./data/db, the engine refuses it for devenv.
    result, services = convert(tmp_path, "official-documentation-samples-django.yaml")
    assert services["db"].mounts == ["./data/db:/var/lib/postgresql/data"]
    notes = "\n".join(result.notes)
    assert "db: volume ./data/db:/var/lib/postgresql/data: ./data/db does not exist; create it" in notes
    assert "web: volume" not in notes  # `.` is there
    converted, services = convert_text(
        tmp_path, "services:\n  web:\n    image: app\n    volumes:\n      - ./src:/src\n"
                  "      - {type: bind, source: ./cache, target: /cache, bind: {create_host_path: true}}\n"
                  "      - {type: bind, source: ./logs, target: /logs}\n", **{"src": ""})
    notes = "\n".join(converted.notes)
    assert services["web"].mounts == ["./src:/src", "./cache:/cache", "./logs:/logs"]
    assert "./src" not in notes and "create_host_path not supported" not in notes
    assert "./cache does not exist" in notes and "where Compose makes an empty folder of it" in notes
    assert "./logs does not exist" in notes and "as Compose does" in notes


def test_the_samples_shell_commands_and_escaped_dollars_reach_the_container_as_in_compose(tmp_path):
    _, services = convert(tmp_path, "nginx-flask-mongo.yaml")
    assert services["web"].command == ["/bin/bash", "-c", "envsubst < /tmp/nginx.conf > /etc/nginx/conf.d/default.conf"
                                       " && nginx -g 'daemon off;'"]
    _, services = convert(tmp_path, "nginx-aspnet-mysql.yaml")
    db = services["db"]
    password = '--password="$(cat /run/secrets/db-password)"'  # `$$` in Compose: a `$` for the shell
    assert db.healthcheck.test == ["CMD-SHELL", f"mysqladmin ping -h 127.0.0.1 {password} --silent"]
    assert db.command == ["--default-authentication-plugin=mysql_native_password"]
    assert services["backend"].depends_on == {"db": "healthy"}
    assert services["backend"].mounts == ["./db/password.txt:/run/secrets/db-password:ro"]


def test_a_container_name_left_out_says_how_the_service_is_reached(tmp_path):
    # In Compose other containers may reach fastapi's `fastapi-application` by that name; devenv has no such alias.
    result, _ = convert(tmp_path, "fastapi.yaml")
    assert any("api: container_name is not supported by devenv; left out (devenv puts every service on one "
               "project network, reachable by its name)" in n for n in result.notes)


def test_stop_signal_is_carried_over_as_the_engine_reads_it(tmp_path):
    # The flask samples stop cleanly only on SIGINT; a signal the engine does not know is noted.
    converted, services = convert_text(tmp_path, "services:\n  web:\n    image: app\n    stop_signal: sigint\n"
                                                 "  odd:\n    image: app\n    stop_signal: SIGNOPE\n"
                                                 "  var:\n    image: app\n    stop_signal: ${SIG:-SIGQUIT}\n")
    assert services["web"].stop_signal == "SIGINT" and services["odd"].stop_signal is None
    assert services["var"].stop_signal == "SIGQUIT"
    assert any("odd: stop_signal: 'SIGNOPE' is not a signal" in n for n in converted.notes)


def test_a_stop_signal_from_a_variable_without_a_default_converts(tmp_path):
    # Checked with a signal standing in for the variable, not with a value no signal can be.
    _, services = convert_text(tmp_path, "services:\n  e:\n    image: app\n    stop_signal: ${SIG:?set SIG}\n"
                                         "  f:\n    image: app\n    stop_signal: ${SIG2}\n"
                                         "  g:\n    image: app\n    stop_signal: ${SIG:-SIGQUIT}\n",
                               environ={"SIG": "SIGINT"})
    assert [services[s].stop_signal for s in "efg"] == ["SIGINT", None, "SIGINT"]


def test_a_healthcheck_without_a_timeout_keeps_composes_30s(tmp_path):
    # devenv's own default is 5s: a check that takes 10s passed under Compose and must still pass.
    _, services = convert_text(tmp_path, "services:\n  a:\n    image: app\n    healthcheck: {test: slow-check}\n"
                                         "  b:\n    image: app\n    healthcheck: {test: quick, timeout: 3s}\n")
    assert services["a"].healthcheck.timeout == 30.0 and services["b"].healthcheck.timeout == 3.0
    assert services["a"].healthcheck.interval == 2.0  # devenv's, so readiness is seen sooner


@pytest.mark.parametrize(("value", "init"), [("true", True), ("'true'", True), ("'False'", False), ("'1'", True)])
def test_init_reads_a_quoted_boolean_as_compose_does(tmp_path, value, init):
    _, services = convert_text(tmp_path, f"services:\n  web:\n    image: app\n    init: {value}\n")
    assert services["web"].init is init


def test_a_number_for_stop_signal_is_refused_as_compose_refuses_it(tmp_path):
    with pytest.raises(UsageError, match="stop_signal is 2, where Compose expects"):
        convert_text(tmp_path, "services:\n  web:\n    image: app\n    stop_signal: 2\n")


def test_a_name_without_a_value_is_passed_through_not_set_empty(tmp_path):
    # 05-services.md, "environment": `USER_INPUT:` and `- USER_INPUT` take the caller's value, and
    # without one the container has no such variable (compose's TestUnsetEnv), which an empty
    # string is not: `os.getenv("X", default)` would read "".
    _, services = convert(tmp_path, "spec-environment.yaml", environ={})
    for name in ("map", "list"):
        assert services[name].env == {"RACK_ENV": "development", "SHOW": "true"}
        assert services[name].pass_env == ["USER_INPUT"]
