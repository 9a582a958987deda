"""Desktop app figures: cold start to tray icon, a year of 50,000 entries, UI stalls,
idle memory with a 1,000,000-leaf ledger, idle CPU. Printed, never asserted.

Cold start and idle runs are real ``python -m hourproof.gui.main`` processes under
Xvfb with ``trayer`` as the system tray (skipped when those are missing); the app
writes "tray <s>" / "ready <s>" (seconds since its process started) to the file
named by HOURPROOF_GUI_TRACE. The window figures run in this process (offscreen):
a QTimer heartbeat every 5 ms measures the longest time the UI thread was busy.

    python benchmarks/bench_gui.py [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from _common import Row, bench_env, build_store, machine, median, print_table, temp_home

YEAR_ENTRIES = 50_000
BIG_LEDGER = 1_000_000
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


# --------------------------------------------------------------------------- homes


def year_home(root: Path, entries: int = YEAR_ENTRIES) -> Path:
    """A home whose projection holds ``entries`` entries spread over 2026."""
    from hourproof.core.entries import Entry
    from hourproof.services.app import App
    from hourproof.store.projection import Projection

    home = root / "year"
    App.open(home).close()
    start = datetime(2026, 1, 1, 7, tzinfo=UTC)
    step = (NOW - start) / entries
    rows = [
        Entry(
            id=i + 1, project=f"project-{i % 40}", client=f"Client {i % 7}", task=f"task {i}",
            tags=("bench",), note=None, start=start + step * i, end=start + step * (i + 0.8),
            source="manual",
        )
        for i in range(entries)
    ]  # fmt: skip
    db = sqlite3.connect(home / "hourproof.db", isolation_level=None)
    db.execute("BEGIN")
    Projection(db).put_entries(rows)
    db.executemany(
        "INSERT OR REPLACE INTO projects VALUES (?, ?, ?)",
        [(f"project-{p}", f"Client {p % 7}", "2026-11-25T00:00:00Z") for p in range(40)],
    )
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return home


# --------------------------------------------------------------------------- X display


def _free_display() -> int:
    for n in range(70, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise SystemExit("no free X display number")


@contextlib.contextmanager
def x_with_tray() -> Iterator[dict[str, str] | None]:
    """An Xvfb display with trayer as its system tray; None when not installed."""
    if not (shutil.which("Xvfb") and shutil.which("trayer")):
        yield None
        return
    display = f":{_free_display()}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    env = dict(os.environ, DISPLAY=display)
    try:
        for _ in range(200):
            if Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
                break
            time.sleep(0.02)
        tray = subprocess.Popen(
            ["trayer", "--edge", "top", "--widthtype", "pixel", "--width", "200"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(1.0)  # trayer claims the tray selection
        try:
            yield {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        finally:
            tray.terminate()
            tray.wait()
    finally:
        xvfb.terminate()
        xvfb.wait()


def _launch(home: Path, x_env: dict[str, str], trace: Path) -> subprocess.Popen[bytes]:
    env = bench_env(**x_env, HOURPROOF_GUI_TRACE=str(trace))
    return subprocess.Popen(
        [sys.executable, "-m", "hourproof.gui.main", "--home", str(home), "--hidden"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def _wait_trace(trace: Path, event: str, limit: float = 120.0) -> float | None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if trace.exists():
            for line in trace.read_text().splitlines():
                name, _, value = line.partition(" ")
                if name == event:
                    return float(value)
        time.sleep(0.01)
    return None


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def cold_start(home: Path, x_env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median seconds from process start to tray icon shown, and to first status."""
    trays, readies = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            trace = Path(tmp) / "trace"
            proc = _launch(home, x_env, trace)
            tray = _wait_trace(trace, "tray")
            ready = _wait_trace(trace, "ready")
            _stop(proc)
            if tray is None or ready is None:
                raise SystemExit(f"the app did not start: {proc.stderr.read().decode()[-400:]}")  # type: ignore[union-attr]
            trays.append(tray)
            readies.append(ready)
    return median(trays), median(readies)


def _proc_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def idle_figures(home: Path, x_env: dict[str, str], seconds: float) -> tuple[float, float]:
    """(RSS MiB after start settles, % of one core used while idle over ``seconds``)."""
    with tempfile.TemporaryDirectory() as tmp:
        trace = Path(tmp) / "trace"
        proc = _launch(home, x_env, trace)
        try:
            if _wait_trace(trace, "ready", 300) is None:
                raise SystemExit("the app did not get ready")
            time.sleep(5)  # the first reload and start-up work finish
            rss = _rss_mib(proc.pid)
            cpu0, t0 = _proc_cpu_seconds(proc.pid), time.monotonic()
            time.sleep(seconds)
            cpu = (_proc_cpu_seconds(proc.pid) - cpu0) / (time.monotonic() - t0) * 100
            rss = max(rss, _rss_mib(proc.pid))
        finally:
            _stop(proc)
    return rss, cpu


# --------------------------------------------------------------------------- in process


