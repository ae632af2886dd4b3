package main

import "github.com/dhax/go-base/cmd"

func main() {
	cmd.Execute()
}
