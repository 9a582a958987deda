"""The system tray icon: state at a glance, and start/stop without opening a window.

The menu is rebuilt each time it is about to show, so it always lists the current
timer and the most recent projects without any polling of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from hourproof.gui import fmt
from hourproof.gui.controller import AnchorState, Controller
from hourproof.gui.icons import tray_icon
from hourproof.gui.passphrase_dialog import find_unlocker
from hourproof.gui.trace import trace, tracing
from hourproof.gui.watching import find_watching
from hourproof.gui.window import MainWindow
from hourproof.services.tracking import Status

RECENT_PROJECTS = 5


def tray_state(status: Status, anchor: AnchorState) -> tuple[str, bool]:
    """(``running`` or ``idle``, warning badge?): a warning never hides a running timer."""
    return ("running" if status.running is not None else "idle"), anchor.warning


def _menu_text(text: str) -> str:
    """Text for a QAction: ``&`` would otherwise mark a mnemonic ("Beta & Co")."""
    return text.replace("&", "&&")


class TrayController(QObject):
    """Owns the QSystemTrayIcon and its menu; acts only through the Controller."""

    def __init__(
        self, controller: Controller, window: MainWindow, quit_app: Callable[[], None],
        extra_actions: Sequence[QAction] = (), parent: QObject | None = None,
        icon: QSystemTrayIcon | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.controller = controller
        self.window = window
        self.quit_app = quit_app
        self.extra_actions = extra_actions
        self.state: tuple[str, bool] = ("", False)
        self.icon = icon if icon is not None else QSystemTrayIcon(self)
        self.menu = QMenu()
        self.menu.aboutToShow.connect(self.rebuild_menu)
        self._painted = False
        if tracing():
            self.menu.installEventFilter(self)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        controller.status_changed.connect(self._update)
        controller.anchor_changed.connect(self._update)
        controller.ticked.connect(self._update_tooltip)
        controller.failed.connect(self._failed)
        controller.notice.connect(self._notice)
        self._update()
        self.rebuild_menu()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """(Tracing only) say when the menu is on screen and taking keys."""
        if watched is self.menu:
            if event.type() == QEvent.Type.Show:
                self._painted = False
            elif event.type() == QEvent.Type.Paint and not self._painted:
                self._painted = True  # painted: mapped on screen
                trace("tray-menu-open")
        return False

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    # -- state ------------------------------------------------------------------------

    def _update(self, *_: object) -> None:
        state = tray_state(self.controller.status, self.controller.anchor_state)
        if state != self.state:
            self.state = state
            self.icon.setIcon(tray_icon(*state))
            trace(f"tray-state {state[0]} {state[1]}")
        self._update_tooltip(self.controller.now())

    def tooltip(self, now: datetime) -> str:
        status = self.controller.status
        lines = []
        if status.running is not None:
            entry = status.running
            lines.append(f"{fmt.who(entry)} — {fmt.elapsed(entry.seconds(now))}")
        else:
            lines.append(self.tr("hourproof — no timer running"))
        anchor = self.controller.anchor_state
        if anchor.warning and anchor.stale:
            lines.append(self.tr("Nothing anchored to trusted time for over 24 h"))
        elif anchor.warning:
            lines.append(self.tr("Anchoring failed; it will retry"))
        unlocker = find_unlocker(self.controller)
        if unlocker is not None and unlocker.locked:
            lines.append(self.tr("Signing key locked"))
        watching = find_watching(self.controller)
        if watching is not None and watching.paused:
            lines.append(self.tr("Evidence paused"))
        return "\n".join(lines)

    def _update_tooltip(self, now: datetime) -> None:
        self.icon.setToolTip(self.tooltip(now))

    # -- menu ---------------------------------------------------------------------------

    def rebuild_menu(self) -> None:
        """Fill the menu from the current state (connected to ``aboutToShow``)."""
        trace("tray-menu")
        c = self.controller
        menu = self.menu
        menu.clear()
        running = c.status.running
        now = c.now()
        if running is not None:
            text = f"{fmt.who(running)} — {fmt.hours(running.seconds(now))}"
            label = menu.addAction(_menu_text(text))
            label.setEnabled(False)
            menu.addAction(self.tr("Stop"), self._stop)
            menu.addSeparator()
        for project, client in c.recent_projects(RECENT_PROJECTS):
            if running is not None and project == running.project:
                continue
            text = self.tr("Start %1").replace("%1", project) + (f" ({client})" if client else "")
            action = menu.addAction(_menu_text(text))
            action.triggered.connect(lambda _=False, name=project: self._start(name))
        menu.addAction(self.tr("Start…"), self._start_dialog)
        menu.addAction(self.tr("Add past entry…"), self._add_dialog)
        watching = find_watching(c)
        if watching is not None:
            if watching.paused:
                menu.addAction(self.tr("Resume evidence"), watching.resume)
            else:
                menu.addAction(self.tr("Pause evidence"), watching.pause)
        menu.addSeparator()
        menu.addAction(self.tr("Open hourproof"), self.open_window)
        menu.addAction(self.tr("Verify a proof…"), self.window.choose_bundle)
        anchor = menu.addAction(
            self.tr("Anchoring…") if c.anchoring else self.tr("Anchor now"), c.anchor_now
        )
        anchor.setEnabled(not c.anchoring)
        for action in self.extra_actions:
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.tr("Quit"), self.quit_app)
        if tracing():
            trace("tray-menu-items " + "|".join(self.action_texts()).replace(" ", "_"))

    def action_texts(self) -> list[str]:
        return [a.text() for a in self.menu.actions() if not a.isSeparator()]

    def find_action(self, text: str) -> QAction | None:
        for action in self.menu.actions():
            if action.text() == text:
                return action
        return None

    def _start(self, project: str) -> None:
        self.controller.start_timer(project)

    def _stop(self) -> None:
        self.controller.stop_timer()

    def _start_dialog(self) -> None:
        self.window.start_with_details()

    def _add_dialog(self) -> None:
        self.window.add_entry()

    def open_window(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            if self.window.isVisible() and self.window.isActiveWindow():
                self.window.hide()
            else:
                self.open_window()

    # -- messages when the window is hidden ----------------------------------------------

    def _failed(self, message: str) -> None:
        if not self.window.isVisible() and self.icon.isVisible():
            self.icon.showMessage("hourproof", message, QSystemTrayIcon.MessageIcon.Warning)

    def _notice(self, message: str) -> None:
        if not self.window.isVisible() and self.icon.isVisible():
            self.icon.showMessage("hourproof", message, QSystemTrayIcon.MessageIcon.Information)
