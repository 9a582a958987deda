"""The main window: the running timer, the entries panel, and the ledger's state.

Thin by design: every change goes through the Controller (and so the service layer);
the window lays out what the controller reports and asks the user for input.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from hourproof.core.entries import Entry
from hourproof.gui import dialogs, fmt
from hourproof.gui.controller import AnchorState, Controller
from hourproof.gui.entries_panel import EntriesPanel
from hourproof.gui.history import HistoryDialog
from hourproof.gui.i18n import QT_TRANSLATE_NOOP
from hourproof.gui.icons import app_icon
from hourproof.gui.timerbar import TimerBar
from hourproof.services import browse, tracking
from hourproof.services.tracking import Status

#: The file name ending of hour-proof bundles (and its MIME type in the .desktop file).
BUNDLE_SUFFIX = ".hproof"

Key = QKeySequence.StandardKey
_WARNING_STYLE = (
    "QLabel { background: #fef3c7; color: #78350f; border: 1px solid #f59e0b;"
    " border-radius: 4px; padding: 1px 8px; }"
)
_TOOLBAR_STYLE = """
QToolBar { border: none; spacing: 6px; }
QToolBar QToolButton { border: 1px solid palette(mid); border-radius: 4px; padding: 3px 10px;
                       background: palette(button); }
