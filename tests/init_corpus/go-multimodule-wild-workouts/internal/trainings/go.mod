module github.com/ThreeDotsLabs/wild-workouts-go-ddd-example/internal/trainings

go 1.18

require (
	cloud.google.com/go/firestore v1.5.0
	github.com/ThreeDotsLabs/wild-workouts-go-ddd-example/internal/common v0.0.0-00010101000000-000000000000
	github.com/deepmap/oapi-codegen v1.9.0
	github.com/go-chi/chi/v5 v5.0.5
	github.com/go-chi/render v1.0.1
	github.com/google/go-cmp v0.5.5
	github.com/google/uuid v1.1.2
