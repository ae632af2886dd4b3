package main
func main() {
	app.Run(cfg)
