"""Panels that read only while they are seen: the "read when shown" pair.

A tab that is not visible need not read the store each time the ledger grows: it
marks itself stale and reads when next shown. The timeline and suggestions panels
share this; a panel mixes it in before its Qt base class and defines ``reload``.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class ReadWhenShown:
    """``mark_stale`` reads again now if the panel is visible, else at its next show."""

    _stale = True

    def reload(self) -> None:
        raise NotImplementedError

    def mark_stale(self, *_: object) -> None:
        """Something changed: read again now if shown, else when next shown."""
        self._stale = True
        if cast(QWidget, self).isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # type: ignore[misc]
        if self._stale:
            self.reload()
