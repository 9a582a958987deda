"""Suggested sessions and corroboration (hourproof.core.sessions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hourproof.core.sessions import (
    FILE_ACTIVITY,
    GIT_COMMIT,
    Evidence,
    corroborated_seconds,
    evidence_interval,
    overlap_seconds,
    suggest_sessions,
    suggestion_id,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def m(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def commit(index: int, minute: float, project: str = "p", client: str | None = "acme") -> Evidence:
    return Evidence(index, GIT_COMMIT, project, client, m(minute), m(minute))


def span(
    index: int, start: float, end: float, project: str = "p", client: str | None = "acme"
) -> Evidence:
    return Evidence(index, FILE_ACTIVITY, project, client, m(start), m(end))


def test_evidence_closer_than_gap_forms_one_session() -> None:
    [s] = suggest_sessions([span(1, 0, 20), span(2, 29, 40)])
    assert (s.start, s.end, s.seconds) == (m(0), m(40), 40 * 60)
    assert s.evidence == (1, 2)


def test_gap_of_exactly_threshold_splits_sessions() -> None:
    sessions = suggest_sessions([span(1, 0, 20), span(2, 30, 40)])
    assert [(s.start, s.end) for s in sessions] == [(m(0), m(20)), (m(30), m(40))]


def test_gap_is_measured_from_the_latest_end_so_far() -> None:
    [s] = suggest_sessions([span(1, 0, 60), span(2, 5, 6), span(3, 65, 70)])
    assert s.evidence == (1, 2, 3)


def test_custom_gap_is_honoured() -> None:
    sessions = suggest_sessions([span(1, 0, 5), span(2, 8, 9)], gap=timedelta(minutes=2))
    assert len(sessions) == 2


def test_session_opening_with_commit_gets_first_commit_allowance() -> None:
    [s] = suggest_sessions([commit(1, 60), commit(2, 65)])
    assert (s.start, s.end) == (m(30), m(65))


def test_first_commit_allowance_is_configurable() -> None:
    [s] = suggest_sessions([commit(1, 60)], first_commit_allowance=timedelta(minutes=45))
    assert s.start == m(15)


def test_session_opening_with_activity_gets_no_allowance() -> None:
    [s] = suggest_sessions([span(1, 50, 58), commit(2, 60)])
    assert s.start == m(50)


def test_activity_starting_with_the_commit_cancels_the_allowance() -> None:
    [s] = suggest_sessions([commit(1, 60), span(2, 60, 70)])
    assert s.start == m(60)


def test_allowance_never_reaches_into_the_previous_session_of_the_project() -> None:
    first, second = suggest_sessions([span(1, 0, 20), commit(2, 35)])
    assert first.end == m(20)
    assert second.start == m(20)


def test_projects_are_sessioned_separately() -> None:
    sessions = suggest_sessions(
        [span(1, 0, 10, project="a"), span(2, 5, 15, project="b", client=None)]
    )
    assert [(s.project, s.client, s.evidence) for s in sessions] == [
        ("a", "acme", (1,)),
        ("b", None, (2,)),
    ]


def test_sessions_are_sorted_by_start_across_projects() -> None:
    sessions = suggest_sessions([span(1, 100, 110, "a"), span(2, 0, 10, "b"), span(3, 50, 60, "a")])
    assert [s.start for s in sessions] == [m(0), m(50), m(100)]


def test_lone_single_write_span_is_not_suggested() -> None:
    assert suggest_sessions([span(1, 0, 0)]) == []


def test_duplicate_leaf_indexes_are_read_once() -> None:
    [s] = suggest_sessions([span(1, 0, 10), span(1, 0, 10)])
    assert s.evidence == (1,)


def test_ids_are_stable_and_depend_on_project_and_evidence() -> None:
    evidence = [span(3, 0, 10), commit(7, 12)]
    [a] = suggest_sessions(evidence)
    [b] = suggest_sessions(list(reversed(evidence)))
    assert a.id == b.id == suggestion_id("p", [7, 3])
    assert a.id.startswith("s-") and len(a.id) == 12
    assert suggestion_id("q", [3, 7]) != a.id
    assert suggestion_id("p", [3]) != a.id


def test_first_named_client_is_the_session_client() -> None:
    [s] = suggest_sessions([span(1, 0, 5, client=None), span(2, 6, 9, client="acme")])
    assert s.client == "acme"


def test_commit_must_be_an_instant() -> None:
    with pytest.raises(ValueError, match="start == end"):
        Evidence(1, GIT_COMMIT, "p", None, m(0), m(1))


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="kind"):
        Evidence(1, "entry.add", "p", None, m(0), m(1))


def test_naive_evidence_times_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Evidence(1, FILE_ACTIVITY, "p", None, datetime(2026, 1, 1), datetime(2026, 1, 1))


def test_overlap_of_disjoint_intervals_is_zero() -> None:
    assert overlap_seconds(m(0), m(10), m(20), m(30)) == 0


def test_overlap_counts_shared_whole_seconds() -> None:
    assert overlap_seconds(m(0), m(10), m(5), m(30)) == 300


def test_commit_corroborates_the_gap_before_it() -> None:
    assert evidence_interval(commit(1, 60)) == (m(50), m(60))
    assert evidence_interval(span(2, 0, 5)) == (m(0), m(5))


def test_corroboration_counts_overlapping_evidence_once() -> None:
    intervals = [(m(10), m(30)), (m(20), m(40)), (m(50), m(55))]
    assert corroborated_seconds(m(0), m(60), intervals) == (30 + 5) * 60


def test_corroboration_is_clipped_to_the_entry() -> None:
    assert corroborated_seconds(m(10), m(20), [(m(0), m(15)), (m(18), m(99))]) == 7 * 60


def test_entry_without_evidence_is_uncorroborated() -> None:
    assert corroborated_seconds(m(0), m(60), []) == 0
