package main
	_ "github.com/go-sql-driver/mysql"
	mysqlRepo "github.com/bxcodec/go-clean-arch/internal/repository/mysql"
	defaultAddress = ":9090"
func main() {
	dbHost := os.Getenv("DATABASE_HOST")
	dbPort := os.Getenv("DATABASE_PORT")
	dbUser := os.Getenv("DATABASE_USER")
	dbPass := os.Getenv("DATABASE_PASS")
	dbName := os.Getenv("DATABASE_NAME")
	dbConn, err := sql.Open(`mysql`, dsn)
	timeoutStr := os.Getenv("CONTEXT_TIMEOUT")
	authorRepo := mysqlRepo.NewAuthorRepository(dbConn)
	articleRepo := mysqlRepo.NewArticleRepository(dbConn)
	address := os.Getenv("SERVER_ADDRESS")
	if address == "" {
		address = defaultAddress
	log.Fatal(e.Start(address)) //nolint
