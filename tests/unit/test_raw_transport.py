"""The raw requests the read paths and `down` make without the SDK, against a stand-in engine
on a unix socket: the request line they send, and how an error reply becomes one message."""

from __future__ import annotations

import pytest

from devenv.engine.client import Engine
from devenv.engine.endpoint import Endpoint
from devenv.errors import DevenvError, EngineUnavailable
from tests.unit.standin_engine import reply


def test_stop_and_remove_send_their_request_and_accept_done_already(engine_on):
    engine, stand_in = engine_on(reply("304 Not Modified"), reply("404 Not Found", b'{"message": "No such container"}'))
    engine.stop("abc", 7.4)
    engine.remove("abc")
    assert [r.split(b"\r\n")[0] for r in stand_in.requests] == [
        b"POST /containers/abc/stop?t=7 HTTP/1.0", b"DELETE /containers/abc?force=1&v=0 HTTP/1.0"]
    assert all(b"Content-Length: 0" in r for r in stand_in.requests)


def test_an_error_reply_is_one_message_with_the_engines_reason(engine_on):
    engine, _ = engine_on(reply("409 Conflict", b'{"message": "volume is in use - [f00]"}'),
                          reply("500 Internal Server Error", b"plain text reason"))
    with pytest.raises(DevenvError, match=r"^cannot remove volume shop\.data: volume is in use - \[f00\]$"):
        engine.remove_volume("shop.data")
    with pytest.raises(DevenvError, match=r"^cannot remove network: plain text reason$"):
        engine.remove_network("n1")


def test_lists_filter_by_project_label(engine_on):
    engine, stand_in = engine_on(reply("200 OK", b'[{"Id": "n1", "Name": "shop_default", "Labels": {}}]'),
                                 reply("200 OK", b'{"Volumes": null, "Warnings": null}'))
    assert engine.networks("shop") == [{"Id": "n1", "Name": "shop_default", "Labels": {}}]
    assert engine.volumes("shop") == []
    assert all(b"dev.devenv.project%3Dshop" in r for r in stand_in.requests)


def test_no_engine_on_the_socket_is_unreachable(tmp_path):
    engine = Engine(Endpoint(f"unix://{tmp_path / 'none.sock'}", "test"))
    with pytest.raises(EngineUnavailable):
        engine.stop("abc", 1)


def test_a_network_is_asked_again_while_the_engine_still_releases_its_endpoints(engine_on, monkeypatch):
    from devenv.engine import networks

    busy = reply("403 Forbidden", b'{"message": "error while removing network: network n1 has active endpoints"}')
    engine, stand_in = engine_on(busy, busy, reply("204 No Content"))
    engine.remove_network("n1")
    assert len(stand_in.requests) == 3
    engine, stuck = engine_on(busy, reply("200 OK", b'{"Containers": {}}'), busy, name="stuck")
    monkeypatch.setattr(networks, "NETWORK_SETTLE", 0)
    with pytest.raises(DevenvError, match="has active endpoints"):
        engine.remove_network("n1")  # not forever
    assert [r.split(b"\r\n")[0] for r in stuck.requests] == [
        b"DELETE /networks/n1 HTTP/1.0", b"GET /networks/n1 HTTP/1.0", b"DELETE /networks/n1 HTTP/1.0"]


