"""``hourproof approve|contest`` (client) and ``hourproof approvals add|list`` (contractor)."""

from __future__ import annotations

import argparse
from pathlib import Path

from hourproof.commands.common import open_app, table
from hourproof.core.money import format_amount
from hourproof.core.timeparse import format_duration
from hourproof.ledger import keys
from hourproof.proof.approval_check import APPROVE
from hourproof.services import approvals


def _signed(signed: approvals.Signed, what: str) -> None:
    a = signed.approval
    print(f"{what} {a.recipient}'s bundle at log size {a.tree_size} "
          f"({format_duration(a.total_seconds)} hours).")  # fmt: skip
    print(f"Signed with your key {a.client_fingerprint}; wrote {signed.path}.")
    print("Send that file back to the contractor (it holds no secret).")


def approve(args: argparse.Namespace) -> int:
    app = open_app(args)
    bundle = Path(args.bundle)
    out = Path(args.output) if args.output else approvals.default_output(bundle, APPROVE)
    _signed(approvals.approve(app, bundle, out, note=args.note), "Approved")
    return 0


def contest(args: argparse.Namespace) -> int:
    app = open_app(args)
    bundle = Path(args.bundle)
    out = Path(args.output) if args.output else approvals.default_output(bundle, "contest")
    signed = approvals.contest(app, bundle, out, args.reason, tuple(args.entry or ()))
    _signed(signed, "Contested" + (f" entries {args.entry} of" if args.entry else ""))
    return 0


def add(args: argparse.Namespace) -> int:
    app = open_app(args)
    if args.key is not None and not args.key.startswith("SHA256:"):
        from hourproof.services.errors import ServiceError

        raise ServiceError("--key takes the client's fingerprint, SHA256:…")
    seq, a = approvals.add_approval(app, Path(args.file), args.key)
    word = "approval" if a.kind == APPROVE else "contest"
    print(f"Recorded the {word} by {a.recipient} ({a.client_fingerprint}) of log size "
          f"{a.tree_size} as leaf {seq}.")  # fmt: skip
    return 0


def list_(args: argparse.Namespace) -> int:
    app = open_app(args)
    rows = []
    for seq, a in approvals.list_approvals(app, args.client):
        money = ", ".join(format_amount(v, c) for c, v in sorted(a.amounts.items()))
        what = (a.note or "") if a.kind == APPROVE else f"{a.reason} {list(a.entries) or 'all'}"
        rows.append([str(seq), a.kind, a.recipient, a.signed_at.strftime("%Y-%m-%d"),
                     str(a.tree_size), format_duration(a.total_seconds), money, what])  # fmt: skip
    if not rows:
        print("No approvals recorded." + (f" (client {args.client})" if args.client else ""))
        return 0
    print(table(rows, ["leaf", "kind", "client", "signed", "size", "hours", "amounts", "note"]))
    pinned = {a.recipient: a.client_fingerprint for _s, a in approvals.list_approvals(app)}
    for client, fpr in sorted(pinned.items()):
        print(f"{client}: key {fpr}")
    _ = keys
    return 0
