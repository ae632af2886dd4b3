"""The one module that talks to Docker.

Everything else hands it plain data (specs, names, labels) and gets plain data back
(`plan.Observed`). The docker SDK is imported on first use only: a no-op `up` or a `status`
lists containers with one raw call on the engine's socket and never pays for the SDK.
SDK exceptions are translated here, in one place, into devenv's error types.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal

from devenv import __version__
from devenv.core.plan import Observed
from devenv.core.spec import ContainerSpec, HealthcheckSpec
from devenv.engine import endpoint as endpoints
from devenv.engine.connect import START_HINT as START_HINT  # re-exported: doctor's hint
from devenv.engine.connect import open_socket, reason_of, sdk_client, speaks_raw, unreachable
from devenv.engine.endpoint import Endpoint
from devenv.errors import DevenvError, EngineUnavailable

if TYPE_CHECKING:  # both are imported on first use only (start-up time of read paths)
    import http.client

    import docker

LABEL = "dev.devenv"
L_PROJECT, L_SERVICE, L_REPLICA = f"{LABEL}.project", f"{LABEL}.service", f"{LABEL}.replica"
L_SPEC_HASH, L_PROVISION_HASH, L_SPEC = f"{LABEL}.spec-hash", f"{LABEL}.provision-hash", f"{LABEL}.spec"
L_VERSION, L_ROOT, L_ROLE, L_VOLUME = f"{LABEL}.version", f"{LABEL}.root", f"{LABEL}.role", f"{LABEL}.volume"



def project_labels(project: str, root: str | None = None) -> dict[str, str]:
    labels = {L_PROJECT: project, L_VERSION: __version__}
    if root:
        labels[L_ROOT] = root
    return labels


def _raw_request(endpoint: Endpoint, path: str, timeout: float = 30) -> tuple[int, bytes]:
    """One GET on a unix:// or tcp:// endpoint, HTTP/1.0 so the reply is neither chunked nor kept
    alive: the body is everything up to EOF. (http.client and its email imports cost more
    start-up than a whole no-op `up` should.)"""
    with open_socket(endpoint, timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: docker\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    if not chunks:  # the engine (or the proxy in front of it) went away mid-request
        raise ConnectionResetError("the engine closed the connection without a reply")
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 502
    return status, body


def _stream_connection(endpoint: Endpoint, timeout: float | None) -> http.client.HTTPConnection:
    """An http.client connection to the endpoint, for streams (engine events)."""
    import http.client

    class EndpointHTTPConnection(http.client.HTTPConnection):
        def connect(self) -> None:
            self.sock = open_socket(endpoint, self.timeout)

    return EndpointHTTPConnection("localhost", timeout=timeout)


class Engine:
    """A connection to one Docker engine. Holds the SDK client once it is needed."""

    def __init__(self, endpoint: Endpoint | None = None) -> None:
        # Resolved once: every call of this Engine, raw or SDK, goes to the same endpoint.
        self.endpoint = endpoint or endpoints.current()
        self._client: docker.DockerClient | None = None
        self._podman: bool | None = None
        self._health_runs: dict[str, float] = {}
        # Pools (down, converge) reach for the client from many threads at once: without the
        # lock each thread made its own SDK client and asked the engine its API version again.
        self._client_lock = threading.Lock()

    # -- connection and errors ------------------------------------------------------------------

    @property
    def client(self) -> docker.DockerClient:
        if self._client is not None:
            return self._client
        with self._client_lock:
            if self._client is None:
                with self.translate():
                    # version "auto" asks the engine its API version: the engines here speak 1.41,
                    # older than the SDK's default, and a pinned newer version would be refused.
                    self._client = sdk_client(self.endpoint)
            return self._client

    @property
    def api(self) -> docker.APIClient:
        return self.client.api

    @contextlib.contextmanager
    def translate(self, what: str = "") -> Iterator[None]:
        """Turn SDK and socket errors into one clear DevenvError."""
        prefix = f"{what}: " if what else ""
        try:
            yield
        except DevenvError:
            raise
        except (TimeoutError, ConnectionError, FileNotFoundError) as exc:
            raise unreachable(self.endpoint, reason_of(exc), what) from None
        except Exception as exc:
            import docker.errors
            import requests.exceptions
            import urllib3.exceptions

            # A stream cut off mid-way (pull, build, logs): the engine died under us.
            if isinstance(exc, (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError)):
                raise EngineUnavailable(f"{prefix}the Docker engine went away ({exc})", hint=START_HINT) from None
            if isinstance(exc, (requests.exceptions.ConnectionError, docker.errors.DockerException)) and (
                    "Connection aborted" in str(exc) or "Error while fetching server API version" in str(exc)
                    or isinstance(exc, requests.exceptions.ConnectionError)):
                raise unreachable(self.endpoint, _sdk_reason(exc), what) from None
            if isinstance(exc, docker.errors.APIError):
                explanation = str(exc.explanation or exc)
                if "container-init binary not found" in explanation or "catatonit" in explanation:
                    raise DevenvError(f"{prefix}init = true needs catatonit on the Podman host ({explanation})",
                                      hint="install catatonit where Podman runs (`apt-get install catatonit`, "
                                           "`dnf install catatonit`), or set init = false") from None
                raise DevenvError(f"{prefix}{explanation}") from None
            if isinstance(exc, docker.errors.DockerException):
                raise DevenvError(f"{prefix}{exc}") from None
            raise

    def _raw_status(self, path: str) -> tuple[int, bytes]:
        """GET without the SDK on unix:// and tcp:// (fast start-up for read paths); over ssh or
        npipe through the SDK's session (its public requests API), so every scheme is served."""
        if not speaks_raw(self.endpoint):
            with self.translate():
                api = self.api
                response = api.get(f"{api.base_url}/v{api.api_version}{path}")
                return response.status_code, response.content
        try:
            return _raw_request(self.endpoint, path)
        except OSError as exc:
            raise unreachable(self.endpoint, reason_of(exc)) from None

    def _raw_get(self, path: str) -> Any:
        """The engine's JSON answer to a GET; an error status is a DevenvError with its message."""
        status, body = self._raw_status(path)
        if status >= 400:
            raise DevenvError(f"engine error: {body.decode(errors='replace').strip()}")
        return json.loads(body)

    def ping(self) -> dict:
        return self._raw_get("/version")

    def info(self) -> dict:
        """System-wide information: DockerRootDir, SystemTime, … (doctor)."""
        return self._raw_get("/info")

    # -- observing ------------------------------------------------------------------------------

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
                observed = dataclasses.replace(observed, health=self._inspected_health(observed.id))
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

    @property
    def is_podman(self) -> bool:
        """Whether the engine is Podman's Docker-compatible service (its /version names it)."""
        if self._podman is None:
            components = self._raw_get("/version").get("Components") or []
            self._podman = any("podman" in str(c.get("Name", "")).lower() for c in components if isinstance(c, dict))
        return self._podman

    def run_due_healthchecks(self, containers: list[Observed]) -> None:
        """Podman schedules healthchecks with systemd timers; without systemd (containers, CI)
        they never run and a `healthy` gate would wait forever. While devenv waits on health, it
        runs each due check itself through libpod's API, at the healthcheck's interval."""
        import time

        waiting = [(c, hc) for c in containers if c.running and c.health == "starting"
                   and (hc := _healthcheck(c)) is not None]
        if not waiting or not self.is_podman:
            return
        now = time.monotonic()
        for c, hc in waiting:
            interval = float(hc.get("interval") or 1.0)
            if now - self._health_runs.get(c.id, float("-inf")) < interval:
                continue
            self._health_runs[c.id] = now
            with contextlib.suppress(DevenvError):  # a check that fails is recorded by Podman itself
                self._raw_get(f"/v4.0.0/libpod/containers/{c.id}/healthcheck")  # libpod paths need a version

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

    def image_id(self, ref: str) -> str | None:
        try:
            return self._raw_get(f"/images/{urllib.parse.quote(ref, safe='')}/json")["Id"]
        except DevenvError as exc:
            if isinstance(exc, EngineUnavailable):
                raise
            return None

    def image_inspect(self, ref: str) -> dict | None:
        try:
            return self._raw_get(f"/images/{urllib.parse.quote(ref, safe='')}/json")
        except EngineUnavailable:
            raise
        except DevenvError:
            return None

    # -- images ---------------------------------------------------------------------------------

    def pull(self, ref: str, on_progress: Callable[[dict], None] | None = None) -> str:
        """Pull `ref`, streaming progress events; an error inside the stream is an error."""
        repo, tag = _split_ref(ref)
        try:
            with self.translate():
                for event in self.api.pull(repo, tag=tag, stream=True, decode=True):
                    if "error" in event:
                        raise DevenvError(event["error"])
                    if on_progress:
                        on_progress(event)
        except EngineUnavailable:
            raise
        except DevenvError as exc:
            raise DevenvError(f"cannot pull {ref}: {_pull_error(exc.message)}") from None
        image = self.image_id(ref)
        if image is None:
            raise DevenvError(f"cannot pull {ref}: the engine reported no image after the pull")
        return image

    def build(self, *, context: str, dockerfile: str, tag: str, args: dict, target: str | None,
              labels: dict, on_line: Callable[[str], None] | None = None) -> str:
        """Build with the engine; on failure the error carries the tail of the build log."""
        log: list[str] = []
        with self.translate(f"cannot build {tag}"):
            stream = self.api.build(path=context, dockerfile=dockerfile, tag=tag, buildargs=args or None,
                                    target=target, rm=True, forcerm=True, labels=labels, decode=True)
            for event in stream:
                if "stream" in event:
                    for line in event["stream"].splitlines():
                        if line.strip():
                            log.append(line)
                            if on_line:
                                on_line(line)
                if "error" in event:
                    tail = "\n".join([*log[-20:], event["error"].strip()])
                    raise DevenvError(f"build of {tag} failed: {event['error'].strip()}", details=tail)
        image = self.image_id(tag)
        if image is None:
            raise DevenvError(f"build of {tag} produced no image", details="\n".join(log[-20:]))
        return image

    def tag(self, image: str, ref: str) -> None:
        repo, tag = _split_ref(ref)
        with self.translate(f"cannot tag {ref}"):
            self.api.tag(image, repo, tag)

    def push(self, ref: str) -> str | None:
        """Push `ref`; returns the manifest digest the registry reported (None if it sent none)."""
        repo, tag = _split_ref(ref)
        pushed = None
        with self.translate(f"cannot push {ref}"):
            for event in self.api.push(repo, tag=tag, stream=True, decode=True):
                if "error" in event:
                    raise DevenvError(f"cannot push {ref}: {event['error']}")
                pushed = (event.get("aux") or {}).get("Digest") or pushed
        return pushed

    def registry_digest(self, ref: str) -> str:
        """The digest the registry holds for `ref` now (asks the registry, pulls nothing)."""
        with self.translate(f"cannot resolve {ref}"):
            data = self.api.inspect_distribution(ref)
        return data["Descriptor"]["digest"]

    def registry_platforms(self, repo: str, digest: str) -> dict[str, str]:
        """The per-platform manifest digests an image index lists, asked of its registry
        ({} for a single-platform image, or when the registry will not say)."""
        from devenv.engine.registry import RegistryError, platform_digests

        try:
            return platform_digests(repo, digest)
        except RegistryError:
            return {}

    # -- networks and volumes -------------------------------------------------------------------

    def ensure_network(self, name: str, labels: dict) -> dict[str, str] | None:
        """Create the network unless it exists; returns the labels of one that already existed
        (so the caller can check whose it is), None when it was created now."""
        with self.translate(f"network {name}"):
            # names= matches by substring, so compare exactly
            found = [n for n in self.api.networks(names=[name]) if n["Name"] == name]
            if found:
                return found[0].get("Labels") or {}
            self.api.create_network(name, driver="bridge", labels=labels, check_duplicate=True)
            return None

    def resources(self, kind: str, label: str) -> list[dict]:
        """Raw rows of containers (all states), volumes or networks carrying `label` (`key` or
        `key=value`), without the SDK: every command asks this when it picks the project name."""
        query = urllib.parse.urlencode({"filters": json.dumps({"label": [label]}),
                                        **({"all": "1"} if kind == "containers" else {})})
        rows = self._raw_get(f"/{kind}/json?{query}" if kind == "containers" else f"/{kind}?{query}")
        return (rows.get("Volumes") or []) if kind == "volumes" else rows

    def volume_labels(self, name: str) -> dict[str, str] | None:
        """The labels of the volume `name`, or None when there is no such volume."""
        status, body = self._raw_status(f"/volumes/{urllib.parse.quote(name, safe='')}")
        if status == 404:
            return None
        if status >= 400:
            raise DevenvError(f"engine error: {body.decode(errors='replace').strip()}")
        return json.loads(body).get("Labels") or {}

    def networks(self, project: str) -> list[dict]:
        with self.translate():
            return self.api.networks(filters={"label": f"{L_PROJECT}={project}"})

    def remove_network(self, network_id: str) -> None:
        with self.translate("cannot remove network"):
            self.api.remove_network(network_id)

    def ensure_volume(self, name: str, labels: dict) -> dict[str, str] | None:
        """Create the volume unless it exists; returns the labels of one that already existed,
        None when it was created now."""
        import docker.errors

        with self.translate(f"volume {name}"):
            try:
                return self.api.inspect_volume(name).get("Labels") or {}
            except docker.errors.NotFound:
                self.api.create_volume(name, labels=labels)
                return None

    def volumes(self, project: str) -> list[dict]:
        with self.translate():
            return self.api.volumes(filters={"label": f"{L_PROJECT}={project}"}).get("Volumes") or []

    def remove_volume(self, name: str) -> None:
        with self.translate(f"cannot remove volume {name}"):
            self.api.remove_volume(name)

    # -- containers -----------------------------------------------------------------------------

    def create(self, *, name: str, spec: ContainerSpec, labels: dict[str, str], network: str,
               command: list[str] | None = None, auto_remove: bool = False, tty: bool = False,
               stdin: bool = False) -> str:
        """Create a container from a spec (see spec.py); returns its ID."""
        import docker.types

        api = self.api
        ports = [_port(p) for p in spec["ports"]]
        mounts = [docker.types.Mount(m["target"], m["source"], type=m["type"], read_only=m["read_only"])
                  for m in spec["mounts"]]
        restart = None if spec["restart"] == "no" else {"Name": spec["restart"]}
        host_config = api.create_host_config(
            mounts=mounts, port_bindings=port_bindings(spec["ports"]),
            restart_policy=restart, init=spec["init"] or None, network_mode=network, auto_remove=auto_remove,
            extra_hosts={"host.docker.internal": self._host_gateway(network)})
        hc = spec["healthcheck"]
        healthcheck = None if hc is None else docker.types.Healthcheck(
            test=hc["test"], interval=_ns(hc["interval"]), timeout=_ns(hc["timeout"]),
            retries=hc["retries"], start_period=_ns(hc["start_period"]))
        # The SDK takes {network: endpoint config}; types-docker declares a single EndpointConfig.
        networking = api.create_networking_config(
            {network: api.create_endpoint_config(aliases=spec["aliases"])})  # type: ignore[arg-type]
        with self.translate(f"cannot create {name}"):
            created = api.create_container(
                image=spec["image"], name=name, command=command if command is not None else spec["command"],
                entrypoint=spec["entrypoint"], environment=spec["env"], working_dir=spec["workdir"],
                user=spec["user"], labels=labels, healthcheck=healthcheck, host_config=host_config,
                networking_config=networking, ports=[(p["container"], p["proto"]) for p in ports],
                stop_timeout=round(spec["stop_timeout"]), tty=tty, stdin_open=stdin)
        return created["Id"]

    def _host_gateway(self, network: str) -> str:
        """What host.docker.internal points to, so it reaches the host on Linux as on Docker Desktop:
        the engine's `host-gateway`, or on Podman (which lacks it) the gateway of the network."""
        if not self.is_podman:
            return "host-gateway"
        with self.translate(f"network {network}"):
            config = (self.api.inspect_network(network).get("IPAM") or {}).get("Config") or []
        gateway = next((c["Gateway"] for c in config if c.get("Gateway")), None)
        if gateway is None:
            raise DevenvError(f"network {network} has no gateway, so host.docker.internal cannot reach the host")
        return str(gateway)

    def start(self, container_id: str, what: str) -> None:
        with self.translate(f"cannot start {what}"):
            self.api.start(container_id)

    def stop(self, container_id: str, timeout: float) -> None:
        with self.translate("cannot stop container"):
            self.api.stop(container_id, timeout=round(timeout))

    def restart(self, container_id: str, timeout: float) -> None:
        with self.translate("cannot restart container"):
            self.api.restart(container_id, timeout=round(timeout))

    def rename(self, container_id: str, name: str) -> None:
        with self.translate(f"cannot rename container to {name}"):
            self.api.rename(container_id, name)

    def remove(self, container_id: str) -> None:
        import docker.errors

        with self.translate("cannot remove container"):
            try:
                self.api.remove_container(container_id, force=True, v=False)
            except docker.errors.NotFound:
                pass

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

    # -- interactive sessions (exec, run): the caller pumps the raw socket (devenv.attach) -------

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
        with self.translate("attach"):
            sock = self.api.attach_socket(container_id, params={"stdin": 1, "stdout": 1, "stderr": 1,
                                                                "stream": 1, "logs": 1})
        return sock

    def resize(self, container_id: str, rows: int, cols: int) -> None:
        with contextlib.suppress(Exception):
            self.api.resize(container_id, height=rows, width=cols)

    def put_archive(self, container_id: str, path: str, data: bytes) -> None:
        with self.translate(f"cannot copy into {path}"):
            self.api.put_archive(container_id, path, data)

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

    def connect(self, container_id: str, network: str) -> None:
        """Attach a container to one more network (the shared router's); already attached is fine."""
        with self.translate(f"cannot connect to network {network}"):
            try:
                self.api.connect_container_to_network(container_id, network)
            except Exception as exc:
                if "already exists" not in str(exc) and "already attached" not in str(exc):
                    raise

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
        import http.client

        conn = _stream_connection(self.endpoint, timeout=None)
        try:
            conn.request("GET", "/events?" + urllib.parse.urlencode({"filters": json.dumps(filters)}))
            response = conn.getresponse()
            if response.status >= 400:
                raise DevenvError(f"engine error: {response.read().decode(errors='replace').strip()}")
            while line := response.readline():
                if line.strip() and wanted(event := json.loads(line)):
                    yield event
        except (OSError, http.client.HTTPException) as exc:
            raise unreachable(self.endpoint, f"event stream ended ({reason_of(exc)})") from None
        finally:
            conn.close()


    # -- swarm services (devenv deploy --swarm): specs are Docker API ServiceSpec dicts ---------

    def swarm_state(self) -> dict:
        """The engine's `Swarm` info: LocalNodeState (inactive | active | …), ControlAvailable."""
        return self._raw_get("/info").get("Swarm") or {}

    def services(self, labels: dict[str, str]) -> list[dict]:
        """Swarm services carrying all these labels, with ServiceStatus (running/desired tasks)."""
        filters = json.dumps({"label": [f"{k}={v}" for k, v in labels.items()]})
        return self._raw_get(f"/services?{urllib.parse.urlencode({'filters': filters, 'status': 'true'})}")

    def tasks(self, service_id: str) -> list[dict]:
        filters = json.dumps({"service": [service_id]})
        return self._raw_get(f"/tasks?{urllib.parse.urlencode({'filters': filters})}")

    def create_service(self, spec: dict) -> str:
        with self.translate(f"cannot create service {spec['Name']}"):
            return self._post_spec("/services/create", spec)["ID"]

    def update_service(self, service_id: str, version: int, spec: dict) -> None:
        """Replace a service's whole spec (fields left out are reset, as the engine does)."""
        with self.translate(f"cannot update service {spec['Name']}"):
            self._post_spec(f"/services/{urllib.parse.quote(service_id)}/update", spec, params={"version": version})

    def _post_spec(self, path: str, spec: dict, params: dict | None = None) -> dict:
        """POST a whole service spec as JSON. The SDK's create_service/update_service take typed
        objects that cannot carry every field of a raw spec, so this goes through the APIClient's
        public requests session (base_url, api_version) rather than its private helpers."""
        import docker.errors
        import requests

        api = self.api
        response = api.post(f"{api.base_url}/v{api.api_version}{path}", json=spec, params=params,
                            headers=self._auth_header(spec))
        try:
            response.raise_for_status()
        except requests.exceptions.HTTPError as exc:
            raise docker.errors.create_api_error_from_http_exception(exc) from None
        return response.json() if response.content else {}

    def remove_service(self, service_id: str) -> None:
        import docker.errors

        with self.translate("cannot remove service"):
            try:
                self.api.remove_service(service_id)
            except docker.errors.NotFound:
                pass

    def _auth_header(self, spec: dict) -> dict:
        from docker import auth

        image = spec.get("TaskTemplate", {}).get("ContainerSpec", {}).get("Image")
        if not image:
            return {}
        header = auth.get_config_header(self.api, auth.resolve_repository_name(image)[0])
        return {"X-Registry-Auth": header} if header else {}

    def ensure_overlay_network(self, name: str, labels: dict) -> None:
        with self.translate(f"network {name}"):
            found = [n for n in self.api.networks(names=[name]) if n["Name"] == name]
            if found and found[0].get("Driver") != "overlay":
                raise DevenvError(f"network {name} exists and is a {found[0].get('Driver')} network, not an overlay",
                                  hint=f"remove it (`docker network rm {name}`) and deploy again")
            if not found:
                self.api.create_network(name, driver="overlay", scope="swarm", labels=labels, check_duplicate=True)

    def labelled(self, kind: str, labels: dict[str, str]) -> list[dict]:
        """Networks, volumes or containers (all states) carrying all these labels."""
        filters = {"label": [f"{k}={v}" for k, v in labels.items()]}
        with self.translate():
            if kind == "networks":
                return self.api.networks(filters=filters)
            if kind == "volumes":
                return self.api.volumes(filters=filters).get("Volumes") or []
            return self.api.containers(all=True, filters=filters)


