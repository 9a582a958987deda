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
        #: Called on every beat (e.g. to notice when something is on screen).
        self.on_beat: Callable[[], None] | None = None

    def _beat(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now
        if self.on_beat is not None:
            self.on_beat()

    def start(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer.start()

    def stop(self) -> float:
        """The longest gap, counting the one still open (work done with no event loop)."""
        self.timer.stop()
        return max(self.worst, time.perf_counter() - self.last)


def _run_until(done: Callable[[], bool], limit: float = 120.0) -> None:
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + limit
    while not done():
        QCoreApplication.processEvents()
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the window")
        time.sleep(0.001)


def window_figures(home: Path) -> dict[str, float]:
    """The app's start-up as ``hourproof.gui.main`` runs it (``DesktopApp.open`` then
    ``build``, nothing imported before), then the year, a start and a stop: seconds of
    each phase, its longest UI-thread stall, and the CPU seconds of the load. Run in a
    fresh process (``--window HOME``) so the imports are measured too."""
    from PySide6.QtWidgets import QApplication

    from hourproof.gui.main import DesktopApp

    qapp = QApplication.instance() or QApplication([])
    desktop = DesktopApp(qapp, home, None)  # type: ignore[arg-type]
    beat = Heartbeat()
    out: dict[str, float] = {}
    first_rows: list[float] = []

    def rows_shown() -> None:
        if (
            not first_rows
            and desktop.window is not None
            and desktop.window.entries.model.rowCount()
        ):
            first_rows.append(time.perf_counter())

    beat.on_beat = rows_shown
    c0, t0 = time.process_time(), time.perf_counter()
    beat.start()
    desktop.prepare()
    if desktop.open() is not None:
        raise SystemExit("the home did not open")
    out["open_wall"] = time.perf_counter() - t0
    out["open_stall"] = beat.stop()
    desktop.app.clock = lambda: NOW
    t1 = time.perf_counter()
    beat.start()
    desktop.build(hidden=False)
    controller, window = desktop.controller, desktop.window
    out["built_wall"] = time.perf_counter() - t1
    _run_until(lambda: controller.loaded and not controller.busy and bool(first_rows))
    out["load_stall"] = beat.stop()
    out["load_wall"] = time.perf_counter() - t0
    out["load_cpu"] = time.process_time() - c0
    out["window_shown"] = first_rows[0] - t1
    beat.on_beat = None
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
    window.close()
    desktop.close()
    return out


def window_runs(home: Path, runs: int) -> dict[str, list[float]]:
    """``window_figures`` in ``runs`` fresh processes (the first compiles bytecode and
    is not counted)."""
    figures: dict[str, list[float]] = {}
    for n in range(runs + 1):
        with tempfile.TemporaryDirectory() as tmp:  # a fresh copy: each run starts a timer
            copy = Path(tmp) / "year"
            shutil.copytree(home, copy)
            done = subprocess.run(
                [sys.executable, __file__, "--window", str(copy)], env=bench_env(),
                capture_output=True, text=True, check=False,
            )  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"window figures failed: {done.stderr[-600:]}")
        if n == 0:
            continue
        for key, value in json.loads(done.stdout.splitlines()[-1]).items():
            figures.setdefault(key, []).append(value)
    return figures


def _ms(values: list[float], limit: float | None = None) -> tuple[str, str, str]:
    """The median and the max in ms, the target, and the verdict (the max counts)."""
    text = f"{median(values) * 1000:.0f} ms (max {max(values) * 1000:.0f})"
    if limit is None:
        return text, "", ""
    return text, f"≤ {limit * 1000:.0f} ms", "met" if max(values) <= limit else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, 10 s idle CPU")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--window-only", action="store_true", help="no cold starts, no idle")
    parser.add_argument("--window", metavar="HOME", help=argparse.SUPPRESS)  # one child run
    args = parser.parse_args()
    if args.window:
        print(json.dumps(window_figures(Path(args.window))))
        return
    rows: list[Row] = []
    results: dict[str, float] = {}
    with temp_home() as tmp:
        year = year_home(tmp)
        runs = 3 if args.quick else 7
        figures = window_runs(year, runs)
        results.update({key: median(values) for key, values in figures.items()})
        stall = {
            key: _ms(figures[f"{key}_stall"], 0.05)
            for key in ("open", "load", "year", "start", "stop")
        }
        cpu, wall = median(figures["load_cpu"]), median(figures["load_wall"])
        rows += [
            Row(f"window: year of 50,000 entries shown (median of {runs} runs)",
                *_ms(figures["year_shown"], 0.3)),
            Row("window shown at start (build begun → first page)",
                *_ms(figures["window_shown"], 0.3)),
            Row("load: open + build until settled, CPU / wall", f"{cpu:.2f} / {wall:.2f} s"),
            Row("longest UI stall: open (store opened, key read)", *stall["open"]),
            Row("longest UI stall: load (window built and first shown)", *stall["load"]),
            Row("longest UI stall: switch to the year", *stall["year"]),
            Row("longest UI stall: start", *stall["start"]),
            Row("longest UI stall: stop", *stall["stop"]),
            Row("stop shown (entries, totals)", *_ms(figures["stop_shown"])),
        ]  # fmt: skip
        if args.window_only:
            print_table(f"Desktop app ({machine()})", rows)
            return
        with x_with_tray() as x_env:
            if x_env is None:
                rows.append(Row("cold start / idle", "skipped: Xvfb or trayer missing"))
            else:
                empty = tmp / "empty"
                from hourproof.services.app import App

                App.open(empty).close()
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
