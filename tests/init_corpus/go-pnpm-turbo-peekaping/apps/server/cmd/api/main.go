package main
func main() {
	case "postgres", "postgresql", "mysql", "sqlite":
		panic(fmt.Errorf("unsupported DB_DRIVER %q", internalCfg.DBType))
		port := server.Cfg.Port
		if port == "" {
			port = "8084"
		if port[0] != ':' {
			port = ":" + port
			logger.Infof("Starting server on port %s", port)
			if err := server.Router.Run(port); err != nil {
