"""The statement's fast paths give exactly what the code they replaced gave.

``core.entries`` (the fold without ``Entry(...)``/``replace`` and with a shape check
before ``fromisoformat``), ``core.summary`` (one UTC day without ``split_by_day``),
``proof.statement`` (``ReportEntry`` without its ``__init__``, evidence work only for
entries citing evidence, the collector paused) and ``store.projection`` (stored index
lists read without ``json.loads``) are compared with tests/support/reference_statement
(the code before) on generated leaf sets: amendments of every field, removals, stops,
imports, evidence, entries outside the period or of another project, several
currencies, entries crossing midnight, anchors — and on leaves that must be refused.
"""

from __future__ import annotations

import gc
import json
import random
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from hourproof.core import entries as core_entries
from hourproof.core import leaves as lk
from hourproof.core.summary import summarize, to_csv
from hourproof.core.timeparse import to_rfc3339
from hourproof.proof import statement as st
from hourproof.store.projection import _int_list
from tests.support import reference_statement as ref

BASE = datetime(2026, 2, 27, 22, 0, tzinfo=UTC)
LO, HI = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC)
RATES = [
    None,
    {"minor": 9500, "currency": "EUR"},
    {"minor": 1234, "currency": "JPY"},
    {"minor": 10001, "currency": "USD"},
    {"minor": 7, "currency": "KWD"},
]
PROJECTS = ["Web", "App", "Ops"]


def _t(moment: datetime) -> str:
    return to_rfc3339(moment)


def _leaf(rng: random.Random, seq: int, kind: str, **fields: Any) -> dict[str, Any]:
    leaf: dict[str, Any] = {
        "v": 1,
        "kind": kind,
        "seq": seq,
        "after_anchor": None,
        "salt": "AAAAAAAAAAAAAAAAAAAAAA==",
        "recorded_at": _t(BASE + timedelta(minutes=seq * rng.randint(1, 90))),
    }
    leaf.update(fields)
    return leaf


def _interval(rng: random.Random) -> tuple[datetime, datetime]:
    start = BASE + timedelta(minutes=rng.randint(0, 8 * 24 * 60))  # before, in, after
    length = rng.choice([60, 1800, 3600 * 3, 3600 * 26, rng.randint(1, 3600 * 40)])
    return start, start + timedelta(seconds=length)  # many cross a midnight (UTC)


