"""Measure hour-proof bundles: export of a month of 20,000 disclosed entries out of a
1,000,000-leaf log, verification of that bundle, bundle size, and proof size per
disclosed entry at 10^3, 10^5 and 10^6 leaves.

Targets (issues): export <= 5 s, verify <= 3 s; proof size grows with log2 of the log.
The exported client's 20,000 ``entry.add`` leaves all fall in March 2026; every other
leaf belongs to another client (git commits, file activity, time entries). The stores
are generated once (see _common.build_store) and cached under /tmp/hourproof-bench;
each export runs on a fresh copy. Export and verify run in a child process each, so
their peak RSS is reported too, with cached bytecode as an installed hourproof has it
(``bench_env``; this sandbox sets PYTHONDONTWRITEBYTECODE, which made every child, and
the export's PDF and tree children, compile each module they import lazily — ~0.3-0.6 s
a run that no installed copy pays). PDF rendering uses Qt offscreen.

Run: /work/venv/bin/python benchmarks/bench_bundle.py            (full size: 1M leaves;
     ~3 min the first time while it builds the stores, then ~1 min)
     /work/venv/bin/python benchmarks/bench_bundle.py --quick    (100k leaves, 2k entries)
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as c

PREPARE_CHILD = r"""
import sys
from hourproof.services.startup import open_home
open_home(sys.argv[1]).close()
# Compile what the export, its children and the verify import later (cached bytecode,
# as an installed hourproof has it; the first timed run would compile them otherwise).
import hourproof.services.export, hourproof.services.export_child, hourproof.services.verifying
import hourproof.proof.report_pdf, hourproof.proof.report_html, hourproof.proof.report_check
import hourproof.proof.verify, hourproof.ledger.merkle, hourproof.store.ledger
"""

EXPORT_CHILD = r"""
import json, os, resource, sys, time
from datetime import datetime
from pathlib import Path
from hourproof.services.app import App
from hourproof.services.startup import open_home
from hourproof.services.export import ExportRequest, export_bundle
home, out, client, lo, hi, reports = sys.argv[1:7]
t0, cpu0 = time.perf_counter(), time.process_time()
app = open_home(home)
req = ExportRequest(client=client, lo=datetime.fromisoformat(lo), hi=datetime.fromisoformat(hi),
                    out=Path(out), reports=reports == "1", anchor_first=False)
res = export_bundle(app, req)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - cpu0,
                  "child_cpu": kids.ru_utime + kids.ru_stime, "load": os.getloadavg()[0],
                  "entries": res.entries, "leaves": res.leaves, "tree_size": res.tree_size,
                  "bytes": res.bytes}))
"""

VERIFY_CHILD = r"""
import json, sys, time
from pathlib import Path
from hourproof.services.verifying import VerifyRequest, verify
t0, cpu0 = time.perf_counter(), time.process_time()
res = verify(None, VerifyRequest(bundle=Path(sys.argv[1]), remember=False))
steps = {s.name: s.detail for s in res.steps}
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - cpu0,
                  "ok": res.ok, "failure": str(res.failure) if res.failure else None,
                  "steps": steps}))
