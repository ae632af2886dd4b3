"""The build over the raw socket: the context's tar (against the docker SDK's as the oracle), a
Dockerfile outside the context, the credentials header, and the request and replies against a
stand-in engine on a unix socket. No engine, no network."""

from __future__ import annotations

import base64
import io
import json
import os
import tarfile
import urllib.parse
import warnings
from pathlib import Path

import pytest

from devenv.engine.buildcontext import context_tar, registry_config_header
from devenv.errors import DevenvError
from tests.unit.standin_engine import reply

DOCKERIGNORE = "node_modules\n*.log\n!keep.log\nsecrets/**\n!secrets/public.pem\n"


def make_context(root: Path) -> Path:
    files = {"Dockerfile": "FROM scratch\n", ".dockerignore": DOCKERIGNORE, "app.py": "print(1)\n",
             "debug.log": "x", "keep.log": "kept", "node_modules/left/index.js": "x", "src/pkg/mod.py": "y",
             "secrets/key.pem": "private", "secrets/public.pem": "public", "deep/er/than/that.txt": "z"}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (root / "empty").mkdir()
    os.symlink("app.py", root / "link.py")
    return root


def names_in(archive) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(fileobj=archive) as tar:
        return {m.name: m for m in tar.getmembers()}


def test_the_tar_holds_what_the_sdk_would_send(tmp_path):
    from docker.utils import build as sdk_build

    context = make_context(tmp_path)
    archive, dockerfile = context_tar(context, "Dockerfile")
    with archive:
        ours = names_in(archive)
    sdk = sdk_build.tar(str(context), exclude=DOCKERIGNORE.splitlines(), dockerfile=("Dockerfile", None))
    with sdk:
        theirs = names_in(sdk)
    assert dockerfile == "Dockerfile"
    assert sorted(ours) == sorted(theirs)
    assert {"empty", "link.py", "keep.log", "secrets/public.pem"} <= set(ours)  # an empty folder, a link, `!` rules
    assert not {"debug.log", "node_modules", "node_modules/left/index.js", "secrets/key.pem"} & set(ours)
    assert ours["link.py"].issym() and ours["link.py"].linkname == "app.py"
    assert ours["empty"].isdir() and ours["app.py"].size == len("print(1)\n")


def test_a_dockerfile_outside_the_context_travels_inside_the_tar(tmp_path):
    context = make_context(tmp_path / "ctx")
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker/dev.Dockerfile").write_text("FROM busybox\nRUN true\n")
    archive, dockerfile = context_tar(context, "../docker/dev.Dockerfile")
    with archive, tarfile.open(fileobj=archive) as tar:
        assert dockerfile.startswith(".dockerfile.")
        member = tar.extractfile(dockerfile)
        assert member is not None and member.read() == b"FROM busybox\nRUN true\n"
        ignore = tar.extractfile(".dockerignore")  # so that the engine leaves it out of `COPY .`
        assert ignore is not None and ignore.read() == (DOCKERIGNORE + f"\n{dockerfile}\n").encode()
        assert [m.name for m in tar.getmembers()].count(".dockerignore") == 1
    inside, name = context_tar(context, "Dockerfile")
    inside.close()
    assert name == "Dockerfile"
    (context / "docker").mkdir()
    (context / "docker/web.Dockerfile").write_text("FROM busybox\n")
    (context / ".dockerignore").write_text("docker\n")  # the Dockerfile is sent even so
    inside, name = context_tar(context, str(context / "docker/web.Dockerfile"))  # an absolute path
    with inside:
        assert name == "docker/web.Dockerfile" and name in names_in(inside)


def test_an_unreadable_file_of_the_context_is_one_message(tmp_path, monkeypatch):
    from devenv.engine import buildcontext

    context = make_context(tmp_path)

    def refuse(path, mode="r"):  # as open() refuses a file without read permission (root reads all)
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(buildcontext, "open", refuse, raising=False)
    with pytest.raises(DevenvError, match=r"cannot read \S+ of the build context .* \(Permission denied\)"):
        context_tar(context, "Dockerfile")


def header(tmp_path: Path, config: object) -> str | None:
    (tmp_path / "config.json").write_text(json.dumps(config))
    return registry_config_header(tmp_path)


