"""Parsing, interpolation, layering and every validation error of devenv.toml."""

from __future__ import annotations

import pytest

from devenv.errors import ManifestError, UsageError
from devenv.manifest.load import interpolate, load_project, locate, normalise_name, read_dotenv
from devenv.manifest.model import NAME_RE


@pytest.fixture(autouse=True)
def in_project_folder(tmp_path, monkeypatch):
    """Errors name files relative to the current folder, as a user running devenv there sees them."""
    (tmp_path / "proj").mkdir()
    monkeypatch.chdir(tmp_path / "proj")


BASIC = """
[project]
name = "shop"

[services.db]
image = "postgres:16"
env = { POSTGRES_PASSWORD = "dev" }
mounts = ["pgdata:/var/lib/postgresql/data"]
healthcheck = { test = "pg_isready", interval = "1s", retries = 30 }

[services.web]
build = "."
command = "python -m http.server 8000"
ports = ["8000:8000"]
depends_on = { db = "healthy" }
"""


def load(make_project, text: str, files: dict | None = None, **kwargs):
    root = make_project({"devenv.toml": text, **(files or {})})
    return load_project(directory=root, environ=kwargs.pop("environ", {}), **kwargs)


def problems(make_project, text: str, **kwargs) -> list[str]:
    with pytest.raises(ManifestError) as info:
        load(make_project, text, **kwargs)
    return [str(p) for p in info.value.problems]


def test_basic_manifest_is_normalised(make_project):
    project = load(make_project, BASIC)
    web, db = project.manifest.services["web"], project.manifest.services["db"]
    assert project.name == "shop"
    assert web.command == ["python", "-m", "http.server", "8000"]
    assert web.build.context == "." and web.build.dockerfile == "Dockerfile"
    assert web.depends_on == {"db": "healthy"}
    assert db.healthcheck.test == ["CMD-SHELL", "pg_isready"] and db.healthcheck.interval == 1.0
    assert [str(p) for p in web.parsed_ports()] == ["127.0.0.1:8000:8000/tcp"]
    assert db.parsed_mounts()[0].kind == "volume"


def test_project_name_defaults_to_normalised_folder(make_project):
    root = make_project({"devenv.toml": '[services.a]\nimage = "x"\n'}, name="My_Shop.App")
    assert load_project(directory=root, environ={}).name == "my-shop-app"
    assert normalise_name("___") == "project"


def test_manifest_is_found_by_walking_up(make_project):
    root = make_project({"devenv.toml": '[services.a]\nimage = "x"\n', "src/deep/x.py": ""})
    assert load_project(directory=root / "src" / "deep", environ={}).root == root.resolve()


def test_missing_manifest_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match=r"no devenv\.toml") as info:
        load_project(directory=tmp_path, environ={})
    assert info.value.hint == "run `devenv init` to write one, or pass -f FILE"


@pytest.mark.parametrize("text, env, expected", [
    ("${A}", {"A": "1"}, "1"),
    ("${A:-x}", {}, "x"),
    ("${A:-x}", {"A": ""}, "x"),
    ("${A-x}", {"A": ""}, ""),
    ("$${A}", {"A": "1"}, "${A}"),
    ("a${B:-${C:-deep}}", {}, "adeep"),
    ("cost: $5", {}, "cost: $5"),
    ("${A:+on}", {"A": "1"}, "on"),  # Compose's replacement forms
    ("${A:+on}", {"A": ""}, ""),
    ("${A+on}", {"A": ""}, "on"),
    ("${A+on}", {}, ""),
    ("${A:+${B}}", {"A": "1", "B": "b"}, "b"),
])
def test_interpolation(text, env, expected):
    assert interpolate(text, env) == expected


@pytest.mark.parametrize("text, env", [("${A:?need it}", {}), ("${A:?need it}", {"A": ""}), ("${A?need it}", {})])
def test_a_required_variable_must_be_set_and_with_a_colon_not_empty(text, env):
    with pytest.raises(ValueError, match="need it"):
        interpolate(text, env)


def test_a_required_variable_without_a_colon_accepts_empty():
    assert interpolate("${A?need it}", {"A": ""}) == ""
    assert interpolate("${A:?need it}", {"A": "v"}) == "v"


def test_required_variable_message():
    with pytest.raises(ValueError, match="set a token"):
        interpolate("${TOKEN:?set a token}", {})


@pytest.mark.parametrize("text, message", [
    ("${A:x}", "${A:x}: unknown modifier ':x' (use :-, -, :?, ?, :+ or +)"),
    ("${1A}", "${1A} is not a variable reference"),
    ("${A", "unclosed ${ in '${A'"),
    ("${B?}", "${B} is required: not set"),
])
def test_a_malformed_reference_says_what_is_wrong(text, message):
    with pytest.raises(ValueError) as info:
        interpolate(text, {"A": "1"})
    assert str(info.value) == message


