"""The command line: click parsing and nothing else. Each command calls a plain function in
devenv.commands that returns an exit code; `main()` is the one place errors become exit codes."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from devenv import __version__
from devenv.errors import EXIT_INTERRUPTED, EXIT_USAGE, DevenvError
from devenv.manifest.limits import MAX_DURATION, MAX_STOP_TIMEOUT
from devenv.options import Options

F = TypeVar("F", bound=Callable[..., Any])


def _complete_services(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of service names, read from the manifest (quietly: completion must not fail)."""
    try:
        opts = _options(ctx)
        return [n for n in opts.load().manifest.services if n.startswith(incomplete)]
    except Exception:
        return []


def _options(ctx: click.Context) -> Options:
    root = ctx.find_root()
    if isinstance(root.obj, Options):
        return root.obj
    # During shell completion the group's callback does not run: read its parsed options, so
    # `devenv -C other logs <TAB>` completes the services of the other folder.
    params = root.params or {}
    directory = Path(params.get("directory") or Path.cwd()).resolve()
    return Options(files=tuple(params.get("files") or ()), project_name=params.get("project_name"),
                   directory=directory, profiles=tuple(params.get("profiles") or ()))


pass_options = click.make_pass_decorator(Options, ensure=True)
SERVICES = click.argument("services", nargs=-1, shell_complete=_complete_services)
NO_WAIT = click.option("--no-wait", is_flag=True, help="Fail at once (exit 5) when another devenv command is "
                       "changing this project, instead of waiting for it.")
JSON = click.option("--json", "as_json", is_flag=True, help="Machine-readable output (documented in the README).")


class Seconds(click.ParamType):
    """A number of seconds from 0 to `most`. Click's float takes nan, inf and negative numbers,
    which crash a stop in the engine's client or read as "not healthy after -5s"."""

    name = "seconds"

    def __init__(self, most: float) -> None:
        self.most = most

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not 0 <= number <= self.most:  # false for nan too
            self.fail(f"{value!r} is not a number of seconds from 0 to {self.most:g}", param, ctx)
        return number


STOP_SECONDS = Seconds(MAX_STOP_TIMEOUT)  # a stop's grace time: the limit of the manifest's stop_timeout
WAIT_SECONDS = Seconds(MAX_DURATION)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-f", "--file", "files", multiple=True, type=click.Path(path_type=Path),
              help="Manifest file; repeat to stack layers (later files override earlier ones).")
