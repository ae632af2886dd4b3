"""Pumping a terminal through an attached engine socket (for `exec`, `shell` and `run`).

stdin goes to the socket (and the socket's write half is closed at end of input, so the command
sees EOF); the socket's output goes to stdout/stderr. Without a TTY the engine multiplexes
stdout and stderr in frames (8-byte header: stream, 0, 0, 0, big-endian length), which
`Demuxer` splits; with a TTY the stream is raw and the local terminal is put in raw mode, so
keys such as Ctrl-C reach the program in the container. No docker import here: the engine
hands over the socket.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import struct
import sys
import threading
from collections.abc import Callable, Iterator

STDOUT, STDERR = 1, 2


class Demuxer:
    """Split the engine's multiplexed stream into (stream, bytes) chunks, across arbitrary reads."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        self._buffer += data
        chunks = []
        while len(self._buffer) >= 8:
            stream, length = struct.unpack(">BxxxL", self._buffer[:8])
            if len(self._buffer) < 8 + length:
                break
            chunks.append((STDERR if stream == 2 else STDOUT, self._buffer[8:8 + length]))
            self._buffer = self._buffer[8 + length:]
        return chunks


def wants_tty(no_tty: bool = False) -> bool:
    """A TTY for the container when we sit between two terminals (so redirected output stays clean)."""
    if no_tty:
        return False
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def terminal_size() -> tuple[int, int]:
    size = os.get_terminal_size(sys.stdout.fileno())
    return size.lines, size.columns


@contextlib.contextmanager
def raw_terminal(enabled: bool) -> Iterator[None]:
    """Put the local terminal in raw mode for the session; always restore it."""
    if not enabled:
        yield
        return
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setraw(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _send_all(sock: socket.socket, data: bytes) -> None:
    view = memoryview(data)
    while view:
        _, writable, _ = select.select([], [sock], [])
        if writable:
            sent = sock.send(view)
            view = view[sent:]


def _pump_stdin(sock: socket.socket, done: threading.Event) -> None:
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, ValueError, OSError):
        fd = None
    try:
        while fd is not None and not done.is_set():
            readable, _, _ = select.select([fd], [], [], 0.2)
            if not readable:
                continue
            data = os.read(fd, 65536)
            if not data:
                break
            _send_all(sock, data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_WR)  # the command sees end of input


def session(handle: socket.socket | socket.SocketIO, *, tty: bool,
            on_resize: Callable[[int, int], None] | None = None) -> None:
    """Run one interactive session over `handle` (the engine's socket) until the remote side ends."""
    # The SDK hands over a SocketIO over unix sockets; the socket is its `_sock`, which typeshed
    # does not declare (hence getattr).
    sock: socket.socket = handle if isinstance(handle, socket.socket) else getattr(handle, "_sock")  # noqa: B009
    sock.setblocking(True)
    done = threading.Event()
    old_handler = None
    if tty and on_resize is not None:
        import signal

        def resize(*_: object) -> None:
            with contextlib.suppress(OSError):
                on_resize(*terminal_size())

        resize()
        old_handler = signal.signal(signal.SIGWINCH, resize)
    feeder = threading.Thread(target=_pump_stdin, args=(sock, done), daemon=True, name="devenv-stdin")
    demux = None if tty else Demuxer()
    outputs = {STDOUT: sys.stdout.buffer, STDERR: sys.stderr.buffer}
    try:
        with raw_terminal(tty):
            feeder.start()
            while True:
                try:
                    data = sock.recv(65536)
                except InterruptedError:
                    continue
                except OSError:
                    break
                if not data:
                    break
                chunks = [(STDOUT, data)] if demux is None else demux.feed(data)
                for stream, chunk in chunks:
                    outputs[stream].write(chunk)
                    outputs[stream].flush()
    finally:
        done.set()
        if old_handler is not None:
            import signal

            signal.signal(signal.SIGWINCH, old_handler)
        with contextlib.suppress(OSError):
            sock.close()