def test_environment_wins_over_dotenv(make_project):
    text = '[services.a]\nimage = "x"\nenv = { A = "${A}", B = "${B}" }\n'
    project = load(make_project, text, {".env": "A=from-file\nB='single # kept'\n# comment\n"},
                   environ={"A": "from-env"})
    assert project.manifest.services["a"].env == {"A": "from-env", "B": "single # kept"}


def test_dotenv_quotes_and_comments():
    """Single quotes are literal, double quotes read \\n as a newline, and an unquoted value ends
    at ` #` (as docker compose reads .env)."""
    from pathlib import Path

    Path(".env").write_text("A='x\\ny'\nB=\"x\\ny\"\nC=1 # one\nD=a#b\n")
    assert read_dotenv(Path(".env")) == {"A": "x\\ny", "B": "x\ny", "C": "1", "D": "a#b"}


def test_unset_variable_is_located(make_project):
    found = problems(make_project, '[services.a]\nimage = "x"\nenv = { A = "${NOPE}" }\n')
    assert found == ["devenv.toml:3: services.a.env.A: ${NOPE} is not set (give it a default with ${NOPE:-value})"]


def test_a_value_whose_variable_is_unset_is_reported_once_and_other_problems_still_are(make_project):
    # The value stays as written; the model's words on `${NOPE}` as a signal would be the same
    # problem twice. A problem of another value of the same list is its own.
    manifest = '[services.a]\nimage = "x"\nstop_signal = "${NOPE}"\nports = ["${P}:80", "x"]\n'
    found = problems(make_project, manifest)
    assert found == ["devenv.toml:3: services.a.stop_signal: ${NOPE} is not set "
                     "(give it a default with ${NOPE:-value})",
                     "devenv.toml:4: services.a.ports[0]: ${P} is not set (give it a default with ${P:-value})",
                     "devenv.toml:4: services.a.ports[1]: 'x' is not a port mapping "
                     "(use \"8000:80\", \"127.0.0.1:8000:80\" or \"80\")"]


def test_a_problem_of_the_table_around_an_unset_value_is_still_reported(make_project):
    # Only a model error at or under the location that failed is the same problem told again: the
    # service's own (no image) and the list item's own (a list where a string goes) are others.
    found = problems(make_project, '[services.a]\ncommand = "${NOPE}"\n')
    assert found == ["devenv.toml:2: services.a.command: ${NOPE} is not set (give it a default with ${NOPE:-value})",
                     "devenv.toml:1: services.a: a service needs an image or a build"]
    found = problems(make_project, '[services.a]\nimage = "x"\nports = [["${P}"]]\n')
    assert found == ["devenv.toml:3: services.a.ports[0][0]: ${P} is not set (give it a default with ${P:-value})",
                     "devenv.toml:3: services.a.ports[0]: ['${P}'] is not a string"]


def test_unknown_key_with_did_you_mean_and_line(make_project):
    found = problems(make_project, '[project]\nname = "x"\n\n[services.web]\nimage = "x"\ncomand = "sh"\n')
    assert found == ["devenv.toml:6: services.web.comand: unknown key 'comand' (did you mean 'command'?)"]


def test_bad_port_names_file_line_and_index(make_project):
    found = problems(make_project, '[services.web]\nimage = "x"\nports = ["8000:80", "80:abc"]\n')
    assert len(found) == 1
    assert found[0].startswith("devenv.toml:3: services.web.ports[1]: '80:abc' is not a port mapping")


