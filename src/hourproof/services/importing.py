"""``hourproof import``: another tracker's history as ``import`` leaves.

A dry run reads the whole file and reports what would be imported; a commit writes
one ``import`` leaf per new record, in batched transactions (one checkpoint at the
end). Imported entries are always Self-reported: the leaf says which tool, row and
source fingerprint they came from, and was recorded now, not when the work was done.
Re-importing a file adds nothing: each record's fingerprint is remembered in the
``import_keys`` table in the same transaction as its leaf, so an interrupted import
resumes where it stopped when run again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from hourproof.core import leaves as lk
from hourproof.core.timeparse import to_rfc3339
from hourproof.interop import readers
from hourproof.interop.records import (
    IMPORT_FORMATS,
    NO_PROJECT,
    FormatError,
    ReadNotes,
    ReadOptions,
    Record,
    Skipped,
)
from hourproof.services.app import App, Txn
from hourproof.services.errors import ServiceError
from hourproof.store import imports

#: Records per write transaction: large enough to amortise the commit, small enough to
#: keep memory flat and let another hourproof write between batches.
BATCH = 5000
_KEY_CHUNK = 500


@dataclass
class ImportSummary:
    """What an import found in the file and (with commit) wrote."""

    fmt: str
    path: str
    notes: list[str] = field(default_factory=list)
    rows: int = 0
    entries: int = 0
    duplicates: int = 0
    total_seconds: int = 0
    new_seconds: int = 0
    no_project: int = 0
    clients: Counter[str] = field(default_factory=Counter)
    projects: Counter[str] = field(default_factory=Counter)
    skipped: list[Skipped] = field(default_factory=list)
    committed: bool = False
    imported: int = 0
    first_entry: int | None = None
    last_entry: int | None = None

    @property
    def new(self) -> int:
        return self.entries - self.duplicates

    @property
    def tool_name(self) -> str:
        return IMPORT_FORMATS[self.fmt]

    def count(self, record: Record) -> None:
        self.entries += 1
        self.total_seconds += record.seconds
        self.projects[record.project] += record.seconds
        if record.client:
            self.clients[record.client] += record.seconds
        if record.project == NO_PROJECT:
            self.no_project += 1

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.fmt,
            "file": self.path,
            "notes": self.notes,
            "rows": self.rows,
            "entries": self.entries,
            "new": self.new,
            "duplicates": self.duplicates,
            "total_seconds": self.total_seconds,
            "new_seconds": self.new_seconds,
            "clients": dict(sorted(self.clients.items())),
            "projects": dict(sorted(self.projects.items())),
            "skipped": [{"row": s.row, "reason": s.reason} for s in self.skipped],
            "committed": self.committed,
            "imported": self.imported,
            "first_entry": self.first_entry,
            "last_entry": self.last_entry,
        }


def _utc_text(moment: datetime) -> str:
    """``to_rfc3339`` for the UTC datetimes importers make, without strftime (hot loop)."""
    if moment.utcoffset():
        return to_rfc3339(moment)
    m = moment
    return f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}Z"


class _Fields:
    """Leaf fields for records, with the project → client and rate lookups cached."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self._client: dict[str, str | None] = {}
        self._rate: dict[tuple[str, str | None], dict[str, Any] | None] = {}

    def build(self, txn: Txn, r: Record) -> dict[str, Any]:
        client = r.client
        if client is None:
            if r.project not in self._client:
                self._client[r.project] = txn.projection.project_client(r.project)
            client = self._client[r.project]
        if (r.project, client) not in self._rate:
            rate = txn.projection.rate_for(r.project, client)
            self._rate[(r.project, client)] = rate.to_json() if rate else None
        fields: dict[str, Any] = {
            "tool": self.fmt, "row": r.row, "key": r.key, "project": r.project,
            "start": _utc_text(r.start), "end": _utc_text(r.end), "tags": list(r.tags),
        }  # fmt: skip
        for name, value in (("client", client), ("task", r.task), ("note", r.note),
                            ("rate", self._rate[(r.project, client)])):  # fmt: skip
            if value is not None:
                fields[name] = value
        return fields


def _already(txn: Txn, keys: list[str]) -> set[str]:
    """Keys of ``keys`` another process imported since this import began."""
    found: set[str] = set()
    for i in range(0, len(keys), _KEY_CHUNK):
        found |= imports.keys_among(txn.db, keys[i : i + _KEY_CHUNK])
    return found


def _write(app: App, batch: list[Record], fields: _Fields, summary: ImportSummary,
           last: bool) -> None:  # fmt: skip
    with app.write() as txn:
        taken = _already(txn, [r.key for r in batch])
        pairs: list[tuple[str, int]] = []
        for record in batch:
            if record.key in taken:
                summary.duplicates += 1
                summary.new_seconds -= record.seconds
                continue
            seq, _ = txn.append(lk.IMPORT, fields.build(txn, record))
            pairs.append((record.key, seq))
            if summary.first_entry is None:
                summary.first_entry = seq
            summary.last_entry = seq
        imports.add_keys(txn.db, pairs)
        summary.imported += len(pairs)
        if last and summary.imported:
            txn.checkpoint()


def _items(fmt: str, path: Path, opts: ReadOptions, notes: ReadNotes) -> Iterator[Record | Skipped]:
    if not path.is_file():
        raise ServiceError(f"no such file: {path}")
    try:
        yield from readers.read(fmt, path, opts, notes)
    except FormatError as exc:
        raise ServiceError(str(exc)) from exc


def run_import(app: App, fmt: str, path: Path, opts: ReadOptions, commit: bool = False,
               batch_size: int = BATCH) -> ImportSummary:  # fmt: skip
    """Read ``path`` as ``fmt``; with ``commit``, write its new records as import leaves."""
    summary = ImportSummary(fmt, str(path))
    notes = ReadNotes()
    with app.read_db() as db:
        known = imports.known_keys(db)
    fields = _Fields(fmt)
    batch: list[Record] = []
    for item in _items(fmt, path, opts, notes):
        summary.rows += 1
        if isinstance(item, Skipped):
            summary.skipped.append(item)
            continue
        summary.count(item)
        if item.key in known:
            summary.duplicates += 1
            continue
        known.add(item.key)
        summary.new_seconds += item.seconds
        if commit:
            batch.append(item)
            if len(batch) >= batch_size:
                _write(app, batch, fields, summary, last=False)
                batch = []
    if commit:
        if batch or summary.imported:
            _write(app, batch, fields, summary, last=True)
        summary.committed = True
    summary.notes = notes.lines
    return summary
