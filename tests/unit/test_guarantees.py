"""docs/guarantees.md keeps its promise that every statement names a test (issue 15, point 9),
and the atomic-write guarantee it states: a failed write leaves the old file whole."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

from devenv.core import textfiles
from devenv.core.textfiles import write_atomic

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "guarantees.md"
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def statements(text: str) -> list[str]:
    """The doc's claims: each bullet (with its continuation lines), each exit-code row, and each
    paragraph outside them. Headings, HTML comments (the lead's placeholders) and the table's
    header are not claims."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
        current: list[str] = []
        for line in lines:
            if line.startswith(("- ", "| ")) and current:
                blocks.append(" ".join(current))
                current = []
            current.append(line.strip())
        if current:
            blocks.append(" ".join(current))
    return [b for b in blocks if not re.fullmatch(r"\|[-| ]+\|", b) and not b.startswith("| Code |")]


def test_every_statement_of_the_guarantees_names_a_test_that_exists():
    claims = statements(DOC.read_text())
    intro, *claims = claims  # the first paragraph says what the page is
    assert "names the test that proves it" in intro
    assert len(claims) >= 15
    missing = [claim[:80] for claim in claims if not REFERENCE.search(claim)]
    assert not missing, "statements without a test:\n" + "\n".join(missing)
    broken = []
    for claim in claims:
        for path, name in REFERENCE.findall(claim):
            file = ROOT / path
            tree = ast.parse(file.read_text()) if file.is_file() else ast.Module(body=[], type_ignores=[])
            defined = any(isinstance(node, ast.FunctionDef) and node.name == name for node in ast.walk(tree))
            if not defined:
                broken.append(f"{path}::{name}")
    assert not broken, "named tests that do not exist:\n" + "\n".join(broken)


def test_the_checker_catches_a_statement_without_a_test():
    doc = "# T\n\nIntro names the test that proves it.\n\n- **A claim.** With nothing to back it.\n"
    (claim,) = statements(doc)[1:]
    assert not REFERENCE.search(claim)


def test_a_failed_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "devenv.lock"
    path.write_text("old and whole\n")

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(textfiles.os, "replace", crash)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(path, "new\n" * 1000)
    assert path.read_text() == "old and whole\n"
    assert os.listdir(tmp_path) == ["devenv.lock"]  # the temp file is gone too