def test_credentials_go_in_the_header_only_when_the_config_has_some(tmp_path):
    assert registry_config_header(tmp_path / "nothing-here") is None
    assert header(tmp_path, {"currentContext": "colima"}) is None
    assert header(tmp_path, {"auths": {}}) is None
    (tmp_path / "config.json").write_text("{ not json")
    assert registry_config_header(tmp_path) is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nor a warning on the user's terminal
        assert header(tmp_path, {"credsStore": "devenv-test-no-such-helper"}) is None  # a missing helper: no header
    token = base64.b64encode(b"ann:s3cret").decode()
    sent = header(tmp_path, {"auths": {"registry.example:5000": {"auth": token}}})
    assert sent is not None
    decoded = json.loads(base64.urlsafe_b64decode(sent))
    assert decoded["registry.example:5000"]["username"] == "ann"
    assert decoded["registry.example:5000"]["password"] == "s3cret"


BUILT = (b'{"stream":"Step 1/2 : FROM busybox\\n"}\r\n{"stream":" ---> abc\\n"}\r\n'
         b'{"aux":{"ID":"sha256:feed"}}\r\n{"stream":"Successfully built feed\\n"}\r\n')


def build(engine, context: Path, **extra):
    return engine.build(context=str(context), dockerfile="Dockerfile", tag="devenv/p-web:1234",
                        args=extra.get("args", {}), target=extra.get("target"),
                        labels={"dev.devenv.project": "p"}, on_line=extra.get("on_line"))


def test_the_build_posts_the_tar_and_streams_the_log(engine_on, tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "no-config"))
    context = make_context(tmp_path / "ctx")
    engine, stand_in = engine_on(reply("200 OK", BUILT), reply("200 OK", b'{"Id": "sha256:feed"}'))
    lines: list[str] = []
    assert build(engine, context, args={"V": "1"}, target="dev", on_line=lines.append) == "sha256:feed"
    assert lines == ["Step 1/2 : FROM busybox", " ---> abc", "Successfully built feed"]
    head, _, body = stand_in.requests[0].partition(b"\r\n\r\n")
    request_line = head.split(b"\r\n")[0].decode()
    assert request_line.startswith("POST /build?") and request_line.endswith(" HTTP/1.0")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request_line.split(" ")[1]).query)
    assert query["t"] == ["devenv/p-web:1234"] and query["dockerfile"] == ["Dockerfile"]
    assert json.loads(query["buildargs"][0]) == {"V": "1"} and query["target"] == ["dev"]
    assert json.loads(query["labels"][0]) == {"dev.devenv.project": "p"} and query["rm"] == ["1"]
    assert b"Content-Type: application/x-tar" in head and b"X-Registry-Config" not in head
    assert "app.py" in names_in(io.BytesIO(body))
    assert stand_in.requests[1].startswith(b"GET /images/devenv%2Fp-web%3A1234/json ")


def test_a_failed_step_is_the_error_with_the_log_tail(engine_on, tmp_path):
    context = make_context(tmp_path / "ctx")
    failed = (b'{"stream":"Step 2/2 : RUN false\\n"}\r\n{"errorDetail":{"code":1,"message":"The command '
              b'\'/bin/sh -c false\' returned a non-zero code: 1"},"error":"The command \'/bin/sh -c false\' '
              b'returned a non-zero code: 1"}\r\n')
    engine, _ = engine_on(reply("200 OK", failed))
    with pytest.raises(DevenvError) as caught:
        build(engine, context)
    assert caught.value.message == ("build of devenv/p-web:1234 failed: The command '/bin/sh -c false' "
                                    "returned a non-zero code: 1")
    assert caught.value.details is not None and "Step 2/2 : RUN false" in caught.value.details


def test_a_refused_build_says_why_and_garbage_is_no_traceback(engine_on, tmp_path):
    context = make_context(tmp_path / "ctx")
    engine, _ = engine_on(reply("500 Internal Server Error", b'{"message":"Cannot locate specified Dockerfile: Nope"}'),
                          reply("200 OK", b"<html>a proxy</html>\r\n"), name="a")
    with pytest.raises(DevenvError, match="build of devenv/p-web:1234 failed: Cannot locate specified Dockerfile"):
        build(engine, context)
    with pytest.raises(DevenvError, match="not JSON"):
        build(engine, context)


