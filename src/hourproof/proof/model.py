"""What a human statement of hours shows: the data behind report.html, report.pdf and
the CSV exports. Built by the exporter from the disclosed leaves and re-derived by the
verifier, so both render from the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

#: Labels every figure carries (DESIGN §1).
VERIFIED = "Verified"
RECORDED_BY = "Recorded by"
SELF_REPORTED = "Self-reported"

#: An entry recorded more than this many seconds after it ended is flagged late.
LATE_AFTER_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Amendment:
    leaf: int
    kind: str  # "entry.amend" | "entry.remove"
    recorded_at: datetime
    reason: str
    changes: dict[str, object]


@dataclass(frozen=True)
class ReportEntry:
    """One entry as the statement shows it."""

    id: int
    project: str
    client: str | None
    task: str | None
    tags: tuple[str, ...]
    note: str | None
    start: datetime
    end: datetime
    seconds: int
    source: str  # timer | manual | suggested | imported
    amount_minor: int | None
    currency: str | None
    label: str  # VERIFIED | RECORDED_BY | SELF_REPORTED
    recorded_by: datetime | None  # the earliest trusted timestamp covering its last leaf
    lag_seconds: int | None  # recorded_by - end (None without a timestamp)
    late: bool
    evidence_commits: int = 0
    evidence_spans: int = 0
    corroborated_seconds: int = 0
    amendments: tuple[Amendment, ...] = ()
    removed: bool = False
    #: Disclosed only so the bundle is complete (bundle format v2 §7): outside the
    #: period (or another project of the client); never summed.
    outside: bool = False


@dataclass(frozen=True)
class TotalLine:
    key: str  # a day (YYYY-MM-DD) or a project name
    seconds: int
    amounts: dict[str, int]


@dataclass
class Statement:
    """Everything a report renders."""

    contractor: str  # identity in allowed_signers
    fingerprint: str  # SHA256:…
    client: str
    project: str | None
    period_start: datetime  # inclusive
    period_end: datetime  # exclusive
    generated_at: datetime
    tree_size: int
    entries: list[ReportEntry] = field(default_factory=list)
    by_day: list[TotalLine] = field(default_factory=list)
    by_project: list[TotalLine] = field(default_factory=list)
    total_seconds: int = 0
    total_amounts: dict[str, int] = field(default_factory=dict)
    anchors: list[tuple[int, datetime, str]] = field(default_factory=list)  # size, time, TSA


PROVES = (
    "Every entry listed was signed by the contractor's key (fingerprint above).",
    "Each entry marked 'Recorded by T' was in the contractor's log no later than T, "
    "according to an independent RFC 3161 timestamp authority.",
    "The log was only ever appended to: nothing disclosed here was rewritten or "
    "silently deleted since the timestamps (consistency proofs).",
    "Each cited git commit existed by that time (check it against your own clone).",
    "The totals are the sum of the disclosed entries.",
    "Nothing about you was left out: every entry, change and removal recorded for you in "
    "the range this bundle covers is disclosed (bundle format 2, 'completeness').",
)

DOES_NOT_PROVE = (
    "That a person worked, or how hard: start and end times are self-reported by the "
    "contractor, bounded only by when they were recorded.",
    "Entries labelled 'Self-reported' have no trusted timestamp yet: they could have been "
    "written at any time before this bundle was made.",
    "Nothing about the contractor's other clients: their entries are not disclosed.",
)