@pytest.mark.parametrize("snippet, fragment", [
    ('ports = [70000]', "port numbers run from 1 to 65535"),
    ('mounts = ["data"]', "is not a mount"),
    ('mounts = ["bad name:/x"]', "neither a path"),
    ('mounts = [5]', "5 is not a string"),
    ('ports = [true]', "True is not a string"),
    ('healthcheck = { test = "true", interval = "soon" }', "is not a duration"),
    ('restart = "sometimes"', "restart"),
    ('scale = "two"', "services.w.scale: should be a whole number, got 'two'"),
    ('env = { A = [1] }', "services.w.env.A"),
    ('watch = [{ paths = ["x"], action = "sync" }]', "needs a target"),
    ('watch = [{ paths = ["x"], action = "exec" }]', "needs an exec command"),
    ('depends_on = ["nope"]', "unknown service 'nope'"),
    ('depends_on = ["db", 1]', "depends_on lists service names (strings)"),
    ('mounts = [":/data"]', "':/data' is not a mount"),
    ('stop_timeout = true', "True is not a duration"),
    ('restart = "sometimes"', "'no', 'always', 'on-failure' or 'unless-stopped', got 'sometimes'"),
    ('watch = [{ paths = ["x"], action = "restart", ignores = ["y"] }]',
     "services.w.watch[0].ignores: unknown key 'ignores' (did you mean 'ignore'?)"),
    ('ports = ["80"', "devenv.toml:3: not valid TOML: Unclosed array at the end of the file"),
    ('healthcheck = { test = "true", intervall = "1s" }',
     "services.w.healthcheck.intervall: unknown key 'intervall' (did you mean 'interval'?)"),
    ('healthcheck = { interval = "1s" }', "devenv.toml:3: services.w.healthcheck.test: is required"),
    ('depends_on = ["zzz"]', "devenv.toml:3: services.w.depends_on: unknown service 'zzz'"),
    ('depends_on = ["ww"]', "unknown service 'ww' (did you mean 'w'?)"),
    ('build = { context = ".", dockerfle = "D" }', "unknown key 'dockerfle' (did you mean 'dockerfile'?)"),
    ('image = "y"', "devenv.toml:3: not valid TOML: Cannot overwrite a value"),
])
def test_each_validation_error(make_project, snippet, fragment):
    found = problems(make_project, f'[services.w]\nimage = "x"\n{snippet}\n')
    assert any(fragment in p for p in found), found
    assert all(p.startswith("devenv.toml:") for p in found)


@pytest.mark.parametrize(("image", "fragment"), [
    ("UPPER/Case:bad tag", "'UPPER/Case:bad tag' is not an image reference: [REGISTRY/]NAME[:TAG][@DIGEST]"),
    ("Nginx:1", "'Nginx:1' is not an image reference (names are lowercase)"),
    ("nginx:", "is not an image reference"), ("a//b", "is not an image reference"),
    ("redis@sha256:zz", "is not an image reference"),
])
def test_an_image_reference_the_engine_would_refuse_is_a_manifest_error(make_project, image, fragment):
    """A typo in `image` is a file:line error, not a pull that fails with 'is the registry running?'."""
    (found,) = problems(make_project, f'[services.w]\nimage = "{image}"\n')
    assert found.startswith("devenv.toml:2: services.w.image") and fragment in found, found


@pytest.mark.parametrize("image", [
    "postgres:16", "library/postgres", "127.0.0.1:5000/team/api:1", "localhost:5000/busybox:1",
    "ghcr.io/owner/name:v1.2", "mcr.microsoft.com/dotnet/sdk:8.0", "Registry.Example.com/x", "[::1]:5000/x:1",
    "redis:7@sha256:" + "b" * 64, "docker.io/library/redis:7-alpine", "my_org/my__img", "a-b--c/d", "registry:2",
])
def test_every_image_reference_the_engine_takes_is_taken(make_project, image):
    assert load(make_project, f'[services.w]\nimage = "{image}"\n').manifest.services["w"].image == image


def test_values_reach_the_container_in_one_spelling(make_project):
    """Booleans and numbers in `env` become the strings a shell sees; a port without a host port
    leaves it to the engine (empty, not 0)."""
    svc = load(make_project, '[services.w]\nimage = "x"\nports = ["80", "53/udp"]\n'
                             'env = { DEBUG = true, QUIET = false, WORKERS = 4, RATIO = 0.5 }\n').manifest.services["w"]
    assert svc.env == {"DEBUG": "true", "QUIET": "false", "WORKERS": "4", "RATIO": "0.5"}
    assert [str(p) for p in svc.parsed_ports()] == ["127.0.0.1::80/tcp", "127.0.0.1::53/udp"]


def test_service_needs_image_or_build(make_project):
    found = problems(make_project, '[services.w]\ncommand = "sh"\n')
    assert found == ["devenv.toml:1: services.w: a service needs an image or a build"]


def test_cycle_is_named(make_project):
    text = """
    [services.a]
    image = "x"
    depends_on = ["b"]
    [services.b]
    image = "x"
    depends_on = ["c"]
    [services.c]
    image = "x"
    depends_on = ["a"]
    """
    found = problems(make_project, text)
    assert len(found) == 1 and "dependency cycle: a → b → c → a" in found[0]


def test_duplicate_host_port(make_project):
    text = '[services.a]\nimage = "x"\nports = ["8000:80"]\n[services.b]\nimage = "x"\nports = ["8000:81"]\n'
    found = problems(make_project, text)
    assert found == ["devenv.toml:6: services.b.ports[0]: host port 127.0.0.1:8000 is already used by service 'a'"]


def test_same_port_on_other_address_is_fine(make_project):
    text = ('[services.a]\nimage = "x"\nports = ["8000:80", "8000:80/udp"]\n'
            '[services.b]\nimage = "x"\nports = ["192.168.7.1:8000:81", "[::1]:8000:82"]\n')
    ports = load(make_project, text).manifest.services["b"].parsed_ports()
    assert [p.host_ip for p in ports] == ["192.168.7.1", "::1"]  # IPv6 without its brackets