def test_a_stale_endpoint_of_a_container_that_is_gone_is_forced_out(engine_on, monkeypatch):
    """Docker 20.10 kept an endpoint of a removed container on a network after a 200-service
    `down`; only `docker network disconnect -f` frees it. An endpoint of a container that still
    exists is left alone."""
    from devenv.engine import networks

    monkeypatch.setattr(networks, "NETWORK_SETTLE", 0)
    busy = reply("403 Forbidden", b'{"message": "error while removing network: network n1 has active endpoints"}')
    inspected = b'{"Containers": {"gone1": {"Name": "p-s001-1"}, "live2": {"Name": "other"}}}'
    engine, stand_in = engine_on(busy, reply("200 OK", inspected),
                                 reply("404 Not Found", b'{"message": "No such container: gone1"}'),
                                 reply("200 OK"),
                                 reply("200 OK", b'{"Id": "live2"}'),
                                 reply("204 No Content"))
    engine.remove_network("n1")
    lines = [r.split(b"\r\n")[0] for r in stand_in.requests]
    assert lines == [b"DELETE /networks/n1 HTTP/1.0", b"GET /networks/n1 HTTP/1.0",
                     b"GET /containers/gone1/json HTTP/1.0",
                     b"POST /networks/n1/disconnect HTTP/1.0", b"GET /containers/live2/json HTTP/1.0",
                     b"DELETE /networks/n1 HTTP/1.0"]
    assert b'{"Container": "p-s001-1", "Force": true}' in stand_in.requests[3]


# -- the writes of a recreate, without the SDK ------------------------------------------------------

DOCKER_VERSION = reply("200 OK", b'{"Version": "20.10.24", "Components": [{"Name": "Engine"}]}')  # not Podman
SPEC = {"image": "busybox:1", "command": ["httpd", "-f"], "entrypoint": None, "env": {"A": "1"}, "mounts": [],
        "ports": ["127.0.0.1:8080:80/tcp"], "workdir": None, "user": None, "healthcheck": None, "restart": "no",
        "init": True, "stop_timeout": 10.0, "aliases": ["web"]}


def test_create_posts_the_body_and_names_the_container(engine_on):
    import json

    from devenv.engine.create_body import container_body

    engine, stand_in = engine_on(DOCKER_VERSION, reply("201 Created", b'{"Id": "c0ffee", "Warnings": []}'))
    assert engine.create(name="p-web-1.next-1a2b3c", spec=SPEC, labels={"l": "v"}, network="p_default") == "c0ffee"
    head, _, body = stand_in.requests[1].partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0] == b"POST /containers/create?name=p-web-1.next-1a2b3c HTTP/1.0"
    assert b"Content-Type: application/json" in head
    assert json.loads(body) == container_body(SPEC, labels={"l": "v"}, network="p_default", host_gateway="host-gateway")


def test_a_refused_create_or_start_says_what_and_why(engine_on):
    engine, _ = engine_on(DOCKER_VERSION, reply("404 Not Found", b'{"message": "No such image: busybox:1"}'),
                          reply("500 Internal Server Error", b'{"message": "driver failed programming external '
                                                              b'connectivity: port is already allocated"}'),
                          reply("304 Not Modified"))
    with pytest.raises(DevenvError, match=r"^cannot create p-web-1: No such image: busybox:1$"):
        engine.create(name="p-web-1", spec=SPEC, labels={}, network="p_default")
    with pytest.raises(DevenvError, match=r"^cannot start service web: .*port is already allocated$"):
        engine.start("c0ffee", "service web")
    engine.start("c0ffee", "service web")  # 304: running already
    engine, _ = engine_on(reply("500 Internal Server Error"), name="mute")
    with pytest.raises(DevenvError, match=r"^cannot start service web: engine status 500$"):
        engine.start("c0ffee", "service web")  # no reason given: the status is said instead


def test_a_volume_and_a_network_are_made_only_when_missing(engine_on):
    engine, stand_in = engine_on(reply("404 Not Found", b'{"message": "no such volume"}'), reply("201 Created", b"{}"),
                                 reply("200 OK", b'{"Name": "p_data", "Labels": {"who": "me"}}'),
                                 reply("200 OK", b'[{"Name": "p_default2"}]'), reply("201 Created", b'{"Id": "n"}'),
                                 reply("200 OK", b'[{"Name": "p_default", "Labels": {"a": "b"}}]'))
    assert engine.ensure_volume("p_data", {"who": "me"}) is None
    assert engine.ensure_volume("p_data", {"who": "me"}) == {"who": "me"}
    assert engine.ensure_network("p_default", {"a": "b"}) is None  # a name filter matches substrings
    assert engine.ensure_network("p_default", {"a": "b"}) == {"a": "b"}
    assert [r.split(b"\r\n")[0].split(b"?")[0] for r in stand_in.requests] == [
        b"GET /volumes/p_data HTTP/1.0", b"POST /volumes/create HTTP/1.0", b"GET /volumes/p_data HTTP/1.0",
        b"GET /networks", b"POST /networks/create HTTP/1.0", b"GET /networks"]


