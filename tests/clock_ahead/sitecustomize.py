"""Loaded by every Python process of a test run under libfaketime (tests/conftest.py puts this
folder on PYTHONPATH): Python's `time.sleep` waits on an absolute monotonic deadline through
`clock_nanosleep`, which libfaketime 0.9.10 rejects with EINVAL once its monotonic clock is
left real. A timed wait on an event sleeps the same time through a path it leaves alone."""

from __future__ import annotations

import os
import threading
import time

if "faketime" in os.environ.get("LD_PRELOAD", "") and os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC") == "1":
    _never_set = threading.Event()

    def _sleep(seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        _never_set.wait(seconds)

    time.sleep = _sleep
