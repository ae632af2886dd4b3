exec gosu taiga celery -A taiga.celery worker -B \
    --concurrency 4 \
    -l INFO \
    "$@"
