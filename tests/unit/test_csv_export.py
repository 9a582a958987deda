"""CSV exports: Toggl's and Clockify's exact headers, honest rows, no formula injection."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from hourproof.proof.csv_export import (
    FORMATS,
    CsvExportError,
    decimal_hours,
    hms,
    safe_cell,
    write_csv,
)
from hourproof.proof.model import RECORDED_BY, ReportEntry, Statement

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TOGGL = (
    "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,"
    "End time,Duration,Tags,Amount (EUR)"
)
CLOCKIFY = (
    "Project,Client,Description,Task,User,Group,Email,Tags,Billable,Start Date,Start Time,"
    "End Date,End Time,Duration (h),Duration (decimal),Billable Rate (EUR),Billable Amount (EUR)"
)


def entry(n: int, **changes: object) -> ReportEntry:
    start = T0 + timedelta(days=n)
    base = ReportEntry(
        id=n, project="Website", client="Acme", task="Design", tags=("billable", "call"),
        note=f"item {n}", start=start, end=start + timedelta(minutes=90), seconds=5400,
        source="timer", amount_minor=14250, currency="EUR", label=RECORDED_BY,
        recorded_by=start + timedelta(hours=2), lag_seconds=1800, late=False,
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def export(entries: list[ReportEntry], fmt: str = "toggl") -> list[list[str]]:
    st = Statement(
        contractor="ada@example.org", fingerprint="SHA256:x", client="Acme", project=None,
        period_start=T0, period_end=T0 + timedelta(days=30), generated_at=T0, tree_size=1,
        entries=entries,
    )  # fmt: skip
    buf = io.StringIO(newline="")
    write_csv(st, buf, fmt)
    text = buf.getvalue()
    assert text.startswith("\ufeff")  # the UTF-8 BOM both tools write
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def column(rows: list[list[str]], name: str) -> list[str]:
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def test_formats_are_toggl_and_clockify() -> None:
    assert FORMATS == ("toggl", "clockify")


def test_toggl_header_is_exact_then_names_the_zone() -> None:
    assert ",".join(export([entry(0)])[0]) == TOGGL + ",Time zone"


def test_toggl_header_without_any_amount_has_empty_currency() -> None:
    rows = export([entry(0, amount_minor=None, currency=None)])
    assert rows[0][-2] == "Amount ()"


def test_clockify_header_is_exact_then_names_the_zone() -> None:
    assert ",".join(export([entry(0)], "clockify")[0]) == CLOCKIFY + ",Time zone"


def test_one_row_per_counted_entry_and_removed_ones_left_out() -> None:
    rows = export([entry(0), entry(1, removed=True), entry(2)])
    assert len(rows) == 3
    assert column(rows, "Description") == ["item 0", "item 2"]


def test_rows_have_as_many_cells_as_the_header() -> None:
    for fmt in FORMATS:
        rows = export([entry(0), entry(1, task=None, note=None, tags=())], fmt)
        assert {len(r) for r in rows} == {len(rows[0])}


def test_toggl_row_fields() -> None:
    row = dict(zip(*export([entry(0)]), strict=True))
    assert row == {
        "User": "ada@example.org", "Email": "ada@example.org", "Client": "Acme",
        "Project": "Website", "Task": "Design", "Description": "item 0", "Billable": "Yes",
        "Start date": "2026-03-02", "Start time": "09:00:00", "End date": "2026-03-02",
        "End time": "10:30:00", "Duration": "01:30:00", "Tags": "billable, call",
        "Amount (EUR)": "142.50", "Time zone": "UTC",
    }  # fmt: skip


def test_clockify_row_fields() -> None:
    rows = export([entry(0)], "clockify")
    row = dict(zip(*rows, strict=True))
    assert row["Duration (h)"] == "01:30:00"
    assert row["Duration (decimal)"] == "1.50"
    assert row["Billable Rate (EUR)"] == "95.00"
    assert row["Billable Amount (EUR)"] == "142.50"
    assert row["Group"] == ""


def test_times_are_utc_whatever_the_input_offset() -> None:
    from zoneinfo import ZoneInfo

    start = datetime(2026, 3, 2, 23, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    rows = export([entry(0, start=start, end=start + timedelta(minutes=90))])
    assert column(rows, "Start date") == ["2026-03-02"]
    assert column(rows, "Start time") == ["22:30:00"]
    assert column(rows, "End date") == ["2026-03-03"]
    assert column(rows, "End time") == ["00:00:00"]


def test_entry_without_rate_is_not_billable_and_has_no_amount() -> None:
    rows = export([entry(0), entry(1, amount_minor=None, currency=None)], "clockify")
    assert column(rows, "Billable") == ["Yes", "No"]
    assert column(rows, "Billable Amount (EUR)") == ["142.50", ""]
    assert column(rows, "Billable Rate (EUR)") == ["95.00", ""]


def test_zero_decimal_currency_amounts() -> None:
    rows = export([entry(0, amount_minor=1500, currency="JPY")])
    assert rows[0][-2] == "Amount (JPY)" and rows[1][-2] == "1500"


def test_mixed_currencies_are_refused() -> None:
    with pytest.raises(CsvExportError, match="several currencies"):
        export([entry(0), entry(1, currency="USD")])


def test_unknown_format_is_refused() -> None:
    with pytest.raises(CsvExportError, match="unknown CSV format"):
        export([entry(0)], "harvest")


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "00:00:00"), (5400, "01:30:00"), (59, "00:00:59"),
                          (100 * 3600 + 61, "100:01:01")],
)  # fmt: skip
def test_hms(seconds: int, text: str) -> None:
    assert hms(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"), [(5400, "1.50"), (60, "0.02"), (18, "0.01"), (17, "0.00"),
                          (4620, "1.28"), (36 * 3600, "36.00"), (1_000_003_600, "277778.78")],
)  # fmt: skip
def test_decimal_hours_round_half_up_without_floats(seconds: int, text: str) -> None:
    assert decimal_hours(seconds) == text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_like_cells_are_quoted(start: str) -> None:
    assert safe_cell(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


def test_plain_cells_are_left_alone() -> None:
    assert safe_cell("Design review") == "Design review"
    assert safe_cell("") == ""


def test_injection_guard_applies_to_every_user_string() -> None:
    hostile = entry(
        0, note='=HYPERLINK("http://x","y")', project="+Website", task="-1", tags=("@tag",)
    )
    for fmt in FORMATS:
        rows = export([hostile], fmt)
        assert column(rows, "Description") == ['\'=HYPERLINK("http://x","y")']
        assert column(rows, "Project") == ["'+Website"]
        assert column(rows, "Task") == ["'-1"]
        assert column(rows, "Tags") == ["'@tag"]


def test_times_in_a_chosen_zone_and_the_zone_column_says_so() -> None:
    from zoneinfo import ZoneInfo

    st = Statement(
        contractor="Jane Doe <jane@example.org>", fingerprint="SHA256:x", client="Acme",
        project=None, period_start=T0, period_end=T0 + timedelta(days=30), generated_at=T0,
        tree_size=1, entries=[entry(0)],
    )  # fmt: skip
    buf = io.StringIO(newline="")
    write_csv(st, buf, "toggl", zone=ZoneInfo("Europe/Berlin"), zone_name="Europe/Berlin")
    rows = list(csv.reader(io.StringIO(buf.getvalue()[1:], newline="")))
    row = dict(zip(*rows, strict=True))
    assert (row["Start time"], row["Time zone"]) == ("10:00:00", "Europe/Berlin")
    assert row["Email"] == "jane@example.org"


def test_email_given_fills_the_column_for_a_plain_name() -> None:
    st = Statement(
        contractor="Jane Doe", fingerprint="SHA256:x", client="Acme", project=None,
        period_start=T0, period_end=T0 + timedelta(days=30), generated_at=T0, tree_size=1,
        entries=[entry(0)],
    )  # fmt: skip
    for email, expected in ((None, ""), ("jd@example.org", "jd@example.org")):
        buf = io.StringIO(newline="")
        write_csv(st, buf, "clockify", email=email)
        rows = list(csv.reader(io.StringIO(buf.getvalue()[1:], newline="")))
        assert dict(zip(*rows, strict=True))["Email"] == expected
