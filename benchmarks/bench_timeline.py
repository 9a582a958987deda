"""Measured figures for the Timeline tab and suggested sessions (printed, never asserted).

Run: PYTHONPATH=src QT_QPA_PLATFORM=offscreen python benchmarks/bench_timeline.py

A dense week: every day 07:00–23:00 holds 16 entries (one an hour), a file-activity
span every 5 minutes and a commit every 10 minutes — far more than anyone records.
Measured: building the layout model, painting it into an offscreen image (1300×600,
the week view; then the day view), the read the tab runs off the UI thread
(``services.timeline.load``), and ``core.sessions.suggest_sessions`` over a year.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HOURPROOF_DEFAULT_TSAS"] = "none"
os.environ["HOURPROOF_PASSPHRASE"] = ""

from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from hourproof.core import leaves as lk  # noqa: E402
from hourproof.core.entries import Entry  # noqa: E402
from hourproof.core.sessions import FILE_ACTIVITY, GIT_COMMIT, Evidence, suggest_sessions  # noqa: E402
from hourproof.core.timeparse import local_day_start, to_rfc3339  # noqa: E402
from hourproof.gui.timeline import TimelineLayout, TimelineView  # noqa: E402
from hourproof.services import timeline  # noqa: E402
from hourproof.services.app import App  # noqa: E402
from hourproof.services.suggestions import SuggestionView  # noqa: E402
from hourproof.services.timeline import Mark, TimelineData  # noqa: E402

MONDAY = date(2026, 3, 2)
DAYS = [MONDAY + timedelta(days=i) for i in range(7)]
PROJECTS = ("Website", "API", "Migration", "Support")


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """Median wall, max wall and median CPU milliseconds of ``repeat`` runs (after one
    warm-up); CPU time is what a busy machine disturbs least."""
    fn()
    runs, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(runs), max(runs), statistics.median(cpu)


def _line(what: str, figures: tuple[float, float, float]) -> None:
    med, worst, cpu = figures
    print(what.ljust(60) + f"{med:8.2f} ms (max {worst:7.2f}, CPU {cpu:7.2f})")


def dense_week() -> tuple[list[Entry], list[Evidence]]:
    entries, evidence = [], []
    seq = 0
    for day in DAYS:
        base = local_day_start(day)
        for hour in range(7, 23):
            seq += 1
            start = base + timedelta(hours=hour, minutes=2)
            entries.append(Entry(seq, PROJECTS[hour % 4], "Acme", None, (), None, start,
                                 start + timedelta(minutes=50), "timer"))  # fmt: skip
            for five in range(12):
                seq += 1
                s = base + timedelta(hours=hour, minutes=5 * five)
                evidence.append(Evidence(seq, FILE_ACTIVITY, PROJECTS[hour % 4], "Acme", s,
                                         s + timedelta(minutes=3)))  # fmt: skip
            for ten in range(6):
                seq += 1
                c = base + timedelta(hours=hour, minutes=10 * ten + 7)
                evidence.append(Evidence(seq, GIT_COMMIT, PROJECTS[hour % 4], "Acme", c, c))
    return entries, evidence


def data_of(entries: list[Entry], evidence: list[Evidence]) -> TimelineData:
    found = suggest_sessions(evidence)
    marks = tuple(Mark(e.leaf_index, e.kind, e.project, e.start, e.end) for e in evidence)
    lo, hi = local_day_start(DAYS[0]), local_day_start(DAYS[-1] + timedelta(days=1))
    return TimelineData(lo, hi, hi, tuple(entries), tuple(SuggestionView(s, 0) for s in found),
                        marks)  # fmt: skip


def bench_paint(data: TimelineData, days: list[date], label: str) -> None:
    view = TimelineView()
    view.set_days(days)
    view.set_data(data)
    view.resize(1300, 600)
    image = QImage(view.size(), QImage.Format.Format_ARGB32_Premultiplied)

    def layout() -> None:
        TimelineLayout(data, days, 1300, 600, 0.0, 24.0)

    def paint() -> None:
        view._layout = None  # a fresh layout each time, as after new data
        view.render(image)

    items = len(TimelineLayout(data, days, 1300, 600, 0.0, 24.0).items)
    _line(f"{label}: layout model, {items:,} items drawn", _time(layout, 20))
    _line(f"{label}: layout + paint 1300x600", _time(paint, 20))
    view.set_view(9.0, 3.0)
    _line(f"{label}: layout + paint zoomed to 09:00-12:00", _time(paint, 20))


def bench_load(entries: list[Entry], evidence: list[Evidence]) -> None:
    with tempfile.TemporaryDirectory(prefix="hp-bench-timeline-") as folder:
        app = App.open(Path(folder) / "home")
        app.clock = lambda: datetime(2026, 3, 9, tzinfo=UTC)
        with app.write() as txn:
            for e in entries:
                txn.append(lk.ENTRY_ADD, {"project": e.project, "client": "Acme",
                                          "start": to_rfc3339(e.start),
                                          "end": to_rfc3339(e.end or e.start),
                                          "source": "manual"})  # fmt: skip
            for n, ev in enumerate(evidence):
                if ev.kind == GIT_COMMIT:
                    txn.append(lk.GIT_COMMIT, {"repo": "r", "project": ev.project,
                                               "client": "Acme", "commit": f"{n:040x}",
                                               "object_format": "sha1",
                                               "object_sha256": f"{n:064x}",
                                               "author_date": to_rfc3339(ev.start)})  # fmt: skip
                else:
                    txn.append(lk.FILE_ACTIVITY, {"watch": "w", "project": ev.project,
                                                  "client": "Acme", "files": ["a.py"],
                                                  "start": to_rfc3339(ev.start),
                                                  "end": to_rfc3339(ev.end)})  # fmt: skip
            txn.checkpoint()
        lo, hi = local_day_start(DAYS[0]), local_day_start(DAYS[-1] + timedelta(days=1))
        data = timeline.load(app, lo, hi)
        what = f"timeline.load (week: {len(data.entries)} entries, {len(data.marks):,} marks)"
        _line(what, _time(lambda: timeline.load(app, lo, hi), 10))
        app.close()


def bench_year() -> None:
    evidence = []
    seq = 0
    start = local_day_start(date(2026, 1, 5))
    for day in range(260):  # working days of a year, commits every 25 min 09:00-17:00
        base = start + timedelta(days=day * 7 // 5)
        for k in range(20):
            seq += 1
            t = base + timedelta(hours=9, minutes=25 * k)
            evidence.append(Evidence(seq, GIT_COMMIT, PROJECTS[day % 4], "Acme", t, t))
    sessions = suggest_sessions(evidence)
    what = f"suggest_sessions, a year: {len(evidence):,} commits -> {len(sessions)} sessions"
    _line(what, _time(lambda: suggest_sessions(evidence), 5))


def bench_idle_read() -> None:
    """One sample of the OS idle counter, as the watcher takes it every 10 s on the UI
    thread (needs an X server: run under xvfb-run to include it)."""
    from hourproof.sources.idle import choose

    source, probes = choose()
    if source is None:
        print("idle source: none here (" + "; ".join(f"{p.name}: {p.reason}" for p in probes) + ")")
        return
    _line(f"idle read ({source.name}), one sample", _time(source.idle_seconds, 200))


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    print(f"load average {os.getloadavg()[0]:.2f}; Qt platform {os.environ['QT_QPA_PLATFORM']}")
    entries, evidence = dense_week()
    data = data_of(entries, evidence)
    print(f"dense week: {len(entries)} entries, {len(evidence):,} evidence leaves, "
          f"{len(data.suggestions)} suggestions")  # fmt: skip
    bench_paint(data, DAYS, "week view")
    bench_paint(data, DAYS[2:3], "day view")
    bench_load(entries, evidence)
    bench_year()
    bench_idle_read()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
