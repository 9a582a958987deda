"""What the screenshot scripts share: letting Qt settle, waiting for background work,
saving a widget's image (a dev tool, not shipped)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[1]


def settle(qapp: QApplication, rounds: int = 12) -> None:
    """Let queued events, paints and signals run for ``rounds`` short turns."""
    for _ in range(rounds):
        qapp.processEvents()
        time.sleep(0.02)


def wait_for(
    qapp: QApplication, done: Callable[[], bool], seconds: float = 60,
    what: str = "background work",
) -> None:  # fmt: skip
    """Run the event loop until ``done()``; stop the script if it takes over ``seconds``."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        qapp.processEvents()
        time.sleep(0.02)


def save(widget: QWidget | QPixmap, path: Path) -> None:
    """Write the widget's (or pixmap's) image as PNG, and say so."""
    pixmap = widget if isinstance(widget, QPixmap) else widget.grab()
    if not pixmap.save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