@pytest.mark.parametrize("first, second, clash", [
    ("0.0.0.0:8000:80", "127.0.0.1:8000:81", "host port 127.0.0.1:8000 is already used by service 'a' on 0.0.0.0 "
                                             "(0.0.0.0 binds every address)"),
    ("8000:80", "0.0.0.0:8000:81", "host port 0.0.0.0:8000 is already used by service 'a' on 127.0.0.1 "
                                   "(0.0.0.0 binds every address)"),
    ("[::]:8000:80", "10.0.0.1:8000:81", "on ::"),
    ("[::1]:8000:80", "[::]:8000:81", "(:: binds every address)"),
    ("8000:80/udp", "0.0.0.0:8000:81/udp", "already used"),
    ("8000:80", "8000:81", "host port 127.0.0.1:8000 is already used by service 'a'"),
])
def test_overlapping_host_bindings_are_rejected(make_project, first, second, clash):
    text = f'[services.a]\nimage = "x"\nports = ["{first}"]\n[services.b]\nimage = "x"\nports = ["{second}"]\n'
    found = problems(make_project, text)
    assert len(found) == 1 and found[0].startswith("devenv.toml:6: services.b.ports[0]: "), found
    assert clash in found[0]


@pytest.mark.parametrize("first, second", [
    ("8000:80/udp", "8000:80"),  # udp and tcp are separate ports
    ("[::1]:8000:80", "0.0.0.0:8000:81"),  # 0.0.0.0 covers IPv4 only
    ("8000:80", "8001:80"),
    ("80", "80"),  # the engine picks both host ports
])
def test_bindings_that_do_not_overlap_are_accepted(make_project, first, second):
    text = f'[services.a]\nimage = "x"\nports = ["{first}"]\n[services.b]\nimage = "x"\nports = ["{second}"]\n'
    assert load(make_project, text).manifest.services["b"].ports == [second]


def test_one_service_cannot_bind_one_port_twice(make_project):
    found = problems(make_project, '[services.a]\nimage = "x"\nports = ["0.0.0.0:9000:80", "127.0.0.1:9000:81"]\n')
    assert found == ["devenv.toml:3: services.a.ports[1]: host port 127.0.0.1:9000 is already used by service 'a' "
                     "on 0.0.0.0 (0.0.0.0 binds every address)"]


@pytest.mark.parametrize("port, message", [
    ("999.1.1.1:8000:80", "'999.1.1.1:8000:80': 999.1.1.1 is not an IP address"),
    ("[::g]:8000:80", "is not a port mapping"),
    ("[1::2::3]:8000:80", "1::2::3 is not an IP address"),
    ("65536:80", "port numbers run from 1 to 65535"),
    ("8000:65536", "port numbers run from 1 to 65535"),
    ("0:80", "port numbers run from 1 to 65535"),
    ("8000:0", "port numbers run from 1 to 65535"),
])
def test_bad_addresses_and_port_numbers_name_file_and_line(make_project, port, message):
    found = problems(make_project, f'[services.w]\nimage = "x"\nports = ["{port}"]\n')
    assert len(found) == 1 and found[0].startswith("devenv.toml:3: services.w.ports[0]: "), found
    assert message in found[0]


def test_port_limits_are_inclusive():
    from devenv.manifest.model import parse_port

    assert parse_port("65535:1").host_port == 65535 and parse_port("1:65535").container_port == 65535
    assert str(parse_port("[fe80::1]:8000:80/udp")) == "fe80::1:8000:80/udp"


@pytest.mark.parametrize("value, message", [
    ("1s1s", "it repeats the unit s"),
    ("1m2s3m", "it repeats the unit m"),
    ("5ms5ms", "it repeats the unit ms"),
])
def test_a_repeated_duration_unit_is_rejected_naming_file_and_line(make_project, value, message):
    found = problems(make_project, f'[services.w]\nimage = "x"\n[services.w.healthcheck]\ntest = "true"\n'
                                   f'interval = "{value}"\n')
    assert found == [f"devenv.toml:5: services.w.healthcheck.interval: '{value}' is not a duration ({message})"]


@pytest.mark.parametrize("value, seconds", [("1m30s", 90.0), ("500ms", 0.5), ("1h1m1s1ms", 3661.001),
                                            ("1.5s", 1.5), (3, 3.0), (0, 0.0)])
def test_durations(value, seconds):
    from devenv.manifest.model import parse_duration

    assert parse_duration(value) == seconds


