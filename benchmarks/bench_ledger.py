"""Measure the ledger: bulk appends, one durable start/stop, the anchoring hand-off, and
``ledger verify`` of a million leaves (time, peak memory, ratio to raw SHA-256).

Targets (issues): bulk appends >= 5,000 leaves/s with a checkpoint every 1,000; a start
or stop durable (WAL, synchronous=FULL) in <= 20 ms of its own work; the anchoring
queue hand-off <= 5 ms; ``ledger verify`` of 1,000,000 leaves in <= 5 s and <= 300 MB.

Run: /work/venv/bin/python benchmarks/bench_ledger.py            (full size, ~2.5 min, plus
     ~75 s the first time while it builds and caches the 1M-leaf store under /tmp/hourproof-bench)
     /work/venv/bin/python benchmarks/bench_ledger.py --quick    (smaller sizes, ~1 min)
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as c

from hourproof.core import leaves as lk
from hourproof.services import anchoring, tracking
from hourproof.services.startup import open_home


def _git_fields(i: int) -> dict[str, object]:
    commit = hashlib.sha1(str(i).encode()).hexdigest()
    return {
        "repo": "3f1c0a9d2b8e4f6a7c5d1e0b9a8f7c6d",
        "project": "Backend",
        "client": "Globex",
        "commit": commit,
        "object_format": "sha1",
        "object_sha256": hashlib.sha256(commit.encode()).hexdigest(),
        "tree": commit[::-1],
        "author_date": "2026-03-02T10:00:00Z",
        "committer_date": "2026-03-02T10:00:00Z",
        "files_changed": 3,
        "insertions": 42,
        "deletions": 7,
        "subject": "Fix the parser's edge case with empty input",
    }


def _entry_fields(i: int) -> dict[str, object]:
    return {
        "project": "Website",
        "client": "Acme",
        "task": "build",
        "tags": ["dev"],
        "note": f"imported item {i}",
        "rate": {"minor": 9500, "currency": "EUR"},
        "start": "2026-03-02T10:00:00Z",
        "end": "2026-03-02T10:30:00Z",
        "source": "manual",
    }


def bulk_appends(count: int, kind: str) -> tuple[float, float]:
    """Leaves per second (wall, CPU) for one transaction of ``count`` appends with a
    checkpoint every 1,000, commit included."""
    fields = _git_fields if kind == lk.GIT_COMMIT else _entry_fields
    with c.temp_home() as home:
        app = open_home(home)
        _ = app.key
        t0, cpu0 = time.perf_counter(), time.process_time()
        with app.write() as txn:
            for i in range(count):
                txn.append(kind, fields(i))
                if (i + 1) % 1000 == 0:
                    txn.checkpoint()
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        app.close()
    return count / elapsed, count / cpu


def start_stop(pairs: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """Per-call seconds of tracking.start and tracking.stop (durable on return), with and
    without the anchoring hook; the hook's share is the queue hand-off."""
    starts, stops, stops_nohook, enqueues = [], [], [], []
    with c.temp_home() as home:
        app = open_home(home)
        _ = app.key
        with app.read() as conn:
            mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
        print(f"  store: journal_mode={mode}, synchronous={sync} (2 = FULL)")
        tracking.start(app, "warm-up")
        tracking.stop(app)
        hooks = list(app.checkpoint_hooks)
        for i in range(pairs * 2):
            with_hook = i % 2 == 0
            app.checkpoint_hooks[:] = hooks if with_hook else []
            t0 = time.perf_counter()
            tracking.start(app, f"project {i % 5}", tracking.Details(client="Acme"))
            t1 = time.perf_counter()
            tracking.stop(app)
            t2 = time.perf_counter()
            if with_hook:
                starts.append(t1 - t0)
                stops.append(t2 - t1)
            else:
                stops_nohook.append(t2 - t1)
        app.checkpoint_hooks[:] = hooks
        # The hand-off alone: anchoring.enqueue inside a write transaction.
        with app.write() as txn:
            size = txn.leaves.size()
            for _ in range(200):
                t0 = time.perf_counter()
                anchoring.enqueue(txn, size)
                enqueues.append(time.perf_counter() - t0)
        app.close()
    return starts, stops, stops_nohook, enqueues


VERIFY_CHILD = r"""
import json, sys, time
from hourproof.services.app import App
from hourproof.services.ledger_ops import verify_ledger
app = App.open(sys.argv[1])
t0, cpu0 = time.perf_counter(), time.process_time()
v = verify_ledger(app)
elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
print(json.dumps({"seconds": elapsed, "cpu": cpu, "ok": v.ok, "leaves": v.leaves,
                  "checkpoints": v.checkpoints, "problem": v.problem}))
"""

