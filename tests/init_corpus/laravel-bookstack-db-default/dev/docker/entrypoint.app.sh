#!/bin/bash
    exec "$@"
    php artisan migrate --database=mysql
    exec apache2-foreground
