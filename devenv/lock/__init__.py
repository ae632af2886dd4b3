"""devenv.lock: the pinned images (file format) and resolving tags to digests (pins)."""
