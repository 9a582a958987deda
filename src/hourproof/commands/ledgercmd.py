"""``hourproof ledger verify|checkpoint|rebuild``."""

from __future__ import annotations

import argparse
import base64

from hourproof.commands.common import kick_anchor, open_app, print_json
from hourproof.services import ledger_ops


def verify(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    verdict = ledger_ops.verify_ledger(app)
    if args.json:
        print_json({
            "ok": verdict.ok, "leaves": verdict.leaves, "checkpoints": verdict.checkpoints,
            "unsigned_tail": verdict.unsigned_tail, "bad_index": verdict.bad_index,
            "problem": verdict.problem,
        })  # fmt: skip
    elif verdict.ok:
        tail = (
            f"; {verdict.unsigned_tail} newest leaf(s) not yet in a checkpoint"
            if verdict.unsigned_tail else ""
        )  # fmt: skip
        print(f"ok: {verdict.leaves} leaves, {verdict.checkpoints} checkpoints verified{tail}")
    else:
        print(f"FAILED at leaf {verdict.bad_index}: {verdict.problem}")
    return 0 if verdict.ok else 1


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
