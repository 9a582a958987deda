"""Time away: the detector over idle samples, the service's three answers, the backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hourproof.core import leaves as lk
from hourproof.core.idle import Away, AwayDetector
from hourproof.core.timeparse import to_rfc3339
from hourproof.ledger.canonical import parse_canonical
from hourproof.services import idle, ledger_ops, tracking
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.services.tracking import Details
from hourproof.sources import idle as sources
from hourproof.store.ledger import LeafTable

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def m(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


# -- the detector ---------------------------------------------------------------------------


def sparse(threshold: timedelta = timedelta(minutes=5)) -> AwayDetector:
    """A detector polled every few minutes here (a real app polls every 10 s)."""
    return AwayDetector(threshold, poll=timedelta(hours=1))


def feed(detector: AwayDetector, samples: list[tuple[float, float]]) -> list[Away]:
    """(minute, idle minutes) samples; the absences reported."""
    found = []
    for minute, idle_minutes in samples:
        away = detector.sample(m(minute), idle_minutes * 60)
        if away is not None:
            found.append(away)
    return found


def test_an_absence_longer_than_the_threshold_is_reported_on_return() -> None:
    samples = [(0, 0), (5, 4), (10, 9), (20, 19), (21, 0.5)]
    assert feed(sparse(), samples) == [Away(m(1), m(20.5))]


def test_nothing_is_reported_while_still_away() -> None:
    assert feed(sparse(), [(0, 0), (10, 9), (30, 29)]) == []


def test_short_pauses_are_not_absences() -> None:
    assert feed(sparse(), [(0, 0), (4, 4), (4.5, 0), (8, 3.5), (8.5, 0)]) == []


def test_the_threshold_is_configurable() -> None:
    detector = sparse(timedelta(minutes=2))
    assert feed(detector, [(0, 0), (3, 3), (3.5, 0.1)]) == [Away(m(0), m(3.4))]


def test_back_briefly_and_away_again_gives_two_absences() -> None:
    detector = sparse()
    found = feed(detector, [(0, 0), (10, 10), (30, 8), (45, 0)])
    assert found == [Away(m(0), m(22)), Away(m(22), m(45))]


def test_a_suspend_counts_from_the_last_sample() -> None:
    detector = AwayDetector(poll=timedelta(seconds=10))
    found = feed(detector, [(0, 0), (0.2, 0.1), (60, 0.05)])  # woke up an hour later
    assert found == [Away(m(0.2), m(60 - 0.05), "suspend")]


def test_reset_forgets_an_absence_in_progress() -> None:
    detector = sparse()
    feed(detector, [(0, 0), (10, 10)])
    detector.reset()
    assert detector.away_since is None
    assert feed(detector, [(11, 0)]) == []


def test_non_positive_threshold_is_rejected() -> None:
    with pytest.raises(ValueError, match="threshold"):
        AwayDetector(threshold=timedelta(0))


# -- the service ----------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = m(0)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(home: Path, clock: Clock) -> Iterator[App]:
    opened = App.open(home)
    opened.clock = clock
    yield opened
    opened.close()


def leaf(app: App, seq: int) -> dict:
    with app.read_db() as db:
        return parse_canonical(LeafTable(db).leaves([seq])[seq])


def away_with_timer(app: App, clock: Clock) -> Away:
    tracking.start(app, "web", Details(client="acme", task="api", tags=("x",)))
    clock.now = m(90)
    return Away(m(30), m(85))


def test_keep_records_an_idle_leaf_and_leaves_the_timer_running(app, clock) -> None:
    outcome = idle.resolve(app, away_with_timer(app, clock), idle.KEEP, "xscreensaver")
    assert outcome.entry is not None and outcome.entry.running and outcome.resumed is None
    recorded = leaf(app, outcome.idle_seq)
    assert recorded["kind"] == lk.IDLE
    assert {k: recorded[k] for k in ("start", "end", "seconds", "source", "action", "entry")} == {
        "start": to_rfc3339(m(30)), "end": to_rfc3339(m(85)), "seconds": 55 * 60,
        "source": "xscreensaver", "action": "kept", "entry": outcome.entry.id,
    }  # fmt: skip
    assert (recorded["project"], recorded["client"]) == ("web", "acme")


def test_discard_cuts_the_entry_with_reason_idle_and_resumes_at_the_return(app, clock) -> None:
    outcome = idle.resolve(app, away_with_timer(app, clock), idle.DISCARD, "mutter")
    entry, resumed = outcome.entry, outcome.resumed
    assert entry is not None and resumed is not None
    assert (entry.start, entry.end, entry.amended) == (m(0), m(30), True)
    assert (resumed.start, resumed.running, resumed.project, resumed.client) == (
        m(85), True, "web", "acme")  # fmt: skip
    assert (resumed.task, resumed.tags) == ("api", ("x",))
    _, versions = tracking.history(app, entry.id)
    stop, amend = versions[-2:]
    assert stop.kind == lk.ENTRY_STOP and stop.leaf["end"] == to_rfc3339(m(90))  # stopped now
    assert amend.kind == lk.ENTRY_AMEND and amend.leaf["reason"] == "idle"
    assert amend.leaf["changes"] == {"end": to_rfc3339(m(30))}
    recorded = leaf(app, outcome.idle_seq)
    assert (recorded["action"], recorded["resumed"]) == ("discarded", resumed.id)


def test_stop_at_idle_start_ends_the_timer_there(app, clock) -> None:
    outcome = idle.resolve(app, away_with_timer(app, clock), idle.STOP, "mutter")
    assert outcome.entry is not None and outcome.entry.end == m(30)
    assert outcome.resumed is None and tracking.status(app).running is None
    assert leaf(app, outcome.idle_seq)["action"] == "stopped"


def test_an_absence_before_the_timer_started_is_clipped_to_its_start(app, clock) -> None:
    tracking.start(app, "web")
    clock.now = m(60)
    outcome = idle.resolve(app, Away(m(-30), m(50)), idle.DISCARD, "mutter")
    assert outcome.entry is not None and outcome.entry.end == m(0) + timedelta(seconds=1)
    assert leaf(app, outcome.idle_seq)["start"] == to_rfc3339(m(0))


def test_discarding_without_a_timer_is_refused(app, clock) -> None:
    clock.now = m(90)
    with pytest.raises(ServiceError, match="no timer is running"):
        idle.resolve(app, Away(m(30), m(85)), idle.DISCARD, "mutter")


def test_an_unknown_action_is_refused(app, clock) -> None:
    with pytest.raises(ServiceError, match="unknown idle action"):
        idle.resolve(app, away_with_timer(app, clock), "snooze", "mutter")


def test_the_ledger_verifies_and_rebuilds_after_idle_answers(app, clock) -> None:
    idle.resolve(app, away_with_timer(app, clock), idle.DISCARD, "mutter")
    before = tracking.entries(app)
    ledger_ops.rebuild(app)
    assert tracking.entries(app) == before


def test_the_threshold_defaults_to_five_minutes_and_is_stored(app) -> None:
    assert idle.threshold(app) == timedelta(minutes=5)
    idle.set_threshold(app, timedelta(minutes=12))
    assert idle.threshold(app) == timedelta(minutes=12)
    with pytest.raises(ServiceError, match="between 1 minute and 8 hours"):
        idle.set_threshold(app, timedelta(seconds=10))


# -- backends -------------------------------------------------------------------------------


class FakeSource:
    name = "fake"

    def idle_seconds(self) -> float:
        return 1.5


def broken() -> sources.IdleSource:
    raise sources.IdleUnavailable("not here")


def crashing() -> sources.IdleSource:
    raise OSError("library exploded")


def test_choose_returns_the_first_working_source_and_every_reason() -> None:
    found, probes = sources.choose(
        [("a", "A", broken), ("b", "B", crashing), ("c", "C", FakeSource), ("d", "D", broken)]
    )
    assert isinstance(found, FakeSource)
    assert [(p.name, p.ok, p.reason) for p in probes] == [
        ("a", False, "not here"), ("b", False, "OSError: library exploded"), ("c", True, "works"),
    ]  # fmt: skip
    assert sources.describe(probes) == "Idle time from C."


def test_describe_says_why_no_source_works() -> None:
    found, probes = sources.choose([("a", "A", broken)])
    assert found is None
    assert sources.describe(probes) == (
        "No idle source works, so time away is not detected (A: not here)."
    )


def test_without_a_display_or_bus_the_linux_backends_say_why(monkeypatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    with pytest.raises(sources.IdleUnavailable, match="DISPLAY is unset"):
        sources.XScreenSaverIdle.open()


def test_xscreensaver_is_refused_in_a_wayland_session(monkeypatch) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    with pytest.raises(sources.IdleUnavailable, match="Wayland session"):
        sources.XScreenSaverIdle.open()


def test_other_platforms_backends_refuse_here() -> None:
    import sys

    if sys.platform.startswith("linux"):
        with pytest.raises(sources.IdleUnavailable, match="macOS only"):
            sources.IOKitIdle.open()
        with pytest.raises(sources.IdleUnavailable, match="Windows only"):
            sources.Win32Idle.open()
        assert [name for name, _, _ in sources.backends()] == [
            "mutter", "screensaver", "xscreensaver"]  # fmt: skip


def test_time_away_is_shown_on_the_timeline_and_not_taken_for_evidence(app, clock) -> None:
    from hourproof.services import suggestions, timeline

    idle.resolve(app, away_with_timer(app, clock), idle.KEEP, "mutter")
    data = timeline.load(app, m(-60), m(600))
    assert [(k.kind, k.start, k.end) for k in data.marks] == [("idle", m(30), m(85))]
    assert suggestions.suggestions(app) == []
    ledger_ops.rebuild(app)
    assert [k.kind for k in timeline.load(app, m(-60), m(600)).marks] == ["idle"]
