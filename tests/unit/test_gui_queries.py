"""The desktop app's SQL reads agree with the pure-Python rules they replace."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hourproof.core.money import Rate
from hourproof.core.timeparse import local_day, local_day_start
from hourproof.core.totals import totals
from hourproof.services import browse, tracking
from hourproof.services.app import App
from hourproof.services.tracking import Details

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    opened = App.open(tmp_path / "home")
    opened.clock = lambda: NOW
    tracking.set_rate(opened, "project", "paid", Rate(9500, "EUR"))
    tracking.set_rate(opened, "client", "Other", Rate(333, "USD"))
    base = local_day_start(local_day(NOW)) - timedelta(days=9)
    for i in range(40):
        begin = base + timedelta(hours=5 * i, minutes=7 * i)
        project = ("paid", "free", "misc")[i % 3]
        client = ("Acme", None, "Other")[i % 3]
        length = timedelta(minutes=25 + 17 * i)  # some cross local midnight
        tracking.add(opened, project, begin, begin + length, Details(client=client, task=f"t{i}"))
    tracking.start(opened, "paid", at=NOW - timedelta(minutes=50))
    yield opened
    opened.close()


@pytest.mark.parametrize("by", ["project", "client", "day", "week"])
def test_sql_totals_equal_the_python_totals(app: App, by: str) -> None:
    lo = local_day_start(local_day(NOW)) - timedelta(days=6)
    hi = local_day_start(local_day(NOW)) + timedelta(days=1)
    expected = totals(tracking.entries(app, lo, hi), by, NOW, lo, hi)
    rows, _ = browse.totals(app, browse.EntryQuery(lo, hi), by)
    assert [(r.key, r.entries, r.seconds, r.amounts) for r in rows] == [
        (r.key, r.entries, r.seconds, r.amounts) for r in expected
    ]


def test_pages_cover_every_entry_once_in_the_sorted_order(app: App) -> None:
    query = browse.EntryQuery(sort="duration", descending=True)
    count = browse.count(app, query)
    rows = [e for offset in range(0, count, 7) for e in browse.page(app, query, offset, 7)]
    assert count == 41 and len({e.id for e in rows}) == 41
    durations = [e.seconds(NOW) for e in rows]
    assert durations == sorted(durations, reverse=True)


def test_filters_by_client_project_and_text(app: App) -> None:
    assert {e.client for e in browse.page(app, browse.EntryQuery(client="Acme"), 0, 99)} == {"Acme"}
    no_client = browse.page(app, browse.EntryQuery(client=browse.NO_CLIENT), 0, 99)
    assert no_client and all(e.client is None for e in no_client)
    assert {e.project for e in browse.page(app, browse.EntryQuery(project="misc"), 0, 99)} == {
        "misc"
    }
    assert [e.task for e in browse.page(app, browse.EntryQuery(text="t17"), 0, 99)] == ["t17"]
    assert browse.page(app, browse.EntryQuery(text="%"), 0, 99) == []


def test_overlaps_find_the_entries_a_manual_entry_would_overlap(app: App) -> None:
    running = tracking.status(app).running
    assert running is not None
    found = browse.overlaps(app, NOW - timedelta(minutes=10), NOW - timedelta(minutes=5))
    assert running.id in [e.id for e in found]
    assert browse.overlaps(app, NOW + timedelta(days=3), NOW + timedelta(days=3, hours=1)) == []
    assert browse.clients(app) == ["Acme", "Other"]
