"""report_text formats times from the datetime's fields; the text must be exactly what
strftime gave (both reports and the CSV-minded title attributes show it)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from hourproof.proof.model import SELF_REPORTED, ReportEntry, Statement
from hourproof.proof.report_text import (
    counted,
    day_text,
    entry_amount,
    iso,
    seconds_by_label,
    span_text,
    utc,
)

ZONES = [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-11))]


def _moments() -> list[datetime]:
    rng = random.Random(8)
    out = [
        datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(2028, 2, 29, 0, 0, 1, 999_999, tzinfo=UTC), datetime(1970, 1, 1, tzinfo=UTC),
        datetime(2200, 1, 1, 12, 5, tzinfo=ZONES[1]), datetime(999, 5, 6, 7, 8, 9, tzinfo=UTC),
        datetime(1, 1, 2, 0, 0, tzinfo=UTC), datetime(2026, 3, 1, 2, 0, tzinfo=ZONES[1]),
    ]  # fmt: skip
    base = datetime(1990, 1, 1, tzinfo=UTC)
    for _ in range(300):
        moment = base + timedelta(seconds=rng.randrange(0, 60 * 365 * 86400))
        out.append(moment.astimezone(rng.choice(ZONES)))
    return out


def _entry(start: datetime, end: datetime) -> ReportEntry:
    return ReportEntry(
        id=1, project="P", client="C", task=None, tags=(), note=None, start=start, end=end,
        seconds=int((end - start).total_seconds()), source="manual", amount_minor=None,
        currency=None, label=SELF_REPORTED, recorded_by=None, lag_seconds=None, late=False,
    )  # fmt: skip


def test_utc_and_iso_are_what_strftime_writes() -> None:
    for moment in _moments():
        m = moment.astimezone(UTC)
        assert utc(moment) == m.strftime("%Y-%m-%d %H:%M") + " UTC"
        assert utc(moment, False) == m.strftime("%H:%M")
        assert iso(moment) == m.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert day_text(moment) == m.date().isoformat()


def test_span_text_counts_utc_days_between_start_and_end() -> None:
    rng = random.Random(9)
    for start in _moments():
        if start.year < 2:
            continue
        for length in (0, 59, 3600, 86399, 86400, 3 * 86400 + 7, rng.randrange(0, 40 * 86400)):
            end = (start + timedelta(seconds=length)).astimezone(rng.choice(ZONES))
            s, e = start.astimezone(UTC), end.astimezone(UTC)
            days = (e.date() - s.date()).days
            want = s.strftime("%H:%M") + "–" + e.strftime("%H:%M")
            want += f" (+{days} d)" if days else ""
            assert span_text(_entry(start, end)) == want


def test_entry_amounts_are_formatted_per_currency() -> None:
    entry = _entry(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 1, 1, tzinfo=UTC))
    cases = [(19000, "EUR", "190.00 EUR"), (-5, "USD", "-0.05 USD"), (1234, "JPY", "1234 JPY"),
             (1, "BHD", "0.001 BHD")]  # fmt: skip
    for minor, currency, text in cases * 2:  # twice: the second answer comes from the cache
        assert entry_amount(replace(entry, amount_minor=minor, currency=currency)) == text
    assert entry_amount(entry) == "—"


def test_counted_entries_are_ordered_by_start_then_id() -> None:
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    entries = [
        replace(_entry(t0 + timedelta(hours=h), t0 + timedelta(hours=h + 1)), id=i, label=label)
        for i, h, label in [(5, 2, "Verified"), (3, 1, SELF_REPORTED), (1, 1, SELF_REPORTED),
                            (9, 0, "Verified")]
    ]  # fmt: skip
    st = Statement(
        contractor="a", fingerprint="f", client="C", project=None, period_start=t0,
        period_end=t0 + timedelta(days=1), generated_at=t0, tree_size=1, entries=entries,
    )  # fmt: skip
    assert [e.id for e in counted(st)] == [9, 1, 3, 5]
    assert seconds_by_label(st) == [("Verified", 7200, 2), (SELF_REPORTED, 7200, 2)]
