"""Clients and projects, and the locked key: figures printed, never asserted.

- ``clients.overview`` (the Clients dialog's read, on the reader thread) and
  ``clients.completions`` (read at every refresh) on a home of 50,000 entries over
  2026 (7 clients, 40 projects; bench_gui.year_home), with 200 names added in the app;
- ``unlock.unlock`` of a passphrase-protected key (the worker's check after the user
  typed it: two bcrypt-KDF key loads).

Run: ``PYTHONPATH=src python benchmarks/bench_clients.py``.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from _common import machine
from bench_gui import NOW, year_home


def _time(fn: Callable[[], object], runs: int = 5) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``fn``."""
    walls, cpus = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - w) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    from hourproof.services import clients, keyfile, unlock
    from hourproof.services.app import App

    print(machine())
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        home = year_home(Path(tmp))
        app = App.open(home)
        app.clock = lambda: NOW
        for i in range(100):
            clients.add(app, "client", f"Prospect {i}")
            clients.add(app, "project", f"pitch-{i}", f"Prospect {i}")
        year = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
        month = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
        rows = [
            ("overview, this month", _time(lambda: clients.overview(app, *month))),
            ("overview, the year (50,000 entries)", _time(lambda: clients.overview(app, *year))),
            ("overview, all", _time(lambda: clients.overview(app))),
            ("completions (every refresh)", _time(lambda: clients.completions(app), 20)),
        ]
        app.close()

        os.environ[keyfile.ENV_PASSPHRASE] = "bench passphrase"
        locked_home = Path(tmp) / "locked"
        first = App.open(locked_home)
        _ = first.key
        first.close()
        del os.environ[keyfile.ENV_PASSPHRASE]

        def unlock_once() -> None:
            again = App.open(locked_home)
            unlock.unlock(again, "bench passphrase")
            again.close()

        rows.append(("unlock (open home + 2 key loads)", _time(unlock_once, 3)))
    width = max(len(name) for name, _ in rows)
    print(f"{'':{width}}  wall ms   CPU ms")
    for name, (wall, cpu) in rows:
        print(f"{name:{width}}  {wall:7.1f}  {cpu:7.1f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
