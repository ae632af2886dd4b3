config :school_house, SchoolHouseWeb.Endpoint,
  http: [port: 4000],
#       port: 4001,
config :school_house, SchoolHouseWeb.Endpoint,
config :logger, :console, format: "[$level] $message\n"
config :phoenix, :stacktrace_depth, 20
config :phoenix, :plug_init_mode, :runtime