def test_connecting_twice_is_fine_and_another_refusal_is_an_error(engine_on):
    exists = b'{"message": "endpoint with name p-web-1 already exists in network r"}'
    engine, _ = engine_on(reply("403 Forbidden", exists),
                          reply("404 Not Found", b'{"message": "network r not found"}'),
                          reply("500 Internal Server Error"))
    engine.connect("c0ffee", "r", aliases=["p-web-1"])
    with pytest.raises(DevenvError, match=r"^cannot connect to network r: network r not found$"):
        engine.connect("c0ffee", "r")
    with pytest.raises(DevenvError, match=r"^cannot connect to network r: engine status 500$"):
        engine.connect("c0ffee", "r")  # a refusal without a reason is still a refusal


def test_creates_at_once_ask_the_engine_its_kind_only_once(engine_on):
    from concurrent.futures import ThreadPoolExecutor

    created = reply("201 Created", b'{"Id": "c0ffee", "Warnings": []}')
    engine, stand_in = engine_on(DOCKER_VERSION, *[created] * 6)
    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(lambda i: engine.create(name=f"p-s{i}-1", spec=SPEC, labels={}, network="p_default"),
                            range(6)))
    assert ids == ["c0ffee"] * 6
    lines = [request.split(b"\r\n")[0] for request in stand_in.requests]
    assert lines.count(b"GET /version HTTP/1.0") == 1 and len(lines) == 7


DIE = b'{"Type": "container", "Action": "die", "id": "c1"}\n'
START = b'{"Type": "container", "Action": "start", "id": "c2"}\n'


def test_engine_events_stream_line_by_line_and_keep_only_the_asked_actions(engine_on):
    engine, stand_in = engine_on(reply("200 OK", START + DIE + DIE.replace(b"c1", b"c3")))
    assert [e["id"] for e in engine.container_events("shop")] == ["c1", "c3"]
    request_line = stand_in.requests[0].split(b"\r\n")[0]
    assert request_line.startswith(b"GET /events?filters=") and b"dev.devenv.project%3Dshop" in request_line
    assert request_line.endswith(b" HTTP/1.0")


def test_a_chunked_event_stream_is_read_across_chunk_boundaries(engine_on):
    body = DIE + START
    chunks = [body[:10], body[10:60], body[60:]]
    chunked = b"".join(f"{len(c):x}\r\n".encode() + c + b"\r\n" for c in chunks) + b"0\r\n\r\n"
    engine, _ = engine_on(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked)
    assert [e["id"] for e in engine.container_events("shop", events=("die", "start"))] == ["c1", "c2"]


def test_a_refused_event_stream_is_one_message_and_a_dropped_one_is_unreachable(engine_on, tmp_path):
    engine, _ = engine_on(reply("400 Bad Request", b'{"message": "invalid filter"}'))
    with pytest.raises(DevenvError, match=r"^engine error: invalid filter$"):
        list(engine.container_events("shop"))
    gone = Engine(Endpoint(f"unix://{tmp_path / 'none.sock'}", "test"))
    with pytest.raises(EngineUnavailable, match="event stream ended"):
        list(gone.container_events("shop"))


def test_a_garbled_event_stream_ends_as_an_engine_failure_not_a_traceback(engine_on):
    engine, _ = engine_on(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                          reply("200 OK", DIE + b"<html>proxy error</html>\n"))
    with pytest.raises(EngineUnavailable, match="event stream ended"):
        list(engine.container_events("shop"))  # a chunk size that is no number
    events = engine.container_events("shop")
    assert next(events)["id"] == "c1"
    with pytest.raises(EngineUnavailable, match="event stream ended"):
        next(events)  # then a line that is no JSON


