"""``hourproof log --format toggl|clockify|ics|watson|timew|json [-o FILE]``."""

from __future__ import annotations

import argparse
import getpass
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any

from hourproof.core.entries import Entry
from hourproof.services.app import App
from hourproof.services.errors import ServiceError

FORMAT_NAMES = {
    "json": "JSON",
    "toggl": "Toggl Track CSV",
    "clockify": "Clockify CSV",
    "ics": "iCalendar",
    "watson": "Watson frames",
    "timew": "Timewarrior JSON",
}


def local_zone_name() -> str | None:
    """This computer's IANA zone name (``TZ`` or the /etc/localtime link), if knowable."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if (tz and "/" in tz) or tz == "UTC":
        return tz
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        return None
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else None


def export_zone(name: str | None) -> tuple[tzinfo, str]:
    """``--tz`` (or this computer's zone, else UTC) as tzinfo and the name the file states."""
    from hourproof.commands.importcmd import zone_arg

    name = name or local_zone_name() or "UTC"
    zone = zone_arg(name)
    return (zone or UTC), ("UTC" if zone is UTC else name)


def _git_config(key: str) -> str:
    try:
        out = subprocess.run(
            ["git", "config", "--get", key], capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def who(user: str | None, email: str | None) -> tuple[str, str]:
    """The User and Email cells: the options, else git's user.name/user.email."""
    name = user or _git_config("user.name") or getpass.getuser()
    mail = email or (name if "@" in name else "") or _git_config("user.email")
    return name, mail


def write(app: App, items: Sequence[Entry], rows: list[dict[str, Any]],
          args: argparse.Namespace) -> int:  # fmt: skip
    from hourproof import __version__
    from hourproof.interop.exporters import ExportError, ExportOptions, write_entries
    from hourproof.store import imports

    zone, zone_name = export_zone(args.tz)
    user, email = who(args.user, args.email)
    opts = ExportOptions(zone=zone, zone_name=zone_name, user=user, email=email,
                         zone_column=not args.no_zone_column,
                         product=f"hourproof {__version__}")  # fmt: skip
    with app.read_db() as db:
        hashes = imports.leaf_hashes(db, [e.id for e in items])
    out = sys.stdout if args.output in (None, "-") else None
    try:
        if out is not None:
            count = write_entries(args.format, items, out, opts, hashes, rows, app.clock())
        else:
            path = Path(args.output)
            with path.open("w", encoding="utf-8", newline="") as fp:
                count = write_entries(args.format, items, fp, opts, hashes, rows, app.clock())
    except ExportError as exc:
        raise ServiceError(str(exc)) from exc
    where = "standard output" if out is not None else args.output
    zone_text = f", times in {zone_name}" if args.format in ("toggl", "clockify") else ""
    print(f"Wrote {count} entr{'y' if count == 1 else 'ies'} as {FORMAT_NAMES[args.format]} "
          f"to {where}{zone_text}", file=sys.stderr)  # fmt: skip
    return 0
