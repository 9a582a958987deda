"""Each TSA backs off on its own: a failing one is not asked again until its own time
comes, so it never holds up the others (counted in requests, not in seconds)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hourproof.services import anchoring, tracking
from hourproof.services.app import App
from hourproof.store.anchors import AnchorTables
from tests.support.apps import Clock, loopback_tsas, opened, use_tsa, wall_clock


@pytest.fixture
def clock():
    return wall_clock()


@pytest.fixture
def app(home, clock):
    with opened(home, clock, no_tsas=True) as app:
        yield app


@pytest.fixture
def two():
    with loopback_tsas("http500", "ok") as (bad, good):
        yield bad, good


def _backoff(app: App, name: str):
    with app.read_db() as db:
        return AnchorTables(db).tsa_backoff(name)


def _work(app: App, clock: Clock, n: int) -> None:
    start = clock.now - timedelta(hours=n + 1)
    tracking.add(app, f"p{n}", start, start + timedelta(minutes=30))


def test_a_failing_tsa_is_skipped_until_its_own_time(app, clock, two):
    bad, good = two
    use_tsa(app, bad, "bad")
    use_tsa(app, good, "good")

    _work(app, clock, 1)
    assert anchoring.drain(app, timeout=60.0) == 1  # 'good' answered after 'bad' failed
    assert len(bad.requests_seen) == 1 and len(good.requests_seen) == 1
    attempts, next_try = _backoff(app, "bad")
    assert attempts == 1 and next_try > clock.now.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _backoff(app, "good") is None
    assert anchoring.queue(app) == []

    # A new checkpoint while 'bad' backs off: only 'good' is asked.
    _work(app, clock, 2)
    assert anchoring.drain(app, timeout=60.0) == 1
    assert len(bad.requests_seen) == 1 and len(good.requests_seen) == 2
    assert _backoff(app, "bad")[0] == 1

    # Its time comes and it answers again: it is asked first and forgiven.
    bad.mode = "ok"
    clock.now += timedelta(hours=7)
    _work(app, clock, 3)
    assert anchoring.drain(app, timeout=60.0) == 1
    assert len(bad.requests_seen) == 2 and len(good.requests_seen) == 2
    assert _backoff(app, "bad") is None


def test_when_every_tsa_backs_off_the_request_waits_for_the_first_back(app, clock, two):
    first, second = two
    second.mode = "http500"
    use_tsa(app, second, "b")
    _work(app, clock, 1)
    assert anchoring.drain(app, timeout=60.0) == 0
    clock.now += timedelta(seconds=40)
    assert anchoring.drain(app, timeout=60.0, force=True) == 0  # 'b' fails twice: waits longer
    use_tsa(app, first, "a")  # also failing (http500)
    anchoring.retry_now(app)
    assert anchoring.drain(app, timeout=60.0) == 0  # only 'a' is asked: 'b' backs off
    assert len(second.requests_seen) == 2 and len(first.requests_seen) == 1
    a_try, b_try = _backoff(app, "a")[1], _backoff(app, "b")[1]
    assert _backoff(app, "a")[0] == 1 and _backoff(app, "b")[0] == 2 and a_try < b_try
    clock.now = datetime.strptime(a_try, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    clock.now -= timedelta(seconds=1)
    anchoring.retry_now(app)  # the request is due, but no TSA is: nobody is asked
    anchoring.drain(app, timeout=60.0)
    assert len(second.requests_seen) == 2 and len(first.requests_seen) == 1
    (item,) = anchoring.queue(app)
    assert item.next_try == a_try


def test_removing_a_tsa_forgets_its_backoff(app, clock, two):
    bad, _ = two
    use_tsa(app, bad, "bad")
    _work(app, clock, 1)
    anchoring.drain(app, timeout=60.0)
    assert _backoff(app, "bad") is not None
    anchoring.remove_tsa(app, "bad")
    assert _backoff(app, "bad") is None
