"""The imperative shell that applies a plan through the engine: images, containers, health gates, down."""
