"""Importers: each tool's documented layout read into UTC records, bad rows named."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hourproof.interop import readers
from hourproof.interop.records import FormatError, ReadNotes, ReadOptions, Record, Skipped

DATA = Path(__file__).resolve().parents[1] / "data"
BERLIN = ReadOptions(zone=ZoneInfo("Europe/Berlin"), zone_name="Europe/Berlin")


def read(
    fmt: str, name: str, opts: ReadOptions = BERLIN
) -> tuple[list[Record], list[Skipped], list[str]]:
    notes = ReadNotes()
    items = list(readers.read(fmt, DATA / name, opts, notes))
    return (
        [i for i in items if isinstance(i, Record)],
        [i for i in items if isinstance(i, Skipped)],
        notes.lines,
    )


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


# --- Toggl -------------------------------------------------------------------------------


def test_toggl_local_times_are_read_in_the_given_zone() -> None:
    records, _, notes = read("toggl", "toggl_detailed.csv")
    first = records[0]
    assert (first.start, first.end) == (utc(2024, 1, 15, 8, 0), utc(2024, 1, 15, 9, 30))
    assert any("Europe/Berlin (--tz)" in n for n in notes)


def test_toggl_bom_quoted_commas_and_tags_joined_with_comma_space() -> None:
    records, _, _ = read("toggl", "toggl_detailed.csv")
    first = records[0]
    assert (first.project, first.client, first.task) == ("Website", "Acme GmbH", "Design")
    assert first.note == "Header, footer and nav"
    assert first.tags == ("design", "review")
    migration = next(r for r in records if r.project == "Migration")
    assert migration.tags == ("ops,infra", "weekend")  # a comma without a space stays
    assert migration.note == 'Data migration weekend, "big bang"'
    assert migration.client == "Müller & Söhne"


def test_toggl_entry_longer_than_a_day() -> None:
    records, _, _ = read("toggl", "toggl_detailed.csv")
    migration = next(r for r in records if r.project == "Migration")
    assert migration.seconds == 26 * 3600 + 30 * 60


def test_toggl_multiline_description_becomes_one_line() -> None:
    records, _, _ = read("toggl", "toggl_detailed.csv")
    assert any(r.note == "Line one line two" for r in records)


def test_toggl_across_the_dst_change_keeps_its_real_length() -> None:
    records, _, _ = read("toggl", "toggl_detailed.csv")
    night = next(r for r in records if r.note and "DST" in r.note)
    assert (night.start, night.end) == (utc(2024, 3, 31, 0, 30), utc(2024, 3, 31, 1, 30))


def test_toggl_bad_rows_are_skipped_with_row_and_reason() -> None:
    _, skipped, _ = read("toggl", "toggl_detailed.csv")
    reasons = {s.row: s.reason for s in skipped}
    assert set(reasons) == {7, 8, 11}
    assert "2024-13-01" in reasons[7]
    assert "ends before" in reasons[8]
    assert "cells" in reasons[11]


def test_toggl_row_without_project_gets_the_placeholder_or_the_option() -> None:
    records, _, _ = read("toggl", "toggl_detailed.csv")
    assert any(r.project == "(no project)" for r in records)
    opts = ReadOptions(zone=UTC, zone_name="UTC", project="Reading", client="Self")
    records, _, _ = read("toggl", "toggl_detailed.csv", opts)
    row5 = next(r for r in records if r.row == 5)
    assert (row5.project, row5.client) == ("Reading", "Self")


def test_identical_rows_stay_two_entries_with_distinct_stable_keys() -> None:
    records, _, _ = read("toggl", "toggl_detailed.csv")
    twins = [r for r in records if r.note == "Header, footer and nav"]
    assert len(twins) == 2 and twins[0].key != twins[1].key
    again, _, _ = read("toggl", "toggl_detailed.csv")
    assert [r.key for r in records] == [r.key for r in again]


def test_the_key_does_not_depend_on_the_zone_used() -> None:
    berlin, _, _ = read("toggl", "toggl_detailed.csv")
    utc_read, _, _ = read("toggl", "toggl_detailed.csv", ReadOptions(zone=UTC))
    assert [r.key for r in berlin] == [r.key for r in utc_read]
    assert berlin[0].start != utc_read[0].start


def test_toggl_without_tz_says_it_used_this_computers_zone() -> None:
    _, _, notes = read("toggl", "toggl_detailed.csv", ReadOptions())
    assert any("this computer's zone" in n for n in notes)


# --- Clockify ----------------------------------------------------------------------------


def test_clockify_us_dates_and_12_hour_clock() -> None:
    opts = ReadOptions(zone=ZoneInfo("America/New_York"), zone_name="America/New_York")
    records, skipped, notes = read("clockify", "clockify_detailed.csv", opts)
    first = records[0]
    assert (first.start, first.end) == (utc(2024, 1, 15, 14, 0), utc(2024, 1, 15, 15, 30))
    noon = records[1]
    assert noon.start == utc(2024, 1, 15, 17, 0)  # 12:00 PM is noon
    evening = records[3]
    assert evening.end == utc(2024, 1, 23, 5, 30)  # 12:30 AM the next day
    assert records[2].seconds == 26 * 3600 + 30 * 60
    assert [s.row for s in skipped] == [6]
    assert "month/day/year" in notes[0]


def test_clockify_day_first_dates_are_recognised() -> None:
    records, _, notes = read("clockify", "clockify_dayfirst.csv", ReadOptions(zone=UTC))
    assert records[0].start == utc(2024, 2, 3, 9, 0)
    assert "day/month/year" in notes[0]


def test_clockify_day_first_can_be_forced() -> None:
    opts = ReadOptions(zone=UTC, day_first=True)
    records, skipped, _ = read("clockify", "clockify_detailed.csv", opts)
    # 01/15/2024 cannot be day-first: every row is skipped, each with the reason.
    assert records == []
    assert all("not a date" in s.reason or "time of day" in s.reason for s in skipped)
    assert len(skipped) == 5


# --- Watson / Timewarrior ---------------------------------------------------------------


def test_watson_frames_are_utc_timestamps_with_tags_kept_whole() -> None:
    records, skipped, _ = read("watson", "watson_frames.json")
    assert records[0].start == utc(2024, 1, 15, 9, 0)
    assert records[0].tags == ("design", "review, round 2")
    assert records[2].seconds == 26 * 3600 + 30 * 60
    assert {s.row for s in skipped} == {4, 5, 6}


def test_watson_key_is_the_frame_id() -> None:
    records, _, _ = read("watson", "watson_frames.json")
    assert len({r.key for r in records}) == len(records)


def test_timewarrior_first_tag_is_the_project() -> None:
    records, skipped, _ = read("timewarrior", "timew_export.json")
    first = records[0]
    assert (first.project, first.tags) == ("website", ("design", "review, round 2"))
    assert first.note == "Header, footer and nav"
    assert first.start == utc(2024, 1, 15, 8, 0)
    assert records[3].project == "(no project)"
    reasons = {s.row: s.reason for s in skipped}
    assert "running" in reasons[6] and "Timewarrior time" in reasons[5]


def test_timewarrior_with_project_keeps_every_tag() -> None:
    records, _, _ = read("timewarrior", "timew_export.json", ReadOptions(project="Acme"))
    assert records[0].project == "Acme"
    assert records[0].tags == ("design", "review, round 2", "website")


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "looks"),
    [
        ("toggl", "clockify_detailed.csv", "Clockify detailed CSV"),
        ("clockify", "toggl_detailed.csv", "Toggl Track detailed CSV"),
        ("ics", "watson_frames.json", "Watson frames file"),
        ("watson", "timew_export.json", "Timewarrior export JSON"),
        ("timewarrior", "calendar.ics", "iCalendar file"),
    ],
)
def test_a_file_of_another_tool_is_refused_by_name(fmt: str, name: str, looks: str) -> None:
    with pytest.raises(FormatError, match=looks):
        read(fmt, name)


def test_other_files_are_described(tmp_path: Path) -> None:
    cases = {
        "a.csv": (b"Date,Amount,Payee\r\n2024-01-01,3.50,Cafe\r\n", "CSV file with columns Date"),
        "b.zip": (b"PK\x03\x04rest", "zip archive"),
        "c.bin": (b"\x00\x01\x02\xff\xfe", "binary"),
        "d.txt": (b"", "empty file"),
    }
    for name, (data, looks) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(FormatError, match=looks):
            list(readers.read("toggl", tmp_path / name, ReadOptions(), ReadNotes()))


def test_a_csv_with_the_right_marks_but_a_broken_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Project,Start date,Start time,Duration,Client\n", encoding="utf-8")
    records = list(readers.read("toggl", path, ReadOptions(), ReadNotes()))
    assert records == []
