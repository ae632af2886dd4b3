#!/bin/sh
# Entrypoint of the node stand-in (tests only), as the official one: an option, a script file or
# anything that is not a command runs under node.
set -e
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1" || true)" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }; then
  set -- node "$@"
fi
exec "$@"
