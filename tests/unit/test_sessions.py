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
    first, second = suggest_sessions([span(1, 0, 20), commit(2, 90)])
    assert (first.end, second.start) == (m(20), m(60))
    [s] = suggest_sessions([span(1, 0, 20), commit(2, 90)], first_commit_allowance=m(80) - m(0))
    assert (s.start, s.end, s.evidence) == (m(0), m(90), (1, 2))  # reached back: merged


def test_commits_every_twenty_to_forty_minutes_are_one_session() -> None:
    # The day: commits at 09:00, 09:20, 09:45, 10:10 were four suggestions.
    [s] = suggest_sessions([commit(1, 0), commit(2, 20), commit(3, 45), commit(4, 70)])
    assert (s.start, s.end) == (m(-30), m(70))  # 08:30-10:10 with the first-commit allowance
    assert s.evidence == (1, 2, 3, 4)


def test_forty_minute_commit_rhythm_stays_one_session() -> None:
    [s] = suggest_sessions([commit(i, 40 * i) for i in range(6)])
    assert (s.start, s.end) == (m(-30), m(200))


def test_commit_gap_of_exactly_the_threshold_splits() -> None:
    a, b = suggest_sessions([commit(1, 0), commit(2, 45)], first_commit_allowance=m(10) - m(0))
    assert (a.start, a.end, b.start, b.end) == (m(-10), m(0), m(35), m(45))


def test_commit_gap_is_configurable_and_never_below_the_gap() -> None:
    five = m(5) - m(0)
    split = suggest_sessions([commit(1, 0), commit(2, 20)], commit_gap=m(15) - m(0),
                             first_commit_allowance=five)  # fmt: skip
    assert [(s.start, s.end) for s in split] == [(m(-5), m(0)), (m(15), m(20))]
    one = suggest_sessions([commit(1, 0), commit(2, 50)], gap=m(60) - m(0), commit_gap=m(1) - m(0))
    assert len(one) == 1


def test_a_span_after_a_commit_still_needs_the_short_gap() -> None:
    first, second = suggest_sessions([commit(1, 0), span(2, 30, 40)])
    assert (first.end, second.start) == (m(0), m(30))


def test_commit_after_activity_joins_within_the_commit_gap() -> None:
    [s] = suggest_sessions([span(1, 0, 20), commit(2, 50)])
    assert (s.start, s.end, s.evidence) == (m(0), m(50), (1, 2))


def test_a_session_whose_allowance_reaches_the_previous_one_merges_with_it() -> None:
    hour_and_half = m(90) - m(0)
    evidence = [span(1, 0, 100), commit(2, 160), commit(3, 170)]
    assert len(suggest_sessions(evidence)) == 2
    [s] = suggest_sessions(evidence, first_commit_allowance=hour_and_half)
    assert (s.start, s.end, s.evidence) == (m(0), m(170), (1, 2, 3))


def test_merged_session_id_cites_all_its_evidence() -> None:
    [s] = suggest_sessions([commit(1, 0), commit(2, 30), commit(3, 60)])
    assert s.id == suggestion_id("p", [1, 2, 3])


def test_sessions_of_different_projects_never_merge() -> None:
    sessions = suggest_sessions([commit(1, 0, "a"), commit(2, 10, "b"), commit(3, 20, "a")])
    assert [(s.project, s.evidence) for s in sessions] == [("a", (1, 3)), ("b", (2,))]


def test_non_positive_commit_gap_is_rejected() -> None:
    with pytest.raises(ValueError, match="commit_gap"):
        suggest_sessions([], commit_gap=timedelta(0))


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
