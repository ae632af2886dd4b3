defmodule HexpmWeb.Endpoint do
  use Sentry.PlugCapture
  use Phoenix.Endpoint, otp_app: :hexpm

  plug HexpmWeb.Plugs.Forwarded

  @session_options [
    signing_salt: "NOcCmerj",
    encryption_salt: "Zb5cCLE7",
    store: HexpmWeb.Session.Transition,
    serializer: HexpmWeb.Session.JSON,
    key: "_hexpm_key",
    max_age: 60 * 60 * 24 * 30
  ]

  # Serve at "/" the static files from "priv/static" directory.
  #
  # You should set gzip to true if you are running phoenix.digest
  # when deploying your static files in production.
  #