QToolBar QToolButton:hover { background: palette(light); }
QToolBar QToolButton:disabled { color: palette(placeholder-text); border-color: palette(midlight); }
"""
_ABOUT = QT_TRANSLATE_NOOP(
    "MainWindow",
    "<h3>hourproof</h3><p>Tracks hours and proves them with signatures and trusted "
    "timestamps.</p><p>No screenshots, no camera, no microphone, no keystroke logging. "
    "Only checkpoint digests are sent, and only to the timestamp authorities you "
    "configure.</p>",
)


class MainWindow(QMainWindow):
    """Timer bar, entries of a period with totals, and the actions that change them."""

    #: The user closed the window (the app quits when there is no tray).
    closed = Signal()
    #: A history dialog was opened (carries it).
    history_shown = Signal(object)
    #: The user asked to verify this bundle (menu, drop); main.py opens a verify window.
    verify_requested = Signal(object)

    def __init__(
        self, controller: Controller, settings: QSettings, parent: QWidget | None = None,
        staged: bool = False,
    ) -> None:  # fmt: skip
        """``staged``: build only the actions and menus here; the caller runs the rest,
        ``build_steps()``, one per event-loop turn (main.py does, see gui/staging.py)."""
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self.setWindowTitle("hourproof")
        self.setWindowIcon(app_icon())
        self.setMinimumSize(800, 480)  # fits 1366×768 with room for panels and a dock
        self.setAcceptDrops(True)
        self.menus: dict[str, QMenu] = {}
        self._build_actions()
        self._build_menus()
        if not staged:
            for step in self.build_steps():
                step()

    def build_steps(self) -> list[Callable[[], object]]:
        """The rest of the window, in steps of a few milliseconds each (issue 10: no
        UI-thread stall over 50 ms while loading)."""
        return [self._build_timer_bar, self._build_entries, self._build_layout, self._load]

    def _build_timer_bar(self) -> None:
        self.timer_bar = TimerBar()

    def _build_entries(self) -> None:
        self.entries = EntriesPanel(self.controller, self.toolbar)
        for action in (self.amend_action, self.remove_action, self.history_action):
            self.entries.table.addAction(action)

    def _build_layout(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabBarAutoHide(True)
        self.tabs.addTab(self.entries, self.tr("Entries"))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 12, 12, 6)
        layout.addWidget(self.timer_bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._build_status_bar()
        self._connect()

    def _load(self) -> None:
        self._restore()
        self.on_status(self.controller.status)
        self.on_anchor(self.controller.anchor_state)

    # -- construction -------------------------------------------------------------

    def _action(
        self, text: str, slot: Callable[[], object], keys: QKeySequence | Key | str | None,
        tip: str = "",
    ) -> QAction:  # fmt: skip
        action = QAction(text, self)  # (text and tip come translated)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.setStatusTip(tip)
        action.setToolTip(tip or text.replace("&", "").rstrip("…"))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        c, a = self.controller, self._action
        self.start_action = a(
            self.tr("&Start timer…"),
            self.start_with_details,
            "Ctrl+T",
            self.tr("Start a timer with project, task and tags"),
        )
        self.stop_action = a(
            self.tr("S&top timer"), self.stop, "Ctrl+Shift+T", self.tr("Stop the running timer")
        )
        self.add_action = a(
            self.tr("&Add entry…"), self.add_entry, Key.New, self.tr("Record a finished interval")
        )
        self.amend_action = a(
            self.tr("A&mend…"),
            self.amend_selected,
            "Ctrl+E",
            self.tr("Change the selected entry; the old version is kept with your reason"),
        )
        self.remove_action = a(
            self.tr("&Remove…"),
            self.remove_selected,
            Key.Delete,
            self.tr("Remove the selected entry; it stays in the ledger, marked removed"),
        )
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.history_action = a(
            self.tr("Show &history"),
            self.show_history,
            "Ctrl+H",
            self.tr("Every version of the selected entry, with reasons"),
        )
        self.anchor_action = a(
            self.tr("&Anchor now"),
            c.anchor_now,
            "Ctrl+Shift+A",
            self.tr("Timestamp the ledger with your TSAs now"),
        )
        self.refresh_action = a(
            self.tr("&Refresh"),
            c.refresh,
            Key.Refresh,
            self.tr("Reload (also picks up changes made on the command line)"),
        )
        self.verify_action = a(
            self.tr("&Verify proof…"),
            self.choose_bundle,
            Key.Open,
            self.tr("Check a .hproof bundle you received"),
        )
        self.settings_action = a(
            self.tr("Se&ttings…"),
            self.show_settings,
            Key.Preferences,
            self.tr("TSAs, idle, key, start at login"),
        )
        self.rates_action = a(
            self.tr("&Clients, projects and rates…"),
            self.show_rates,
            None,
            self.tr("Add, hide and rename clients and projects; hourly rates"),
        )
        self.close_action = a(self.tr("&Close window"), self.close, Key.Close)
        self.quit_action = a(self.tr("&Quit"), self.request_quit, Key.Quit)
        self.about_action = a(self.tr("&About hourproof"), self.about, None)
        for action in (
            self.stop_action,
            self.amend_action,
            self.remove_action,
            self.history_action,
        ):
            action.setEnabled(False)  # fmt: skip

    def _build_menus(self) -> None:
        file_menu, entries_menu = self.tr("&File"), self.tr("&Entries")
        layout: dict[str, tuple[str, list[QAction | None]]] = {
            "file": (file_menu, [self.verify_action, None, self.anchor_action, self.settings_action,
                              None, self.close_action, self.quit_action]),
            "entries": (entries_menu, [self.start_action, self.stop_action, None, self.add_action,
                                     self.amend_action, self.remove_action, None,
                                     self.history_action, None, self.rates_action]),
            "view": (self.tr("&View"), [self.refresh_action]),
            "help": (self.tr("&Help"), [self.about_action]),
        }  # fmt: skip
        for key, (title, actions) in layout.items():
            menu = self.menuBar().addMenu(title)
            for action in actions:
                if action is None:
                    menu.addSeparator()
                else:
                    menu.addAction(action)
            self.menus[key] = menu
        self.toolbar = QToolBar(self.tr("Actions"))
        self.toolbar.setObjectName("actions")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setStyleSheet(_TOOLBAR_STYLE)
        for action in (self.add_action, self.amend_action, self.remove_action, self.history_action):
            self.toolbar.addAction(action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setStyleSheet(
            "QStatusBar::item { border: none; } QStatusBar QLabel { padding: 0 6px; }"
        )
        self.ledger_label = QLabel()
        self.anchor_label = QLabel()
        self.warning_label = QLabel()
        self.warning_label.setStyleSheet(_WARNING_STYLE)
        self.warning_label.setVisible(False)
        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.VLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)
        bar.addPermanentWidget(self.warning_label)
        bar.addPermanentWidget(self.anchor_label)
        bar.addPermanentWidget(separator)
        bar.addPermanentWidget(self.ledger_label)

    def _connect(self) -> None:
        c = self.controller
        c.status_changed.connect(self.on_status)
        c.anchor_changed.connect(self.on_anchor)
        c.entries_changed.connect(self.reload)
        c.ticked.connect(self.on_tick)
        c.failed.connect(self.on_failed)
        c.notice.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.timer_bar.start_requested.connect(self.start_project)
        self.timer_bar.start_with_details.connect(self.start_with_details)
        self.timer_bar.stop_requested.connect(self.stop)
        self.entries.selection_changed.connect(self._selection_changed)
        self.entries.activated.connect(self.amend_selected)

    # -- settings (a file in the hourproof home; see main.py) ---------------------------

    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1240, 720)
        self.entries.restore(self.settings)  # also loads the entries

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.entries.save(self.settings)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        event.accept()
        self.closed.emit()

    def request_quit(self) -> None:
        self.save_settings()
        QApplication.quit()

    # -- showing state ----------------------------------------------------------------

    def reload(self) -> None:
        self.entries.reload()
        self.timer_bar.set_projects(self.controller.recent_projects())

    def selected_entry(self) -> Entry | None:
        return self.entries.selected_entry()

    def on_status(self, status: Status) -> None:
        self.timer_bar.set_status(status)
        self.stop_action.setEnabled(status.running is not None)
        leaves = status.leaves
        self.ledger_label.setText(self.tr("Ledger: %n lea(f|ves)", "", leaves))
        running = status.running
        if running is not None:
            self.setWindowTitle(self.tr("{0} — hourproof").format(running.project))
        else:
            self.setWindowTitle("hourproof")

    def on_anchor(self, state: AnchorState) -> None:
        now = self.controller.now()
        if state.last_anchor:
            gen_time, tsa, size = state.last_anchor
            text = self.tr("Anchored {0} by {1}").format(fmt.age(gen_time, now), tsa)
            tip = self.tr("Last trusted timestamp {0}, over the first {1} leaves").format(
                fmt.stamp(gen_time), size
            )
        elif not state.configured:
            text = self.tr("No timestamp authority")
            tip = self.tr("Nothing is sent anywhere; add a TSA to anchor to trusted time")
        else:
            text, tip = self.tr("Not anchored yet"), self.tr("No trusted timestamp yet")
        if state.queued:
            text += " · " + self.tr("{0} queued").format(state.queued)
        self.anchor_label.setText(text)
        self.anchor_label.setToolTip(tip)
        self.warning_label.setVisible(state.warning)
        if state.stale:
            self.warning_label.setText(self.tr("⚠ Nothing anchored to trusted time for over 24 h"))
        elif state.last_error:
            self.warning_label.setText(self.tr("⚠ Anchoring failed — will retry"))
        detail = (
            self.tr("Last error: {0}").format(state.last_error) + "\n" if state.last_error else ""
        )
        self.warning_label.setToolTip(
            detail + self.tr("File → Anchor now (Ctrl+Shift+A) tries again.")
        )

    def on_tick(self, now: datetime) -> None:
        self.timer_bar.tick(now)
        self.entries.tick(now)

    def on_failed(self, message: str) -> None:
        if self.isVisible():
            dialogs.show_error(self, message)
        else:
            self.statusBar().showMessage(message, 15_000)

    def _selection_changed(self, entry: Entry | None) -> None:
        for action in (self.amend_action, self.remove_action, self.history_action):
            action.setEnabled(entry is not None)

    # -- actions -----------------------------------------------------------------------

    def start_project(self, project: str) -> None:
        typed = self.timer_bar.project

        def started(_: object) -> None:
            if typed.currentText().strip() == project:
                typed.setEditText("")

        self.controller.start_timer(project, on_done=started)  # refused: the text stays

    def start_with_details(
        self, previous: dialogs.StartRequest | None = None, error: str | None = None
    ) -> None:
        """Ask for a start; a refused one (e.g. backdated too far) asks again, as typed."""
        c = self.controller
        request = dialogs.ask_start(self, c.recent_projects(), c.now(), previous, error)
        if request is None:
            return
        c.start_timer(
            request.project, request.details, request.at,
            on_error=lambda message: self.start_with_details(request, message),
        )  # fmt: skip

    def stop(self) -> None:
        self.controller.stop_timer()

    def add_entry(
        self, previous: dialogs.AddRequest | None = None, error: str | None = None
    ) -> None:
        """Ask for a past entry; warn when it overlaps recorded ones before saving it."""
        c = self.controller
        request = dialogs.ask_add(self, c.recent_projects(), c.now(), previous, error)
        if request is None:
            return
        c.read(
            lambda app: browse.overlaps(app, request.begin, request.end),
            lambda found: self._add_checked(request, found),
        )

    def _add_checked(self, request: dialogs.AddRequest, overlapping: list[Entry]) -> None:
        c = self.controller
        if overlapping and not dialogs.confirm(
            self, self.tr("Overlapping entry"), dialogs.overlap_question(overlapping, c.now())
        ):
            return
        c.add_entry(
            request.project, request.begin, request.end, request.details,
            on_done=self._added, on_error=lambda message: self.add_entry(request, message),
        )  # fmt: skip

    def _added(self, entry: Entry) -> None:
        period = self.entries.period()
        end = entry.end or self.controller.now()
        if entry.start < period.hi and end > period.lo:
            self.entries.select_later(entry.id)
        else:
            shown = f"Added {fmt.summary(entry, self.controller.now())} (outside the period shown)"
            self.statusBar().showMessage(shown, 10_000)

    def amend_selected(self, *_: object) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        c = self.controller
        request = dialogs.ask_amend(self, c.recent_projects(), entry, c.now())
        if request is not None:
            self.entries.select_later(entry.id)
            c.amend_entry(entry.id, request.reason, request.details, request.begin, request.end)

    def remove_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        c = self.controller
        reason = dialogs.ask_remove_reason(self, entry, c.now())
        if not reason:
            return
        question = (
            f"Remove {fmt.summary(entry, c.now())}?\n\n"
            "It leaves reports and totals but stays in the signed ledger, marked "
            f"removed, with your reason: “{reason}”."
        )
        if dialogs.confirm(self, f"Remove entry #{entry.id}", question):
            c.remove_entry(entry.id, reason)

    def show_rates(self) -> QWidget:
        from hourproof.gui.clients_dialog import ClientsDialog

        dialog = ClientsDialog(self.controller, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_settings(self) -> QWidget:
        from hourproof.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.controller, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # -- verifying a bundle a client received ----------------------------------------

    def choose_bundle(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Verify an hour proof"), "",
            self.tr("Hour proofs (*.hproof *.pdf);;All files (*)"),
        )  # fmt: skip
        if name:
            self.verify_requested.emit(Path(name))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_bundle(event.mimeData().urls()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_bundle(event.mimeData().urls())
        if path is not None:
            event.acceptProposedAction()
            self.verify_requested.emit(path)

    def show_history(self) -> None:
        """Every version of the selected entry, in a window beside this one (read in the
        background; ``history_shown`` carries the dialog)."""
        entry = self.selected_entry()
        if entry is None:
            return
        entry_id = entry.id
        self.controller.read(lambda app: tracking.history(app, entry_id), self._show_history)

    def _show_history(self, found: tuple[Entry, list[tracking.Version]]) -> None:
        dialog = HistoryDialog(found[0], found[1], self.controller.now(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.history_shown.emit(dialog)

    def about(self) -> None:
        QMessageBox.about(self, self.tr("About hourproof"), self.tr(_ABOUT))


def _dropped_bundle(urls: list[QUrl]) -> Path | None:
    """The one local ``.hproof`` (or PDF attachment) among dropped URLs, if any."""
    for url in urls:
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in (BUNDLE_SUFFIX, ".pdf"):
                return path
    return None
