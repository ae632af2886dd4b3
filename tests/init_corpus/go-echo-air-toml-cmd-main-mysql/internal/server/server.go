package server

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/yoshitaka-motomura/learn-golang-echo/internal/logging"
	"github.com/yoshitaka-motomura/learn-golang-echo/internal/routes"
)

func NewServer(logger *slog.Logger, enableAccessLog bool) *Server {
    e := echo.New()
}

// Start runs the Echo server on the specified port
func (s *Server) Start(port string) error {
    return s.Echo.Start(port)
}
