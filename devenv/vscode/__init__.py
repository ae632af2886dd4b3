"""VS Code integration: tasks, settings and JSONC-preserving merges."""
