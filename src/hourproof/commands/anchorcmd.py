"""``hourproof anchor`` and ``hourproof tsa list|add|remove``."""

from __future__ import annotations

import argparse
from pathlib import Path

from hourproof.commands.common import open_app, print_json
from hourproof.core.timeparse import format_local, from_rfc3339, to_rfc3339
from hourproof.services import anchoring
from hourproof.services.errors import ServiceError


def tsa_list(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    tsas = anchoring.list_tsas(app)
    if getattr(args, "json", False):
        print_json([
            {"name": t.name, "url": t.url, "own_root": t.root_pem is not None} for t in tsas
        ])  # fmt: skip
        return 0
    if not tsas:
        print("No TSA configured. Add one: hourproof tsa add NAME URL [--root PEM]")
    for tsa in tsas:
        root = "own root" if tsa.root_pem else "shipped roots"
        print(f"{tsa.name:<12} {tsa.url}  ({root})")
    return 0


def tsa_add(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    pem = None
    if args.root:
        from hourproof.proof.zipread import MalformedBundle, read_regular_file

        try:
            pem = read_regular_file(Path(args.root), 1024 * 1024)  # a FIFO must not block
        except MalformedBundle as exc:
            raise ServiceError(f"cannot read the TSA root: {exc}") from exc
        except OSError as exc:
            raise ServiceError(f"cannot read {args.root[:200]!r}: {exc.strerror}") from exc
    anchoring.add_tsa(app, args.name, args.url, pem)
    if getattr(args, "json", False):
        print_json({"added": args.name, "url": args.url, "own_root": pem is not None})
        return 0
    print(f"Added TSA {args.name}")
    return 0


def tsa_remove(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    anchoring.remove_tsa(app, args.name)
    if getattr(args, "json", False):
        print_json({"removed": args.name})
        return 0
    print(f"Removed TSA {args.name}")
    return 0


def _status_json(app: anchoring.App) -> int:
    last = anchoring.last_anchor(app)
    print_json({
        "last_anchor": {"gen_time": last[0], "tsa": last[1], "size": last[2]} if last else None,
        "queue": [
            {"size": i.size, "attempts": i.attempts, "next_try": i.next_try,
             "last_error": i.last_error}
            for i in anchoring.queue(app)
        ],
        "stale": anchoring.is_stale(app),
    })  # fmt: skip
    return 0


def _status(app: anchoring.App) -> int:
    last = anchoring.last_anchor(app)
    if last:
        print(
            f"Last anchored: {format_local(from_rfc3339(last[0]))} by {last[1]} "
            f"(log size {last[2]})"
        )
    else:
        print("Never anchored.")
    items = anchoring.queue(app)
    if not items:
        print("Queue: empty")
    for item in items:
        print(
            f"Queued: checkpoint at size {item.size}, {item.attempts} attempt(s), "
            f"next try {format_local(from_rfc3339(item.next_try))}"
            + (f", last error: {item.last_error}" if item.last_error else "")
        )
    if anchoring.is_stale(app):
        print("Warning: nothing has been anchored for over 24 hours.")
    return 0


def anchor(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    if args.status:
        return _status_json(app) if getattr(args, "json", False) else _status(app)
    if args.drain:
        return _drain(app, args.timeout)
    result = anchoring.anchor_now(app, args.tsa, timeout=args.timeout)
    if getattr(args, "json", False):
        print_json(
            {"size": result.size, "tsa": result.tsa, "gen_time": to_rfc3339(result.gen_time)}
        )
        return 0
    print(
        f"Anchored log size {result.size} at {format_local(result.gen_time)} "
        f"({result.gen_time.isoformat()}) by {result.tsa}"
    )
    return 0


def _drain(app: anchoring.App, timeout: float) -> int:
    """Background drain, one at a time per home (a second one just leaves)."""
    import fcntl

    with open(app.home.lock_file, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return 0
        anchoring.drain(app, timeout=timeout)
    return 0
