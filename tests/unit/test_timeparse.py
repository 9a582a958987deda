from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from hourproof.core.timeparse import (
    TimeParseError,
    format_duration,
    from_rfc3339,
    parse_date,
    parse_time,
    to_rfc3339,
)
from hourproof.core.totals import split_by_day

NOW = datetime(2026, 11, 23, 15, 30, 0, tzinfo=UTC)


@pytest.fixture
def berlin():
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_rfc3339_round_trip_is_utc_with_z():
    assert to_rfc3339(NOW) == "2026-11-23T15:30:00Z"
    assert from_rfc3339("2026-11-23T15:30:00Z") == NOW


def test_naive_datetimes_are_refused_for_storage():
    with pytest.raises(ValueError):
        to_rfc3339(datetime(2026, 1, 1))


@pytest.mark.parametrize("text", ["2026-11-23T15:30:00", "2026-11-23T15:30:00+01:00Z", "x"])
def test_from_rfc3339_rejects_non_utc_forms(text):
    with pytest.raises(TimeParseError):
        from_rfc3339(text)


def test_relative_times_count_back_from_now():
    assert parse_time("-15m", NOW) == NOW - timedelta(minutes=15)
    assert parse_time("-2h", NOW) == NOW - timedelta(hours=2)
    assert parse_time("-1h30m", NOW) == NOW - timedelta(minutes=90)


def test_iso_with_offset_is_converted_to_utc():
    assert parse_time("2026-11-23T10:00:00+02:00", NOW) == datetime(2026, 11, 23, 8, tzinfo=UTC)


def test_clock_time_is_today_local(berlin):
    assert parse_time("09:15", NOW) == datetime(2026, 11, 23, 8, 15, tzinfo=UTC)


def test_yesterday_clock_time(berlin):
    assert parse_time("yesterday 23:00", NOW) == datetime(2026, 11, 22, 22, 0, tzinfo=UTC)


def test_naive_iso_is_local_time_across_dst(berlin):
    # 2026-03-29 02:00 CET -> 03:00 CEST: 01:00 to 04:00 local is two real hours.
    start = parse_time("2026-03-29T01:00", NOW)
    end = parse_time("2026-03-29T04:00", NOW)
    assert (end - start) == timedelta(hours=2)


def test_day_split_across_dst_sums_to_real_duration(berlin):
    start = parse_time("2026-10-24T22:00", NOW)
    end = parse_time("2026-10-25T04:00", NOW)  # the night clocks go back: 7 real hours
    parts = split_by_day(start, end)
    assert sum(s for _, s in parts) == 7 * 3600
    assert [d.isoformat() for d, _ in parts] == ["2026-10-24", "2026-10-25"]


@pytest.mark.parametrize("text", ["", "25:00", "tomorrow 9", "yesterday 9", "-", "soon"])
def test_bad_times_raise_a_clear_error(text):
    with pytest.raises(TimeParseError):
        parse_time(text, NOW)


def test_dates():
    assert parse_date("2026-11-01").isoformat() == "2026-11-01"
    with pytest.raises(TimeParseError):
        parse_date("11/01/2026")


def test_duration_format():
    assert format_duration(0) == "0:00"
    assert format_duration(3600 * 27 + 60 * 5 + 59) == "27:05"


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1970, 1, 1, tzinfo=UTC),
        datetime(2026, 3, 1, 23, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2200, 12, 31, 1, 2, 3, tzinfo=timezone(timedelta(hours=14))),
    ],
)
def test_rfc3339_text_equals_the_strftime_form(moment):
    want = moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert to_rfc3339(moment) == want
