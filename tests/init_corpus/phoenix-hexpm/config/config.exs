config :hexpm,
config :hexpm, secret_scan_notify: false
config :hexpm, HexpmWeb.BasicAuth, schedule_enabled: true
config :hexpm, :organization_sso,
config :hexpm, :varsel_impl, Hexpm.PackageReports.Varsel.Client
config :hexpm, :varsel,
config :hexpm, ecto_repos: [Hexpm.RepoBase]
config :hexpm, Oban,
config :hexpm, registry_lock_wait: 60_000
config :hexpm,
config :hexpm, Hexpm.PromEx,
config :ex_aws,
config :sentry,
config :postgrex, :json_library, JSON
config :bcrypt_elixir, log_rounds: 4
config :hexpm, HexpmWeb.Endpoint,
  url: [host: "localhost"],
config :hexpm, Hexpm.RepoBase,
config :swoosh, :api_client, Swoosh.ApiClient.Finch
config :swoosh, :finch_name, Hexpm.Finch
config :swoosh, :json_library, JSON
config :hexpm, Hexpm.Emails.Mailer, adapter: Swoosh.Adapters.Sendgrid
config :phoenix, :template_engines, md: HexpmWeb.MarkdownEngine
config :phoenix, stacktrace_depth: 20
config :phoenix, :generators,
config :phoenix, :format_encoders,
  elixir: HexpmWeb.ElixirFormat,
config :phoenix, :json_library, JSON
config :mime,
config :logger, :default_formatter, format: "[$level] $metadata$message\n"
config :esbuild,
config :tailwind,
config :ueberauth, Ueberauth,
  providers: [
config :mdex_native, syntax_highlighter: :lumis
import_config "#{Mix.env()}.exs"
