"""The smaller gaps of issue 15 (point 8) that need no engine: every host port of a container
port reaches the engine's create call; TOML syntax errors always name a line; a `requires`
mismatch is said before any other problem; written files follow the umask; a build context
that would send .env to the image is found, with the .dockerignore line that stops it."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from devenv.core.envleaks import env_leaks
from devenv.core.tomlerrors import locate_syntax_error
from devenv.engine.client import port_bindings
from devenv.errors import ManifestError, UsageError
from devenv.lock.file import Lock, parse_lock, write_lock
from devenv.manifest.load import load_project
from tests.conftest import run_devenv

# -- ports -------------------------------------------------------------------------------------


def test_every_host_port_of_one_container_port_is_bound():
    bindings = port_bindings(["127.0.0.1:8000:80/tcp", "127.0.0.1:8001:80/tcp", "0.0.0.0:9000:80/tcp",
                              "127.0.0.1::443/tcp", "127.0.0.1:5353:53/udp"])
    assert bindings == {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8000"},
                                   {"HostIp": "127.0.0.1", "HostPort": "8001"},
                                   {"HostIp": "0.0.0.0", "HostPort": "9000"}],
                        "443/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}],
                        "53/udp": [{"HostIp": "127.0.0.1", "HostPort": "5353"}]}


# -- TOML syntax errors name a line --------------------------------------------------------------

@pytest.mark.parametrize("text,line", [
    ('[services.web]\nimage = "busybox"\nports = ["80"\n', 3),       # unclosed array at the end
    ('[services.web]\nimage = "busybox\n', 2),                      # unterminated string at the end
    ('[services.web]\nimage = "busybox"\ncommand = \n\n\n', 3),       # a value missing, blank lines after
    ('[services.web]\nimage = "x"\nimage = "y"\n', 3),              # tomllib's own "(at line 3…)"
    ('[project\nname = "x"\n', 1),
])
def test_a_toml_syntax_error_always_names_a_line(make_project, text, line):
    folder = make_project({"devenv.toml": text})
    with pytest.raises(ManifestError) as caught:
        load_project(directory=folder, environ={})
    (problem,) = caught.value.problems
    assert problem.line == line, str(problem)
    assert f"devenv.toml:{line}: not valid TOML: " in str(problem)
    assert "(at " not in str(problem)  # the position is said once, as file:line


def test_the_end_of_the_file_is_said_in_words():
    text = 'a = [1,\n  2,\n'
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = locate_syntax_error(exc, text)
    assert (where.line, where.column) == (2, 5)
    assert where.message.endswith("at the end of the file")


@pytest.mark.parametrize("text, words", [
    ('a = 1\nports = "broken\nb = 2\n', "unterminated string (its closing quote is missing on this line)"),
    ('a = ["x", "y\n]\n', "unterminated string (its closing quote is missing on this line)"),
    ('x = 1\ny = 2 "\n', "Expected newline or end of document after a statement"),  # tomllib's own words
])
def test_a_string_the_end_of_its_line_cuts_off_is_called_unterminated(text, words):
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = locate_syntax_error(exc, text)
    assert where.message == words


def test_a_lock_with_a_syntax_error_names_its_line():
    with pytest.raises(UsageError, match=r"devenv.lock: not valid TOML \(line 3, column \d+: .*at the end of the "
                                         r"file\)"):
        parse_lock('[lock]\nversion = 1\nmanifest_hash = ["abc",\n\n')


# -- requires first ------------------------------------------------------------------------------

def test_a_requires_mismatch_is_reported_before_other_problems(make_project):
    folder = make_project({"devenv.toml": '[project]\nrequires = ">=99"\nnew_key = true\n\n[services.web]\n'
                                          'image = "busybox"\nports = ["not-a-port"]\nfuture = "x"\n'})
    with pytest.raises(UsageError) as caught:
        load_project(directory=folder, environ={})
    assert not isinstance(caught.value, ManifestError)
    assert caught.value.message.startswith("this project requires devenv >=99, but this is devenv ")
    result = run_devenv("config", cwd=folder)
    assert result.code == 2
    assert result.err.splitlines()[0].startswith("devenv: error: this project requires devenv >=99")
    assert "new_key" not in result.err and "not-a-port" not in result.err


def test_requires_from_the_local_layer_counts_too(make_project):
    folder = make_project({"devenv.toml": '[services.web]\nimage = "busybox"\nbogus = 1\n',
                           "devenv.local.toml": '[project]\nrequires = "<0.0.1"\n'})
    with pytest.raises(UsageError, match=r"this project requires devenv <0\.0\.1"):
        load_project(directory=folder, environ={})


def test_requires_that_fits_still_lets_the_other_problems_through(make_project):
    folder = make_project({"devenv.toml": '[project]\nrequires = ">=0.1"\n[services.web]\nimage = "x"\nbogus = 1\n'})
    with pytest.raises(ManifestError, match="unknown key 'bogus'"):
        load_project(directory=folder, environ={})


# -- written files follow the umask --------------------------------------------------------------

def run_with_umask(umask: int, *args: str, cwd: Path):
    env = {"DOCKER_HOST": f"unix://{cwd}/no-engine.sock", "XDG_CACHE_HOME": str(cwd / ".cache")}
    old = os.umask(umask)  # inherited by the child process
    try:
        return run_devenv(*args, cwd=cwd, env=env)
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_init_export_and_vscode_write_files_with_the_umask(make_project):
    folder = make_project({"requirements.txt": "flask\n", "app.py": "import flask\n"})
    assert run_with_umask(0o002, "init", cwd=folder).code == 0
    assert mode(folder / "devenv.toml") == 0o664 and mode(folder / ".devenvignore") == 0o664
    assert run_with_umask(0o022, "export", "--format", "compose", "-o", "compose.yaml", cwd=folder).code == 0
    assert mode(folder / "compose.yaml") == 0o644
    assert run_with_umask(0o027, "vscode", cwd=folder).code == 0
    assert mode(folder / ".vscode" / "tasks.json") == 0o640


def test_the_lock_is_written_with_the_umask(tmp_path):
    old = os.umask(0o002)
    try:
        write_lock(tmp_path / "devenv.lock", Lock({}, "abc", "0.1.0", 1))
    finally:
        os.umask(old)
    assert mode(tmp_path / "devenv.lock") == 0o664


# -- .env sent to the image ----------------------------------------------------------------------

BUILD = '[services.web]\nbuild = "."\ncommand = "sleep 1"\n\n[services.db]\nimage = "busybox"\n'
COPY_ALL = "FROM busybox\nWORKDIR /app\nCOPY . .\n"


def leaks(folder: Path):
    project = load_project(directory=folder, environ={})
    return env_leaks(project.root, project.manifest.services)


def test_a_dotenv_in_a_build_context_is_found_with_the_line_to_add(make_project):
    folder = make_project({"devenv.toml": BUILD, "Dockerfile": "FROM busybox\nCOPY . .\n", ".env": "TOKEN=s3cret\n",
                           ".env.local": "A=1\n", ".env.example": "TOKEN=\n"})
    (leak,) = leaks(folder)
    assert leak.service == "web" and leak.files == (".env", ".env.local")
    assert leak.hint() == "add these lines to .dockerignore: .env, .env.local"
    assert "sends .env, .env.local to the engine" in leak.message()


@pytest.mark.parametrize("ignore", [".env\n.env.local\n", ".env*\n", "**/.env*\n", ".*\n!.dockerignore\n"])
def test_a_dockerignore_that_excludes_it_silences_the_warning(make_project, ignore):
    folder = make_project({"devenv.toml": BUILD, "Dockerfile": COPY_ALL, ".env": "TOKEN=s3cret\n",
                           ".env.local": "A=1\n", ".dockerignore": ignore})
    assert leaks(folder) == []


def test_an_exception_line_lets_it_through_again(make_project):
    folder = make_project({"devenv.toml": BUILD, "Dockerfile": COPY_ALL, ".env": "T=1\n",
                           ".dockerignore": ".env\n!.env\n"})
    assert [leak.files for leak in leaks(folder)] == [(".env",)]


def test_a_context_in_a_subfolder_names_its_own_dockerignore(make_project):
    folder = make_project({"devenv.toml": BUILD.replace('build = "."', 'build = "api"'),
                           "api/Dockerfile": COPY_ALL, "api/.env": "T=1\n", ".env": "T=2\n"})
    (leak,) = leaks(folder)
    assert leak.dockerignore == "api/.dockerignore" and leak.files == (".env",)


def test_doctor_warns_about_it_with_the_line_to_add(make_project):
    import json

    folder = make_project({"devenv.toml": BUILD, "Dockerfile": COPY_ALL, ".env": "TOKEN=s3cret\n"})
    result = run_devenv("doctor", "--json", cwd=folder, env={"DOCKER_HOST": f"unix://{folder}/none.sock"})
    (row,) = [c for c in json.loads(result.out)["checks"] if c["check"] == "context"]
    assert row["status"] == "WARN" and "service web: the build context sends .env" in row["detail"]
    assert row["hint"] == "add this line to .dockerignore: .env"


@pytest.mark.parametrize(("dockerfile", "copied_by"), [
    ("FROM b\nRUN true\n", None), ("FROM b\nCOPY requirements.txt /app/\n", None),
    ("FROM b\nCOPY --from=build /app/dist /srv\n", None),  # another stage's files
    ("FROM b\nCOPY *.txt ./\n", None), ("FROM b\n# COPY . .\n", None),
    ("FROM b\nCOPY --chown=1:1 ./ /app/\n", "COPY --chown=1:1 ./ /app/"),
    ('FROM b\nCOPY [".", "/app"]\n', 'COPY [".", "/app"]'), ("FROM b\nadd .env* /x/\n", "add .env* /x/"),
    ("FROM b\nCOPY * /app/\n", "COPY * /app/"),  # Docker's * takes a leading dot too
    ("FROM b\nCOPY src \\\n  . /app\n", "COPY src . /app"), ("FROM b\nCOPY .env /x\n", "COPY .env /x"),
])
def test_only_a_copy_that_takes_the_file_bakes_it_in(tmp_path, dockerfile, copied_by):
    from devenv.core.envleaks import copy_taking

    (tmp_path / "Dockerfile").write_text(dockerfile)
    assert copy_taking(tmp_path / "Dockerfile", (".env",)) == copied_by


def test_a_dockerfile_that_copies_no_dotenv_gets_no_warning(make_project):
    """`.env` reaches the engine, but no instruction puts it in the image: nothing to say."""
    folder = make_project({"devenv.toml": BUILD, "Dockerfile": "FROM busybox\nCOPY app.py /app/\n",
                           ".env": "TOKEN=s3cret\n"})
    assert leaks(folder) == []
    (folder / "Dockerfile").write_text("FROM busybox\nCOPY . /app/\n")
    (leak,) = leaks(folder)
    assert leak.message() == ("service web: the build context sends .env to the engine, and `COPY . /app/` "
                              "bakes it into the image")
