"""Suggested sessions through the service layer: one session per working stretch,
accepting several at once, and ids that do not depend on the window asked for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hourproof.core import leaves as lk
from hourproof.core.timeparse import to_rfc3339
from hourproof.services import evidence, suggestions, tracking
from hourproof.services.app import App
from hourproof.services.errors import ServiceError

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def app(home: Path) -> Iterator[App]:
    opened = App.open(home)
    opened.clock = lambda: MONDAY + timedelta(days=6)
    yield opened
    opened.close()


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return MONDAY + timedelta(days=day, hours=hour - 9, minutes=minute)


def record_commits(app: App, *moments: datetime, project: str = "web") -> None:
    with app.write() as txn:
        for n, when in enumerate(moments):
            txn.append(lk.GIT_COMMIT, {
                "repo": "r1", "project": project, "client": "acme",
                "commit": f"{n:040x}", "object_format": "sha1", "object_sha256": "0" * 64,
                "author_date": to_rfc3339(when), "committer_date": to_rfc3339(when),
            })  # fmt: skip


def issue_day(app: App, day: int = 0) -> None:
    """The issue's morning: commits at 09:00, 09:20, 09:45 and 10:10."""
    record_commits(app, at(day, 9), at(day, 9, 20), at(day, 9, 45), at(day, 10, 10))


def test_commits_twenty_to_twenty_five_minutes_apart_are_one_suggestion(app: App) -> None:
    issue_day(app)
    (view,) = suggestions.suggestions(app)
    assert (view.suggestion.start, view.suggestion.end) == (at(0, 8, 30), at(0, 10, 10))
    assert len(view.suggestion.evidence) == 4 and view.claimed_overlap == 0


def test_a_week_of_mornings_is_one_suggestion_a_day(app: App) -> None:
    for day in range(5):
        issue_day(app, day)
    views = suggestions.suggestions(app)
    assert [v.suggestion.start for v in views] == [at(d, 8, 30) for d in range(5)]


def test_ids_do_not_depend_on_the_window_asked_for(app: App) -> None:
    # Commits every 40 minutes from 09:00 to 19:00: a window of 12:00-13:00 shows the
    # whole session, with the id a listing of all time gives.
    record_commits(app, *(at(0, 9) + timedelta(minutes=40 * n) for n in range(16)))
    (whole,) = suggestions.suggestions(app)
    (part,) = suggestions.suggestions(app, at(0, 12), at(0, 13))
    assert part.suggestion == whole.suggestion


def test_accept_many_records_each_and_cites_the_evidence(app: App) -> None:
    issue_day(app, 0)
    issue_day(app, 1)
    views = suggestions.suggestions(app)
    entries = suggestions.accept_many(app, [v.suggestion.id for v in reversed(views)])
    assert [e.start for e in entries] == [at(0, 8, 30), at(1, 8, 30)]
    assert all(e.source == "suggested" and len(e.evidence) == 4 for e in entries)
    assert [v.claimed_overlap for v in suggestions.suggestions(app)] == [100 * 60, 100 * 60]


def test_an_unknown_id_among_several_records_nothing(app: App) -> None:
    issue_day(app)
    (view,) = suggestions.suggestions(app)
    with pytest.raises(ServiceError, match="no suggestion s-nope"):
        suggestions.accept_many(app, [view.suggestion.id, "s-nope"])
    assert tracking.entries(app) == []


def test_accept_open_skips_suggestions_an_entry_already_overlaps(app: App) -> None:
    issue_day(app, 0)
    issue_day(app, 1)
    tracking.add(app, "web", at(1, 9), at(1, 9, 30))
    accepted = suggestions.accept_open(app)
    assert [e.start for e in accepted] == [at(0, 8, 30)]
    assert suggestions.accept_open(app) == []


def test_accept_open_keeps_to_its_window(app: App) -> None:
    issue_day(app, 0)
    issue_day(app, 1)
    accepted = suggestions.accept_open(app, at(1, 0), at(2, 0))
    assert [e.start for e in accepted] == [at(1, 8, 30)]


def test_claimed_overlap_counts_overlapping_entries_once(app: App) -> None:
    issue_day(app)
    tracking.add(app, "web", at(0, 9), at(0, 10))
    tracking.add(app, "web", at(0, 9, 30), at(0, 10))
    (view,) = suggestions.suggestions(app)
    assert view.claimed_overlap == 60 * 60 and view.open_seconds == 40 * 60


def test_evidence_module_still_offers_suggest_and_accept(app: App) -> None:
    issue_day(app)
    (view,) = evidence.suggestions(app)
    assert evidence.accept(app, view.suggestion.id).evidence == view.suggestion.evidence
