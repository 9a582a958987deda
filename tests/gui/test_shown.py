"""The "read when shown" pair shared by the timeline and suggestions panels."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from hourproof.gui.shown import ReadWhenShown


class Panel(ReadWhenShown, QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def reload(self) -> None:
        self._stale = False
        self.reads += 1


def test_a_hidden_panel_reads_only_when_it_is_shown(qtbot) -> None:
    panel = Panel()
    qtbot.addWidget(panel)
    panel.mark_stale()
    panel.mark_stale()
    assert panel.reads == 0
    panel.show()
    assert panel.reads == 1


def test_a_shown_panel_reads_at_once_and_not_again_on_the_next_show(qtbot) -> None:
    panel = Panel()
    qtbot.addWidget(panel)
    panel.show()
    assert panel.reads == 1
    panel.mark_stale()
    assert panel.reads == 2
    panel.hide()
    panel.show()
    assert panel.reads == 2  # nothing changed while hidden