def test_a_reply_without_a_status_code_is_the_engines_error(engine_on):
    engine, _ = engine_on(b"HTTP/1.1\r\n\r\n", b"HTTP/1.1 OK\r\n\r\n")
    with pytest.raises(DevenvError, match=r"^engine error: "):
        list(engine.container_events("shop"))
    with pytest.raises(DevenvError, match="engine status 502"):
        engine.stop("abc", 1)


def test_a_health_check_of_devenvs_own_runs_the_test_as_the_engine_would(engine_on):
    """A string test runs through the image's shell (its SHELL, else sh -c); the exec carries no
    user or folder of its own (the container's apply); exit 0 within the timeout is a pass."""
    import json

    engine, stand_in = engine_on(
        reply("200 OK", b'{"Config": {"Shell": ["/bin/bash", "-c"]}}'),
        reply("201 Created", b'{"Id": "e1"}'), reply("200 OK"),
        reply("200 OK", b'{"Running": true, "ExitCode": null}'),
        reply("200 OK", b'{"Running": false, "ExitCode": 0}'),
        reply("201 Created", b'{"Id": "e2"}'), reply("200 OK"),
        reply("200 OK", b'{"Running": false, "ExitCode": 1}'))
    healthcheck = {"test": ["CMD-SHELL", "pg_isready -U app"], "interval": 8.0, "timeout": 5.0, "retries": 3,
                   "start_period": 0.0}
    assert engine.check_health_once("c1", healthcheck) is True
    assert engine.check_health_once("c1", {**healthcheck, "test": ["CMD", "false"]}) is False
    lines = [r.split(b"\r\n", 1)[0] for r in stand_in.requests]
    assert lines == [b"GET /containers/c1/json HTTP/1.0", b"POST /containers/c1/exec HTTP/1.0",
                     b"POST /exec/e1/start HTTP/1.0", b"GET /exec/e1/json HTTP/1.0", b"GET /exec/e1/json HTTP/1.0",
                     b"POST /containers/c1/exec HTTP/1.0", b"POST /exec/e2/start HTTP/1.0",
                     b"GET /exec/e2/json HTTP/1.0"]
    bodies = [json.loads(r.partition(b"\r\n\r\n")[2]) for r in stand_in.requests if b"/exec HTTP" in r]
    assert [b["Cmd"] for b in bodies] == [["/bin/bash", "-c", "pg_isready -U app"], ["false"]]
    assert not any("User" in b or "WorkingDir" in b for b in bodies)


def test_a_health_check_that_outlives_its_timeout_failed(engine_on):
    running = reply("200 OK", b'{"Running": true, "ExitCode": null}')
    engine, stand_in = engine_on(reply("201 Created", b'{"Id": "e1"}'), reply("200 OK"), running, running)
    healthcheck = {"test": ["CMD", "sleep", "60"], "interval": 1.0, "timeout": 0.001, "retries": 3,
                   "start_period": 0.0}
    assert engine.check_health_once("c1", healthcheck) is False  # the exec still runs: given up
    assert len(stand_in.requests) in (3, 4)  # a look or two (the first may come within the millisecond)


def test_a_container_devenv_starts_or_restarts_must_pass_its_check_again(engine_on):
    from devenv.engine.probes import HealthProbes

    engine, _stand_in = engine_on(reply("204 No Content"), reply("204 No Content"))
    engine._probes = HealthProbes(lambda cid, hc: True, spawn=lambda work: work())  # checks pass at once
    for again in (lambda: engine.restart("c1", 1), lambda: engine.start("c1", "web")):
        engine.probes.passed({"c1": None})
        assert engine.probes.passed({"c1": None}) == {"c1"}
        again()
        assert engine.probes.passed({"c1": None}) == set()


