"""Every interactive control a user can reach has a name a screen reader can say.

The name is what Qt's accessibility interface reports (``QAccessible.Text.Name``): a
button's text, a field's buddy label, or an explicit ``setAccessibleName``. The walk
covers the main window with every feature installed and each dialog; parts Qt builds
inside a control (a combo box's line edit, a spin box's editor, a tab bar's scroll
arrows, a line edit's clear button) are the control itself and are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

from hourproof.core.entries import Entry
from hourproof.gui.controller import Controller
from hourproof.gui.window import MainWindow
from hourproof.services import tracking
from hourproof.services.app import App
from hourproof.services.tracking import Details
from tests.gui.conftest import settle

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
               QAbstractSlider, QTextEdit, QPlainTextEdit)  # fmt: skip
#: Containers whose inner widgets are parts of one control.
COMPOUND = (QComboBox, QAbstractSpinBox, QTabBar, QCalendarWidget, QAbstractItemView, QLineEdit)


def _interactive(widget: QWidget) -> bool:
    if isinstance(widget, QScrollBar) or widget.objectName().startswith("qt_"):
        return False  # (qt_menubar_ext_button and the like: Qt's own overflow arrows)
    if isinstance(widget, INTERACTIVE):
        return True
    # a custom control (a canvas like the timeline) that takes keyboard focus
    return type(widget).__module__.startswith("hourproof.") and bool(
        widget.focusPolicy().value & 0x1  # Qt.TabFocus
    )


def _part_of_another(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, COMPOUND):
            return True
        parent = parent.parentWidget()
    return False


def unnamed(root: QWidget) -> list[str]:
    """``Class 'objectName' (under Parent)`` for each interactive control without a name."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not _interactive(widget) or _part_of_another(widget):
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not name.strip():
            parent = widget.parentWidget()
            found.append(
                f"{type(widget).__name__} {widget.objectName()!r} "
                f"(under {type(parent).__name__ if parent else '-'})"
            )
    return found


def test_the_walk_finds_a_seeded_unnamed_control(qtbot) -> None:
    from PySide6.QtWidgets import QFormLayout, QPushButton

    form = QWidget()
    qtbot.addWidget(form)
    layout = QFormLayout(form)
    named, bare, icon_only = QLineEdit(), QLineEdit(), QPushButton()
    layout.addRow("&Project:", named)  # a buddy label names it
    layout.addWidget(bare)
    layout.addWidget(icon_only)
    bare.setObjectName("bare")
    assert unnamed(form) == ["QLineEdit 'bare' (under QWidget)", "QPushButton '' (under QWidget)"]
    bare.setAccessibleName("Search")
    icon_only.setText("Go")
    assert unnamed(form) == []


def _entry(app: App) -> Entry:
    start = datetime(2026, 11, 24, 9, 0, tzinfo=datetime.now().astimezone().tzinfo)
    return tracking.add(app, "web", start, start + timedelta(hours=2), Details(client="Acme"))


@pytest.fixture
def full_window(window: MainWindow, controller: Controller) -> MainWindow:
    from hourproof.gui.extensions import GuiHost, install_features

    _entry(controller.app)
    install_features(GuiHost(controller, window))
    settle(controller)
    return window


def test_every_control_of_the_main_window_and_its_tabs_has_a_name(full_window) -> None:
    assert full_window.tabs.count() > 2  # the features' tabs are in the walk
    missing = unnamed(full_window)
    assert missing == [], "\n".join(missing)


def _dialogs(
    controller: Controller, window: MainWindow, tmp: Path
) -> dict[str, Callable[[], QWidget]]:
    from hourproof.core.idle import Away
    from hourproof.gui import approval_dialogs, dialogs, history, source_dialog
    from hourproof.gui.clients_dialog import ClientsDialog
    from hourproof.gui.export_dialog import ExportDialog
    from hourproof.gui.extensions import GuiHost
    from hourproof.gui.idle_prompt import IdlePrompt, IdleSettings
    from hourproof.gui.passphrase_dialog import PassphraseDialog
    from hourproof.gui.settings_dialog import SettingsDialog
    from hourproof.gui.verify_window import VerifyWindow

    app = controller.app
    entry = _entry(app)
    now = controller.now()
    projects = [("web", "Acme"), ("api", None)]
    _, versions = tracking.history(app, entry.id)
    return {
        "start": lambda: dialogs.StartDialog(projects, now),
        "add": lambda: dialogs.EntryDialog(projects, now),
        "amend": lambda: dialogs.EntryDialog(projects, now, entry),
        "remove": lambda: dialogs.ReasonDialog(entry, now),
        "history": lambda: history.HistoryDialog(entry, versions, now),
        "source (git)": lambda: source_dialog.SourceDialog("Add", "/tmp/x", projects, True),
        "source (folder)": lambda: source_dialog.SourceDialog("Watch", "/tmp/x", projects, False),
        "export": lambda: ExportDialog(GuiHost(controller, window), None),
        "settings": lambda: SettingsDialog(controller),
        "approve": lambda: approval_dialogs.ApproveDialog(tmp / "a.hproof", "Jane"),
        "contest": lambda: approval_dialogs.ContestDialog(tmp / "a.hproof", [(1, "#1 web")]),
        "verify": lambda: VerifyWindow(tmp / "missing.hproof", lambda *a: None),
        "clients": lambda: ClientsDialog(controller),
        "idle prompt": lambda: IdlePrompt(Away(now - timedelta(minutes=9), now), "web"),
        "idle settings": lambda: IdleSettings("XScreenSaver", timedelta(minutes=5)),
        "passphrase": lambda: PassphraseDialog(app),
    }


DIALOGS = ["start", "add", "amend", "remove", "history", "source (git)", "source (folder)",
           "export", "settings", "approve", "contest", "verify", "clients", "idle prompt",
           "idle settings", "passphrase"]  # fmt: skip


@pytest.mark.parametrize("name", DIALOGS)
def test_every_control_of_each_dialog_has_a_name(
    name: str, window: MainWindow, controller: Controller, tmp_path: Path, qtbot
) -> None:
    dialog = _dialogs(controller, window, tmp_path)[name]()
    qtbot.addWidget(dialog)
    missing = unnamed(dialog)
    assert missing == [], "\n".join(missing)
