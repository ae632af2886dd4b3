"""Source files package."""
