  case System.get_env("HEXPM_DEV_DEBUG_ERRORS", "true") do
  case System.get_env("HEXPM_DEV_LOG_LEVEL", "debug") do
config :hexpm,
    System.get_env("HEXPM_LOCAL_STORE_DIR") || Path.join(System.tmp_dir!(), "hexpm-dev/store"),
config :hexpm, HexpmWeb.Endpoint,
  http: [port: 4000],
config :hexpm, HexpmWeb.Endpoint,
config :phoenix_live_view,
config :logger, level: log_level
config :logger, :default_formatter, format: "[$level] $message\n"
config :phoenix, :stacktrace_depth, 20
config :phoenix, :plug_init_mode, :runtime
config :hexpm, Hexpm.RepoBase,
  username: "postgres",
  password: "postgres",
  database: "hexpm_dev",
  hostname: "localhost",
config :hexpm, Hexpm.Emails.Mailer, adapter: Swoosh.Adapters.Local
config :hexpm, Oban, plugins: []
config :hexpm, metrics_port: 9568
config :hexpm, :organization_sso, all_organizations: true
config :hexpm, :varsel, key_id: "hexpm-dev"
config :ueberauth, Ueberauth.Strategy.Github.OAuth,
  client_id: System.get_env("HEXPM_GITHUB_CLIENT_ID"),
  client_secret: System.get_env("HEXPM_GITHUB_CLIENT_SECRET")