def _healthcheck(c: Observed) -> HealthcheckSpec | None:
    return c.spec.get("healthcheck") if c.spec is not None else None


def _sdk_reason(exc: BaseException) -> str:
    """The innermost OS reason of an SDK/requests connection error ("connection refused"): the
    OSError sits in the exception chain or nested in the args of urllib3's wrappers."""
    todo: list[object] = [exc]
    seen: set[int] = set()
    while todo:
        item = todo.pop(0)
        if id(item) in seen or not isinstance(item, BaseException):
            continue
        seen.add(id(item))
        if isinstance(item, OSError) and not isinstance(item, type(exc)) and (item.errno or item.strerror):
            return reason_of(item)
        todo.extend(item.args)
        todo.extend(x for x in (item.__cause__, item.__context__, getattr(item, "reason", None)) if x is not None)
    text = str(exc)
    return "connection refused" if "refused" in text.lower() else text


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
        replica=int(labels.get(L_REPLICA, "1")), state=c.get("State", "unknown"),
        spec_hash=labels.get(L_SPEC_HASH, ""), provision_hash=labels.get(L_PROVISION_HASH, ""),
        spec=json.loads(spec_text) if spec_text else None, health=health, ports=ports,
        started_at=status, exit_code=exit_code, root=labels.get(L_ROOT))


