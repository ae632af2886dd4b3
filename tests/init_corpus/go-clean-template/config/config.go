		PoolMax int    `env:"PG_POOL_MAX,required"`
		Secret      string        `env:"JWT_SECRET,required"`
		OTLPEndpoint string  `env:"TRACING_OTLP_ENDPOINT" envDefault:"localhost:4317"`
