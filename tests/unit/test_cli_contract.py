"""The contract with scripts, checked without an engine: no command waits on a prompt when
stdin is not a terminal, errors never show a traceback, exit codes stay in the documented set,
and shell completion offers the manifest's services."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click
import pytest

from devenv.cli.main import cli

DOCUMENTED_CODES = {0, 1, 2, 3, 4}
MANIFEST = '[services.web]\nimage = "busybox"\ncommand = "sleep 1"\n\n[services.db]\nimage = "busybox"\n'
PACKAGE = Path(__file__).resolve().parents[2] / "devenv"


def leaf_commands() -> dict[str, click.Command]:
    found = {}

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])
            else:
                found[" ".join([*prefix, name])] = command

    walk(cli, [])
    return found


def minimal_argv(name: str, command: click.Command) -> list[str]:
    """The command with just its required arguments and options filled in."""
    argv = name.split()
    for param in command.params:
        if param.name == "command" and isinstance(param, click.Argument):
            argv.append("true")
            continue
        if not param.required:
            continue
        if isinstance(param, click.Option):
            value = param.type.choices[0] if isinstance(param.type, click.Choice) else "x"
            argv += [param.opts[0], value]
        else:
            argv.append("web")
    return argv


def run_with_open_stdin(argv: list[str], cwd: Path, timeout: float = 90) -> tuple[int | None, str]:
    """Run devenv with a stdin pipe that stays open and empty, as under a CI runner or a task
    runner: a prompt would block forever, so it shows as a timeout."""
    env = {**os.environ, "NO_COLOR": "1", "DOCKER_HOST": f"unix://{cwd}/no-engine.sock",
           "XDG_CACHE_HOME": str(cwd / ".cache")}
    proc = subprocess.Popen([sys.executable, "-m", "devenv", *argv], cwd=cwd, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, err = _communicate_keeping_stdin_open(proc, timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None, "timed out: waiting on stdin?"
    finally:
        if proc.stdin:
            proc.stdin.close()
    return proc.returncode, err


def _communicate_keeping_stdin_open(proc: subprocess.Popen, timeout: float) -> tuple[str, str]:
    import threading

    chunks: dict[str, str] = {}
    readers = [threading.Thread(target=lambda k=k, f=f: chunks.__setitem__(k, f.read()), daemon=True)
               for k, f in (("out", proc.stdout), ("err", proc.stderr))]
    for r in readers:
        r.start()
    proc.wait(timeout=timeout)
    for r in readers:
        r.join(timeout=10)
    return chunks.get("out", ""), chunks.get("err", "")


def test_no_command_prompts_or_crashes_when_stdin_is_not_a_terminal(tmp_path):
    (tmp_path / "devenv.toml").write_text(MANIFEST)
    commands = leaf_commands()
    assert {"logs", "exec", "shell", "run", "restart", "stop", "pull", "open", "vscode"} <= set(commands)
    argvs = {name: minimal_argv(name, command) for name, command in commands.items()}

    def attempt(name: str) -> tuple[str, int | None, str]:
        folder = tmp_path / name.replace(" ", "_")
        folder.mkdir()
        (folder / "devenv.toml").write_text(MANIFEST)
        code, err = run_with_open_stdin(argvs[name], folder)
        return name, code, err

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(attempt, sorted(commands)))
    failures = [f"devenv {' '.join(argvs[name])}: exit {code}: {err.strip()[-300:]}"
                for name, code, err in results
                if code not in DOCUMENTED_CODES or "Traceback" in err or "internal error" in err
                or ("cannot reach the Docker engine" in err and code != 3)]
    assert not failures, "\n".join(failures)


def test_no_direct_prompts_in_the_code():
    """Questions would go through one helper that honours --yes and non-TTY stdin; none may
    call click.prompt/confirm or input() directly."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ("prompt", "confirm", "input", "getpass"):
                    offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {name}()")
    for command in leaf_commands().values():
        for param in command.params:
            if isinstance(param, click.Option) and param.prompt:
                offenders.append(f"{command.name}: option {param.name} prompts")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("shell,line,cword", [
    ("bash", "devenv logs ", "2"),
    ("bash", "devenv exec w", "2"),
    ("zsh", "devenv restart ", "2"),
    ("fish", "devenv open ", ""),
])
def test_completion_offers_the_manifests_services(tmp_path, shell, line, cword):
    (tmp_path / "devenv.toml").write_text(MANIFEST)
    env = {**os.environ, "_DEVENV_COMPLETE": f"{shell}_complete", "COMP_WORDS": line, "COMP_CWORD": cword}
    out = subprocess.run([sys.executable, "-m", "devenv"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=60).stdout
    offered = {word for word in out.replace(",", "\n").split("\n") if word in ("web", "db")}
    expected = {"web"} if line.endswith(" w") else {"web", "db"}
    assert offered == expected, out


def test_completion_follows_dash_C(tmp_path):
    project = tmp_path / "elsewhere"
    project.mkdir()
    (project / "devenv.toml").write_text(MANIFEST)
    env = {**os.environ, "_DEVENV_COMPLETE": "bash_complete", "COMP_WORDS": f"devenv -C {project} stop ",
           "COMP_CWORD": "4"}
    out = subprocess.run([sys.executable, "-m", "devenv"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=60).stdout
    assert out.split() == ["plain,web", "plain,db"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(devenv, shell):
    result = devenv("completion", shell)
    assert result.code == 0
    assert "_DEVENV_COMPLETE" in result.out and f"{shell}_complete" in result.out


def test_usage_errors_exit_2_without_a_traceback(make_project, devenv):
    root = make_project({"devenv.toml": MANIFEST})
    for argv in (["logs", "--nope"], ["logs", "nosuch"], ["logs", "--since", "yesterday-ish"],
                 ["logs", "--tail", "x"], ["restart", "nosuch"], ["open", "nosuch"], ["completion", "tcsh"],
                 ["run", "--entrypoint", "'unbalanced", "web"]):
        result = devenv(*argv, cwd=root)
        assert result.code == 2, (argv, result)
        assert result.err.startswith("devenv: error: ") and "Traceback" not in result.err


@pytest.mark.parametrize(("error", "shown"), [
    (PermissionError(13, "Permission denied", "devenv.toml"), "devenv.toml: permission denied"),
    (IsADirectoryError(21, "Is a directory", ".devenv.lock.x.tmp", None, "devenv.lock"),
     "devenv.lock: is a directory"),  # os.replace onto a folder: the folder is named
    (NotADirectoryError(20, "Not a directory", ".vscode/tasks.json"), ".vscode/tasks.json: not a directory"),
])
def test_a_file_devenv_cannot_use_is_named_with_what_to_do(tmp_path, monkeypatch, error, shown):
    from devenv.cli.main import file_problem

    monkeypatch.chdir(tmp_path)  # names are shown relative to the current folder
    problem = file_problem(error)
    assert problem is not None and problem[0] == shown and problem[1]


@pytest.mark.parametrize("error", [ConnectionResetError(104, "Connection reset by peer"),  # no file: a bug
                                   OSError(5, "Input/output error", "/srv/p/devenv.toml")])  # not the user's to fix
def test_other_os_errors_stay_internal_errors(error):
    from devenv.cli.main import file_problem

    assert file_problem(error) is None


def test_an_unreadable_manifest_is_one_message_and_exit_2(make_project, monkeypatch, capsys):
    """Root reads a mode-000 file anyway, so the refusal is made in-process."""
    from devenv.cli.main import main

    root = make_project({"devenv.toml": MANIFEST})
    real = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "devenv.toml":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert main(["-C", str(root), "config"]) == 2
    err = capsys.readouterr().err
    assert "devenv.toml: permission denied" in err and "internal error" not in err


@pytest.mark.parametrize(("argv", "in_the_way", "untouched"), [
    (["init", "--recipe", "flask"], ".gitignore", "devenv.toml"),
    (["init", "--recipe", "flask", "--force"], ".devenvignore", "devenv.toml"),
    (["vscode"], ".vscode/settings.json", ".vscode/tasks.json"),
])
def test_a_folder_where_a_file_goes_stops_before_anything_is_written(make_project, devenv, argv, in_the_way,
                                                                     untouched):
    files = {"requirements.txt": "flask\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"}
    if argv[0] == "vscode":
        files["devenv.toml"] = MANIFEST
    root = make_project(files)
    (root / in_the_way).mkdir(parents=True)
    result = devenv(*argv, cwd=root)
    assert result.code == 2, result
    assert f"{in_the_way} is a folder, where devenv writes a file" in result.err and "Traceback" not in result.err
    assert not (root / untouched).exists()


@pytest.mark.parametrize("argv", [
    ["down", "-t", "nan"], ["down", "-t", "inf"], ["down", "-t", "-1"], ["down", "-t", "3601"],
    ["restart", "-t", "nan"], ["stop", "-t", "1e400"], ["stop", "-t", "soon"],
    ["up", "--timeout", "-5"], ["up", "--timeout", "nan"], ["up", "--timeout", "inf"], ["up", "--timeout", "86401"],
    ["watch", "--timeout", "inf"], ["deploy", "--swarm", "--timeout", "nan"],
])
def test_a_timeout_that_is_not_a_number_of_seconds_is_a_usage_error(argv, capsys):
    """Before any engine or manifest: nan, inf and negatives crashed a stop or read as "not healthy after -5s"."""
    from devenv.cli.main import main

    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("devenv: error: Invalid value for") and "is not a number of seconds" in err, err
    assert "internal error" not in err


def test_every_timeout_option_takes_seconds_in_range():
    from devenv.cli.main import Seconds

    options = [(name, p) for name, command in leaf_commands().items() for p in command.params
               if isinstance(p, click.Option) and "--timeout" in p.opts]
    assert {name for name, _ in options} >= {"up", "watch", "down", "restart", "stop", "deploy"}
    assert all(isinstance(p.type, Seconds) for _, p in options), [name for name, p in options]
    stop = next(p for name, p in options if name == "stop").type
    assert stop.convert("0", None, None) == 0.0 and stop.convert("3600", None, None) == 3600.0
    assert stop.convert("0.5", None, None) == 0.5


def test_a_folder_given_with_dash_c_that_does_not_exist_is_named(tmp_path, devenv):
    """Not "no devenv.toml in /x or any folder above it": the folder itself is missing."""
    result = devenv("-C", str(tmp_path / "nowhere"), "status", cwd=tmp_path)
    assert result.code == 2 and f"Directory '{tmp_path / 'nowhere'}' does not exist" in result.err


def test_init_keeps_a_file_it_need_not_write_whatever_its_mode(make_project, monkeypatch, capsys):
    """A read-only .devenvignore that init keeps, and a .gitignore that already names the local
    layer, are not written: they stop nothing. (Root writes any file, so the refusal is made
    in-process, by os.access.)"""
    import os as os_module

    from devenv.cli.main import main

    root = make_project({"requirements.txt": "flask\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                         ".devenvignore": "build/\n", ".gitignore": "devenv.local.toml\n"})
    real = os_module.access
    read_only = {str(root / ".devenvignore"), str(root / ".gitignore")}
    monkeypatch.setattr(os_module, "access", lambda path, mode, **kw: (
        not (mode & os_module.W_OK and str(path) in read_only)) and real(path, mode, **kw))
    assert main(["-C", str(root), "init", "--recipe", "flask"]) == 0, capsys.readouterr().err
    assert (root / "devenv.toml").is_file() and (root / ".devenvignore").read_text() == "build/\n"


def test_a_read_only_file_system_is_named_as_one_not_as_a_permission(make_project, monkeypatch, capsys):
    """vscode, init and export check every file before the first is written; on a read-only
    mount os.access says no as for a permission, but checking who owns the folder helps nobody."""
    import os as os_module

    from devenv.cli.main import main

    root = make_project({"devenv.toml": '[services.web]\nimage = "x"\n'})
    monkeypatch.setattr(os_module, "access", lambda path, mode, **kw: not mode & os_module.W_OK)
    real_statvfs = os_module.statvfs

    class ReadOnly:
        f_flag = os_module.ST_RDONLY

    monkeypatch.setattr(os_module, "statvfs", lambda path: ReadOnly() if str(path) == str(root) else real_statvfs(path))
    assert main(["-C", str(root), "vscode"]) == 2
    err = capsys.readouterr().err
    assert "read-only file system" in err and "who owns" not in err
    assert main(["-C", str(root), "export", "--format", "compose", "-o", str(root / "c.yaml")]) == 2
    assert "read-only file system" in capsys.readouterr().err


def test_an_atomic_write_that_cannot_start_names_the_file_not_its_temporary(tmp_path, monkeypatch):
    import errno
    import tempfile

    from devenv.core.textfiles import write_atomic

    def refuse(**kw):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / ".devenv.lock.x1y2.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OSError) as info:
        write_atomic(tmp_path / "devenv.lock", "x")
    assert info.value.filename == str(tmp_path / "devenv.lock") and info.value.errno == errno.EROFS


def test_a_manifest_that_is_no_file_and_a_replica_below_one_are_usage_errors(tmp_path, devenv):
    (tmp_path / "devenv.toml").write_text('[services.web]\nimage = "x"\n')
    for given, said in (("/dev/null", "/dev/null: not a regular file"), (str(tmp_path), "a folder, not a manifest"),
                        (str(tmp_path / "nope.toml"), "no such manifest file")):
        result = devenv("-f", given, "config", cwd=tmp_path)
        assert result.code == 2 and said in result.err, (given, result.err)
    for index in ("0", "-1"):
        result = devenv("exec", "--index", index, "web", "ls", cwd=tmp_path)
        assert result.code == 2 and "--index" in result.err and "Traceback" not in result.err


def test_open_says_a_udp_port_has_no_url_rather_than_that_it_is_not_published():
    from devenv.cli.commands.open import no_url
    from devenv.cli.commands.status import port_rows

    rows = [{"service": "dns", "state": "running", "ports": port_rows(("127.0.0.1:5353->53/udp",))}]
    assert "publishes container port 53 over UDP only" in no_url(rows, "dns", 53).message
    assert "does not publish container port 80" in no_url(rows, "dns", 80).message
    assert "publishes ports over UDP only" in no_url(rows, "dns", None).message
