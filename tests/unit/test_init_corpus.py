"""`devenv init` on the replay corpus of real projects (issue 18): the corpus is well formed, the
scorer catches each kind of wrong fact, and init's score never falls below the recorded floor.

The score is printed with every run (and by `scripts/init-corpus-score`). Raise FLOOR when init
gets more cases right; the test fails only when the score drops below it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.unit.init_corpus_score import (
    Actual,
    built_image,
    cases,
    corpus_problems,
    count_facts,
    facts_score,
    facts_wrong,
    load_expected,
    place,
    report,
    run_init,
    score,
    score_case,
)

# What init gets right today (2026-12-04: 88 of 95 cases, 1235 of 1258 facts). Never lower these;
# raise them as init improves.
FLOOR = 89
FACTS_FLOOR = 1236
MINIMUM_CASES = 36


def test_the_corpus_has_enough_real_projects():
    assert len(cases()) >= MINIMUM_CASES


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.name)
def test_every_case_is_well_formed(case: Path):
    assert corpus_problems(case) == []


def test_init_does_not_fall_below_the_floor(capsys):
    results, right = score()
    facts_right, _ = facts_score(results)
    text = report(results)
    with capsys.disabled():
        print("\n" + text)
    assert right >= FLOOR, f"init got {right} cases right, fewer than the floor {FLOOR}:\n{text}"
    assert facts_right >= FACTS_FLOOR, f"init got {facts_right} facts right, fewer than {FACTS_FLOOR}:\n{text}"


# -- the scorer itself: each kind of wrong fact is caught, the right ones pass ----------------------

def make_case(tmp_path: Path, expected: str) -> Path:
    case = tmp_path / "case"
    case.mkdir()
    (case / "SOURCE").write_text("https://github.com/example/project " + "0" * 40 + " 2026-01-01\n")
    (case / "expected.toml").write_text(textwrap.dedent(expected))
    return case


def app(folder: str = ".", *, recipe: str = "fastapi", port: int = 8000, command: str = "uvicorn app.main:app",
        depends: tuple[str, ...] = (), **extra) -> tuple[dict, str, str]:
    table = {"image": "python:3.12-slim", "command": command, "ports": [f"{port}:{port}"],
             "mounts": [f"./{folder}:/app" if folder != "." else ".:/app"],
             "depends_on": {d: "healthy" for d in depends}, **extra}
    return table, folder, recipe


def actual(apps: dict[str, tuple[dict, str, str]], backing: dict[str, str] | None = None, **kw) -> Actual:
    result = Actual(**kw)
    for name, (table, folder, recipe) in apps.items():
        result.services[name], result.folders[name], result.recipes[name] = table, folder, recipe
    for name, family in (backing or {}).items():
        result.services[name], result.backing[name] = {"image": f"{family}:1"}, family
    return result


FASTAPI_CASE = """\
    outcome = "manifest"
    [[services]]
    kind = "app"
    dir = "."
    stack = "fastapi"
    port = 8000
    command_contains = ["app.main:app|app/main.py"]
    depends_on = ["postgres"]
    [backing]
    services = ["postgres"]
    exclusive = ["postgres", "mysql"]
    [versions]
    python = "3.12"
    [not_apps]
    dirs = ["e2e"]
