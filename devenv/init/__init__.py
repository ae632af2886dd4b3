"""`devenv init`: read a project's marker files, detect its stacks, render recipes into a manifest."""
