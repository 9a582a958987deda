"""Background work: jobs report back through signals, never block the UI thread, and
anchoring outcomes (success with a local TSA, failure without one) reach the views."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Signal

from hourproof.gui.controller import Controller
from hourproof.gui.workers import AnchorOutcome, BackgroundRunner, MaintenanceOutcome
from hourproof.services import anchoring, tracking
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from tests.gui.conftest import settle
from tests.support.tsa import TestTsa


@pytest.fixture
def runner(qtbot: object) -> Iterator[BackgroundRunner]:
    r = BackgroundRunner()
    yield r
    r.wait(60_000)


@pytest.fixture
def local_tsa(app: App) -> Iterator[TestTsa]:
    with TestTsa(mode="ok") as server:
        anchoring.add_tsa(app, "local", server.url, server.root_pem)
        yield server


def test_submit_returns_before_the_job_finishes(runner: BackgroundRunner, qtbot: object) -> None:
    release = threading.Event()
    signals = runner.submit(lambda: release.wait(60) and 42)
    assert runner.busy  # the UI thread got control back while the job waits
    with qtbot.waitSignal(signals.succeeded, timeout=60_000) as blocker:  # type: ignore[attr-defined]
        release.set()
    assert blocker.args == [42]


class Sink(QObject):
    """Receives a callback's value as a signal, so a test can wait for it."""

    got = Signal(object)


def test_service_errors_come_back_as_a_message(runner: BackgroundRunner, qtbot: object) -> None:
    def refuse() -> None:
        raise ServiceError("the TSA said no")

    sink = Sink()
    with qtbot.waitSignal(sink.got, timeout=60_000) as blocker:  # type: ignore[attr-defined]
        runner.submit(refuse, on_error=sink.got.emit)
    assert blocker.args == ["the TSA said no"]


def test_results_are_delivered_on_the_ui_thread(runner: BackgroundRunner, qtbot: object) -> None:
    sink = Sink()
    with qtbot.waitSignal(sink.got, timeout=60_000) as blocker:  # type: ignore[attr-defined]
        runner.submit(
            threading.current_thread,
            lambda worker: sink.got.emit((worker, threading.current_thread())),
        )
    worker, receiver = blocker.args[0]
    assert worker is not threading.main_thread()
    assert receiver is threading.main_thread()


def test_signals_connected_right_after_submit_are_not_missed(
    runner: BackgroundRunner, qtbot: object
) -> None:
    signals = runner.submit(lambda: 7)
    with qtbot.waitSignal(signals.succeeded, timeout=60_000) as blocker:  # type: ignore[attr-defined]
        pass
    assert blocker.args == [7]


def test_maintenance_drain_without_a_tsa_reports_and_warns(
    controller: Controller, app: App, qtbot: object
) -> None:
    tracking.start(app, "hourproof")
    tracking.stop(app)  # a checkpoint waits in the anchor queue
    with qtbot.waitSignal(controller.maintenance_done, timeout=60_000) as blocker:  # type: ignore[attr-defined]
        assert controller.run_maintenance()
    outcome = blocker.args[0]
    assert isinstance(outcome, MaintenanceOutcome) and outcome.anchored == 0
    settle(controller, refresh=False)
    assert controller.anchor_state.last_error == "no TSA is configured"
    assert not controller.anchor_state.warning  # nothing configured: nothing failed to anchor


def test_maintenance_anchors_queued_checkpoints_with_a_tsa(
    controller: Controller, app: App, local_tsa: TestTsa, qtbot: object
) -> None:
    tracking.start(app, "hourproof")
    tracking.stop(app)
    with qtbot.waitSignal(controller.maintenance_done, timeout=60_000) as blocker:  # type: ignore[attr-defined]
        controller.run_maintenance()
    assert blocker.args[0].anchored == 1
    settle(controller, refresh=False)
    assert controller.anchor_state.queued == 0
    assert controller.anchor_state.last_anchor is not None
    assert not controller.anchor_state.warning


def test_anchor_now_checkpoints_and_anchors_the_whole_ledger(
    controller: Controller, app: App, local_tsa: TestTsa, qtbot: object
) -> None:
    tracking.start(app, "hourproof")  # no checkpoint yet: a running timer
    with qtbot.waitSignal(controller.anchor_done, timeout=60_000) as blocker:  # type: ignore[attr-defined]
        assert controller.anchor_now()
        assert not controller.anchor_now()  # one at a time
    outcome = blocker.args[0]
    assert isinstance(outcome, AnchorOutcome) and outcome.anchored == 1
    last = anchoring.last_anchor(app)
    assert last is not None and last[2] == tracking.status(app).leaves


def test_anchor_now_without_a_tsa_fails_with_a_message(
    controller: Controller, app: App, qtbot: object
) -> None:
    tracking.start(app, "hourproof")
    with qtbot.waitSignal(controller.failed, timeout=60_000) as blocker:  # type: ignore[attr-defined]
        controller.anchor_now()
    assert "no timestamp authority" in blocker.args[0]
    assert not controller.anchoring
