"""The pure parts of `devenv logs` and of the attach pump: --since/--tail parsing, timestamps,
prefixes, and splitting the engine's multiplexed stream."""

from __future__ import annotations

import struct
from types import SimpleNamespace

import pytest

from devenv.cli.commands.logs import Prefixes, parse_since, parse_tail, split_timestamp
from devenv.engine.attach import STDERR, STDOUT, Demuxer
from devenv.errors import UsageError


def test_since_accepts_durations_unix_times_and_iso_dates():
    now = 1_000_000.0
    assert parse_since("10m", now) == now - 600
    assert parse_since("1h30m", now) == now - 5400
    assert parse_since("1.5s", now) == now - 1.5
    assert parse_since("2d", now) == now - 172800
    assert parse_since("1700000000", now) == 1700000000.0
    assert parse_since("2024-01-02T03:04:05+00:00", now) == 1704164645.0
    assert parse_since(None) is None
    with pytest.raises(UsageError):
        parse_since("yesterday")


def test_tail():
    assert parse_tail("all") == "all" and parse_tail("20") == 20
    with pytest.raises(UsageError):
        parse_tail("-1")


def test_split_timestamp_orders_by_nanoseconds():
    a = split_timestamp("2024-01-02T03:04:05.5Z x")
    b = split_timestamp("2024-01-02T03:04:05.123456789Z y")
    assert a[2] == "x" and b[1] == "2024-01-02T03:04:05.123456789Z"
    assert b[0] < a[0]  # .123456789 is earlier than .5, whatever the digits' count
    assert split_timestamp("no timestamp here") == (0, "", "no timestamp here")


def test_prefixes_are_aligned_and_name_replicas_of_scaled_services():
    services = {"db": SimpleNamespace(scale=1), "web": SimpleNamespace(scale=2)}
    project = SimpleNamespace(manifest=SimpleNamespace(services=services))
    observed = [SimpleNamespace(service="web", replica=2), SimpleNamespace(service="db", replica=1)]
    prefixes = Prefixes.for_project(project, ["db", "web"], observed)
    assert prefixes.line("db", 1, "ready") == "db    | ready"
    assert prefixes.line("web", 2, "GET /") == "web-2 | GET /"
    assert Prefixes.for_project(project, ["db"], observed, enabled=False).line("db", 1, "x") == "x"


def frame(stream: int, data: bytes) -> bytes:
    return struct.pack(">BxxxL", stream, len(data)) + data


def test_demuxer_splits_frames_across_arbitrary_reads():
    stream = frame(1, b"out\n") + frame(2, b"err\n") + frame(1, b"x" * 70000)
    demux, chunks = Demuxer(), []
    for i in range(0, len(stream), 7):  # reads that cut headers and bodies anywhere
        chunks += demux.feed(stream[i:i + 7])
    assert chunks == [(STDOUT, b"out\n"), (STDERR, b"err\n"), (STDOUT, b"x" * 70000)]


def test_following_gives_up_with_the_engine_after_a_while_and_says_so_once(capsys):
    """`logs -f` while Docker restarts waits for it; an engine that stays away ends the follow
    with exit 3 (EngineUnavailable), not a warning twice a second forever."""
    from devenv.cli.commands.logs import ENGINE_PATIENCE, Follower
    from devenv.errors import EngineUnavailable

    answers: list = []

    def containers():
        if answers:
            return answers.pop()
        raise EngineUnavailable("cannot reach the Docker engine")

    prefixes = Prefixes(3, {"web": "cyan"}, frozenset())
    follower = Follower(SimpleNamespace(), containers, prefixes, timestamps=False)  # type: ignore[arg-type]
    for _ in range(ENGINE_PATIENCE - 1):
        follower.poll()
    answers.append([])  # it came back in time: the count starts again
    follower.poll()
    for _ in range(ENGINE_PATIENCE - 1):
        follower.poll()
    with pytest.raises(EngineUnavailable):
        follower.poll()
    err = capsys.readouterr().err
    assert err.count("waiting up to 30s for it to come back") == 2 and err.count("the engine answers again") == 1


@pytest.mark.parametrize("text", ["nan", "inf", "-1", "1e400", "99999999999999999999", "-5s", "1x", "1e3"])
def test_since_refuses_what_is_no_moment_as_a_usage_error(text):
    # float() took nan, inf and -1, and the engine answered with Python's or Go's own words.
    with pytest.raises(UsageError, match="expected a duration"):
        parse_since(text, 1_000_000.0)


def test_since_at_or_before_1970_means_every_line():
    assert parse_since("0", 1_000_000.0) is None
    assert parse_since("20d", 1_000_000.0) is None  # 20 days before a moment 11.6 days after 1970
    assert parse_since("1969-12-31T00:00:00+00:00", 1_000_000.0) is None
