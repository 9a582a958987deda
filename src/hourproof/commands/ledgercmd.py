"""``hourproof ledger verify|checkpoint|rebuild|backups|backup|restore``."""

from __future__ import annotations

import argparse
import base64

from hourproof.commands.common import kick_anchor, open_app, print_json, table
from hourproof.core.timeparse import to_rfc3339
from hourproof.services import ledger_ops
from hourproof.services.app import App
from hourproof.services.errors import ServiceError, VerificationFailed


def _open_for_verify(args: argparse.Namespace) -> App:
    """Open the home; a home refused for damage is still verified (and reported)."""
    from hourproof.services.homecheck import HomeDamaged

    try:
        return open_app(args, lean=True)
    except HomeDamaged as exc:
        from hourproof.services.backups import open_home

        home = open_home(args.home)
        if not home.database.exists() or not home.database.stat().st_size:
            raise VerificationFailed(str(exc)) from exc
        return App(home)


def verify(args: argparse.Namespace) -> int:
    from hourproof.services.ledger_health import verify_home

    app = _open_for_verify(args)
    health = verify_home(app)
    verdict = health.ledger
    if args.json:
        print_json({
            "ok": health.ok, "leaves": verdict.leaves, "checkpoints": verdict.checkpoints,
            "unsigned_tail": verdict.unsigned_tail, "bad_index": verdict.bad_index,
            "problem": verdict.problem, "problems": health.problems,
            "missing_signed_leaves": health.missing_signed,
        })  # fmt: skip
        return 0 if health.ok else 1
    if verdict.ok:
        tail = (
            f"; {verdict.unsigned_tail} newest leaf(s) not yet in a checkpoint"
            if verdict.unsigned_tail else ""
        )  # fmt: skip
        status = "ok" if health.ok else "FAILED"
        print(
            f"{status}: {verdict.leaves} leaves, {verdict.checkpoints} checkpoints verified{tail}"
        )
    else:
        print(f"FAILED at leaf {verdict.bad_index}: {verdict.problem}")
    for problem in health.problems:
        print(f"FAILED: {problem}")
    return 0 if health.ok else 1


def backups(args: argparse.Namespace) -> int:
    from hourproof.services import backups as service

    home = service.open_home(args.home)
    found = service.list_backups(home)
    if args.json:
        print_json([
            {"name": b.name, "taken_at": to_rfc3339(b.taken_at), "reason": b.reason,
             "bytes": b.bytes, "leaves": b.leaves, "signed_size": b.signed_size,
             "problem": b.problem}
            for b in found
        ])  # fmt: skip
        return 0
    if not found:
        print(f"No backups yet in {home.backups}.")
        return 0
    rows = [
        [b.name, b.reason, f"{b.bytes:,}",
         "-" if b.leaves is None else str(b.leaves),
         b.problem or ("-" if b.signed_size is None else str(b.signed_size))]
        for b in found
    ]  # fmt: skip
    print(table(rows, ["backup", "reason", "bytes", "leaves", "signed tree size"]))
    return 0


def backup_now(args: argparse.Namespace) -> int:
    from hourproof.services import backups as service

    info = service.create_backup(service.open_home(args.home))
    print(f"Backed up {info.leaves} leaves to {info.path}")
    return 0


def restore(args: argparse.Namespace) -> int:
    import sys

    from hourproof.services import backups as service

    if (args.backup is None) == (not args.accept_loss):
        raise ServiceError("name a BACKUP to restore, or give --accept-loss (not both)")
    home = service.open_home(args.home)
    source = None if args.backup is None else service.resolve_backup(home, args.backup)
    plan = service.plan_restore(home, source)
    print(plan.describe())
    if not args.yes:
        if not sys.stdin or not sys.stdin.isatty():
            raise ServiceError("restoring needs confirmation: run in a terminal or add --yes")
        try:
            answer = input("Restore? [y/N] ").strip().lower()
        except EOFError:
            answer = ""
        if answer not in ("y", "yes"):
            print("Nothing was changed.")
            return 0
    kept = service.restore(home, plan)
    if kept is not None:
        print(f"The previous database was kept as {kept}.")
    print("Restored. Run 'hourproof ledger verify' to check it.")
    return 0


def checkpoint(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    cp = ledger_ops.checkpoint(app)
    root = base64.b64encode(cp.root).decode()
    if getattr(args, "json", False):
        print_json({"size": cp.size, "root": root, "note": cp.note})
    else:
        print(f"Checkpoint at size {cp.size}, root {root}")
    kick_anchor(app)
    return 0


def rebuild(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    count = ledger_ops.rebuild(app)
    if getattr(args, "json", False):
        print_json({"entries": count})
        return 0
    print(f"Rebuilt {count} entries from the ledger.")
    return 0
