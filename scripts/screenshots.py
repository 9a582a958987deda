"""Render the desktop app's screenshots into docs/screenshots (a dev tool, not shipped).

Needs an X server; Xvfb is enough::

    xvfb-run -s "-screen 0 1400x900x24" env PYTHONPATH=src python scripts/screenshots.py

A throwaway home is filled through the service layer with two weeks of invented but
realistic work (timers, manual entries, an amendment, a removal, hourly rates in two
currencies), recorded "as it happened" by stepping the app's clock, and anchored
with a throwaway RFC 3161 TSA on 127.0.0.1 (the test suite's). Evidence comes from
two throwaway git repositories (commits dated with GIT_AUTHOR_DATE) and invented
file-activity spans; HOME points into the throwaway folder, so paths read ``~/code/…``
and git reads no user configuration. Every image is the app rendering its own
widgets (``QWidget.grab``); nothing captures the screen.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
os.environ["HOURPROOF_DEFAULT_TSAS"] = "none"
os.environ["HOURPROOF_PASSPHRASE"] = ""
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
os.environ["GIT_CONFIG_GLOBAL"] = os.devnull
os.environ["GIT_CONFIG_NOSYSTEM"] = "1"
os.environ.setdefault("XDG_CACHE_HOME", str(Path.home() / ".cache"))  # keep the font cache
DEMO_ROOT = Path(tempfile.mkdtemp(prefix="hourproof-demo-"))
os.environ["HOME"] = str(DEMO_ROOT)  # before Qt starts: "~" and Documents are in the demo
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from PySide6.QtCore import QPoint, QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QGridLayout,
    QLabel,
    QWidget,
)
from scripts.approvals_demo import shoot_approvals  # noqa: E402
from scripts.desktop_demo import shoot_verify_and_settings  # noqa: E402
from scripts.shots import save, settle, wait_for  # noqa: E402
from scripts.timeline_demo import shoot_timeline  # noqa: E402

from hourproof.core.activity import ActivitySpan  # noqa: E402
from hourproof.core.money import Rate  # noqa: E402
from hourproof.gui.controller import Controller  # noqa: E402
from hourproof.gui.dialogs import EntryDialog  # noqa: E402
from hourproof.gui.evidence_panel import EvidencePanel  # noqa: E402
from hourproof.gui.export_dialog import ExportFeature  # noqa: E402
from hourproof.gui.extensions import GuiHost, install_features  # noqa: E402
from hourproof.gui.icons import tray_icon  # noqa: E402
from hourproof.gui.main import SETTINGS_NAME  # noqa: E402
from hourproof.gui.suggestions_panel import SuggestionsPanel  # noqa: E402
from hourproof.gui.tray import TrayController  # noqa: E402
from hourproof.gui.window import MainWindow  # noqa: E402
from hourproof.gui.workers import anchor_now, maintenance  # noqa: E402
from hourproof.services import anchoring, evidence, tracking  # noqa: E402
from hourproof.services.app import App  # noqa: E402
from hourproof.services.startup import open_home  # noqa: E402
from hourproof.services.tracking import Details  # noqa: E402

WEB, API, MIGRATION, INTERNAL = "Website relaunch", "Mobile API", "Data migration", "Internal"
ACME, NORTHWIND = "Acme GmbH", "Northwind Ltd"
CLIENTS = {WEB: ACME, MIGRATION: ACME, API: NORTHWIND, INTERNAL: None}

# (weekday 0=Mon, start "HH:MM", end, project, task, tags, note, source)
Plan = tuple[int, str, str, str, str, tuple[str, ...], str | None, str]
LAST_WEEK: list[Plan] = [
    (0, "09:00", "12:15", WEB, "Design review", ("frontend",), None, "timer"),
    (0, "13:00", "17:30", WEB, "Component library", ("frontend",), None, "timer"),
    (1, "08:45", "12:00", API, "Schema draft", ("backend",), None, "timer"),
    (1, "13:00", "15:45", API, "Auth endpoints", ("backend",), None, "timer"),
    (2, "09:30", "12:30", MIGRATION, "Source analysis", ("data",), None, "timer"),
    (2, "13:30", "14:00", INTERNAL, "Backups", ("admin",), None, "manual"),
    (3, "09:00", "17:00", WEB, "Templates", ("frontend",), "On site at Acme", "manual"),
    (4, "09:15", "12:45", API, "Pagination", ("backend",), None, "timer"),
    (4, "14:00", "15:00", INTERNAL, "Invoices", ("admin",), None, "manual"),
]
THIS_WEEK: list[Plan] = [
    (0, "08:55", "10:30", WEB, "Header & navigation", ("frontend",), None, "timer"),
    (0, "10:45", "12:30", WEB, "Accessibility audit", ("a11y", "frontend"), None, "timer"),
    (0, "13:30", "15:10", API, "Token refresh", ("backend",), None, "timer"),
    (0, "15:20", "16:05", INTERNAL, "Invoices October", ("admin",), None, "manual"),
    (1, "09:10", "11:40", API, "Rate limiting", ("backend",), None, "timer"),
    (1, "11:50", "12:20", API, "Planning call", ("meeting",), "Sprint 14 scope", "manual"),
    (1, "13:15", "16:45", MIGRATION, "Import scripts", ("data",), "Dry run on staging", "timer"),
    (1, "16:30", "17:30", WEB, "Client call", ("meeting",), None, "manual"),
    (2, "08:45", "11:15", WEB, "Checkout flow", ("frontend",), None, "timer"),
    (2, "11:30", "12:00", WEB, "Checkout flow", ("frontend",), None, "manual"),
]


# Evidence this week: (weekday, start, end) of file activity, and commit times with subjects.
WEB_ACTIVITY = [(0, "08:50", "10:32"), (0, "10:44", "12:31"), (1, "19:25", "21:10"),
                (2, "08:40", "11:20")]  # fmt: skip
MIGRATION_ACTIVITY = [(1, "13:20", "16:40")]
WEB_COMMITS = [
    (0, "09:41", "Header: sticky navigation on small screens"),
    (0, "10:28", "Navigation: keyboard focus order"),
    (0, "11:57", "Fix contrast of secondary buttons (WCAG AA)"),
    (0, "12:29", "Alt texts for the product gallery"),
    (1, "20:05", "Checkout: address form validation"),
    (1, "21:02", "Checkout: remember the last delivery address"),
    (2, "10:12", "Checkout: order summary"),
    (2, "11:14", "Checkout: payment step skeleton"),
]
API_COMMITS = [
    (0, "14:20", "Refresh tokens rotate on use"),
    (0, "15:06", "Token refresh: tests for expiry"),
    (1, "11:32", "Rate limiting per API key"),
]


class DemoClock:
    """The app's clock, stepped forward as the invented work happens."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def at(self, moment: datetime) -> None:
        self.now = max(self.now, moment)


