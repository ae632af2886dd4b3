"""The processes an app runs besides its server: workers (Procfile types, Celery and beat, RQ,
Dramatiq, Sidekiq, Resque, BullMQ and Bull, Laravel queues) and schema setup (migrations as provision
steps that re-run when the migration files change: alembic, Django, Flask-Migrate, Rails,
Prisma, Drizzle, artisan, Ecto). Each carries its evidence. Pure reads: nothing here writes or prints.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from devenv.init.depfiles import Facts

PROCFILES = ("Procfile.dev", "Procfile.development", "Procfile")
# Scripts a project's image runs when its container starts, before (or instead of) the server.
ENTRYPOINT_SCRIPTS = ("entrypoint.sh", "docker-entrypoint.sh", "docker-entrypoint.dev.sh", "boot.sh", "start.sh",
                      "bin/docker-entrypoint", "docker/entrypoint.sh", "scripts/entrypoint.sh",
                      "scripts/docker-entrypoint.sh")
# A command that sets up the schema: a migration tool's verb, or a project's own create/init command.
SCHEMA_STEP = re.compile(r"(?<![\w-])(migrate|upgrade|create_db|create-db|createdb|create_tables|create-tables|"
                         r"create_all|init_db|init-db|initdb|db:prepare|db:migrate|db:setup|db push)(?![\w-])")
# Python files searched for app objects and Celery apps: never in these folders.
SKIP_DIRS = {".venv", "venv", "node_modules", ".git", "tests", "test", "migrations", "docs", "site-packages",
             "static", "templates", "__pycache__", "build", "dist"}


def read(path: Path) -> str:
    """A file's text, or "" when it cannot be read (a dangling link, a folder, no permission)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


@dataclass
class Process:
    name: str
    command: str
    why: str


@dataclass
class Processes:
    web: Process | None = None  # the Procfile's web line, when there is one
    workers: list[Process] = field(default_factory=list)
    provision: list[Process] = field(default_factory=list)  # release steps and migrations
    provision_inputs: list[str] = field(default_factory=list)  # the migration files


def read_procfile(facts: Facts) -> tuple[str, list[tuple[str, str, int]]]:
    """The first Procfile present (a development one first) as (file, [(type, command, line)])."""
    for name in PROCFILES:
        if facts.has(name):
            entries = []
            for number, line in enumerate(facts.text(name).splitlines(), 1):
                match = re.match(r"^([A-Za-z0-9_-]+)\s*:\s*(.+?)\s*$", line)
                if match and not line.lstrip().startswith("#"):
                    entries.append((match.group(1), match.group(2), number))
            return name, entries
    return "", []


def python_files(folder: Path, limit: int = 400) -> list[Path]:
    """The app's own .py files, shallow first, without tests, venvs and migrations."""
    found: list[Path] = []
    queue = [folder]
    while queue and len(found) < limit:
        current = queue.pop(0)
        try:
            children = sorted(current.iterdir())
        except OSError:
            continue
        for child in children:
            if child.is_dir() and child.name not in SKIP_DIRS and not child.name.startswith("."):
                queue.append(child)
            elif child.suffix == ".py" and child.is_file():
                found.append(child)
    return found


