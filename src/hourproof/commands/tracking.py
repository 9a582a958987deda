"""``status``, ``start``, ``stop``, ``add``, ``amend``, ``remove``, ``show``, ``log``,
``report`` and ``rate`` (``projects`` and ``clients``: commands/clientscmd.py)."""

from __future__ import annotations

import argparse

from hourproof.commands.common import (
    day_range,
    describe,
    entry_json,
    kick_anchor,
    open_app,
    print_json,
    table,
    time_arg,
)
from hourproof.core.entries import Entry
from hourproof.core.money import MoneyError, Rate, format_amount, parse_amount, parse_currency
from hourproof.core.timeparse import format_duration, format_local, to_rfc3339
from hourproof.services import tracking
from hourproof.services.app import App
from hourproof.services.errors import ServiceError


def _details(args: argparse.Namespace) -> tracking.Details:
    return tracking.Details(
        project=getattr(args, "project_opt", None),
        client=args.client,
        task=args.task,
        tags=tuple(args.tags) if args.tags is not None else None,
        note=args.note,
    )


def default(args: argparse.Namespace) -> int:
    """No command: the desktop app where there is a display, else status and help."""
    from hourproof.commands import guicmd

    if guicmd.display_available():
        return guicmd.run(args)
    status(args)
    print(
        "\nNo display found, so the tray app cannot start here; the command line works.\n"
        "Try: hourproof start PROJECT, hourproof stop, hourproof log, hourproof --help"
    )
    return 0


