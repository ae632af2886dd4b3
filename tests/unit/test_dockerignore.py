""".dockerignore with Docker's rules, checked against the docker SDK's own implementation
(`docker.utils.build.exclude_paths`, what docker-py sends to the engine) as the oracle: one table
per pattern family, each on the same tree. No engine is involved; the end-to-end check that a
file Docker sends makes `devenv plan` rebuild is tests/e2e/test_up.py."""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from docker.utils.build import exclude_paths

from devenv.core.buildhash import build_context_hash
from devenv.core.dockerignore import DockerIgnore, clean

TREE = [
    "Dockerfile", "a.log", "b.txt", "app.py", ".env",
    "src/app.py", "src/app.log", "src/deep/x.log", "src/deep/y.py", "src/deep/deeper/z.log",
    "docs/readme.md", "docs/api/index.md", "docs/api/v1/index.md",
    "node_modules/pkg/index.js", "build/out.bin", "build/keep.txt", "logs/2024/a.log",
    ".git/config", "tmp/z", "tmp1/x", "tmpA/y", "x.log", "sub/x.log", "sub/.env",
]


@pytest.fixture(scope="module")
def context(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("context")
    for rel in TREE:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel)
    os.symlink("src", root / "linked")  # a symlinked folder is sent as a link, never followed
    return root


def oracle(root: Path, patterns: list[str]) -> list[str]:
    """What docker-py sends: every path it keeps that is not a real folder."""
    kept = exclude_paths(str(root), list(patterns), dockerfile="Dockerfile")
    return sorted(p for p in kept if not (root / p).is_dir() or (root / p).is_symlink())


FAMILIES = {
    "anchored at the root": [["*.log"], ["app.py"], ["x.log"], ["src/*.log"], ["/src/app.log"], ["deep"]],
    "no implicit **/": [["y.py"], ["index.md"], ["api"], ["*.py"]],
    "** spans folders": [["**/*.log"], ["src/**"], ["**/deep"], ["docs/**/index.md"], ["**"], ["**/.env"],
                         ["src/**/*.log"], ["**/api/**"]],
    "* and ? stay in one folder": [["src/*"], ["*/x.log"], ["*/*/x.log"], ["tmp?"], ["tmp?/*"], ["*"],
                                   ["s*/app.py"]],
    "character classes": [["tmp[0-9]"], ["tmp[A-Z]"], ["[ab].*"]],  # negation: see the CLI's test below
    "! exceptions, last match wins": [["build", "!build/keep.txt"], ["*.log", "!a.log"], ["!b.txt", "*.txt"],
                                      ["docs", "!docs/api"], ["**/*.log", "!src/**"], ["*", "!src", "src/deep"],
                                      ["src", "!src/deep/y.py"], ["node_modules", "!node_modules/pkg/index.js"]],
    "folders exclude everything below": [["node_modules"], ["build/"], ["logs"], ["src/deep"], [".git"]],
    "paths are cleaned": [["./docs/../src"], ["/build"], ["src//deep/"], ["./a.log"], ["docs/api/.."],
                          ["../a.log"]],
    "comments, blanks and .": [["# *.log", "", "   ", "b.txt   "], ["."], ["/"], ["#a.log"]],
    "the Dockerfile and .dockerignore are always sent": [["Dockerfile"], ["*"], ["**"]],
}
CASES = [(family, patterns) for family, cases in FAMILIES.items() for patterns in cases]


@pytest.mark.parametrize(("family", "patterns"), CASES, ids=[f"{f}: {' | '.join(p)}" for f, p in CASES])
def test_each_pattern_family_sends_what_docker_sends(context, family, patterns):
    ours = DockerIgnore(patterns, keep=(".dockerignore", "Dockerfile")).walk(context)
    assert ours == oracle(context, patterns)


def test_the_oracle_is_not_gitignore():
    """Where gitignore and Docker disagree, the cases above take Docker's side (guards the table)."""
    import pathspec

    git = pathspec.GitIgnoreSpec.from_lines(["*.log"])
    assert git.match_file("src/deep/x.log")  # git: any depth
    assert "src/deep/x.log" in oracle_for(["*.log"])  # Docker: the root only


