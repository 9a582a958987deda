"""The statement as it was built before the fast paths (commit 92e90af): the entry
fold through ``Entry(...)`` and ``dataclasses.replace``, ``from_rfc3339`` for every
time, ``ReportEntry(...)``, ``split_by_day`` for every entry of the summary.

Kept only as the oracle of tests/unit/test_statement_fast.py, which checks that
``core.entries``, ``core.summary`` and ``proof.statement`` give exactly what this
gives (equal objects, the same errors). Not used by the product.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from hourproof.core import leaves as lk
from hourproof.core.entries import Entry, UnknownEntry
from hourproof.core.money import Rate, amount_for
from hourproof.core.sessions import DEFAULT_COMMIT_WINDOW, corroborated_seconds
from hourproof.core.summary import SummaryRow, row_key
from hourproof.core.timeparse import from_rfc3339
from hourproof.core.totals import split_by_day
from hourproof.proof.labels import label_for
from hourproof.proof.model import Amendment, ReportEntry, Statement
from hourproof.proof.statement import StatementError, _Covering, _outside, _totals


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _created(seq: int, leaf: Mapping[str, Any]) -> Entry:
    kind = leaf["kind"]
    end = leaf.get("end")
    source = "imported" if kind == lk.IMPORT else str(leaf.get("source", "manual"))
    return Entry(
        id=seq,
        project=str(leaf["project"]),
        client=_optional_text(leaf.get("client")),
        task=_optional_text(leaf.get("task")),
        tags=tuple(leaf.get("tags") or ()),
        note=_optional_text(leaf.get("note")),
        start=from_rfc3339(leaf["start"]),
        end=from_rfc3339(end) if end else None,
        source=source,
        rate=Rate.from_json(leaf.get("rate")),
        evidence=tuple(int(i) for i in leaf.get("evidence") or ()),
        leaves=(seq,),
    )


def _amended(entry: Entry, changes: Mapping[str, Any]) -> Entry:
    updates: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("start", "end"):
            updates[name] = from_rfc3339(value) if value else None
        elif name == "tags":
            updates[name] = tuple(value or ())
        elif name == "project":
            updates[name] = str(value)
        else:
            updates[name] = _optional_text(value)
    return replace(entry, amended=True, **updates)


def apply_leaf(seq: int, leaf: Mapping[str, Any], current: Entry | None) -> Entry | None:
    kind = leaf["kind"]
    if kind in lk.CREATING_KINDS:
        return _created(seq, leaf)
    if kind not in lk.CHANGING_KINDS:
        return None
    if current is None:
        raise UnknownEntry(seq, int(leaf["entry"]))
    history = (*current.leaves, seq)
    if kind == lk.ENTRY_STOP:
        note = _optional_text(leaf.get("note")) or current.note
        return replace(current, end=from_rfc3339(leaf["end"]), note=note, leaves=history)
    if kind == lk.ENTRY_REMOVE:
        return replace(current, removed=True, leaves=history)
    return replace(_amended(current, leaf["changes"]), leaves=history)


def fold_entries(leaves: Iterable[tuple[int, Mapping[str, Any]]]) -> dict[int, Entry]:
    state: dict[int, Entry] = {}
    for seq, leaf in leaves:
        kind = leaf["kind"]
        if kind in lk.CREATING_KINDS or kind in lk.CHANGING_KINDS:
            cited = int(leaf["entry"]) if kind in lk.CHANGING_KINDS else None
            entry = apply_leaf(seq, leaf, state.get(cited) if cited is not None else None)
            if entry is not None:
                state[entry.id] = entry
    return state


def summarize(entries: Iterable[Entry], lo: datetime, hi: datetime) -> list[SummaryRow]:
    acc: dict[tuple[str, str, str | None], list[int]] = {}
    for entry in entries:
        if entry.removed or entry.end is None:
            continue
        start, end = max(entry.start, lo), min(entry.end, hi)
        if end <= start:
            continue
        currency = entry.rate.currency if entry.rate else None
        for day, seconds in split_by_day(start, end, utc=True):
            slot = acc.setdefault((day.isoformat(), entry.project, currency), [0, 0])
            slot[0] += seconds
            if entry.rate is not None:
                slot[1] += amount_for(seconds, entry.rate)
    return sorted(
        (
            SummaryRow(day, project, sec, minor if cur else None, cur)
            for (day, project, cur), (sec, minor) in acc.items()
        ),
        key=row_key,
    )


def _evidence_interval(leaf: Mapping[str, Any]) -> tuple[datetime, datetime]:
    if leaf["kind"] == lk.GIT_COMMIT:
        moment = from_rfc3339(leaf["author_date"])
        return moment - DEFAULT_COMMIT_WINDOW, moment
    return from_rfc3339(leaf["start"]), from_rfc3339(leaf["end"])


def _corroborated(entry: Entry, spans: list[tuple[datetime, datetime]]) -> int:
    if entry.end is None or not spans:
        return 0
    return corroborated_seconds(entry.start, entry.end, spans)


def report_entry(
    entry: Entry, leaves: Mapping[int, Mapping[str, Any]], anchors: _Covering, outside: bool
) -> ReportEntry:
    end = entry.end or entry.start
    last = max(entry.leaves)
    label, when, lag, late = label_for(last, end, entry.source, anchors.anchors_for(last))
    amendments = tuple(
        Amendment(
            seq, leaves[seq]["kind"], from_rfc3339(leaves[seq]["recorded_at"]),
            str(leaves[seq].get("reason", "")), dict(leaves[seq].get("changes") or {}),
        )
        for seq in entry.leaves
        if leaves[seq]["kind"] in (lk.ENTRY_AMEND, lk.ENTRY_REMOVE)
    )  # fmt: skip
    for i in entry.evidence:
        if i not in leaves or leaves[i].get("kind") not in lk.EVIDENCE_KINDS:
            raise StatementError(f"entry {entry.id} cites evidence leaf {i}, which is not "
                                 "disclosed as evidence")  # fmt: skip
    cited = [leaves[i] for i in entry.evidence]
    seconds = entry.seconds()
    return ReportEntry(
        id=entry.id, project=entry.project, client=entry.client, task=entry.task,
        tags=entry.tags, note=entry.note, start=entry.start, end=end, seconds=seconds,
        source=entry.source,
        amount_minor=amount_for(seconds, entry.rate) if entry.rate else None,
        currency=entry.rate.currency if entry.rate else None,
        label=label, recorded_by=when, lag_seconds=lag, late=late,
        evidence_commits=sum(1 for c in cited if c["kind"] == lk.GIT_COMMIT),
        evidence_spans=sum(1 for c in cited if c["kind"] == lk.FILE_ACTIVITY),
        corroborated_seconds=_corroborated(entry, [_evidence_interval(c) for c in cited]),
        amendments=amendments, removed=entry.removed, outside=outside,
    )  # fmt: skip


def build_statement(
    leaves: Mapping[int, Mapping[str, Any]],
    anchors: Sequence[tuple[int, datetime, str]],
    *, contractor: str, fingerprint: str, client: str, project: str | None,
    period_start: datetime, period_end: datetime, generated_at: datetime, tree_size: int,
) -> tuple[Statement, list[SummaryRow]]:  # fmt: skip
    try:
        entries = fold_entries((seq, leaves[seq]) for seq in sorted(leaves))
    except UnknownEntry as exc:
        raise StatementError(
            f"leaf {exc.seq} changes entry {exc.entry}, which is not disclosed"
        ) from exc
    covering = _Covering([(size, when) for size, when, _ in anchors])
    report_entries = [
        report_entry(e, leaves, covering, _outside(e, project, period_start, period_end))
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
