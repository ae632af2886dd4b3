"""Bad bytes give one clear message (issue 15, point 5): every input file that is not UTF-8
(manifest, local layer, .env, env_file, the lock, .dockerignore, .devenvignore) ends in one
line naming the file, its line and the byte offset, exit 2, and no traceback, whatever the
command. No engine here (DOCKER_HOST points at nothing): the commands below read these files
before they need one. `down` and `watch` on a real engine are in tests/e2e/test_bad_bytes.py."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from devenv.core.textfiles import NotUtf8, read_text, write_atomic
from devenv.errors import EXIT_USAGE, ManifestError
from tests.unit.test_cli_contract import leaf_commands, minimal_argv

# "café" saved as Latin-1, the way an old editor or a Windows tool writes it.
LATIN1 = "# caf\xe9\n".encode("latin-1")
MANIFEST = b'[project]\nname = "isb-bytes"\n\n[services.web]\nbuild = "."\nenv_file = ["app.env"]\n' \
           b'command = "sleep 1"\n'


def project(folder: Path, bad: str | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    files = {"devenv.toml": MANIFEST, "Dockerfile": b"FROM busybox\n", "app.env": b"A=1\n"}
    if bad:
        files[bad] = files.get(bad, b"") + (b"X=caf\xe9\n" if bad.endswith("env") else LATIN1)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def run(folder: Path, *argv: str) -> tuple[int, str]:
    env = {**os.environ, "NO_COLOR": "1", "DOCKER_HOST": f"unix://{folder}/no-engine.sock",
           "XDG_CACHE_HOME": str(folder / ".cache"), "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run([sys.executable, "-m", "devenv", *argv], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)
    return proc.returncode, proc.stdout + proc.stderr


def expected(name: str, data: bytes) -> str:
    offset = data.index(b"\xe9")
    line = data[:offset].count(b"\n") + 1
    return f"{name}:{line}: not valid UTF-8: byte 0xe9 at offset {offset}"


# Which commands read which file before they need an engine.
READERS = {
    "devenv.local.toml": ["config", "watch"],
    ".env": ["plan", "export --format compose"],
    "devenv.lock": ["up", "lock --check --offline"],
    ".dockerignore": ["plan"],
    ".devenvignore": ["watch"],
}


@pytest.mark.parametrize("bad", sorted(READERS))
def test_a_file_that_is_not_utf8_is_one_message_and_exit_2(tmp_path, bad):
    folder = project(tmp_path / "p", bad)
    data = (folder / bad).read_bytes()

    def attempt(argv: str) -> tuple[str, int, str]:
        return (argv, *run(folder, *argv.split()))

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(attempt, READERS[bad]))
    for argv, code, output in results:
        assert code == EXIT_USAGE, (argv, code, output)
        assert expected(bad, data) in output, (argv, output)
        assert "Traceback" not in output and "internal error" not in output, (argv, output)
        assert output.count("not valid UTF-8") == 1, (argv, output)


# Every command that works on a project reads its manifest before anything else.
PROJECT_COMMANDS = {"up", "plan", "config", "lock", "watch", "status", "ps", "logs", "export", "vscode", "restart",
                    "stop", "pull", "open", "exec", "run", "shell", "deploy", "doctor"}


def test_every_command_survives_a_manifest_that_is_not_utf8(tmp_path):
    """The whole command list: a project command reports the bad manifest; the others (schema,
    recipes, ls, down without an engine…) end with a documented code. None shows a traceback."""
    commands = leaf_commands()
    assert set(commands) >= PROJECT_COMMANDS
    argvs = {name: minimal_argv(name, command) for name, command in commands.items()}
    argvs["deploy"] = ["deploy", "--swarm"]

    def attempt(name: str) -> tuple[str, int, str]:
        folder = tmp_path / name.replace(" ", "_")
        project(folder, "devenv.toml")
        (folder / "devenv.toml").write_bytes(MANIFEST + LATIN1)
        return (name, *run(folder, *argvs[name]))

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(attempt, sorted(commands)))
    message = expected("devenv.toml", MANIFEST + LATIN1)
    for name, code, output in results:
        assert "Traceback" not in output and "internal error" not in output, (name, output)
        assert code in (0, 1, 2, 3), (name, code, output)
        if name in PROJECT_COMMANDS:
            assert message in output, (name, output)
            assert code == (1 if name == "doctor" else EXIT_USAGE), (name, code, output)  # doctor: a failed check
        elif name == "down":  # down finds the project by its labels: it needs the engine first (e2e covers it)
            assert code == 3, (name, output)


def test_the_offset_line_and_column_point_at_the_first_bad_byte(tmp_path):
    path = tmp_path / "devenv.toml"
    path.write_bytes(b'[project]\nname = "x"\n# na\xc3\xafve is fine, \xff is not\n')
    with pytest.raises(NotUtf8) as caught:
        read_text(path)
    error = caught.value
    assert (error.offset, error.line, error.column) == (39, 3, 18)  # ï is two bytes, one column
    assert isinstance(error, ManifestError)  # `down` and watch's reload tolerate it as a broken manifest
    assert "devenv.toml:3: not valid UTF-8: byte 0xff at offset 39 (column 18)" in error.message


def test_a_truncated_multibyte_character_is_named_too(tmp_path):
    path = tmp_path / ".env"
    path.write_bytes(b"A=\xe2\x82")  # "€" cut in half at the end of the file
    with pytest.raises(NotUtf8, match=r"\.env:1: not valid UTF-8: byte 0xe2 0x82 at offset 2"):
        read_text(path)


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "devenv.toml"
    path.write_bytes(b"\xef\xbb\xbf[project]\n")
    assert read_text(path) == "[project]\n"


@pytest.mark.parametrize("bad", [".dockerignore", ".devenvignore"])
def test_doctor_reports_an_ignore_file_that_is_not_utf8_as_a_failed_check(tmp_path, bad):
    import json

    folder = project(tmp_path / "p", bad)
    code, output = run(folder, "doctor", "--json")
    assert code == 1, output
    rows = json.loads(output[:output.rindex("}") + 1])["checks"]
    failed = [r for r in rows if r["status"] == "FAIL" and expected(bad, (folder / bad).read_bytes()) in r["detail"]]
    assert failed and {r["check"] for r in failed} <= {"inotify", "context"}, rows
    assert {"ports", "images", "lock"} <= {r["check"] for r in rows}  # the other checks still ran


# -- written files follow the umask (issue 15, point 8) -------------------------------------------

@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_written_files_follow_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "devenv.lock", "x\n")
    finally:
        os.umask(old)
    assert (tmp_path / "devenv.lock").stat().st_mode & 0o777 == mode
    assert [p.name for p in tmp_path.iterdir()] == ["devenv.lock"]  # no temp file left


def test_rewriting_a_file_keeps_its_mode(tmp_path):
    path = tmp_path / "devenv.lock"
    path.write_text("old\n")
    path.chmod(0o640)
    write_atomic(path, "new\n")
    assert path.read_text() == "new\n" and path.stat().st_mode & 0o777 == 0o640
