"""devenv.toml: find, read, interpolate and validate it into an immutable Project."""
