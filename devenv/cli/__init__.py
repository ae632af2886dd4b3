"""The command line: click wrappers (main) and one module per command (commands/)."""
