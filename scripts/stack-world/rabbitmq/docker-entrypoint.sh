#!/usr/bin/env bash
# Entrypoint of the rabbitmq stand-in (tests only), with the official image's interface:
# RABBITMQ_DEFAULT_USER / RABBITMQ_DEFAULT_PASS / RABBITMQ_DEFAULT_VHOST make the first user on
# the first start (RabbitMQ's own default_* settings), guest may log in from other hosts,
# data in /var/lib/rabbitmq, AMQP on 5672 and the management UI on 15672.
set -Eeuo pipefail
[ "${1:0:1}" = - ] && set -- rabbitmq-server "$@"
if [ "$1" = rabbitmq-server ] && [ "$(id -u)" = 0 ]; then
  {
    echo "loopback_users.guest = false"
    echo "listeners.tcp.default = 5672"
    echo "management.tcp.port = 15672"
    [ -n "${RABBITMQ_DEFAULT_USER:-}" ] && echo "default_user = $RABBITMQ_DEFAULT_USER"
    [ -n "${RABBITMQ_DEFAULT_PASS:-}" ] && echo "default_pass = $RABBITMQ_DEFAULT_PASS"
    [ -n "${RABBITMQ_DEFAULT_VHOST:-}" ] && echo "default_vhost = $RABBITMQ_DEFAULT_VHOST"
  } >/etc/rabbitmq/conf.d/10-defaults.conf
  find /var/lib/rabbitmq /etc/rabbitmq \! -user rabbitmq -exec chown rabbitmq:rabbitmq '{}' +
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups "$BASH_SOURCE" "$@"
fi
exec "$@"