def module_of(path: Path, root: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts and parts[0] == "src":
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def django_manage(facts: Facts) -> str:
    """The Django manage.py of a folder that declares django: its own, or the one in the source
    folder below it (src/manage.py, with the dependencies declared at the root)."""
    if facts.has("manage.py"):
        return "manage.py"
    for sub in ("src", "backend", "app"):
        text = facts.text(f"{sub}/manage.py")
        if "django" in text.lower() and "FlaskGroup" not in text and not any(
                facts.has(f"{sub}/{n}") for n in ("requirements.txt", "pyproject.toml", "Pipfile", "setup.py")):
            return f"{sub}/manage.py"
    return "manage.py"


def celery_app(facts: Facts) -> tuple[str, str] | None:
    """The module that creates the Celery app (`app = Celery(...)`), with file:line."""
    for path in python_files(facts.folder):
        text = read(path)
        match = re.search(r"^\s*(\w+)\s*=\s*Celery\(", text, re.M)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            module = module_of(path, facts.folder)
            name = match.group(1)
            if name != "app" and re.search(r"^app\s*[:=]", text, re.M):
                # celery -A module takes module.app first: beside a Flask/FastAPI `app`, name the Celery one.
                module = f"{module}.{name}"
            elif module.endswith(".celery"):
                module = module[: -len(".celery")]  # celery -A pkg finds pkg.celery by itself
            return module, f"{path.relative_to(facts.folder).as_posix()}:{line}"
    return None


def _procfile_processes(facts: Facts, found: Processes) -> None:
    name, entries = read_procfile(facts)
    for kind, command, line in entries:
        where = f"{name}:{line}"
        if kind == "release":
            # A step that writes a file (`echo '' > .env`) prepares Heroku's slug: in development
            # it would overwrite the developer's own file in the mounted project.
            steps = [s.strip() for s in command.split("&&")]
            kept = [s for s in steps if not re.search(r"(^|\s)>>?\s*(?!/dev/null)\S", s)]
            if kept:
                found.provision.append(Process("release", " && ".join(kept), f"{where} release step"
                                               + (" (without the steps that write files)" if kept != steps else "")))
        elif kind == "web":
            found.web = Process("web", command, f"{where} web process")
        elif not re.search(r"\b(heroku|nginx)\b", command):
            found.workers.append(Process(kind, command, f"{where} {kind} process"))


def _celery(facts: Facts, found: Processes) -> None:
    if "celery" not in facts.packages or any("celery" in w.command for w in found.workers):
        return
    app = celery_app(facts)
    if not app:
        return
    module, where = app
    found.workers.append(Process("worker", f"celery -A {module} worker -l info",
                                 f"{facts.packages['celery']} declares celery; {where} creates the Celery app"))
    if "django-celery-beat" in facts.packages:
        found.workers.append(Process("beat", f"celery -A {module} beat -l info",
                                     f"{facts.packages['django-celery-beat']} declares django-celery-beat"))


def entrypoint_lines(facts: Facts) -> list[tuple[str, str, bool]]:
    """The commands of the app's start-up scripts as (command, file:line, run at start): the
    Dockerfile's ENTRYPOINT script and the usual names. A line inside a shell function
    (`scheduler() { ... }`, a dispatcher's subcommand) runs only when asked for."""
    named = {n.rsplit("/", 1)[-1] for n in re.findall(r"(?im)^\s*ENTRYPOINT\s+\[?\s*\"?([^\s\",\]]+)",
                                                        facts.text("Dockerfile"))}
    # The script the Dockerfile names, wherever the project keeps it (docker/, scripts/, bin/).
    names: list[str] = []
    for folder, dirs, files in os.walk(facts.folder) if named else ():
        rel = Path(folder).relative_to(facts.folder)
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and d != "vendor" and not d.startswith(".")
                         and len(rel.parts) < 2)
        names += [(rel / f).as_posix() for f in sorted(files) if f in named]
    names += list(ENTRYPOINT_SCRIPTS)
    lines: list[tuple[str, str, bool]] = []
    for name in dict.fromkeys(names):
        if not name.endswith((".sh", "entrypoint")) or not facts.has(name):
            continue
        in_function = False
        for number, raw in enumerate(facts.text(name).splitlines(), 1):
            line = raw.strip()
            if re.match(r"^(function\s+)?[\w-]+\s*\(\)\s*\{?$", line):
                in_function = True
            elif line == "}":
                in_function = False
            elif line and not re.match(r"^(#|echo|if|then|else|fi|until|while|do|done|for|case|esac|\[|set |"
                                        r"export |exec \"\$@\")", line):
                lines.append((re.sub(r"^exec\s+", "", line), f"{name}:{number}", not in_function))
    return lines


def _entrypoint_schema_steps(facts: Facts, found: Processes) -> None:
    """Schema setup the project's start-up script runs (`python manage.py create_db`), when no
    known tool's step already does it: the project's own CLI command is the provision step."""
    have = " ".join(p.command for p in found.provision)
    for command, where, at_start in entrypoint_lines(facts):
        verb = SCHEMA_STEP.search(command)
        if at_start and verb and verb.group(1) not in have and not re.search(r"\$@|\$\*", command):
            found.provision.append(Process("schema", command, f"{where} sets up the schema at start"))
            have += " " + command


