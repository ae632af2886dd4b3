package migrations

import (
	"github.com/dhax/go-base/database"
	"github.com/uptrace/bun/migrate"
)

// Migrate runs all migrations
func Migrate() {
	db, err := database.DBConn()
	migrator := migrate.NewMigrator(db, Migrations)
	group, err := migrator.Migrate(context.Background())
}
