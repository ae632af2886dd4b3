#!/bin/sh
python -m manage migrate
python -m manage collectstatic --no-input --clear
exec "$@"