def _other_workers(facts: Facts, found: Processes, stack: str) -> None:
    have = " ".join(w.command for w in found.workers)
    pkgs = facts.packages
    if "rq" in pkgs and "rq" not in have and stack in ("flask", "python", "fastapi"):
        found.workers.append(Process("worker", "rq worker --url $REDIS_URL", f"{pkgs['rq']} declares rq"))
    if "rq-scheduler" in pkgs and "scheduler" not in have and stack in ("flask", "python", "fastapi"):
        # The project's own way to start it (redash: `manage.py rq scheduler`), else rq-scheduler's.
        own = next(((c, w) for c, w, _ in entrypoint_lines(facts)
                    if re.search(r"\bscheduler\b", c) and "watchmedo" not in c), None)
        command, why = own or ("rqscheduler --url $REDIS_URL", f"{pkgs['rq-scheduler']} declares rq-scheduler")
        if own:
            script = re.match(r"^(\S*/)?(\w+\.py)\b", command)
            command = f"python {script.group(2)}{command[script.end():]}" if script and facts.has(script.group(2)) \
                else command
            why = f"{pkgs['rq-scheduler']} declares rq-scheduler; {own[1]} starts it"
        found.workers.append(Process("scheduler", command, why))
    if "dramatiq" in pkgs and "dramatiq" not in have:
        modules = [module_of(p, facts.folder) for p in python_files(facts.folder)
                   if re.search(r"@dramatiq\.actor", read(p))]
        if modules:
            found.workers.append(Process("worker", f"dramatiq {modules[0]}", f"{pkgs['dramatiq']} declares dramatiq"))
    if "arq" in pkgs and "arq" not in have:
        # ARQ runs the class that lists the job functions (`functions = [...]`, WorkerSettings).
        for path in python_files(facts.folder):
            text = read(path)
            settings = re.search(r"^class\s+(\w+)\b[^\n]*:\n(?:[ \t]+.*\n|\n)*?[ \t]+functions\s*[:=]", text, re.M)
            if settings and re.search(r"^\s*(from|import)\s+arq\b", text, re.M):
                target = f"{module_of(path, facts.folder)}.{settings.group(1)}"
                found.workers.append(Process("worker", f"arq {target}", f"{pkgs['arq']} declares arq; "
                                             f"{path.relative_to(facts.folder).as_posix()} lists its job functions"))
                break
    if "sidekiq" in pkgs and "sidekiq" not in have:
        found.workers.append(Process("worker", "bundle exec sidekiq", f"{pkgs['sidekiq']} declares sidekiq"))
    if "resque" in pkgs and "resque" not in have:
        found.workers.append(Process("worker", "bundle exec rake resque:work QUEUE=*",
                                     f"{pkgs['resque']} declares resque"))
    composer_dev = re.search(r"php artisan (queue:(?:listen|work)[^\"\\]*)", facts.text("composer.json"))
    if stack == "laravel" and "queue:" not in have and composer_dev:
        found.workers.append(Process("queue", f"php artisan {composer_dev.group(1).strip()}",
                                     "composer.json's dev script runs the queue"))
        have += " queue:"
    if stack == "laravel" and "queue:" not in have:
        queue = _env_value(facts, "QUEUE_CONNECTION")
        if queue and queue[0] not in ("sync", "null"):
            found.workers.append(Process("queue", "php artisan queue:listen --tries=1",
                                         f"{queue[1]} sets QUEUE_CONNECTION={queue[0]}"))
    scripts = facts.package_json.get("scripts") or {}
    node_queue = next((name for name in ("bullmq", "bull", "bee-queue") if name in pkgs), None)
    if node_queue and "worker" in scripts and "worker" not in have:
        found.workers.append(Process("worker", run_script(facts, "worker"),
                                     f"package.json has a worker script ({node_queue})"))


def _env_value(facts: Facts, key: str) -> tuple[str, str] | None:
    for name in (".env.example", ".env.sample", ".env.dist", ".env"):
        for number, line in enumerate(facts.text(name).splitlines(), 1):
            match = re.match(rf"^\s*{key}\s*=\s*['\"]?([^'\"#\s]*)", line)
            if match:
                return match.group(1), f"{name}:{number}"
    return None


