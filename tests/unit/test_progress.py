"""Pull and build progress: the bookkeeping of the engine's streams, one bar per image on a
terminal (several pulls at once share one display), plain lines when the output is piped."""

from __future__ import annotations

import io
import threading

import pytest
from rich.console import Console

from devenv import ui
from devenv.progress import BuildTally, PullTally, human_bytes

# The shape of `docker pull`'s JSON stream (Docker Engine API, /images/create): one layer the
# engine has, two it downloads.
A, B, C = "1111aaaa2222", "3333bbbb4444", "5555cccc6666"
PULL = [
    {"status": "Pulling from library/postgres", "id": "16"},
    {"status": "Already exists", "progressDetail": {}, "id": A},
    {"status": "Pulling fs layer", "progressDetail": {}, "id": B},
    {"status": "Pulling fs layer", "progressDetail": {}, "id": C},
    {"status": "Downloading", "progressDetail": {"current": 500_000, "total": 2_000_000}, "id": B},
    {"status": "Downloading", "progressDetail": {"current": 100_000, "total": 1_000_000}, "id": C},
    {"status": "Downloading", "progressDetail": {"current": 2_000_000, "total": 2_000_000}, "id": B},
    {"status": "Verifying Checksum", "progressDetail": {}, "id": B},
    {"status": "Download complete", "progressDetail": {}, "id": B},
    {"status": "Extracting", "progressDetail": {"current": 32768, "total": 2_000_000}, "id": B},
    {"status": "Pull complete", "progressDetail": {}, "id": B},
    {"status": "Download complete", "progressDetail": {}, "id": C},
    {"status": "Pull complete", "progressDetail": {}, "id": C},
    {"status": "Digest: sha256:" + "f" * 64},
    {"status": "Status: Downloaded newer image for postgres:16"},
]


def test_a_pull_is_counted_in_layers_and_bytes():
    tally = PullTally()
    finished = [tally.feed(event) for event in PULL[:5]]
    assert finished == [None, "Already exists", None, None, None]
    assert tally.layers == [A, B, C] and tally.bytes_done == 500_000
    assert tally.bytes_total is None  # C has not said its size yet
    tally.feed(PULL[5])
    assert (tally.bytes_done, tally.bytes_total) == (600_000, 3_000_000)
    assert tally.summary() == "1/3 layers (1 already here), 600.0 kB"
    finished = [tally.feed(event) for event in PULL[6:]]
    assert finished.count("Pull complete") == 2
    assert (tally.bytes_done, tally.bytes_total) == (3_000_000, 3_000_000)  # extracting counts no bytes twice
    assert tally.summary() == "3/3 layers (1 already here), 3.0 MB"


def test_a_layer_finishes_once_and_tag_events_are_no_layer():
    tally = PullTally()
    assert tally.feed({"status": "Pull complete", "id": B}) == "Pull complete"
    assert tally.feed({"status": "Pull complete", "id": B}) is None
    assert tally.feed({"status": "Pulling from x", "id": "latest"}) is None
    assert tally.layers == [B] and tally.summary() == "1/1 layers"


def test_a_build_is_counted_in_steps():
    tally = BuildTally()
    assert tally.summary() == "starting"
    assert not tally.feed(" ---> Running in 0123")
    assert tally.feed("Step 2/5 : RUN pip install -r requirements.txt\n")
    assert (tally.step, tally.steps) == (2, 5)
    assert tally.summary() == "step 2/5: RUN pip install -r requirements.txt"


@pytest.mark.parametrize(("count", "text"), [(999, "999 B"), (1000, "1.0 kB"), (1_250_000, "1.2 MB"),
                                             (3_400_000_000, "3.4 GB"), (5_000_000_000_000, "5000.0 GB")])
def test_human_bytes(count, text):
    assert human_bytes(count) == text


@pytest.fixture
def terminal(monkeypatch):
    """Bars on: a console that renders as a terminal into a buffer."""
    buffer = io.StringIO()
    monkeypatch.setattr(ui, "settings", ui.Settings())
    monkeypatch.setattr(ui, "bars_shown", lambda: True)
    monkeypatch.setattr(ui, "board", ui.ProgressBoard(Console(file=buffer, force_terminal=True, width=120)))
    return buffer


def test_parallel_pulls_share_one_display_with_a_bar_each(terminal, capsys):
    """rich allows one live display at a time: two images pulling at once must not each start one."""
    both_open = threading.Barrier(2)
    errors: list[BaseException] = []

    def pull(label: str, layer: str) -> None:
        try:
            with ui.reporter.pull_progress(label) as progress:
                both_open.wait(timeout=10)
                progress({"status": "Downloading", "progressDetail": {"current": 5, "total": 10}, "id": layer})
                progress({"status": "Pull complete", "id": layer})
        except BaseException as exc:  # the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=pull, args=(label, layer)) for label, layer in (("db pull", B), ("web pull", C))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert errors == []
    shown = terminal.getvalue()
    assert "db pull" in shown and "web pull" in shown and "1/1 layers" in shown
    # A line written while a bar shows goes through rich, above the bars (the same stderr).
    lines = capsys.readouterr().err + shown
    assert f"layer {B}" not in lines and f"layer {C}" not in lines  # no per-layer lines on a terminal
    assert "db pull  done: 1/1 layers, 10 B" in lines and "web pull  done: 1/1 layers, 10 B" in lines
    assert ui.board._progress is None  # the display stopped with the last bar


def test_a_build_bar_shows_its_step(terminal):
    with ui.reporter.build_progress("api build") as on_line:
        on_line("Step 1/3 : FROM python:3.12-slim")
        on_line("Step 2/3 : COPY . /app")
        ui.board._progress.refresh()  # draw now, not on rich's next tick
        assert "api build" in terminal.getvalue() and "step 2/3: COPY . /app" in terminal.getvalue()
    assert ui.board._progress is None


def test_piped_output_is_a_line_per_finished_layer_and_a_last_line(monkeypatch, capsys):
    monkeypatch.setattr(ui, "settings", ui.Settings())
    monkeypatch.setattr(ui, "bars_shown", lambda: False)
    with ui.reporter.pull_progress("db pull") as progress:
        for event in PULL:
            progress(event)
    assert capsys.readouterr().err.splitlines() == [
        f"db pull  layer {A}: already exists", f"db pull  layer {B}: pull complete",
        f"db pull  layer {C}: pull complete", "db pull  done: 3/3 layers (1 already here), 3.0 MB"]


def test_quiet_shows_neither_bars_nor_lines(monkeypatch, capsys):
    monkeypatch.setattr(ui, "settings", ui.Settings(quiet=True))
    assert not ui.bars_shown()
    with ui.reporter.pull_progress("db pull") as progress:
        for event in PULL:
            progress(event)
    assert capsys.readouterr().err == ""


def test_summaries_count_in_the_singular_and_the_plural():
    from devenv import ui

    assert [ui.count(n, "service") for n in (0, 1, 2)] == ["0 services", "1 service", "2 services"]