@pytest.mark.parametrize("snippet, message", [
    ('stop_timeout = "99999999999h"', "services.w.stop_timeout: '99999999999h' is too long (at most 1h)"),
    ('stop_timeout = "1h0.5s"', "services.w.stop_timeout: '1h0.5s' is too long (at most 1h)"),
    ('stop_timeout = 99999999999999999999999', "services.w.stop_timeout: 99999999999999999999999 is too long "
                                               "(at most 1h)"),
    (f'stop_timeout = "{"9" * 400}s"', "services.w.stop_timeout: '" + "9" * 400 + "s' is too long (at most 1h)"),
    ("stop_timeout = inf", "services.w.stop_timeout: inf is not a duration (not a finite number)"),
    ("stop_timeout = -inf", "services.w.stop_timeout: -inf is not a duration (not a finite number)"),
    ("stop_timeout = nan", "services.w.stop_timeout: nan is not a duration (not a finite number)"),
    ("stop_timeout = 1e400", "services.w.stop_timeout: inf is not a duration (not a finite number)"),
    ("stop_timeout = -1", "services.w.stop_timeout: -1 is not a duration (negative)"),
    ('healthcheck = { test = "true", interval = "99999999999h" }',
     "services.w.healthcheck.interval: '99999999999h' is too long (at most 24h)"),
    ('healthcheck = { test = "true", timeout = 86401 }', "services.w.healthcheck.timeout: 86401 is too long "
                                                         "(at most 24h)"),
    ('healthcheck = { test = "true", start_period = nan }',
     "services.w.healthcheck.start_period: nan is not a duration (not a finite number)"),
    ('healthcheck = { test = "true", interval = "0.5ms" }',
     "services.w.healthcheck.interval: '0.5ms' is too short (0, or at least 1ms)"),
    ('healthcheck = { test = "true", retries = 99999999999999999999999 }',
     "services.w.healthcheck.retries: should be at most 1000000"),
])
def test_a_duration_the_engine_cannot_take_is_one_problem_naming_file_and_line(make_project, snippet, message):
    assert problems(make_project, f'[services.w]\nimage = "x"\n{snippet}\n') == [f"devenv.toml:3: {message}"]


def test_durations_at_their_limits_are_accepted(make_project):
    project = load(make_project, '[services.w]\nimage = "x"\nstop_timeout = "1h"\n'
                                 'healthcheck = { test = "true", interval = "1ms", timeout = "24h", start_period = 0, '
                                 "retries = 1000000 }\n")
    svc = project.manifest.services["w"]
    assert svc.stop_timeout == 3600.0
    assert (svc.healthcheck.interval, svc.healthcheck.timeout, svc.healthcheck.start_period) == (0.001, 86400.0, 0.0)


@pytest.mark.parametrize("name", ["Shop", "a b", "-x"])
def test_bad_project_name(make_project, name):
    found = problems(make_project, f'[project]\nname = "{name}"\n')
    assert found[0].startswith("devenv.toml:2: project.name:")


def test_invalid_toml_names_line(make_project):
    found = problems(make_project, '[services.a]\nimage = "x"\nports = [\n')
    assert found[0].startswith("devenv.toml:") and "not valid TOML" in found[0]


def test_all_problems_reported_at_once(make_project):
    text = '[services.a]\nimage = "x"\nports = ["x"]\nfoo = 1\n[services.b]\nimage = 3\n'
    assert len(problems(make_project, text)) == 3


def test_requires_is_enforced(make_project):
    web = '[services.web]\nimage = "x"\n'
    with pytest.raises(UsageError, match="requires devenv >=99"):
        load(make_project, '[project]\nrequires = ">=99"\n' + web)
    found = problems(make_project, '[project]\nrequires = "soon"\n' + web)
    assert "not a version constraint" in found[0]
    assert load(make_project, '[project]\nrequires = ">=0.1"\n' + web).manifest.project.requires == ">=0.1"


@pytest.mark.parametrize("text", ["", '[project]\nname = "shop"\n', "[services]\n"])
def test_a_manifest_without_services_is_an_error_not_an_empty_up(make_project, text):
    (found,) = problems(make_project, text)
    assert found.startswith("devenv.toml") and found.endswith(
        ": services: no services: add a [services.NAME] table (`devenv init` writes a first one)")


def test_local_layer_merges_tables_and_replaces_arrays(make_project):
    base = '[services.web]\nimage = "x"\nports = ["8000:80"]\nenv = { A = "1", B = "2" }\n'
    local = '[services.web]\nports = ["9000:80"]\nenv = { B = "3" }\n'
    project = load(make_project, base, {"devenv.local.toml": local})
    web = project.manifest.services["web"]
    assert web.ports == ["9000:80"] and web.env == {"A": "1", "B": "3"}


