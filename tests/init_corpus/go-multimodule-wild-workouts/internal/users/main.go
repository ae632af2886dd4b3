package main
func main() {
	firestoreClient, err := firestore.NewClient(ctx, os.Getenv("GCP_PROJECT"))
	serverType := strings.ToLower(os.Getenv("SERVER_TO_RUN"))
