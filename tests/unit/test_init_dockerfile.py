"""What init reads from a project's Dockerfile: the stage a development container is built to,
the version build arguments it needs, the production settings to turn back for development, the
user it runs as and an ENTRYPOINT that boots a process supervisor.
The Dockerfiles are shaped like the ones real projects ship (Next.js, Go, Phoenix, Spring,
Rails, SPA builds served by nginx)."""

from __future__ import annotations

import pytest

from devenv.init.dockerfile import (
    dev_target,
    development_env,
    needs_version_arg,
    non_root_user,
    older_than_stated,
    runs_no_toolchain,
    stages,
    supervisor_entrypoint,
)


@pytest.mark.parametrize(("text", "recipe", "target"), [
    # A runtime-only last stage: the last stage with the toolchain.
    ("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM gcr.io/distroless/static-debian12\n", "go", "build"),
    ("FROM python:3.12 AS builder\nFROM gcr.io/distroless/python3\n", "fastapi", "builder"),
    ("FROM node:20 AS Build\nFROM nginx:alpine\n", "vite", "build"),
    ("FROM maven:3.9-eclipse-temurin-21 AS build\nFROM eclipse-temurin:21-jre\n", "spring", "build"),
    ('ARG BUILDER_IMAGE="hexpm/elixir:1.17.3-erlang-27.1-debian-bookworm"\nFROM ${BUILDER_IMAGE} AS builder\n'
     "FROM debian:bookworm-slim\n", "phoenix", "builder"),
    # A stage named for development always wins.
    ("FROM rust:1.80 AS dev\nFROM rust:1.80 AS builder\nFROM debian:bookworm-slim\n", "rust", "dev"),
    # The last stage has the toolchain: built as it is.
    ("FROM node:20 AS deps\nFROM node:20 AS builder\nFROM node:20-alpine AS runner\n", "nextjs", None),
    ("FROM eclipse-temurin:21-jdk AS build\nFROM eclipse-temurin:21-jdk\n", "spring", None),
    ("FROM composer:2 AS vendor\nFROM php:8.3-fpm\n", "laravel", None),
    # No named stage to target: nothing to choose.
    ("FROM golang:1.22\nFROM scratch\n", "go", None),
])
def test_the_development_target_is_the_stage_that_can_run_the_dev_command(text, recipe, target):
    assert dev_target(text, recipe) == target


def test_stages_follow_from_and_substitute_global_args():
    found = stages("ARG RUBY_VERSION=3.4.4\nFROM ruby:$RUBY_VERSION-slim AS base\nENV A=1\nFROM base AS build\n"
                   "FROM base\nENV B=2\n")
    assert [s.image for s in found] == ["ruby:3.4.4-slim"] * 3
    assert found[2].env == {"A": "1", "B": "2"}


@pytest.mark.parametrize(("default", "stated", "needed"), [
    (None, "3.4", True), ("", "3.4", True),
    ("3.4.4", "3.4", False), ("1.20.3", "1.18", False),  # already what the project states, or newer
    ("3.2.2", "3.4", True), ("2.7", "3.1", True),  # older, or another major
])
def test_a_version_build_argument_only_where_the_default_does_not_already_fit(default, stated, needed):
    assert needs_version_arg(default, stated) is needed


def test_production_settings_of_the_built_stage_are_turned_back():
    text = ('FROM ruby:3.4-slim AS base\nENV RAILS_ENV="production" \\\n    BUNDLE_DEPLOYMENT="1" \\\n'
            '    BUNDLE_WITHOUT="development:test"\nFROM base AS build\nENV NODE_ENV production\nFROM base\n')
    assert development_env(text, None) == {"BUNDLE_WITHOUT": "", "BUNDLE_DEPLOYMENT": "false"}
    assert development_env(text, "build")["NODE_ENV"] == "development"
    assert development_env("FROM node:20\nENV NODE_ENV=development\n", None) == {}