BASELINE_CHILD = r"""
from hourproof.services.app import App
from hourproof.services.ledger_ops import verify_ledger
import sys
App.open(sys.argv[1])
"""


def raw_hash_floor(db: Path) -> tuple[float, float, int]:
    """(seconds to SHA-256 every leaf's bytes held in memory, seconds to stream them
    from SQLite and hash them, total leaf bytes)."""
    sha, prefix = hashlib.sha256, b"\x00"
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    t0 = time.perf_counter()
    total = 0
    for (data,) in conn.execute("SELECT data FROM leaves ORDER BY seq"):
        sha(prefix + data).digest()
        total += len(data)
    streamed = time.perf_counter() - t0
    datas = [row[0] for row in conn.execute("SELECT data FROM leaves ORDER BY seq")]
    conn.close()
    t0 = time.perf_counter()
    for data in datas:
        sha(prefix + data).digest()
    in_memory = time.perf_counter() - t0
    return in_memory, streamed, total


def ledger_verify(leaves: int) -> list[c.Row]:
    home = c.build_store(leaves, min(20_000, leaves // 50))
    py = sys.executable
    c.child_peak_rss([py, "-c", VERIFY_CHILD, str(home)])  # warm the page cache
    _, base_rss, _ = c.child_peak_rss([py, "-c", BASELINE_CHILD, str(home)])
    runs = []
    for _ in range(3):
        wall, rss, out = c.child_peak_rss([py, "-c", VERIFY_CHILD, str(home)])
        runs.append((json.loads(out), wall, rss))
    info = runs[0][0]
    if not info["ok"] or info["leaves"] != leaves:
        raise SystemExit(f"verify failed on the generated store: {info}")
    secs = [r[0]["seconds"] for r in runs]
    cpus = [r[0]["cpu"] for r in runs]
    limit = 5 * leaves / 1_000_000
    target = "<= 5 s" if leaves == 1_000_000 else f"<= 5 s per 1M ({limit:.2f} s here)"
    rss_mib = max(r[2] for r in runs) / 1024
    cli_wall, cli_rss, _ = c.child_peak_rss(
        [py, "-m", "hourproof", "--home", str(home), "ledger", "verify"]
    )
    in_memory, streamed, total = raw_hash_floor(home / "hourproof.db")
    best = min(secs)
    n = f"{leaves:,}"
    return [
        c.Row(
            f"ledger verify, {n} leaves ({info['checkpoints']:,} checkpoints), "
            "verify_ledger() in-process, best of 3",
            f"{best:.2f} s ({leaves / best:,.0f} leaves/s; median {c.median(secs):.2f} s)",
            target,
            c.verdict(best <= limit),
        ),
        c.Row("  same, CPU seconds of the verifying process (best of 3)", f"{min(cpus):.2f} s"),
        c.Row(
            f"  `hourproof ledger verify` CLI, {n} leaves, wall incl. start-up",
            f"{cli_wall:.2f} s",
            "",
            "",
        ),
        c.Row(
            "  peak RSS of the verifying process (ru_maxrss)",
            f"{rss_mib:.0f} MiB",
            "<= 300 MB",
            c.verdict(rss_mib * 1.048576 <= 300),
        ),
        c.Row("  peak RSS of the same process opening the home only", f"{base_rss / 1024:.0f} MiB"),
        c.Row("  peak RSS of the CLI run", f"{cli_rss / 1024:.0f} MiB"),
        c.Row(
            f"  floor: SHA-256(0x00||leaf) over the same {total / 2**20:.0f} MiB in memory",
            f"{in_memory:.2f} s",
            "",
            f"verify = {best / in_memory:.0f}x",
        ),
        c.Row(
            "  floor: stream leaf bytes from SQLite (sqlite3, no SQLAlchemy) + SHA-256",
            f"{streamed:.2f} s",
            "",
            f"verify = {best / streamed:.1f}x",
        ),
    ]


HEALTH_CHILD = r"""
import json, sys, time
from hourproof.services.app import App
from hourproof.services.ledger_health import verify_home
app = App.open(sys.argv[1])
t0, cpu0 = time.perf_counter(), time.process_time()
h = verify_home(app)
elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
print(json.dumps({"seconds": elapsed, "cpu": cpu, "ok": h.ok, "leaves": h.ledger.leaves,
                  "problems": h.problems, "problem": h.ledger.problem}))
"""


def home_verify(leaves: int) -> list[c.Row]:
    """``ledger verify`` as the CLI runs it since issue 9: the leaves plus SQLite's
    integrity_check/foreign_key_check (in a second thread), the signed head and the keys."""
    home = c.build_store(leaves, min(20_000, leaves // 50))
    py = sys.executable
    c.child_peak_rss([py, "-c", HEALTH_CHILD, str(home)])  # warm the page cache
    runs = []
    for _ in range(3):
        wall, rss, out = c.child_peak_rss([py, "-c", HEALTH_CHILD, str(home)])
        runs.append((json.loads(out), wall, rss))
    info = runs[0][0]
    if not info["ok"]:
        raise SystemExit(f"verify_home failed on the generated store: {info}")
    secs = sorted(r[0]["seconds"] for r in runs)
    rss_mib = max(r[2] for r in runs) / 1024
    _, streamed, _ = raw_hash_floor(home / "hourproof.db")
    best, limit = secs[0], 5 * leaves / 1_000_000
    return [
        c.Row(
            f"ledger verify incl. integrity_check, {leaves:,} leaves, in-process, best of 3",
            f"{best:.2f} s (median {secs[1]:.2f} s)",
            "<= 5 s per 1M" if leaves != 1_000_000 else "<= 5 s",
            c.verdict(best <= limit),
        ),
        c.Row(
            "  peak RSS (ru_maxrss)",
            f"{rss_mib:.0f} MiB",
            "<= 300 MB",
            c.verdict(rss_mib * 1.048576 <= 300),
        ),
        c.Row(
            "  floor: stream leaf bytes from SQLite + SHA-256",
            f"{streamed:.2f} s",
            "<= 2x",
            f"verify = {best / streamed:.1f}x",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=50_000, help="leaves per bulk run")
    parser.add_argument("--pairs", type=int, default=50, help="start/stop pairs per variant")
    parser.add_argument("--verify-leaves", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="bulk runs per kind")
    parser.add_argument("--quick", action="store_true", help="10k appends, 100k-leaf verify")
    parser.add_argument("--skip-verify", action="store_true")
    parser.add_argument("--home-verify-only", action="store_true",
                        help="only ledger verify with the integrity check (issue 9)")  # fmt: skip
    args = parser.parse_args()
    if args.quick:
        args.appends, args.verify_leaves, args.repeat = 10_000, 100_000, 1
    print(f"# bench_ledger — {c.machine()}")
    if args.home_verify_only:
        c.print_table("ledger verify with integrity check", home_verify(args.verify_leaves))
        return

    rows: list[c.Row] = []
    for kind in (lk.GIT_COMMIT, lk.ENTRY_ADD):
        runs = [bulk_appends(args.appends, kind) for _ in range(args.repeat)]
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        rows.append(
            c.Row(
                f"bulk append {args.appends:,} `{kind}` leaves, one txn, checkpoint every 1,000: "
                f"wall, best / median of {args.repeat}",
                f"{max(walls):,.0f} / {c.median(walls):,.0f} leaves/s",
                ">= 5,000 leaves/s",
                c.verdict(max(walls) >= 5000),
            )
        )
        rows.append(
            c.Row(
                "  same, per CPU second of this process (less sensitive to load)",
                f"{max(cpus):,.0f} / {c.median(cpus):,.0f} leaves/s",
                "",
                "",
            )
        )
    c.print_table("Bulk appends", rows)

    starts, stops, stops_nohook, enqueues = start_stop(args.pairs)
    rows = [
        c.Row(
            f"tracking.start, durable on return ({len(starts)} calls) median / p95",
            f"{c.ms(c.median(starts))} / {c.ms(c.p95(starts))}",
            "<= 20 ms",
            c.verdict(c.median(starts) <= 0.020),
        ),
        c.Row(
            f"tracking.stop + signed checkpoint + enqueue ({len(stops)} calls) median / p95",
            f"{c.ms(c.median(stops))} / {c.ms(c.p95(stops))}",
            "<= 20 ms",
            c.verdict(c.median(stops) <= 0.020),
        ),
        c.Row(
            f"tracking.stop without the anchoring hook ({len(stops_nohook)} calls) median",
            c.ms(c.median(stops_nohook)),
        ),
        c.Row(
            "anchoring hand-off: stop with hook minus stop without (medians)",
            c.ms(c.median(stops) - c.median(stops_nohook)),
            "<= 5 ms",
            c.verdict(c.median(stops) - c.median(stops_nohook) <= 0.005),
        ),
        c.Row(
            f"anchoring.enqueue inside a txn ({len(enqueues)} calls) median / p95",
            f"{c.ms(c.median(enqueues))} / {c.ms(c.p95(enqueues))}",
            "<= 5 ms",
            c.verdict(c.p95(enqueues) <= 0.005),
        ),
    ]
    c.print_table("One start / stop (in-process, excluding interpreter start)", rows)

    if not args.skip_verify:
        c.print_table("ledger verify", ledger_verify(args.verify_leaves))


if __name__ == "__main__":
    main()
