"""``hourproof clients`` and ``hourproof projects``: list them, or add one before any
entry names it, hide one from completion and show it again (services/clients.py;
local and unsigned, docs/clients.md)."""

from __future__ import annotations

import argparse

from hourproof.commands.common import open_app, print_json, table
from hourproof.core.money import format_amount


def _changed(args: argparse.Namespace, scope: str) -> str | None:
    """Apply --add/--hide/--unhide; the sentence to print, or None to list."""
    from hourproof.services import clients

    app = open_app(args, lean=True)
    if args.add is not None:
        name = clients.add(app, scope, args.add, getattr(args, "client", None))
        return f"added {scope} {name} (kept on this computer until an entry names it)"
    for flag, hidden in (("hide", True), ("unhide", False)):
        name = getattr(args, flag)
        if name is not None:
            clients.set_hidden(app, scope, name, hidden)
            state = "hidden from completion" if hidden else "offered in completion again"
            return f"{scope} {name} is {state}"
    return None


def _rate(rate: object) -> str:
    from hourproof.core.money import Rate

    return format_amount(rate.minor, rate.currency) if isinstance(rate, Rate) else ""


def _state(hidden: bool, used: bool) -> str:
    return ", ".join(s for s, on in (("hidden", hidden), ("no entries yet", not used)) if on)


def projects(args: argparse.Namespace) -> int:
    from hourproof.services import clients

    said = _changed(args, "project")
    if said is not None:
        print(said)
        return 0
    items = [p for c in clients.overview(open_app(args, lean=True)) for p in c.projects]
    items.sort(key=lambda p: p.name)
    if args.json:
        print_json([
            {"project": p.name, "client": p.client,
             "rate": p.rate.to_json() if p.rate else None, "hidden": p.hidden,
             "has_entries": p.used}
            for p in items
        ])  # fmt: skip
        return 0
    rows = [[p.name, p.client or "", _rate(p.rate), _state(p.hidden, p.used)] for p in items]
    print(table(rows, ["PROJECT", "CLIENT", "RATE/H", "STATE"]) if rows else "No projects yet.")
    return 0


def clients(args: argparse.Namespace) -> int:
    from hourproof.services import clients as service

    said = _changed(args, "client")
    if said is not None:
        print(said)
        return 0
    items = [c for c in service.overview(open_app(args, lean=True)) if c.name is not None]
    if args.json:
        print_json([
            {"client": c.name, "rate": c.rate.to_json() if c.rate else None,
             "hidden": c.hidden, "has_entries": c.used}
            for c in items
        ])  # fmt: skip
        return 0
    rows = [[c.name or "", _rate(c.rate), _state(c.hidden, c.used)] for c in items]
    print(table(rows, ["CLIENT", "RATE/H", "STATE"]) if rows else "No clients yet.")
    return 0
