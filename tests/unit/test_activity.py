"""Heartbeat → span merging rules (hourproof.core.activity)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hourproof.core.activity import (
    DEFAULT_HEARTBEAT_INTERVAL,
    DEFAULT_PULSE,
    ActivitySpan,
    HeartbeatMerger,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_defaults_are_three_minute_pulse_and_two_minute_heartbeats() -> None:
    merger = HeartbeatMerger()
    assert merger.pulse == DEFAULT_PULSE == timedelta(minutes=3)
    assert merger.heartbeat_interval == DEFAULT_HEARTBEAT_INTERVAL == timedelta(minutes=2)


def test_beats_closer_than_pulse_merge_into_one_span() -> None:
    merger = HeartbeatMerger()
    assert merger.beat("a.py", at(0)) == []
    assert merger.beat("b.py", at(179)) == []
    [span] = merger.flush()
    assert (span.start, span.end) == (at(0), at(179))
    assert span.files == ("a.py", "b.py")


def test_gap_of_exactly_pulse_splits_spans() -> None:
    merger = HeartbeatMerger()
    merger.beat("a.py", at(0))
    merger.beat("a.py", at(10))
    closed = merger.beat("b.py", at(10 + 180))
    assert closed == [ActivitySpan(at(0), at(10), ("a.py",), 1)]
    [second] = merger.flush()
    assert (second.start, second.end, second.files) == (at(190), at(190), ("b.py",))


def test_write_within_heartbeat_interval_extends_span_without_new_event() -> None:
    merger = HeartbeatMerger()
    merger.beat("a.py", at(0))
    merger.beat("a.py", at(60))
    merger.beat("a.py", at(119))
    [span] = merger.flush()
    assert span.events == 1
    assert span.end == at(119)


def test_rate_limit_counts_from_last_recorded_heartbeat_not_last_write() -> None:
    merger = HeartbeatMerger()
    for second in (0, 60, 119, 120, 200):
        merger.beat("a.py", at(second))
    [span] = merger.flush()
    assert span.events == 2  # at 0 and at 120; 200 is only 80 s after 120


def test_rate_limit_is_per_file() -> None:
    merger = HeartbeatMerger()
    merger.beat("a.py", at(0))
    merger.beat("b.py", at(1))
    merger.beat("a.py", at(2))
    [span] = merger.flush()
    assert span.events == 2


def test_tick_closes_span_once_pulse_has_passed_since_last_write() -> None:
    merger = HeartbeatMerger()
    merger.beat("a.py", at(0))
    assert merger.tick(at(179)) == []
    [span] = merger.tick(at(180))
    assert span.end == at(0)
    assert merger.current() is None


def test_tick_with_nothing_open_returns_nothing() -> None:
    assert HeartbeatMerger().tick(at(0)) == []


def test_flush_closes_the_open_span_and_leaves_nothing_open() -> None:
    merger = HeartbeatMerger()
    merger.beat("a.py", at(0))
    assert len(merger.flush()) == 1
    assert merger.flush() == []


def test_current_shows_open_span_without_closing_it() -> None:
    merger = HeartbeatMerger()
    merger.beat("a.py", at(0))
    assert merger.current() == ActivitySpan(at(0), at(0), ("a.py",), 1)
    assert len(merger.flush()) == 1


def test_late_event_within_pulse_merges_without_moving_end() -> None:
    merger = HeartbeatMerger()
    merger.beat("a.py", at(100))
    merger.beat("b.py", at(40))
    [span] = merger.flush()
    assert (span.start, span.end) == (at(40), at(100))


def test_clock_step_back_beyond_pulse_starts_a_new_span() -> None:
    merger = HeartbeatMerger()
    merger.beat("a.py", at(1000))
    closed = merger.beat("b.py", at(0))
    assert [s.start for s in closed] == [at(1000)]
    [span] = merger.flush()
    assert span.start == span.end == at(0)


def test_new_span_counts_first_write_of_a_file_again() -> None:
    merger = HeartbeatMerger(pulse=timedelta(seconds=30))
    merger.beat("a.py", at(0))
    merger.beat("a.py", at(40))
    [second] = merger.flush()
    assert second.events == 1


def test_sha256_is_kept_per_listed_file() -> None:
    merger = HeartbeatMerger()
    merger.beat("a.py", at(0), sha256="11" * 32)
    merger.beat("a.py", at(1), sha256="22" * 32)
    [span] = merger.flush()
    assert span.content_sha256 == {"a.py": "22" * 32}


def test_files_beyond_listing_cap_are_counted_not_listed() -> None:
    merger = HeartbeatMerger(max_listed_files=3, max_counted_files=10)
    for i in range(7):
        merger.beat(f"f{i}.c", at(i))
    [span] = merger.flush()
    assert span.files == ("f0.c", "f1.c", "f2.c")
    assert span.more_files == 4
    assert span.file_count == 7
    assert span.events == 7


def test_unlisted_files_are_rate_limited_too() -> None:
    merger = HeartbeatMerger(max_listed_files=1, max_counted_files=10)
    merger.beat("a.c", at(0))
    merger.beat("b.c", at(1))
    merger.beat("b.c", at(2))
    [span] = merger.flush()
    assert span.events == 2


def test_state_stays_bounded_past_the_counting_cap() -> None:
    merger = HeartbeatMerger(max_listed_files=2, max_counted_files=5)
    for i in range(10_000):
        merger.beat(f"gen/{i}.o", at(i / 1000))
    [span] = merger.flush()
    assert len(span.files) == 2
    assert span.file_count == 5  # a lower bound once past the cap
    assert span.events == 6  # five counted files plus one shared slot for the rest


def test_span_seconds_are_floored() -> None:
    span = ActivitySpan(at(0), at(90.9), ("a",), 1)
    assert span.seconds == 90


def test_naive_times_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        HeartbeatMerger().beat("a.py", datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("pulse", "interval"),
    [(timedelta(0), timedelta(minutes=2)), (timedelta(minutes=3), timedelta(seconds=-1))],
)
def test_nonsense_settings_are_rejected(pulse: timedelta, interval: timedelta) -> None:
    with pytest.raises(ValueError):
        HeartbeatMerger(pulse, interval)
