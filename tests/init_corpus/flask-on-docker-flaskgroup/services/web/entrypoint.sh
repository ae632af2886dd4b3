#!/bin/sh
if [ "$DATABASE" = "postgres" ]
    echo "Waiting for postgres..."
python manage.py create_db
exec "$@"
