"""The one module that talks to Docker.

Everything else hands it plain data (specs, names, labels) and gets plain data back
(`plan.Observed`). The docker SDK is imported on first use only: a no-op `up` or a `status`
lists containers with one raw call on the engine's socket and never pays for the SDK.
SDK exceptions are translated here, in one place, into devenv's error types.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

from devenv import __version__
from devenv.core.plan import Observed
from devenv.errors import DevenvError, EngineUnavailable

LABEL = "dev.devenv"
L_PROJECT, L_SERVICE, L_REPLICA = f"{LABEL}.project", f"{LABEL}.service", f"{LABEL}.replica"
L_SPEC_HASH, L_PROVISION_HASH, L_SPEC = f"{LABEL}.spec-hash", f"{LABEL}.provision-hash", f"{LABEL}.spec"
L_VERSION, L_ROOT, L_ROLE, L_VOLUME = f"{LABEL}.version", f"{LABEL}.root", f"{LABEL}.role", f"{LABEL}.volume"

START_HINT = "start Docker (e.g. `sudo dockerd &` or `scripts/setup-engine`), then try again"


def project_labels(project: str, root: str | None = None) -> dict[str, str]:
    labels = {L_PROJECT: project, L_VERSION: __version__}
    if root:
        labels[L_ROOT] = root
    return labels


def _unix_get(sock_path: str, path: str, timeout: float = 30) -> tuple[int, bytes]:
    """One GET over the engine's unix socket, HTTP/1.0 so the reply is neither chunked nor kept
    alive: the body is everything up to EOF. (http.client and its email imports cost more
    start-up than a whole no-op `up` should.)"""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(sock_path)
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: docker\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 502
    return status, body


def _unix_connection(sock_path: str, timeout: float | None):
    """An http.client connection over the unix socket, for streams (engine events)."""
    import http.client

    class UnixHTTPConnection(http.client.HTTPConnection):
        def connect(self) -> None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(self.timeout)
            self.sock.connect(sock_path)

    return UnixHTTPConnection("localhost", timeout=timeout)


def _socket_path() -> str | None:
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    return host[len("unix://"):] if host.startswith("unix://") else None


class Engine:
    """A connection to one Docker engine. Holds the SDK client once it is needed."""

    def __init__(self) -> None:
        self._client = None

    # -- connection and errors ------------------------------------------------------------------

    @property
    def client(self):
        if self._client is None:
            import docker

            with self.translate():
                # "auto" asks the engine its API version: the engines here speak 1.41, older
                # than the SDK's default, and a pinned newer version would be refused.
                self._client = docker.DockerClient.from_env(version="auto", timeout=120)
        return self._client

    @property
    def api(self):
        return self.client.api

    @contextlib.contextmanager
    def translate(self, what: str = ""):
        """Turn SDK and socket errors into one clear DevenvError."""
        prefix = f"{what}: " if what else ""
        try:
            yield
        except DevenvError:
            raise
        except (TimeoutError, ConnectionError, FileNotFoundError) as exc:
            raise EngineUnavailable(f"{prefix}cannot reach the Docker engine ({exc})", hint=START_HINT) from None
        except Exception as exc:
            import docker.errors
            import requests.exceptions

            if isinstance(exc, (requests.exceptions.ConnectionError, docker.errors.DockerException)) and (
                    "Connection aborted" in str(exc) or "Error while fetching server API version" in str(exc)
                    or isinstance(exc, requests.exceptions.ConnectionError)):
                raise EngineUnavailable(f"{prefix}cannot reach the Docker engine", hint=START_HINT) from None
            if isinstance(exc, docker.errors.APIError):
                raise DevenvError(f"{prefix}{exc.explanation or exc}") from None
            if isinstance(exc, docker.errors.DockerException):
                raise DevenvError(f"{prefix}{exc}") from None
            raise

    def _raw_get(self, path: str) -> Any:
        """GET on the engine's unix socket, without the SDK (fast start-up for read paths)."""
        sock = _socket_path()
        if sock is None:  # tcp/ssh engines: let the SDK handle transport and TLS
            with self.translate():
                response = self.api._get(self.api._url(path))
                return self.api._result(response, json=True)
        try:
            status, body = _unix_get(sock, path)
        except OSError as exc:
            raise EngineUnavailable(f"cannot reach the Docker engine at {sock} ({exc.strerror or exc})",
                                    hint=START_HINT) from None
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
            found.append(_observed(c, labels))
        return sorted(found, key=lambda o: (o.service, o.replica))

    def container_labels(self, project: str | None = None, *, root: str | None = None) -> list[dict]:
        """Raw container rows of a project, of a project folder, or of every devenv project."""
        label = f"{L_PROJECT}={project}" if project else f"{L_ROOT}={root}" if root else L_PROJECT
        query = urllib.parse.urlencode({"all": "1", "filters": json.dumps({"label": [label]})})
        return self._raw_get(f"/containers/json?{query}")

    def inspect(self, container_id: str) -> dict:
        return self._raw_get(f"/containers/{container_id}/json")

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
                    tail = "\n".join(log[-20:] + [event["error"].strip()])
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

    # -- networks and volumes -------------------------------------------------------------------

    def ensure_network(self, name: str, labels: dict) -> None:
        with self.translate(f"network {name}"):
            # names= matches by substring, so compare exactly
            if not any(n["Name"] == name for n in self.api.networks(names=[name])):
                self.api.create_network(name, driver="bridge", labels=labels, check_duplicate=True)

    def networks(self, project: str) -> list[dict]:
        with self.translate():
            return self.api.networks(filters={"label": f"{L_PROJECT}={project}"})

    def remove_network(self, network_id: str) -> None:
        with self.translate("cannot remove network"):
            self.api.remove_network(network_id)

    def ensure_volume(self, name: str, labels: dict) -> None:
        import docker.errors

        with self.translate(f"volume {name}"):
            try:
                self.api.inspect_volume(name)
            except docker.errors.NotFound:
                self.api.create_volume(name, labels=labels)

    def volumes(self, project: str) -> list[dict]:
        with self.translate():
            return self.api.volumes(filters={"label": f"{L_PROJECT}={project}"}).get("Volumes") or []

    def remove_volume(self, name: str) -> None:
        with self.translate(f"cannot remove volume {name}"):
            self.api.remove_volume(name)

    # -- containers -----------------------------------------------------------------------------

    def create(self, *, name: str, spec: dict, labels: dict, network: str,
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
            mounts=mounts, port_bindings={f"{p['container']}/{p['proto']}": (p["ip"], p["host"]) if p["host"]
                                          else (p["ip"],) for p in ports},
            restart_policy=restart, init=spec["init"] or None, network_mode=network, auto_remove=auto_remove)
        hc = spec["healthcheck"]
        healthcheck = None if hc is None else docker.types.Healthcheck(
            test=hc["test"], interval=_ns(hc["interval"]), timeout=_ns(hc["timeout"]),
            retries=hc["retries"], start_period=_ns(hc["start_period"]))
        networking = api.create_networking_config({network: api.create_endpoint_config(aliases=spec["aliases"])})
        with self.translate(f"cannot create {name}"):
            created = api.create_container(
                image=spec["image"], name=name, command=command if command is not None else spec["command"],
                entrypoint=spec["entrypoint"], environment=spec["env"], working_dir=spec["workdir"],
                user=spec["user"], labels=labels, healthcheck=healthcheck, host_config=host_config,
                networking_config=networking, ports=[(p["container"], p["proto"]) for p in ports],
                stop_timeout=int(round(spec["stop_timeout"])), tty=tty, stdin_open=stdin)
        return created["Id"]

    def start(self, container_id: str, what: str) -> None:
        with self.translate(f"cannot start {what}"):
            self.api.start(container_id)

    def stop(self, container_id: str, timeout: float) -> None:
        with self.translate("cannot stop container"):
            self.api.stop(container_id, timeout=int(round(timeout)))

    def restart(self, container_id: str, timeout: float) -> None:
        with self.translate("cannot restart container"):
            self.api.restart(container_id, timeout=int(round(timeout)))

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

    def logs(self, container_id: str, *, tail: int | str = "all", follow: bool = False,
             since: int | None = None, timestamps: bool = False) -> Iterator[bytes]:
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
            result = self.client.containers.get(container_id).exec_run(command, workdir=workdir, user=user)
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

    def container_events(self, project: str, events: tuple[str, ...] = ("die",)) -> Iterator[dict]:
        """Stream the engine's events for the project's containers, as they happen (blocks
        between events; ends, or raises EngineUnavailable, when the engine goes away). Raw
        socket like `containers()`, so a watcher waiting on it costs no CPU and no SDK."""
        filters = {"label": [f"{L_PROJECT}={project}"], "type": ["container"], "event": list(events)}
        sock = _socket_path()
        if sock is None:
            with self.translate("engine events"):
                yield from self.api.events(filters=filters, decode=True)
            return
        import http.client

        conn = _unix_connection(sock, timeout=None)
        try:
            conn.request("GET", "/events?" + urllib.parse.urlencode({"filters": json.dumps(filters)}))
            response = conn.getresponse()
            if response.status >= 400:
                raise DevenvError(f"engine error: {response.read().decode(errors='replace').strip()}")
            while line := response.readline():
                if line.strip():
                    yield json.loads(line)
        except (OSError, http.client.HTTPException) as exc:
            raise EngineUnavailable(f"engine event stream ended ({exc})", hint=START_HINT) from None
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


def _port(text: str) -> dict:
    # spec ports are "ip:host:container/proto" with an empty host for an engine-picked port
    mapping, proto = text.rsplit("/", 1)
    ip_host, container = mapping.rsplit(":", 1)
    ip, host = ip_host.rsplit(":", 1)
    return {"ip": ip, "host": int(host) if host else None, "container": int(container), "proto": proto}


def _ns(seconds: float) -> int:
    return int(seconds * 1_000_000_000)