def test_a_copy_answered_before_its_archive_was_read_gives_the_engines_answer(tmp_path):
    """The engine stops reading a tar at its end blocks and closes over tarfile's padding:
    the reset that follows its reply is no failure, and a refusal keeps its reason."""
    from devenv.engine.client import Engine
    from tests.unit.standin_engine import StandIn

    small, large = b"t" * 20_000, b"t" * (4 << 20)  # sent whole (read in part) / more than the buffers hold
    for name, data, answer, expected in [
            ("ok", small, reply("200 OK"), None),
            ("refused", large, reply("403 Forbidden", b'{"message": "container rootfs is marked read-only"}'),
             "cannot copy into /app: container rootfs is marked read-only")]:
        path = tmp_path / f"{name}.sock"
        StandIn(path, [answer], read_body=False)
        engine = Engine(Endpoint(f"unix://{path}", "test"))
        if expected is None:
            engine.put_archive("abc", "/app", data)
        else:
            with pytest.raises(DevenvError) as caught:
                engine.put_archive("abc", "/app", data)
            assert caught.value.message == expected


def test_a_copy_sends_its_tar_without_the_record_padding(engine_on):
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo("app/main.py")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"print"))
    padded = buffer.getvalue()
    engine, stand_in = engine_on(reply("200 OK"))
    engine.put_archive("abc", "/", padded)
    sent = stand_in.requests[0].partition(b"\r\n\r\n")[2]
    assert len(padded) == tarfile.RECORDSIZE and sent == padded[:4 * tarfile.BLOCKSIZE]  # header, data, 2 end blocks
    with tarfile.open(fileobj=io.BytesIO(sent)) as tar:
        member = tar.extractfile("app/main.py")
        assert member is not None and member.read() == b"print"


@pytest.mark.parametrize("answer", [
    b"HTTP/1.0 404 File not found\r\nServer: SimpleHTTP/0.6 Python/3.11.7\r\nContent-Type: text/html;charset=utf-8"
    b"\r\n\r\n<!DOCTYPE HTML>\n<html><body><h1>Error response</h1></body></html>\n",  # python -m http.server
    b"HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\n\r\n",  # a proxy that wants TLS
])
def test_a_web_server_at_the_engines_address_is_no_engine(engine_on, answer):
    """DOCKER_HOST pointing at the wrong port: one message and exit 3, not the page as errors."""
    engine, _ = engine_on(answer)
    with pytest.raises(EngineUnavailable, match=r"it answers HTTP, but not as a Docker engine \(status 4(04|26)\)$"):
        engine.networks("shop")


def test_an_engines_own_error_is_still_the_engines_error(engine_on):
    """Docker's answer to an unknown container carries Api-Version: it is the engine speaking."""
    engine, _ = engine_on(b"HTTP/1.1 404 Not Found\r\nApi-Version: 1.41\r\nContent-Type: text/html\r\n\r\n"
                          b'{"message": "No such network: n1"}')
    with pytest.raises(DevenvError, match="No such network: n1") as info:
        engine.remove_network("n1")
    assert not isinstance(info.value, EngineUnavailable)


def test_a_container_whose_devenv_labels_do_not_parse_reads_as_unlabelled(engine_on):
    """Labels are anyone's to write: a spec that is not JSON, or a replica that is not a number,
    must not crash every command that lists the project (the plan then recreates it)."""
    rows = (b'[{"Id": "c1", "Names": ["/shop-web-1"], "State": "running", "Status": "Up 1 second", '
            b'"Labels": {"dev.devenv.project": "shop", "dev.devenv.service": "web", '
            b'"dev.devenv.replica": "one", "dev.devenv.spec": "{not json"}}, '
            b'{"Id": "c2", "Names": ["/shop-db-1"], "State": "running", "Status": "Up 1 second", '
            b'"Labels": {"dev.devenv.project": "shop", "dev.devenv.service": "db", "dev.devenv.spec": "[1, 2]"}}]')
    engine, _ = engine_on(reply("200 OK", rows))
    web, db = engine.containers("shop")
    assert (web.replica, web.spec) == (1, None) and db.spec is None