def status(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    tracking.checkpoint_if_due(app)
    st = tracking.status(app)
    if getattr(args, "json", False):
        print_json({
            "running": entry_json(st.running, st.now) if st.running else None,
            "today_seconds": st.today_seconds,
            "leaves": st.leaves,
            "last_checkpoint": st.last_checkpoint,
            "last_anchor": st.last_anchor,
            "anchor_queue": st.anchor_queue,
        })  # fmt: skip
        return 0
    if st.running:
        print(f"Tracking {describe(st.running, st.now)}")
    else:
        print("No timer running.")
    print(f"Today: {format_duration(st.today_seconds)}")
    anchored = format_local_str(st.last_anchor) if st.last_anchor else "never"
    print(
        f"Ledger: {st.leaves} leaves; last anchored {anchored}"
        + (f"; {st.anchor_queue} anchor request(s) queued" if st.anchor_queue else "")
    )
    return 0


def _json_entry(args: argparse.Namespace, entry: Entry, app: App) -> bool:
    """With ``--json``, print the entry (as ``log --json`` shows it) and say so."""
    if not getattr(args, "json", False):
        return False
    print_json({"entry": entry_json(entry, app.clock()) | {"removed": entry.removed}})
    return True


def format_local_str(stamp: str) -> str:
    from hourproof.core.timeparse import from_rfc3339

    return format_local(from_rfc3339(stamp))


def start(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    entry = tracking.start(app, args.project, _details(args), time_arg(args.at, "--at"))
    if not _json_entry(args, entry, app):
        print(f"Started {describe(entry, app.clock())}")
    kick_anchor(app)
    return 0


def stop(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    entry = tracking.stop(app, time_arg(args.at, "--at"), args.note)
    if not _json_entry(args, entry, app):
        print(f"Stopped {describe(entry, app.clock())}")
    kick_anchor(app)
    return 0


def add(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    begin = time_arg(args.begin, "--from")
    end = time_arg(args.end, "--to")
    assert begin is not None and end is not None
    entry = tracking.add(app, args.project, begin, end, _details(args))
    if not _json_entry(args, entry, app):
        print(f"Added {describe(entry, app.clock())}")
    kick_anchor(app)
    return 0


def amend(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    details = tracking.Details(
        project=args.project, client=args.client, task=args.task,
        tags=tuple(args.tags) if args.tags is not None else None, note=args.note,
    )  # fmt: skip
    entry = tracking.amend(
        app, args.entry, args.reason, details,
        time_arg(args.begin, "--from"), time_arg(args.end, "--to"),
    )  # fmt: skip
    if not _json_entry(args, entry, app):
        print(f"Amended {describe(entry, app.clock())}")
    kick_anchor(app)
    return 0


def remove(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    entry = tracking.remove(app, args.entry, args.reason)
    if not _json_entry(args, entry, app):
        print(f"Removed #{entry.id} (kept in the ledger with the reason)")
    kick_anchor(app)
    return 0


def show(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    entry, versions = tracking.history(app, args.entry)
    now = app.clock()
    if args.json:
        print_json({
            "entry": entry_json(entry, now) | {"removed": entry.removed},
            "versions": [
                {"leaf": v.seq, "kind": v.kind, "recorded_at": v.recorded_at,
                 "fields": {k: val for k, val in v.leaf.items() if k not in ("salt", "v")}}
                for v in versions
            ],
        })  # fmt: skip
        return 0
    state = "removed" if entry.removed else ("amended" if entry.amended else "original")
    print(f"{describe(entry, now)} ({state}, source: {entry.source})")
    for v in versions:
        recorded = format_local_str(v.recorded_at)
        detail = _version_detail(v.leaf)
        print(f"  leaf {v.seq}  {v.kind:<12} recorded {recorded}  {detail}")
    return 0


def _version_detail(leaf: dict[str, object]) -> str:
    kind = leaf["kind"]
    if kind == "entry.amend":
        changes = leaf["changes"]
        assert isinstance(changes, dict)
        parts = ", ".join(f"{k}={v!r}" for k, v in changes.items())
        return f"reason: {leaf['reason']!r}; {parts}"
    if kind == "entry.remove":
        return f"reason: {leaf['reason']!r}"
    if kind == "entry.stop":
        return f"end {leaf['end']}"
    return f"{leaf.get('project')} {leaf.get('start')} – {leaf.get('end') or '…'}"


def log(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    lo, hi = day_range(args)
    items = tracking.entries(app, lo, hi, args.client, args.project)
    now = app.clock()
    if getattr(args, "format", None):
        from hourproof.commands import logexport

        return logexport.write(app, items, [entry_json(e, now) for e in items], args)
    if args.json:
        print_json([entry_json(e, now) for e in items])
        return 0
    if not items:
        print("No entries.")
        return 0
    rows = [
        [
            str(e.id), format_local(e.start),
            format_local(e.end, with_date=False) if e.end else "running",
            format_duration(e.seconds(now)), e.project, e.client or "", e.task or "",
            ",".join(e.tags), ("*" if e.amended else "") + (e.note or ""),
        ]
        for e in items
    ]  # fmt: skip
    print(table(rows, ["ID", "START", "END", "TIME", "PROJECT", "CLIENT", "TASK", "TAGS", "NOTE"]))
    if any(e.amended for e in items):
        print("* amended: 'hourproof show ID' lists every version")
    return 0


def _amounts(amounts: dict[str, int]) -> str:
    return ", ".join(format_amount(v, c) for c, v in sorted(amounts.items()))


def report(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    lo, hi = day_range(args)
    rows, total = tracking.report(app, args.by, lo, hi, args.client, args.project)
    if args.json:
        print_json({
            "by": args.by,
            "from": to_rfc3339(lo) if lo else None,
            "to": to_rfc3339(hi) if hi else None,
            "rows": [{"key": r.key, "seconds": r.seconds, "amounts": r.amounts} for r in rows],
            "total": {"seconds": total.seconds, "amounts": total.amounts},
        })  # fmt: skip
        return 0
    body = [[r.key, format_duration(r.seconds), _amounts(r.amounts)] for r in rows]
    body.append(["TOTAL", format_duration(total.seconds), _amounts(total.amounts)])
    print(table(body, [args.by.upper(), "HOURS", "AMOUNT"]))
    return 0


def rate(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    scope, name = ("project", args.project) if args.project else ("client", args.client)
    if args.clear:
        tracking.set_rate(app, scope, name, None)
        if getattr(args, "json", False):
            print_json({"scope": scope, "name": name, "rate": None})
            return 0
        print(f"Cleared the rate of {scope} {name}")
        return 0
    if not args.amount or not args.currency:
        raise ServiceError("give an amount and a currency, e.g. 95.00 EUR (or --clear)")
    try:
        currency = parse_currency(args.currency)
        value = Rate(parse_amount(args.amount, currency), currency)
    except MoneyError as exc:
        raise ServiceError(str(exc)) from exc
    tracking.set_rate(app, scope, name, value)
    if getattr(args, "json", False):
        print_json({"scope": scope, "name": name, "rate": value.to_json()})
        return 0
    print(
        f"Rate of {scope} {name}: {format_amount(value.minor, currency)} per hour "
        "(applies to entries recorded from now on)"
    )
    return 0
