"""iCalendar: RFC 5545 unfolding, escaping, times in every form, and the writer."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hourproof.interop import ical
from hourproof.interop.records import ReadNotes, ReadOptions, Record, Skipped
from hourproof.interop.wallclock import WallClockError

DATA = Path(__file__).resolve().parents[1] / "data"


def events(opts: ReadOptions | None = None) -> tuple[list[Record], list[Skipped], list[str]]:
    notes = ReadNotes()
    items = list(ical.read_ics(DATA / "calendar.ics", opts or ReadOptions(zone=UTC), notes))
    return (
        [i for i in items if isinstance(i, Record)],
        [i for i in items if isinstance(i, Skipped)],
        notes.lines,
    )


def test_unfolding_joins_continuation_lines() -> None:
    lines = ["DESCRIPTION:abc\r\n", " def\r\n", "\tghi\r\n", "SUMMARY:x\r\n"]
    assert list(ical.unfold(iter(lines))) == [(1, "DESCRIPTION:abcdefghi"), (4, "SUMMARY:x")]


def test_quoted_parameter_values_may_hold_colons_and_semicolons() -> None:
    prop = ical.split_line('DTSTART;TZID="a:b;c";VALUE=DATE-TIME:20240101T090000', 1)
    assert prop.params == {"TZID": "a:b;c", "VALUE": "DATE-TIME"}
    assert prop.value == "20240101T090000"


def test_text_escapes() -> None:
    assert ical.unescape(r"a\, b\; c\\ d\nline") == "a, b; c\\ d\nline"
    assert ical.split_list(r"one,two\, three,four") == ["one", "two, three", "four"]


@pytest.mark.parametrize(
    ("text", "value"),
    [("PT15M", timedelta(minutes=15)), ("P1DT2H30M", timedelta(days=1, hours=2, minutes=30)),
     ("P2W", timedelta(weeks=2)), ("-PT1H", timedelta(hours=-1)), ("PT45S", timedelta(seconds=45))],
)  # fmt: skip
def test_durations(text: str, value: timedelta) -> None:
    assert ical.parse_duration(text) == value


@pytest.mark.parametrize("text", ["P", "PT", "1H", "P1H", "PT1.5H"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(WallClockError):
        ical.parse_duration(text)


def test_tzid_utc_floating_and_duration_events() -> None:
    records, _, notes = events(ReadOptions(zone=ZoneInfo("America/New_York"),
                                           zone_name="America/New_York"))  # fmt: skip
    by_row = {r.row: r for r in records}
    assert by_row[1].start == datetime(2024, 1, 15, 8, 0, tzinfo=UTC)  # TZID=Europe/Berlin
    assert by_row[2].end - by_row[2].start == timedelta(minutes=15)  # UTC + DURATION
    assert by_row[3].start == datetime(2024, 1, 20, 7, 0, tzinfo=UTC)  # Mozilla path TZID
    assert by_row[3].seconds == 26 * 3600 + 30 * 60
    assert by_row[5].start == datetime(2024, 1, 26, 19, 0, tzinfo=UTC)  # floating in --tz
    assert by_row[8].start == datetime(2024, 1, 31, 9, 0, tzinfo=UTC)  # X-LIC-LOCATION
    assert any("floating" in n and "America/New_York" in n for n in notes)


def test_event_fields_and_nested_alarm_does_not_lend_its_description() -> None:
    records, _, _ = events()
    first = records[0]
    assert first.project == "Website"
    assert first.note == "Header, footer and nav second line; done"
    assert first.tags == ("design", "review, round 2")
    long = next(r for r in records if r.project == "Migration")
    assert long.note and long.note.endswith("folded it across lines")


def test_skipped_events_say_why() -> None:
    _, skipped, _ = events()
    reasons = {s.row: s.reason for s in skipped}
    assert "all-day" in reasons[4]
    assert "recurring" in reasons[6]
    assert "cancelled" in reasons[7]
    assert "Mars/Olympus" in reasons[9]


def test_uid_is_the_key() -> None:
    records, _, _ = events()
    assert records[0].key == ical.fingerprint("ics", ["evt-1@example.com", ""])


def test_broken_structure_is_a_file_error() -> None:
    with pytest.raises(ical.IcsReadError, match="never closed"):
        ical.parse(io.StringIO("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"))
    with pytest.raises(ical.IcsReadError, match="does not close"):
        ical.parse(io.StringIO("BEGIN:VCALENDAR\r\nEND:VEVENT\r\n"))


def test_fold_keeps_lines_within_75_octets_and_utf8_whole() -> None:
    line = "DESCRIPTION:" + "äöü€" * 40
    folded = ical.fold(line)
    physical = folded.split("\r\n")[:-1]
    assert all(len(p.encode()) <= 75 for p in physical)
    assert list(ical.unfold(iter(p + "\r\n" for p in physical))) == [(1, line)]


def test_writer_round_trips_through_the_reader(tmp_path: Path) -> None:
    start = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    ev = ical.Event(uid="abc@hourproof", project="Web, site", start=start,
                    end=start + timedelta(hours=27), client="Acme; Co", task="T",
                    tags=("a,b", "c"), note="line one\nline two " + "x" * 100)  # fmt: skip
    path = tmp_path / "out.ics"
    with path.open("w", encoding="utf-8", newline="") as fp:
        ical.write_ics([ev], fp, "hourproof test", start)
    raw = path.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends in CRLF
    [record] = [r for r in ical.read_ics(path, ReadOptions(), ReadNotes()) if isinstance(r, Record)]
    assert (record.project, record.client, record.task) == ("Web, site", "Acme; Co", "T")
    assert (record.start, record.end) == (ev.start, ev.end)
    assert record.tags == ("a,b", "c")
    assert record.note == "line one line two " + "x" * 100
