"""The user's text files, read and written the same way everywhere.

Reading: a file that is not UTF-8 is a user's mistake (a Latin-1 `.env`, a stray binary
byte), not a crash, so it becomes one `NotUtf8` error naming the file, the byte offset and
its line. NotUtf8 is a ManifestError: commands that tolerate a broken manifest (`down`,
watch's reload) tolerate unreadable bytes the same way.

Writing: a temp file in the same folder, then `os.replace`, so a reader sees the old file or
the new one, never half of one. mkstemp makes the temp file 0600; the written file gets the
mode an editor would give it instead: the old file's mode, or 0666 less the umask.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from devenv.errors import ManifestError, Problem, UsageError


class NotUtf8(ManifestError):
    """A file devenv reads holds bytes that are not UTF-8."""

    def __init__(self, path: Path, data: bytes, error: UnicodeDecodeError):
        self.path = path
        self.offset = error.start
        before = data[:error.start]
        self.line = before.count(b"\n") + 1
        # the column an editor shows: characters, not bytes (everything before is valid UTF-8)
        self.column = len(before[before.rfind(b"\n") + 1:].decode("utf-8")) + 1
        bad = " ".join(f"0x{byte:02x}" for byte in data[error.start:error.end])
        super().__init__([Problem(display_path(path), self.line, "",
                                  f"not valid UTF-8: byte {bad} at offset {self.offset} "
                                  f"(column {self.column}); save the file as UTF-8")])


def display_path(path: Path) -> str:
    """Relative to the current folder when that is short (editors and VS Code resolve it)."""
    try:
        rel = os.path.relpath(path.resolve(), Path.cwd().resolve())
    except (ValueError, OSError):
        return str(path)
    return rel if rel.count("..") <= 2 else str(path)


def decode(path: Path, data: bytes) -> str:
    """`data` (the bytes of `path`) as text; NotUtf8 when they are not UTF-8. A UTF-8 byte
    order mark is dropped, as editors on Windows write one."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8(path, data, exc) from None
    return text.removeprefix("\ufeff")


def read_text(path: Path) -> str:
    """The text of a file the user wrote. OSError passes through; bad bytes raise NotUtf8."""
    return decode(path, Path(path).read_bytes())


def current_umask() -> int:
    """The process's umask (read from /proc where it can be, so no thread sees it change)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step, with an editor's file mode (see the module doc)."""
    path = Path(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o666 & ~current_umask()
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:  # name the file being written, not the temporary one beside it
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            os.fchmod(handle.fileno(), mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def check_writable(paths: list[Path]) -> None:
    """Before the first of several files is written: each can be, so a command that writes a
    set of files (init, vscode) never stops half-way with some of them written. A folder where
    a file goes, or a file where a folder goes, is the user's to move."""
    for path in paths:
        if path.is_dir():
            raise UsageError(f"{display_path(path)} is a folder, where devenv writes a file",
                             hint="move it out of the way, then run the command again")
        for parent in path.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise UsageError(f"{display_path(parent)} is a file, where devenv needs a folder",
                                     hint="move it out of the way, then run the command again")
                if not os.access(parent, os.W_OK | os.X_OK):  # write_atomic makes its temp file there
                    if read_only_file_system(parent):
                        raise UsageError(f"{display_path(parent)}: read-only file system (devenv writes "
                                         f"{display_path(path)} there)", hint="the file system is read-only")
                    raise UsageError(f"{display_path(parent)}: permission denied (devenv writes "
                                     f"{display_path(path)} there)", hint="check who owns it (`ls -l`)")
                break


def read_only_file_system(path: Path) -> bool:
    """Whether `path` is on a file system mounted read-only (os.access says only "no")."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False