def _migrations(facts: Facts, found: Processes, stack: str) -> None:
    have = " ".join(p.command for p in found.provision)
    pkgs = facts.packages

    def add(command: str, why: str, inputs: list[str]) -> None:
        found.provision.append(Process("migrate", command, why))
        found.provision_inputs.extend(inputs)

    if stack == "django" and "migrate" not in have:
        manage = django_manage(facts)
        add(f"python {manage} migrate --noinput", f"{manage} runs Django's migrations", ["**/migrations/*.py"])
    elif stack == "django":
        found.provision_inputs.append("**/migrations/*.py")
    if facts.has("alembic.ini") and "alembic" not in have and "upgrade" not in have:
        add("alembic upgrade head", "alembic.ini is present", ["alembic/versions/*.py", "**/alembic/versions/*.py"])
    elif "alembic" not in have and "upgrade" not in have:
        # alembic.ini beside the code it imports (src/alembic.ini, `script_location = migrations`):
        # alembic resolves the script location and `prepend_sys_path` from where it runs.
        sub = next((d for d in ("src", "app", "backend") if facts.has(f"{d}/alembic.ini")), None)
        if sub:
            where = re.search(r"^script_location\s*=\s*(\S+)", facts.text(f"{sub}/alembic.ini"), re.M)
            scripts = where.group(1).replace("%(here)s/", "") if where else "alembic"
            add(f"cd {sub} && alembic upgrade head", f"{sub}/alembic.ini is present",
                [f"{sub}/{scripts}/versions/*.py"])
    if ("flask-migrate" in pkgs or facts.has("migrations/env.py")) and stack == "flask" and "db upgrade" not in have:
        why = f"{pkgs['flask-migrate']} declares Flask-Migrate" if "flask-migrate" in pkgs else "migrations/env.py"
        add("flask db upgrade", why, ["migrations/versions/*.py"])
    if stack == "rails":
        if "db:" not in have:
            add("bin/rails db:prepare", "Rails prepares its database (create, migrate, seed)", ["db/migrate/*.rb"])
        else:
            found.provision_inputs.append("db/migrate/*.rb")
    if stack == "laravel" and "migrate" not in have:
        add("php artisan migrate --force", "artisan runs Laravel's migrations", ["database/migrations/*.php"])
    if stack == "php" and "doctrine/doctrine-migrations-bundle" in pkgs and facts.has("bin/console") \
            and "migrat" not in have:
        # Symfony's console: create the database the URL names, then apply the migrations.
        add("php bin/console doctrine:database:create --if-not-exists --no-interaction && "
            "php bin/console doctrine:migrations:migrate --no-interaction --allow-no-migration",
            f"{pkgs['doctrine/doctrine-migrations-bundle']} declares doctrine/doctrine-migrations-bundle",
            ["migrations/*.php"])
    if "prisma" in pkgs or "@prisma/client" in pkgs:
        schema = (facts.package_json.get("prisma") or {}).get("schema") if isinstance(
            facts.package_json.get("prisma"), dict) else None
        schema = schema or next((s for s in ("prisma/schema.prisma", "src/prisma/schema.prisma") if facts.has(s)), None)
        if schema:
            folder = schema.rsplit("/", 1)[0]
            has_migrations = (facts.folder / folder / "migrations").is_dir()
            command = "npx prisma migrate deploy" if has_migrations else "npx prisma db push --skip-generate"
            add(command + (f" --schema {schema}" if schema != "prisma/schema.prisma" else ""),
                f"{schema} is a Prisma schema", [f"{folder}/migrations/**", schema])
    if stack == "phoenix" and "ecto_sql" in pkgs:
        add("mix ecto.migrate", "mix.exs declares ecto_sql", ["priv/repo/migrations/*.exs"])
    if stack == "rust" and "diesel" in pkgs and "diesel_migrations" not in pkgs and "diesel" not in have:
        _diesel(facts, add)
    have = " ".join(p.command for p in found.provision)
    if stack == "go" and "migrat" not in have:
        _go_migrate_command(facts, add)
    if stack in NODE_STACKS and "migrat" not in have:
        _node_migration_script(facts, add)
    have = " ".join(p.command for p in found.provision)
    if stack in NODE_STACKS and "drizzle-kit" in pkgs and "migrat" not in have and "db push" not in have:
        _drizzle(facts, add)


def _go_migrate_command(facts: Facts, add: Callable[[str, str, list[str]], None]) -> None:
    """A main package of the project's own that migrates (cmd/migrate on goose or golang-migrate):
    a step before the app, given `up` when it takes the verb from its arguments."""
    for folder in sorted(p for p in facts.folder.glob("cmd/migrat*") if p.is_dir()):
        text = "\n".join(read(p) for p in sorted(folder.glob("*.go")) if not p.name.endswith("_test.go"))
        if not re.search(r"^package main\b", text, re.M):
            continue
        rel = folder.relative_to(facts.folder).as_posix()
        verb = " up" if re.search(r"\bos\.Args\b|\.Args\(\)|\bflag\.Arg\(", text) else ""
        add(f"go run ./{rel}{verb}", f"{rel} is the project's migration command",
            [f"{rel}/**", *(["migrations/**"] if facts.has("migrations") else [])])
        return


