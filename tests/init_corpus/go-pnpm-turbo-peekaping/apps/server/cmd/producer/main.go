package main
func main() {
	case "postgres", "postgresql", "mysql", "sqlite":
		log.Fatalf("Unsupported DB_TYPE: %s", internalCfg.DBType)