"""


def _export(home: Path, out: Path, reports: bool) -> tuple[dict[str, object], int]:
    # Open the copy once first: a cache built by an older hourproof is migrated (and
    # backed up, ~1.5 s for 1.4 GB) on its first open, which no later export pays.
    c.child_peak_rss([sys.executable, "-c", PREPARE_CHILD, str(home)], env=c.bench_env())
    cmd = [
        sys.executable,
        "-c",
        EXPORT_CHILD,
        str(home),
        str(out),
        c.CLIENT,
        c.MONTH_START.isoformat(),
        c.MONTH_END.isoformat(),
        "1" if reports else "0",
    ]
    _, rss, stdout = c.child_peak_rss(cmd, env=c.bench_env())
    return json.loads(stdout), rss


def _verify(bundle: Path) -> tuple[dict[str, object], int]:
    cmd = [sys.executable, "-c", VERIFY_CHILD, str(bundle)]
    _, rss, stdout = c.child_peak_rss(cmd, env=c.bench_env())
    info = json.loads(stdout)
    if not info["ok"]:  # reported in the table, so the other figures still print
        print(f"  the exported bundle did not verify: {info['failure']}", file=sys.stderr)
    return info, rss


def _sizes(bundle: Path) -> dict[str, int]:
    """Compressed bytes per kind of member."""
    out: dict[str, int] = {}
    with zipfile.ZipFile(bundle) as zf:
        for info in zf.infolist():
            name = info.filename
            kind = (
                "proofs/"
                if name.startswith("proofs/")
                else "anchors/"
                if name.startswith("anchors/")
                else name
            )
            out[kind] = out.get(kind, 0) + info.compress_size
    return out


def month_export(leaves: int, entries: int, repeat: int, with_reports: bool) -> None:
    rows: list[c.Row] = []
    n = f"{entries:,} entries of a {leaves:,}-leaf log"
    scale = leaves / 1_000_000
    full = False
    variants = [("reports=False", False)] + ([("with reports", True)] if with_reports else [])
    bundle_no_reports: Path | None = None
    sizes: dict[str, int] = {}
    with c.temp_home() as tmp:
        for label, reports in variants:
            runs = []
            for k in range(repeat if not reports else 1):
                with c.store_copy(leaves, entries) as home:
                    out = tmp / f"{label}-{k}.hproof"
                    runs.append(_export(home, out, reports))
            best = min(runs, key=lambda r: float(r[0]["seconds"]))  # type: ignore[arg-type]
            info, rss = best
            secs = [float(r[0]["seconds"]) for r in runs]  # type: ignore[arg-type]
            if info["entries"] != entries:
                raise SystemExit(f"export disclosed {info['entries']} entries, not {entries}")
            full = scale == 1 and entries == 20_000
            target = "<= 5 s" if full else "(5 s at 1M / 20k)"
            rows.append(
                c.Row(
                    f"export ({label}) of {n}, wall incl. opening the home, best of {len(runs)}",
                    f"{info['seconds']:.2f} s (CPU {info['cpu']:.2f} s + "
                    f"{info.get('child_cpu', 0):.2f} s in its children; "
                    f"load {info.get('load', 0):.1f})",
                    target,
                    c.verdict(float(info["seconds"]) <= 5) if full else "",  # type: ignore[arg-type]
                )
            )
            if len(secs) > 1:
                rows.append(c.Row("  median of the runs", f"{c.median(secs):.2f} s"))
            rows.append(c.Row("  peak RSS of the exporting process", f"{rss / 1024:.0f} MiB"))
            bundle = tmp / f"{label}-0.hproof"
            size = bundle.stat().st_size
            rows.append(
                c.Row(
                    f"  bundle size ({label})",
                    f"{size / 2**20:.1f} MiB ({size / entries:,.0f} B per entry)",
                )
            )
            if not reports:
                bundle_no_reports = bundle
                sizes = _sizes(bundle)
            else:
                s = _sizes(bundle)
                rows.append(
                    c.Row(
                        "  of which report.pdf / report.html (compressed)",
                        f"{s.get('report.pdf', 0) / 2**20:.1f} MiB / "
                        f"{s.get('report.html', 0) / 2**20:.1f} MiB",
                    )
                )
            vruns = [_verify(bundle) for _ in range(repeat)]
            vbest = min(vruns, key=lambda r: float(r[0]["seconds"]))  # type: ignore[arg-type]
            vtarget = "<= 3 s" if full else "(3 s at 1M / 20k)"
            rows.append(
                c.Row(
                    f"verify of that bundle ({label}), in-process, best of {repeat}",
                    f"{vbest[0]['seconds']:.2f} s (CPU {vbest[0]['cpu']:.2f} s)"
                    + ("" if vbest[0]["ok"] else f" — FAILED: {vbest[0]['failure']}"),
                    vtarget,
                    c.verdict(float(vbest[0]["seconds"]) <= 3) if full else "",  # type: ignore[arg-type]
                )
            )
            rows.append(c.Row("  peak RSS of the verifying process", f"{vbest[1] / 1024:.0f} MiB"))
    assert bundle_no_reports is not None
    comp = ", ".join(
        f"{k} {v / 2**20:.2f} MiB" for k, v in sorted(sizes.items(), key=lambda x: -x[1])[:5]
    )
    rows.append(c.Row("  largest parts of the reports=False bundle (compressed)", comp))
    c.print_table(f"Month export: {n}", rows)


def cold_verify(leaves: int = 20_000, entries: int = 200, runs: int = 7) -> None:
    """`hourproof verify` of a month's bundle as a client runs it: a new process, a fresh
    verifier home each time (trust on first use), reports included.

    Two ways, alternating run by run: with cached bytecode, as an installed hourproof
    has it (``bench_env``, warmed by one uncounted run; the figure the target is read
    on), and with none, as this sandbox's PYTHONDONTWRITEBYTECODE leaves a checkout,
    where every hourproof module is compiled again on each run (the figure this
    benchmark printed before 2026-12-02)."""
    import os
    import resource
    import subprocess
    import time

    rows: list[c.Row] = []
    with c.temp_home() as tmp:
        with c.store_copy(leaves, entries) as home:
            out = tmp / "month.hproof"
            _export(home, out, True)
        no_pyc = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        no_pyc.pop("PYTHONPYCACHEPREFIX", None)
        ways = {"cached bytecode": c.bench_env(), "no cached bytecode": no_pyc}
        walls: dict[str, list[float]] = {w: [] for w in ways}
        cpus: dict[str, list[float]] = {w: [] for w in ways}
        for k in range(runs + 1):  # run 0 warms the bytecode cache (not counted)
            for way, env in ways.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-m", "hourproof", "--home",
                     str(tmp / f"client{k}-{len(walls[way])}-{way[:2]}"), "verify", str(out)],
                    capture_output=True, text=True, env=env,
                )  # fmt: skip
                wall = time.perf_counter() - t0
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if done.returncode != 0:
                    raise SystemExit(f"verify failed: {done.stdout[-500:]} {done.stderr[-500:]}")
                if k:
                    walls[way].append(wall)
                    cpus[way].append(after.ru_utime - before.ru_utime + after.ru_stime
                                     - before.ru_stime)  # fmt: skip
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    for way in ways:
        med = c.median(walls[way])
        rows.append(c.Row(
            f"cold `hourproof verify` of a {entries}-entry month bundle with reports "
            f"({leaves:,}-leaf log), {way}, median of {runs}",
            f"{med:.2f} s wall (CPU {c.median(cpus[way]):.2f} s); best {min(walls[way]):.2f} s "
            f"wall, {min(cpus[way]):.2f} s CPU; load {load} at the end",
            "<= 0.3 s" if way == "cached bytecode" else "",
            c.verdict(med <= 0.3) if way == "cached bytecode" else "",
        ))  # fmt: skip
    c.print_table("Cold verify", rows)


def proof_growth(sizes: list[tuple[int, int]]) -> None:
    """Bytes per disclosed entry from real bundles (reports=False) at several log sizes."""
    import math

    from hourproof.ledger.tlogproof import parse_tlog_proof

    rows = []
    with c.temp_home() as tmp:
        for leaves, entries in sizes:
            with c.store_copy(leaves, entries) as home:
                out = tmp / f"{leaves}.hproof"
                info, _ = _export(home, out, False)
            with zipfile.ZipFile(out) as zf:
                proofs = [i for i in zf.infolist() if i.filename.startswith("proofs/")]
                hashes = [len(parse_tlog_proof(zf.read(i).decode()).hashes) for i in proofs]
                raw = sum(i.file_size for i in proofs) / len(proofs)
                packed = sum(
                    i.compress_size + 30 + len(i.filename) + 46 + len(i.filename) for i in proofs
                ) / len(proofs)
            total = out.stat().st_size / int(info["entries"])  # type: ignore[call-overload]
            path_bytes = sum(hashes) / len(hashes) * 45  # one base64 line per hash
            rows.append(
                c.Row(
                    f"{leaves:,} leaves ({entries:,} disclosed; log2 n = {math.log2(leaves):.1f})",
                    f"{sum(hashes) / len(hashes):.1f} hashes = {path_bytes:,.0f} B of path; "
                    f"proof file {raw:,.0f} B ({raw - path_bytes:,.0f} B header + checkpoint); "
                    f"{packed:,.0f} B zipped incl. zip headers; whole bundle {total:,.0f} B/entry",
                )
            )
    c.print_table("Proof size per disclosed entry (from real bundles, reports=False)", rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-reports", action="store_true", help="skip the PDF/HTML variant")
    parser.add_argument("--quick", action="store_true", help="100k leaves, 2k entries")
    parser.add_argument("--skip-growth", action="store_true")
    parser.add_argument("--only-growth", action="store_true")
    parser.add_argument("--cold", action="store_true", help="only the cold CLI verify")
    parser.add_argument(
        "--v1", action="store_true", help="a format-1 log (no chains): the 'before' figures"
    )
    args = parser.parse_args()
    if args.quick:
        args.leaves, args.entries, args.repeat = 100_000, 2_000, 1
    c.CHAINS = not args.v1
    print(f"# bench_bundle — {c.machine()}; log format {'1 (no chains)' if args.v1 else '2'}")
    if args.cold:
        cold_verify()
        return
    if not args.only_growth:
        month_export(args.leaves, args.entries, args.repeat, not args.no_reports)
    if not args.skip_growth:
        proof_growth([(1_000, 20), (100_000, 2_000), (1_000_000, 20_000)])


if __name__ == "__main__":
    main()
