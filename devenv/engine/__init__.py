"""The only package that talks to the container engine (and the only one that imports docker)."""
