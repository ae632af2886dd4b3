"""Multi-platform pins against the real local registry: a two-platform index (linux/amd64 and
linux/arm64) is pushed through the registry HTTP API; `devenv lock` pins the index digest and
records each platform's manifest digest; `up --locked` runs this machine's variant."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import tomllib
import urllib.parse
import urllib.request

from tests.conftest import BUSYBOX, REGISTRY, run_devenv

REGISTRY_URL = "http://127.0.0.1:5000"
MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
INDEX = "application/vnd.docker.distribution.manifest.list.v2+json"


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def push_blob(name: str, data: bytes) -> dict:
    start = urllib.request.Request(f"{REGISTRY_URL}/v2/{name}/blobs/uploads/", method="POST")
    with urllib.request.urlopen(start) as response:
        location = urllib.parse.urljoin(REGISTRY_URL, response.headers["Location"])
    separator = "&" if "?" in location else "?"
    put = urllib.request.Request(f"{location}{separator}digest={sha(data)}", data=data, method="PUT",
                                 headers={"Content-Type": "application/octet-stream"})
    with urllib.request.urlopen(put) as response:
        assert response.status == 201
    return {"size": len(data), "digest": sha(data)}


def push_manifest(name: str, reference: str, document: dict, media_type: str) -> dict:
    body = json.dumps(document).encode()
    put = urllib.request.Request(f"{REGISTRY_URL}/v2/{name}/manifests/{reference}", data=body, method="PUT",
                                 headers={"Content-Type": media_type})
    with urllib.request.urlopen(put) as response:
        assert response.status == 201
    return {"mediaType": media_type, "size": len(body), "digest": sha(body)}


def busybox_parts(docker_client) -> tuple[dict, bytes]:
    """The test image's config and its (single) layer, from `docker save`."""
    saved = b"".join(docker_client.images.get(BUSYBOX).save())
    with tarfile.open(fileobj=io.BytesIO(saved)) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))[0]  # type: ignore[arg-type]
        config = json.load(tar.extractfile(manifest["Config"]))  # type: ignore[arg-type]
        assert len(manifest["Layers"]) == 1
        layer = tar.extractfile(manifest["Layers"][0]).read()  # type: ignore[union-attr]
    return config, layer


def push_two_platform_index(docker_client, name: str, tag: str) -> dict[str, str]:
    """amd64 and arm64 variants of the test image (the arm64 one need not run); returns
    {"index": digest, "linux/amd64": digest, "linux/arm64/v8": digest, "amd64 config": digest}."""
    config, layer = busybox_parts(docker_client)
    layer_blob = push_blob(name, gzip.compress(layer, mtime=0))
    digests: dict[str, str] = {}
    entries = []
    for arch, variant in (("amd64", None), ("arm64", "v8")):
        variant_config = {**config, "architecture": arch}
        if variant:
            variant_config["variant"] = variant
        config_bytes = json.dumps(variant_config).encode()
        config_blob = push_blob(name, config_bytes)
        manifest = {"schemaVersion": 2, "mediaType": MANIFEST,
                    "config": {"mediaType": "application/vnd.docker.container.image.v1+json", **config_blob},
                    "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", **layer_blob}]}
        descriptor = push_manifest(name, sha(json.dumps(manifest).encode()), manifest, MANIFEST)
        platform = {"architecture": arch, "os": "linux", **({"variant": variant} if variant else {})}
        entries.append({**descriptor, "platform": platform})
        digests["/".join(p for p in ("linux", arch, variant) if p)] = descriptor["digest"]
        digests[f"{arch} config"] = config_blob["digest"]
    index = push_manifest(name, tag, {"schemaVersion": 2, "mediaType": INDEX, "manifests": entries}, INDEX)
    digests["index"] = index["digest"]
    return digests


def test_lock_pins_the_index_and_up_runs_this_platform(project, docker_client, registry, unique_name):
    name = f"prt/{unique_name}"
    pushed = push_two_platform_index(docker_client, name, "1")
    ref = f"{REGISTRY}/{name}:1"
    folder = project(f'[services.app]\nimage = "{ref}"\ncommand = "sleep 3600"\n')

    assert run_devenv("lock", cwd=folder).code == 0
    pin = tomllib.loads((folder / "devenv.lock").read_text())["services"]["app"]
    assert pin["digest"] == pushed["index"]
    assert pin["pin"] == f"{REGISTRY}/{name}@{pushed['index']}"
    assert pin["platforms"] == {"linux/amd64": pushed["linux/amd64"], "linux/arm64/v8": pushed["linux/arm64/v8"]}

    up = run_devenv("up", "--locked", "--wait", cwd=folder)
    assert up.code == 0, up.output
    [container] = docker_client.containers.list(filters={"label": f"dev.devenv.project={unique_name}"})
    arch = docker_client.version()["Arch"]  # this engine's platform picks the variant
    assert docker_client.api.inspect_container(container.id)["Image"] == pushed[f"{arch} config"]

    check = run_devenv("lock", "--check", cwd=folder)
    assert check.code == 0, check.output


def test_a_local_only_image_is_marked_and_check_says_so(project, docker_client, unique_name):
    local = f"prt-local/{unique_name}:1"
    docker_client.images.get(BUSYBOX).tag(local)
    try:
        folder = project(f'[services.app]\nimage = "{local}"\ncommand = "sleep 3600"\n')
        locked = run_devenv("lock", cwd=folder)
        assert locked.code == 0, locked.output
        assert "exists only on this machine" in locked.err
        pin = tomllib.loads((folder / "devenv.lock").read_text())["services"]["app"]
        assert pin["source"] == "local" and "other machines cannot reproduce" in pin["note"]
        check = run_devenv("lock", "--check", cwd=folder)
        assert check.code == 0
        assert "other machines cannot reproduce this" in check.out, check.output
    finally:
        docker_client.images.remove(local)
