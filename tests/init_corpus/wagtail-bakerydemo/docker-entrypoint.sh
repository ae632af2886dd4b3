#!/bin/sh
until psql $DATABASE_URL -c '\q'; do
    /venv/bin/python manage.py migrate --noinput
exec "$@"