def test_the_build_sends_the_configs_credentials(engine_on, tmp_path, monkeypatch):
    token = base64.b64encode(b"ann:s3cret").decode()
    (tmp_path / "config.json").write_text(json.dumps({"auths": {"registry.example:5000": {"auth": token}}}))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    engine, stand_in = engine_on(reply("200 OK", BUILT), reply("200 OK", b'{"Id": "sha256:feed"}'))
    build(engine, make_context(tmp_path / "ctx"))
    head = stand_in.requests[0].partition(b"\r\n\r\n")[0].decode()
    sent = next(line.split(": ", 1)[1] for line in head.split("\r\n") if line.startswith("X-Registry-Config: "))
    assert json.loads(base64.urlsafe_b64decode(sent))["registry.example:5000"]["username"] == "ann"


def test_the_tar_ends_where_the_engines_tar_reader_stops(tmp_path):
    """No record padding after the two zero blocks: over a connection that is not kept alive
    the engine closes over bytes it did not read, and the build's last lines are cut by a reset."""
    archive, _ = context_tar(make_context(tmp_path), "Dockerfile")
    with archive:
        data = archive.read()
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        last = tar.getmembers()[-1]
    end_of_last = last.offset_data + -(-last.size // tarfile.BLOCKSIZE) * tarfile.BLOCKSIZE
    assert len(data) == end_of_last + 2 * tarfile.BLOCKSIZE and data[end_of_last:] == bytes(1024)


def test_a_build_refused_before_its_context_was_read_is_the_engines_reason(tmp_path):
    from devenv.engine.client import Engine
    from devenv.engine.endpoint import Endpoint
    from tests.unit.standin_engine import StandIn

    context = make_context(tmp_path / "ctx")
    (context / "big.bin").write_bytes(os.urandom(4 << 20))  # more than the socket buffers hold
    path = tmp_path / "refusing.sock"
    StandIn(path, [reply("400 Bad Request", b'{"message":"refused at once"}')], read_body=False)
    with pytest.raises(DevenvError) as caught:
        build(Engine(Endpoint(f"unix://{path}", "test")), context)
    assert caught.value.message == "build of devenv/p-web:1234 failed: refused at once"


def test_a_reset_after_the_whole_reply_is_its_end(tmp_path):
    """The engine answers, then closes over bytes of the body it did not read: the kernel
    reports a reset after the reply's last line, which must not turn a build into a failure."""
    from devenv.engine.client import Engine
    from devenv.engine.endpoint import Endpoint
    from tests.unit.standin_engine import StandIn

    context = make_context(tmp_path / "ctx")  # a tar of ~10 KB: sent whole, read only in part
    path = tmp_path / "closing.sock"
    StandIn(path, [reply("200 OK", BUILT), reply("200 OK", b'{"Id": "sha256:feed"}')], read_body=False)
    lines: list[str] = []
    assert build(Engine(Endpoint(f"unix://{path}", "test")), context, on_line=lines.append) == "sha256:feed"
    assert lines[-1] == "Successfully built feed"


def test_a_last_line_cut_by_a_reset_instead_of_an_end_of_file_is_kept():
    """The engine's refusal ({"message": ...} with no newline) and then a reset, not an end of
    file: readline() would drop what it held, and the reason with it (a flaky failure in CI)."""
    from devenv.engine.transport import _lines_until_reset

    class Reply:
        def __init__(self, *chunks: bytes) -> None:
            self.chunks = list(chunks)

        def read1(self, size: int) -> bytes:
            if not self.chunks:
                raise ConnectionResetError("reset by peer")
            return self.chunks.pop(0)

    assert list(_lines_until_reset(Reply(b'{"stream":"a"}\n{"mess', b'age":"refused at once"}'))) == [  # type: ignore[arg-type]
        b'{"stream":"a"}\n', b'{"message":"refused at once"}']
    assert list(_lines_until_reset(Reply(b"one\ntwo\n", b""))) == [b"one\n", b"two\n"]  # type: ignore[arg-type]
