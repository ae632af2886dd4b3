"""Settings a project's own development command gives its app, which init keeps in the app's env:
the variables a Makefile's run target sets inline (`RUN_MIGRATIONS=1 go run main.go`), a Go
listen-address variable whose default binds localhost (`LISTEN_ADDR` = `127.0.0.1:8080`), which
a container must open to every interface, the port a Python module gives `uvicorn.run`, and the
backend address a frontend's dev-server config defaults to (`process.env.API_URL ||
"http://localhost:9000"`). Pure reads.
"""

from __future__ import annotations

import re
from pathlib import Path

from devenv.init.processes import python_files, read
from devenv.init.viperenv import go_files

RUN_TARGETS = ("run", "dev", "serve", "start")
_ASSIGNS = re.compile(r"^(?:export\s+|env\s+)?((?:[A-Z][A-Z0-9_]*=[^\s$'\"`]*\s+)+)\S")
# Variables that hold the app's own listen address (not a backing service's: REDIS_ADDR).
_ADDRESS_NAME = re.compile(r"\"((?:LISTEN|HTTP|SERVER|BIND|WEB|APP)_?ADDR(?:ESS)?)\"")
_LOCAL_ADDRESS = re.compile(r"\"(?:127\.0\.0\.1|localhost):(\d{2,5})\"")


def makefile_run_env(folder: Path) -> tuple[dict[str, str], str] | None:
    """The variables set inline by the first command of the Makefile's run (dev, serve, start)
    target, and which target: the development settings the project runs its app with."""
    text = read(folder / "Makefile") if (folder / "Makefile").is_file() else ""
    for target in RUN_TARGETS:
        body = re.search(rf"^{target}\s*:(?!=)[^\n]*\n((?:\t[^\n]*\n?)+)", text, re.M)
        for line in body.group(1).splitlines() if body else []:
            command = line.strip().lstrip("@-+ ")
            match = _ASSIGNS.match(command + " ")
            if match:
                pairs = dict(p.split("=", 1) for p in match.group(1).split())
                return pairs, f"Makefile's {target} target sets {', '.join(pairs)}"
    return None


def go_local_address_env(folder: Path, port: int) -> tuple[str, str] | None:
    """(variable, why) of a listen-address setting the Go code defaults to a localhost address."""
    for path in go_files(folder, limit=300):
        text = read(path)
        for name in _ADDRESS_NAME.finditer(text):
            local = _LOCAL_ADDRESS.search(text, name.end(), name.end() + 300)
            if local:
                where = path.relative_to(folder).as_posix()
                return name.group(1), f"{where} defaults {name.group(1)} to {local.group(0)}, unreachable " \
                                      f"from outside the container: every interface, on port {port}"
    return None


_UVICORN_PORT = re.compile(r"\buvicorn\.run\((?:[^()]|\([^()]*\))*?\bport\s*=\s*"
                           r"(?:(\d{2,5})|(?:[\w.]+\.)?([A-Z][A-Z0-9_]*))")


def uvicorn_run_port(folder: Path) -> tuple[int, str] | None:
    """The port a module hands `uvicorn.run` (`python app.py`): a literal, or a setting's default
    (`port=settings.API_PORT` with `API_PORT: int = 9000` in a settings class)."""
    files = python_files(folder)
    for path in files:
        text = read(path)
        run = _UVICORN_PORT.search(text) if "uvicorn.run(" in text else None
        if not run:
            continue
        where = path.relative_to(folder).as_posix()
        if run.group(1):
            return int(run.group(1)), f"{where} runs uvicorn on port {run.group(1)}"
        default = re.compile(rf"^\s*{run.group(2)}\s*(?::\s*int)?\s*=\s*(\d{{2,5}})\s*(?:#.*)?$", re.M)
        for other in files:
            found = default.search(read(other))
            if found:
                return int(found.group(1)), f"{where} runs uvicorn on {run.group(2)}, " \
                                            f"{found.group(1)} in {other.relative_to(folder).as_posix()}"
    return None


# A dev-server config's backend address: read from the environment, else localhost on a port.
_BACKEND_URL = re.compile(r"process\.env\.([A-Z][A-Z0-9_]*)\s*(?:\|\||\?\?)\s*['\"`](https?://)"
                          r"(?:localhost|127\.0\.0\.1|0\.0\.0\.0):(\d{2,5})([^'\"`]*)['\"`]")
# Variables the bundler puts in the browser's code, where a service name does not resolve.
_BROWSER_PREFIX = re.compile(r"^(VITE_|NEXT_PUBLIC_|NUXT_PUBLIC_|REACT_APP_|PUBLIC_)")


def backend_urls(folder: Path) -> dict[str, tuple[str, int, str]]:
    """{variable: (scheme, port, path)} of the backend addresses the dev server's config reads."""
    found: dict[str, tuple[str, int, str]] = {}
    for path in sorted(folder.glob("*.config.*"))[:20]:
        if path.suffix not in (".js", ".ts", ".mjs", ".cjs", ".mts"):
            continue
        for name, scheme, port, rest in _BACKEND_URL.findall(read(path)):
            if not _BROWSER_PREFIX.match(name):
                found.setdefault(name, (scheme, int(port), rest))
    return found
