package main
func main() {
	serverType := strings.ToLower(os.Getenv("SERVER_TO_RUN"))
