"""``hourproof witness add|list|remove|submit``: C2SP tlog-witness cosigners of this log."""

from __future__ import annotations

import argparse

from hourproof.commands.common import open_app
from hourproof.services import witnessing


def add(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    cosigner = witnessing.add_witness(app, args.name, args.url, args.vkey)
    print(f"Added witness {args.name} ({cosigner.name}); checkpoints go to it with the anchoring.")
    return 0


def list_(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    rows = witnessing.list_witnesses(app)
    if not rows:
        print("No witness configured. Add one: hourproof witness add NAME URL VKEY")
    for w in rows:
        state = f"cosigned size {w.size}" if w.last_ok else "not cosigned yet"
        if w.last_error:
            state += f", last error: {w.last_error} ({w.attempts} attempt(s))"
        print(f"{w.name:<12} {w.url}  {w.vkey.split('+', 1)[0]}  {state}")
    return 0


def remove(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    witnessing.remove_witness(app, args.name)
    print(f"Removed witness {args.name}")
    return 0


def submit(args: argparse.Namespace) -> int:
    """Submit the latest checkpoint now (what the background queue does), and say how it went."""
    app = open_app(args, lean=True)
    results = witnessing.drain(app, timeout=args.timeout, force=True)
    if not results:
        print("Nothing to submit (no witness, no checkpoint, or every witness is up to date).")
    failed = 0
    for r in results:
        print(f"{r.witness}: {'ok' if r.ok else 'FAILED'} at size {r.size}: {r.detail}")
        failed += not r.ok
    return 1 if failed else 0
