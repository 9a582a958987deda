"""Build the human statement from disclosed leaves alone.

The exporter and the verifier both call :func:`build_statement`, so the client's
figures are re-derived from exactly the bytes they were given.
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from hourproof.core import leaves as lk
from hourproof.core.entries import Entry, UnknownEntry
from hourproof.core.entries import fold_entries as core_fold
from hourproof.core.money import amount_for
from hourproof.core.summary import SummaryRow, summarize
from hourproof.core.timeparse import from_rfc3339
from hourproof.proof.labels import label_for
from hourproof.proof.model import Amendment, ReportEntry, Statement, TotalLine


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a batch of objects without cycles is
    made (a statement of 20,000 entries makes ~200,000: the collections their
    allocations set off took about a third of building it); back on after, if it was."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class StatementError(ValueError):
    """Disclosed leaves that do not form a coherent set of entries."""


def fold_entries(leaves: Mapping[int, Mapping[str, Any]]) -> dict[int, Entry]:
    """Entries from a set of disclosed leaves (the fold of ``core.entries``)."""
    try:
        return core_fold((seq, leaves[seq]) for seq in sorted(leaves))
    except UnknownEntry as exc:
        raise StatementError(
            f"leaf {exc.seq} changes entry {exc.entry}, which is not disclosed"
        ) from exc


def _corroborated(entry: Entry, spans: list[tuple[datetime, datetime]]) -> int:
    from hourproof.core.sessions import corroborated_seconds

    if entry.end is None or not spans:
        return 0
    return corroborated_seconds(entry.start, entry.end, spans)


def _evidence_interval(leaf: Mapping[str, Any]) -> tuple[datetime, datetime]:
    if leaf["kind"] == lk.GIT_COMMIT:
        from hourproof.core.sessions import DEFAULT_COMMIT_WINDOW

        moment = from_rfc3339(leaf["author_date"])
        return moment - DEFAULT_COMMIT_WINDOW, moment
    return from_rfc3339(leaf["start"]), from_rfc3339(leaf["end"])


def _outside(entry: Entry, project: str | None, lo: datetime, hi: datetime) -> bool:
    """Disclosed for completeness only: not in the period (or not the bundle's project)."""
    end = entry.end or entry.start
    return (project is not None and entry.project != project) or not (entry.start < hi and end > lo)


class _Covering:
    """The earliest token time over a size above a leaf index, by bisection: what
    ``labels.recorded_by`` finds by a scan, for 20,000 entries and many anchors."""

    def __init__(self, anchors: Sequence[tuple[int, datetime]]) -> None:
        ordered = sorted(anchors, key=lambda a: a[0])
        self.sizes = [size for size, _ in ordered]
        self.earliest: list[datetime] = []  # earliest time among ordered[i:]
        for _, when in reversed(ordered):
            self.earliest.append(when if not self.earliest else min(when, self.earliest[-1]))
        self.earliest.reverse()

    def anchors_for(self, index: int) -> list[tuple[int, datetime]]:
        """A one-anchor list giving ``label_for`` the same answer for ``index``."""
        i = bisect.bisect_right(self.sizes, index)
        return [(index + 1, self.earliest[i])] if i < len(self.sizes) else []


_new = object.__new__
_CHANGE_KINDS = (lk.ENTRY_AMEND, lk.ENTRY_REMOVE)


def _report_entry(
    entry: Entry, leaves: Mapping[int, Mapping[str, Any]],
    anchors: Sequence[tuple[int, datetime]] | _Covering, outside: bool = False,
) -> ReportEntry:  # fmt: skip
    end = entry.end or entry.start
    history = entry.leaves
    last = max(history)
    covering = anchors.anchors_for(last) if isinstance(anchors, _Covering) else anchors
    label, when, lag, late = label_for(last, end, entry.source, covering)
    amendments: tuple[Amendment, ...] = ()
    if len(history) > 1:  # the first leaf creates the entry: never an amendment
        amendments = tuple(
            Amendment(
                seq, leaves[seq]["kind"], from_rfc3339(leaves[seq]["recorded_at"]),
                str(leaves[seq].get("reason", "")), dict(leaves[seq].get("changes") or {}),
            )
            for seq in history
            if leaves[seq]["kind"] in _CHANGE_KINDS
        )  # fmt: skip
    commits = spans = corroborated = 0
    if entry.evidence != ():
        for i in entry.evidence:
            if i not in leaves or leaves[i].get("kind") not in lk.EVIDENCE_KINDS:
                raise StatementError(f"entry {entry.id} cites evidence leaf {i}, which is not "
                                     "disclosed as evidence")  # fmt: skip
        cited = [leaves[i] for i in entry.evidence]
        commits = sum(1 for c in cited if c["kind"] == lk.GIT_COMMIT)
        spans = sum(1 for c in cited if c["kind"] == lk.FILE_ACTIVITY)
        corroborated = _corroborated(entry, [_evidence_interval(c) for c in cited])
    seconds = entry.seconds()
    rate = entry.rate
    # The fields of ReportEntry without its frozen __init__ (one object.__setattr__ per
    # field, 22 of them, for each of 20,000 entries); test_statement_fast pins equality.
    out: ReportEntry = _new(ReportEntry)
    out.__dict__.update({
        "id": entry.id, "project": entry.project, "client": entry.client,
        "task": entry.task, "tags": entry.tags, "note": entry.note, "start": entry.start,
        "end": end, "seconds": seconds, "source": entry.source,
        "amount_minor": amount_for(seconds, rate) if rate else None,
        "currency": rate.currency if rate else None,
        "label": label, "recorded_by": when, "lag_seconds": lag, "late": late,
        "evidence_commits": commits, "evidence_spans": spans,
        "corroborated_seconds": corroborated, "amendments": amendments,
        "removed": entry.removed, "outside": outside,
    })  # fmt: skip
    return out


def _totals(rows: list[SummaryRow], key: str) -> list[TotalLine]:
    acc: dict[str, TotalLine] = {}
    for row in rows:
        name = row.day if key == "day" else row.project
        line = acc.setdefault(name, TotalLine(name, 0, {}))
        amounts = dict(line.amounts)
        if row.currency and row.amount_minor is not None:
            amounts[row.currency] = amounts.get(row.currency, 0) + row.amount_minor
        acc[name] = TotalLine(name, line.seconds + row.seconds, amounts)
    return [acc[k] for k in sorted(acc)]


def build_statement(
    leaves: Mapping[int, Mapping[str, Any]],
    anchors: Sequence[tuple[int, datetime, str]],
    *, contractor: str, fingerprint: str, client: str, project: str | None,
    period_start: datetime, period_end: datetime, generated_at: datetime, tree_size: int,
) -> tuple[Statement, list[SummaryRow]]:  # fmt: skip
    """The statement and the summary rows of the disclosed entries."""
    with collector_paused():
        return _build(
            leaves, anchors, contractor=contractor, fingerprint=fingerprint, client=client,
            project=project, period_start=period_start, period_end=period_end,
            generated_at=generated_at, tree_size=tree_size,
        )  # fmt: skip


def _build(
    leaves: Mapping[int, Mapping[str, Any]],
    anchors: Sequence[tuple[int, datetime, str]],
    *, contractor: str, fingerprint: str, client: str, project: str | None,
    period_start: datetime, period_end: datetime, generated_at: datetime, tree_size: int,
) -> tuple[Statement, list[SummaryRow]]:  # fmt: skip
    entries = fold_entries(leaves)
    covering = _Covering([(size, when) for size, when, _ in anchors])
    report_entries = [
        _report_entry(e, leaves, covering, _outside(e, project, period_start, period_end))
        for e in sorted(entries.values(), key=lambda e: (e.start, e.id))
    ]
    counted = [e for e in entries.values() if project is None or e.project == project]
    rows = summarize(counted, period_start, period_end)
    st = Statement(
        contractor=contractor, fingerprint=fingerprint, client=client, project=project,
        period_start=period_start, period_end=period_end, generated_at=generated_at,
        tree_size=tree_size, entries=report_entries,
        by_day=_totals(rows, "day"), by_project=_totals(rows, "project"),
        anchors=sorted(anchors),
    )  # fmt: skip
    st.total_seconds = sum(r.seconds for r in rows)
    for row in rows:
        if row.currency and row.amount_minor is not None:
            st.total_amounts[row.currency] = (
                st.total_amounts.get(row.currency, 0) + row.amount_minor
            )
    return st, rows
