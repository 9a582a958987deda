"""Time away in the app, with a fake idle source: the prompt and its three answers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from hourproof.core import leaves as lk
from hourproof.core.idle import Away
from hourproof.gui.idle_prompt import IdleFeature, IdlePrompt, start_watching
from hourproof.services import idle, tracking
from hourproof.sources.idle import IdleUnavailable, Probe

from .conftest import WEDNESDAY


class FakeIdle:
    """Answers whatever idle seconds the test sets (or fails when told to)."""

    name = "fake"

    def __init__(self) -> None:
        self.seconds = 0.0
        self.broken = False

    def idle_seconds(self) -> float:
        if self.broken:
            raise IdleUnavailable("went away")
        return self.seconds


class Host:
    def __init__(self, controller) -> None:
        self.controller = controller
        self.app = controller.app
        self.window = QMainWindow()
        self.quit: list = []

    def on_quit(self, fn) -> None:
        self.quit.append(fn)


@pytest.fixture
def fake() -> FakeIdle:
    return FakeIdle()


@pytest.fixture
def feature(controller, fake, qtbot) -> Iterator[IdleFeature]:
    host = Host(controller)
    qtbot.addWidget(host.window)
    found = start_watching(host, lambda: (fake, [Probe("fake", "Fake idle", True, "works")]))
    yield found
    for fn in host.quit:
        fn()
    names = ("runner", "reader", "writer")
    runners = [r for r in (getattr(controller, n, None) for n in names) if hasattr(r, "busy")]
    for _ in range(3):
        qtbot.waitUntil(lambda: not any(r.busy for r in runners), timeout=60_000)
        QApplication.processEvents()


def start_timer(feature: IdleFeature, qtbot) -> None:
    tracking.start(feature.host.app, "web")
    with qtbot.waitSignal(feature.host.controller.status_changed, timeout=60_000):
        feature.host.controller.refresh()


def away_and_back(feature: IdleFeature, fake: FakeIdle, clock, minutes: float = 20) -> IdlePrompt:
    """Time passes with no input, then input: the prompt opens."""
    watcher = feature.watcher
    fake.seconds = 1
    clock.now += timedelta(seconds=10)
    assert watcher.poll() is None
    for step in range(1, int(minutes * 6) + 1):  # every 10 s, as the app polls
        clock.now += timedelta(seconds=10)
        fake.seconds = 1 + step * 10
        assert watcher.poll() is None
    clock.now += timedelta(seconds=10)
    fake.seconds = 2
    away = watcher.poll()
    assert away is not None
    assert feature.prompt is not None
    return feature.prompt


def test_no_prompt_while_no_timer_runs(feature, fake, clock) -> None:
    fake.seconds = 3600
    clock.now += timedelta(hours=1)
    assert feature.watcher.poll() is None
    fake.seconds = 1
    assert feature.watcher.poll() is None and feature.prompt is None


def test_coming_back_opens_the_prompt_with_the_time_away(feature, fake, clock, qtbot) -> None:
    start_timer(feature, qtbot)
    prompt = away_and_back(feature, fake, clock)
    assert prompt.isVisible() and prompt.windowTitle() == "Welcome back"
    assert prompt.heading.text() == "You were away for 20 min"
    assert (
        "“web”" in prompt.message.text() and "no keyboard or mouse input" in prompt.message.text()
    )
    assert prompt.discard_button.isDefault()
    assert prompt.keep_button.accessibleName() == "Keep it: I was working"


def test_discard_cuts_the_entry_and_carries_on(feature, fake, clock, qtbot) -> None:
    start_timer(feature, qtbot)
    started = tracking.status(feature.host.app).running
    prompt = away_and_back(feature, fake, clock)
    with qtbot.waitSignal(feature.resolved, timeout=60_000) as signal:
        prompt.discard_button.click()
    outcome = signal.args[0]
    assert outcome.entry.id == started.id
    assert outcome.entry.end == WEDNESDAY + timedelta(seconds=9)  # the last input
    assert outcome.resumed is not None and outcome.resumed.running
    _, versions = tracking.history(feature.host.app, started.id)
    assert versions[-1].kind == lk.ENTRY_AMEND and versions[-1].leaf["reason"] == "idle"
    assert feature.prompt is None


def test_keep_leaves_the_timer_alone(feature, fake, clock, qtbot) -> None:
    start_timer(feature, qtbot)
    prompt = away_and_back(feature, fake, clock)
    with qtbot.waitSignal(feature.resolved, timeout=60_000) as signal:
        prompt.keep_button.click()
    assert signal.args[0].entry.running and signal.args[0].resumed is None


def test_stop_ends_the_timer_where_the_absence_began(feature, fake, clock, qtbot) -> None:
    start_timer(feature, qtbot)
    prompt = away_and_back(feature, fake, clock, minutes=30)
    with qtbot.waitSignal(feature.resolved, timeout=60_000) as signal:
        prompt.stop_button.click()
    outcome = signal.args[0]
    assert not outcome.entry.running and outcome.resumed is None
    assert tracking.status(feature.host.app).running is None


def test_only_one_prompt_at_a_time(feature, fake, clock, qtbot) -> None:
    start_timer(feature, qtbot)
    first = away_and_back(feature, fake, clock)
    assert feature.ask(Away(clock.now, clock.now + timedelta(minutes=9))) is None
    assert feature.prompt is first


def test_the_stored_threshold_is_used_once_a_timer_starts(feature, fake, clock, qtbot) -> None:
    idle.set_threshold(feature.host.app, timedelta(minutes=30))
    start_timer(feature, qtbot)
    qtbot.waitUntil(lambda: feature.watcher.detector.threshold == timedelta(minutes=30))
    fake.seconds = 20 * 60
    clock.now += timedelta(minutes=20)
    feature.watcher.poll()
    fake.seconds = 1
    clock.now += timedelta(seconds=10)
    assert feature.watcher.poll() is None  # 20 min is under the 30 min threshold


def test_a_source_that_stops_working_turns_detection_off(feature, fake, clock, qtbot) -> None:
    start_timer(feature, qtbot)
    fake.broken = True
    assert feature.watcher.poll() is None
    assert feature.watcher.source is None and not feature.watcher.timer.isActive()
    assert "went away" in feature.watcher.description


def test_without_any_source_the_description_says_why(controller, qtbot) -> None:
    host = Host(controller)
    qtbot.addWidget(host.window)
    found = start_watching(host, lambda: (None, [Probe("x", "X11", False, "no display")]))
    assert not found.watcher.timer.isActive()
    assert found.watcher.description == (
        "No idle source works, so time away is not detected (X11: no display)."
    )


def test_settings_show_the_source_and_store_a_new_threshold(feature, qtbot, monkeypatch) -> None:
    from hourproof.gui import idle_prompt

    seen: list[tuple[str, timedelta]] = []

    def fake_ask(_parent, description, current):
        seen.append((description, current))
        return timedelta(minutes=12)

    monkeypatch.setattr(idle_prompt, "ask_idle_settings", fake_ask)
    idle_prompt.open_settings(feature.host, feature.watcher)
    qtbot.waitUntil(lambda: feature.watcher.detector.threshold == timedelta(minutes=12))
    assert seen == [("Idle time from Fake idle.", timedelta(minutes=5))]
    assert idle.threshold(feature.host.app) == timedelta(minutes=12)


def test_the_settings_dialog_reads_back_its_minutes(qtbot) -> None:
    from hourproof.gui.idle_prompt import IdleSettings

    dialog = IdleSettings("No idle source works (X11: no display).", timedelta(minutes=5))
    qtbot.addWidget(dialog)
    assert "no display" in dialog.source.text() and dialog.minutes.value() == 5
    dialog.minutes.setValue(30)
    assert dialog.threshold() == timedelta(minutes=30)
    assert (dialog.minutes.minimum(), dialog.minutes.maximum()) == (1, 480)


def test_install_adds_the_time_away_action(window) -> None:
    from hourproof.gui import idle_prompt
    from hourproof.gui.extensions import GuiHost

    idle_prompt.install(GuiHost(window.controller, window))
    texts = [a.text() for a in window.menus["file"].actions()]
    assert "Time &away…" in texts
    assert window.property("idle_description")


# -- sampling off the UI thread ---------------------------------------------------------


class BlockingIdle:
    """Blocks in ``idle_seconds`` until the test releases it (as a D-Bus call that
    waits for its timeout would); records the threads it was called on."""

    name = "blocking"

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.threads: list[threading.Thread] = []
        self.seconds = 3.0

    def idle_seconds(self) -> float:
        self.threads.append(threading.current_thread())
        if threading.current_thread() is threading.main_thread():
            return self.seconds  # never block the UI thread in a test; the assert says so
        self.entered.set()
        self.release.wait()
        return self.seconds


def watching(controller, qtbot, source) -> IdleFeature:
    host = Host(controller)
    qtbot.addWidget(host.window)
    found = start_watching(host, lambda: (source, [Probe(source.name, "Test", True, "works")]))
    return found


def test_a_blocking_idle_source_does_not_block_the_ui_thread(controller, qtbot) -> None:
    source = BlockingIdle()
    feature = watching(controller, qtbot, source)
    try:
        start_timer(feature, qtbot)
        assert feature.watcher.request_sample()
        qtbot.waitUntil(source.entered.is_set, timeout=60_000)  # the source is blocked now
        handled: list[bool] = []
        QTimer.singleShot(0, lambda: handled.append(True))
        qtbot.waitUntil(lambda: bool(handled), timeout=60_000)  # ...and the UI handled an event
        assert not source.release.is_set()
        assert not feature.watcher.request_sample()  # one request at a time
        with qtbot.waitSignal(feature.watcher.sampled, timeout=60_000):
            source.release.set()
        assert threading.main_thread() not in source.threads
    finally:
        source.release.set()
        feature.watcher.stop()


def test_samples_taken_on_the_thread_open_the_prompt(controller, fake, clock, qtbot) -> None:
    feature = watching(controller, qtbot, fake)
    try:
        start_timer(feature, qtbot)
        for seconds, step in ((1, 10), (20 * 60, 20 * 60), (2, 10)):
            clock.now += timedelta(seconds=step)
            fake.seconds = seconds
            with qtbot.waitSignal(feature.watcher.sampled, timeout=60_000) as got:
                assert feature.watcher.request_sample()
        assert got.args[0] is not None and got.args[0].seconds >= 20 * 60 - 10
        assert feature.prompt is not None and feature.prompt.isVisible()
    finally:
        feature.watcher.stop()


def test_a_source_failing_on_the_thread_turns_detection_off(controller, fake, qtbot) -> None:
    feature = watching(controller, qtbot, fake)
    try:
        start_timer(feature, qtbot)
        fake.broken = True
        with qtbot.waitSignal(feature.watcher.sampled, timeout=60_000):
            assert feature.watcher.request_sample()
        assert feature.watcher.source is None and not feature.watcher.timer.isActive()
        assert "went away" in feature.watcher.description
        assert not feature.watcher.request_sample()
    finally:
        feature.watcher.stop()