class Heartbeat:
    """A 5 ms QTimer; the longest gap between beats is the longest UI-thread stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._beat)
        self.last = time.perf_counter()
        self.worst = 0.0

    def _beat(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.worst


def _run_until(done: Callable[[], bool], limit: float = 120.0) -> None:
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + limit
    while not done():
        QCoreApplication.processEvents()
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the window")
        time.sleep(0.001)


def window_figures(home: Path) -> dict[str, float]:
    """Year shown (s), and the longest UI stall (s) during load, start and stop."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from hourproof.gui.controller import Controller
    from hourproof.gui.window import MainWindow
    from hourproof.services.app import App

    qapp = QApplication.instance() or QApplication([])
    app = App.open(home)
    app.clock = lambda: NOW
    settings = QSettings(str(home / "bench.ini"), QSettings.Format.IniFormat)
    controller = Controller(app)
    beat = Heartbeat()
    out: dict[str, float] = {}
    beat.start()
    window = MainWindow(controller, settings)
    window.resize(1280, 720)
    window.show()
    controller.start()
    _run_until(lambda: controller.loaded and not controller.busy)
    out["load_stall"] = beat.stop()
    shown: list[float] = []
    window.entries.page_shown.connect(lambda: shown.append(time.perf_counter()))
    beat.start()
    t0 = time.perf_counter()
    window.entries.set_period("this_year")
    _run_until(lambda: bool(shown))
    out["year_shown"] = shown[-1] - t0
    out["year_rows"] = window.entries.model.total_count()
    _run_until(lambda: not controller.busy)
    out["year_stall"] = beat.stop()
    for what in ("start", "stop"):
        beat.start()
        t0 = time.perf_counter()
        before = len(shown)
        if what == "start":
            window.start_project("benchmark")
        else:
            window.stop()
        _run_until(lambda n=before: len(shown) > n and not controller.busy)
        out[f"{what}_shown"] = time.perf_counter() - t0
        out[f"{what}_stall"] = beat.stop()
    controller.shutdown()
    window.close()
    app.close()
    del qapp
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, 10 s idle CPU")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows: list[Row] = []
    results: dict[str, float] = {}
    with temp_home() as tmp:
        year = year_home(tmp)
        figures = window_figures(year)
        results.update(figures)
        rows += [
            Row("window: year of 50,000 entries shown", f"{figures['year_shown'] * 1000:.0f} ms",
                "≤ 300 ms", "met" if figures["year_shown"] <= 0.3 else "MISSED"),
            Row("longest UI stall: load", f"{figures['load_stall'] * 1000:.0f} ms", "≤ 50 ms",
                "met" if figures["load_stall"] <= 0.05 else "MISSED"),
            Row("longest UI stall: switch to the year", f"{figures['year_stall'] * 1000:.0f} ms",
                "≤ 50 ms", "met" if figures["year_stall"] <= 0.05 else "MISSED"),
            Row("longest UI stall: start", f"{figures['start_stall'] * 1000:.0f} ms", "≤ 50 ms",
                "met" if figures["start_stall"] <= 0.05 else "MISSED"),
            Row("longest UI stall: stop", f"{figures['stop_stall'] * 1000:.0f} ms", "≤ 50 ms",
                "met" if figures["stop_stall"] <= 0.05 else "MISSED"),
            Row("stop shown (entries, totals)", f"{figures['stop_shown'] * 1000:.0f} ms"),
        ]  # fmt: skip
        with x_with_tray() as x_env:
            if x_env is None:
                rows.append(Row("cold start / idle", "skipped: Xvfb or trayer missing"))
            else:
                empty = tmp / "empty"
                from hourproof.services.app import App

                App.open(empty).close()
                runs = 3 if args.quick else 7
                tray, ready = cold_start(empty, x_env, runs)
                tray_y, ready_y = cold_start(year, x_env, runs)
                results.update(tray=tray, ready=ready, tray_year=tray_y, ready_year=ready_y)
                big_src = build_store(BIG_LEDGER, 20_000)
                big = tmp / "big"
                shutil.copytree(big_src, big, ignore=shutil.ignore_patterns("complete"))
                rss, cpu = idle_figures(big, x_env, 10 if args.quick else 60)
                results.update(rss_mib=rss, idle_cpu=cpu)
                rows += [
                    Row("cold start to tray icon (empty home)", f"{tray:.2f} s", "≤ 1.5 s",
                        "met" if tray <= 1.5 else "MISSED"),
                    Row("cold start to tray icon (50,000 entries)", f"{tray_y:.2f} s", "≤ 1.5 s",
                        "met" if tray_y <= 1.5 else "MISSED"),
                    Row("cold start to state shown (empty / 50,000)",
                        f"{ready:.2f} / {ready_y:.2f} s"),
                    Row("idle RSS, 1,000,000-leaf ledger", f"{rss:.0f} MiB", "≤ 150 MB",
                        "met" if rss * 1.048576 <= 150 else "MISSED"),
                    Row(f"idle CPU over {10 if args.quick else 60} s", f"{cpu:.2f} % of a core",
                        "≤ 0.5 %", "met" if cpu <= 0.5 else "MISSED"),
                ]  # fmt: skip
    if args.json:
        print(json.dumps(results, indent=2))
    print_table(f"Desktop app ({machine()})", rows)


if __name__ == "__main__":
    main()
