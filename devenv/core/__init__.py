"""The functional core: container specs and their hashes, the plan, the dependency graph, globs
and the no-op fast path. Pure: no engine, no printing."""
