#!/usr/bin/env bash
# Entrypoint of the redis stand-in (tests only), with the official image's interface: options or a
# .conf file as arguments go to redis-server, which runs as the redis user in /data.
set -Eeuo pipefail
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
  if [ "$(id -u)" = 0 ]; then
    find . \! -user redis -exec chown redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "$BASH_SOURCE" "$@"
  fi
  # The official image compiles protected mode off (a container's network is the protection);
  # Debian's build keeps it on, so say it here. A config file or later option still wins.
  shift
  if [ "${1:-}" != "" ] && [ "${1%.conf}" != "$1" ]; then conf=$1; shift; set -- "$conf" --protected-mode no "$@"
  else set -- --protected-mode no "$@"; fi
  umask 0077
  exec redis-server "$@"
fi
exec "$@"
