package cmd

import (
	"github.com/spf13/cobra"

	"github.com/dhax/go-base/database/migrations"
)

var migrateCmd = &cobra.Command{
	Use:   "migrate",
	Short: "use bun migration tool",
	Run: func(cmd *cobra.Command, args []string) {
		migrations.Migrate()
	},
}

func init() {
	RootCmd.AddCommand(migrateCmd)
}
