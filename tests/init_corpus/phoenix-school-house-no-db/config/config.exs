config :school_house,
config :school_house, SchoolHouseWeb.Endpoint,
  url: [host: "localhost"],
config :logger, :console,
config :phoenix, :json_library, Jason
config :school_house, SchoolHouseWeb.Gettext,
config :esbuild,
import_config "#{Mix.env()}.exs"
