"""Containers: observe, create, start, stop, remove, exec, logs, events, files."""

from __future__ import annotations

import contextlib
import json
import urllib.parse
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal, cast

from devenv.core.observed import Observed
from devenv.engine.connect import START_HINT as START_HINT  # re-exported: doctor's hint
from devenv.engine.connect import reason_of, speaks_raw, unreachable
from devenv.engine.create_body import container_body
from devenv.engine.transport import (
    L_PROJECT,
    L_PROVISION_HASH,
    L_REPLICA,
    L_ROLE,
    L_ROOT,
    L_SERVICE,
    L_SPEC,
    L_SPEC_HASH,
    EngineBase,
    _raw_stream,
)
from devenv.errors import DevenvError, EngineUnavailable

if TYPE_CHECKING:  # the spec's types only: reading containers must not import the spec machinery
    from devenv.core.spec import ContainerSpec, HealthcheckSpec
    from devenv.engine.probes import HealthProbes


class Containers(EngineBase):
    def containers(self, project: str | None = None, *, role: str | None = "service") -> list[Observed]:
        """A project's containers of one role (service | provision | run; None: all), or those of
        every devenv project, in one engine call."""
        label = f"{L_PROJECT}={project}" if project else L_PROJECT
        query = urllib.parse.urlencode({"all": "1", "filters": json.dumps({"label": [label]})})
        found = []
        for c in self._raw_get(f"/containers/json?{query}"):
            labels = c.get("Labels") or {}
            if role is not None and labels.get(L_ROLE, "service") != role:
                continue
            observed = _observed(c, labels)
            if observed.health is None and observed.running and _healthcheck(observed) is not None:
                # Podman's list does not carry the health in Status; Docker's always does.
                observed = observed._replace(health=self._inspected_health(observed.id))
            found.append(observed)
        return sorted(found, key=lambda o: (o.service, o.replica))

    def _inspected_health(self, container_id: str) -> str | None:
        try:
            state = self.inspect(container_id).get("State") or {}
        except EngineUnavailable:
            raise
        except DevenvError:
            return None  # removed meanwhile
        return ((state.get("Health") or state.get("Healthcheck") or {}).get("Status")) or None

    def run_due_healthchecks(self, containers: list[Observed]) -> set[str]:
        """While devenv waits on health: run the checks the engine would run later, and return
        the IDs of the containers that passed one of devenv's own (engine/probes.py).

        Podman schedules healthchecks with systemd timers; without systemd (containers, CI) they
        never run and a `healthy` gate would wait forever: devenv runs each due check through
        libpod's API, at the healthcheck's interval, and Podman records the result itself.
        Docker runs its first check one interval after the start: devenv runs the test in the
        container meanwhile."""
        import time

        waiting = [(c, hc) for c in containers if c.running and c.health == "starting"
                   and (hc := _healthcheck(c)) is not None]
        if not waiting:
            return set()
        if not self.is_podman:
            return self.probes.passed({c.id: hc for c, hc in waiting})
        now = time.monotonic()
        for c, hc in waiting:
            interval = float(hc.get("interval") or 1.0)
            if now - self._health_runs.get(c.id, float("-inf")) < interval:
                continue
            self._health_runs[c.id] = now
            with contextlib.suppress(DevenvError):  # a check that fails is recorded by Podman itself
                self._raw_get(f"/v4.0.0/libpod/containers/{c.id}/healthcheck")  # libpod paths need a version
        return set()

    @property
    def probes(self) -> HealthProbes[HealthcheckSpec]:
        with self._probes_lock:
            if self._probes is None:
                from devenv.engine.probes import HealthProbes

                self._probes = HealthProbes(self.check_health_once)
            return self._probes

    def _shell(self, container_id: str) -> list[str]:
        """The shell the engine runs a string healthcheck with: the image's SHELL, or sh."""
        if container_id not in self._shells:
            self._shells[container_id] = (self.inspect(container_id).get("Config") or {}).get("Shell") or ["/bin/sh",
                                                                                                           "-c"]
        return self._shells[container_id]

    def forget_health(self, container_id: str) -> None:
        """A container started again (by devenv, or by the engine after it died) is starting
        again: a check it passed before counts no more."""
        if self._probes is not None:
            self._probes.forget(container_id)

    def check_health_once(self, container_id: str, healthcheck: HealthcheckSpec) -> bool:
        """Run a healthcheck's test in the container as the engine runs it (an exec with the
        container's user, environment and folder; a string test through the image's shell) and
        say whether it exited 0 within the check's timeout."""
        import time

        test = list(healthcheck["test"])
        kind, args = (test[0], test[1:]) if test and test[0] in ("CMD", "CMD-SHELL", "NONE") else ("CMD", test)
        if kind == "NONE" or not args:
            return False
        if kind == "CMD-SHELL":
            args = [*self._shell(container_id), " ".join(args)]
        created = self._raw_call("POST", f"/containers/{container_id}/exec", "health check",
                                 payload={"Cmd": args, "AttachStdout": False, "AttachStderr": False})
        exec_id = created["Id"]
        self._raw_call("POST", f"/exec/{exec_id}/start", "health check", payload={"Detach": True, "Tty": False})
        deadline = time.monotonic() + float(healthcheck.get("timeout") or 30.0)
        delay = 0.02  # most tests end within milliseconds; a slow one is looked at less often
        while True:
            info = self._raw_get(f"/exec/{exec_id}/json")
            if not info.get("Running") and info.get("ExitCode") is not None:
                return info["ExitCode"] == 0
            if time.monotonic() > deadline:
                return False  # like the engine's check, one that outlives its timeout failed
            time.sleep(delay)
            delay = min(delay * 1.5, 0.25)

    def container_labels(self, project: str | None = None, *, root: str | None = None) -> list[dict]:
        """Raw container rows of a project, of a project folder, or of every devenv project."""
        label = f"{L_PROJECT}={project}" if project else f"{L_ROOT}={root}" if root else L_PROJECT
        query = urllib.parse.urlencode({"all": "1", "filters": json.dumps({"label": [label]})})
        return self._raw_get(f"/containers/json?{query}")

    def running_containers(self) -> list[dict]:
        """Raw rows of every running container on the engine, devenv's or not (who holds a port)."""
        return self._raw_get("/containers/json")

    def inspect(self, container_id: str) -> dict:
        return self._raw_get(f"/containers/{container_id}/json")

    def crash_record(self, container_id: str) -> tuple[int, int | None]:
        """(restart count, last exit code) of a container. A container running again after a
        restart reports exit code 0, so the last exit code then comes from its last `die` event."""
        data = self.inspect(container_id)
        state = data.get("State") or {}
        restarts = int(data.get("RestartCount") or 0)
        code = state.get("ExitCode")
        if state.get("Status") in ("created",) or (state.get("Running") and not restarts):
            return restarts, None
        if state.get("Running") or (state.get("Restarting") and not code):
            import time

            filters = json.dumps({"container": [container_id], "event": ["die"], "type": ["container"]})
            query = urllib.parse.urlencode({"since": "0", "until": str(int(time.time()) + 1), "filters": filters})
            try:
                status, body = self._raw_status(f"/events?{query}")
                events = [json.loads(line) for line in body.splitlines() if line.strip()] if status < 400 else []
            except (OSError, ValueError, DevenvError):
                events = []
            codes = [(e.get("Actor") or {}).get("Attributes", {}).get("exitCode") for e in events]
            code = int(codes[-1]) if codes and codes[-1] is not None else None
        return restarts, code

    def create(self, *, name: str, spec: ContainerSpec, labels: dict[str, str], network: str,
               command: list[str] | None = None, auto_remove: bool = False, tty: bool = False,
               stdin: bool = False) -> str:
        """Create a container from a spec (see spec.py); returns its ID."""
        body = container_body(spec, labels=labels, network=network, host_gateway=self._host_gateway(network),
                              command=command, auto_remove=auto_remove, tty=tty, stdin=stdin,
                              unset_env=not self.is_podman)
        created = self._raw_call("POST", f"/containers/create?{urllib.parse.urlencode({'name': name})}",
                                 f"cannot create {name}", payload=body, timeout=120)
        return str(created["Id"])

    def _host_gateway(self, network: str) -> str:
        """What host.docker.internal points to, so it reaches the host on Linux as on Docker Desktop:
        the engine's `host-gateway`, or on Podman (which lacks it) the gateway of the network."""
        if not self.is_podman:
            return "host-gateway"
        config = (self._raw_get(f"/networks/{urllib.parse.quote(network, safe='')}").get("IPAM") or {}).get("Config")
        gateway = next((c["Gateway"] for c in config or [] if c.get("Gateway")), None)
        if gateway is None:
            raise DevenvError(f"network {network} has no gateway, so host.docker.internal cannot reach the host")
        return str(gateway)

    def start(self, container_id: str, what: str) -> None:
        # 304: running already, which is what was asked.
        self.forget_health(container_id)
        self._raw_call("POST", f"/containers/{container_id}/start", f"cannot start {what}", fine=(304,), timeout=120)

    def stop(self, container_id: str, timeout: float) -> None:
        # Raw, like the reads: `down` then never loads the SDK. (304, stopped already, is no error.)
        self._raw_call("POST", f"/containers/{container_id}/stop?t={round(timeout)}", "cannot stop container",
                       timeout=timeout + 60)

    def restart(self, container_id: str, timeout: float) -> None:
        self.forget_health(container_id)
        self._raw_call("POST", f"/containers/{container_id}/restart?t={round(timeout)}", "cannot restart container",
                       timeout=timeout + 60)

    def rename(self, container_id: str, name: str) -> None:
        self._raw_call("POST", f"/containers/{container_id}/rename?{urllib.parse.urlencode({'name': name})}",
                       f"cannot rename container to {name}")

    def remove(self, container_id: str) -> None:
        # 404: gone already, which is what was asked.
        self._raw_call("DELETE", f"/containers/{container_id}?force=1&v=0", "cannot remove container", fine=(404,),
                       timeout=120)

    def wait(self, container_id: str) -> int:
        with self.translate("waiting for container"):
            return int(self.api.wait(container_id)["StatusCode"])

    def logs(self, container_id: str, *, tail: int | Literal["all"] = "all", follow: bool = False,
             since: float | None = None, timestamps: bool = False) -> Iterator[bytes]:
        with self.translate("cannot read logs"):
            if not follow:
                yield self.api.logs(container_id, tail=tail, since=since, timestamps=timestamps)
                return
            stream = self.api.logs(container_id, stream=True, follow=True, tail=tail, since=since,
                                   timestamps=timestamps)
        with self.translate("log stream"):
            yield from stream

    def log_tail(self, container_id: str, lines: int = 20) -> str:
        try:
            data = b"".join(self.logs(container_id, tail=lines))
        except DevenvError:
            return ""
        return data.decode(errors="replace").rstrip()

    def exec(self, container_id: str, command: list[str], *, workdir: str | None = None,
             user: str | None = None) -> tuple[int, str]:
        """Run a command in a running container; returns (exit code, output)."""
        with self.translate("exec"):
            result = self.client.containers.get(container_id).exec_run(command, workdir=workdir, user=user or "")
        if result.exit_code is None or not isinstance(result.output, bytes):  # only with detach or stream
            raise DevenvError(f"exec in {container_id[:12]} returned no exit code")
        return result.exit_code, result.output.decode(errors="replace")

    def exec_open(self, container_id: str, command: list[str], *, tty: bool, workdir: str | None = None,
                  user: str | None = None, env: dict[str, str] | None = None) -> tuple[str, Any]:
        """Start `command` in a running container with stdin attached; returns (exec ID, socket).
        The socket is the SDK's wrapper: keep it referenced while the session runs."""
        with self.translate("exec"):
            exec_id = self.api.exec_create(container_id, command, stdin=True, tty=tty, workdir=workdir,
                                           user=user or "", environment=env or None)["Id"]
            sock = self.api.exec_start(exec_id, tty=tty, socket=True)
        return exec_id, sock

    def exec_exit_code(self, exec_id: str, timeout: float = 10.0) -> int:
        """The exit code of a finished exec (it may take a moment to be recorded after its output ends)."""
        import time

        deadline = time.monotonic() + timeout
        with self.translate("exec"):
            while True:
                info = self.api.exec_inspect(exec_id)
                if not info.get("Running") or time.monotonic() > deadline:
                    return int(info.get("ExitCode") or 0)
                time.sleep(0.02)

    def exec_resize(self, exec_id: str, rows: int, cols: int) -> None:
        with contextlib.suppress(Exception):  # best effort: a finished exec cannot be resized
            self.api.exec_resize(exec_id, height=rows, width=cols)

    def attach(self, container_id: str) -> Any:
        """Attach stdin, stdout and stderr of a (not yet started) container; returns the socket."""
        # No `logs=1`: the engine attaches the streams before it answers, so nothing written after
        # the start is missed; a replay of the log on top of that printed early output twice.
        with self.translate("attach"):
            sock = self.api.attach_socket(container_id, params={"stdin": 1, "stdout": 1, "stderr": 1,
                                                                "stream": 1})
        return sock

    def resize(self, container_id: str, rows: int, cols: int) -> None:
        with contextlib.suppress(Exception):
            self.api.resize(container_id, height=rows, width=cols)

    def put_archive(self, container_id: str, path: str, data: bytes) -> None:
        self._raw_call("PUT", f"/containers/{container_id}/archive?{urllib.parse.urlencode({'path': path})}",
                       f"cannot copy into {path}", tar=_without_padding(data), timeout=120)

    def read_file(self, container_id: str, path: str) -> bytes | None:
        """One regular file's bytes from a container (running or not); None when it is not there."""
        import io
        import tarfile

        import docker.errors

        with self.translate(f"cannot read {path}"):
            try:
                stream, _ = self.api.get_archive(container_id, path)
            except docker.errors.NotFound:
                return None
            data = b"".join(stream)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            member = next((m for m in tar.getmembers() if m.isfile()), None)
            extracted = tar.extractfile(member) if member else None
            return extracted.read() if extracted else None

    def container_events(self, project: str, events: tuple[str, ...] = ("die",)) -> Iterator[dict]:
        """Stream the engine's events for the project's containers, as they happen (blocks
        between events; ends, or raises EngineUnavailable, when the engine goes away). Raw
        socket like `containers()`, so a watcher waiting on it costs no CPU and no SDK."""
        # Filtered on the label only, type and action here: Podman's API matches no `type`
        # filter and calls `die` "died" in filters (while reporting it as "die").
        filters = {"label": [f"{L_PROJECT}={project}"]}

        def wanted(event: dict) -> bool:
            action = str(event.get("Action") or event.get("status") or "").split(":")[0]
            return event.get("Type", "container") == "container" and action in events

        if not speaks_raw(self.endpoint):
            with self.translate("engine events"):
                yield from (e for e in self.api.events(filters=filters, decode=True) if wanted(e))
            return
        path = "/events?" + urllib.parse.urlencode({"filters": json.dumps(filters)})
        try:
            for line in _raw_stream(self.endpoint, path):
                if line.strip() and wanted(event := json.loads(line)):
                    yield event
        except (OSError, ValueError) as exc:  # ValueError: a garbled stream (a bad chunk size, not JSON)
            raise unreachable(self.endpoint, f"event stream ended ({reason_of(exc)})") from None

    def labelled(self, kind: str, labels: dict[str, str]) -> list[dict]:
        """Networks, volumes or containers (all states) carrying all these labels."""
        filters = {"label": [f"{k}={v}" for k, v in labels.items()]}
        if kind == "containers":  # over the raw transport: the no-op `up` asks for the router this way
            query = urllib.parse.urlencode({"all": "1", "filters": json.dumps(filters)})
            return self._raw_get(f"/containers/json?{query}")
        query = urllib.parse.urlencode({"filters": json.dumps(filters)})
        if kind == "networks":
            return self._raw_get(f"/networks?{query}")
        return self._raw_get(f"/volumes?{query}").get("Volumes") or []


