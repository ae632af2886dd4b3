package main

import (
	"context"
	"fmt"
	"os"

	"github.com/krzysztofreczek/go-structurizr/pkg/scraper"
	"github.com/krzysztofreczek/go-structurizr/pkg/view"

	trainerService "github.com/ThreeDotsLabs/wild-workouts-go-ddd-example/internal/trainer/service"
	trainingsService "github.com/ThreeDotsLabs/wild-workouts-go-ddd-example/internal/trainings/service"
)

const (
