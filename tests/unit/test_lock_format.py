"""Property tests of devenv.lock's file format: any lock round-trips, and the text does not
depend on the order services were added in (so the committed file is stable)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from devenv.lock.file import BuildPin, Entry, Lock, Pin, parse_lock

names = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,8}", fullmatch=True)
hexes = st.text("0123456789abcdef", min_size=64, max_size=64)
refs = st.from_regex(r"(localhost:5000/)?[a-z]{1,6}(/[a-z]{1,6})?:[a-z0-9.]{1,5}", fullmatch=True)


@st.composite
def pins(draw) -> Pin:
    image, digest = draw(refs), "sha256:" + draw(hexes)
    source = draw(st.sampled_from(["registry", "local", "manifest"]))
    if source == "local":
        return Pin(image, digest, "local")
    return Pin(image, f"{image.rsplit(':', 1)[0]}@{digest}", source, digest)


entries = st.one_of(
    pins().map(lambda p: Entry(image=p)),
    st.builds(lambda ctx, h, bases: Entry(build=BuildPin(ctx, "Dockerfile", h, tuple(bases))),
              st.sampled_from([".", "web", "./api"]), hexes, st.lists(pins(), max_size=3)))
locks = st.builds(lambda services, h: Lock(services, "sha256:" + h, "0.1.0"),
                  st.dictionaries(names, entries, max_size=6), hexes)


@settings(max_examples=60, deadline=None)
@given(locks)
def test_any_lock_round_trips_through_its_text(lock):
    text = lock.to_toml()
    assert parse_lock(text) == lock
    assert parse_lock(text).to_toml() == text


@settings(max_examples=40, deadline=None)
@given(locks)
def test_text_is_independent_of_service_order(lock):
    reversed_lock = Lock(dict(reversed(list(lock.services.items()))), lock.manifest_hash, lock.devenv)
    assert reversed_lock.to_toml() == lock.to_toml()