def _world(seed: int) -> dict[int, dict[str, Any]]:
    """A disclosed leaf set: every kind the fold reads, in index order."""
    rng = random.Random(seed)
    leaves: dict[int, dict[str, Any]] = {}
    entries: list[int] = []
    running: list[int] = []
    evidence: list[int] = []
    for seq in range(rng.randint(30, 160)):
        r = rng.random()
        start, end = _interval(rng)
        common: dict[str, Any] = {
            "project": rng.choice(PROJECTS),
            "client": rng.choice(["Acme", "Acme", "", None]),
            "task": rng.choice(["build", "", None]),
            "tags": rng.choice([[], ["dev"], ["a", "b"]]),
            "note": rng.choice(["work", "", None, "Grüße ✓"]),
            "start": _t(start),
        }
        rate = rng.choice(RATES)
        if rate is not None:
            common["rate"] = rate
        if evidence and rng.random() < 0.3:
            common["evidence"] = rng.sample(evidence, rng.randint(1, min(3, len(evidence))))
        if r < 0.3:
            leaf = _leaf(
                rng,
                seq,
                lk.ENTRY_ADD,
                end=_t(end),
                source=rng.choice(["manual", "suggested", "timer"]),
                **common,
            )
            entries.append(seq)
        elif r < 0.38:
            leaf = _leaf(rng, seq, lk.IMPORT, end=_t(end), tool="toggl", **common)
            entries.append(seq)
        elif r < 0.46:
            leaf = _leaf(rng, seq, lk.ENTRY_START, source="timer", **common)
            entries.append(seq)
            running.append(seq)
        elif r < 0.54 and running:
            cited = running.pop(rng.randrange(len(running)))
            stop = _t(
                datetime.fromisoformat(leaves[cited]["start"]) + timedelta(hours=2, seconds=seq)
            )
            fields: dict[str, Any] = {"entry": cited, "end": stop}
            if rng.random() < 0.5:
                fields["note"] = rng.choice(["stopped", ""])
            leaf = _leaf(rng, seq, lk.ENTRY_STOP, **fields)
        elif r < 0.7 and entries:
            names = rng.sample(lk.AMENDABLE, rng.randint(1, 3))
            values = {
                "project": rng.choice(PROJECTS),
                "client": rng.choice(["Acme", "", None]),
                "task": rng.choice(["review", "", None]),
                "tags": rng.choice([[], ["x"], None]),
                "note": rng.choice(["fixed", "", None]),
                "start": _t(start),
                "end": rng.choice([_t(end), None]),
            }
            leaf = _leaf(
                rng,
                seq,
                lk.ENTRY_AMEND,
                entry=rng.choice(entries),
                reason=rng.choice(["typo", ""]),
                changes={n: values[n] for n in names},
            )
        elif r < 0.78 and entries:
            reason = rng.choice(["duplicate", lk.MOVED_REASON])
            leaf = _leaf(rng, seq, lk.ENTRY_REMOVE, entry=rng.choice(entries), reason=reason)
        elif r < 0.86:
            leaf = _leaf(
                rng,
                seq,
                lk.GIT_COMMIT,
                repo="r",
                project="Web",
                commit="ab" * 20,
                object_format="sha1",
                object_sha256="cd" * 32,
                author_date=_t(start),
            )
            evidence.append(seq)
        elif r < 0.94:
            leaf = _leaf(
                rng,
                seq,
                lk.FILE_ACTIVITY,
                watch="w",
                project="App",
                start=_t(start),
                end=_t(start + timedelta(minutes=rng.randint(1, 300))),
                files=2,
            )
            evidence.append(seq)
        else:
            leaf = _leaf(
                rng,
                seq,
                rng.choice([lk.IDLE, lk.RATE_SET]),
                start=_t(start),
                end=_t(end),
                scope="client",
                name="Acme",
            )
        leaves[seq] = leaf
    return leaves


def _anchors(seed: int, size: int) -> list[tuple[int, datetime, str]]:
    rng = random.Random(seed + 1)
    return [
        (rng.randint(1, size + 5), BASE + timedelta(hours=rng.randint(0, 400)), f"tsa{k}")
        for k in range(rng.choice([0, 1, 3, 8]))
    ]


def _build(
    builder: Any,
    leaves: dict[int, Any],
    anchors: list[Any],
    project: str | None,
    lo: datetime = LO,
    hi: datetime = HI,
) -> Any:
    return builder(
        leaves,
        anchors,
        contractor="c",
        fingerprint="SHA256:x",
        client="Acme",
        project=project,
        period_start=lo,
        period_end=hi,
        generated_at=HI,
        tree_size=len(leaves) + 5,
    )


def _both(
    leaves: dict[int, Any],
    anchors: list[Any],
    project: str | None,
    lo: datetime = LO,
    hi: datetime = HI,
) -> tuple[Any, Any]:
    """(fast, reference) outcomes: the statement and rows, or the error raised."""
    return (
        _outcome(lambda: _build(st.build_statement, leaves, anchors, project, lo, hi)),
        _outcome(lambda: _build(ref.build_statement, leaves, anchors, project, lo, hi)),
    )


def _outcome(fn: Any) -> Any:
    try:
        return ("ok", fn())
    except Exception as exc:  # the same error, word for word
        return ("raised", type(exc), str(exc))


SEEDS = range(60)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_fold_gives_the_reference_entries(seed: int) -> None:
    leaves = _world(seed)
    fast = _outcome(lambda: core_entries.fold_entries(sorted(leaves.items())))
    slow = _outcome(lambda: ref.fold_entries(sorted(leaves.items())))
    assert fast == slow
    if fast[0] == "ok":
        assert [vars(e) for e in fast[1].values()] == [vars(e) for e in slow[1].values()]
        assert all(type(e) is core_entries.Entry for e in fast[1].values())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("project", [None, "Web"])
