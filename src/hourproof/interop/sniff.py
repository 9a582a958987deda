"""What a file looks like, so an import of the wrong kind is refused by name."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

_HEAD_BYTES = 65536
_TIMEW_TIME = re.compile(r"^\d{8}T\d{6}Z$")

TOGGL_MARKS = frozenset({"Start date", "Start time", "Duration", "Project"})
CLOCKIFY_MARKS = frozenset({"Start Date", "Start Time", "Duration (h)", "Project"})


def _csv_header(text: str) -> list[str] | None:
    first = text.splitlines()[0] if text.strip() else ""
    if "," not in first and ";" not in first and "\t" not in first:
        return None
    try:
        return next(csv.reader(io.StringIO(first)))
    except (csv.Error, StopIteration):
        return None


def _json_kind(text: str, complete: bool) -> str:
    if not complete:
        # Only the head was read: judge by the first element's shape.
        stripped = text.lstrip()
        if stripped.startswith("[["):
            return "watson"
        if re.search(r'"start"\s*:\s*"\d{8}T\d{6}Z"', text[:4096]):
            return "timewarrior"
        return "JSON data"
    try:
        value = json.loads(text)
    except ValueError:
        return "JSON-like text that does not parse"
    if isinstance(value, list) and value:
        first = value[0]
        if isinstance(first, list) and len(first) >= 5:
            return "watson"
        if isinstance(first, dict):
            if _TIMEW_TIME.match(str(first.get("start", ""))):
                return "timewarrior"
            if "project" in first and "seconds" in first:
                return "hourproof's own JSON (hourproof log --json)"
            return "a JSON list of objects"
    if isinstance(value, list):
        return "an empty JSON list"
    return "a JSON object"


def looks_like(path: Path) -> str:
    """One of the import format names, or a short description of what the file is."""
    with path.open("rb") as fp:
        head = fp.read(_HEAD_BYTES)
        complete = len(head) < _HEAD_BYTES or fp.read(1) == b""
    if not head:
        return "an empty file"
    if head.startswith(b"PK\x03\x04"):
        return "a zip archive (an hourproof bundle .hproof is one; verify it instead)"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith(b"SQLite format 3"):
        return "an SQLite database (Watson, Timewarrior and Toggl files are text)"
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if complete or exc.start < len(head) - 4:
            return "binary data or text that is not UTF-8"
        text = head[: exc.start].decode("utf-8-sig")
    if "\x00" in text:
        return "binary data"
    stripped = text.lstrip()
    if stripped.upper().startswith("BEGIN:VCALENDAR"):
        return "ics"
    if stripped.upper().startswith("BEGIN:VCARD"):
        return "a vCard (contacts), not a calendar"
    if stripped.startswith(("[", "{")):
        return _json_kind(text, complete)
    header = _csv_header(text)
    if header is not None:
        names = {h.strip() for h in header}
        if names >= TOGGL_MARKS:
            return "toggl"
        if names >= CLOCKIFY_MARKS:
            return "clockify"
        shown = ", ".join(h.strip() for h in header[:6]) + (", …" if len(header) > 6 else "")
        return f"a CSV file with columns {shown}"
    return "plain text"