def test_a_top_level_key_of_the_local_layer_is_reported_there(make_project):
    with pytest.raises(ManifestError) as info:
        load(make_project, '[services.web]\nimage = "x"\n',
             {"devenv.local.toml": '# mine\n[servics.web]\nimage = "y"\n'})
    assert [str(p) for p in info.value.problems] == [
        "devenv.local.toml:2: servics: unknown key 'servics' (did you mean 'services'?)"]


def test_project_settings_from_the_environment(make_project):
    text = '[project]\nname = "shop"\n[services.w]\nimage = "x"\nprofiles = ["debug"]\n'
    project = load(make_project, text, environ={"DEVENV_PROFILES": "debug, tools", "DEVENV_PROJECT_NAME": "shop-2"})
    assert project.profiles == frozenset({"debug", "tools"}) and project.name == "shop-2"
    assert list(project.enabled_services()) == ["w"]
    assert problems(make_project, '[project]\nnmae = "x"\n') == [
        "devenv.toml:2: project.nmae: unknown key 'nmae' (did you mean 'name'?)"]


def test_a_key_found_nowhere_has_no_line():
    assert locate('[services.web]\nimage = "x"\n', ("project", "name")) is None


def test_a_newer_devenvs_manifest_says_so_before_its_unknown_keys(make_project):
    with pytest.raises(UsageError, match=r"this project requires devenv >=99") as info:
        load(make_project, '[project]\nrequires = ">=99"\n[services.w]\nimage = "x"\nfuture_key = 1\n')
    assert info.value.hint == "upgrade with `pip install -U devenv` (or install the version the team uses)"
    assert problems(make_project, '[project]\nrequires = "soon"\n') == [
        "devenv.toml:2: project.requires: 'soon' is not a version constraint (e.g. \">=0.1\")"]


def test_error_in_local_layer_names_that_file(make_project):
    base = '[services.web]\nimage = "x"\n'
    local = '# my overrides\n\n[services.web]\nports = ["nope"]\n'
    with pytest.raises(ManifestError) as info:
        load(make_project, base, {"devenv.local.toml": local})
    assert str(info.value.problems[0]).startswith("devenv.local.toml:4: services.web.ports[0]")


def test_profile_dependency_not_enabled_is_an_error(make_project):
    text = '[services.dbg]\nimage = "x"\nprofiles = ["debug"]\n[services.web]\nimage = "x"\ndepends_on = ["dbg"]\n'
    assert "--profile debug" in problems(make_project, text)[0]
    project = load(make_project, text, profiles=frozenset({"debug"}))
    assert set(project.enabled_services()) == {"dbg", "web"}

    # a service that is itself switched off may need another profile's service
    tools = text.replace('depends_on = ["dbg"]', 'depends_on = ["dbg"]\nprofiles = ["tools"]')
    assert set(load(make_project, tools).enabled_services()) == set()
    assert "--profile debug" in problems(make_project, tools, profiles=frozenset({"tools"}))[0]


def test_a_port_left_to_the_engine_does_not_hide_the_next_clash(make_project):
    found = problems(make_project, '[services.a]\nimage = "x"\nports = ["80", "8000:80"]\n'
                                   '[services.b]\nimage = "x"\nports = ["8000:81"]\n')
    assert found == ["devenv.toml:6: services.b.ports[0]: host port 127.0.0.1:8000 is already used by service 'a'"]


def test_read_dotenv_rejects_garbage(tmp_path):
    (tmp_path / ".env").write_text("A=1\nthis is not\n")
    with pytest.raises(ManifestError, match=r"\.env:2"):
        read_dotenv(tmp_path / ".env")


def test_locate_finds_array_tables_and_dotted_keys():
    text = ('[services.web]\nimage = "x"\n\n[[services.web.watch]]\npaths = ["a"]\n'
            '[[services.web.watch]]\npaths = ["b"]\naction = "nope"\n')
    assert locate(text, ("services", "web", "watch", 1, "action")) == 8
    assert locate(text, ("services", "web", "watch", 0)) == 4
    assert locate(text, ("services", "web", "image")) == 2


def test_a_profile_no_service_names_is_reported(make_project):
    text = '[services.web]\nimage = "x"\n[services.admin]\nimage = "x"\nprofiles = ["tools"]\n'
    assert load(make_project, text, profiles=frozenset({"tools", "tols"})).unknown_profiles() == ["tols"]
    assert load(make_project, text, profiles=frozenset({"tools"})).unknown_profiles() == []
    assert load(make_project, text).unknown_profiles() == []


def test_folder_names_beyond_ascii_keep_projects_apart():
    # Accents fold to their letter; what has no ASCII form leaves a hash of the whole name, so
    # two such folders never share a project (and so never share its volumes).
    assert normalise_name("Café") == "cafe"
    assert normalise_name("Ångström_lab") == "angstrom-lab"
    japanese, chinese = normalise_name("日本語"), normalise_name("中文")
    assert japanese.startswith("project-") and chinese.startswith("project-") and japanese != chinese
    assert normalise_name("app-日本") != normalise_name("app-中国") != "app"
    assert normalise_name("app-日本") == normalise_name("app-日本")  # stable across runs
    for name in ("日本語", "app-日本", "bad\udcff", "Café"):
        assert NAME_RE.match(normalise_name(name)), name


