"""Write a realistic sample statement as report.html, report.pdf and both CSVs.

Used to look at the reports as a client would (headless Chromium, pdftoppm)::

    QT_QPA_PLATFORM=offscreen PYTHONPATH=src python scripts/render_sample_reports.py OUTDIR

The data is invented; it exercises every label, a late entry, amendments, a removal,
evidence counts, an entry crossing midnight and a hostile-looking note.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hourproof.core.money import Rate, amount_for
from hourproof.proof.model import (
    RECORDED_BY,
    SELF_REPORTED,
    VERIFIED,
    Amendment,
    ReportEntry,
    Statement,
    TotalLine,
)

RATE = Rate(9500, "EUR")
WORK = [
    # day, start, minutes, project, task, note, source, lag minutes (None: no timestamp)
    (2, "08:30", 150, "Website relaunch", "Design", "Checkout page wireframes", "timer", 12),
    (
        2,
        "11:30",
        95,
        "Website relaunch",
        "Frontend",
        "Cart component, responsive layout",
        "timer",
        8,
    ),
    (2, "13:45", 200, "API integration", None, "Payment provider sandbox setup", "timer", 75),
    (
        3,
        "08:00",
        240,
        "API integration",
        "Webhooks",
        "Webhook signature checks and retries",
        "timer",
        5,
    ),
    (3, "13:00", 185, "Website relaunch", "Frontend", None, "suggested", 130),
    (
        4,
        "09:00",
        180,
        "Website relaunch",
        "Review",
        "Call with the design team; <b>notes</b> & follow-ups",
        "manual",
        1570,
    ),
    (
        4,
        "13:15",
        225,
        "API integration",
        "Webhooks",
        "Idempotency keys, integration tests",
        "timer",
        20,
    ),
    (
        5,
        "08:15",
        270,
        "Website relaunch",
        "Frontend",
        "Product list filters, accessibility pass",
        "timer",
        3,
    ),
    (
        5,
        "22:30",
        110,
        "API integration",
        "Incident",
        "Hotfix: refund webhook timeouts (late night)",
        "timer",
        31,
    ),
    (6, "09:30", 165, "Website relaunch", "Design", "Icon set and empty states", "manual", None),
    (
        6,
        "14:00",
        120,
        "API integration",
        None,
        "Documentation for the payments module",
        "manual",
        None,
    ),
]


def _entry(i: int, row: tuple[object, ...], base: datetime) -> ReportEntry:
    day, clock, minutes, project, task, note, source, lag = row
    hh, mm = str(clock).split(":")
    start = base + timedelta(days=int(str(day)) - 1, hours=int(hh), minutes=int(mm))
    seconds = int(str(minutes)) * 60
    end = start + timedelta(seconds=seconds)
    lag_s = None if lag is None else int(str(lag)) * 60
    label = SELF_REPORTED if lag_s is None else (VERIFIED if i % 4 == 0 else RECORDED_BY)
    commits = 0 if source == "manual" else (i * 3) % 7 + 1
    spans = 0 if source == "manual" else (i * 5) % 4 + 1
    return ReportEntry(
        id=100 + i * 7, project=str(project), client="Northwind Traders",
        task=task if task is None else str(task),
        tags=("billable",) if i % 3 else ("billable", "call"),
        note=note if note is None else str(note), start=start, end=end, seconds=seconds,
        source=str(source), amount_minor=amount_for(seconds, RATE), currency=RATE.currency,
        label=label, recorded_by=None if lag_s is None else end + timedelta(seconds=lag_s),
        lag_seconds=lag_s, late=lag_s is not None and lag_s > 24 * 3600,
        evidence_commits=commits, evidence_spans=spans,
        corroborated_seconds=0 if source == "manual" else seconds * 7 // 10 // 60 * 60,
    )  # fmt: skip


def _pieces(e: ReportEntry) -> list[tuple[str, str, int]]:
    """(UTC day, project, seconds) parts of an entry, split at midnight UTC like the builder."""
    out, cursor = [], e.start
    while cursor < e.end:
        midnight = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time(), UTC)
        stop = min(e.end, midnight)
        out.append((cursor.date().isoformat(), e.project, int((stop - cursor).total_seconds())))
        cursor = stop
    return out


def _totals(entries: list[ReportEntry], key: str) -> list[TotalLine]:
    lines: dict[str, TotalLine] = {}
    for e in entries:
        for day, project, seconds in _pieces(e):
            k = day if key == "day" else project
            old = lines.get(k, TotalLine(k, 0, {}))
            amount = old.amounts.get(RATE.currency, 0) + amount_for(seconds, RATE)
            lines[k] = TotalLine(k, old.seconds + seconds, {RATE.currency: amount})
    return [lines[k] for k in sorted(lines)]


def sample_statement(weeks: int = 1) -> Statement:
    """Invented weeks of work for one client, with every feature of the report."""
    base = datetime(2026, 3, 1, tzinfo=UTC)
    entries = [
        _entry(w * len(WORK) + i, row, base + timedelta(weeks=w))
        for w in range(weeks)
        for i, row in enumerate(WORK)
    ]
    amended = entries[4]
    entries[4] = replace(amended, amendments=(
        Amendment(leaf=212, kind="entry.amend", recorded_at=amended.end + timedelta(hours=3),
                  reason="Forgot to stop the timer during lunch",
                  changes={"end": "2026-03-03T16:05:00Z"}),
    ))  # fmt: skip
    entries.append(ReportEntry(
        id=190, project="Website relaunch", client="Northwind Traders", task="Frontend", tags=(),
        note="Duplicate of the morning session",
        start=base + timedelta(days=4, hours=8, minutes=15),
        end=base + timedelta(days=4, hours=10), seconds=6300, source="manual",
        amount_minor=amount_for(6300, RATE), currency="EUR", label=RECORDED_BY,
        recorded_by=base + timedelta(days=4, hours=10, minutes=30), lag_seconds=1800, late=False,
        removed=True, amendments=(Amendment(
            leaf=231, kind="entry.remove", recorded_at=base + timedelta(days=4, hours=18),
            reason="Entered twice by mistake", changes={}),),
    ))  # fmt: skip
    counted = [e for e in entries if not e.removed]
    total = sum(amount_for(p[2], RATE) for e in counted for p in _pieces(e))
    return Statement(
        contractor="ada@lovelace-consulting.eu",
        fingerprint="SHA256:q3Nf0pWz8dJ1kX7bV5mYt2cR9aL4eH6sG0uI1oP3zQw",
        client="Northwind Traders",
        project=None,
        period_start=base,
        period_end=base + timedelta(weeks=weeks),
        generated_at=datetime(2026, 3, 9, 10, 12, 44, tzinfo=UTC),
        tree_size=1834,
        entries=entries,
        by_day=_totals(counted, "day"),
        by_project=_totals(counted, "project"),
        total_seconds=sum(e.seconds for e in counted),
        total_amounts={"EUR": total},
        anchors=[
            (1702, datetime(2026, 3, 3, 0, 0, 9, tzinfo=UTC), "DigiCert"),
            (1766, datetime(2026, 3, 5, 0, 0, 12, tzinfo=UTC), "Sectigo"),
            (1834, datetime(2026, 3, 9, 10, 12, 40, tzinfo=UTC), "FreeTSA"),
        ],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--weeks", type=int, default=1, help="weeks of invented work")
    args = parser.parse_args(argv)
    from hourproof.proof.csv_export import FORMATS, write_csv
    from hourproof.proof.report_html import render_html
    from hourproof.proof.report_pdf import render_pdf

    st = sample_statement(args.weeks)
    args.outdir.mkdir(parents=True, exist_ok=True)
    (args.outdir / "report.html").write_text(render_html(st), encoding="utf-8")
    render_pdf(st, args.outdir / "report.pdf")
    for fmt in FORMATS:
        with (args.outdir / f"report-{fmt}.csv").open("w", encoding="utf-8", newline="") as fp:
            write_csv(st, fp, fmt)
    print(f"wrote report.html, report.pdf, report-*.csv in {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
