"""Hostile import files: every reader ends in records, skipped rows or one FormatError."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hourproof.interop import readers
from hourproof.interop.records import FormatError, ReadNotes, ReadOptions, Record, Skipped

TOGGL = ("User,Email,Client,Project,Task,Description,Billable,Start date,Start time,"
         "End date,End time,Duration,Tags,Amount (EUR)")  # fmt: skip
CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["2024-01-15", "01/15/2024", "25:61:00", "09:00:00", "12:00 AM",
                     "2024-02-30", "99:59:59", "", "\"", "'=1+1", "\r\n"]),
)  # fmt: skip
JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70),
              st.floats(allow_nan=True), st.text(max_size=10),
              st.sampled_from(["20240115T090000Z", "20241301T250000Z"])),
    lambda inner: st.one_of(st.lists(inner, max_size=6),
                            st.dictionaries(st.sampled_from(["start", "end", "tags",
                                                             "annotation", "id"]), inner)),
    max_leaves=15,
)  # fmt: skip
ICS_LINE = st.one_of(
    st.sampled_from(["BEGIN:VEVENT", "END:VEVENT", "BEGIN:VALARM", "END:VALARM",
                     "DTSTART:20240115T090000Z", "DTSTART;TZID=Nowhere/X:20240115T090000",
                     "DTSTART;VALUE=DATE:20240115", "DTEND:20240115T080000Z",
                     "DURATION:PT1H", "DURATION:P", "RRULE:FREQ=DAILY", "UID:x",
                     'DTSTART;TZID="a:b":20240115T090000', "SUMMARY:a\\,b", " folded",
                     "STATUS:CANCELLED", "X;Y", ":", "DTSTART:2024"]),
    st.text(max_size=20),
)  # fmt: skip


def run(fmt: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input"
        path.write_bytes(data)
        try:
            items = list(readers.read(fmt, path, ReadOptions(), ReadNotes()))
        except FormatError as exc:
            assert str(exc)
            return
        for item in items:
            assert isinstance(item, Record | Skipped)
            if isinstance(item, Record):
                assert item.end > item.start and len(item.key) == 64


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.lists(st.lists(CELL, min_size=0, max_size=16), max_size=8), st.booleans())
def test_toggl_rows(rows: list[list[str]], crlf: bool) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    run("toggl", ("\ufeff" + TOGGL + "\r\n" + buf.getvalue()).encode("utf-8", "surrogatepass"))


@FUZZ
@given(JSON_VALUE)
def test_watson_and_timewarrior_json(value: object) -> None:
    try:
        data = json.dumps(value).encode()
    except ValueError:
        return
    run("watson", data)
    run("timewarrior", data)


@FUZZ
@given(st.lists(ICS_LINE, max_size=30), st.booleans())
def test_ics_lines(lines: list[str], close: bool) -> None:
    body = ["BEGIN:VCALENDAR", *lines] + (["END:VCALENDAR"] if close else [])
    run("ics", "\r\n".join(body).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=200))
def test_any_bytes_for_any_format(data: bytes) -> None:
    for fmt in ("toggl", "clockify", "watson", "timewarrior", "ics"):
        run(fmt, data)
