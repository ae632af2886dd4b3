package cmd

import (
	"github.com/go-chi/docgen"
	"github.com/spf13/cobra"
)

var gendocCmd = &cobra.Command{
	Use:   "gendoc",
	Short: "Generate project documentation",
}
