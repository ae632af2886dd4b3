module github.com/ThreeDotsLabs/wild-workouts-go-ddd-example/internal/common

go 1.18

require (
	cloud.google.com/go v0.75.0
	firebase.google.com/go/v4 v4.7.1
	github.com/deepmap/oapi-codegen v1.9.0
	github.com/dgrijalva/jwt-go v3.2.0+incompatible
	github.com/go-chi/chi/v5 v5.0.5
	github.com/go-chi/cors v1.0.1
	github.com/go-chi/render v1.0.1
