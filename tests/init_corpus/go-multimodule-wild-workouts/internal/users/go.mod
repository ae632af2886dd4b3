module github.com/ThreeDotsLabs/wild-workouts-go-ddd-example/internal/users

go 1.18

require (
	cloud.google.com/go/firestore v1.5.0
	firebase.google.com/go/v4 v4.7.1
	github.com/ThreeDotsLabs/wild-workouts-go-ddd-example/internal/common v0.0.0-00010101000000-000000000000
	github.com/go-chi/chi/v5 v5.0.5
	github.com/go-chi/render v1.0.1
	github.com/golang/protobuf v1.5.2
	github.com/pkg/errors v0.9.1
