"""Export the manifest for other tools: Compose, Kubernetes, and swarm deploys."""
