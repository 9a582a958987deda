"""Import of a large Toggl Track detailed CSV: wall time and peak memory (printed).

Usage: python benchmarks/bench_import.py [ROWS]   (default 100,000)

Writes a realistic file (BOM, CRLF, quoted commas, tags, 60 projects, 8 clients, a
row in 500 over 24 h), then runs ``hourproof import toggl FILE --commit`` as a
subprocess on a fresh home and reports elapsed seconds and the child's peak RSS
(``ru_maxrss``). A second run shows the cost of a re-import that adds nothing.
"""

from __future__ import annotations

import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import BENCH_ENV  # noqa: E402

HEADER = ["User", "Email", "Client", "Project", "Task", "Description", "Billable",
          "Start date", "Start time", "End date", "End time", "Duration", "Tags",
          "Amount (EUR)"]  # fmt: skip


def write_csv(path: Path, rows: int) -> None:
    start = datetime(2019, 1, 1, 8, 0)
    with path.open("w", encoding="utf-8-sig", newline="") as fp:
        w = csv.writer(fp)
        w.writerow(HEADER)
        for i in range(rows):
            begin = start + timedelta(minutes=37 * i)
            minutes = 1500 + i % 90 if i % 500 == 0 else 5 + i % 30
            end = begin + timedelta(minutes=minutes)
            w.writerow([
                "Jane Doe", "jane@example.com", f"Client {i % 8}", f"Project {i % 60}",
                "" if i % 3 else "Task A", f"Work item {i}, part {i % 7}", "Yes",
                begin.strftime("%Y-%m-%d"), begin.strftime("%H:%M:%S"),
                end.strftime("%Y-%m-%d"), end.strftime("%H:%M:%S"),
                f"{minutes // 60:02d}:{minutes % 60:02d}:00",
                "billable, focus" if i % 2 else "", f"{minutes * 1.5:.2f}",
            ])  # fmt: skip


def run(home: Path, csv_path: Path) -> tuple[float, float, float, str]:
    env = os.environ | BENCH_ENV
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu0 = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "hourproof", "--home", str(home), "import", "toggl",
         str(csv_path), "--tz", "Europe/Berlin", "--commit"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu0
    return elapsed, max(usage.ru_maxrss, before) / 1024, cpu, out.stdout.strip().splitlines()[-1]


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "toggl.csv"
        write_csv(csv_path, rows)
        size = csv_path.stat().st_size / 1e6
        print(f"{rows:,} rows, {size:.1f} MB Toggl CSV; load average {os.getloadavg()[0]:.1f}")
        for what in ("import --commit", "re-import"):
            elapsed, peak, cpu, last = run(Path(tmp) / "home", csv_path)
            print(
                f"{what:<16} {elapsed:5.1f} s wall, {cpu:5.1f} s CPU, peak RSS {peak:.0f} MiB"
                f"  ({last})"
            )


if __name__ == "__main__":
    main()
