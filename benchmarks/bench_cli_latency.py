"""Measure cold CLI latency of `hourproof status/start/stop` beside Watson's (target <= 2x).

Each run is a fresh process (interpreter start included), as a user types it. Both
tools run from the same Python with bytecode cached in one PYTHONPYCACHEPREFIX
(warmed first), on fresh temp homes (``--home`` / ``WATSON_DIR``); hourproof has
no TSA configured and an unencrypted key. Runs alternate between the tools so load
on the machine hits both alike. Watson lives in its own venv, never in the
project's dependencies:

    python3 -m venv /tmp/watson-venv && /tmp/watson-venv/bin/pip install td-watson

Run: /work/venv/bin/python benchmarks/bench_cli_latency.py [--runs 10] [--importtime]
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as c

DEFAULT_WATSON = "/tmp/watson-venv/bin/watson"


def _run(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.decode()[-1500:]}")
    return elapsed


def _hourproof(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "hourproof", "--home", str(home), *args]


def measure(watson: str, runs: int) -> dict[tuple[str, str], list[float]]:
    """Seconds per run for (tool, command); each run on a fresh home."""
    times: dict[tuple[str, str], list[float]] = {}
    env_hp = c.bench_env()
    for _ in range(2):  # warm bytecode and the page cache for both tools
        with c.temp_home() as tmp:
            _run(_hourproof(tmp, "start", "warm"), env_hp)
            _run([watson, "start", "warm"], c.bench_env(WATSON_DIR=str(tmp / "w")))
    for _ in range(runs):
        with c.temp_home() as tmp:
            hp_home, w_env = tmp / "hp", c.bench_env(WATSON_DIR=str(tmp / "w"))
            # A home exists before the timed runs (made by a first status), as for a user.
            _run(_hourproof(hp_home, "status"), env_hp)
            _run([watson, "status"], w_env)
            steps = [
                ("status", _hourproof(hp_home, "status"), [watson, "status"]),
                ("start", _hourproof(hp_home, "start", "website"), [watson, "start", "website"]),
                ("status (running)", _hourproof(hp_home, "status"), [watson, "status"]),
                ("stop", _hourproof(hp_home, "stop"), [watson, "stop"]),
            ]
            for name, hp_cmd, w_cmd in steps:
                times.setdefault(("hourproof", name), []).append(_run(hp_cmd, env_hp))
                times.setdefault(("watson", name), []).append(_run(w_cmd, w_env))
    return times


def baseline(runs: int) -> float:
    """Median seconds of a bare `python -c pass` with the same interpreter."""
    env = c.bench_env()
    return c.median([_run([sys.executable, "-c", "pass"], env) for _ in range(runs)])


def importtime(top: int) -> None:
    """Cumulative import time of the heaviest modules for `hourproof status`."""
    with c.temp_home() as tmp:
        env = c.bench_env()
        _run(_hourproof(tmp, "status"), env)
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "hourproof", "--home", str(tmp), "status"],
            env=env,
            capture_output=True,
            text=True,
        )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        parts = line[len("import time:") :].split("|")
        self_us, cum_us, name = int(parts[0]), int(parts[1]), parts[2]
        depth = (len(name) - len(name.lstrip())) // 2
        rows.append((cum_us, self_us, depth, name.strip()))
    total = sum(r[0] for r in rows if r[2] == 0)
    print(f"\n## `python -X importtime -m hourproof status`: {total / 1000:.0f} ms of imports\n")
    print("| module (top-level imports and their heaviest children) | cumulative | self |")
    print("|---|---|---|")
    for cum, own, depth, name in sorted((r for r in rows if r[2] <= 2), reverse=True)[:top]:
        print(f"| {'  ' * depth}{name} | {cum / 1000:.1f} ms | {own / 1000:.1f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--watson", default=DEFAULT_WATSON)
    parser.add_argument("--importtime", action="store_true", help="also print import times")
    args = parser.parse_args()
    watson = shutil.which(args.watson) or args.watson
    if not os.access(watson, os.X_OK):
        raise SystemExit(
            f"Watson not found at {watson}; install it into its own venv:\n"
            "  python3 -m venv /tmp/watson-venv && "
            "/tmp/watson-venv/bin/pip install td-watson"
        )
    version = subprocess.run([watson, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"# bench_cli_latency — {c.machine()}")
    print(f"# {version}; hourproof from {c.ROOT / 'src'}; {args.runs} runs each, fresh homes")
    times = measure(watson, args.runs)
    bare = baseline(args.runs)
    rows = []
    for name in ("status", "start", "status (running)", "stop"):
        hp, w = c.median(times[("hourproof", name)]), c.median(times[("watson", name)])
        rows.append(
            c.Row(
                f"`{name}` cold, median of {args.runs}: hourproof / watson",
                f"{c.ms(hp)} / {c.ms(w)} = {hp / w:.1f}x",
                "<= 2x watson",
                c.verdict(hp <= 2 * w),
            )
        )
    rows.append(c.Row("bare `python -c pass` (same interpreter), median", c.ms(bare)))
    c.print_table("Cold CLI latency (interpreter start included)", rows)
    if args.importtime:
        importtime(25)


if __name__ == "__main__":
    main()
