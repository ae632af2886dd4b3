#!/usr/bin/env bash
# Entrypoint of the mariadb/mysql stand-in (tests only), with the official images' interface:
# MYSQL_* or MARIADB_* ROOT_PASSWORD, DATABASE, USER, PASSWORD, ALLOW_EMPTY_(ROOT_)PASSWORD (and *_FILE);
# /var/lib/mysql initialised on first start only; /docker-entrypoint-initdb.d (*.sh, *.sql, *.sql.gz)
# run once, against the database named.
set -Eeuo pipefail

env_of() {  # the MARIADB_ name wins, the MYSQL_ one is read too; *_FILE forms as well
  local name
  for name in "MARIADB_$1" "MYSQL_$1"; do
    local file_var="${name}_FILE"
    if [ -n "${!name:-}" ]; then printf '%s' "${!name}"; return; fi
    if [ -n "${!file_var:-}" ]; then cat "${!file_var}"; return; fi
  done
}

[ "${1:0:1}" = - ] && set -- mariadbd "$@"
case "$1" in mariadbd|mysqld) ;; *) exec "$@" ;; esac

if [ "$(id -u)" = 0 ]; then
  mkdir -p /var/lib/mysql /run/mysqld
  find /var/lib/mysql /run/mysqld \! -user mysql -exec chown mysql:mysql '{}' +
  exec setpriv --reuid=mysql --regid=mysql --init-groups "$BASH_SOURCE" "$@"
fi

if [ ! -d /var/lib/mysql/mysql ]; then
  root_password=$(env_of ROOT_PASSWORD) database=$(env_of DATABASE) user=$(env_of USER) password=$(env_of PASSWORD)
  if [ -z "$root_password" ] && [ -z "$(env_of ALLOW_EMPTY_ROOT_PASSWORD)$(env_of ALLOW_EMPTY_PASSWORD)" ]; then
    echo "error: database is uninitialized and password option is not specified" >&2
    echo "  You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD (or the MYSQL_ names)" >&2
    exit 1
  fi
  mariadb-install-db --datadir=/var/lib/mysql --auth-root-authentication-method=normal --skip-test-db \
    --skip-name-resolve --default-time-zone=SYSTEM >/dev/null
  # A socket-only server while setting up: clients (and healthchecks) on TCP see nothing yet.
  mariadbd --skip-networking --socket=/run/mysqld/mysqld.sock &
  pid=$!
  for _ in $(seq 60); do mariadb-admin --socket=/run/mysqld/mysqld.sock ping --silent 2>/dev/null && break; sleep 0.5; done
  run_sql() { mariadb --protocol=socket --socket=/run/mysqld/mysqld.sock -uroot "$@"; }
  quote() { printf "'%s'" "${1//\'/\'\'}"; }
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    # install-db also makes password-less root accounts for 127.0.0.1, ::1 and the hostname: they
    # would win over root@'%' for TCP clients (the healthcheck), so they go, as in the official image.
    echo "DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1';"
    echo "EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\\'', @@hostname, '\\'');"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(quote "$root_password");"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY $(quote "$root_password");"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    [ -n "$database" ] && echo "CREATE DATABASE IF NOT EXISTS \`$database\`;"
    if [ -n "$user" ]; then
      echo "CREATE USER $(quote "$user")@'%' IDENTIFIED BY $(quote "$password");"
      [ -n "$database" ] && echo "GRANT ALL ON \`$database\`.* TO $(quote "$user")@'%';"
    fi
    echo "FLUSH PRIVILEGES;"
  } | run_sql
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) echo "$0: running $f"; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *.sql) echo "$0: running $f"; run_sql -p"$root_password" ${database:+"$database"} <"$f" ;;
      *.sql.gz) echo "$0: running $f"; gunzip -c "$f" | run_sql -p"$root_password" ${database:+"$database"} ;;
      */\*) ;;
      *) echo "$0: ignoring $f" ;;
    esac
  done
  kill "$pid"; wait "$pid" || true
  echo "MariaDB init process done. Ready for start up."
fi
exec "$@"
