"""``hourproof import FORMAT FILE``: dry run by default, ``--commit`` writes."""

from __future__ import annotations

import argparse
from datetime import tzinfo
from pathlib import Path

from hourproof.commands.common import kick_anchor, open_app, print_json
from hourproof.core.timeparse import format_duration
from hourproof.interop.records import NO_PROJECT, ReadOptions
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.services.importing import ImportSummary


def zone_arg(name: str | None) -> tzinfo | None:
    """``--tz`` as a tzinfo (None: this computer's zone); ServiceError if unknown."""
    if name is None:
        return None
    from datetime import UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name.upper() in ("UTC", "Z"):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ServiceError(
            f"unknown time zone {name!r} (use an IANA name such as Europe/Berlin)"
        ) from None


def _top(counts: dict[str, int], limit: int = 8) -> str:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    text = ", ".join(f"{name} {format_duration(sec)}" for name, sec in items[:limit])
    return text + (f", … ({len(items) - limit} more)" if len(items) > limit else "")


def _from_stdin(app: App, args: argparse.Namespace, opts: ReadOptions) -> ImportSummary:
    """Standard input, spooled to a private temporary file (readers may read twice)."""
    import shutil
    import sys
    import tempfile

    from hourproof.services import importing

    with tempfile.TemporaryDirectory(prefix="hourproof-import-") as tmp:
        path = Path(tmp) / "stdin"
        with path.open("wb") as fp:
            shutil.copyfileobj(sys.stdin.buffer, fp)
        summary = importing.run_import(app, args.format, path, opts, args.commit)
    summary.path = "-"
    return summary


def run(args: argparse.Namespace) -> int:
    from hourproof.services import importing

    opts = ReadOptions(
        zone=zone_arg(args.tz), zone_name=args.tz, project=args.project, client=args.client,
        day_first=args.day_first,
    )  # fmt: skip
    app = open_app(args)
    if args.file == "-":  # e.g. timew export | hourproof import timewarrior - --commit
        summary = _from_stdin(app, args, opts)
    else:
        summary = importing.run_import(app, args.format, Path(args.file), opts, args.commit)
    if summary.imported:
        kick_anchor(app)
    if args.json:
        print_json(summary.to_json())
        return 0
    print(f"{summary.tool_name}: {args.file}")
    for note in summary.notes:
        print(f"  {note}")
    print(
        f"  {summary.rows} row(s): {summary.entries} entr{'y' if summary.entries == 1 else 'ies'}"
        f" totalling {format_duration(summary.total_seconds)}; {summary.new} new, "
        f"{summary.duplicates} imported before; {len(summary.skipped)} skipped"
    )
    if summary.clients:
        print(f"  clients: {_top(summary.clients)}")
    if summary.projects:
        print(f"  projects: {_top(summary.projects)}")
    if summary.no_project:
        print(
            f"  {summary.no_project} entr{'y' if summary.no_project == 1 else 'ies'} named no "
            f"project: imported as '{NO_PROJECT}' (--project names them)"
        )
    for s in summary.skipped:
        print(f"  skipped row {s.row}: {s.reason}")
    if summary.committed and not summary.imported:
        print("Nothing imported: every entry in the file was imported before."
              if summary.entries else "Nothing imported: the file holds no entries.")  # fmt: skip
    elif summary.committed:
        span = (
            f" (entries #{summary.first_entry}–#{summary.last_entry})" if summary.imported else ""
        )
        print(
            f"Imported {summary.imported} entr{'y' if summary.imported == 1 else 'ies'}"
            f"{span}, {format_duration(summary.new_seconds)}, as Self-reported."
        )
    elif summary.new:
        print(f"Dry run: nothing written. Add --commit to import the {summary.new} new entries.")
    else:
        print("Dry run: nothing new to import.")
    return 0
