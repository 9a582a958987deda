"""The Timeline and idle-prompt screenshots (called by scripts/screenshots.py).

A throwaway home holds one realistic working week, recorded "as it happened" by
stepping the app's clock: timers and manual entries for three projects, commits
and file-activity spans as ledger evidence (some of it not yet claimed, so the
timeline shows suggestions), an absence discarded through the idle prompt's
service call, and a timer running on Friday afternoon. Every image is the app
rendering its own widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from scripts.shots import save, settle, wait_for

from hourproof.core import leaves as lk
from hourproof.core.idle import Away
from hourproof.core.timeparse import to_rfc3339
from hourproof.gui.controller import Controller
from hourproof.gui.extensions import GuiHost, install_features
from hourproof.gui.idle_prompt import IdlePrompt, IdleSettings
from hourproof.gui.main import SETTINGS_NAME
from hourproof.gui.timeline_panel import WEEK, TimelinePanel
from hourproof.gui.window import MainWindow
from hourproof.services import idle, tracking
from hourproof.services.app import App
from hourproof.services.startup import open_home
from hourproof.services.tracking import Details

WEB, API, MIGRATION = "Website relaunch", "Mobile API", "Data migration"
CLIENT = {WEB: "Acme GmbH", MIGRATION: "Acme GmbH", API: "Northwind Ltd"}

# (weekday, start, end, project, task, source)
ENTRIES = [
    (0, "08:50", "12:10", WEB, "Header & navigation", "timer"),
    (0, "13:05", "17:20", WEB, "Accessibility audit", "timer"),
    (1, "09:15", "12:00", API, "Token refresh", "timer"),
    (1, "13:00", "16:30", MIGRATION, "Import scripts", "timer"),
    (2, "08:40", "12:30", WEB, "Checkout flow", "timer"),  # away 10:40-11:05 discarded
    (2, "13:30", "15:00", API, "Planning call", "manual"),
    (3, "13:00", "17:45", MIGRATION, "Dry run on staging", "timer"),
    (4, "08:30", "12:15", WEB, "Launch checklist", "timer"),
]
# Commits: (weekday, "HH:MM", project). Tuesday evening and Thursday morning are unclaimed.
COMMITS = [
    (0, "09:40", WEB), (0, "10:25", WEB), (0, "11:55", WEB), (0, "14:30", WEB),
    (0, "15:10", WEB), (0, "16:45", WEB), (1, "10:05", API), (1, "11:30", API),
    (1, "19:50", WEB), (1, "20:15", WEB), (1, "20:50", WEB), (2, "09:35", WEB),
    (2, "10:20", WEB), (2, "12:05", WEB), (3, "09:05", API), (3, "09:35", API),
    (3, "10:10", API), (3, "10:45", API), (3, "11:20", API), (4, "09:20", WEB),
    (4, "10:40", WEB), (4, "11:50", WEB), (4, "14:50", API), (4, "15:30", API),
]  # fmt: skip
# File activity: (weekday, start, end, project)
SPANS = [
    (0, "08:52", "10:30", WEB), (0, "10:45", "12:05", WEB), (0, "13:10", "17:15", WEB),
    (1, "13:05", "16:25", MIGRATION), (1, "19:30", "21:00", WEB),
    (2, "08:45", "10:38", WEB), (2, "11:08", "12:25", WEB),
    (3, "13:05", "17:40", MIGRATION), (4, "08:35", "12:10", WEB),
]  # fmt: skip
AWAY = (2, "10:40", "11:05")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def at(self, moment: datetime) -> None:
        self.now = max(self.now, moment)


def _at(monday: datetime, weekday: int, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    day = monday + timedelta(days=weekday)
    return day.replace(hour=hour, minute=minute, second=0).astimezone(UTC)


def _commit(app: App, when: datetime, project: str, n: int) -> None:
    with app.write() as txn:
        txn.append(lk.GIT_COMMIT, {
            "repo": "demo-" + project[:3].lower(), "project": project, "client": CLIENT[project],
            "commit": f"{n + 0xA1B2C3:040x}", "object_format": "sha1",
            "object_sha256": f"{n:064x}", "author_date": to_rfc3339(when),
            "committer_date": to_rfc3339(when), "files_changed": 3, "insertions": 40,
            "deletions": 12,
        })  # fmt: skip


def _span(app: App, start: datetime, end: datetime, project: str) -> None:
    with app.write() as txn:
        txn.append(lk.FILE_ACTIVITY, {
            "watch": "demo-" + project[:3].lower(), "project": project,
            "client": CLIENT[project], "start": to_rfc3339(start), "end": to_rfc3339(end),
            "files": ["src/app.ts", "styles/main.css"], "more_files": 0, "events": 60,
        })  # fmt: skip


def fill_week(app: App, clock: Clock, monday: datetime) -> None:
    """The week, in the order it happened (evidence, entries, the absence)."""
    events: list[tuple[datetime, int, Callable[[], object]]] = []
    for n, (day, hhmm, project) in enumerate(COMMITS):
        when = _at(monday, day, hhmm)
        events.append((when, 1, lambda w=when, p=project, n=n: _commit(app, w, p, n)))
    for day, begin, end, project in SPANS:
        s, e = _at(monday, day, begin), _at(monday, day, end)
        events.append((e, 1, lambda s=s, e=e, p=project: _span(app, s, e, p)))
    for day, begin, end, project, task, source in ENTRIES:
        s, e = _at(monday, day, begin), _at(monday, day, end)
        details = Details(client=CLIENT[project], task=task)
        if source == "timer":
            events.append((s, 0, lambda s=s, p=project, d=details: tracking.start(app, p, d, s)))
            events.append((e, 2, lambda e=e: tracking.stop(app, e)))
        else:
            add = lambda s=s, e=e, p=project, d=details: tracking.add(app, p, s, e, d)  # noqa: E731
            events.append((e + timedelta(minutes=5), 1, add))
    away = Away(_at(monday, AWAY[0], AWAY[1]), _at(monday, AWAY[0], AWAY[2]))
    events.append((away.end + timedelta(seconds=20), 1,
                   lambda: idle.resolve(app, away, idle.DISCARD, "xscreensaver")))  # fmt: skip
    running = _at(monday, 4, "14:05")  # Friday afternoon: the timer still runs
    details = Details(client=CLIENT[API], task="Push notifications")
    events.append((running, 0, lambda: tracking.start(app, API, details, running)))
    for when, _, action in sorted(events, key=lambda item: (item[0], item[1])):
        clock.at(when)
        action()


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2e"), (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Base, "#1f1f22"), (QPalette.ColorRole.AlternateBase, "#26262a"),
        (QPalette.ColorRole.Text, "#e6e6e6"), (QPalette.ColorRole.Button, "#35353a"),
        (QPalette.ColorRole.ButtonText, "#e6e6e6"), (QPalette.ColorRole.Highlight, "#3d8ee8"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
        (QPalette.ColorRole.PlaceholderText, "#9a9aa0"), (QPalette.ColorRole.Mid, "#505055"),
        (QPalette.ColorRole.ToolTipBase, "#35353a"), (QPalette.ColorRole.ToolTipText, "#e6e6e6"),
    ):  # fmt: skip
        palette.setColor(role, QColor(colour))
    return palette


def shoot_timeline(qapp: QApplication, root: Path, out: Path) -> None:
    """timeline-week.png (light), timeline-week-dark.png, idle-prompt.png, idle-settings.png."""
    local_now = datetime.now().astimezone()
    this_monday = (local_now - timedelta(days=local_now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0)  # fmt: skip
    monday = this_monday - timedelta(days=7)
    clock = Clock((monday - timedelta(days=1)).astimezone(UTC))
    app = open_home(root / "timeline-home")
    app.clock = clock
    fill_week(app, clock, monday)
    friday_now = _at(monday, 4, "16:10")
    clock.at(friday_now)

    settings = QSettings(str(app.home.root / SETTINGS_NAME), QSettings.Format.IniFormat)
    controller = Controller(app)
    window = MainWindow(controller, settings)
    install_features(GuiHost(controller, window))
    panel = window.findChild(TimelinePanel)
    if panel is None:
        raise SystemExit("the timeline feature did not install")
    window.resize(1300, 760)
    controller.refresh_now()
    window.show()
    window.tabs.setCurrentWidget(panel)
    panel.set_mode(WEEK)
    wait_for(
        qapp,
        lambda: panel.data is not None and bool(panel.data.entries),
        30,
        "the timeline to load",
    )
    settle(qapp, 5)
    panel.view.set_view(7.0, 15.0)
    open_ones = [
        i for i in panel.view.layout_model().items if i.kind == "suggestion" and not i.muted
    ]
    if open_ones:
        panel.view.select(open_ones[0].kind, open_ones[0].key)
    settle(qapp, 5)
    save(window, out / "timeline-week.png")

    light = qapp.palette()
    qapp.setPalette(dark_palette())
    settle(qapp, 5)
    save(window, out / "timeline-week-dark.png")
    qapp.setPalette(light)

    away = Away(friday_now - timedelta(minutes=47), friday_now - timedelta(seconds=5))
    prompt = IdlePrompt(away, API, window)
    prompt.show()
    settle(qapp, 5)
    save(prompt, out / "idle-prompt.png")
    prompt.close()

    from hourproof.sources import idle as idle_sources

    settings_dialog = IdleSettings(idle_sources.describe(idle_sources.choose()[1]),
                                   idle.threshold(app), window)  # fmt: skip
    settings_dialog.show()
    settle(qapp, 5)
    save(settings_dialog, out / "idle-settings.png")
    settings_dialog.close()
    window.close()
    controller.shutdown()
    app.close()
