"""What `POST /build` is sent, made without the docker SDK (its import alone was ~0.1 s of a
rebuild): the context as a tar of exactly what .dockerignore leaves (the files the build hash
counts, and the folders), the Dockerfile's name inside it, and the registry credentials header."""

from __future__ import annotations

import io
import json
import os
import secrets
import tarfile
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from devenv.core.dockerignore import DockerIgnore
from devenv.errors import DevenvError


def context_tar(context: Path, dockerfile: str) -> tuple[IO[bytes], str]:
    """A temporary file holding the context's tar, and the name the engine is to read the
    Dockerfile from. A Dockerfile outside the context is added to the tar under a name of its
    own and that name to the tar's .dockerignore, as the docker CLI does: the engine could not
    reach the file otherwise, and reads the .dockerignore to leave it out of `COPY .`."""
    outside = _outside(context, dockerfile)
    if outside is None and os.path.isabs(dockerfile):  # the engine reads it by its path in the tar
        dockerfile = os.path.relpath(dockerfile, context).replace(os.sep, "/")
    rules = DockerIgnore.for_context(context, dockerfile=dockerfile)
    archive = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    try:
        with tarfile.open(fileobj=archive, mode="w") as tar:
            for rel in rules.walk(context, folders=True):
                if outside is None or rel != ".dockerignore":
                    _add(tar, context, rel)
            if outside is not None:
                data = _read(outside, f"the Dockerfile {dockerfile}")
                dockerfile = f".dockerfile.{secrets.token_hex(10)}"
                _add_bytes(tar, dockerfile, data)
                ignore = context / ".dockerignore"
                lines = _read(ignore, ".dockerignore") if ignore.is_file() else b""
                _add_bytes(tar, ".dockerignore", lines + f"\n{dockerfile}\n".encode())
    except BaseException:
        archive.close()
        raise
    # tarfile pads the archive to a 10 KB record; Go's tar reader (the engine) stops at the two
    # zero blocks that end it, and over a connection that is not kept alive the engine then
    # closes with the padding unread, which resets the connection under the build's last
    # lines. Go's own writer (the docker CLI) sends no padding: nor does devenv.
    archive.truncate(tar.offset)
    archive.seek(0)
    return archive, dockerfile


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o644
    tar.addfile(info, io.BytesIO(data))


def _outside(context: Path, dockerfile: str) -> Path | None:
    """The Dockerfile's path when it lies outside the context, else None."""
    path = Path(dockerfile) if os.path.isabs(dockerfile) else context / dockerfile
    resolved, root = os.path.abspath(path), os.path.abspath(context)
    return None if resolved.startswith(root + os.sep) else Path(resolved)


def _add(tar: tarfile.TarFile, context: Path, rel: str) -> None:
    path = context / rel
    try:
        info = tar.gettarinfo(str(path), arcname=rel)
        if info.isfile():
            with open(path, "rb") as file:
                tar.addfile(info, file)
        else:
            tar.addfile(info)
    except FileNotFoundError:  # deleted since the walk: the engine is sent the context as it is now
        return
    except OSError as exc:
        raise DevenvError(f"cannot read {rel} of the build context {context} ({exc.strerror or exc})",
                          hint="make it readable, or leave it out with a .dockerignore line") from None


def _read(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DevenvError(f"cannot read {shown} ({exc.strerror or exc})") from None


def registry_config_header(config_dir: Path) -> str | None:
    """The X-Registry-Config header: every registry's credentials, since any FROM line may need
    one (a private base image). None when the Docker config names no credentials, which is the
    common case and then costs no SDK import. Credentials kept by a helper program
    (`credsStore`, `credHelpers`) are asked for through the SDK's auth module, which speaks the
    helpers' protocol. A helper that fails sends none."""
    config_file = config_dir / "config.json"
    try:
        data = json.loads(config_file.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return None  # no config, or one the engine's own client could not use either
    if not isinstance(data, Mapping) or not (data.get("auths") or data.get("credsStore") or data.get("credHelpers")):
        return None
    from docker import auth, errors
    from docker import credentials as helpers

    try:
        with warnings.catch_warnings():  # the SDK warns of a missing helper on stderr, then raises
            warnings.simplefilter("ignore")
            credentials = auth.load_config(config_path=str(config_file)).get_all_credentials()
    except (helpers.StoreError, errors.DockerException):
        # A helper that is missing or fails (a config copied from Docker Desktop): a public base
        # image needs none, and a private one fails with the engine's own "pull access denied".
        return None
    if auth.INDEX_URL not in credentials and auth.INDEX_NAME in credentials:  # as docker-py does (its #1683)
        credentials[auth.INDEX_URL] = credentials[auth.INDEX_NAME]
    return auth.encode_header(credentials).decode() if credentials else None
