"""Ports, mounts, secrets and durations of a Compose service in devenv's spelling, for
`devenv init --from` (devenv/init/compose.py converts the rest of a service). These are the
values that can collide (two services on one host port, two anonymous volumes of one name)
and that can hold a variable with no default, so they share the converter's record of what is
taken and of an example value per variable. Pure: nothing here writes or prints.
"""

from __future__ import annotations

import ipaddress
import os
import posixpath
import re
from collections.abc import Callable
from itertools import chain, count
from pathlib import Path, PurePosixPath
from typing import Any

from devenv.errors import UsageError
from devenv.init.compose_load import interpolation, no_default, split_colons

_VOLUME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_MAX_RANGE = 100  # ports a range may expand to before it is left out
# A value valid there, for a variable with no default.
_EXAMPLES = {"ip": "127.0.0.1", "duration": "1s", "signal": "SIGTERM"}


def text_of(value: Any) -> str:
    """A scalar as text in devenv's variable syntax (YAML's true is "true")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return interpolation(str(value))


def duration(value: Any) -> str | float:
    """Compose durations ("1m30s", "10s", "500ms") are devenv's; "us"/"ns" round to ms."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if re.fullmatch(r"(\d+(\.\d+)?(ms|s|m|h))+", text):
        return text
    micro = re.fullmatch(r"(\d+)(us|ns)", text)
    if micro:
        return f"{max(1, int(micro[1]) // (1000 if micro[2] == 'us' else 1_000_000))}ms"
    return text


