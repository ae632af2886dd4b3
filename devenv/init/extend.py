"""What init read about an app, applied to its rendered recipe fragment: the existing Dockerfile
built instead of a stock image, the project's own start command, migrations and release steps as
provision (re-run when the migration files change), the example env file with database URLs
rewritten and secrets generated, and one service per worker process.
Pure: text in, text out; nothing here writes or prints.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from devenv.init.appfacts import AppFacts
from devenv.init.envfiles import EnvPlan, generated_secret, rewrite, service_field
from devenv.init.tomltext import Fragment, write_service

_SHELL = re.compile(r"[$;&|<>()`]|^\s*[A-Z_][A-Z0-9_]*=\S*\s")
# Sources a worker restarts on, by the app's recipe family.
CODE_GLOBS = {"python": ["**/*.py"], "node": ["**/*.js", "**/*.ts", "**/*.mjs"], "go": ["**/*.go"],
              "rails": ["app/**/*.rb", "lib/**/*.rb", "config/**/*.rb"], "laravel": ["app/**/*.php", "config/**/*.php"]}


@dataclass
class Applied:
    text: str
    workers: list[tuple[str, str]] = field(default_factory=list)  # (service name, why)
    notes: dict[str, str] = field(default_factory=dict)  # what changed → why


def shell_command(command: str) -> str | list[str]:
    """A command with shell syntax (env prefixes, $VAR, ;, &&) runs through sh -c."""
    return ["sh", "-c", command] if _SHELL.search(command) else command


def family(recipe: str) -> str:
    if recipe in ("python", "django", "flask", "fastapi"):
        return "python"
    if recipe in ("node", "express", "nextjs", "vite", "nuxt", "angular", "remix", "sveltekit"):
        return "node"
    return recipe


def apply(text: str, *, service: str, rel: str, recipe: str, extras: AppFacts, port: int | None,
          links: dict[str, dict[str, Any]], taken: set[str]) -> Applied:
    frag = Fragment(text)
    table = f"services.{service}"
    out = Applied(text="")
    prefix = "" if rel == "." else rel + "/"
    context = "." if rel == "." else "./" + rel
    if extras.dockerfile:
        build: dict[str, Any] = {"context": context, "dockerfile": extras.dockerfile}
        if extras.dockerfile_target:
            build["target"] = extras.dockerfile_target
        if extras.dockerfile_args:
            build["args"] = dict(extras.dockerfile_args)
        frag.remove(table, "image")
        frag.set(table, "build", build, after="command")
        out.notes["build"] = f"{prefix}{extras.dockerfile} exists: it is built, not replaced" + \
            (f"; {extras.dockerfile_why}" if extras.dockerfile_why else "")
    if extras.command:
        command = extras.command.replace("{port}", str(port or ""))
        frag.set(table, "command", shell_command(command))
        out.notes["command"] = extras.command_why
    current = tomllib.loads(frag.text).get("services", {}).get(service, {})
    if extras.provision:
        steps = list(current.get("provision", [])) + [p.command.replace("$", "$$") for p in extras.provision]
        frag.set(table, "provision", steps, after="depends_on" if "depends_on" in current else "mounts",
                 literal_dollars=False)
        out.notes["provision"] = "; ".join(f"{p.command} ({p.why})" for p in extras.provision)
    if extras.provision_inputs:
        inputs = list(dict.fromkeys([*current.get("provision_inputs", []),
                                     *(prefix + p for p in extras.provision_inputs)]))
        frag.set(table, "provision_inputs", inputs, after="provision")
    env: dict[str, str] = {}
    why: dict[str, str] = {}
    if extras.env_plan.file:
        frag.set(table, "env_file", [extras.env_plan.file], after="workdir")
        out.notes["env_file"] = f"{extras.env_plan.file} holds the app's settings"
        env, why = rewrite(extras.env_plan, links, port=port)
    if extras.code_env:
        read = EnvPlan(keys=[(k, v, w) for k, v, w in extras.code_env if k not in env])
        more, more_why = rewrite(read, links, port=None)
        env.update(more)
        why.update({k: f"{v} (the code reads it)" for k, v in more_why.items()})
        broker = next((links[k]["env"].get(u) for k, u in (("rabbitmq", "AMQP_URL"), ("redis", "REDIS_URL"))
                       if k in links), None)
        if broker and any(k == "CELERY_BROKER_URL" for k, _, _ in extras.code_env) and \
                "CELERY_BROKER_URL" not in env:
            env["CELERY_BROKER_URL"], why["CELERY_BROKER_URL"] = str(broker), "Celery's broker is that service"
    for key, (field_name, where) in extras.config_fields.items():
        value = service_field(links, field_name)
        if value is not None and key not in env and key not in current.get("env", {}):
            env[key], why[key] = value, f"{where} reads it for the database's {field_name.lower()}"
    env.update(extras.env)
    why.update(extras.env_why)
    declared = {k for k, _, _ in extras.env_plan.keys}
    for key, where in extras.secrets.items():
        if key not in declared and key not in current.get("env", {}):
            env[key], why[key] = generated_secret(key), f"{where} reads it: generated"
    for key, value in env.items():
        frag.set(f"{table}.env", key, value)
    for key, reason in why.items():
        out.notes[f"env.{key}"] = reason
    if extras.provision_inputs:
        globs = [prefix + p for p in extras.provision_inputs]
        frag.lines += ["", "# New migrations re-run the provision steps.", f"[[{table}.watch]]",
                       f"paths = {_toml(globs)}", 'action = "recreate"']
    out.text = frag.text
    final = tomllib.loads(out.text)["services"][service]
    for worker in extras.workers:
        name = worker.name if worker.name not in taken and service == "web" else f"{service}-{worker.name}"
        name = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-") or "worker"
        while name in taken:
            name += "-2"
        taken.add(name)
        svc = _worker(final, service, worker.command.replace("$", "$$"), recipe, prefix)
        out.text += "\n\n# " + worker.why + "\n" + write_service(name, svc)
        out.workers.append((name, worker.why))
    return out


def _worker(app: dict[str, Any], app_name: str, command: str, recipe: str, prefix: str) -> dict[str, Any]:
    svc: dict[str, Any] = {}
    for key in ("image", "build", "workdir", "user", "env_file", "mounts"):
        if key in app:
            svc[key] = app[key]
    svc["command"] = shell_command(command)
    # The app's provision fills the shared dependency volumes before it starts.
    svc["depends_on"] = {**app.get("depends_on", {}), app_name: "started"}
    if "env" in app:
        svc["env"] = app["env"]
    globs = CODE_GLOBS.get(family(recipe))
    if globs:
        svc["watch"] = [{"paths": [prefix + g for g in globs], "action": "restart"}]
    return svc


def _toml(value: object) -> str:
    from devenv.init.recipes import toml_value

    return toml_value(value, literal_dollars=True)
