"""One entry point for every importer, refusing a file of another format by name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from hourproof.interop.csvformats import CsvReadError, read_csv
from hourproof.interop.ical import IcsReadError, read_ics
from hourproof.interop.jsonformats import JsonReadError, read_timew, read_watson
from hourproof.interop.records import (
    IMPORT_FORMATS,
    FormatError,
    ReadNotes,
    ReadOptions,
    Record,
    Skipped,
)
from hourproof.interop.sniff import looks_like


def _a(name: str) -> str:
    return ("an " if name[0] in "AEIOUaeiou" else "a ") + name


def check_format(fmt: str, path: Path) -> None:
    """Raise FormatError unless ``path`` looks like a ``fmt`` file."""
    if fmt not in IMPORT_FORMATS:
        raise FormatError(f"unknown format {fmt!r} (use one of {', '.join(IMPORT_FORMATS)})")
    seen = looks_like(path)
    if seen == fmt:
        return
    wanted = _a(IMPORT_FORMATS[fmt])
    if seen in IMPORT_FORMATS:
        raise FormatError(
            f"{path.name} looks like {_a(IMPORT_FORMATS[seen])}, not {wanted}; "
            f"use 'hourproof import {seen} {path.name}'"
        )
    raise FormatError(f"{path.name} is not {wanted}: it looks like {seen}")


def read(fmt: str, path: Path, opts: ReadOptions, notes: ReadNotes) -> Iterator[Record | Skipped]:
    """Records and skipped rows of ``path`` in file order (FormatError for the whole file)."""
    check_format(fmt, path)
    try:
        if fmt in ("toggl", "clockify"):
            yield from read_csv(fmt, path, opts, notes)
        elif fmt == "watson":
            yield from read_watson(path, opts)
        elif fmt == "timewarrior":
            yield from read_timew(path, opts)
        else:
            yield from read_ics(path, opts, notes)
    except (CsvReadError, JsonReadError, IcsReadError) as exc:
        raise FormatError(f"{path.name}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path.name}: not UTF-8 text (byte {exc.start})") from exc