def test_the_statement_is_the_reference_statement(seed: int, project: str | None) -> None:
    leaves = _world(seed)
    anchors = _anchors(seed, len(leaves))
    fast, slow = _both(leaves, anchors, project)
    assert fast == slow
    if fast[0] == "ok":
        (a, rows_a), (b, rows_b) = fast[1], slow[1]
        assert [vars(e) for e in a.entries] == [vars(e) for e in b.entries]
        assert vars(a) == vars(b) and to_csv(rows_a) == to_csv(rows_b)


def test_the_generated_sets_cover_what_they_claim() -> None:
    """The seeds above reach every case the fast paths treat apart."""
    seen: set[str] = set()
    for seed in SEEDS:
        leaves = _world(seed)
        fast, _slow = _both(leaves, _anchors(seed, len(leaves)), None)
        if fast[0] != "ok":
            continue
        s = fast[1][0]
        for e in s.entries:
            seen.add("outside" if e.outside else "inside")
            seen.update({"removed"} if e.removed else set())
            seen.update(
                {"amended"} if any(a.kind == lk.ENTRY_AMEND for a in e.amendments) else set()
            )
            seen.update({"evidence"} if e.evidence_commits or e.evidence_spans else set())
            seen.update({"recorded"} if e.recorded_by is not None else set())
            seen.update({"midnight"} if e.start.date() != e.end.date() else set())
        seen.update(f"cur:{c}" for c in s.total_amounts)
    assert {
        "outside",
        "inside",
        "removed",
        "amended",
        "evidence",
        "recorded",
        "midnight",
        "cur:EUR",
        "cur:JPY",
        "cur:USD",
        "cur:KWD",
    } <= seen


@pytest.mark.parametrize(
    ("lo", "hi"),
    [
        (LO.astimezone(timezone(timedelta(hours=2))), HI.astimezone(timezone(timedelta(hours=2)))),
        (LO + timedelta(minutes=30, microseconds=5), HI - timedelta(hours=7)),
        (BASE - timedelta(days=30), BASE + timedelta(days=30)),
    ],
)
def test_other_periods_and_zones_give_the_reference_summary(lo: datetime, hi: datetime) -> None:
    for seed in range(15):
        leaves = _world(seed)
        try:
            entries = list(ref.fold_entries(sorted(leaves.items())).values())
        except Exception:
            continue
        assert summarize(entries, lo, hi) == ref.summarize(entries, lo, hi)
        fast, slow = _both(leaves, [], None, lo, hi)
        assert fast == slow


def _one(seq: int, kind: str, **fields: Any) -> dict[str, Any]:
    return _leaf(random.Random(seq), seq, kind, **fields)


ADD = {
    "project": "Web",
    "start": "2026-03-01T09:00:00Z",
    "end": "2026-03-01T10:00:00Z",
    "source": "manual",
}

REFUSED = [
    {1: _one(1, lk.ENTRY_STOP, entry=0, end="2026-03-01T10:00:00Z")},  # not disclosed
    {0: _one(0, lk.ENTRY_ADD, **{**ADD, "start": "2026-02-30T09:00:00Z"})},  # no such day
    {0: _one(0, lk.ENTRY_ADD, **{**ADD, "start": "2026-03-01 09:00:00Z"})},
    {0: _one(0, lk.ENTRY_ADD, **{**ADD, "end": "2026-03-01T10:00:00+00:00"})},
    {0: _one(0, lk.ENTRY_ADD, **{**ADD, "end": "２026-03-01T10:00:00Z"})},  # a wide digit
    {0: _one(0, lk.ENTRY_ADD, **{**ADD, "start": 5})},
    {
        0: _one(0, lk.ENTRY_ADD, **ADD),
        1: _one(1, lk.ENTRY_AMEND, entry=0, reason="r", changes={"bogus": "x"}),
    },
    {
        0: _one(0, lk.ENTRY_ADD, **ADD),
        1: _one(1, lk.ENTRY_AMEND, entry=0, reason="r", changes={"amended": "x"}),
    },
    {
        0: _one(0, lk.ENTRY_ADD, **ADD),
        1: _one(1, lk.ENTRY_AMEND, entry=0, reason="r", changes={"evidence": None}),
    },
    {
        0: _one(0, lk.ENTRY_ADD, **ADD),
        1: _one(1, lk.ENTRY_AMEND, entry=0, reason="r", changes={"end": "2026-03-01T25:00:00Z"}),
    },
    {0: _one(0, lk.ENTRY_ADD, **ADD, evidence=[0])},  # cites itself: not evidence
    {0: _one(0, lk.ENTRY_ADD, **ADD, evidence=[7])},  # not disclosed
    {
        0: _one(0, lk.ENTRY_ADD, **ADD),
        1: _one(1, lk.ENTRY_REMOVE, entry=0, reason="r", recorded_at="yesterday"),
    },
]


