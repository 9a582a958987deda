"""Entries as a projection of the ledger: the current state of each work interval.

An entry's id is the index of the leaf that created it (``entry.start``,
``entry.add`` or ``import``). Later leaves that cite it (stop, amend, remove)
are folded in order; nothing is lost, since every version stays in the ledger.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from hourproof.core import leaves as lk
from hourproof.core.money import Rate
from hourproof.core.timeparse import from_rfc3339

SOURCES = ("timer", "manual", "suggested", "imported")


@dataclass(frozen=True)
class Entry:
    """The current state of one entry."""

    id: int
    project: str
    client: str | None
    task: str | None
    tags: tuple[str, ...]
    note: str | None
    start: datetime
    end: datetime | None
    source: str
    rate: Rate | None = None
    amended: bool = False
    removed: bool = False
    evidence: tuple[int, ...] = ()
    leaves: tuple[int, ...] = field(default_factory=tuple)

    @property
    def running(self) -> bool:
        return self.end is None and not self.removed

    def seconds(self, now: datetime | None = None) -> int:
        """Duration in whole seconds; never negative (a backwards clock gives 0)."""
        end = self.end if self.end is not None else now
        if end is None:
            return 0
        return max(0, int((end - self.start).total_seconds()))


class ProjectionError(ValueError):
    """A leaf that cannot be applied to the entry it cites."""


class UnknownEntry(ProjectionError):
    """A changing leaf cites an entry that is not there (not created, or not disclosed)."""

    def __init__(self, seq: int, entry: int) -> None:
        super().__init__(f"leaf {seq} cites unknown entry {entry}")
        self.seq = seq
        self.entry = entry


def cited_entry(leaf: Mapping[str, Any]) -> int | None:
    """The entry id a changing leaf cites, or None for other kinds."""
    if leaf["kind"] in lk.CHANGING_KINDS:
        return int(leaf["entry"])
    return None


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


_FIELDS = frozenset(f.name for f in fields(Entry))
_new = object.__new__
_STORED_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_shape, _iso = _STORED_TIME.fullmatch, datetime.fromisoformat


def _time(text: Any) -> datetime:
    """``from_rfc3339`` for the shape every stored time has, at a third of its cost
    (anything else, and a date that does not exist, goes to it: it decides and says why)."""
    if type(text) is str and _shape(text):
        try:
            return _iso(text)
        except ValueError:
            pass
    return from_rfc3339(text)


def _entry(values: dict[str, Any]) -> Entry:
    """An Entry of every field in ``values``, without the frozen dataclass's
    ``__init__`` (one ``object.__setattr__`` per field): the fold makes one per leaf."""
    entry: Entry = _new(Entry)
    entry.__dict__.update(values)
    return entry


def _replaced(entry: Entry, changes: dict[str, Any]) -> Entry:
    """``dataclasses.replace(entry, **changes)``, by the same shortcut as :func:`_entry`
    (a name that is not a field goes to ``replace``, which refuses it)."""
    if not _FIELDS.issuperset(changes):
        return replace(entry, **changes)
    new: Entry = _new(Entry)
    values = new.__dict__
    values.update(entry.__dict__)
    values.update(changes)
    return new


def _created(seq: int, leaf: Mapping[str, Any]) -> Entry:
    get = leaf.get
    end = get("end")
    evidence = get("evidence")
    return _entry({
        "id": seq,
        "project": str(leaf["project"]),
        "client": _optional_text(get("client")),
        "task": _optional_text(get("task")),
        "tags": tuple(get("tags") or ()),
        "note": _optional_text(get("note")),
        "start": _time(leaf["start"]),
        "end": _time(end) if end else None,
        "source": "imported" if leaf["kind"] == lk.IMPORT else str(get("source", "manual")),
        "rate": Rate.from_json(get("rate")),
        "amended": False,
        "removed": False,
        "evidence": tuple([int(i) for i in evidence]) if evidence else (),
        "leaves": (seq,),
    })  # fmt: skip


def _amended(entry: Entry, changes: Mapping[str, Any], history: tuple[int, ...]) -> Entry:
    updates: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("start", "end"):
            updates[name] = _time(value) if value else None
        elif name == "tags":
            updates[name] = tuple(value or ())
        elif name == "project":
            updates[name] = str(value)
        else:
            updates[name] = _optional_text(value)
    if "amended" in updates:
        replace(entry, amended=True, **updates)  # refuses it: "multiple values for 'amended'"
    updates["amended"] = True
    return _replaced(_replaced(entry, updates), {"leaves": history})


def apply_leaf(seq: int, leaf: Mapping[str, Any], current: Entry | None) -> Entry | None:
    """Fold one leaf into the entry it creates or changes.

    ``current`` is the cited entry's state for changing leaves (None otherwise).
    Returns the new state, or None when the leaf does not concern an entry.
    """
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
        return _replaced(current, {"end": _time(leaf["end"]), "note": note, "leaves": history})
    if kind == lk.ENTRY_REMOVE:
        return _replaced(current, {"removed": True, "leaves": history})
    return _amended(current, leaf["changes"], history)


def fold_leaf(
    seq: int, leaf: Mapping[str, Any], lookup: Callable[[int], Entry | None]
) -> Entry | None:
    """One step of the fold: the entry ``leaf`` creates or changes, its current state
    looked up by id (in memory, or in the projection table)."""
    cited = cited_entry(leaf)
    return apply_leaf(seq, leaf, lookup(cited) if cited is not None else None)


def fold_entries(
    leaves: Iterable[tuple[int, Mapping[str, Any]]],
    on_other: Callable[[int, Mapping[str, Any]], object] | None = None,
) -> dict[int, Entry]:
    """The entry fold: every entry's current state from ``(seq, leaf)`` in index order.

    The exporter's and verifier's statement, the projection rebuild and each write
    use this one rule. Leaves of other kinds go to ``on_other`` (if given). A leaf
    citing an entry not in ``leaves`` raises :class:`UnknownEntry`.
    """
    state: dict[int, Entry] = {}
    creating, changing = lk.CREATING_KINDS, lk.CHANGING_KINDS
    for seq, leaf in leaves:
        kind = leaf["kind"]
        if kind in creating:
            state[seq] = _created(seq, leaf)  # its id is its index
        elif kind in changing:
            entry = fold_leaf(seq, leaf, state.get)
            if entry is not None:
                state[entry.id] = entry
        elif on_other is not None:
            on_other(seq, leaf)
    return state
