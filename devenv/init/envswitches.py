"""What an example env file switches: an embedded database chosen by the database client setting
(`DB_CLIENT=better-sqlite3`: the server drivers the package declares are alternatives), and a
service switched off by name (`REDIS_ENABLED=false`: the client library is there for when it is on).
Pure reads: nothing here writes or prints.
"""

from __future__ import annotations

import re

# Settings that choose the database engine (knex's client, TypeORM's type, Laravel's connection).
_ENGINE_KEY = re.compile(r"^(?:[A-Z0-9]+_)?(DB|DATABASE)_(CLIENT|TYPE|DRIVER|ENGINE|CONNECTION|DIALECT)$")
_EMBEDDED = re.compile(r"^(better-)?sqlite3?$|^libsql$|^h2$", re.I)
_OFF = re.compile(r"^(false|0|no|off|disabled?)$", re.I)
# REDIS_ENABLED / ENABLE_REDIS / USE_REDIS → the service it names.
_SWITCH = re.compile(r"^(?:ENABLE_|USE_)?(REDIS|MONGO|MONGODB|RABBITMQ|AMQP|MEMCACHED|NATS|ELASTICSEARCH)"
                     r"(?:_ENABLED?)?$")
_SERVICES = {"REDIS": "redis", "MONGO": "mongodb", "MONGODB": "mongodb", "RABBITMQ": "rabbitmq", "AMQP": "rabbitmq",
             "MEMCACHED": "memcached", "NATS": "nats", "ELASTICSEARCH": "elasticsearch"}


def embedded_database(keys: list[tuple[str, str, str]]) -> str | None:
    """Why the app runs on an embedded database by default ("file:line sets DB_CLIENT=..."), if it does."""
    for key, value, where in keys:
        if _ENGINE_KEY.match(key) and _EMBEDDED.match(value.strip()):
            return f"{where} sets {key}={value.strip()}"
    return None


def switched_off(keys: list[tuple[str, str, str]]) -> dict[str, str]:
    """Backing services the env file turns off by name: service → "file:line sets KEY=false"."""
    off: dict[str, str] = {}
    for key, value, where in keys:
        match = _SWITCH.match(key)
        # The bare name (REDIS=...) is not a switch: only a prefix or suffix makes one.
        if match and key != match.group(1) and _OFF.match(value.strip()):
            off.setdefault(_SERVICES[match.group(1)], f"{where} sets {key}={value.strip()}")
    return off
