"""Shared helpers for the ledger, CLI and bundle benchmarks (figures printed, never asserted).

Every benchmark runs on throw-away homes with no TSA configured and an unencrypted key
(``HOURPROOF_DEFAULT_TSAS=none``, ``HOURPROOF_PASSPHRASE=""``), so nothing touches the
network or the real home folder. Large stores are built once by :func:`build_store`
and cached under /tmp/hourproof-bench; each run works on a fresh copy.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

BENCH_ENV = {
    "HOURPROOF_DEFAULT_TSAS": "none",
    "HOURPROOF_PASSPHRASE": "",
    "QT_QPA_PLATFORM": "offscreen",
}
os.environ.update(BENCH_ENV)
os.environ.pop("HOURPROOF_HOME", None)

CACHE = Path(os.environ.get("HOURPROOF_BENCH_CACHE", "/tmp/hourproof-bench"))
STORE_VERSION = 1  # bump when the generated store's contents change

CLIENT = "Acme"  # the exported client
OTHER = "Globex"  # everyone else in the log
MONTH_START = datetime(2026, 3, 1, tzinfo=UTC)
MONTH_END = datetime(2026, 4, 1, tzinfo=UTC)


# --------------------------------------------------------------------------- homes


@contextlib.contextmanager
def temp_home(prefix: str = "hp-bench-") -> Iterator[Path]:
    """A fresh empty folder for a home (removed afterwards)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def bench_env(**extra: str) -> dict[str, str]:
    """The environment for a benchmark subprocess."""
    env = dict(os.environ)
    env.update(BENCH_ENV)
    env.pop("HOURPROOF_HOME", None)
    # Cached bytecode, as an installed package has it (this sandbox sets
    # PYTHONDONTWRITEBYTECODE, which would make every child recompile hourproof).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


# --------------------------------------------------------------------------- figures


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


@dataclass
class Row:
    measure: str
    figure: str
    target: str = ""
    verdict: str = ""


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("met" if ok else "MISSED")


def print_table(title: str, rows: list[Row]) -> None:
    """A plain-text table (also valid Markdown) of measured figures."""
    head = ("measure", "measured", "target", "")
    cells = [head] + [(r.measure, r.figure, r.target, r.verdict) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    print(f"\n## {title}\n")
    for n, cell in enumerate(cells):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    sys.stdout.flush()


def machine() -> str:
    """A one-line description of where the figures were taken."""
    import platform
    import sqlite3 as sq

    load = os.getloadavg()
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} CPUs ({cpu}); Python {platform.python_version()}; "
        f"SQLite {sq.sqlite_version}; load average {load[0]:.2f} at start"
    )


