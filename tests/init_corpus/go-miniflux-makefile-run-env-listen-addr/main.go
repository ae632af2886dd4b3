package main // import "miniflux.app/v2"

import (
	"miniflux.app/v2/internal/cli"
)

func main() {
	cli.Parse()
}
