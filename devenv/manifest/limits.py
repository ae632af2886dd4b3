"""The longest (and shortest) times devenv accepts, in seconds, in the manifest and on the command
line. Their own module, free of pydantic, so the CLI's options and the reading of a container's
labels check against the same numbers without the model's start-up cost."""

from __future__ import annotations

MAX_DURATION = 86400.0  # no wait in devenv needs more than a day; the engine's int64 nanoseconds overflow far beyond
MAX_STOP_TIMEOUT = 3600.0  # `down` waits this long at most on a service that ignores SIGTERM
MIN_HEALTH_TIME = 0.001  # the engine refuses a healthcheck time under 1ms (0 means its default)
MAX_RETRIES = 1_000_000  # the engine stores retries in an int64; a million is already forever