@pytest.mark.parametrize(("image", "recipe", "stated", "older"), [
    # The JDK a Gradle or Maven image carries, not the build tool's version.
    ("gradle:4.7.0-jdk8-alpine", "spring", "17", "8"),
    ("maven:3.9-eclipse-temurin-21", "spring", "17", None),
    ("node:16-alpine", "nextjs", "22", "16"),
    ("node:22-alpine", "nextjs", "20", None),
    # A minor apart is the project's choice, not a Dockerfile it cannot build on.
    ("python:3.11-slim", "django", "3.12", None),
    ("php:7.4-apache", "laravel", "8.2", "7.4"),
    # Not a toolchain image, or a version an ARG decides: nothing to say.
    ("debian:bookworm-slim", "spring", "17", None),
    ("node:${NODE_VERSION}", "nextjs", "22", None),
])
def test_a_toolchain_a_major_older_than_the_project_states_is_found(image, recipe, stated, older):
    assert older_than_stated(image, recipe, stated) == older


@pytest.mark.parametrize(("text", "recipe", "image"), [
    # A release image that copies a prebuilt binary: `go run` has nothing to run with.
    ("FROM alpine:latest\nCOPY listmonk .\nCMD [\"./listmonk\"]\n", "go", "alpine:latest"),
    # With a toolchain stage to target, or a toolchain as the last stage: buildable.
    ("FROM golang:1.22 AS build\nFROM alpine:3.20\n", "go", None),
    ("FROM golang:1.22\n", "go", None),
    # A distroless or JRE image running a built jar cannot run bootRun.
    ("FROM hmctspublic.azurecr.io/base/java:21-distroless\nCOPY build/libs/app.jar /opt/app/\n", "spring",
     "hmctspublic.azurecr.io/base/java:21-distroless"),
    ("FROM eclipse-temurin:21-jre\n", "spring", "eclipse-temurin:21-jre"),
    # Interpreted stacks may install their runtime from the distribution (PHP from apk).
    ("FROM alpine:3.24\n", "php", None),
])
def test_a_dockerfile_that_only_runs_a_build_output_is_found(text, recipe, image):
    assert runs_no_toolchain(text, recipe, dev_target(text, recipe)) == image


@pytest.mark.parametrize(("text", "target", "user"), [
    ("FROM node:lts-alpine AS base\nFROM base AS builder\nFROM base AS runner\nUSER elk\n", None, "elk"),
    ("FROM python:3.12 AS base\nUSER app\nFROM base AS final\n", None, "app"),  # inherited
    ("FROM node:20 AS build\nFROM node:20-alpine\nUSER node\n", "build", None),  # the target has none
    ("FROM ruby:3.4\nUSER root\n", None, None),
    ("FROM ruby:3.4\nUSER 0:0\n", None, None),
])
def test_the_non_root_user_of_the_built_stage(text, target, user):
    assert non_root_user(text, target) == user


def test_an_image_that_runs_as_another_user_is_run_as_root_to_fill_its_volumes(make_project):
    from tests.unit.test_init_facts import init

    _, services = init(make_project, {
        "package.json": '{"scripts": {"dev": "node --watch index.js"}, "dependencies": {"express": "^4"}}',
        "index.js": "const app = require('express')()\napp.listen(process.env.PORT || 3000)\n",
        "Dockerfile": "FROM node:22-alpine\nWORKDIR /srv\nUSER node\nCMD [\"node\", \"index.js\"]\n"})
    assert services["web"]["user"] == "root"


@pytest.mark.parametrize(("text", "supervisor"), [
    ('FROM python:3.12 AS base\nENTRYPOINT ["/init"]\nFROM base AS main-app\nEXPOSE 8000\n', "/init"),  # s6-overlay
    ('FROM ubuntu:24.04\nENTRYPOINT ["/usr/bin/supervisord", "-n"]\n', "/usr/bin/supervisord"),
    ('FROM python:3.12\nENTRYPOINT ["/code/docker-entrypoint.sh"]\n', None),  # a script that execs its command
    ("FROM node:22\nENTRYPOINT docker-entrypoint.sh\n", None),
])
def test_a_process_supervisor_entrypoint_is_found(text, supervisor):
    assert supervisor_entrypoint(text, None) == supervisor


def test_an_image_booting_a_process_supervisor_is_not_built(make_project):
    from tests.unit.test_init_facts import MANAGE_PY, init

    result, services = init(make_project, {
        "requirements.txt": "django\n", "manage.py": MANAGE_PY,
        "Dockerfile": 'FROM python:3.12-slim\nWORKDIR /usr/src/app\nENTRYPOINT ["/init"]\nEXPOSE 8000\n'})
    assert "build" not in services["web"] and services["web"]["image"] == "python:3.12-slim"
    assert any("process supervisor" in note for note in result.notes)
