"""Measure cosigning: approve / approvals add of a 20,000-entry bundle (time, added bytes),
cosignature verification rate, what witnessing adds to the start/stop path, and the
dispute PDF's size and render time for a month (~160 entries) and for 20,000 entries.

The 20,000-entry home is written in one transaction (20,000 entry.add leaves of one
client in March 2026, one checkpoint), so the log holds only that client. Witness
submission uses the loopback witness of tests/support/witness.py. Prints figures; asserts nothing.

Run: .venv/bin/python benchmarks/bench_cosign.py [--entries 20000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _common as c


def _timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def cosignature_rate(rows: list[c.Row]) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from hourproof.ledger import cosignature as cs

    body = "hourproof.local/0123456789abcdef\n1000000\n" + "A" * 43 + "=\n"
    key = Ed25519PrivateKey.generate()
    who = cs.Cosigner("w.example/1", key.public_key())
    lines = [cs.cosign(body, who.name, key, 1_700_000_000 + i).line for i in range(2000)]
    secs, _ = _timed(lambda: [cs.verified_cosigners(line, body, [who]) for line in lines])
    rows.append(
        c.Row(
            "cosignature/v1 verification (parse + Ed25519)", f"{len(lines) / secs:,.0f} per second"
        )
    )


def _home_with_entries(path: Path, entries: int):
    """A home whose log holds `entries` finished entries of one client in March (one write)."""
    from hourproof.core import leaves as lk
    from hourproof.core.timeparse import to_rfc3339
    from hourproof.services.app import App

    app = App.open(path)
    with app.write() as txn:
        for i in range(entries):
            begin = c.MONTH_START + timedelta(minutes=2 * i)
            txn.append(
                lk.ENTRY_ADD,
                {
                    "project": f"p{i % 7}",
                    "client": c.CLIENT,
                    "source": "manual",
                    "start": to_rfc3339(begin),
                    "end": to_rfc3339(begin + timedelta(minutes=1)),
                },
            )
        txn.checkpoint()
    return app


def approvals_20k(entries: int, rows: list[c.Row]) -> None:
    from hourproof.services import approvals
    from hourproof.services.app import App
    from hourproof.services.export import ExportRequest, export_bundle

    with tempfile.TemporaryDirectory() as tmp:
        secs, app = _timed(lambda: _home_with_entries(Path(tmp) / "home", entries))
        bundle = Path(tmp) / "month.hproof"
        req = ExportRequest(
            client=c.CLIENT,
            lo=c.MONTH_START,
            hi=c.MONTH_END,
            out=bundle,
            reports=False,
            anchor_first=False,
        )
        export_bundle(app, req)
        client = App.open(Path(tmp) / "client")
        client.key  # noqa: B018 - made on first use, outside the measurement
        secs, signed = _timed(lambda: approvals.approve(client, bundle, Path(tmp) / "a.json"))
        rows.append(
            c.Row(f"approve of a {entries:,}-entry bundle, incl. its full verify", f"{secs:.2f} s")
        )
        rows.append(c.Row("  approval file size", f"{signed.path.stat().st_size:,} B"))
        secs, (seq, _a) = _timed(lambda: approvals.add_approval(app, signed.path))
        rows.append(c.Row("approvals add (check, pin, append leaf, checkpoint)", f"{secs:.3f} s"))
        with app.read_db() as db:
            leaf = db.execute("SELECT length(data) FROM leaves WHERE seq = ?", (seq,)).fetchone()
        rows.append(c.Row("  approval leaf size in the log", f"{leaf[0]:,} B"))
        bundle2 = Path(tmp) / "month2.hproof"
        export_bundle(
            app,
            ExportRequest(
                client=c.CLIENT,
                lo=c.MONTH_START,
                hi=c.MONTH_END,
                out=bundle2,
                reports=False,
                anchor_first=False,
            ),
        )
        rows.append(
            c.Row(
                "  bundle bytes added by carrying the approval (leaf, proof, checkpoint)",
                f"{bundle2.stat().st_size - bundle.stat().st_size:+,} B",
            )
        )
        dispute(bundle2, f"{entries:,} entries", rows)
        app.close()
        client.close()


def dispute(bundle: Path, label: str, rows: list[c.Row]) -> None:
    import zlib

    from hourproof.services.dispute import _verify_file, render_for, write_dispute_pdf

    secs, pdf = _timed(lambda: write_dispute_pdf(bundle))
    result = _verify_file(bundle)
    data = bundle.read_bytes()
    render_secs, _ = _timed(lambda: render_for(result, bundle.name, data))
    rows.append(
        c.Row(
            f"dispute PDF for {label}: verify + render (render alone)",
            f"{secs:.2f} s ({render_secs * 1000:.0f} ms)",
        )
    )
    attached = len(zlib.compress(data, 6))
    total = pdf.stat().st_size
    rows.append(
        c.Row(
            "  PDF size: total / attached bundle (deflated) / statement pages",
            f"{total / 2**20:.2f} MiB / {attached / 2**20:.2f} MiB / "
            f"{(total - attached) / 1024:,.0f} KiB",
        )
    )


def month_dispute(rows: list[c.Row]) -> None:
    from hourproof.services import tracking
    from hourproof.services.app import App
    from hourproof.services.export import ExportRequest, export_bundle

    with tempfile.TemporaryDirectory() as tmp:
        app = App.open(Path(tmp) / "home")
        start = c.MONTH_START + timedelta(hours=9)
        for day in range(22):  # a working month: 22 days x 4 entries of 1h45
            for k in range(4):
                begin = start + timedelta(days=day, hours=2 * k)
                tracking.add(
                    app,
                    "site",
                    begin,
                    begin + timedelta(minutes=105),
                    tracking.Details(client=c.CLIENT),
                )
        bundle = Path(tmp) / "month.hproof"
        export_bundle(
            app,
            ExportRequest(
                client=c.CLIENT,
                lo=c.MONTH_START,
                hi=c.MONTH_END,
                out=bundle,
                reports=False,
                anchor_first=False,
            ),
        )
        dispute(bundle, "a month (88 entries)", rows)
        app.close()


def witness_latency(rows: list[c.Row]) -> None:
    """What a configured witness adds to the CLI's stop path: anchoring.kick's check."""
    from tests.support.witness import TestWitness

    from hourproof.services import anchoring, tracking, witnessing
    from hourproof.services.app import App

    with tempfile.TemporaryDirectory() as tmp:
        app = App.open(Path(tmp) / "home")
        t = c.MONTH_START
        tracking.add(app, "site", t, t + timedelta(hours=1), tracking.Details(client=c.CLIENT))
        n = 200
        without, _ = _timed(lambda: [witnessing.due(app) for _ in range(n)])
        with TestWitness(Path(tmp) / "w.json") as w:
            witnessing.add_witness(app, "w", w.url, w.vkey)
            witnessing.drain(app, timeout=30)  # up to date: nothing due
            up_to_date, _ = _timed(lambda: [witnessing.due(app) for _ in range(n)])
            sends_before = len(w.requests_seen)
            tracking.add(
                app,
                "site",
                t + timedelta(hours=2),
                t + timedelta(hours=3),
                tracking.Details(client=c.CLIENT),
            )
            assert len(w.requests_seen) == sends_before  # recording sent nothing itself
        _ = anchoring
        app.close()
    rows.append(
        c.Row(
            "witnessing.due() on the stop path, no witness configured",
            f"{without / n * 1000:.3f} ms",
        )
    )
    rows.append(
        c.Row(
            "witnessing.due() with one witness configured",
            f"{up_to_date / n * 1000:.3f} ms (no network: submission rides the drain)",
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=20_000)
    args = ap.parse_args()
    os.environ.setdefault("HOURPROOF_DEFAULT_TSAS", "none")
    os.environ.setdefault("HOURPROOF_PASSPHRASE", "")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    rows: list[c.Row] = []
    cosignature_rate(rows)
    witness_latency(rows)
    month_dispute(rows)
    approvals_20k(args.entries, rows)
    c.print_table(f"Cosigning ({c.machine()})", rows)


if __name__ == "__main__":
    main()
