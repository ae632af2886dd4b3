"""The JSON body of the engine's `POST /containers/create`, made from a container spec.

It is what the docker SDK's `create_container` sent for the same arguments (a unit test builds
both and compares them), written out so that a recreate does not import the SDK and requests:
~0.1 s of every `up` that changes a container."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from devenv.core.spec import ContainerSpec


def container_body(spec: ContainerSpec, *, labels: dict[str, str], network: str, host_gateway: str,
                   command: list[str] | None = None, auto_remove: bool = False, tty: bool = False,
                   stdin: bool = False, unset_env: bool = True) -> dict[str, Any]:
    """`unset_env`: send the spec's unset_env names bare, which Docker reads as "remove this
    variable" (the image's ENV too). Podman reads a bare name as "take the value from the service's
    own environment", which would leak the host's: on Podman they are left out, and an image's ENV
    of that name stays."""
    ports = [_port(p) for p in spec["ports"]]
    host_config: dict[str, Any] = {"NetworkMode": network}
    if spec["restart"] != "no":
        host_config["RestartPolicy"] = {"Name": spec["restart"]}
    host_config["PortBindings"] = port_bindings(spec["ports"])
    host_config["ExtraHosts"] = [f"host.docker.internal:{host_gateway}"]
    if auto_remove:
        host_config["AutoRemove"] = True
    if spec["init"]:
        host_config["Init"] = True
    host_config["Mounts"] = [{"Target": m["target"], "Source": m["source"], "Type": m["type"],
                              "ReadOnly": m["read_only"]} for m in spec["mounts"]]
    endpoint = {"Aliases": spec["aliases"]} if spec["aliases"] else {}
    body: dict[str, Any] = {
        "ExposedPorts": {f"{p['container']}/{p['proto']}": {} for p in ports},
        "Tty": tty,
        # Not detached, as the SDK's create: stdout and stderr attachable, and stdin (for
        # `devenv run`) closed once its one client hangs up.
        "OpenStdin": stdin, "StdinOnce": stdin,
        "AttachStdin": stdin, "AttachStdout": True, "AttachStderr": True,
        "Env": [f"{key}={value}" for key, value in spec["env"].items()]
        + (spec.get("unset_env", []) if unset_env else []),
        "Image": spec["image"],
        "NetworkDisabled": False,
        "HostConfig": host_config,
        "NetworkingConfig": {"EndpointsConfig": {network: endpoint}},
        "Labels": labels,
        "StopTimeout": round(spec["stop_timeout"]),
    }
    cmd = command if command is not None else spec["command"]
    optional = {"User": spec["user"], "Cmd": cmd, "Entrypoint": spec["entrypoint"],
                "WorkingDir": spec["workdir"], "Healthcheck": _healthcheck(spec),
                "StopSignal": spec.get("stop_signal")}
    body.update({key: value for key, value in optional.items() if value is not None})
    return body


def _healthcheck(spec: ContainerSpec) -> dict[str, Any] | None:
    hc = spec["healthcheck"]
    if hc is None:
        return None
    return {"Test": hc["test"], "Interval": _ns(hc["interval"]), "Timeout": _ns(hc["timeout"]),
            "Retries": hc["retries"], "StartPeriod": _ns(hc["start_period"])}


def port_bindings(spec_ports: list[str]) -> dict[str, list[dict[str, str]]]:
    """Container port → every host binding of it. A list per port: "8000:80" and "8001:80" both
    publish port 80 (a dict of single bindings kept only the last one)."""
    bindings: dict[str, list[dict[str, str]]] = {}
    for p in map(_port, spec_ports):
        binding = {"HostIp": p["ip"], "HostPort": str(p["host"]) if p["host"] else ""}
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
