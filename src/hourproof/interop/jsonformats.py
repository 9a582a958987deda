"""Watson's ``frames`` file and Timewarrior's ``timew export`` JSON: reading and writing.

* Watson keeps every finished frame in ``~/.config/watson/frames`` (``$WATSON_DIR``):
  a JSON list of ``[start, stop, project, id, tags, updated_at]``, the times Unix
  seconds (UTC), ``id`` a 32-hex-digit UUID, ``tags`` a list of strings.
* ``timew export`` prints a JSON list of intervals ``{"id": 1, "start":
  "20240115T090000Z", "end": "…", "tags": […], "annotation": "…"}``; times are UTC in
  ``YYYYMMDDTHHMMSSZ``; an open interval has no ``end``. ``timew import`` reads the
  same shape. Timewarrior has no projects, so the first tag is taken as the project
  (``--project`` instead makes every tag a tag).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from hourproof.interop.records import (
    NO_PROJECT,
    Occurrences,
    ReadOptions,
    Record,
    Skipped,
    clean_tags,
    fingerprint,
    one_line,
)
from hourproof.interop.wallclock import WallClockError, utc_from_timestamp

_TIMEW = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")


class JsonReadError(ValueError):
    """The whole file cannot be read as the tool's JSON."""


def _load(path: Path, what: str) -> list[Any]:
    try:
        with path.open("r", encoding="utf-8-sig") as fp:
            value = json.load(fp)
    except UnicodeDecodeError as exc:
        raise JsonReadError("the file is not UTF-8 text") from exc
    except ValueError as exc:
        raise JsonReadError(f"the file is not valid JSON ({exc})") from exc
    if not isinstance(value, list):
        raise JsonReadError(f"{what} is a JSON list; this file holds a {type(value).__name__}")
    return value


def _str_tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise WallClockError("tags are not a list of strings")
    return clean_tags(value)


# --- Watson ------------------------------------------------------------------------------


def read_watson(path: Path, opts: ReadOptions) -> Iterator[Record | Skipped]:
    frames = _load(path, "a Watson frames file")
    occurrences = Occurrences()
    for number, frame in enumerate(frames, start=1):
        if not isinstance(frame, list) or len(frame) < 5:
            yield Skipped(number, "not a [start, stop, project, id, tags, …] frame")
            continue
        try:
            start = utc_from_timestamp(frame[0])
            end = utc_from_timestamp(frame[1])
            tags = _str_tags(frame[4])
        except WallClockError as exc:
            yield Skipped(number, str(exc))
            continue
        if end <= start:
            yield Skipped(number, "it ends before or when it starts")
            continue
        project = one_line(frame[2]) if isinstance(frame[2], str) else None
        frame_id = frame[3] if isinstance(frame[3], str) and frame[3] else None
        key = (
            fingerprint("watson", ["id", frame_id])
            if frame_id
            else occurrences.key("watson", [json.dumps(frame[:5])])
        )
        yield Record(
            row=number, key=key, project=project or opts.project or NO_PROJECT,
            start=start, end=end, client=opts.client, tags=tags,
        )  # fmt: skip


@dataclass(frozen=True)
class Interval:
    """One finished interval for the JSON exporters."""

    uid: str  # 32 hex digits, stable per entry
    project: str
    start: datetime
    end: datetime
    tags: tuple[str, ...]
    note: str | None
    updated: datetime


def write_watson(items: Sequence[Interval], fp: TextIO) -> None:
    """A Watson ``frames`` file (replace or merge into ``~/.config/watson/frames``)."""
    frames = [
        [int(i.start.timestamp()), int(i.end.timestamp()), i.project, i.uid, list(i.tags),
         int(i.updated.timestamp())]
        for i in items
    ]  # fmt: skip
    json.dump(frames, fp, indent=1, ensure_ascii=False)
    fp.write("\n")


# --- Timewarrior -------------------------------------------------------------------------


def parse_timew_time(text: Any) -> datetime:
    m = _TIMEW.match(text) if isinstance(text, str) else None
    if not m:
        raise WallClockError(f"not a Timewarrior time (YYYYMMDDTHHMMSSZ): {text!r}")
    try:
        y, mo, d, h, mi, s = (int(g) for g in m.groups())
        return datetime(y, mo, d, h, mi, s, tzinfo=UTC)
    except ValueError as exc:
        raise WallClockError(f"not a Timewarrior time: {text!r}") from exc


def timew_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def read_timew(path: Path, opts: ReadOptions) -> Iterator[Record | Skipped]:
    intervals = _load(path, "timew export")
    for number, item in enumerate(intervals, start=1):
        if not isinstance(item, dict) or "start" not in item:
            yield Skipped(number, "not an interval object with a start")
            continue
        if item.get("end") is None:
            yield Skipped(number, "still running (no end)")
            continue
        try:
            start = parse_timew_time(item["start"])
            end = parse_timew_time(item["end"])
            tags = list(_str_tags(item.get("tags")))
        except WallClockError as exc:
            yield Skipped(number, str(exc))
            continue
        if end <= start:
            yield Skipped(number, "it ends before or when it starts")
            continue
        raw_tags = [t for t in item.get("tags") or [] if isinstance(t, str)]
        if opts.project:
            project = opts.project
        elif raw_tags and one_line(raw_tags[0]):
            project = one_line(raw_tags[0]) or NO_PROJECT
            tags = list(clean_tags(raw_tags[1:]))
        else:
            project = NO_PROJECT
        annotation = item.get("annotation")
        yield Record(
            row=number,
            # Timewarrior ids are positions that shift; an interval's own times and tags stay.
            key=fingerprint("timewarrior", [item["start"], item["end"], *raw_tags]),
            project=project, start=start, end=end, client=opts.client, tags=tuple(tags),
            note=one_line(annotation) if isinstance(annotation, str) else None,
        )  # fmt: skip


def write_timew(items: Sequence[Interval], fp: TextIO) -> None:
    """JSON that ``timew import`` reads: the project first among the tags."""
    out: list[dict[str, Any]] = []
    for i in items:
        interval: dict[str, Any] = {
            "start": timew_time(i.start),
            "end": timew_time(i.end),
            "tags": [i.project, *(t for t in i.tags if t != i.project)],
        }
        if i.note:
            interval["annotation"] = i.note
        out.append(interval)
    json.dump(out, fp, indent=1, ensure_ascii=False)
    fp.write("\n")
