package config

import (
	"fmt"
	"log"
	"os"
	"reflect"

	"github.com/joho/godotenv"
	"gorm.io/gorm/logger"
)

func NewDatabaseConfig() DatabaseConfig {
	return DatabaseConfig{
		Port:     "3306",
		User:     "user",
		Password: "password",
		Name:     "todo_db",
		Driver:   "mysql",
		Host:     "localhost",
	}
}

func (db *DatabaseConfig) ApplyEnv() {
	envVars := []struct {
		envKey    string
		fieldName string
	}{
		{"APP_DB_PORT", "Port"},
		{"APP_DB_USER", "User"},
		{"APP_DB_PASSWORD", "Password"},
		{"APP_DB_NAME", "Name"},
		{"DATABASE_DRIVER", "Driver"},
		{"APP_DB_HOST", "Host"},
	}
}

func LoadConfig() Config {
	if err := godotenv.Load(); err != nil {
		log.Println("No .env file found, loading from environment variables")
	}

	port := os.Getenv("APP_PORT")
	if port == "" {
		port = "1323" // デフォルトのポート番号
	}

	env := os.Getenv("APP_ENV")
}