NODE_STACKS = ("node", "express", "nextjs", "vite", "nuxt", "angular", "remix", "sveltekit")
# package.json scripts that apply the migrations (knex, Sequelize, TypeORM, postgrator, node-pg-migrate…),
# in the order they are looked for; one that creates, reverts or shows them is not a setup step.
MIGRATE_SCRIPTS = ("db:migrate", "migrate", "migration:run", "migrations:run", "migrate:latest", "db:migrate:latest",
                   "migrate:up", "db:migrate:up", "typeorm:migrate", "knex:migrate")
NOT_A_SETUP = re.compile(r"\b(dev|make|create|generate|new|rollback|undo|revert|reset|down|status|drop)\b")
MIGRATION_FOLDERS = ("migrations", "db/migrations", "src/migrations", "src/database/migrations", "database/migrations",
                     "src/db/migrations")


def _node_migration_script(facts: Facts, add: Callable[[str, str, list[str]], None]) -> None:
    scripts = facts.package_json.get("scripts") or {}
    for name in MIGRATE_SCRIPTS:
        command = scripts.get(name)
        if not isinstance(command, str) or NOT_A_SETUP.search(command):
            continue
        run = run_script(facts, name)
        inputs = [f"{folder}/**" for folder in MIGRATION_FOLDERS if (facts.folder / folder).is_dir()]
        add(run, f"package.json {name} script ({command!r}) applies the migrations", inputs)
        return


DRIZZLE_CONFIGS = ("drizzle.config.ts", "drizzle.config.js", "drizzle.config.mjs", "drizzle.config.cjs",
                   "drizzle.config.mts", "drizzle.config.json")
# How each package manager runs a dependency's binary.
EXEC = {"npm": "npx", "yarn": "yarn", "pnpm": "pnpm exec", "bun": "bunx"}


def _drizzle(facts: Facts, add: Callable[[str, str, list[str]], None]) -> None:
    """drizzle-kit with its config: `migrate` applies the migrations generated into `out` (they
    have a `meta/_journal.json`), `push` makes the schema from the code when there are none."""
    config = next((c for c in DRIZZLE_CONFIGS if facts.has(c)), None)
    if config is None:
        return
    text = facts.text(config)
    out = re.search(r"[\"']?\bout[\"']?\s*:\s*[\"'](?:\./)?([^\"']+?)/?[\"']", text)
    folder = out.group(1) if out else "drizzle"  # drizzle-kit's default
    schema = re.search(r"[\"']?\bschema[\"']?\s*:\s*[\"'](?:\./)?([^\"'*]+)[\"']", text)
    run = EXEC.get(str(facts.params.get("package_manager", "npm")), "npx")
    if facts.has(f"{folder}/meta/_journal.json"):
        add(f"{run} drizzle-kit migrate", f"{config} is drizzle-kit's config; {folder}/ holds its migrations",
            [f"{folder}/**"])
    else:
        add(f"{run} drizzle-kit push", f"{config} is drizzle-kit's config, with no migrations in {folder}/",
            [schema.group(1)] if schema else [])


def _diesel(facts: Facts, add: Callable[[str, str, list[str]], None]) -> None:
    """diesel's migrations, applied by diesel_cli (not a dependency: installed when the image lacks
    it, for the one backend the crate uses); `diesel_migrations` embeds them in the app instead."""
    where = re.search(r"^\[migrations_directory\][^\[]*?^dir\s*=\s*[\"'](?:\./)?([^\"']+?)/?[\"']",
                      facts.text("diesel.toml"), re.M | re.S)
    folder = where.group(1) if where else "migrations"
    if not (facts.folder / folder).is_dir():
        return
    backend = next((b for b in ("postgres", "mysql", "sqlite") if f"diesel:{b}" in facts.packages), "postgres")
    install = f"cargo install diesel_cli --no-default-features --features {backend}"
    add(f"(command -v diesel >/dev/null || {install}) && diesel setup",
        f"Cargo.toml declares diesel; {folder}/ holds its migrations", [f"{folder}/**"])


def run_script(facts: Facts, name: str) -> str:
    """How the project's package manager runs one of its package.json scripts."""
    manager = str(facts.params.get("package_manager", "npm"))
    return f"{'npm' if manager == 'npm' else manager}{' run' if manager in ('npm', 'bun') else ''} {name}"


def read_processes(facts: Facts, stack: str) -> Processes:
    """Workers and provision steps for one app folder whose recipe is `stack`."""
    found = Processes()
    _procfile_processes(facts, found)
    _celery(facts, found)
    _other_workers(facts, found, stack)
    _migrations(facts, found, stack)
    _entrypoint_schema_steps(facts, found)
    return found
