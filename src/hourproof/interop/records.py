"""What an importer yields: records, skipped rows, and the options that shape them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

#: The tools ``hourproof import`` reads, with the name the summary uses for each.
IMPORT_FORMATS: dict[str, str] = {
    "toggl": "Toggl Track detailed CSV",
    "clockify": "Clockify detailed CSV",
    "watson": "Watson frames file",
    "timewarrior": "Timewarrior export JSON",
    "ics": "iCalendar file",
}

#: Project given to rows that name none (and no --project was given).
NO_PROJECT = "(no project)"


class FormatError(ValueError):
    """The file is not of the format asked for; the message says what it looks like."""


@dataclass(frozen=True)
class ReadOptions:
    """Choices the user makes for one import.

    ``zone`` resolves local wall-clock times (Toggl, Clockify, floating iCalendar
    times); None means the computer's zone. ``project``/``client`` fill rows that name
    none. ``day_first`` settles Clockify's ``01/02/2024`` (None: decided from the file).
    """

    zone: tzinfo | None = None
    zone_name: str | None = None
    project: str | None = None
    client: str | None = None
    day_first: bool | None = None


@dataclass(frozen=True)
class Record:
    """One imported interval, times in UTC."""

    row: int
    key: str
    project: str
    start: datetime
    end: datetime
    client: str | None = None
    task: str | None = None
    tags: tuple[str, ...] = ()
    note: str | None = None

    @property
    def seconds(self) -> int:
        return int((self.end - self.start).total_seconds())


@dataclass(frozen=True)
class Skipped:
    """A source row that was not imported, and why (one line for the user)."""

    row: int
    reason: str


@dataclass
class ReadNotes:
    """Facts about the whole file the summary states (zone used, date order …)."""

    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        if line not in self.lines:
            self.lines.append(line)


def one_line(text: str | None) -> str | None:
    """Trimmed text with every whitespace run (newlines too) as one space; None if empty."""
    if text is None:
        return None
    return " ".join(text.split()) or None


def fingerprint(tool: str, parts: Iterable[str]) -> str:
    """The stable per-row dedupe key: SHA-256 over the tool name and the row's own cells."""
    data = json.dumps([tool, *parts], ensure_ascii=False).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


class Occurrences:
    """Counts identical source rows so two equal rows in one file stay two entries."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def key(self, tool: str, parts: list[str]) -> str:
        base = fingerprint(tool, parts)
        n = self._seen.get(base, 0)
        self._seen[base] = n + 1
        return base if n == 0 else fingerprint(tool, [base, str(n)])


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({t for t in (one_line(x) for x in tags) if t}))
