package env

type config struct {
	Port                        string `env:"PORT,default=3000"`
	JWTSecret                   string `env:"JWT_SECRET,required"`
	Database struct {
		URL          string `env:"DATABASE_URL,required"`
		MaxIdleConns int    `env:"DATABASE_MAX_IDLE_CONNS,default=2,strict"`
		MaxOpenConns int    `env:"DATABASE_MAX_OPEN_CONNS,default=4,strict"`
}
