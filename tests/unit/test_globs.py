"""Globs of watch rules and provision inputs, and gitignore-style ignore files checked against
git itself (`git ls-files --others --exclude-from`) as the oracle, one table per pattern family."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from devenv.core.globs import IgnoreRules, compile_glob, expand, glob_base, matches, walk_files

TREE = [
    "app.py", "a.log", "b.txt", "src/app.py", "src/app.log", "src/deep/x.log", "src/deep/y.py",
    "docs/readme.md", "docs/api/index.md", "build/out.bin", "build/keep.txt", "sub/build/o.bin",
    "logs/2024/a.log", "tmp1/x", "tmp/z", "x.log", "sub/x.log", "node_modules/p/i.js",
]


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    for rel in TREE:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel)
    return root


def git_keeps(root: Path, patterns: list[str], tmp: Path) -> list[str]:
    """The files git would not ignore with these patterns (its own matcher, no repository state)."""
    exclude = tmp / "exclude"
    exclude.write_text("\n".join(patterns) + "\n")
    repo = tmp / "repo"
    if not repo.exists():
        shutil.copytree(root, repo)
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
    out = subprocess.run(["git", "-C", str(repo), "ls-files", "--others", f"--exclude-from={exclude}"],
                         check=True, capture_output=True, text=True).stdout
    return sorted(out.split())


FAMILIES = {
    "no slash: any depth": [["*.log"], ["x.log"], ["build"], ["deep"], ["app.*"]],
    "a slash anchors": [["/x.log"], ["src/*.log"], ["/build"], ["src/deep"], ["docs/api/"]],
    "dir/ matches folders only": [["build/"], ["x.log/"], ["tmp*/"]],
    "* and ? stay in one folder": [["src/*"], ["*/x.log"], ["tmp?"], ["s*/app.py"]],
    "** spans folders": [["**/*.log"], ["src/**"], ["**/deep"], ["docs/**/index.md"], ["**/build/*.bin"]],
    "! re-includes, the last match wins": [["*.log", "!a.log"], ["!b.txt", "*.txt"], ["build/*", "!build/keep.txt"],
                                           ["*.log", "!src/**"], ["docs", "!docs/api"],
                                           ["build/", "!build/keep.txt"]],  # no way back into an ignored folder
    "comments and blanks": [["# *.log", "", "b.txt"], ["\\#x"]],
}
CASES = [(family, patterns) for family, cases in FAMILIES.items() for patterns in cases]
# A test ID with a backslash is not found again by `mutmut run` (docs/testing.md), so it is spelt out.
IDS = [f"{family}: {' | '.join(patterns)}".replace("\\", "(backslash)") for family, patterns in CASES]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is the oracle")
@pytest.mark.parametrize(("family", "patterns"), CASES, ids=IDS)
def test_ignore_files_follow_git(tree, tmp_path, family, patterns):
    assert sorted(walk_files(tree, IgnoreRules(patterns))) == git_keeps(tree, patterns, tmp_path)


def test_keep_puts_back_what_a_rule_names_on_purpose(tree):
    rules = IgnoreRules(["node_modules", "*.log"], keep=["node_modules/**"])
    assert not rules.ignored("node_modules/p/i.js") and rules.ignored("a.log")
    assert rules.ignored("build/", is_dir=False) is False
    assert IgnoreRules(["build/"]).ignored("build", is_dir=True)
    assert not IgnoreRules(["build/"]).ignored("build")  # a file named build is not a folder


def test_the_project_dockerignore_is_read_with_dockers_rules(tmp_path):
    (tmp_path / ".dockerignore").write_text("*.log\n")
    (tmp_path / ".devenvignore").write_text("*.tmp\n")
    rules = IgnoreRules.for_root(tmp_path)
    assert rules.ignored("a.log") and not rules.ignored("src/a.log")  # Docker: anchored at the root
    assert rules.ignored("a.tmp") and rules.ignored("src/a.tmp")  # git: any depth
    assert rules.ignored(".git", is_dir=True) and rules.ignored("node_modules", is_dir=True)
    assert not IgnoreRules.for_root(tmp_path, keep=["node_modules/**"]).ignored("node_modules", is_dir=True)


def test_an_input_that_names_a_dockerignored_folder_keeps_it(tmp_path):
    (tmp_path / ".dockerignore").write_text("Xcode\n*.log\n")
    rules = IgnoreRules.for_root(tmp_path, keep=["Xcode/**"])
    assert not rules.ignored("Xcode", is_dir=True) and not rules.ignored("Xcode/App/main.swift")
    assert rules.ignored("a.log")  # the other lines still count


@pytest.mark.parametrize(("pattern", "path", "hit"), [
    ("*.py", "app.py", True), ("*.py", "src/deep/app.py", True),  # no slash: any depth
    ("src/*.py", "src/app.py", True), ("src/*.py", "lib/src/app.py", False),  # a slash anchors
    ("src/*.py", "src/deep/app.py", False),  # * does not cross /
    ("src/**/*.py", "src/deep/er/app.py", True), ("src/**/*.py", "src/app.py", True),  # ** spans, or is empty
    ("src/**", "src/a/b", True), ("src/**", "srcx/a", False),
    ("a?c", "abc", True), ("a?c", "a/c", False),
    ("src", "src/deep/app.py", True), ("src/", "src/app.py", True),  # a folder covers what is below
    ("/src/app.py", "src/app.py", True), ("app.py", "src/app.pyc", False),
    ("src/app.py", "src/app_py", False),  # . is literal
])
def test_compile_glob(pattern, path, hit):
    assert bool(compile_glob(pattern).match(path)) is hit
    assert matches(path, [pattern]) is hit


@pytest.mark.parametrize(("pattern", "base"), [
    ("www/**", "www"), ("src/*.py", "src"), ("src/app/main.py", "src/app"), ("*.py", ""), ("a/b*/c", "a"),
    ("/x/y/", "x"), ("lib/[ab]/c", "lib"), ("q?/r", ""), ("Xcode/App/*.swift", "Xcode/App"),
])
def test_glob_base(pattern, base):
    assert glob_base(pattern) == base


def test_expand(tree):
    assert expand(tree, ["src/**/*.py"]) == ["src/app.py", "src/deep/y.py"]
    assert expand(tree, ["docs"]) == ["docs/api/index.md", "docs/readme.md"]
    assert expand(tree, ["docs/"]) == expand(tree, ["/docs"]) == ["docs/api/index.md", "docs/readme.md"]
    assert expand(tree, ["/b.txt"]) == ["b.txt"]
    assert expand(tree, ["b.txt", "missing.txt"]) == ["b.txt"]
    assert expand(tree, ["**/*.log"], IgnoreRules(["src/"])) == ["a.log", "logs/2024/a.log", "sub/x.log", "x.log"]


def test_expand_reads_ignore_files_from_the_root_whatever_folder_a_pattern_starts_in(tmp_path):
    for rel in ("src/app/main.py", "src/gen/out.py", "gen/tool.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    assert expand(tmp_path, ["src/**"], IgnoreRules(["src/gen/"])) == ["src/app/main.py"]
    assert expand(tmp_path, ["src/**", "gen"], IgnoreRules(["/gen"])) == ["src/app/main.py", "src/gen/out.py"]
    (tmp_path / ".dockerignore").write_text("src/gen\n")  # Docker's rules are anchored at the root too
    assert expand(tmp_path, ["src"], IgnoreRules.for_root(tmp_path)) == ["src/app/main.py"]


def test_a_plain_folder_pattern_names_that_folder_only(tree, tmp_path):
    """`build` in a watch rule is the folder build/ at the root, not every folder called build."""
    assert expand(tree, ["build"]) == expand(tree, ["build/"]) == ["build/keep.txt", "build/out.bin"]
    for rel in ("Xtra/a.txt", "docs/Xtra/b.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    assert expand(tmp_path, ["Xtra", "/Xtra/"]) == ["Xtra/a.txt"]  # a name is stripped of slashes only


def test_an_ignore_line_with_a_trailing_slash_gives_way_to_an_input_naming_the_folder(tmp_path):
    """`vendor/` in .devenvignore or .dockerignore, and a rule that watches vendor/**: the rule
    was written on purpose, so the folder is walked, as it is for the line without the slash."""
    (tmp_path / ".devenvignore").write_text("Xtra/\n*.tmp\n")
    (tmp_path / ".dockerignore").write_text("vendor/\n")
    for rel in ("Xtra/a.txt", "vendor/lib.php", "app.tmp"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    rules = IgnoreRules.for_root(tmp_path, keep=["Xtra/**", "vendor/**"])
    assert sorted(walk_files(tmp_path, rules)) == [".devenvignore", ".dockerignore", "Xtra/a.txt", "vendor/lib.php"]
    assert list(walk_files(tmp_path, IgnoreRules.for_root(tmp_path))) == [".devenvignore", ".dockerignore"]
