"""The recipes ship inside the wheel: build one from a copy of the sources, install it into an
empty folder, and run `devenv recipes` and `devenv init` from there, far from the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        if (REPO / name).exists():
            shutil.copy(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "devenv", src / "devenv", ignore=ignore)
    shutil.copytree(REPO / "recipes", src / "recipes", ignore=ignore)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work / "dist"), str(src)],
                   check=True, capture_output=True, timeout=240)
    (wheel,) = (work / "dist").glob("devenv-*.whl")
    site = work / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, timeout=120)
    shutil.rmtree(src)  # nothing of the sources is left to fall back on
    return site


def run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    env.pop("DEVENV_RECIPES_PATH", None)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_recipes_load_from_the_installed_wheel(installed, tmp_path):
    where = run(installed, tmp_path, "-c", "import devenv, devenv_recipes; print(devenv.__file__); "
                                          "print(devenv_recipes.__file__)")
    assert where.returncode == 0, where.stderr
    assert all(line.startswith(str(installed)) for line in where.stdout.split()), where.stdout
    listing = run(installed, tmp_path, "-m", "devenv", "recipes", "--json")
    assert listing.returncode == 0, listing.stderr
    import json

    recipes = {r["name"]: r for r in json.loads(listing.stdout)}
    assert len(recipes) >= 16 and all(r["origin"] == "builtin" for r in recipes.values())


def test_init_renders_from_the_installed_wheel(installed, tmp_path):
    (tmp_path / "composer.json").write_text('{"require": {"laravel/framework": "^11"}}')
    result = run(installed, tmp_path, "-m", "devenv", "init", "--with", "postgres")
    assert result.returncode == 0, result.stderr
    assert "[services.web]" in (tmp_path / "devenv.toml").read_text()
    assert "FROM php:" in (tmp_path / "docker/dev/Dockerfile").read_text()  # a non-.toml template ships too
