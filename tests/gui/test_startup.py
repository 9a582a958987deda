"""The desktop app's start-up wires anchoring as the CLI's does (services.startup)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from hourproof.gui.main import DesktopApp
from hourproof.services import anchoring, tracking


def test_the_gui_opens_the_home_with_the_anchoring_hook(qapp: QApplication, tmp_path: Path) -> None:
    desktop = DesktopApp(qapp, tmp_path / "home", None)
    assert desktop.open() is None
    app = desktop.app
    try:
        assert anchoring.enqueue in app.checkpoint_hooks
        tracking.start(app, "a")
        tracking.stop(app)  # a checkpoint: queued for anchoring
        assert [item.size for item in anchoring.queue(app)] == [2]
    finally:
        app.close()