class Bindings:
    """What a Compose service binds on the host or mounts, and the notes about it."""

    root: Path  # the project's folder: bind sources and Dockerfiles are read there

    def __init__(self, data: dict[str, Any], *, base: PurePosixPath):
        self.data = data
        self.base = base  # the Compose file's folder, relative to the manifest's
        self.notes: list[str] = []
        self.bound: list[Any] = []  # host ports published so far (devenv.manifest.model.Port)
        self.volumes = set(data.get("volumes") or {})  # named volume names taken
        self.examples: dict[str, str] = {}
        self.numbers = count(49152)  # example ports: unique, so that they never clash

    def note(self, service: str, text: str) -> None:
        self.notes.append(f"{service}: {text}")

    def path(self, value: str) -> str:
        """A host path of the Compose file, relative to the manifest's folder."""
        text = text_of(value)
        if text.startswith(("/", "~", "$")):
            return text
        joined = posixpath.normpath((self.base / text).as_posix())
        return joined if joined == "." or joined.startswith("..") else "./" + joined

    def port(self, name: str, item: Any, scale: int) -> list[str]:
        """A `ports` entry (short or long syntax; ranges expanded) in devenv's spelling."""
        if isinstance(item, dict):
            extra = sorted(set(item) - {"target", "published", "host_ip", "protocol"})
            if extra:
                self.note(name, f"port {item.get('target')}: {', '.join(extra)} not supported; left out")
            ip, host, container = (text_of(item.get(k) or "") for k in ("host_ip", "published", "target"))
            proto = str(item.get("protocol") or "tcp")
            shown = f"{host}:{container}" if host else container
        else:
            shown = text_of(item)
            body, _, proto = shown.partition("/")
            parts = split_colons(body)
            container, host, ip = parts[-1], (parts[-2] if len(parts) > 1 else ""), ":".join(parts[:-2])
            proto = proto or "tcp"
        ip = ip.strip("[]")
        if "$" in ip + host + container:
            return [self.variable_port(name, ip, host, container, proto)]
        hosts, containers = _port_range(host), _port_range(container)
        if proto not in ("tcp", "udp") or hosts is None or not containers:
            self.note(name, f"port {shown!r} is not a port mapping devenv supports; left out")
            return []
        if len(hosts) > 1 and len(containers) == 1:
            self.note(name, f"port {shown!r}: a host port range is not supported; the engine picks a free "
                            "host port")
            hosts = [""]
        if (hosts != [""] and len(hosts) != len(containers)) or len(containers) > _MAX_RANGE:
            self.note(name, f"port range {shown!r} is not supported; left out")
            return []
        if hosts != [""] and scale > 1:
            self.note(name, f"port {shown!r}: a fixed host port cannot serve {scale} replicas; the engine "
                            "picks one per replica")
            hosts = [""]
        try:
            ipaddress.ip_address(ip or "127.0.0.1")
        except ValueError:
            self.note(name, f"port {shown!r}: {ip} is not an IP address; left out")
            return []
        hosts = hosts * len(containers) if hosts == [""] else hosts
        texts = [_port_text(ip, self.free(name, ip, h, proto) if h else "", c, proto)
                 for h, c in zip(hosts, containers, strict=True)]
        if ip in ("0.0.0.0", "::"):
            self.note(name, f"port {shown!r} binds every address; devenv keeps it as written")
        return texts

    def variable_port(self, name: str, ip: str, host: str, container: str, proto: str) -> str:
        """Known only once devenv interpolates it: kept as written; its default's host port is
        held, so that a fixed port of another service moves on rather than clash with it."""
        from devenv.manifest.model import parse_port

        text = _port_text(ip, host, container, proto)
        for part, kind in ((ip, "ip"), (host, "port"), (container, "port")):
            self.stands(part, kind)
        port = self.unset(name, "port", text, parse_port)
        if port is not None and port.host_port is not None:
            self.bound.append(port)
        return text

    def free(self, name: str, ip: str, host: str, proto: str) -> str:
        """The host port, or the next one no other binding holds: two services publishing one
        host port cannot both start, so the second moves on."""
        from devenv.manifest.model import Port, ports_overlap

        wanted = number = int(host)

        def port(number: int) -> Port:
            return Port(host_ip=ip or "127.0.0.1", host_port=number, container_port=1,
                        protocol="udp" if proto == "udp" else "tcp")

        while any(ports_overlap(port(number), other) for other in self.bound) and number < 65535:
            number += 1
        if number != wanted:
            self.note(name, f"host port {wanted}/{proto} is already published: {number} instead")
        self.bound.append(port(number))
        return str(number)

    def volume(self, name: str, item: Any) -> list[str]:
        if isinstance(item, dict):
            kind = item.get("type", "volume")
            target = text_of(item.get("target", ""))
            if kind not in ("bind", "volume"):
                self.note(name, f"volume of type {kind} at {target} is not supported; left out")
                return []
            source = item.get("source")
            if not source and kind == "volume":
                return [self.anonymous(name, target, bool(item.get("read_only", False)))]
            if not source:
                self.note(name, f"bind mount at {target} without a source; left out (Compose refuses it too)")
                return []
            extra = [f"{key}.{k}" if isinstance(item[key], dict) else key
                     for key in sorted(set(item) - {"type", "source", "target", "read_only"})
                     for k in (item[key] if isinstance(item[key], dict) and item[key] else [""])
                     if f"{key}.{k}" != "bind.create_host_path"]  # said when the path is missing
            if extra:
                self.note(name, f"volume {target}: {', '.join(e.rstrip('.') for e in extra)} not supported; left out")
            source = self.path(source) if kind == "bind" else text_of(source)
            read_only = bool(item.get("read_only", False))
            if kind == "bind":
                bind = item.get("bind")
                created = isinstance(bind, dict) and bool(bind.get("create_host_path"))
                self.missing(name, source, target, created=created)
        else:
            parts = split_colons(text_of(item))
            if len(parts) == 1:
                return [self.anonymous(name, parts[0], False)]
            source, target = parts[0], parts[1]
            options = ",".join(parts[2:]).split(",") if len(parts) > 2 else []
            read_only = "ro" in options
            other = [o for o in options if o not in ("ro", "rw", "")]
            if other:
                self.note(name, f"volume {target}: option {','.join(other)} not supported; left out")
            if source.startswith((".", "/", "~", "$")):
                source = self.path(source)
                self.missing(name, source, target, created=True)  # the short syntax implies create_host_path
        if not source.startswith((".", "/", "~")) and "$" not in source and not _VOLUME_NAME.match(source):
            self.note(name, f"volume {source!r} is not a name devenv accepts; left out")
            return []
        text = f"{source}:{target}" + (":ro" if read_only else "")
        if "$" in text:
            from devenv.manifest.model import parse_mount

            self.stands(source, "path")
            self.stands(target, "path")
            self.unset(name, "volume", text, parse_mount)
        return [text]

    def missing(self, name: str, source: str, target: str, *, created: bool) -> None:
        """A bind source that does not exist: Compose makes it an empty folder (short syntax, or
        create_host_path), but the engine refuses to mount it for devenv, which creates nothing."""
        if "$" in source or (self.root / os.path.expanduser(source)).exists():
            return
        how = "where Compose makes an empty folder of it" if created else "as Compose does"
        self.note(name, f"volume {source}:{target}: {source} does not exist; create it before `devenv up` "
                        f"(devenv mounts only what exists, {how})")

    def anonymous(self, name: str, target: str, read_only: bool) -> str:
        """Compose gives a container path its own anonymous volume (`- /app/node_modules`), mostly
        so that a bind mount of the sources does not hide what the image put there. A named volume
        per service and path does the same: the engine fills an empty volume from the image."""
        if not target.startswith("/") and "$" not in target:
            raise UsageError(f"--from: service {name!r}: volume {target!r} is a container path that is not "
                             "absolute (an entry without a colon is an anonymous volume at that path); the "
                             "engine refuses it too",
                             hint=f"to mount the named volume {target}, write `{target}:/path/in/the/container`")
        base = f"{name}-" + (re.sub(r"[^A-Za-z0-9_.-]+", "-", PurePosixPath(target).name).strip("-.") or "data")
        volume = next(v for v in chain([base], (f"{base}-{n}" for n in count(2))) if v not in self.volumes)
        self.volumes.add(volume)
        self.note(name, f"anonymous volume at {target}: the named volume {volume} instead (kept across "
                        "`devenv down`, where Compose starts a new one from the image: `down --volumes` does that)")
        return f"{volume}:{target}" + (":ro" if read_only else "")

    def stop_signal(self, name: str, value: Any, out: dict[str, Any]) -> None:
        """Compose's stop_signal, as the engine reads it; one the engine does not know is noted."""
        from devenv.manifest.model import parse_signal

        text = text_of(value)
        if "$" in text:
            self.stands(text, "signal")
        try:
            out["stop_signal"] = text if "$" in text else parse_signal(text)
        except ValueError as exc:
            self.note(name, f"stop_signal: {exc}; left out (the image's STOPSIGNAL, else SIGTERM, applies)")

    def timing(self, name: str, key: str, value: Any, *, at_most: float) -> str | float:
        """A duration; one with a variable is checked with the variable's default. One longer than
        devenv allows there (Compose has no limit) becomes the longest, with a note."""
        from devenv.manifest.model import parse_duration

        out = duration(value)
        if isinstance(out, str) and "$" in out:
            self.stands(out, "duration")
            self.unset(name, key, out, parse_duration)
            return out
        try:
            seconds = parse_duration(out, at_most=float("inf"))
        except ValueError:
            return out  # not a duration: the manifest's check says so, naming the Compose key
        if seconds > at_most:
            longest = f"{at_most / 3600:g}h" if at_most % 3600 == 0 else f"{at_most:g}s"
            self.note(name, f"{key} {value}: longer than devenv allows; {longest} instead")
            return longest
        return out

    def stands(self, text: str, kind: str) -> None:
        """Each variable of `text` with no default gets an example value valid where it stands
        (`kind`: ip, port, path, duration or signal); `from_compose` checks the manifest with them."""
        for variable in no_default(text):
            if variable in self.examples:
                continue
            if kind == "port":
                self.examples[variable] = str(next(self.numbers))
            elif kind == "path":  # a whole path, or a part of one
                self.examples[variable] = "/x" if text.startswith("${" + variable) else "x"
            else:
                self.examples[variable] = _EXAMPLES[kind]

    def unset(self, name: str, what: str, text: str, parse: Callable[[str], Any]) -> Any:
        """`text` parsed as devenv reads it with its variables unset (their defaults apply); when
        only a value of a variable with no default makes it valid, a note names the variables to
        set. None when it is not valid. (A default that is itself wrong fails the check.)"""
        from devenv.manifest.load import interpolate

        try:
            return parse(interpolate(text, {}))
        except ValueError:
            unset = no_default(text)
            if unset:
                self.note(name, f"{what} {text!r} needs {', '.join(unset)} set (in the environment or .env); "
                                "the manifest keeps the variable")
            return None

    def granted(self, name: str, kind: str, items: Any) -> list[str]:
        """`secrets` / `configs` backed by a file: Compose bind-mounts that file read-only (at
        /run/secrets/NAME, or /NAME for a config), and so does devenv."""
        found = []
        for item in items or []:
            spec = item if isinstance(item, dict) else {"source": item}
            source = str(spec.get("source", ""))
            target = text_of(spec.get("target") or source)
            if not target.startswith("/"):
                target = f"/run/secrets/{target}" if kind == "secrets" else f"/{target}"
            extra = sorted(set(spec) - {"source", "target"})
            if extra:
                self.note(name, f"{kind} {source}: {', '.join(extra)} not supported; left out")
            top = (self.data.get(kind) or {}).get(source)
            if not isinstance(top, dict) or not top.get("file"):
                how = f"from {', '.join(sorted(top))}" if isinstance(top, dict) and top else "not defined"
                self.note(name, f"{kind} {source} ({how}): only a file becomes a mount in devenv; left out")
                continue
            found.append(f"{self.path(str(top['file']))}:{target}:ro")
        return found


def _port_range(text: str) -> list[str] | None:
    """"8000" → ["8000"], "8000-8002" → ["8000", "8001", "8002"], "" → [""]; None if not ports."""
    if not text:
        return [""]
    low, _, high = text.partition("-")
    if not low.isdigit() or (high and not high.isdigit()) or not 0 < int(low) <= int(high or low) < 65536:
        return None
    return [str(n) for n in range(int(low), int(high or low) + 1)]


def _port_text(ip: str, host: str, container: str, proto: str) -> str:
    address = f"[{ip}]" if ":" in ip and "$" not in ip else ip  # devenv writes an IPv6 address bracketed
    text = f"{address}:{host}:{container}" if address else f"{host}:{container}" if host else container
    return text + ("/udp" if proto == "udp" else "")
