"""Measure report.pdf rendering alone: ``report_pdf.render_pdf`` for a month's statement.

Target (issue 8): the export with both reports <= 5 s at 20,000 disclosed entries, of
which report.pdf was ~10 s of CPU; the goal for render_pdf alone is <= 2 s of CPU.

The statement is synthetic by default, shaped like the benchmark store's client
entries (bench_bundle.py / _common.py: one project and task, a tag, a short unique note,
short manual entries spread evenly over March 2026, self-reported, in EUR), so the
rendering is measured without building a 1,000,000-leaf store. ``--statement FILE``
renders a pickled ``Statement`` instead (e.g. one taken from a real export). Each run
renders in this process after a warm-up (Qt and fonts loaded); the figures are CPU
seconds (time.process_time), wall seconds and the load average, min over ``--repeat``.

Run: /work/main/.venv/bin/python benchmarks/bench_report_pdf.py [--entries N]
     [--repeat K] [--statement FILE.pkl] [--keep OUT.pdf] [--profile] [--writer own|qt]
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pickle
import pstats
import re
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as c

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hourproof.proof.model import SELF_REPORTED, ReportEntry, Statement, TotalLine


def synthetic(entries: int) -> Statement:
    """``entries`` client entries of the month, like the benchmark store's."""
    span = (c.MONTH_END - c.MONTH_START).total_seconds()
    items: list[ReportEntry] = []
    days: dict[str, tuple[int, int]] = {}
    for k in range(entries):
        start = c.MONTH_START + timedelta(seconds=int(k * span / entries))
        seconds = 60 * (2 + k % 7)
        amount_minor = (seconds * 9500 + 1800) // 3600
        items.append(ReportEntry(
            id=895_691 + 50 * k, project="Website", client=c.CLIENT, task="build",
            tags=("dev",), note=f"work item {k}", start=start,
            end=start + timedelta(seconds=seconds), seconds=seconds, source="manual",
            amount_minor=amount_minor, currency="EUR",
            label=SELF_REPORTED, recorded_by=None, lag_seconds=None, late=False,
        ))  # fmt: skip
        day = start.date().isoformat()
        seconds_of_day, minor = days.get(day, (0, 0))
        days[day] = (seconds_of_day + seconds, minor + amount_minor)
    total = sum(s for s, _m in days.values())
    amount = sum(m for _s, m in days.values())
    return Statement(
        contractor="ada@example.org", fingerprint="SHA256:q3Nf0pWz8dJ1kX7bV5mYt2cR9aL4eH6sG0u",
        client=c.CLIENT, project=None, period_start=c.MONTH_START, period_end=c.MONTH_END,
        generated_at=c.MONTH_END, tree_size=1_000_000, entries=items,
        by_day=[TotalLine(d, s, {"EUR": m}) for d, (s, m) in sorted(days.items())],
        by_project=[TotalLine("Website", total, {"EUR": amount})],
        total_seconds=total, total_amounts={"EUR": amount},
    )  # fmt: skip


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--statement", type=Path, help="a pickled Statement to render instead")
    ap.add_argument("--keep", type=Path, help="write the PDF here")
    ap.add_argument("--profile", action="store_true", help="cProfile one more run")
    ap.add_argument("--writer", choices=["auto", "own", "qt"], default="auto",
                    help="own: hourproof's writer; qt: QPdfWriter; auto: own, else Qt")  # fmt: skip
    args = ap.parse_args()

    from hourproof.proof import report_pdf

    if args.statement:
        with args.statement.open("rb") as fh:
            st = pickle.load(fh)
        where = str(args.statement)
    else:
        st = synthetic(args.entries)
        where = "synthetic"
    print(c.machine())
    print(f"statement: {where}, {len(st.entries):,} entries; writer {args.writer}")
    with tempfile.TemporaryDirectory(prefix="hp-bench-pdf-") as tmp:
        out = args.keep or Path(tmp) / "report.pdf"
        report_pdf.render_pdf(synthetic(50), out, args.writer)  # warm-up: Qt, fonts
        runs = []
        for n in range(args.repeat):
            before = load()
            cpu, wall = time.process_time(), time.perf_counter()
            report_pdf.render_pdf(st, out, args.writer)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            runs.append((cpu, wall))
            print(f"run {n + 1}: render_pdf {cpu:.2f} s CPU, {wall:.2f} s wall (load {before})")
        data = out.read_bytes()
        pages = len(re.findall(rb"/Type\s*/Page\b", data))
        cpu, wall = min(r[0] for r in runs), min(r[1] for r in runs)
        print(f"best: {cpu:.2f} s CPU, {wall:.2f} s wall; {pages} pages, {len(data):,} bytes")
        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            report_pdf.render_pdf(st, out, args.writer)
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
