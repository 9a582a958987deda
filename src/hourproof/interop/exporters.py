"""Entries written in other tools' formats: ``hourproof log --format …``.

Every format gets the same finished, not-removed entries; a running timer is left
out (no tool's file can hold "still running" the same way). Stable identifiers
(iCalendar ``UID``, Watson frame id) come from the entry's creating leaf hash, so a
second export of the same entry carries the same id and calendars update in place.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, TextIO

from hourproof.core.entries import Entry
from hourproof.core.money import amount_for
from hourproof.interop.csvformats import CsvMeta, CsvRow, write_rows
from hourproof.interop.ical import Event, write_ics
from hourproof.interop.jsonformats import Interval, write_timew, write_watson

EXPORT_FORMATS = ("json", "toggl", "clockify", "ics", "watson", "timew")


class ExportError(ValueError):
    """The entries cannot be written in the requested format (one sentence)."""


@dataclass(frozen=True)
class ExportOptions:
    zone: tzinfo = UTC
    zone_name: str = "UTC"
    user: str = ""
    email: str = ""
    zone_column: bool = True
    product: str = "hourproof"


def uid_hex(entry: Entry, leaf_hashes: Mapping[int, bytes]) -> str:
    """32 hex digits naming the entry for good (its creating leaf's hash, salted)."""
    digest = leaf_hashes.get(entry.id)
    if digest is None:
        digest = hashlib.sha256(f"hourproof-entry-{entry.id}".encode()).digest()
    return digest[:16].hex()


def finished(entries: Sequence[Entry]) -> list[Entry]:
    return sorted(
        (e for e in entries if e.end is not None and not e.removed), key=lambda e: (e.start, e.id)
    )


def _currency(entries: Sequence[Entry]) -> str:
    found = {e.rate.currency for e in entries if e.rate is not None}
    if len(found) > 1:
        raise ExportError(
            f"entries are in several currencies ({', '.join(sorted(found))}); "
            "export one client or project at a time"
        )
    return found.pop() if found else ""


def csv_rows(entries: Sequence[Entry]) -> list[CsvRow]:
    rows = []
    for e in entries:
        assert e.end is not None
        seconds = e.seconds()
        rows.append(
            CsvRow(
                project=e.project,
                client=e.client or "",
                task=e.task or "",
                description=e.note or "",
                start=e.start,
                end=e.end,
                seconds=seconds,
                tags=e.tags,
                amount_minor=amount_for(seconds, e.rate) if e.rate else None,
            )
        )
    return rows


def write_entries(
    fmt: str,
    entries: Sequence[Entry],
    fp: TextIO,
    opts: ExportOptions,
    leaf_hashes: Mapping[int, bytes],
    json_rows: list[dict[str, Any]] | None = None,
    now: datetime | None = None,
) -> int:
    """Write ``entries`` as ``fmt`` to ``fp`` (opened with ``newline=""``); returns the count."""
    if fmt == "json":
        json.dump(json_rows or [], fp, indent=2, ensure_ascii=False)
        fp.write("\n")
        return len(json_rows or [])
    done = finished(entries)
    stamp = now or datetime.now(UTC).replace(microsecond=0)
    if fmt in ("toggl", "clockify"):
        meta = CsvMeta(
            user=opts.user,
            email=opts.email,
            zone=opts.zone,
            zone_name=opts.zone_name,
            currency=_currency(done),
            zone_column=opts.zone_column,
        )
        write_rows(fmt, csv_rows(done), meta, fp)
    elif fmt == "ics":
        events = [
            Event(
                uid=f"{uid_hex(e, leaf_hashes)}@hourproof",
                project=e.project,
                start=e.start,
                end=e.end,
                client=e.client,
                task=e.task,
                tags=e.tags,
                note=e.note,
            )
            for e in done
            if e.end is not None
        ]
        write_ics(events, fp, opts.product, stamp)
    elif fmt in ("watson", "timew"):
        items = [
            Interval(
                uid=uid_hex(e, leaf_hashes),
                project=e.project,
                start=e.start,
                end=e.end,
                tags=e.tags,
                note=e.note,
                updated=stamp,
            )
            for e in done
            if e.end is not None
        ]
        (write_watson if fmt == "watson" else write_timew)(items, fp)
    else:
        raise ExportError(f"unknown format {fmt!r} (use one of {', '.join(EXPORT_FORMATS)})")
    return len(done)
