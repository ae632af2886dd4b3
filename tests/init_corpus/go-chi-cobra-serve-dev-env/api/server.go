package api

import (
	"net/http"
	"strings"

	"github.com/spf13/viper"
)

func NewServer() (*Server, error) {
	var addr string
	port := viper.GetString("port")

	if strings.Contains(port, ":") {
		addr = port
	} else {
		addr = ":" + port
	}

	srv := http.Server{
		Addr:    addr,
		Handler: api,
	}
}
