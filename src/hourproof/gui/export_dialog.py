"""File → "Export proof…": one client's hours for a period as a signed ``.hproof`` bundle.

The dialog only collects the request (client, optional project, period, file, optional
CSV); ``services.export.export_bundle`` does the work in a background job — anchoring
first may wait on a TSA, and report.pdf is drawn there too, which report_pdf allows
off the UI thread once the QApplication exists (it always does in the app). The
dialog shows a busy state, then what went into the bundle, or the service's refusal.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QObject, QSettings, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hourproof.core.timeparse import local_day
from hourproof.core.totals import TotalRow
from hourproof.gui import dialogs
from hourproof.gui import fmt as shown
from hourproof.gui.extensions import Host
from hourproof.gui.periods import Period, period_for
from hourproof.proof.csv_export import FORMATS, CsvExportError
from hourproof.services import browse, export, tracking
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.services.export import ExportRequest, ExportResult

SUFFIX = ".hproof"
FOLDER_KEY = "export/folder"
_CSV_LABELS = {"toggl": "Toggl Track", "clockify": "Clockify"}
_ERROR_STYLE = "color: #b91c1c;"
_WARNING_STYLE = (
    "QLabel { background: #fef3c7; color: #78350f; border: 1px solid #f59e0b;"
    " border-radius: 4px; padding: 6px 8px; }"
)
_MUTED = "color: palette(placeholder-text);"


def clients_and_projects(app: App) -> dict[str, list[str]]:
    """Each client's projects, both most recently used first (entries without a client
    cannot go into a bundle: a bundle is made for one client)."""
    found: dict[str, list[str]] = {}
    for name, client, _ in sorted(tracking.projects(app), key=lambda p: p[2], reverse=True):
        if client:
            found.setdefault(client, []).append(name)
    return found


def home_short(path: Path) -> str:
    """``~/Documents`` for a folder in the user's home."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "client"


def suggested_name(client: str, period: Period) -> str:
    """``acme-gmbh-2026-10.hproof`` for a calendar month, else first and last day."""
    whole_month = period_for("this_month", period.first) == period
    when = (
        period.first.strftime("%Y-%m") if whole_month
        else f"{period.first.isoformat()}-to-{period.last.isoformat()}"
    )  # fmt: skip
    return f"{_slug(client)}-{when}{SUFFIX}"


def csv_path_for(bundle: Path, fmt: str) -> Path:
    """The CSV beside the bundle: ``acme-2026-10-toggl.csv``."""
    return bundle.with_name(f"{bundle.stem}-{fmt}.csv")


def describe_result(result: ExportResult) -> str:
    # (counts as plain names: lupdate skips a translate() with ``a.b`` in its arguments)
    n_entries, n_leaves, n_anchors = result.entries, result.leaves, result.anchors
    entries = QCoreApplication.translate("export", "%n entr(y|ies)", "", n_entries)
    leaves = QCoreApplication.translate("export", "%n ledger lea(f|ves) disclosed", "", n_leaves)
    stamps = QCoreApplication.translate("export", "%n trusted timestamp(s)", "", n_anchors)
    return f"{entries}, {leaves}, {readable_size(result.bytes)}, {stamps}"


def readable_size(size: int) -> str:
    if size < 1024:
        return QCoreApplication.translate("export", "%n byte(s)", "", size)
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def run_export(app: App, request: ExportRequest) -> ExportResult:
    """The background job: the bundle, then the CSV (its refusals read as ServiceErrors)."""
    try:
        return export.export_bundle(app, request)
    except CsvExportError as exc:
        raise ServiceError(f"the bundle was written, but not the CSV: {exc}") from exc


def run_dispute_export(app: App, request: ExportRequest) -> tuple[ExportResult, Path]:
    """Export → "For a dispute": the bundle, then ``<name>.pdf`` (a statement for a
    platform reviewer with the bundle attached; services.dispute verifies it first)."""
    from hourproof.services.dispute import write_dispute_pdf
    from hourproof.services.errors import VerificationFailed

    result = run_export(app, request)
    try:
        return result, write_dispute_pdf(result.path)
    except (ServiceError, VerificationFailed) as exc:
        raise ServiceError(f"the bundle was written, but not the dispute PDF: {exc}") from exc


