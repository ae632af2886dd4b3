"""The create body devenv writes itself is the one the docker SDK sent for the same container:
devenv stopped importing the SDK on recreate, and nothing a container got may change with it."""

from __future__ import annotations

import docker
import docker.types
import pytest

from devenv.engine.create_body import container_body


def spec(**changes):
    base = {"image": "busybox:1", "command": ["httpd", "-f"], "entrypoint": None,
            "env": {"A": "1", "EMPTY": ""},
            "mounts": [{"type": "bind", "source": "/src", "target": "/app", "read_only": False},
                       {"type": "volume", "source": "p_data", "target": "/data", "read_only": True}],
            "ports": ["127.0.0.1:8000:80/tcp", "127.0.0.1:8001:80/tcp", "127.0.0.1::443/tcp", "0.0.0.0:5353:53/udp"],
            "workdir": "/app", "user": "1000:1000",
            "healthcheck": {"test": ["CMD", "true"], "interval": 0.5, "timeout": 2.0, "retries": 3,
                            "start_period": 1.5},
            "restart": "unless-stopped", "init": True, "stop_timeout": 10.0, "aliases": ["web", "p-web-1"]}
    return {**base, **changes}


def sdk_body(spec, *, labels, network, host_gateway, command=None, auto_remove=False, tty=False, stdin=False):
    """What docker.APIClient.create_container posted (its _post_json drops the top-level Nones)."""
    api = docker.APIClient(base_url="unix:///nowhere", version="1.41")
    mounts = [docker.types.Mount(m["target"], m["source"], type=m["type"], read_only=m["read_only"])
              for m in spec["mounts"]]
    bindings: dict = {}
    for text in spec["ports"]:
        mapping, proto = text.rsplit("/", 1)
        ip_host, container = mapping.rsplit(":", 1)
        ip, host = ip_host.rsplit(":", 1)
        bindings.setdefault(f"{container}/{proto}", []).append((ip, int(host)) if host else (ip,))
    host_config = api.create_host_config(
        mounts=mounts, port_bindings=bindings,
        restart_policy=None if spec["restart"] == "no" else {"Name": spec["restart"]},
        init=spec["init"] or None, network_mode=network, auto_remove=auto_remove,
        extra_hosts={"host.docker.internal": host_gateway})
    hc = spec["healthcheck"]
    healthcheck = None if hc is None else docker.types.Healthcheck(
        test=hc["test"], interval=int(hc["interval"] * 1e9), timeout=int(hc["timeout"] * 1e9), retries=hc["retries"],
        start_period=int(hc["start_period"] * 1e9))
    config = api.create_container_config(
        image=spec["image"], command=command if command is not None else spec["command"], entrypoint=spec["entrypoint"],
        environment=spec["env"], working_dir=spec["workdir"], user=spec["user"], labels=labels, healthcheck=healthcheck,
        host_config=host_config,
        ports=[(int(p.rsplit(":", 1)[1].split("/")[0]), p.rsplit("/", 1)[1]) for p in spec["ports"]],
        networking_config=api.create_networking_config({network: api.create_endpoint_config(aliases=spec["aliases"])}),
        stop_timeout=round(spec["stop_timeout"]), stop_signal=spec.get("stop_signal"), tty=tty, stdin_open=stdin)
    return {key: value for key, value in config.items() if value is not None}


@pytest.mark.parametrize("changes,options", [
    ({}, {}),
    ({"healthcheck": None, "restart": "no", "init": False, "aliases": [], "user": None, "workdir": None,
      "command": None, "entrypoint": ["/bin/sh", "-c"], "ports": [], "mounts": [], "env": {}}, {}),
    ({}, {"command": ["sh"], "auto_remove": True, "tty": True, "stdin": True}),
    ({"stop_timeout": 2.6, "entrypoint": []}, {"host_gateway": "10.88.0.1"}),
    ({"stop_signal": "SIGINT"}, {}),
])
def test_the_create_body_is_the_sdks(changes, options):
    kwargs = {"labels": {"dev.devenv.project": "p"}, "network": "p_default", "host_gateway": "host-gateway", **options}
    assert container_body(spec(**changes), **kwargs) == sdk_body(spec(**changes), **kwargs)