def _healthcheck(c: Observed) -> HealthcheckSpec | None:
    return c.spec.get("healthcheck") if c.spec is not None else None


def _observed(c: dict, labels: dict) -> Observed:
    status = c.get("Status") or ""
    health = ("unhealthy" if "(unhealthy)" in status else "healthy" if "(healthy)" in status
              else "starting" if "health: starting" in status else None)
    spec_text = labels.get(L_SPEC)
    ports = tuple(sorted(f"{p.get('IP', '')}:{p['PublicPort']}->{p['PrivatePort']}/{p.get('Type', 'tcp')}"
                         for p in c.get("Ports") or [] if p.get("PublicPort")))
    exit_code = None
    if c.get("State") == "exited" and "Exited (" in status:
        exit_code = int(status.split("Exited (")[1].split(")")[0])
    return Observed(
        id=c["Id"], name=(c.get("Names") or ["/?"])[0].lstrip("/"), service=labels.get(L_SERVICE, "?"),
        replica=_label_number(labels.get(L_REPLICA)), state=c.get("State", "unknown"),
        spec_hash=labels.get(L_SPEC_HASH, ""), provision_hash=labels.get(L_PROVISION_HASH, ""),
        spec=_label_spec(spec_text), health=health, ports=ports,
        started_at=status, exit_code=exit_code, root=labels.get(L_ROOT))


# Labels are anyone's to write (`docker run --label`, a hand edit, an older devenv): one that does
# not parse reads as missing, so the plan recreates the container instead of devenv crashing.
def _label_number(text: str | None) -> int:
    try:
        return int(text or "1")
    except ValueError:
        return 1


def _label_spec(text: str | None) -> ContainerSpec | None:
    try:
        spec = json.loads(text) if text else None
    except ValueError:
        return None
    return cast("ContainerSpec", spec) if isinstance(spec, dict) else None


def _without_padding(data: bytes) -> bytes:
    """The tar `data` cut after the two zero blocks that end it. tarfile pads to a 10 KB record
    that the engine's tar reader leaves unread, and its close over unread bytes resets the
    connection under its reply (engine/buildcontext.py, which writes its tars unpadded)."""
    import io
    import tarfile

    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            members = tar.getmembers()
    except tarfile.TarError:  # not a tar: the engine's refusal says so
        return data
    if not members:
        return data
    last = members[-1]
    end = last.offset_data + -(-last.size // tarfile.BLOCKSIZE) * tarfile.BLOCKSIZE
    return data[:end + 2 * tarfile.BLOCKSIZE]
