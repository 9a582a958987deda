"""The "Evidence" tab: the git repositories and folders whose activity hourproof records.

Registering and removing are quick database writes and run on the UI thread like
the window's other writes; anything that runs git (registering inspects the
repository, scanning walks history, installing the hook finds the hooks folder)
runs as a background job. When the watched folders change, the file watcher (the
"watching" feature, when installed) is restarted.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hourproof.gui import dialogs
from hourproof.gui.extensions import Host
from hourproof.gui.source_dialog import SourceRequest, ask_source
from hourproof.gui.watching import FolderWatching, find_watching, home_short
from hourproof.services import evidence
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.services.evidence import GitRepo, ScanResult, Watch

PATH_ROLE = Qt.ItemDataRole.UserRole
_MUTED = "color: palette(placeholder-text);"
_NOTE_STYLE = "QLabel { border: 1px solid palette(mid); border-radius: 4px; padding: 6px 8px; }"
_WARN_STYLE = (
    "QLabel { background: #fef3c7; color: #78350f; border: 1px solid #f59e0b;"
    " border-radius: 4px; padding: 6px 8px; }"
)


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], paths: list[Path]) -> None:
    selected = _selected_path(table)
    table.setRowCount(len(rows))
    for r, (cells, path) in enumerate(zip(rows, paths, strict=True)):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(str(path) if c == 0 else text)
            item.setData(PATH_ROLE, str(path))
            table.setItem(r, c, item)
        if str(path) == selected:
            table.selectRow(r)


def _selected_path(table: QTableWidget) -> str | None:
    rows = table.selectionModel().selectedRows()
    return str(rows[0].data(PATH_ROLE)) if rows else None


class EvidencePanel(QWidget):
    """Registered repositories and watched folders, and the actions on them."""

    #: A watched folder was added or removed (the file watcher restarts).
    watches_changed = Signal()

    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self._working = False  # an add/remove/scan/hook job is on its way
        self._reads = 0  # list reads on the controller's reader thread not yet shown
        self.repo_list: list[GitRepo] = []
        self.watch_list: list[Watch] = []
        intro = QLabel(
            self.tr(
                "Evidence backs your hours: your commits in these repositories and the times "
                "files changed in these folders are signed into the ledger. Suggestions are "
                "worked out from it; nothing here is sent anywhere."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(_MUTED)
        self.repos = _table([self.tr("Repository"), self.tr("Project"), self.tr("Client"),
                             self.tr("Authors"), self.tr("Subjects")])  # fmt: skip
        self.repos.setAccessibleName(self.tr("Git repositories"))
        self.add_repo_button = QPushButton(self.tr("Add repository…"))
        self.remove_repo_button = QPushButton(self.tr("Remove"))
        self.remove_repo_button.setAccessibleName(self.tr("Remove repository"))
        self.scan_button = QPushButton(self.tr("Scan now"))
        self.hook_button = QPushButton(self.tr("Install hook"))
        self.hook_button.setToolTip(
            self.tr("A post-commit hook hands each new commit to hourproof the moment you make it")
        )
        self.scan_button.setToolTip(self.tr("Record new commits of every repository"))
        repo_box = self._group(
            self.tr("Git repositories"), self.repos,
            [self.add_repo_button, self.remove_repo_button, self.scan_button, self.hook_button],
        )  # fmt: skip
        self.watches = _table([self.tr("Folder"), self.tr("Project"), self.tr("Client")])
        self.watches.setAccessibleName(self.tr("Watched folders"))
        self.add_watch_button = QPushButton(self.tr("Add folder to watch…"))
        self.remove_watch_button = QPushButton(self.tr("Remove watch"))
        self.watch_state = QLabel()
        self.watch_state.setWordWrap(True)
        watch_box = self._group(
            self.tr("Watched folders"), self.watches,
            [self.add_watch_button, self.remove_watch_button],
            footer=self.watch_state,
        )  # fmt: skip
        buttons = [self.add_repo_button, self.remove_repo_button, self.scan_button,
                   self.hook_button, self.add_watch_button, self.remove_watch_button]  # fmt: skip
        width = max(button.sizeHint().width() for button in buttons)
        for button in buttons:  # one column width: both tables line up
            button.setMinimumWidth(width)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(repo_box, 3)
        layout.addWidget(watch_box, 2)
        layout.addWidget(self.note)
        self._connect()
        self._watching: FolderWatching | None = None
        self.reload()

    def _group(
        self, title: str, table: QTableWidget, buttons: list[QPushButton],
        footer: QWidget | None = None,
    ) -> QGroupBox:  # fmt: skip
        box = QGroupBox(title)
        column = QVBoxLayout()
        for button in buttons:
            column.addWidget(button)
        column.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(table, 1)
        row.addLayout(column)
        outer = QVBoxLayout(box)
        outer.addLayout(row)
        if footer is not None:
            outer.addWidget(footer)
        return box

    def _connect(self) -> None:
        self.add_repo_button.clicked.connect(self.add_repository)
        self.remove_repo_button.clicked.connect(self.remove_repository)
        self.scan_button.clicked.connect(self.scan_now)
        self.hook_button.clicked.connect(self.install_hook)
        self.add_watch_button.clicked.connect(self.add_watch)
        self.remove_watch_button.clicked.connect(self.remove_watch)
        self.repos.itemSelectionChanged.connect(self._update_buttons)
        self.watches.itemSelectionChanged.connect(self._update_buttons)
        self.watches_changed.connect(self._restart_watching)

    # -- showing --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """Pick up what the CLI registered meanwhile."""
        super().showEvent(event)
        if not self.busy:
            self.reload()

    @property
    def busy(self) -> bool:
        """A job or a read of the lists is on its way (the buttons wait for it)."""
        return self._working or self._reads > 0

    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Both lists, read on the controller's reader thread; ``then`` runs once they
        are shown."""
        self._reads += 1
        self._update_buttons()

        def read(app: App) -> tuple[list[GitRepo], list[Watch]]:
            return evidence.list_repos(app), evidence.list_watches(app)

        def done(lists: tuple[list[GitRepo], list[Watch]]) -> None:
            self._reads -= 1
            self._show_lists(*lists)
            if then is not None:
                then()

        def failed(message: str) -> None:
            self._reads -= 1
            self.host.show_error(message)
            self._update_buttons()

        self.host.controller.read(read, done, failed)

    def _show_lists(self, repos: list[GitRepo], watches: list[Watch]) -> None:
        self.repo_list = repos
        self.watch_list = watches
        _fill(self.repos, [self._repo_cells(r) for r in repos], [r.path for r in repos])
        _fill(self.watches, [[home_short(w.path), w.project, w.client or "—"] for w in watches],
              [w.path for w in watches])  # fmt: skip
        self._show_watch_state()
        self._update_buttons()

    @staticmethod
    def _repo_cells(repo: GitRepo) -> list[str]:
        subjects = "recorded" if repo.subjects else "not recorded"
        return [home_short(repo.path), repo.project, repo.client or "—",
                ", ".join(repo.authors), subjects]  # fmt: skip

    def watching(self) -> FolderWatching | None:
        """The app's file watcher, if the watching feature is installed."""
        if self._watching is None:
            self._watching = find_watching(self.host.controller)
            if self._watching is not None:
                self._watching.state_changed.connect(self._show_watch_state)
        return self._watching

    def _show_watch_state(self) -> None:
        watching = self.watching()
        if not self.watch_list:
            text = self.tr("No folder is watched.")
        elif watching is None:
            text = self.tr("File watching runs with 'hourproof watch run'.")
        elif watching.running:
            count = watching.folders
            text = self.tr("● Watching %n folder(s) while hourproof runs.", "", count)
        else:
            text = self.tr("File watching is stopped.")
            if watching.last_warning:
                text += f" {watching.last_warning[:1].upper()}{watching.last_warning[1:]}"
        self.watch_state.setText(text)
        self.watch_state.setStyleSheet(_MUTED)

    def _update_buttons(self) -> None:
        idle = not self.busy
        has_repo = _selected_path(self.repos) is not None
        self.add_repo_button.setEnabled(idle)
        self.remove_repo_button.setEnabled(idle and has_repo)
        self.hook_button.setEnabled(idle and has_repo)
        self.scan_button.setEnabled(idle and bool(self.repo_list))
        self.remove_watch_button.setEnabled(_selected_path(self.watches) is not None)

    def say(self, text: str, warnings: Sequence[str] = ()) -> None:
        """A note under the lists: what the last action did, and its warnings."""
        lines = [text, *(f"⚠ {w[:1].upper()}{w[1:]}" for w in warnings)]
        self.note.setText("\n".join(lines))
        self.note.setStyleSheet(_WARN_STYLE if warnings else _NOTE_STYLE)
        self.note.setVisible(True)

    # -- running service calls ---------------------------------------------------------------

    def _background(self, fn: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        self._set_busy(True)

        def done(result: Any) -> None:
            self._set_busy(False)
            on_done(result)

        def failed(message: str) -> None:
            self._set_busy(False)
            self.host.show_error(message)

        self.host.run_in_background(fn, done, failed)

    def _set_busy(self, busy: bool) -> None:
        self._working = busy
        self._update_buttons()

    def _ask_folder(self, title: str) -> str | None:
        chosen = QFileDialog.getExistingDirectory(self, title, str(Path.home()))
        return chosen or None

    def _ask(self, title: str, path: str, git: bool) -> SourceRequest | None:
        projects = self.host.controller.recent_projects()
        return ask_source(self, title, path, projects, git)

    # -- repositories ---------------------------------------------------------------------------

    def add_repository(self) -> None:
        path = self._ask_folder(self.tr("Choose a git repository"))
        request = self._ask(self.tr("Add repository"), path, git=True) if path else None
        if path is None or request is None:
            return
        app = self.host.app

        def job() -> tuple[GitRepo, list[str]]:
            return evidence.add_repo(app, path, request.project, request.client,
                                     request.authors, request.subjects)  # fmt: skip

        self._background(job, self._repo_added)

    def _repo_added(self, added: tuple[GitRepo, list[str]]) -> None:
        repo, warnings = added
        self.reload()
        text = self.tr("Added {0} for {1}. Scan now records its commits; "
                       "Install hook records each new one as you make it.")  # fmt: skip
        self.say(text.format(repo.path, repo.project), warnings)

    def remove_repository(self) -> None:
        path = _selected_path(self.repos)
        if path is None:
            return
        question = self.tr("Stop recording commits of {0}?\n\nCommits recorded so far stay "
                           "in the signed ledger; its hook, if installed, is removed.")  # fmt: skip
        if not dialogs.confirm(self, self.tr("Remove repository"), question.format(path)):
            return
        app = self.host.app
        self._background(lambda: remove_repo_and_hook(app, path), self._repo_removed)

    def _repo_removed(self, removed: GitRepo) -> None:
        self.reload()
        self.say(
            self.tr("Removed {0}; its recorded commits stay in the ledger.").format(removed.path)
        )

    def scan_now(self) -> None:
        app, lock = self.host.app, self.host.controller.scan_lock

        def job() -> list[ScanOutcome]:
            with lock:
                return scan_all(app)

        self._background(job, self._scanned)

    def _scanned(self, outcomes: list[ScanOutcome]) -> None:
        self.say(*describe_scan(outcomes))
        self.host.refresh()

    def install_hook(self) -> None:
        path = _selected_path(self.repos)
        if path is None:
            return
        app = self.host.app
        self._background(lambda: evidence.install_hook(app, path), self._hook_installed)

    def _hook_installed(self, hook: Path) -> None:
        text = self.tr("Installed the post-commit hook at {0}: each new commit is recorded "
                       "within half a minute while hourproof runs.")  # fmt: skip
        self.say(text.format(hook))

    # -- watched folders ---------------------------------------------------------------------------

    def add_watch(self) -> None:
        path = self._ask_folder(self.tr("Choose a folder to watch"))
        request = self._ask(self.tr("Watch folder"), path, git=False) if path else None
        if path is None or request is None:
            return
        app = self.host.app
        self._background(
            lambda: evidence.add_watch(app, path, request.project, request.client),
            self._watch_added,
        )

    def _watch_added(self, watch: Watch) -> None:
        self.say(self.tr("Watching {0} for {1}.").format(watch.path, watch.project))
        self.reload(then=self.watches_changed.emit)  # the watch state reads the new list

    def remove_watch(self) -> None:
        path = _selected_path(self.watches)
        if path is None:
            return
        question = self.tr("Stop watching {0}?\n\nActivity recorded so far stays in the "
                           "signed ledger.").format(path)  # fmt: skip
        if not dialogs.confirm(self, self.tr("Remove watch"), question):
            return
        app = self.host.app
        self._background(lambda: evidence.remove_watch(app, path), self._watch_removed)

    def _watch_removed(self, removed: Watch) -> None:
        self.say(self.tr("Stopped watching {0}.").format(removed.path))
        self.reload(then=self.watches_changed.emit)

    def _restart_watching(self) -> None:
        watching = self.watching()
        if watching is not None:
            watching.restart()
        self._show_watch_state()


@dataclass(frozen=True)
class ScanOutcome:
    """One repository's scan: its result, or why it could not be scanned."""

    repo: GitRepo
    result: ScanResult | None
    error: str | None


def scan_all(app: App) -> list[ScanOutcome]:
    """Scan every repository; one that fails (moved, broken) does not stop the rest."""
    outcomes = []
    for repo in evidence.list_repos(app):
        try:
            outcomes.append(ScanOutcome(repo, evidence.scan_repo(app, repo), None))
        except ServiceError as exc:
            outcomes.append(ScanOutcome(repo, None, str(exc)))
    return outcomes


def remove_repo_and_hook(app: App, path: str) -> GitRepo:
    """Unregister a repository and take out our hook (a hook left behind would keep
    spooling commits that are then thrown away)."""
    removed = evidence.remove_repo(app, path)
    with contextlib.suppress(ServiceError):  # gone or broken: unregistering was the point
        evidence.uninstall_hook(app, str(removed.path))
    return removed


def describe_scan(outcomes: list[ScanOutcome]) -> tuple[str, list[str]]:
    """``Scanned 2 repositories: 5 new commits (site 3, api 2).`` and the warnings."""
    done = [o for o in outcomes if o.result is not None]
    total = sum(o.result.new_commits for o in done if o.result is not None)
    parts = ", ".join(f"{o.repo.path.name} {o.result.new_commits}" for o in done if o.result)
    repos = len(done)
    scanned = QCoreApplication.translate("evidence", "Scanned %n repositor(y|ies)", "", repos)
    commits = QCoreApplication.translate("evidence", "%n new commit(s)", "", total)
    text = f"{scanned}: {commits}" + (f" ({parts})." if parts else ".")
    warnings = [f"{o.repo.path.name}: {o.error}" for o in outcomes if o.error]
    for o in done:
        assert o.result is not None
        warnings.extend(f"{o.repo.path.name}: {w}" for w in o.result.warnings)
    return text, warnings


def install(host: Host) -> None:
    """The "Evidence" tab."""
    host.add_tab(QCoreApplication.translate("evidence", "Evidence"), EvidencePanel(host))
