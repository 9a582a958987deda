"""Helpers shared by the command handlers: opening the home, parsing, printing."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, timedelta
from typing import Any

from hourproof.core.entries import Entry
from hourproof.core.timeparse import (
    TimeParseError,
    format_duration,
    format_local,
    local_day_start,
    parse_date,
    parse_time,
    to_rfc3339,
)
from hourproof.services import startup
from hourproof.services.app import App
from hourproof.services.errors import ServiceError


def open_app(args: argparse.Namespace, lean: bool = False) -> App:
    """Open the home as every command does (``lean`` is accepted and ignored)."""
    app = startup.open_home(args.home)
    if app.home.spool_pending():  # commits the post-commit hook handed over
        from hourproof.services import evidence

        evidence.ingest_spool(app)
    return app


def kick_anchor(app: App) -> None:
    """Something was checkpointed: let the background drain anchor it (never waits)."""
    from hourproof.services import anchoring

    anchoring.kick(app)


def time_arg(text: str | None, what: str) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_time(text)
    except TimeParseError as exc:
        raise ServiceError(f"{what}: {exc}") from exc


def date_arg(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return parse_date(text)
    except TimeParseError as exc:
        raise ServiceError(f"{what}: {exc}") from exc


def day_range(args: argparse.Namespace) -> tuple[datetime | None, datetime | None]:
    """``--from``/``--to`` days as a half-open UTC interval (the end day inclusive)."""
    first = date_arg(args.date_from, "--from")
    last = date_arg(args.date_to, "--to")
    if first and last and last < first:
        raise ServiceError("--to is before --from")
    lo = local_day_start(first) if first else None
    hi = local_day_start(last + timedelta(days=1)) if last else None
    return lo, hi


def entry_json(entry: Entry, now: datetime) -> dict[str, Any]:
    return {
        "id": entry.id,
        "project": entry.project,
        "client": entry.client,
        "task": entry.task,
        "tags": list(entry.tags),
        "note": entry.note,
        "start": to_rfc3339(entry.start),
        "end": to_rfc3339(entry.end) if entry.end else None,
        "seconds": entry.seconds(now),
        "running": entry.running,
        "source": entry.source,
        "amended": entry.amended,
        "rate": entry.rate.to_json() if entry.rate else None,
        "evidence": list(entry.evidence),
    }


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def describe(entry: Entry, now: datetime) -> str:
    who = entry.project + (f" ({entry.client})" if entry.client else "")
    end = format_local(entry.end, with_date=False) if entry.end else "running"
    return (
        f"#{entry.id} {who}: {format_local(entry.start)} – {end} "
        f"[{format_duration(entry.seconds(now))}]"
    )


def table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)
