"""The health checks devenv runs itself while it waits: which are due, how many at once."""

from __future__ import annotations

from devenv.engine.probes import HealthProbes


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Checks:
    """The checks started, held until the test lets them finish."""

    def __init__(self, results: dict[str, bool | Exception]) -> None:
        self.results = results
        self.started: list[str] = []
        self.held: list = []

    def check(self, cid: str, healthcheck: str) -> bool:
        assert healthcheck == f"hc-{cid}"  # each container's own healthcheck reaches its check
        self.started.append(cid)
        result = self.results[cid]
        if isinstance(result, Exception):
            raise result
        return result

    def spawn(self, work) -> None:
        self.held.append(work)

    def finish(self) -> None:
        held, self.held = self.held, []
        for work in held:
            work()


def probes(results, **kwargs):
    clock, checks = Clock(), Checks(results)
    return HealthProbes(checks.check, clock=clock, spawn=checks.spawn, **kwargs), clock, checks


def waiting(*cids: str) -> dict[str, str]:
    return {cid: f"hc-{cid}" for cid in cids}


def test_a_container_that_passes_its_check_is_reported_from_then_on():
    p, _clock, checks = probes({"a": True, "b": False}, at_once=5)
    assert p.passed(waiting("a", "b")) == set()  # started, not finished
    checks.finish()
    assert checks.started == ["a", "b"]
    assert p.passed(waiting("a", "b")) == {"a"}
    assert p.passed(waiting("b")) == set()  # only among those asked about


def test_one_check_in_flight_per_container_and_none_before_its_period():
    p, clock, checks = probes({"a": False}, every=0.25)
    p.passed(waiting("a"))
    clock.now += 1
    p.passed(waiting("a"))  # still running, though due again: not started twice
    assert len(checks.held) == 1
    checks.finish()
    p.passed(waiting("a"))  # due since the first one began: started again
    checks.finish()
    clock.now += 0.2
    p.passed(waiting("a"))
    assert checks.held == []  # finished, but not due yet
    clock.now += 0.05
    p.passed(waiting("a"))
    assert len(checks.held) == 1


def test_no_more_than_at_once_checks_run_on_the_engine():
    p, clock, checks = probes({c: False for c in "abcde"}, at_once=2)
    p.passed(waiting(*"abcde"))
    assert len(checks.held) == 2
    clock.now += 10
    p.passed(waiting(*"abcde"))
    assert len(checks.held) == 2  # both still in flight
    checks.finish()
    p.passed(waiting(*"abcde"))  # a and b are due again, but c and d were never checked
    checks.finish()
    clock.now += 10
    p.passed(waiting(*"abcde"))
    checks.finish()
    assert checks.started == ["a", "b", "c", "d", "e", "a"]  # never checked first, then the oldest


def test_a_check_that_cannot_run_is_no_pass_and_is_tried_again():
    p, clock, checks = probes({"a": RuntimeError("container gone")})
    p.passed(waiting("a"))
    checks.finish()
    assert p.passed(waiting("a")) == set()
    clock.now += 1
    checks.results["a"] = True
    p.passed(waiting("a"))
    checks.finish()
    assert p.passed(waiting("a")) == {"a"}


def test_a_container_started_again_must_pass_again_even_a_check_begun_before():
    p, _clock, checks = probes({"a": True})
    p.passed(waiting("a"))
    checks.finish()
    assert p.passed(waiting("a")) == {"a"}
    p.forget("a")  # restarted: starting again
    assert p.passed(waiting("a")) == set()  # and a new check is due at once
    p.forget("a")  # restarted while that check runs: its pass is of the run before
    checks.finish()
    assert p.passed(waiting("a")) == set()
    checks.finish()
    assert p.passed(waiting("a")) == {"a"}