def test_a_nul_in_an_env_value_is_a_manifest_error_naming_where(make_project):
    # The engine refuses it only at start, with runc's text, after the old container was stopped.
    root = make_project({"devenv.toml": '[services.s]\nimage = "x"\nenv = { A = "x\\u0000y" }\n'})
    with pytest.raises(ManifestError, match=r"services\.s\.env\.A: holds a NUL character"):
        load_project(directory=root, environ={})
    (root / "devenv.toml").write_text('[services.s]\nimage = "x"\nenv = { A = "${A:-u}" }\n')
    (root / ".env").write_bytes(b"B=1\nA=nul\x00x\n")
    with pytest.raises(ManifestError) as info:
        load_project(directory=root, environ={})
    assert (info.value.problems[0].line, "NUL character" in str(info.value.problems[0])) == (2, True)


def test_every_bad_service_name_is_named_and_a_name_must_fit_a_dns_label(make_project):
    root = make_project({"devenv.toml": '[services.Bad]\nimage = "x"\n[services."b.c"]\nimage = "x"\n'})
    with pytest.raises(ManifestError, match=r"'Bad', 'b\.c' are not service names"):
        load_project(directory=root, environ={})
    (root / "devenv.toml").write_text(f'[services.{"a" * 64}]\nimage = "x"\n[services.{"b" * 63}]\nimage = "x"\n')
    with pytest.raises(ManifestError, match=r"^.*'a{64}': longer than 63 characters") as info:
        load_project(directory=root, environ={})
    assert "b" * 63 not in str(info.value)


@pytest.mark.parametrize("http_web, http_api, message", [
    ("{ port = 80, main = true }", "{ port = 80, main = true }",
     r"services\.api\.http\.main: service 'web' is the main one already \(one service answers at shop\.localhost\)"),
    ("80", '{ port = 80, hosts = ["web.shop.localhost"] }', r"'web\.shop\.localhost' is also routed to service 'web'"),
    ("80", '{ port = 80, hosts = ["shop.localhost"] }', r"'shop\.localhost' is also routed to service 'web'"),
    ('{ port = 80, hosts = ["x.localhost"] }', '{ port = 80, hosts = ["x.localhost"] }',
     r"'x\.localhost' is also routed to service 'web' on the same paths"),
    ('{ port = 80, paths = ["/api"] }', '{ port = 80, hosts = ["shop.localhost"], paths = ["/api", "/v2"] }',
     r"'shop\.localhost' is also routed to service 'web'"),
    ('{ port = 80, hosts = ["x.localhost"], paths = ["/a"] }', '{ port = 80, hosts = ["x.localhost"], paths = ["/a"] }',
     r"'x\.localhost' is also routed to service 'web' on the same paths"),
    # the router matches `/a` and `/a/` as one prefix, and `/` as the whole host
    ('{ port = 80, hosts = ["x.localhost"], paths = ["/a"] }',
     '{ port = 80, hosts = ["x.localhost"], paths = ["/a/"] }',
     r"'x\.localhost' is also routed to service 'web' on the same paths"),
    ('{ port = 80, hosts = ["x.localhost"] }', '{ port = 80, hosts = ["x.localhost"], paths = ["/"] }',
     r"'x\.localhost' is also routed to service 'web' on the same paths"),
])
def test_one_router_name_claimed_by_two_services_is_a_manifest_error(make_project, http_web, http_api, message):
    root = make_project({"devenv.toml": f'[project]\nname = "shop"\n[services.web]\nimage = "x"\nhttp = {http_web}\n'
                                       f'[services.api]\nimage = "x"\nhttp = {http_api}\n'})
    with pytest.raises(ManifestError, match=message):
        load_project(directory=root, environ={})


@pytest.mark.parametrize("http_web, http_api", [
    ('{ port = 80, hosts = ["shop.localhost", "www.shop.localhost"] }', '{ port = 80, hosts = ["api.localhost"] }'),
    ("{ port = 80, main = false }", '{ port = 80, hosts = ["shop.localhost"] }'),  # web gave the name up
    ("80", '{ port = 80, main = true, hosts = ["shop.localhost"] }'),  # api is the main one: its own name
    ("80", '{ port = 80, hosts = ["shop.localhost"], paths = ["/api"] }'),  # web all but /api: docs/routing.md
])
def test_names_each_service_claims_alone_load(make_project, http_web, http_api):
    root = make_project({"devenv.toml": f'[project]\nname = "shop"\n[services.web]\nimage = "x"\nhttp = {http_web}\n'
                                       f'[services.api]\nimage = "x"\nhttp = {http_api}\n'})
    assert set(load_project(directory=root, environ={}).manifest.services) == {"web", "api"}