def _local(day: datetime, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return day.replace(hour=hour, minute=minute, second=0).astimezone(UTC)


def record(
    app: App, clock: DemoClock, monday: datetime, plan: list[Plan], until: datetime
) -> list[int]:
    """Record the planned entries that end before ``until``; returns their ids."""
    ids = []
    for weekday, begin, end, project, task, tags, note, source in plan:
        day = monday + timedelta(days=weekday)
        start_at, end_at = _local(day, begin), _local(day, end)
        if end_at >= until - timedelta(hours=1, minutes=30):
            continue
        details = Details(client=CLIENTS[project], task=task, tags=tags, note=note)
        if source == "timer":
            clock.at(start_at)
            entry = tracking.start(app, project, details, start_at)
            clock.at(end_at)
            tracking.stop(app, end_at)
        else:
            clock.at(end_at + timedelta(minutes=7))
            entry = tracking.add(app, project, start_at, end_at, details)
        ids.append(entry.id)
    return ids


def fill_demo_home(app: App, clock: DemoClock, now: datetime) -> dict[str, int]:
    """Two weeks of work up to ``now``, a correction, a removal and a running timer."""
    local_now = now.astimezone()
    monday = (local_now - timedelta(days=local_now.weekday())).replace(hour=0, minute=0)
    tracking.set_rate(app, "project", WEB, Rate(9500, "EUR"))
    tracking.set_rate(app, "client", ACME, Rate(9500, "EUR"))
    tracking.set_rate(app, "project", API, Rate(11000, "USD"))
    record(app, clock, monday - timedelta(days=7), LAST_WEEK, now)
    ids = record(app, clock, monday, THIS_WEEK, now)
    found = {}
    call = next((i for i in ids if tracking.history(app, i)[0].task == "Client call"), None)
    if call is not None:
        clock.at(clock.now + timedelta(hours=2))
        start = tracking.history(app, call)[0].start + timedelta(minutes=30)
        tracking.amend(app, call, "call started at 17:00, not 16:30", Details(), begin=start)
        found["amended"] = call
    dup = [i for i in ids if tracking.history(app, i)[0].source == "manual"][-1:]
    if dup:
        clock.at(clock.now + timedelta(minutes=3))
        tracking.remove(app, dup[0], "duplicate: the timer already recorded this")
    begin = now - timedelta(hours=1, minutes=22, seconds=47)
    clock.at(begin)
    details = Details(client=NORTHWIND, task="Push notifications", tags=("backend",))
    tracking.start(app, API, details, begin)
    clock.at(now)
    return found


def _git(repo: Path, *args: str, when: datetime | None = None) -> None:
    env = dict(os.environ)
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def _repo(path: Path, commits: list[tuple[int, str, str]], monday: datetime, now: datetime) -> None:
    """A repository whose commits by the demo user happened at the planned times."""
    path.mkdir(parents=True)
    _git(path, "init", "-q", "-b", "main")
    _git(path, "config", "user.email", "dev@example.org")
    _git(path, "config", "user.name", "Demo Developer")
    for n, (weekday, hhmm, subject) in enumerate(commits):
        when = _local(monday + timedelta(days=weekday), hhmm)
        if when >= now - timedelta(minutes=90):
            continue
        (path / f"change-{n}.txt").write_text(subject + "\n")
        _git(path, "add", ".")
        _git(path, "commit", "-q", "-m", subject, when=when)


def add_evidence(app: App, now: datetime) -> None:
    """Two registered repositories and two watched folders with this week's activity."""
    local_now = now.astimezone()
    monday = (local_now - timedelta(days=local_now.weekday())).replace(hour=0, minute=0)
    code = DEMO_ROOT / "code"
    _repo(code / "website", WEB_COMMITS, monday, now)
    _repo(code / "mobile-api", API_COMMITS, monday, now)
    (DEMO_ROOT / "Documents" / "migration").mkdir(parents=True)
    evidence.add_repo(app, str(code / "website"), WEB, ACME)
    evidence.add_repo(app, str(code / "mobile-api"), API, NORTHWIND, subjects=False)
    site = evidence.add_watch(app, str(code / "website"), WEB, ACME)
    docs = evidence.add_watch(app, str(DEMO_ROOT / "Documents" / "migration"), MIGRATION, ACME)
    for watch, plan, files in (
        (site, WEB_ACTIVITY, ("src/checkout.ts", "src/header.ts", "styles/main.css")),
        (docs, MIGRATION_ACTIVITY, ("mapping.xlsx", "import.sql")),
    ):
        for weekday, begin, end in plan:
            day = monday + timedelta(days=weekday)
            span = ActivitySpan(_local(day, begin), _local(day, end), files, 40)
            if span.end < now - timedelta(minutes=90):
                evidence.record_span(app, watch, span)


def tray_icons_strip() -> QWidget:
    strip = QWidget()
    strip.setStyleSheet("background: palette(window);")
    grid = QGridLayout(strip)
    grid.setContentsMargins(18, 14, 18, 14)
    grid.setHorizontalSpacing(36)
    for column, (state, words) in enumerate(
        (("idle", "No timer"), ("running", "Timer running"), ("warning", "Anchoring needs you"))
    ):
        for row, size in enumerate((22, 44)):
            icon = QLabel()
            icon.setPixmap(tray_icon(state).pixmap(size, size))
            icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(icon, row, column)
        label = QLabel(words)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(label, 2, column)
    return strip


def shoot_evidence(qapp: QApplication, window: MainWindow, out: Path) -> None:
    """The Evidence tab after "Scan now", then the Suggestions tab of this week."""
    panel = window.findChild(EvidencePanel)
    suggestions = window.findChild(SuggestionsPanel)
    if panel is None or suggestions is None:
        raise SystemExit("the evidence features did not install")
    window.tabs.setCurrentWidget(panel)
    panel.scan_now()
    wait_for(qapp, lambda: not panel.busy)
    panel.repos.selectRow(0)
    settle(qapp)
    save(window, out / "evidence-tab.png")
    window.tabs.setCurrentWidget(suggestions)
    wait_for(qapp, lambda: not window.controller.busy)
    unclaimed = [v for v in suggestions.views if v.claimed_overlap == 0]
    if unclaimed:
        suggestions.select(max(unclaimed, key=lambda v: v.suggestion.seconds).suggestion.id)
    settle(qapp)
    save(window, out / "suggestions-tab.png")
    window.tabs.setCurrentIndex(0)


def shoot_export(qapp: QApplication, window: MainWindow, out: Path) -> Path:
    """The export dialog after exporting this week for Acme."""
    feature = window.findChild(ExportFeature)
    if feature is None:
        raise SystemExit("the export feature did not install")
    (DEMO_ROOT / "Documents").mkdir(exist_ok=True)
    dialog = feature.open()
    dialog.client.setCurrentText(ACME)
    dialog.preset.setCurrentIndex(dialog.preset.findData("window"))
    dialog.with_csv.setChecked(True)
    dialog.start_export()
    wait_for(qapp, lambda: not dialog.busy)
    if dialog.outcome is None:
        raise SystemExit(f"export failed: {dialog.status.text()}")
    settle(qapp)
    save(dialog, out / "export-dialog.png")
    dialog.close()
    return dialog.outcome.path


def shoot_clients(qapp: QApplication, window: MainWindow, out: Path) -> None:
    """The clients and projects dialog (a client and a project added before any entry),
    and the passphrase prompt asked when a locked key is first needed."""
    from hourproof.gui.clients_dialog import ClientsDialog
    from hourproof.gui.passphrase_dialog import PassphraseDialog
    from hourproof.services import clients

    controller = window.controller
    clients.add(controller.app, "client", "Globex")
    clients.add(controller.app, "project", "intranet", ACME)
    controller.refresh()
    dialog = ClientsDialog(controller, window)
    dialog.period.setCurrentIndex(dialog.period.findData("all"))  # the demo's whole month
    dialog.resize(860, 640)
    dialog.show()
    wait_for(qapp, lambda: not controller.busy and dialog.model.rowCount() > 0)
    index = dialog.model.find("project", WEB)
    if index.isValid():
        dialog.tree.setCurrentIndex(index)
    settle(qapp)
    save(dialog, out / "clients-dialog.png")
    dialog.close()
    prompt = PassphraseDialog(controller.app, window, deferred=True, problem="stored-wrong")
    prompt.show()
    settle(qapp)
    save(prompt, out / "passphrase-when-needed.png")
    prompt.close()


def shoot(out: Path, keep_home: bool) -> None:
    from tests.support.tsa import TestTsa

    out.mkdir(parents=True, exist_ok=True)
    qapp = QApplication(sys.argv[:1])
    qapp.setApplicationName("hourproof")
    qapp.setDesktopFileName("io.hourproof.Hourproof")
    home = DEMO_ROOT / "home"
    now = datetime.now(UTC).replace(microsecond=0)
    clock = DemoClock(now - timedelta(days=30))
    app = open_home(home)
    app.clock = clock
    found = fill_demo_home(app, clock, now)
    add_evidence(app, now)
    with TestTsa(mode="ok") as tsa:
        anchoring.add_tsa(app, "local-tsa", tsa.url, tsa.root_pem)
        clock.at(now - timedelta(minutes=9))
        anchor_now(app)
        clock.at(now)

        settings = QSettings(str(home / SETTINGS_NAME), QSettings.Format.IniFormat)
        controller = Controller(app)
        window = MainWindow(controller, settings)
        host = GuiHost(controller, window)
        install_features(host)
        window.resize(1300, 760)
        window.show()
        controller.refresh()
        wait_for(qapp, lambda: controller.loaded and not controller.busy)
        if "amended" in found:
            window.entries.select_entry(found["amended"])
        settle(qapp)
        save(window, out / "main-window.png")

        tray = TrayController(controller, window, qapp.quit, host.tray_actions)
        tray.menu.aboutToShow.emit()
        tray.menu.popup(window.mapToGlobal(QPoint(200, 120)))
        settle(qapp)
        save(tray.menu, out / "tray-menu.png")
        tray.menu.hide()

        dialog = EntryDialog(controller.recent_projects(), now, None, window)
        dialog.project.setEditText(WEB)
        dialog.client.setText(ACME)
        dialog.task.setText("Launch checklist")
        dialog.tags.setText("frontend, release")
        dialog.note.setText("Forgot to start the timer")
        dialog.show()
        settle(qapp)
        save(dialog, out / "add-entry.png")
        dialog.close()

        entry = window.selected_entry()
        if entry is not None:
            amend = EntryDialog(controller.recent_projects(), now, entry, window)
            amend.note.setText("Agreed scope for the launch")
            amend.show()
            settle(qapp)
            save(amend, out / "amend-entry.png")
            amend.close()

        if "amended" in found:
            shown: list[QWidget] = []
            window.history_shown.connect(shown.append)
            window.show_history()
            wait_for(qapp, lambda: bool(shown) or not controller.busy)
            if shown:
                settle(qapp)
                save(shown[0], out / "entry-history.png")
                shown[0].close()

        shoot_clients(qapp, window, out)
        shoot_evidence(qapp, window, out)
        bundle = shoot_export(qapp, window, out)
        shoot_verify_and_settings(qapp, controller, bundle, DEMO_ROOT, out)

        tsa.mode = "down"
        clock.at(now + timedelta(minutes=1))
        controller.stop_timer()
        wait_for(qapp, lambda: not controller.busy)
        maintenance(app)
        controller.refresh()
        wait_for(qapp, lambda: not controller.busy)
        settle(qapp)
        save(window, out / "main-window-warning.png")

    empty_app = open_home(home.parent / "first-run")
    empty_app.clock = lambda: now
    blank = QSettings(str(empty_app.home.root / SETTINGS_NAME), QSettings.Format.IniFormat)
    first_controller = Controller(empty_app)
    first = MainWindow(first_controller, blank)
    install_features(GuiHost(first_controller, first))
    first.resize(1000, 560)
    first.show()
    first_controller.refresh()
    wait_for(qapp, lambda: first_controller.loaded and not first_controller.busy)
    settle(qapp)
    save(first, out / "first-run.png")
    first.close()
    first_controller.shutdown()
    empty_app.close()

    shoot_timeline(qapp, DEMO_ROOT, out)  # timeline-week(-dark).png, idle-prompt/-settings.png
    shoot_approvals(qapp, DEMO_ROOT, window, out)  # verify-approve(d).png, approve-dialog.png …

    strip = tray_icons_strip()
    strip.show()
    settle(qapp)
    save(strip, out / "tray-icons.png")
    window.close()
    controller.shutdown()
    app.close()
    if keep_home:
        print(f"demo home kept at {home}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--keep-home", action="store_true", help="print the demo home's path")
    args = parser.parse_args(argv)
    shoot(args.out.resolve(), args.keep_home)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
