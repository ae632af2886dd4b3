"""The shared HTTP router: every routed service answers at <service>.<project>.localhost over
HTTP and HTTPS (Caddy, its internal CA), on one container per engine. `routes` is pure (engine
rows in, Caddy's JSON config out); `manager` runs the router through the engine; `trust`
installs the local CA's root certificate where browsers look for it."""