@pytest.mark.parametrize("leaves", REFUSED)
def test_refused_leaves_are_refused_alike(leaves: dict[int, Any]) -> None:
    fast, slow = _both(leaves, [], None)
    assert fast == slow and fast[0] == "raised"


@pytest.mark.parametrize(
    "changes",
    [
        {"id": 9},
        {"rate": "EUR"},
        {"leaves": "x"},
        {"source": None},
        {"tags": None, "start": None},
        {"removed": "yes"},
    ],
)
def test_odd_amendments_fold_alike(changes: dict[str, Any]) -> None:
    """Amendments the fold takes as they come (an id, a rate as text, a wrong list)."""
    leaves = {
        0: _one(0, lk.ENTRY_ADD, **ADD),
        1: _one(1, lk.ENTRY_AMEND, entry=0, reason="r", changes=changes),
    }
    fast = _outcome(lambda: core_entries.fold_entries(sorted(leaves.items())))
    slow = _outcome(lambda: ref.fold_entries(sorted(leaves.items())))
    assert fast == slow
    if fast[0] == "ok":
        assert [vars(e) for e in fast[1].values()] == [vars(e) for e in slow[1].values()]
    fast, slow = _both(leaves, [], None)
    assert fast == slow


def test_a_report_entry_holds_every_field_of_the_dataclass() -> None:
    """ReportEntry is made without __init__: a field added to it must be set there."""
    from dataclasses import fields

    from hourproof.proof.model import ReportEntry

    s = _build(st.build_statement, _world(3), [], None)[0]
    names = [f.name for f in fields(ReportEntry)]
    assert s.entries and all(list(vars(e)) == names for e in s.entries)


def test_the_collector_is_paused_only_while_building() -> None:
    assert gc.isenabled()
    with st.collector_paused():
        assert not gc.isenabled()
        with st.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner one leaves it as it found it
    assert gc.isenabled()
    with pytest.raises(st.StatementError):
        _build(st.build_statement, REFUSED[0], [], None)
    assert gc.isenabled()


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        "[1]",
        "[1,2,3]",
        "[1, 2]",
        "[ 5 ]",
        "[-1]",
        "[1.0]",
        '["a"]',
        "[1_0]",
        "[+1]",
        "[1,,2]",
        "[١]",
        "",
        "[",
        "]",
        "[12345678901234567890]",
        "[null]",
    ],
)
def test_stored_index_lists_read_as_json_reads_them(text: str) -> None:
    assert _outcome(lambda: _int_list(text)) == _outcome(lambda: tuple(json.loads(text)))


@pytest.mark.parametrize("seed", range(0, 60, 7))
def test_statements_reach_the_pdf_child_equal(seed: int) -> None:
    from hourproof.services.export_child import pack_statement, unpack_statement

    leaves = _world(seed)
    s = _build(st.build_statement, leaves, _anchors(seed, len(leaves)), None)[0]
    again = unpack_statement(pack_statement(s))
    assert again == s and [vars(e) for e in again.entries] == [vars(e) for e in s.entries]
    assert [type(e) for e in again.entries] == [type(e) for e in s.entries]


def test_a_cut_statement_for_the_pdf_child_is_refused() -> None:
    import pickle

    from hourproof.services.export_child import pack_statement, unpack_statement

    s = _build(st.build_statement, _world(1), [], None)[0]
    tag, head, kind, names, columns, count = pickle.loads(pack_statement(s))
    columns[3] = columns[3][:-1]
    cut = pickle.dumps((tag, head, kind, names, columns, count))
    with pytest.raises(ValueError, match="incomplete"):
        unpack_statement(cut)
