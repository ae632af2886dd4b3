import Config

debug_errors =
  case System.get_env("HEXPM_DEV_DEBUG_ERRORS", "true") do
    "true" -> true
    "false" -> false
    value -> raise "invalid HEXPM_DEV_DEBUG_ERRORS #{inspect(value)}; expected true or false"
  end

log_level =
  case System.get_env("HEXPM_DEV_LOG_LEVEL", "debug") do
    "debug" -> :debug
    "info" -> :info
    "notice" -> :notice
    "warning" -> :warning
    "error" -> :error
    "critical" -> :critical
    "alert" -> :alert
    "emergency" -> :emergency
    value -> raise "invalid HEXPM_DEV_LOG_LEVEL #{inspect(value)}"
  end

config :hexpm,
  billing_report: false,
  sudo: false,
  sudo_timeout: Duration.new!(minute: 60),
  sudo_force_timeout: Duration.new!(second: 30),
  secret: "796f75666f756e64746865686578",
  jwt_signing_key: """
  -----BEGIN EC PRIVATE KEY-----
  MHcCAQEEIHUgIrJNc1hyxptBqaIXJhiJLC+sNx1e9PtWtybMMDjKoAoGCCqGSM49
  AwEHoUQDQgAENEaVGMojo1bTG/IR6W+grIx/hY97Mxp4OalFU3x/KxXX4ud/mtJL
  oCBc51fzxeYF1CYg2Ch+d3BgrKLFHHEJfw==
  -----END EC PRIVATE KEY-----
  """,
  tmp_dir: Path.expand("../tmp/dev", __DIR__),
  local_store_dir:
    System.get_env("HEXPM_LOCAL_STORE_DIR") || Path.join(System.tmp_dir!(), "hexpm-dev/store"),
  private_key: Path.expand("../test/fixtures/private.pem", __DIR__) |> File.read!(),
  docs_url: "http://localhost:4002",
  private_docs_url: "http://localhost:4002",
  cdn_url: "http://localhost:4000",
  img_url: "http://localhost:4000/img",
  img_proxy_secret: "dev_img_proxy_secret_key_for_hmac",
  readme_host: "readme.localhost",
  readme_url: "http://readme.localhost:4000",
  billing_url: "http://localhost:4001",
  billing_key: "hex_billing_key",
  dashboard_user: "hex_user",
  dashboard_password: "hex_password",
  geo_local_lookups: %{
    "127.0.0.1" => %{iso_code: "US", name: "United States"},
    "::1" => %{iso_code: "US", name: "United States"},
    "8.8.8.8" => %{iso_code: "US", name: "United States"},
    "91.198.174.192" => %{iso_code: "NL", name: "Netherlands"},
    "195.135.220.3" => %{iso_code: "DE", name: "Germany"},
    "158.69.27.27" => %{iso_code: "CA", name: "Canada"},
    "203.0.113.42" => %{iso_code: "JP", name: "Japan"},
    "198.51.100.10" => %{iso_code: "BR", name: "Brazil"},
    "192.0.2.5" => %{iso_code: "GB", name: "United Kingdom"},
    "13.228.0.1" => %{iso_code: "SG", name: "Singapore"}
  }

config :hexpm, HexpmWeb.Endpoint,
  http: [port: 4000],
  debug_errors: debug_errors,
  code_reloader: true,
  cache_static_lookup: false,
  check_origin: false,
  pubsub_server: Hexpm.PubSub,
  secret_key_base: "38K8orQfRHMC6ZWXIdgItQEiumeY+L2Ls0fvYfTMt4AoG5+DSFsLG6vMajNcd5Td",
  live_view: [signing_salt: "2UTSB72sZsF9KTlxefkIrFFPXTO7d+Ep"],
  watchers: [
    esbuild: {Esbuild, :install_and_run, [:hexpm, ~w(--sourcemap=inline --watch)]},
    tailwind: {Tailwind, :install_and_run, [:default, ~w(--watch)]}
  ]

config :hexpm, HexpmWeb.Endpoint,
  live_reload: [
    patterns: [
      ~r{priv/static/.*(js|css|png|jpeg|jpg|gif|svg)$},
      ~r{lib/hexpm_web/views/.*(ex)$},
      ~r{lib/hexpm_web/templates/.*(eex|md)$}
    ]
  ]

config :phoenix_live_view,
  debug_heex_annotations: true,
  debug_attributes: true

config :logger, level: log_level
config :logger, :default_formatter, format: "[$level] $message\n"

config :phoenix, :stacktrace_depth, 20

config :phoenix, :plug_init_mode, :runtime

config :hexpm, Hexpm.RepoBase,
  username: "postgres",
  password: "postgres",
  database: "hexpm_dev",
  hostname: "localhost",
  pool_size: 5

config :hexpm, Hexpm.Emails.Mailer, adapter: Swoosh.Adapters.Local

config :hexpm, Oban, plugins: []

config :hexpm, metrics_port: 9568