def _split_ref(ref: str) -> tuple[str, str | None]:
    if "@" in ref:
        repo, digest = ref.split("@", 1)
        return repo, digest
    last = ref.rsplit("/", 1)[-1]
    if ":" in last:
        repo, tag = ref.rsplit(":", 1)
        return repo, tag
    return ref, "latest"


def _pull_error(message: str) -> str:
    lowered = message.lower()
    if "connection refused" in lowered or "no such host" in lowered or "dial tcp" in lowered:
        return f"registry unreachable ({message.strip()})"
    if "not found" in lowered or "manifest unknown" in lowered:
        return f"no such image in the registry ({message.strip()})"
    return message.strip()


def port_bindings(spec_ports: list[str]) -> dict[int | str, list[tuple[str] | tuple[str, int]]]:
    """Container port → every host binding of it. A list per port: "8000:80" and "8001:80" both
    publish port 80 (a dict of single bindings kept only the last one)."""
    bindings: dict[int | str, list[tuple[str] | tuple[str, int]]] = {}
    for p in map(_port, spec_ports):
        binding: tuple[str] | tuple[str, int] = (p["ip"], p["host"]) if p["host"] else (p["ip"],)
        bindings.setdefault(f"{p['container']}/{p['proto']}", []).append(binding)
    return bindings


def _port(text: str) -> dict:
    # spec ports are "ip:host:container/proto" with an empty host for an engine-picked port
    mapping, proto = text.rsplit("/", 1)
    ip_host, container = mapping.rsplit(":", 1)
    ip, host = ip_host.rsplit(":", 1)
    return {"ip": ip, "host": int(host) if host else None, "container": int(container), "proto": proto}


def _ns(seconds: float) -> int:
    return int(seconds * 1_000_000_000)