def oracle_for(patterns: list[str]) -> list[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for rel in TREE:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(rel)
        return oracle(root, patterns)


def oracle_of_file(root: Path, dockerfile: str) -> list[str]:
    """What docker-py sends for a context's .dockerignore: it reads the file as `APIClient.build`
    does (lines stripped, blank and `#` lines dropped), then applies `exclude_paths`."""
    lines = [line.strip() for line in (root / ".dockerignore").read_text().splitlines()]
    kept = exclude_paths(str(root), [p for p in lines if p and not p.startswith("#")], dockerfile=dockerfile)
    return sorted(p for p in kept if not (root / p).is_dir())


@pytest.mark.parametrize(("dockerignore", "dockerfile"), [
    ("#notes\n*.log\n", "Dockerfile"),  # a `#` line is a comment, even when a file has that name
    ("*\n", "Dockerfile.dev"),  # the Dockerfile a service names is sent whatever the file says
    ("Dockerfile.dev\n.dockerignore\n", "Dockerfile.dev"),
])
def test_a_contexts_dockerignore_file_sends_what_docker_sends(tmp_path, dockerignore, dockerfile):
    for rel in ("#notes", "a.log", "app.py", "Dockerfile", "Dockerfile.dev", "src/b.log"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    (tmp_path / ".dockerignore").write_text(dockerignore)
    ours = DockerIgnore.for_context(tmp_path, dockerfile=dockerfile).walk(tmp_path)
    assert ours == oracle_of_file(tmp_path, dockerfile)
    assert dockerfile in ours and ".dockerignore" in ours


@pytest.mark.parametrize(("pattern", "parts"), [
    ("./a/../b", ["b"]), ("/x/y/", ["x", "y"]), ("..", []), ("a/./b", ["a", "b"]), ("  a  ", ["a"]),
    ("a/b/../../c", ["c"]),
])
def test_clean(pattern, parts):
    assert clean(pattern) == parts


def test_excluded_reads_the_last_matching_rule_and_parent_folders():
    rules = DockerIgnore(["build", "!build/keep", "*.log"])
    assert rules.excluded("build/out.bin") and rules.excluded("build/deep/x")
    assert not rules.excluded("build/keep") and not rules.excluded("build/keep/inner")
    assert rules.excluded("a.log") and not rules.excluded("sub/a.log")
    assert not rules.excluded(".dockerignore")
    assert rules.may_keep_below("build") and not rules.may_keep_below("src")


def build(context: str = ".") -> SimpleNamespace:
    return SimpleNamespace(context=context, dockerfile="Dockerfile", args={}, target=None)


def test_the_build_hash_covers_what_docker_sends_and_only_that(tmp_path):
    for rel in ("Dockerfile", "app/main.py", "app/debug.log", "debug.log", "node_modules/x.js"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("1")
    (tmp_path / ".dockerignore").write_text("*.log\n")
    first = build_context_hash(tmp_path, build())
    (tmp_path / "debug.log").write_text("2")  # not sent: the hash stays
    assert build_context_hash(tmp_path, build()) == first
    (tmp_path / "app/debug.log").write_text("2")  # sent (`*.log` is the root's only): the hash moves
    second = build_context_hash(tmp_path, build())
    assert second != first
    (tmp_path / "node_modules/x.js").write_text("2")  # Docker sends node_modules unless told not to
    third = build_context_hash(tmp_path, build())
    assert third != second
    (tmp_path / "link").symlink_to("app")  # a symlink is sent as a link
    assert build_context_hash(tmp_path, build()) != third


def test_the_build_hash_follows_a_retargeted_symlink_but_not_its_folder(tmp_path):
    for rel in ("Dockerfile", "v1/a", "v2/a"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    (tmp_path / "current").symlink_to("v1")
    first = build_context_hash(tmp_path, build())
    (tmp_path / "current").unlink()
    (tmp_path / "current").symlink_to("v2")
    assert build_context_hash(tmp_path, build()) != first


@pytest.mark.parametrize("line, why", [("[a-", "a [ that is never closed"), ("!logs/[x", "a [ that is never closed"),
                                       ("trailing\\", "escapes nothing")])
def test_a_pattern_the_engine_refuses_is_named_with_its_line(tmp_path, line, why):
    # The engine refuses the whole build ("syntax error in pattern"); devenv said nothing.
    from devenv.errors import ManifestError

    (tmp_path / ".dockerignore").write_text(f"*.log\n{line}\n")
    with pytest.raises(ManifestError) as info:
        DockerIgnore.for_context(tmp_path, dockerfile="Dockerfile")
    (problem,) = info.value.problems
    assert problem.line == 2 and why in str(problem)


def test_patterns_with_closed_classes_and_escapes_are_fine(tmp_path):
    (tmp_path / ".dockerignore").write_text("# [not a pattern\na[bc]d\n[!x]y\na\\*b\n")
    assert len(DockerIgnore.for_context(tmp_path, dockerfile="Dockerfile").rules) == 5  # + the kept two


@pytest.mark.parametrize(("line", "why"), [("[^]", "an empty class"), ("x[]", "an empty class"),
                                         ("\\*[a-", "never closed"), ("[a][]", "an empty class"),
                                         ("[]a]", "an empty class"), ("[a-]", "] inside [ ] must be escaped"),
                                         ("[-a]", "- inside [ ] must be escaped"), ("[z-a]", "runs backwards"),
                                         ("[\\", "never closed"), ("x[", "never closed"), ("x[^", "never closed"),
                                         ("[z-a", "never closed")],
                         ids=lambda value: value.replace("\\", "(backslash)"))  # mutmut loses IDs with a backslash
def test_a_class_go_refuses_is_refused_wherever_it_stands(tmp_path, line, why):
    # The docker CLI checks each pattern with Go's filepath.Match (moby/patternmatcher): a `]`
    # right after `[` or `[^` does not belong to the class as in Python's fnmatch, it is an error;
    # so is an unescaped `-` or `]` that neither joins a range nor closes the class. An escaped
    # character does not hide the class after it; a good class does not hide a bad one.
    from devenv.errors import ManifestError

    (tmp_path / ".dockerignore").write_text(f"{line}\n")
    with pytest.raises(ManifestError, match=re.escape(why)):
        DockerIgnore.for_context(tmp_path, dockerfile="Dockerfile")


@pytest.mark.parametrize(("pattern", "sent", "left_out"), [
    ("tmp[!0-9]", ["tmpx"], ["tmp!", "tmp0", "tmp5"]),  # Go's `!` in a class is a `!`: only `^` negates
    ("tmp[^0-9]", ["tmp5"], ["tmpx", "tmp!"]),
    ("[!]", ["a"], ["!"]),  # Python's fnmatch calls this unclosed; Go a class of one `!`
    ("a\\*b", ["axb"], ["a*b"]),  # `\\*` is a literal star
    ("[a\\-c]", ["b"], ["a", "-", "c"]),  # an escaped `-` is one of the class, not a range
    ("x[ab]", ["xX", "xc"], ["xa", "xb"]),  # a class of several characters is any one of them
    ("[a-a]", ["b", "-"], ["a"]),  # a range may begin and end at one character
    ("[XY]", ["Z"], ["X", "Y"]),
])
def test_classes_and_escapes_match_as_the_docker_cli_reads_them(pattern, sent, left_out):
    # Where docker-py (the oracle above) and the Go CLI differ, the CLI decides: docker build and
    # docker compose send what it keeps, and devenv's context must be the same.
    rule = DockerIgnore([pattern], keep=()).rules[0]
    assert [p for p in sent + left_out if rule.match(p)] == left_out


@pytest.mark.parametrize("line", ["[a]", "a\\[b", "keep\\!", "!logs/[ab]", "[a-a]", "[XY]"],
                         ids=lambda value: value.replace("\\", "(backslash)"))
def test_a_one_letter_class_and_escaped_brackets_or_bangs_are_accepted(tmp_path, line):
    # An escaped `[` opens no class; only a leading `!` is the exception mark, so a trailing `\!`
    # is an escaped `!`, not a `\` at the end.
    (tmp_path / ".dockerignore").write_text(f"{line}\n")
    first = DockerIgnore.for_context(tmp_path, dockerfile="Dockerfile").rules[0]
    assert (first.text, first.exception) == (line.removeprefix("!"), line.startswith("!"))


@pytest.mark.parametrize(("line", "why"), [("logs/[x", "a [ that is never closed"),
                                           ("trailing\\", "a \\ at the end escapes nothing"),
                                           ("logs/x[", "a [ that is never closed"),
                                           ("[]a]", "an empty class (a ] right after [ or [^ must be escaped: \\])")],
                         ids=["class", "backslash", "class at the end", "empty class"])
def test_a_refused_pattern_is_quoted_with_the_whole_reason(tmp_path, monkeypatch, line, why):
    from devenv.errors import ManifestError

    monkeypatch.chdir(tmp_path)  # the file is named as the user sees it from here
    (tmp_path / ".dockerignore").write_text(f"{line}\n")
    with pytest.raises(ManifestError) as info:
        DockerIgnore.for_context(tmp_path, dockerfile="Dockerfile")
    (problem,) = info.value.problems
    assert str(problem) == f".dockerignore:1: {line!r} is not a pattern Docker accepts ({why})"


@pytest.mark.parametrize(("pattern", "sent", "left_out"), [
    ("src/**/x", ["src/ax", "srcx"], ["src/x", "src/a/b/x"]),  # `**/` is whole folders, none or more
    ("**/deep", ["notdeep", "a/notdeep"], ["deep", "a/deep"]),
    ("src/**.py", ["src/py", "src/a.py"], ["src/.py", "src/a/.py"]),  # `**` then a name: the name stays whole
])
def test_double_stars_match_as_the_docker_cli_reads_them(pattern, sent, left_out):
    # Checked against moby/patternmatcher (the CLI's) as well as docker-py: both agree here.
    rules = DockerIgnore([pattern], keep=())
    assert [p for p in sent + left_out if rules.excluded(p)] == left_out


def test_a_pattern_the_cli_refuses_never_breaks_matching_where_it_was_not_checked():
    # .dockerignore files read for watching and provision inputs (core.globs) are not refused line
    # by line: there a bad class's `[` and a trailing `\` match themselves, and nothing raises.
    rules = DockerIgnore(["logs/[x", "trailing\\"], keep=())
    paths = ["logs/[x", "logs/x", "trailing\\", "trailing"]
    assert [p for p in paths if rules.excluded(p)] == ["logs/[x", "trailing\\"]