@click.option("-p", "--project-name", help="Project name (default: [project] name, or the folder's name).")
@click.option("-C", "--directory", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Run as if started in this folder.")
@click.option("--env-file", type=click.Path(path_type=Path), help="Use this file instead of .env.")
@click.option("--profile", "profiles", multiple=True, help="Enable services of this profile (repeatable).")
@click.option("--no-color", is_flag=True, help="No colour (also: NO_COLOR=1).")
@click.option("-q", "--quiet", is_flag=True, help="Only results and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Show engine details (build logs, timings).")
@click.option("--context", "docker_context", metavar="NAME",
              help="Docker context to use (overrides DOCKER_HOST, DOCKER_CONTEXT and `docker context use`).")
@click.option("-H", "--host", "docker_host", metavar="URL",
              help="Docker engine to use: unix:///path, tcp://host:port, ssh://user@host, npipe://….")
@click.version_option(__version__, "--version", prog_name="devenv")
@click.pass_context
def cli(ctx: click.Context, files: tuple[Path, ...], project_name: str | None, directory: Path | None,
        env_file: Path | None, profiles: tuple[str, ...], no_color: bool, quiet: bool, verbose: bool,
        docker_context: str | None, docker_host: str | None) -> None:
    """devenv: local development environments from one manifest (devenv.toml)."""
    from devenv import ui
    from devenv.engine import endpoint

    ui.configure(no_color=no_color, quiet=quiet, verbose=verbose)
    if docker_context and docker_host:
        raise click.UsageError("conflicting options: either --host or --context, not both")
    endpoint.select(context=docker_context, host=docker_host)
    directory = (directory or Path.cwd()).resolve()
    ctx.obj = Options(files=tuple(files), project_name=project_name, directory=directory,
                      env_file=env_file if env_file is None or env_file.is_absolute() else directory / env_file,
                      profiles=tuple(profiles))


def CONVERGE_OPTIONS(f: F) -> F:
    """The options of a converge, shared by `up` and `watch`."""
    for option in reversed((
            click.option("--pull", type=click.Choice(["missing", "always", "never"]), default="missing",
                         show_default=True, help="When to pull images."),
            click.option("--force-recreate", is_flag=True, help="Recreate containers even if nothing changed."),
            click.option("--no-deps", is_flag=True, help="Don't bring up the services' dependencies."),
            click.option("--locked", is_flag=True, help="Fail (exit 4) if devenv.lock is missing or out of date."),
            click.option("--timeout", type=WAIT_SECONDS, default=300.0, show_default=True,
                         help="Seconds to wait on health gates."),
            NO_WAIT)):
        f = option(f)
    return f


def WATCH_OPTIONS(f: F) -> F:
    """The options of watch mode, shared by `up --watch` and `watch`."""
    for option in reversed((
            click.option("--poll", is_flag=True, help="Poll for changes instead of inotify (WSL2 bind mounts, "
                         "network filesystems)."),
            click.option("--poll-interval", type=click.IntRange(50, 60_000), default=500, show_default=True,
                         metavar="MS", help="Milliseconds between two polls."),
            click.option("--quiet-period", type=click.IntRange(0, 60_000), default=None, metavar="MS",
                         help="Milliseconds without events that end a batch of changes.  [default: 50, "
                         "and 15 after a finished save (inotify)]"),
            click.option("--down-on-exit", is_flag=True, help="Take the environment down when watching ends."))):
        f = option(f)
    return f


@cli.command()
@SERVICES
@CONVERGE_OPTIONS
@click.option("--wait", is_flag=True, help="Return only when every service is running and healthy.")
@click.option("--dry-run", is_flag=True, help="Print the plan, change nothing (same as `devenv plan`).")
@JSON
@click.option("--watch", "watch_mode", is_flag=True, help="Stay in the foreground and converge again on file "
              "changes until Ctrl-C (same as `devenv watch`).")
@WATCH_OPTIONS
@pass_options
def up(opts: Options, services: tuple[str, ...], pull: str, force_recreate: bool, no_deps: bool, wait: bool,
       dry_run: bool, locked: bool, timeout: float, no_wait: bool, as_json: bool, watch_mode: bool, poll: bool,
       poll_interval: int, quiet_period: int | None, down_on_exit: bool) -> int:
    """Create and start the services (detached); recreate only what changed."""
    from devenv.cli.commands.up import run_up

    if (poll or down_on_exit) and not watch_mode:
        raise click.UsageError("--poll and --down-on-exit go with --watch")
    if watch_mode:
        if dry_run or wait:
            raise click.UsageError("--watch cannot be combined with --dry-run or --wait")
        from devenv.cli.commands.watch import run_watch

        return run_watch(opts, services=list(services), pull=pull, force_recreate=force_recreate, no_deps=no_deps,
                         timeout=timeout, locked=locked, poll=poll, poll_interval=poll_interval / 1000,
                         quiet_period_ms=quiet_period, down_on_exit=down_on_exit, as_json=as_json,
                         no_wait=no_wait)
    return run_up(opts, services=list(services), pull=pull, force_recreate=force_recreate, no_deps=no_deps,
                  wait=wait, dry_run=dry_run, timeout=timeout, locked=locked, as_json=as_json, no_wait=no_wait)


@cli.command()
@SERVICES
@JSON
@pass_options
def plan(opts: Options, services: tuple[str, ...], as_json: bool) -> int:
    """Show what `up` would do, and why."""
    from devenv.cli.commands.up import run_plan

    return run_plan(opts, services=list(services), as_json=as_json)


@cli.command()
@click.option("--volumes", is_flag=True, help="Also remove the project's named volumes (your data).")
@click.option("--rmi", type=click.Choice(["local", "all"]), default=None,
              help="Also remove images: local = the ones devenv built for this project; all = those and the "
                   "images its services ran.")
@click.option("-t", "--timeout", type=STOP_SECONDS, help="Seconds to wait for a stop before killing.")
@NO_WAIT
@pass_options
def down(opts: Options, volumes: bool, rmi: str | None, timeout: float | None, no_wait: bool) -> int:
    """Remove the containers and network. Named volumes are kept unless --volumes."""
    from devenv.cli.commands.down import run_down

    return run_down(opts, volumes=volumes, images=rmi, timeout=timeout, no_wait=no_wait)


@cli.command()
@JSON
@pass_options
def status(opts: Options, as_json: bool) -> int:
    """Show the services: state, health, URLs, uptime."""
    from devenv.cli.commands.status import run_status

    return run_status(opts, as_json=as_json)


cli.add_command(status, "ps")


@cli.command()
@JSON
@click.option("--sources", is_flag=True, help="Show which file set each value.")
@click.option("--services", "services_only", is_flag=True, help="Only list the service names.")
@pass_options
def config(opts: Options, as_json: bool, sources: bool, services_only: bool) -> int:
    """Print the resolved manifest (TOML, or JSON with --json)."""
    from devenv.cli.commands.config import run_config

    return run_config(opts, as_json=as_json, sources=sources, services_only=services_only)


@cli.command("ls")
@JSON
def ls_(as_json: bool) -> int:
    """List every devenv project on this engine: folder, services running, ports."""
    from devenv.cli.commands.ls import run_ls

    return run_ls(as_json=as_json)


@cli.group()
def router() -> None:
    """The shared HTTP router: every service with `http` at <service>.<project>.localhost."""


@router.command("status")
@JSON
def router_status(as_json: bool) -> int:
    """Show the router, its ports and every route on this engine."""
    from devenv.cli.commands.router import run_router_status

    return run_router_status(as_json=as_json)


@router.command("stop")
def router_stop() -> int:
    """Stop and remove the router (its local CA stays; `devenv up` starts it again)."""
    from devenv.cli.commands.router import run_router_stop

    return run_router_stop()


@router.command("logs")
@click.option("-n", "--tail", default="100", show_default=True, help="Lines from the end of the log.")
def router_logs(tail: str) -> int:
    """Show the router's log."""
    from devenv.cli.commands.router import run_router_logs

    return run_router_logs(tail=tail)


@cli.command()
@click.option("--uninstall", is_flag=True, help="Remove the local CA from the stores instead.")
@click.option("--print-path", is_flag=True, help="Only save the root certificate and print its path.")
def trust(uninstall: bool, print_path: bool) -> int:
    """Trust the router's local CA (system store, browsers' NSS stores), for HTTPS by name."""
    from devenv.cli.commands.router import run_trust

    return run_trust(uninstall=uninstall, print_path=print_path)


@cli.command()
def schema() -> int:
    """Print the JSON Schema of devenv.toml."""
    from devenv.cli.commands.config import run_schema

    return run_schema()


@cli.command("lock")
@SERVICES
@click.option("--update", is_flag=True, help="Move the pins forward: of the named services, or of all.")
@click.option("--check", is_flag=True, help="Change nothing; exit 4 if devenv.lock is out of date (for CI).")
@click.option("--offline", is_flag=True, help="With --check: compare with the manifest only, ask no registry.")
@NO_WAIT
@JSON
@pass_options
def lock_command(opts: Options, services: tuple[str, ...], update: bool, check: bool, offline: bool,
                 no_wait: bool, as_json: bool) -> int:
    """Pin every service's image to a registry digest in devenv.lock."""
    from devenv.cli.commands.lock import run_lock

    return run_lock(opts, services=list(services), update=update, check=check, offline=offline, as_json=as_json,
                    no_wait=no_wait)


@cli.command()
@JSON
@pass_options
def doctor(opts: Options, as_json: bool) -> int:
    """Check what breaks onboarding: engine, disk, inotify, ports, images, lock, version, clock."""
    from devenv.cli.commands.doctor import run_doctor

    return run_doctor(opts, as_json=as_json)


# -- daily use: logs, exec, shell, run, restart, stop, pull, open, vscode, completion -----------

COMMAND = dict(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
SERVICE = click.argument("service", shell_complete=_complete_services)
TIMEOUT = click.option("-t", "--timeout", type=STOP_SECONDS, help="Seconds to wait for a stop before killing "
                       "(default: the service's stop_timeout).")


@cli.command()
@SERVICES
@click.option("-f", "--follow", is_flag=True, help="Keep following (across restarts and recreates) until Ctrl-C.")
@click.option("-n", "--tail", default="all", show_default=True,
              help="Lines to show from the end of each container's log.")
@click.option("--since", help="Only lines newer than this: 10m, 1h30m, a Unix time or an ISO date.")
@click.option("-t", "--timestamps", is_flag=True, help="Show each line's timestamp.")
@click.option("--no-prefix", is_flag=True, help="Don't prefix lines with `service |`.")
@pass_options
def logs(opts: Options, services: tuple[str, ...], follow: bool, tail: str, since: str | None, timestamps: bool,
         no_prefix: bool) -> int:
    """Show the services' output, interleaved, behind `service |` prefixes."""
    from devenv.cli.commands.logs import run_logs

    return run_logs(opts, services=list(services), follow=follow, tail=tail, since=since, timestamps=timestamps,
                    no_prefix=no_prefix)


@cli.command("exec", **COMMAND)
@click.option("-T", "--no-tty", is_flag=True, help="No TTY, even when devenv runs in a terminal.")
@click.option("-u", "--user", help="Run as this user (name or uid[:gid]).")
@click.option("-w", "--workdir", help="Working folder in the container.")
@click.option("-e", "--env", "env", multiple=True, help="Set KEY=VALUE (repeatable).")
@click.option("--index", type=click.IntRange(min=1), default=1, show_default=True, help="Replica of a scaled service.")
@SERVICE
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
@pass_options
def exec_(opts: Options, no_tty: bool, user: str | None, workdir: str | None, env: tuple[str, ...], index: int,
          service: str, command: tuple[str, ...]) -> int:
    """Run COMMAND in the service's running container; exits with COMMAND's exit code."""
    from devenv.cli.commands.exec import run_exec

    return run_exec(opts, service=service, command=list(command), index=index, user=user, workdir=workdir,
                    env=env, no_tty=no_tty)


@cli.command()
@click.option("-u", "--user", help="Run as this user (name or uid[:gid]).")
@click.option("--index", type=click.IntRange(min=1), default=1, show_default=True, help="Replica of a scaled service.")
@SERVICE
@pass_options
def shell(opts: Options, user: str | None, index: int, service: str) -> int:
    """Open an interactive shell (bash if present, else sh) in the service's workdir."""
    from devenv.cli.commands.exec import run_shell

    return run_shell(opts, service=service, index=index, user=user)


@cli.command("run", **COMMAND)
@click.option("-T", "--no-tty", is_flag=True, help="No TTY, even when devenv runs in a terminal.")
@click.option("-u", "--user", help="Run as this user (name or uid[:gid]).")
@click.option("-w", "--workdir", help="Working folder in the container.")
@click.option("-e", "--env", "env", multiple=True, help="Set KEY=VALUE (repeatable).")
@click.option("--entrypoint", help="Override the entrypoint (a command line).")
@click.option("--service-ports", is_flag=True, help="Publish the service's ports (off by default: the running "
              "service holds them).")
@click.option("--no-deps", is_flag=True, help="Don't bring up the service's dependencies first.")
@click.option("--pull", type=click.Choice(["missing", "always", "never"]), default="missing", show_default=True,
              help="When to pull images.")
@SERVICE
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
@pass_options
def run_(opts: Options, no_tty: bool, user: str | None, workdir: str | None, env: tuple[str, ...],
         entrypoint: str | None, service_ports: bool, no_deps: bool, pull: str, service: str,
         command: tuple[str, ...]) -> int:
    """Run COMMAND in a one-off container with the service's spec, removed afterwards."""
    from devenv.cli.commands.exec import run_run

    return run_run(opts, service=service, command=list(command), env=env, user=user, workdir=workdir,
                   entrypoint=entrypoint, service_ports=service_ports, no_deps=no_deps, no_tty=no_tty, pull=pull)


@cli.command()
@SERVICES
@TIMEOUT
@pass_options
def restart(opts: Options, services: tuple[str, ...], timeout: float | None) -> int:
    """Restart the services' containers (all, or the named ones), in dependency order."""
    from devenv.cli.commands.lifecycle import run_restart

    return run_restart(opts, services=list(services), timeout=timeout)


@cli.command()
@SERVICES
@TIMEOUT
@pass_options
def stop(opts: Options, services: tuple[str, ...], timeout: float | None) -> int:
    """Stop the services' containers without removing them (`devenv up` starts them again)."""
    from devenv.cli.commands.lifecycle import run_stop

    return run_stop(opts, services=list(services), timeout=timeout)


@cli.command()
@SERVICES
@pass_options
def pull(opts: Options, services: tuple[str, ...]) -> int:
    """Pull the services' images (the digests pinned by devenv.lock, when there is one)."""
    from devenv.cli.commands.lifecycle import run_pull

    return run_pull(opts, services=list(services))


@cli.command("open")
@click.argument("service", required=False, shell_complete=_complete_services)
@click.option("--browser", is_flag=True, help="Also open the URL in a web browser.")
@click.option("--port", type=int, help="The container port to open, when the service publishes several.")
@pass_options
def open_(opts: Options, service: str | None, browser: bool, port: int | None) -> int:
    """Print the URL of a service (of every service without one); --browser opens it."""
    from devenv.cli.commands.open import run_open

    return run_open(opts, service=service, browser=browser, port=port)


@cli.command()
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if the files are not up to date.")
@pass_options
def vscode(opts: Options, check: bool) -> int:
    """Write VS Code tasks (up, down, status, logs, watch) and the devenv.toml schema association."""
    from devenv.cli.commands.vscode import run_vscode

    return run_vscode(opts, check=check)


@cli.command()
@click.argument("shell_name", metavar="[bash|zsh|fish]", required=False,
                type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell_name: str | None) -> int:
    """Print the shell completion script (service names come from devenv.toml)."""
    from devenv.cli.commands.completion import run_completion

    return run_completion(cli, shell_name)


@cli.command()
@SERVICES
@CONVERGE_OPTIONS
@WATCH_OPTIONS
@JSON
@pass_options
def watch(opts: Options, services: tuple[str, ...], pull: str, force_recreate: bool, no_deps: bool, locked: bool,
          timeout: float, no_wait: bool, poll: bool, poll_interval: int, quiet_period: int | None, down_on_exit: bool,
          as_json: bool) -> int:
    """Bring the environment up, then converge again on file changes until Ctrl-C (= `up --watch`)."""
    from devenv.cli.commands.watch import run_watch

    return run_watch(opts, services=list(services), pull=pull, force_recreate=force_recreate, no_deps=no_deps,
                     timeout=timeout, locked=locked, poll=poll, poll_interval=poll_interval / 1000,
                     quiet_period_ms=quiet_period, down_on_exit=down_on_exit, as_json=as_json, no_wait=no_wait)


@cli.command()
@click.option("--recipe", "recipes", multiple=True, metavar="NAME",
              help="Use this recipe instead of detecting the stack (comma-separated or repeated).")
@click.option("--with", "with_", multiple=True, metavar="SERVICES",
              help="Add backing services, e.g. --with postgres,redis.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Set a recipe parameter; SERVICE.KEY=VALUE for one service (repeatable).")
@click.option("--dry-run", is_flag=True, help="Print the files instead of writing them.")
@click.option("--force", is_flag=True, help="Overwrite an existing devenv.toml (and other files init writes).")
@click.option("--from", "from_", multiple=True, metavar="COMPOSE_FILE",
              help="Convert this Compose file (repeat to merge an override, as compose -f does).")
@click.option("--explain", is_flag=True, help="Print every decision with its evidence (file and line).")
@JSON
@pass_options
def init(opts: Options, recipes: tuple[str, ...], with_: tuple[str, ...], sets: tuple[str, ...], dry_run: bool,
         force: bool, from_: tuple[str, ...], explain: bool, as_json: bool) -> int:
    """Write devenv.toml (and .devenvignore) for this project, from its detected stack."""
    from devenv.cli.commands.init import run_init

    return run_init(opts, recipes=list(recipes), with_=list(with_), sets=list(sets), dry_run=dry_run,
                    force=force, as_json=as_json, from_=list(from_), explain=explain)


@cli.command("recipes")
@click.argument("name", required=False)
@JSON
def recipes_command(name: str | None, as_json: bool) -> int:
    """List the recipes `devenv init` can use, with their parameters."""
    from devenv.cli.commands.init import run_recipes

    return run_recipes(name=name, as_json=as_json)


# -- beyond one machine: deploy to Docker Swarm, export to Compose and Kubernetes -------------------

@cli.command()
@click.option("--swarm", "to_swarm", is_flag=True, help="Deploy to the Docker Swarm this engine manages (the "
              "target; required).")
@click.option("--status", "show_status", is_flag=True, help="Show the stack's services: replicas running/desired.")
@click.option("--down", "take_down", is_flag=True, help="Remove the stack. Named volumes are kept unless --volumes.")
@click.option("--volumes", is_flag=True, help="With --down: also remove the stack's named volumes (your data).")
@click.option("--dry-run", is_flag=True, help="Print what a deploy would create, update or remove; change nothing.")
@click.option("--no-push", is_flag=True, help="Don't push built images; run them by their local build tag "
              "(single-node swarms only).")
@click.option("-d", "--detach", is_flag=True, help="Return once the services are updated, without waiting for "
              "their tasks.")
@click.option("--timeout", type=WAIT_SECONDS, default=180.0, show_default=True,
              help="Seconds to wait for every changed service to run all its replicas.")
@click.option("--locked", is_flag=True, help="Fail (exit 4) if devenv.lock is missing or out of date.")
@NO_WAIT
@JSON
@pass_options
def deploy(opts: Options, to_swarm: bool, show_status: bool, take_down: bool, volumes: bool, dry_run: bool,
           no_push: bool, detach: bool, timeout: float, locked: bool, no_wait: bool, as_json: bool) -> int:
    """Run the project as a stack on Docker Swarm; redeploy updates only what changed."""
    from devenv.cli.commands import deploy as commands

    if not to_swarm:
        raise click.UsageError("name the target: `devenv deploy --swarm` (for Kubernetes, see `devenv export "
                               "--format kubernetes`)")
    if show_status and take_down:
        raise click.UsageError("--status and --down cannot be combined")
    if volumes and not take_down:
        raise click.UsageError("--volumes goes with --down")
    if (show_status or take_down) and (dry_run or no_push or detach or locked):
        raise click.UsageError("--dry-run, --no-push, --detach and --locked go with a deploy, not --status or --down")
    if show_status:
        return commands.run_status(opts, as_json=as_json)
    if take_down:
        return commands.run_down(opts, volumes=volumes, no_wait=no_wait)
    return commands.run_deploy(opts, dry_run=dry_run, push=not no_push, detach=detach, timeout=timeout,
                               locked=locked, as_json=as_json, no_wait=no_wait)


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["compose", "kubernetes"]), required=True,
              help="compose: a Compose file; kubernetes: Deployments, Services and PersistentVolumeClaims.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
@click.option("--volume-size", default="1Gi", show_default=True,
              help="Storage each PersistentVolumeClaim requests (kubernetes).")
@click.option("--force", is_flag=True, help="Replace an existing -o file that an earlier export did not write.")
@pass_options
def export_(opts: Options, fmt: str, output: Path | None, volume_size: str, force: bool) -> int:
    """Write the manifest as a Compose file or as Kubernetes objects."""
    from devenv.cli.commands.export import run_export

    return run_export(opts, fmt=fmt, output=output, volume_size=volume_size, force=force)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and map every outcome to a documented exit code."""
    from devenv import ui

    try:
        result = cli.main(args=argv, prog_name="devenv", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        ui.error("interrupted")
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        ui.error(exc.format_message())
        return EXIT_USAGE if exc.exit_code == 2 else exc.exit_code
    except DevenvError as exc:
        ui.error(exc.message, hint=exc.hint, details=exc.details)
        return exc.exit_code
    except KeyboardInterrupt:
        ui.error("interrupted; run `devenv up` again to converge")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except UnicodeDecodeError as exc:  # a read that missed core.textfiles: still the user's bytes, not a bug
        ui.error(f"a file devenv reads is not valid UTF-8: byte 0x{exc.object[exc.start]:02x} at offset {exc.start}",
                 hint="save it as UTF-8")
        return EXIT_USAGE
    except OSError as exc:
        problem = file_problem(exc)
        if problem is None:
            return _internal_error()
        ui.error(problem[0], hint=problem[1])
        return EXIT_USAGE
    except Exception:
        return _internal_error()
    return result if isinstance(result, int) else 0


# A file devenv must read or write that it cannot: the user's to fix, whichever command met it.
_FILE_HINTS = {errno.EACCES: "check who owns it and its mode (`ls -l`)",
               errno.EPERM: "check who owns it and its mode (`ls -l`)",
               errno.EISDIR: "a folder stands where devenv expects a file: move it out of the way",
               errno.ENOTDIR: "a file stands where devenv expects a folder: move it out of the way",
               errno.ELOOP: "a symbolic link points to itself",
               errno.ENAMETOOLONG: "use a shorter path",
               errno.EROFS: "the file system is read-only",
               errno.ENOSPC: "the disk is full"}


def file_problem(exc: OSError) -> tuple[str, str] | None:
    """(message, hint) for an OSError about a file the user can fix, or None (a bug)."""
    if exc.filename is None or exc.errno not in _FILE_HINTS:
        return None
    from devenv.core.textfiles import display_path

    # a rename onto a folder (an atomic write of devenv.lock where a folder stands): name the folder
    name = exc.filename2 if exc.errno == errno.EISDIR and exc.filename2 is not None else exc.filename
    reason = (exc.strerror or "cannot use it").lower()
    return f"{display_path(Path(os.fsdecode(name)))}: {reason}", _FILE_HINTS[exc.errno]


def _internal_error() -> int:
    from devenv import ui

    path = _crash_report()
    ui.error(f"internal error (a bug in devenv); report written to {path}")
    return 1


def _crash_report() -> str:
    import platform
    import tempfile
    import traceback

    folder = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "devenv"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    path = folder / "crash.log"
    path.write_text(f"devenv {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
                    f"argv: {sys.argv}\n\n{traceback.format_exc()}")
    return str(path)


if __name__ == "__main__":
    raise SystemExit(main())
