"""Changes written by another process (the CLI) reach the window without polling."""

from __future__ import annotations

from datetime import timedelta

from hourproof.gui.dbwatch import DatabaseWatcher
from hourproof.gui.window import MainWindow
from hourproof.services import tracking
from hourproof.services.app import App
from hourproof.services.tracking import Details

from .conftest import Clock, settle


def test_a_write_by_another_app_is_noticed_through_the_wal_file(
    window: MainWindow, app: App, clock: Clock, qtbot: object
) -> None:
    watcher = window.controller.db_watcher
    assert isinstance(watcher, DatabaseWatcher)
    other = App.open(app.home.root)  # another process's view of the same store
    other.clock = clock
    try:
        end = clock.now - timedelta(hours=1)
        with qtbot.waitSignal(watcher.changed, timeout=60_000):  # type: ignore[attr-defined]
            tracking.add(other, "from-cli", end - timedelta(hours=1), end, Details())
    finally:
        other.close()
    settle(window.controller, refresh=False)
    model = window.entries.model
    assert [model.index(r, 4).data() for r in range(model.rowCount())] == ["from-cli"]


def test_nothing_changed_means_no_signal(window: MainWindow) -> None:
    watcher = window.controller.db_watcher
    assert watcher is not None
    assert not watcher.check()
