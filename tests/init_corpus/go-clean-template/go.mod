module github.com/evrone/go-clean-template

go 1.26

tool (
	github.com/daixiang0/gci
	github.com/golang-migrate/migrate/v4/cmd/migrate
	github.com/golangci/golangci-lint/v2/cmd/golangci-lint
	github.com/swaggo/swag/cmd/swag
	go.uber.org/mock/mockgen
	golang.org/x/vuln/cmd/govulncheck
	google.golang.org/grpc/cmd/protoc-gen-go-grpc
	google.golang.org/protobuf/cmd/protoc-gen-go
	mvdan.cc/gofumpt
)

require (
	github.com/Conight/go-googletrans v0.3.0
	github.com/Masterminds/squirrel v1.5.4
	github.com/ansrivas/fiberprometheus/v2 v2.17.0
	github.com/caarlos0/env/v11 v11.4.1
	github.com/exaring/otelpgx v0.11.1
	github.com/go-playground/validator/v10 v10.30.3
	github.com/goccy/go-json v0.10.6
	github.com/gofiber/contrib/otelfiber/v2 v2.2.3
	github.com/gofiber/fiber/v2 v2.52.14
	github.com/gofiber/swagger v1.1.1
	github.com/golang-jwt/jwt/v5 v5.3.1
	github.com/golang-migrate/migrate/v4 v4.19.1
	github.com/google/uuid v1.6.0
