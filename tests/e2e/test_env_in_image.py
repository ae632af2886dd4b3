"""A build context that sends .env to the image (issue 15, point 8), on a real engine: `up`
warns before the build and names the .dockerignore line; the image really holds the secret
until that line is added; with it, `up` is silent and the rebuilt image holds no .env."""

from __future__ import annotations

from tests.conftest import BUSYBOX, run_devenv
from tests.e2e.conftest import container_ids

MANIFEST = '[services.web]\nbuild = "."\ncommand = "sleep 100000"\nstop_timeout = "1s"\n'


def cat_env(docker_client, unique_name: str) -> tuple[int, str]:
    web = docker_client.containers.get(container_ids(docker_client, unique_name)["web-1"])
    result = web.exec_run(["cat", "/app/.env"])
    return result.exit_code, result.output.decode()


def test_up_warns_when_dotenv_would_be_baked_into_the_image(project, docker_client, unique_name):
    folder = project(MANIFEST, files={"Dockerfile": f"FROM {BUSYBOX}\nCOPY . /app\n", ".env": "TOKEN=s3cret\n",
                                      ".env.example": "TOKEN=\n"})
    result = run_devenv("up", cwd=folder)
    assert result.code == 0, result.output
    assert ("devenv: warning: service web: the build context sends .env to the engine, and `COPY . /app` bakes it "
            "into the image; add this line to .dockerignore: .env") in result.err
    assert cat_env(docker_client, unique_name) == (0, "TOKEN=s3cret\n")  # the warning is about a real leak

    (folder / ".dockerignore").write_text(".env\n")
    result = run_devenv("up", cwd=folder)
    assert result.code == 0, result.output
    assert "warning" not in result.err
    code, _ = cat_env(docker_client, unique_name)
    assert code != 0  # rebuilt without it
