"""Which requests a route's `paths` take, as the router matches them: `/api`, `/api/` and `/api//`
are one prefix (`/api*`), and `/` (or no paths at all) is the whole host. Two routes on one host
clash when they take the same prefix: the router would answer it with one of them, silently."""

from __future__ import annotations

from collections.abc import Iterable


def prefixes(paths: Iterable[str]) -> frozenset[str]:
    """The route's prefixes as the router matches them; "" is the whole host."""
    return frozenset(p.rstrip("/") for p in paths) or frozenset({""})


def same_requests(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether two routes on one host would take some of the same requests by the same prefix."""
    return bool(prefixes(a) & prefixes(b))
