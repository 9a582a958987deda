"""Work the crash harness kills: each function loops over one kind of write on a home and
reports what it finished (``os.write`` of one line per committed step to a report file,
so a line is either wholly there or not at all), until it is SIGKILLed."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BASE = datetime(2026, 3, 2, 8, tzinfo=UTC)


def _report(fd: int, text: str) -> None:
    os.write(fd, (text + "\n").encode())


def _open(home: str) -> Any:
    from hourproof.services.app import App

    return App.open(home)


def appends(app: Any, fd: int, i: int) -> None:
    from hourproof.services import tracking

    begin = BASE + timedelta(minutes=10 * i)
    entry = tracking.add(app, "bulk", begin, begin + timedelta(minutes=5))
    _report(fd, f"leaf {entry.id}")


def start_stop(app: Any, fd: int, i: int) -> None:
    from hourproof.services import tracking

    begin = BASE + timedelta(minutes=10 * i)
    started = tracking.start(app, "timer", at=begin)
    _report(fd, f"leaf {started.id}")
    tracking.stop(app, at=begin + timedelta(minutes=5))
    _report(fd, f"stopped {started.id}")


def checkpoints(app: Any, fd: int, i: int) -> None:
    from hourproof.services import ledger_ops, tracking

    begin = BASE + timedelta(minutes=10 * i)
    started = tracking.start(app, "cp", at=begin)  # a leaf without a checkpoint
    _report(fd, f"leaf {started.id}")
    cp = ledger_ops.checkpoint(app)
    _report(fd, f"checkpoint {cp.size}")


def git_scan(app: Any, fd: int, i: int) -> None:
    from hourproof.services import evidence

    for result in evidence.scan(app):
        _report(fd, f"scanned {getattr(result, 'new', result)}")


def export(app: Any, fd: int, i: int) -> None:
    from hourproof.services.export import ExportRequest, export_bundle

    out = Path(app.home.root).parent / "out" / f"bundle-{i % 3}.hproof"
    out.parent.mkdir(exist_ok=True)
    export_bundle(app, ExportRequest("acme", BASE - timedelta(days=1), BASE + timedelta(days=30),
                                     out, reports=False, anchor_first=False))  # fmt: skip
    _report(fd, f"exported {out.name}")


def backup(app: Any, fd: int, i: int) -> None:
    from hourproof.services.backups import create_backup

    info = create_backup(app.home, "manual")
    _report(fd, f"backup {info.name}")


def restore(app: Any, fd: int, i: int) -> None:
    from hourproof.services import backups
    from hourproof.services.errors import ServiceError

    found = backups.list_backups(app.home)
    for n in range(len(found)):  # the first backup that is an older state of this ledger
        source = found[(i + n) % len(found)].path
        try:
            plan = backups.plan_restore(app.home, source)
        except ServiceError:  # e.g. a pre-restore copy of a timeline since given up
            continue
        backups.restore(app.home, plan)
        _report(fd, f"restored {source.name}")
        return


OPS = {f.__name__: f for f in (appends, start_stop, checkpoints, git_scan, export, backup,
                                restore)}  # fmt: skip


def migration(home: str, report: str, ready: Any) -> None:
    """Open (and so migrate) a home whose database is one schema version behind."""
    fd = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    ready.set()
    app = _open(home)
    app.close()
    _report(fd, "migrated")


def run(op: str, home: str, report: str, ready: Any, first: int) -> None:
    """The child's body: open the home, say ready, loop the op until killed."""
    fd = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    if op == "migration":
        migration(home, report, ready)
        return
    app = _open(home)
    ready.set()
    work = OPS[op]
    i = first
    while True:
        work(app, fd, i)
        i += 1


def timed(op: str, home: str, report: str, first: int, count: int) -> None:
    """Concurrent-writer body: ``count`` steps of ``op``, each reported with its seconds."""
    import time

    fd = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    app = _open(home)
    work = OPS[op]
    for i in range(first, first + count):
        t0 = time.perf_counter()
        work(app, fd, i)
        _report(fd, f"wait {time.perf_counter() - t0:.4f}")
    app.close()
