"""Extension points for features that land in parallel: export, evidence, suggestions.

A feature plugs in with a GUI module exposing ``install(host: Host) -> None``. It is
installed only when both its service module and its GUI module import, so nothing
shows up for users until the feature really exists — no placeholder menu entries.

To wire a feature, write its GUI module (for example ``hourproof/gui/export_dialog.py``)
whose ``install`` adds an action with ``host.add_action("file", action)``, a panel with
``host.add_tab(...)``, or a tray entry with ``host.add_tray_action(...)``, and runs
slow work with ``host.run_in_background(...)`` (short jobs: the pool has two threads).
Long-lived work such as a file watcher runs on its own thread and stops when
``host.on_quit(...)`` calls back. ``FEATURES`` already names the modules.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from hourproof.gui import dialogs
from hourproof.gui.controller import Controller
from hourproof.gui.window import MainWindow
from hourproof.services.app import App

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Feature:
    """An optional feature: enabled when ``service`` and ``gui`` both import."""

    name: str
    service: str
    gui: str


#: EXTENSION POINT: the features the desktop app picks up once their GUI module exists.
FEATURES: tuple[Feature, ...] = (
    # File → "Export proof…": services.export.export_bundle(app, ExportRequest(...))
    Feature("export", "hourproof.services.export", "hourproof.gui.export_dialog"),
    # Tab "Suggestions": services.evidence.suggestions(app, lo, hi) and accept(app, id)
    Feature("suggestions", "hourproof.services.evidence", "hourproof.gui.suggestions_panel"),
    # Tab "Evidence": services.evidence.list_repos / add_repo / scan (git repositories)
    Feature("evidence", "hourproof.services.evidence", "hourproof.gui.evidence_panel"),
    # Background file watching: services.evidence.run_watchers(..., should_stop=...)
    Feature("watching", "hourproof.services.evidence", "hourproof.gui.watching"),
    # Tab "Timeline": services.timeline.load(app, lo, hi), suggestions.accept_many(app, ids)
    Feature("timeline", "hourproof.services.timeline", "hourproof.gui.timeline_panel"),
    # Time away while a timer runs: sources.idle + services.idle.resolve, asked by a prompt
    Feature("idle", "hourproof.services.idle", "hourproof.gui.idle_prompt"),
    # File → "Add client approval…" and entries' Approved/Contested: services.approvals
    Feature("approvals", "hourproof.services.approvals", "hourproof.gui.approval_dialogs"),
    # A locked signing key: asked for when something signs; "key locked" in the status bar
    Feature("unlock", "hourproof.services.unlock", "hourproof.gui.passphrase_dialog"),
)

MENUS = ("file", "entries", "view", "help")


class Host(Protocol):
    """What an extension's ``install(host)`` may use."""

    @property
    def app(self) -> App: ...
    @property
    def controller(self) -> Controller: ...
    @property
    def window(self) -> MainWindow: ...
    def add_action(self, menu: str, action: QAction, toolbar: bool = False) -> None: ...
    def add_tab(self, title: str, widget: QWidget) -> None: ...
    def add_tray_action(self, action: QAction) -> None: ...
    def run_in_background(
        self, fn: Callable[[], Any], on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None: ...  # fmt: skip
    def show_error(self, message: str) -> None: ...
    def refresh(self) -> None: ...
    def on_quit(self, fn: Callable[[], None]) -> None: ...


class GuiHost:
    """The Host the desktop app hands to extensions."""

    def __init__(self, controller: Controller, window: MainWindow) -> None:
        self._controller = controller
        self._window = window
        self.tray_actions: list[QAction] = []

    @property
    def app(self) -> App:
        return self._controller.app

    @property
    def controller(self) -> Controller:
        return self._controller

    @property
    def window(self) -> MainWindow:
        return self._window

    def add_action(self, menu: str, action: QAction, toolbar: bool = False) -> None:
        """Add to a main-window menu (``file``, ``entries``, ``view``, ``help``)."""
        if menu not in MENUS:
            raise ValueError(f"no menu {menu!r}; use one of {', '.join(MENUS)}")
        target = self._window.menus[menu]
        if menu == "file":  # above "Close window" / "Quit"
            target.insertAction(self._window.close_action, action)
        else:
            target.addAction(action)
        if toolbar:
            self._window.toolbar.addAction(action)

    def add_tab(self, title: str, widget: QWidget) -> None:
        """A panel beside "Entries" (the tab bar appears once there are two)."""
        self._window.tabs.addTab(widget, title)

    def add_tray_action(self, action: QAction) -> None:
        self.tray_actions.append(action)

    def run_in_background(
        self, fn: Callable[[], Any], on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:  # fmt: skip
        self._controller.run_in_background(fn, on_done, on_error)

    def show_error(self, message: str) -> None:
        dialogs.show_error(self._window, message)

    def refresh(self) -> None:
        self._controller.refresh()

    def on_quit(self, fn: Callable[[], None]) -> None:
        """Called before the app waits for background work at quit (stop watchers here)."""
        self._controller.stopping.connect(fn)


def _import_optional(name: str) -> ModuleType | None:
    """The module, or None when it (not something it imports) does not exist yet."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
            return None
        raise


def install_features(host: Host, features: Sequence[Feature] = FEATURES) -> list[str]:
    """Install every available feature; returns their names. A broken one is skipped."""
    installed = []
    for feature in features:
        try:
            if _import_optional(feature.service) is None:
                continue
            module = _import_optional(feature.gui)
            if module is None:
                log.info(
                    "%s: service present, GUI module %s not written yet", feature.name, feature.gui
                )
                continue
            module.install(host)
        except Exception:
            log.exception("could not install the %s feature", feature.name)
            continue
        installed.append(feature.name)
    return installed