"""


def test_a_case_with_every_fact_right_scores_right(tmp_path):
    case = make_case(tmp_path, FASTAPI_CASE)
    assert score_case(case, actual({"web": app(depends=("postgres",))}, {"postgres": "postgres"})) == []


@pytest.mark.parametrize(("change", "kind"), [
    ({"recipe": "node"}, "stack"),
    ({"port": 3000}, "port"),
    ({"command": "uvicorn main:app"}, "command"),
    ({"depends": ()}, "depends_on"),
    ({"image": "python:3.11-slim"}, "version"),
])
def test_each_wrong_fact_of_a_service_is_reported(tmp_path, change, kind):
    case = make_case(tmp_path, FASTAPI_CASE)
    options = {"depends": ("postgres",), **change}
    reasons = score_case(case, actual({"web": app(**options)}, {"postgres": "postgres"}))
    assert [r for r in reasons if r.startswith(kind)], reasons


def test_missing_extra_and_conflicting_backing_services_are_reported(tmp_path):
    case = make_case(tmp_path, FASTAPI_CASE)
    web = app(depends=("postgres",))
    assert any("postgres is missing" in r for r in score_case(case, actual({"web": web})))
    assert any("redis is not needed" in r
               for r in score_case(case, actual({"web": web}, {"postgres": "postgres", "redis": "redis"})))
    both = score_case(case, actual({"web": web}, {"postgres": "postgres", "mysql": "mysql"}))
    assert any("alternatives" in r for r in both)


def test_a_folder_that_is_not_an_app_must_not_become_a_service(tmp_path):
    case = make_case(tmp_path, FASTAPI_CASE)
    reasons = score_case(case, actual({"web": app(depends=("postgres",)), "e2e": app("e2e", recipe="node")},
                                      {"postgres": "postgres"}))
    assert reasons == ["not an app: e2e became service e2e"]


def test_a_missing_process_is_reported_with_what_the_folder_has_instead(tmp_path):
    case = make_case(tmp_path, """\
        outcome = "manifest"
        [[services]]
        kind = "worker"
        dir = "."
        command_contains = ["celery", "worker"]
    """)
    reasons = score_case(case, actual({"web": app()}))
    assert reasons == ["missing worker  (worker) in .; that folder has web=fastapi"]


def test_a_port_read_from_the_environment_is_right_when_init_sets_it(tmp_path):
    case = make_case(tmp_path, """\
        outcome = "manifest"
        [[services]]
        kind = "app"
        dir = "."
        stack = "go"
        port = 9090
        port_env = "SERVER_ADDRESS"
    """)
    unset = actual({"web": app(recipe="go", port=8080)})
    assert score_case(case, unset) == ["port: web (.) listens on [8080], expected 9090"]
    wired = actual({"web": app(recipe="go", port=8080, env={"SERVER_ADDRESS": ":8080"})})
    assert score_case(case, wired) == []


def test_an_unsupported_stack_must_be_refused_naming_the_evidence(tmp_path):
    case = make_case(tmp_path, """\
        outcome = "error"
        [error]
        contains = [".csproj|.sln", "docker-compose.yml"]
    """)
    assert score_case(case, Actual(error="found Web.csproj (.NET), no recipe for it; try --from docker-compose.yml")) \
        == []
    vague = score_case(case, Actual(error="no stack detected"))
    assert len(vague) == 2 and all(r.startswith("error:") for r in vague)
    assert score_case(case, actual({"web": app()}))[0].startswith("error: init wrote a manifest")


def test_the_case_folder_name_is_not_evidence_init_named(tmp_path):
    # A folder named after its stack: "nothing found in .../dotnet-app" must not pass for naming .NET.
    case = make_case(tmp_path, """\
        outcome = "error"
        [error]
        contains = [".NET|dotnet"]
    """)
    named = case.rename(tmp_path / "dotnet-app")
    refused = run_init(named)
    assert refused.error is not None and "dotnet" not in refused.error
    assert len(score_case(named, refused)) == 1


def test_an_existing_compose_file_and_dockerfile_must_be_used(tmp_path):
    case = make_case(tmp_path, """\
        outcome = "manifest"
        from_compose = "compose.yaml"
        dockerfile = "Dockerfile"
        env_file = ".env.example"
    """)
    (case / ".env.example").write_text("SECRET_KEY=x\n")
    ignored = score_case(case, actual({"web": app()}))
    assert [r.split(":")[0] for r in ignored] == ["env_file", "compose", "dockerfile"]
    used = actual({"web": app(build={"context": ".", "dockerfile": "Dockerfile"}, env_file=".env.example")},
                  said="compose.yaml found: `devenv init --from compose.yaml` converts it")
    assert score_case(case, used) == []


def test_facts_are_counted_once_each_and_a_refusal_fails_them_all(tmp_path):
    case = make_case(tmp_path, FASTAPI_CASE)
    expected = load_expected(case)
    # service: present, stack, port, 1 command entry, 1 dependency; backing: postgres, nothing else,
    # exclusive; python; one folder that is not an app
    assert count_facts(expected) == 5 + 3 + 1 + 1
    right = actual({"web": app(depends=("postgres",))}, {"postgres": "postgres"})
    assert facts_wrong(score_case(case, right)) == 0
    assert facts_wrong(score_case(case, Actual(error="no stack detected"))) == count_facts(expected)
    nothing = facts_wrong(score_case(case, actual({})))
    assert nothing == 5 + 1 + 1  # the whole service, postgres, and no python image


def test_services_converted_from_compose_are_told_apart_by_what_they_run():
    # Without recipes (a converted compose file): an image with none of the project mounted is a
    # backing service, named by its family; a build of, or a mount from, a folder is a process there.
    assert place("email", {"image": "maildev/maildev"}, role=None, recipe=None) == ("backing", "mailpit")
    assert place("db", {"image": "mysql/mysql-server:5.7"}, role=None, recipe=None) == ("backing", "mysql")
    assert place("cache", {"image": "example/unknown:1"}, role=None, recipe=None) == ("backing", "unknown")
    assert place("worker", {"build": {"context": "./services/web"}}, role=None, recipe=None) == \
        ("folder", "services/web")
    assert place("web", {"image": "node:20", "mounts": ["./web:/app"]}, role=None, recipe=None) == ("folder", "web")
    # What init planned wins: a recipe's app without a mount is still an app, in its folder.
    assert place("api", {"image": "golang:1.22"}, role="app", recipe="go", rel="api") == ("folder", "api")


def test_an_example_env_file_may_reach_the_apps_rewritten_or_inlined(tmp_path):
    case = make_case(tmp_path, """\
        outcome = "manifest"
        env_file = ".env.example"
        [env]
        required = ["SECRET_KEY", "DATABASE_URL"]
    """)
    (case / ".env.example").write_text("SECRET_KEY=\nDATABASE_URL=postgres://localhost/app\n")
    assert score_case(case, actual({"web": app(env_file=".env.example")})) == []
    rewritten = actual({"web": app(env_file=".env.devenv")},
                       files={".env.devenv": "SECRET_KEY=generated\nDATABASE_URL=postgres://postgres/app\n"})
    assert score_case(case, rewritten) == []
    inlined = actual({"web": app(env={"SECRET_KEY": "x", "DATABASE_URL": "postgres://postgres/app"})})
    assert score_case(case, inlined) == []
    partly = actual({"web": app(env={"DATABASE_URL": "postgres://postgres/app"})})
    assert [r.split(":")[0] for r in score_case(case, partly)] == ["env_file", "env"]


RELEASE_DOCKERFILE = """\
ARG ELIXIR_VERSION=1.15.8
ARG OTP_VERSION=25.0.4
ARG BUILDER_IMAGE="hexpm/elixir:${ELIXIR_VERSION}-erlang-${OTP_VERSION}-debian-bookworm"
FROM ${BUILDER_IMAGE} as builder
ARG ELIXIR_VERSION=9.9
FROM debian:bookworm-slim
"""


def test_a_built_dockerfile_runs_the_target_stage_with_its_args_substituted():
    # The last stage runs unless a target is named, and a runtime-only last stage has no Elixir.
    assert built_image(RELEASE_DOCKERFILE) == "debian:bookworm-slim"
    assert built_image(RELEASE_DOCKERFILE, "builder") == "hexpm/elixir:1.15.8-erlang-25.0.4-debian-bookworm"
    # A build argument wins over the default; an ARG after the first FROM does not reach FROM lines.
    assert built_image(RELEASE_DOCKERFILE, "builder", {"ELIXIR_VERSION": "1.17.3"}).startswith("hexpm/elixir:1.17.3-")
    # FROM <stage> is followed to its image; `$VAR` and `${VAR:-default}` are expanded.
    chained = "ARG RUBY_VERSION=3.4.4\nFROM ruby:$RUBY_VERSION-slim AS base\nFROM base AS build\nFROM base\n"
    assert built_image(chained) == "ruby:3.4.4-slim"
    assert built_image("ARG V\nFROM node:${V:-22}-slim\n") == "node:22-slim"
    # An ARG nobody sets stays unresolved: it can never pass for a version.
    assert built_image("ARG GO_VERSION\nFROM golang:${GO_VERSION}\n") == "golang:${GO_VERSION}"


@pytest.mark.parametrize(("build", "right"), [
    ({"context": ".", "dockerfile": "Dockerfile", "target": "builder"}, True),
    ({"context": ".", "dockerfile": "Dockerfile", "target": "builder", "args": {"ELIXIR_VERSION": "1.14.5"}}, False),
    ({"context": ".", "dockerfile": "Dockerfile"}, False),  # the debian stage: no Elixir at all
])
def test_the_version_of_a_built_image_is_the_one_the_build_would_run(tmp_path, build, right):
    case = make_case(tmp_path, """\
        outcome = "manifest"
        [versions]
        elixir = "1.15"
    """)
    (case / "Dockerfile").write_text(RELEASE_DOCKERFILE)
    reasons = score_case(case, actual({"web": app(recipe="phoenix", build=build)}))
    assert (reasons == []) is right, reasons


@pytest.mark.parametrize(("dockerfile", "missing"), [
    ("FROM php:8.3-apache\nRUN docker-php-ext-install pdo_mysql gd\n", []),
    ("FROM php:8.3-apache\n", ["gd"]),  # mbstring is compiled into the official image, gd is not
    ("FROM alpine:3.20\nRUN apk add php83 php83-gd\n", ["mbstring"]),  # Alpine's php has nothing built in
])
def test_php_extensions_count_where_the_built_image_has_them(tmp_path, dockerfile, missing):
    case = make_case(tmp_path, """\
        outcome = "manifest"
        [versions]
        php_extensions = ["gd", "mbstring"]
    """)
    (case / "Dockerfile").write_text(dockerfile)
    web = app(recipe="php", build={"context": ".", "dockerfile": "Dockerfile"})
    web[0].pop("image")
    reasons = score_case(case, actual({"web": web}))
    assert reasons == ([f"php_extensions: not installed: {', '.join(missing)}"] if missing else [])
