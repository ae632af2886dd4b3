# Gunicorn configuration file:
# https://docs.gunicorn.org/en/stable/configure.html
# https://docs.gunicorn.org/en/stable/settings.html
#
# Note: The classic Python buildpack currently sets a few gunicorn settings automatically via
# the `GUNICORN_CMD_ARGS` env var (which take priority over the settings in this file):
# https://github.com/heroku/heroku-buildpack-python/blob/main/vendor/python.gunicorn.sh

import os

# On Heroku, web dynos must bind to the port number specified via the `PORT` env var. This
# env var is set automatically for web dynos and also when using `heroku local` locally:
# https://devcenter.heroku.com/articles/dyno-startup-behavior#port-binding-of-web-dynos
# https://devcenter.heroku.com/articles/heroku-local
# Gunicorn will automatically use the `PORT` env var, however, by default it will bind to the
# port using the IPv4 interface (`0.0.0.0`). We configure the binding manually to make it bind
# to the IPv6 interface (`::`) instead, so that the app works in IPv6-only environments too.
# (IPv4 connections will still work so long as `IPV6_V6ONLY` hasn't been enabled.)
bind = ["[::]:{}".format(os.environ.get("PORT", 5006))]