class ExportDialog(QDialog):
    """Choose what to export, run it in the background, show the outcome."""

    def __init__(
        self, host: Host, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.settings = settings
        self.busy = False
        self.outcome: ExportResult | None = None
        self._clients: dict[str, list[str]] = {}
        self._window_period: Period | None = None
        self._suggested = ""
        self.setWindowTitle(self.tr("Export proof"))
        self.setMinimumWidth(640)
        self._build()
        self._connect()

    # -- construction -------------------------------------------------------------

    def _build(self) -> None:
        intro = QLabel(
            self.tr(
                "A signed bundle of one client's hours: the entries, their ledger proofs, "
                "trusted timestamps and a printable statement. The client checks it with "
                "<i>hourproof verify</i> or with ssh-keygen and openssl alone."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(_MUTED)
        self.client = QComboBox()
        self.project = QComboBox()
        self.preset = QComboBox()
        self.first_day, self.last_day = QDateEdit(), QDateEdit()
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd dd MMM yyyy")
        days = QHBoxLayout()
        days.addWidget(self.first_day)
        days.addWidget(QLabel(self.tr("to")))
        days.addWidget(self.last_day)
        days.addStretch(1)
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("where to save the bundle ({0})").format(SUFFIX))
        self.path.setAccessibleName(self.tr("Save as"))
        self.choose = QPushButton(self.tr("Choose…"))
        self.choose.setAccessibleName(self.tr("Choose where to save the bundle"))
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.choose)
        self.with_csv = QCheckBox(self.tr("Also save the entries as a CSV for"))
        self.csv_format = QComboBox()
        for fmt in FORMATS:
            self.csv_format.addItem(_CSV_LABELS.get(fmt, fmt), fmt)
        self.csv_format.setEnabled(False)
        self.csv_format.setAccessibleName(self.tr("CSV format"))
        csv_row = QHBoxLayout()
        csv_row.addWidget(self.with_csv)
        csv_row.addWidget(self.csv_format)
        csv_row.addStretch(1)
        self.csv_hint = QLabel()
        self.csv_hint.setStyleSheet(_MUTED)
        self.for_dispute = QCheckBox(
            self.tr("For a &dispute: also write a PDF statement with the bundle")
        )
        self.for_dispute.setToolTip(
            self.tr(
                "<name>.pdf: per day the hours claimed and the evidence, when each entry was "
                "recorded, approvals and contests, and how to check it — with the .hproof "
                "attached, for a platform's dispute form"
            )
        )
        self.dispute_pdf: Path | None = None
        form = QFormLayout()
        form.addRow(self.tr("&Client:"), self.client)
        form.addRow(self.tr("&Project:"), self.project)
        form.addRow(self.tr("P&eriod:"), self.preset)
        form.addRow("", days)
        self.first_day.setAccessibleName(self.tr("First day"))
        self.last_day.setAccessibleName(self.tr("Last day"))
        save_label = QLabel(self.tr("&Save as:"))
        save_label.setBuddy(self.path)
        form.addRow(save_label, file_row)
        form.addRow("", csv_row)
        form.addRow("", self.csv_hint)
        form.addRow("", self.for_dispute)
        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.preview.setWordWrap(True)
        self.preview.setAccessibleName(self.tr("What the bundle discloses"))
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Discloses:"), self.preview)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: no measurable progress to report
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(_WARNING_STYLE)
        self.warnings.setVisible(False)
        self.open_folder = QPushButton(self.tr("Open folder"))
        self.open_folder.setVisible(False)
        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Close"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_folder)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.warnings)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.inputs: list[QWidget] = [
            self.client, self.project, self.preset, self.first_day, self.last_day, self.path,
            self.choose, self.with_csv, self.csv_format, self.for_dispute,
        ]  # fmt: skip

    def _connect(self) -> None:
        self.client.currentIndexChanged.connect(self._client_changed)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.first_day.dateChanged.connect(self._days_edited)
        self.last_day.dateChanged.connect(self._days_edited)
        self.path.textChanged.connect(self._update)
        self.with_csv.toggled.connect(self.csv_format.setEnabled)
        self.with_csv.toggled.connect(self._update)
        self.csv_format.currentIndexChanged.connect(self._update)
        self.choose.clicked.connect(self.choose_file)
        self.export_button.clicked.connect(self.start_export)
        self.close_button.clicked.connect(self.reject)
        self.open_folder.clicked.connect(self.show_folder)
        for signal in (
            self.client.currentIndexChanged, self.project.currentIndexChanged,
            self.first_day.dateChanged, self.last_day.dateChanged,
        ):  # fmt: skip
            signal.connect(self.refresh_preview)

    def refresh_preview(self, *_: object) -> None:
        """Exactly what the export would disclose: the client's entries of the period
        (count, projects, hours, amounts) and the key that signs it (read in the
        background)."""
        client = self.client.currentText()
        if not client:
            self.preview.setText("")
            return
        period, project = self.period(), self.project.currentData()
        query = browse.EntryQuery(period.lo, period.hi, client=client, project=project)

        def read(app: App) -> tuple[int, list[TotalRow], TotalRow, str]:
            from hourproof.ledger import keys
            from hourproof.services import ledger_ops

            rows, total = browse.totals(app, query, "project")
            fingerprint = keys.fingerprint(ledger_ops.public_key(app))  # no passphrase needed
            return browse.count(app, query), rows, total, fingerprint

        self._preview_for = query

        def show(found: tuple[int, list[TotalRow], TotalRow, str]) -> None:
            self._show_preview(query, *found)

        self.host.controller.read(read, show)

    def _show_preview(
        self, query: object, count: int, rows: list[TotalRow], total: TotalRow, key: str
    ) -> None:
        if query != getattr(self, "_preview_for", None):
            return  # the form changed meanwhile
        projects = ", ".join(r.key for r in rows) or self.tr("none")
        money = shown.amounts(total.amounts)
        hours = f"{shown.hours(total.seconds)} h" + (f", {money}" if money else "")
        text = self.tr(
            "%n entr(y|ies) of {0} ({1}), {2}, with their amendments and removals, ledger "
            "proofs and timestamps. Nothing about other clients. Signed by {3}.", "", count
        )  # fmt: skip
        self.preview.setText(text.format(self.client.currentText(), projects, hours, key))

    # -- filling in -------------------------------------------------------------------

    def prepare(self, window_period: Period | None) -> None:
        """Fresh choices each time the dialog opens (not while an export runs)."""
        if self.busy:
            return
        self._window_period = window_period
        self._clients = clients_and_projects(self.host.app)
        chosen = self.client.currentText()
        self.client.blockSignals(True)
        self.client.clear()
        self.client.addItems(list(self._clients))
        if chosen in self._clients:
            self.client.setCurrentText(chosen)
        self.client.blockSignals(False)
        self.preset.blockSignals(True)
        self.preset.clear()
        self.preset.addItem(self.tr("Last month"), "last_month")
        self.preset.addItem(self.tr("This month"), "this_month")
        if window_period is not None:
            shown = self.tr("As shown in the window ({0})").format(window_period.describe())
            self.preset.addItem(shown, "window")
        self.preset.addItem(self.tr("Custom"), "custom")
        self.preset.blockSignals(False)
        self.path.clear()
        self._show_outcome("", [], error=False)
        self._client_changed()
        self._preset_changed()
        if not self._clients:
            self.status.setText(
                self.tr(
                    "No entry has a client yet. A bundle is made for one client: set the "
                    "client on your entries first (Entries → Amend)."
                )
            )
        self._update()

    def _today(self) -> date:
        return local_day(self.host.controller.now())

    def period(self) -> Period:
        """The chosen days (inclusive), in order."""
        first, last = _day(self.first_day.date()), _day(self.last_day.date())
        return Period(min(first, last), max(first, last))

    def _set_days(self, period: Period) -> None:
        for edit, day in ((self.first_day, period.first), (self.last_day, period.last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _preset_changed(self, *_: object) -> None:
        key = self.preset.currentData()
        if key == "window" and self._window_period is not None:
            self._set_days(self._window_period)
        elif key in ("last_month", "this_month"):
            self._set_days(period_for(str(key), self._today()))
        self._suggest_path()
        self._update()

    def _days_edited(self, *_: object) -> None:
        custom = self.preset.findData("custom")
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(custom)
        self.preset.blockSignals(False)
        self._suggest_path()
        self._update()

    def _client_changed(self, *_: object) -> None:
        self.project.clear()
        self.project.addItem(self.tr("All projects"), None)
        for name in self._clients.get(self.client.currentText(), []):
            self.project.addItem(name, name)
        self._suggest_path()
        self._update()

    def _folder(self) -> Path:
        remembered = self.settings.value(FOLDER_KEY) if self.settings is not None else None
        if isinstance(remembered, str) and remembered and Path(remembered).is_dir():
            return Path(remembered)
        location = QStandardPaths.StandardLocation.DocumentsLocation
        return Path(QStandardPaths.writableLocation(location) or Path.home())

    def _suggest_path(self) -> None:
        """Keep the file name in step with client and period until the user picks one."""
        client = self.client.currentText()
        if not client:
            return
        current = Path(self.path.text()) if self.path.text() else None
        folder = current.parent if current is not None else self._folder()
        if current is None or current.name == self._suggested:
            self.path.setText(str(folder / suggested_name(client, self.period())))
        self._suggested = suggested_name(client, self.period())

    def choose_file(self) -> None:
        start = self.path.text() or str(self._folder())
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the proof bundle"),
            start,
            self.tr("Hour-proof bundles (*{0})").format(SUFFIX),
        )
        if chosen:
            self.path.setText(chosen if chosen.endswith(SUFFIX) else chosen + SUFFIX)

    def path_problem(self) -> str | None:
        """Why the typed "Save as" is not a file name (``/``, a folder …), or None."""
        text = self.path.text().strip()
        if not text:
            return None
        if text.endswith(("/", os.sep)) or not Path(text).expanduser().name:
            return self.tr("Type a file name after the folder, e.g. acme-2026-10.hproof.")
        if Path(text).expanduser().is_dir():
            return self.tr("That is a folder; add a file name, e.g. acme-2026-10.hproof.")
        return None

    def out_path(self) -> Path | None:
        text = self.path.text().strip()
        if not text or self.path_problem() is not None:
            return None
        path = Path(text).expanduser()
        return path if path.suffix == SUFFIX else path.with_name(path.name + SUFFIX)

    def _update(self, *_: object) -> None:
        out = self.out_path()
        ready = bool(self.client.currentText()) and out is not None and not self.busy
        self.export_button.setEnabled(ready)
        fmt = str(self.csv_format.currentData())
        problem = self.path_problem()
        show_hint = (self.with_csv.isChecked() and out is not None) or problem is not None
        if problem is not None:
            self.csv_hint.setText(problem)
        else:
            self.csv_hint.setText(
                self.tr("CSV: {0}").format(csv_path_for(out, fmt).name) if out else ""
            )
        self.csv_hint.setVisible(show_hint)

    # -- exporting -------------------------------------------------------------------------

    def request(self) -> ExportRequest | None:
        """The export the form describes, or None (with the reason shown) if incomplete."""
        out = self.out_path()
        client = self.client.currentText()
        if out is None or not client:
            return None
        if not out.parent.is_dir():
            text = self.tr("The folder {0} does not exist.").format(out.parent)
            self._show_outcome(text, [], error=True)
            return None
        period = self.period()
        fmt = str(self.csv_format.currentData())
        return ExportRequest(
            client=client, lo=period.lo, hi=period.hi, out=out,
            project=self.project.currentData(),
            csv_path=csv_path_for(out, fmt) if self.with_csv.isChecked() else None,
            csv_format=fmt,
        )  # fmt: skip

    def start_export(self) -> bool:
        """Start the export in the background; False when the form is incomplete."""
        if self.busy:
            return False
        req = self.request()
        if req is None:
            return False
        if req.out.exists() and not dialogs.confirm(
            self,
            self.tr("Replace bundle"),
            self.tr("{0} exists already. Replace it?").format(req.out.name),
        ):
            return False
        if self.settings is not None:
            self.settings.setValue(FOLDER_KEY, str(req.out.parent))
        self._set_busy(True)
        self._show_outcome(self.tr("Exporting {0}…").format(req.out.name), [], error=False)
        app = self.host.app
        self.dispute_pdf = None
        if self.for_dispute.isChecked():
            self.host.run_in_background(
                lambda: run_dispute_export(app, req), self._dispute_done, self._failed
            )
            return True
        self.host.run_in_background(lambda: run_export(app, req), self._done, self._failed)
        return True

    def _dispute_done(self, done: tuple[ExportResult, Path]) -> None:
        self.dispute_pdf = done[1]
        self._done(done[0])

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        for widget in self.inputs:
            widget.setEnabled(not busy)
        self.csv_format.setEnabled(not busy and self.with_csv.isChecked())
        self.close_button.setEnabled(not busy)
        self._update()

    def _done(self, result: ExportResult) -> None:
        self._set_busy(False)
        self.outcome = result
        exported = self.tr("Exported {0}").format(result.path.name)
        text = f"<b>{exported}</b><br>{describe_result(result)}"
        if self.dispute_pdf is not None:
            pdf = self.tr("<b>Dispute PDF {0}</b> (the bundle attached): {1}")
            text += "<br>" + pdf.format(self.dispute_pdf.name, self.dispute_pdf)
        where = self.tr("in {0}").format(home_short(result.path.parent))
        text += f"<br><span style='{_MUTED}'>{where}</span>"
        self._show_outcome(text, result.warnings, error=False)
        self.open_folder.setVisible(True)
        self.close_button.setFocus()

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self.outcome = None
        self._show_outcome(self.tr("Not exported: {0}").format(message), [], error=True)

    def _show_outcome(self, text: str, warnings: list[str], error: bool) -> None:
        self.status.setStyleSheet(_ERROR_STYLE if error else "")
        self.status.setText(text)
        self.warnings.setText("\n".join(f"⚠ {w[:1].upper()}{w[1:]}" for w in warnings))
        self.warnings.setVisible(bool(warnings))
        self.open_folder.setVisible(False)

    def show_folder(self) -> None:
        """Open the folder holding the bundle in the file manager."""
        if self.outcome is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.outcome.path.parent)))

    # -- closing: not while the export runs --------------------------------------------------

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()
        else:
            super().closeEvent(event)


class ExportFeature(QObject):
    """One dialog per window, reopened with fresh choices (a child of the window)."""

    def __init__(self, host: Host) -> None:
        super().__init__(host.window)
        self.host = host
        self.dialog: ExportDialog | None = None

    def open(self) -> ExportDialog:
        window = self.host.window
        if self.dialog is None:
            self.dialog = ExportDialog(self.host, window.settings, window)
        if not self.dialog.isVisible():
            self.dialog.prepare(window.entries.period())
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog


def install(host: Host) -> None:
    """File → "Export proof…" and the same in the tray menu."""
    feature = ExportFeature(host)
    action = QAction(QCoreApplication.translate("export", "E&xport proof…"), host.window)
    action.setShortcut("Ctrl+Shift+E")
    action.setStatusTip(
        QCoreApplication.translate(
            "export", "Save a signed, timestamped bundle of one client's hours"
        )
    )
    action.triggered.connect(feature.open)
    host.add_action("file", action)
    tray_action = QAction(QCoreApplication.translate("export", "Export proof…"), host.window)
    tray_action.triggered.connect(feature.open)
    host.add_tray_action(tray_action)