def child_peak_rss(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, bytes]:
    """Run a command; (wall seconds, peak RSS in KiB of that one child, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env or bench_env()
    )
    assert proc.stdout is not None and proc.stderr is not None
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode()[-2000:]}")
    return wall, usage.ru_maxrss, out


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


# --------------------------------------------------------------------------- big stores


def _rfc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _jcs(obj: dict[str, Any]) -> bytes:
    # For objects with ASCII keys, integers and strings only, RFC 8785 output is exactly
    # json.dumps with sorted keys and no spaces (hourproof's parse_canonical relies on the
    # same fact); build_store checks a sample against the real serializer.
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class _LeafMaker:
    """Realistic leaves: the exported client's month of entries inside another client's log."""

    def __init__(self, total: int, client_entries: int) -> None:
        self.total = total
        self.client_entries = client_entries
        # The log spans ~2.5 years; the exported month sits near its end.
        self.log_start = datetime(2024, 1, 1, tzinfo=UTC)
        self.log_end = datetime(2026, 6, 1, tzinfo=UTC)
        span = (self.log_end - self.log_start).total_seconds()
        month_lo = (MONTH_START - self.log_start).total_seconds() / span
        month_hi = (MONTH_END - self.log_start).total_seconds() / span
        self.month_first = int(total * month_lo)
        self.month_last = int(total * month_hi)
        window = self.month_last - self.month_first
        if client_entries > window:
            raise SystemExit(f"{client_entries} client entries do not fit in {window} leaves")
        self.every = window / client_entries if client_entries else 0.0
        self.span = span
        self.repo = secrets.token_hex(16)
        self.watch = secrets.token_hex(16)
        self.made_client = 0

    def recorded(self, seq: int) -> datetime:
        return self.log_start + timedelta(seconds=int(self.span * seq / self.total))

    def is_client(self, seq: int) -> bool:
        if not self.client_entries or not self.month_first <= seq < self.month_last:
            return False
        k = self.made_client
        return k < self.client_entries and seq >= self.month_first + int(k * self.every)

    def leaf(self, seq: int) -> dict[str, Any]:
        at = self.recorded(seq)
        base: dict[str, Any] = {
            "v": 1,
            "seq": seq,
            "recorded_at": _rfc(at),
            "salt": base64.b64encode(secrets.token_bytes(16)).decode(),
            "after_anchor": None,
        }
        if self.is_client(seq):
            k = self.made_client
            self.made_client += 1
            start = MONTH_START + timedelta(
                seconds=int(k * (MONTH_END - MONTH_START).total_seconds() / self.client_entries)
            )
            end = start + timedelta(minutes=2)
            base["recorded_at"] = _rfc(max(at, end))
            base.update(
                kind="entry.add",
                project="Website",
                client=CLIENT,
                task="build",
                tags=["dev"],
                note=f"work item {k}",
                rate={"minor": 9500, "currency": "EUR"},
                start=_rfc(start),
                end=_rfc(end),
                source="manual",
            )
            return base
        pick = seq % 20
        if pick < 12:  # 60 %: git commits
            commit = secrets.token_hex(20)
            base.update(
                kind="git.commit",
                repo=self.repo,
                project="Backend",
                client=OTHER,
                commit=commit,
                object_format="sha1",
                object_sha256=secrets.token_hex(32),
                tree=secrets.token_hex(20),
                author_date=_rfc(at - timedelta(seconds=30)),
                committer_date=_rfc(at - timedelta(seconds=30)),
                files_changed=2 + seq % 5,
                insertions=10 + seq % 90,
                deletions=seq % 40,
                subject=f"Fix parser edge case {seq}",
            )
        elif pick < 17:  # 25 %: file activity spans
            base.update(
                kind="file.activity",
                watch=self.watch,
                project="Backend",
                client=OTHER,
                start=_rfc(at - timedelta(minutes=20)),
                end=_rfc(at),
                files=["src/app/models.py", f"src/app/view{seq % 7}.py"],
                more_files=0,
                events=5 + seq % 30,
            )
        else:  # 15 %: the other client's time entries
            start = at - timedelta(hours=1)
            base.update(
                kind="entry.add",
                project="Backend",
                client=OTHER,
                task=None,
                tags=[],
                note=None,
                rate=None,
                start=_rfc(start),
                end=_rfc(at - timedelta(minutes=1)),
                source="manual",
            )
        return base


#: Bundle format 2: entry leaves carry per-client chain fields and every checkpoint the
#: client-map extension line (False builds a format-1 log, for before/after figures).
CHAINS = True


def store_path(leaves: int, client_entries: int) -> Path:
    chains = "-chains" if CHAINS else ""
    return CACHE / f"home-v{STORE_VERSION}{chains}-{leaves}-{client_entries}"


def build_store(leaves: int, client_entries: int = 0, quiet: bool = False) -> Path:
    """A home whose log has ``leaves`` leaves (``client_entries`` of them the exported
    client's entry.add leaves in March 2026), with correct hashes, frontier, projections
    and a checkpoint signed by the home's key every 1,000 leaves. Cached; returns the home."""
    home = store_path(leaves, client_entries)
    if (home / "complete").exists():
        return home
    from hourproof.core.entries import apply_leaf
    from hourproof.ledger.canonical import canonical
    from hourproof.ledger.checkpoint import Checkpoint, sign_checkpoint
    from hourproof.ledger.keys import log_origin
    from hourproof.ledger.merkle import CompactRange, leaf_hash
    from hourproof.services.startup import open_home
    from hourproof.store.projection import _INSERT_ENTRY, _entry_row

    shutil.rmtree(home, ignore_errors=True)
    home.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    app = open_home(home)
    key = app.key
    origin = log_origin(key.public_key())
    app.close()
    maker = _LeafMaker(leaves, client_entries)
    tree = CompactRange()
    db = sqlite3.connect(home / "hourproof.db", isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    leaf_rows: list[tuple[Any, ...]] = []
    entry_rows: list[tuple[Any, ...]] = []
    evidence_rows: list[tuple[Any, ...]] = []
    projects: dict[str, tuple[str | None, str]] = {}
    cp_rows: list[tuple[Any, ...]] = []

    def flush() -> None:
        db.executemany("INSERT INTO leaves VALUES (?,?,?,?,?)", leaf_rows)
        db.executemany("INSERT INTO evidence VALUES (?,?,?,?,?,?)", evidence_rows)
        db.executemany(_INSERT_ENTRY, entry_rows)
        db.executemany("INSERT INTO checkpoints VALUES (?,?,?,?)", cp_rows)
        for lst in (leaf_rows, entry_rows, evidence_rows, cp_rows):
            lst.clear()

    from hourproof.ledger import clientmap
    from hourproof.store import chains as store_chains

    store_chains.ensure(db)  # chains_from = 0: the whole log is chained
    chain_state: dict[str, list[Any]] = {}  # client -> [secret, blinded, count, head]
    chain_rows: list[tuple[Any, ...]] = []

    def map_line() -> tuple[str, ...]:
        if not CHAINS:
            return ()
        entries = {s[1]: clientmap.MapEntry(s[2], s[3]) for s in chain_state.values() if s[2]}
        return (clientmap.extension_line(0, clientmap.map_root(entries)),)

    for seq in range(leaves):
        leaf = maker.leaf(seq)
        state = None
        if CHAINS and leaf["kind"].startswith("entry.") and leaf.get("client"):
            if leaf["client"] not in chain_state:
                secret = secrets.token_bytes(32)
                chain_state[leaf["client"]] = [secret, clientmap.blinded_id(secret), 0, None]
            state = chain_state[leaf["client"]]
            leaf["chain"] = {"n": state[2] + 1, "prev": state[3].hex() if state[3] else None}
        data = _jcs(leaf)
        if seq % 997 == 0 and canonical(leaf) != data:
            raise SystemExit("generated leaf bytes are not RFC 8785: fix _jcs")
        digest = leaf_hash(data)
        if state is not None:
            state[2], state[3] = state[2] + 1, digest
            chain_rows.append((seq, state[1], state[2], digest))
        tree.append(digest)
        leaf_rows.append((seq, leaf["kind"], leaf["recorded_at"], data, digest))
        if leaf["kind"] == "entry.add":
            entry = apply_leaf(seq, leaf, None)
            assert entry is not None
            entry_rows.append(_entry_row(entry))
            last = projects.get(entry.project)
            if last is None or leaf["start"] >= last[1]:
                projects[entry.project] = (entry.client, leaf["start"])
        else:
            start = str(leaf.get("start") or leaf["author_date"])
            end = str(leaf.get("end") or start)
            evidence_rows.append((seq, leaf["kind"], leaf["project"], leaf["client"], start, end))
        if tree.size % 1000 == 0 or tree.size == leaves:
            cp = Checkpoint(origin, tree.size, tree.root(), map_line())
            cp_rows.append((tree.size, cp.root, sign_checkpoint(cp, key), leaf["recorded_at"]))
        if len(leaf_rows) >= 20_000:
            flush()
            if not quiet:
                print(f"  built {tree.size:,} / {leaves:,} leaves", file=sys.stderr, end="\r")
    flush()
    db.executemany("INSERT INTO chain_links VALUES (?,?,?,?)", chain_rows)
    if not CHAINS:  # a format-1 log: completeness would start after it
        db.execute("UPDATE meta SET value = ? WHERE key = 'chains_from'", (str(tree.size),))
    db.executemany(
        "INSERT INTO client_chains VALUES (?,?,?,?,?)",
        [(client, s[0], s[1], s[2], s[3]) for client, s in chain_state.items()],
    )
    db.executemany(
        "INSERT INTO projects VALUES (?,?,?)", [(p, c, w) for p, (c, w) in projects.items()]
    )
    db.execute("DELETE FROM tree_state")
    db.execute("INSERT INTO tree_state VALUES (1, ?, ?)", (tree.size, tree.to_bytes()))
    db.execute(
        "INSERT INTO anchor_queue (size, tsa, attempts, next_try) VALUES (?, NULL, 0, ?)",
        (tree.size, _rfc(maker.log_end)),
    )
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    (home / "complete").write_text(f"built in {time.perf_counter() - t0:.1f} s\n")
    if not quiet:
        print(
            f"  built {leaves:,} leaves in {time.perf_counter() - t0:.1f} s -> {home}",
            file=sys.stderr,
        )
    return home


@contextlib.contextmanager
def store_copy(leaves: int, client_entries: int = 0) -> Iterator[Path]:
    """A private copy of a cached store, so a run never changes the cache."""
    src = build_store(leaves, client_entries)
    with temp_home() as tmp:
        home = tmp / "home"
        shutil.copytree(src, home, ignore=shutil.ignore_patterns("complete"))
        yield home


def file_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
