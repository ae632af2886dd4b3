package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"log"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"myapp/config"
)

const (
	dialect     = "pgx"
	fmtDBString = "host=%s user=%s password=%s dbname=%s port=%d sslmode=disable"
)

var (
	flags = flag.NewFlagSet("migrate", flag.ExitOnError)

	//go:embed migrations/*.sql
	embedMigrations embed.FS
)

func main() {
	flags.Parse(os.Args[1:])

	args := flags.Args()

	command := args[0]

	c := config.NewDB()
	dbString := fmt.Sprintf(fmtDBString, c.Host, c.Username, c.Password, c.DBName, c.Port)

	db, err := goose.OpenDBWithDriver(dialect, dbString)

	goose.SetBaseFS(embedMigrations)

	if err := goose.RunContext(context.Background(), command, db, "migrations", args[1:]...); err != nil {
		log.Fatalf("migrate %v: %v", command, err)
	}
}