def test_an_unknown_dependency_and_a_cycle_are_reported_in_one_run(make_project):
    root = make_project({"devenv.toml": '[services.a]\nimage = "x"\ndepends_on = ["b"]\n[services.b]\nimage = "x"\n'
                                       'depends_on = ["a", "missing"]\n'})
    with pytest.raises(ManifestError) as info:
        load_project(directory=root, environ={})
    text = str(info.value)
    assert "unknown service 'missing'" in text and "dependency cycle: a → b → a" in text


def test_a_project_name_fits_a_dns_label(make_project):
    long_folder = "a-very-long-checkout-name-" * 4
    name = normalise_name(long_folder)
    assert len(name) <= 63 and NAME_RE.match(name) and name != normalise_name(long_folder + "2")
    root = make_project({"devenv.toml": '[services.a]\nimage = "x"\n'})
    with pytest.raises(UsageError, match="at most 63"):
        load_project(directory=root, environ={}, project_name="p" * 64)
    assert load_project(directory=root, environ={}, project_name="p" * 63).name == "p" * 63


def test_an_unknown_key_that_resembles_none_is_named_without_a_guess(make_project):
    found = problems(make_project, '[services.w]\nimage = "x"\nzzzzz = 1\n')
    assert found == ["devenv.toml:3: services.w.zzzzz: unknown key 'zzzzz'"]


def test_an_empty_quoted_dotenv_value_is_the_empty_string(tmp_path):
    (tmp_path / ".env").write_text("A=\"\"\nB=''\n")
    assert read_dotenv(tmp_path / ".env", {}) == {"A": "", "B": ""}


def test_a_host_claimed_twice_names_the_second_services_hosts_key_and_line(make_project):
    root = make_project({"devenv.toml": '[project]\nname = "shop"\n[services.web]\nimage = "x"\n'
                                       'http = { port = 80, hosts = ["x.localhost"] }\n'
                                       '[services.api]\nimage = "x"\nhttp = { port = 80, hosts = ["x.localhost"] }\n'})
    with pytest.raises(ManifestError) as info:
        load_project(directory=root, environ={})
    assert [str(p) for p in info.value.problems] == [
        "devenv.toml:8: services.api.http.hosts: 'x.localhost' is also routed to service 'web' on the same paths; "
        "the router answers a name and path with one service (give each its own `paths`)"]


def test_a_fixed_host_port_on_a_scaled_service_is_refused_with_the_port_to_write(make_project):
    found = problems(make_project, '[services.w]\nimage = "x"\nscale = 2\nports = ["8000:80"]\n')
    assert found == ['devenv.toml:4: services.w.ports[0]: a fixed host port cannot serve 2 replicas (use "80" to let '
                     'the engine pick one per replica)']


def test_a_dependency_in_a_profile_not_enabled_names_the_depends_on_key(make_project):
    found = problems(make_project, '[services.w]\nimage = "x"\ndepends_on = ["dbg"]\n'
                                   '[services.dbg]\nimage = "x"\nprofiles = ["debug"]\n')
    assert found == ["devenv.toml:3: services.w.depends_on: 'dbg' is only in profile(s) debug, which are not enabled "
                     "(use --profile debug)"]


@pytest.mark.parametrize(("value", "expected"), [('"SIGINT"', "SIGINT"), ('"quit"', "SIGQUIT"), ("2", "2"),
                                                 ('"SIGRTMIN+3"', "SIGRTMIN+3"), ('" 9 "', "9"),
                                                 ('""', None)])  # as Compose: empty (an unset variable) is none
def test_stop_signal_is_read_as_the_engine_reads_it(make_project, value, expected):
    root = make_project({"devenv.toml": f'[services.a]\nimage = "x"\nstop_signal = {value}\n'})
    assert load_project(directory=root, environ={}).manifest.services["a"].stop_signal == expected


@pytest.mark.parametrize(("value", "words"), [('"SIGNOPE"', "not a signal the engine knows"),
                                              ("0", "not a signal number"), ("65", "not a signal number"),
                                              ("true", "True is not a signal (a name such as"),
                                              ('"²"', "'²' is not a signal the engine knows")])
def test_a_stop_signal_the_engine_refuses_is_named_with_its_line(make_project, value, words):
    root = make_project({"devenv.toml": f'[services.a]\nimage = "x"\nstop_signal = {value}\n'})
    with pytest.raises(ManifestError) as info:
        load_project(directory=root, environ={})
    (problem,) = info.value.problems
    assert problem.line == 3 and words in str(problem), str(problem)
