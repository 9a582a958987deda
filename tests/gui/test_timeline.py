"""The Timeline tab: geometry of a known week, click-to-accept, drag-to-amend, zoom."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor

from hourproof.core import leaves as lk
from hourproof.core.entries import Entry
from hourproof.core.sessions import GIT_COMMIT, Suggestion
from hourproof.core.timeparse import local_day_start, to_rfc3339
from hourproof.gui import dialogs, timeline_panel
from hourproof.gui.dialogs import AmendRequest
from hourproof.gui.timeline import (
    ACTIVITY,
    COMMIT,
    ENTRY,
    HEADER_HEIGHT,
    IDLE,
    LABEL_WIDTH,
    SUGGESTION,
    TimelineLayout,
    TimelineView,
    is_dark,
    project_colour,
)
from hourproof.gui.timeline_panel import DAY, WEEK, TimelinePanel
from hourproof.services import tracking
from hourproof.services.suggestions import SuggestionView
from hourproof.services.timeline import Mark, TimelineData
from hourproof.services.tracking import Details

MONDAY = date(2026, 11, 23)  # the conftest clock says Wednesday 25 Nov, 15:00 UTC
WEEK_DAYS = [MONDAY + timedelta(days=i) for i in range(7)]
WIDTH = LABEL_WIDTH + 960  # 40 px per hour over 24 hours
ROW = 80.0


def at(day: int, hour: float) -> datetime:
    return local_day_start(MONDAY + timedelta(days=day)) + timedelta(hours=hour)


def entry(entry_id: int, project: str, start: datetime, end: datetime | None) -> Entry:
    return Entry(entry_id, project, "acme", None, (), None, start, end, "manual")


def known_week() -> TimelineData:
    suggestion = Suggestion("s-0123456789", "web", "acme", at(1, 8.5), at(1, 10 + 1 / 6), 6000,
                            (10, 11, 12, 13))  # fmt: skip
    return TimelineData(
        lo=at(0, 0), hi=at(7, 0), now=at(2, 15),
        entries=(
            entry(1, "web", at(0, 9), at(0, 11)),
            entry(2, "api", at(0, 13), at(0, 17.5)),
            entry(3, "web", at(3, 22), at(4, 2)),  # crosses midnight
            entry(4, "api", at(2, 14), None),  # running at "now"
        ),
        suggestions=(SuggestionView(suggestion, 0),),
        marks=(
            Mark(10, GIT_COMMIT, "web", at(1, 9), at(1, 9)),
            Mark(20, "file.activity", "web", at(0, 9.25), at(0, 10.5)),
            Mark(30, "idle", "api", at(0, 15), at(0, 15.5)),
        ),
    )  # fmt: skip


def layout_of(data: TimelineData, first_hour: float = 0.0, hours: float = 24.0) -> TimelineLayout:
    return TimelineLayout(data, WEEK_DAYS, WIDTH, HEADER_HEIGHT + 7 * ROW, first_hour, hours)


def rects(layout: TimelineLayout, kind: str, key: str) -> list[tuple[float, float, float, int]]:
    return [(i.rect.x(), i.rect.width(), i.rect.y(), i.day) for i in layout.of(kind, key)]


# -- geometry --------------------------------------------------------------------------------


def test_entries_are_bars_at_their_hours_on_their_day_row() -> None:
    layout = layout_of(known_week())
    assert layout.px_per_hour == 40 and layout.row_height == ROW
    lane = layout.rows[0].entry_lane
    assert lane.top() == pytest.approx(HEADER_HEIGHT + ROW * 0.045)
    assert rects(layout, ENTRY, "1") == [(LABEL_WIDTH + 360, 80, lane.top(), 0)]
    assert rects(layout, ENTRY, "2") == [(LABEL_WIDTH + 520, 180, lane.top(), 0)]


def test_an_entry_over_midnight_is_split_between_the_two_days() -> None:
    layout = layout_of(known_week())
    (late, early) = layout.of(ENTRY, "3")
    assert (late.day, late.rect.x(), late.rect.width()) == (3, LABEL_WIDTH + 880, 80)
    assert (early.day, early.rect.x(), early.rect.width()) == (4, LABEL_WIDTH, 80)
    assert late.clipped_end and early.clipped_start


def test_a_running_entry_reaches_now() -> None:
    (item,) = layout_of(known_week()).of(ENTRY, "4")
    assert (item.day, item.rect.x(), item.rect.width()) == (2, LABEL_WIDTH + 560, 40)


def test_suggestions_and_evidence_lie_in_lanes_beneath_the_entries() -> None:
    layout = layout_of(known_week())
    row = layout.rows[1]
    (s,) = layout.of(SUGGESTION, "s-0123456789")
    assert s.rect.top() == row.suggestion_lane.top() > row.entry_lane.bottom()
    assert s.rect.x() == LABEL_WIDTH + 340 and s.rect.width() == pytest.approx(66.67, abs=0.01)
    (tick,) = layout.of(COMMIT, "10")
    assert tick.rect.top() == row.evidence_lane.top() > s.rect.bottom()
    assert tick.rect.center().x() == LABEL_WIDTH + 360 and tick.rect.width() == 2
    (span,) = layout.of(ACTIVITY, "20")
    assert (span.day, span.rect.x(), span.rect.width()) == (0, LABEL_WIDTH + 370, 50)
    (away,) = layout.of(IDLE, "30")
    assert (away.day, away.rect.x(), away.rect.width()) == (0, LABEL_WIDTH + 600, 20)


def test_zoomed_and_scrolled_layout_moves_bars() -> None:
    layout = layout_of(known_week(), first_hour=8, hours=4)  # 240 px per hour from 08:00
    assert rects(layout, ENTRY, "1")[0][:2] == (LABEL_WIDTH + 240, 480)


def test_hit_testing_finds_entries_suggestions_and_edges() -> None:
    layout = layout_of(known_week())
    (bar,) = layout.of(ENTRY, "1")
    hit = layout.hit(bar.rect.center())
    assert hit is not None and (hit.kind, hit.key) == (ENTRY, "1")
    grabbed = layout.edge(QPointF(bar.rect.right() - 1, bar.rect.center().y()))
    assert grabbed is not None and grabbed[1] == "end"
    assert layout.edge(QPointF(bar.rect.center().x(), bar.rect.center().y())) is None
    (s,) = layout.of(SUGGESTION, "s-0123456789")
    found = layout.hit(s.rect.center())
    assert found is not None and found.kind == SUGGESTION


def test_focus_order_reads_rows_then_time() -> None:
    order = [(i.kind, i.key) for i in layout_of(known_week()).focus_order()]
    assert order == [(ENTRY, "1"), (ENTRY, "2"), (SUGGESTION, "s-0123456789"), (ENTRY, "4"),
                     (ENTRY, "3"), (ENTRY, "3")]  # fmt: skip


# -- painting --------------------------------------------------------------------------------


@pytest.fixture
def view(qtbot) -> TimelineView:
    widget = TimelineView()
    qtbot.addWidget(widget)
    widget.set_days(WEEK_DAYS)
    widget.set_data(known_week())
    widget.resize(WIDTH, int(HEADER_HEIGHT + 7 * ROW))
    widget.show()
    return widget


def test_painting_a_week_offscreen_fills_each_bar_with_its_project_colour(view) -> None:
    image = view.grab().toImage()
    scale = image.devicePixelRatio()
    dark = is_dark(view.palette())
    for key, project in (("1", "web"), ("2", "api")):
        (item,) = view.layout_model().of(ENTRY, key)
        x, y = item.rect.left() + 3, item.rect.bottom() - 2  # clear of the text label
        pixel = QColor(image.pixel(int(x * scale), int(y * scale)))
        assert pixel.name() == project_colour(project, dark).name()
    base = view.palette().color(view.backgroundRole().Base)
    empty = QColor(image.pixel(int((LABEL_WIDTH + 60) * scale), int((HEADER_HEIGHT + 10) * scale)))
    assert empty.name() != project_colour("web", dark).name()
    assert base.isValid()


def test_a_dark_palette_is_followed(view) -> None:
    from PySide6.QtGui import QPalette

    palette = QPalette(view.palette())
    palette.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#181818"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#1c1c1c"))
    view.setPalette(palette)
    image = view.grab().toImage()
    corner = QColor(image.pixel(LABEL_WIDTH + 2, HEADER_HEIGHT + 2))
    assert corner.lightness() < 60  # the row background, not a hard-coded light colour
    (item,) = view.layout_model().of(ENTRY, "1")
    x, y = item.rect.left() + 3, item.rect.bottom() - 2
    pixel = QColor(
        image.pixel(int(x * image.devicePixelRatio()), int(y * image.devicePixelRatio()))
    )
    assert pixel.name() == project_colour("web", True).name()


def test_clicking_a_suggestion_asks_to_accept_it(view, qtbot) -> None:
    (s,) = view.layout_model().of(SUGGESTION, "s-0123456789")
    with qtbot.waitSignal(view.accept_requested) as signal:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=s.rect.center().toPoint())
    assert signal.args == ["s-0123456789"]


def test_dragging_an_entry_end_asks_to_amend_it_snapped_to_five_minutes(view, qtbot) -> None:
    (bar,) = view.layout_model().of(ENTRY, "1")
    y = int(bar.rect.center().y())
    start = QPoint(int(bar.rect.right()), y)
    target = QPoint(int(bar.rect.right() + 41), y)  # one hour and a bit later
    with qtbot.waitSignal(view.amend_requested) as signal:
        qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(view, target)
        qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=target)
    assert signal.args == [1, None, at(0, 12)]


def test_dragging_a_start_edge_changes_only_the_start(view, qtbot) -> None:
    (bar,) = view.layout_model().of(ENTRY, "2")
    y = int(bar.rect.center().y())
    target = QPoint(int(bar.rect.left() - 20), y)  # half an hour earlier
    with qtbot.waitSignal(view.amend_requested) as signal:
        qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(int(bar.rect.left()), y))
        qtbot.mouseMove(view, target)
        qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=target)
    assert signal.args == [2, at(0, 12.5), None]


def test_ctrl_wheel_zooms_around_the_pointer_and_buttons_zoom_out(view, qtbot) -> None:
    view.set_view(0, 24)
    view.zoom(2.0, anchor_x=LABEL_WIDTH + 400)  # 10:00 under the pointer
    assert (view.first_hour, view.hours) == (5.0, 12.0)
    assert view.layout_model().time_at(0, LABEL_WIDTH + 400) == at(0, 10)
    view.zoom(0.1)
    assert (view.first_hour, view.hours) == (0.0, 24.0)  # never beyond the whole day


def test_fit_shows_the_hours_with_anything_in_them(view) -> None:
    view.set_data(TimelineData(at(0, 0), at(7, 0), at(2, 15),
                               (entry(1, "web", at(0, 9), at(0, 11)),), (), ()))  # fmt: skip
    view.fit_to_data()
    assert (view.first_hour, view.hours) == (8.0, 8.0)


def test_keyboard_selects_in_order_and_enter_accepts_a_suggestion(view, qtbot) -> None:
    view.setFocus()
    view.selected = None
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.selected == (SUGGESTION, "s-0123456789")
    assert "Suggested session" in view.accessibleDescription()
    with qtbot.waitSignal(view.accept_requested):
        qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    with qtbot.waitSignal(view.entry_activated) as signal:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert signal.args == [2]


def test_the_view_has_an_accessible_name(qtbot) -> None:
    fresh = TimelineView()  # nothing selected yet (a shown view selects on focus)
    qtbot.addWidget(fresh)
    assert fresh.accessibleName() == "Timeline"
    assert "Tab, Left and Right step through the bars" in fresh.accessibleDescription()


# -- the tab, on a real home ------------------------------------------------------------------


def record_commits(app, *moments: datetime, project: str = "web") -> None:
    with app.write() as txn:
        for n, when in enumerate(moments):
            txn.append(lk.GIT_COMMIT, {
                "repo": "r1", "project": project, "client": "acme", "commit": f"{n:040x}",
                "object_format": "sha1", "object_sha256": "0" * 64,
                "author_date": to_rfc3339(when), "committer_date": to_rfc3339(when),
            })  # fmt: skip


class PanelHost:
    """The part of the app's Host the Timeline tab uses, without the entries window."""

    def __init__(self, controller) -> None:
        from PySide6.QtWidgets import QMainWindow

        self.controller = controller
        self.app = controller.app
        self.window = QMainWindow()
        self.errors: list[str] = []

    def show_error(self, message: str) -> None:
        self.errors.append(message)


@pytest.fixture
def panel(controller, qtbot) -> Iterator[TimelinePanel]:
    host = PanelHost(controller)
    qtbot.addWidget(host.window)
    widget = TimelinePanel(host)  # type: ignore[arg-type]
    host.window.setCentralWidget(widget)
    host.window.resize(1200, 600)
    yield widget
    settle(controller, qtbot)
    assert host.errors == []


def settle(controller, qtbot) -> None:
    """Let chained background reads and writes (write -> refresh -> reload) all land."""
    from PySide6.QtWidgets import QApplication

    names = ("runner", "reader", "writer")
    runners = [r for r in (getattr(controller, n, None) for n in names) if hasattr(r, "busy")]
    for _ in range(4):
        qtbot.waitUntil(lambda: not any(r.busy for r in runners), timeout=60_000)
        QApplication.processEvents()


def show(panel: TimelinePanel, qtbot, mode: str = WEEK) -> None:
    with qtbot.waitSignal(panel.loaded, timeout=60_000):
        panel.window().show()
        panel.set_mode(mode)


def test_the_tab_opens_on_today(panel, qtbot) -> None:
    with qtbot.waitSignal(panel.loaded, timeout=60_000):
        panel.window().show()
    assert panel.mode == DAY and panel.view.days == [date(2026, 11, 25)]


def test_clicking_a_suggestion_records_an_entry_citing_its_evidence(panel, app, qtbot) -> None:
    record_commits(app, at(1, 9), at(1, 9 + 1 / 3), at(1, 9.75), at(1, 10 + 1 / 6))
    show(panel, qtbot)
    (item,) = [i for i in panel.view.layout_model().items if i.kind == SUGGESTION]
    with qtbot.waitSignal(panel.accepted, timeout=60_000) as signal:
        qtbot.mouseClick(panel.view, Qt.MouseButton.LeftButton, pos=item.rect.center().toPoint())
    (recorded,) = signal.args[0]
    assert (recorded.start, recorded.end, recorded.source) == (at(1, 8.5), at(1, 10 + 1 / 6),
                                                               "suggested")  # fmt: skip
    assert len(recorded.evidence) == 4
    qtbot.waitUntil(lambda: panel.data is not None and len(panel.data.entries) == 1)
    assert panel.data is not None and panel.data.open_suggestions == ()


def test_a_suggestion_reached_with_the_keyboard_is_recorded_with_enter(panel, app, qtbot) -> None:
    record_commits(app, at(1, 9), at(1, 9 + 1 / 3), at(1, 9.75), at(1, 10 + 1 / 6))
    tracking.add(app, "api", at(0, 13), at(0, 14))
    show(panel, qtbot)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Home)
    assert panel.view.selected == (ENTRY, str(panel.data.entries[0].id))
    qtbot.keyClick(panel.view, Qt.Key.Key_Tab)
    assert panel.view.selected is not None and panel.view.selected[0] == SUGGESTION
    assert panel.view.accessibleName().startswith("Suggested session: acme / web, Tue 24 Nov")
    with qtbot.waitSignal(panel.accepted, timeout=60_000) as signal:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    (recorded,) = signal.args[0]
    assert (recorded.start, recorded.source) == (at(1, 8.5), "suggested")


def test_accept_all_shown_records_every_open_suggestion(panel, app, qtbot, monkeypatch) -> None:
    for day in (0, 1, 2):
        record_commits(app, at(day, 9), at(day, 9.5))
    tracking.add(app, "web", at(2, 9), at(2, 9.5))  # day 2 is claimed already
    show(panel, qtbot)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked.append(text) or True)
    with qtbot.waitSignal(panel.accepted, timeout=60_000) as signal:
        assert panel.accept_all_shown()
    assert [e.start for e in signal.args[0]] == [at(0, 8.5), at(1, 8.5)]
    assert "Record 2 suggested sessions (2:00 h)" in asked[0]


def test_dragging_an_edge_amends_the_entry_with_the_reason_given(
    panel, app, qtbot, monkeypatch
) -> None:
    added = tracking.add(app, "web", at(1, 9), at(1, 11), Details(client="acme"))
    show(panel, qtbot)
    seen: dict[str, object] = {}

    def fake_ask(_parent, _projects, entry, begin, end, _now):
        seen.update(entry=entry.id, begin=begin, end=end)
        return AmendRequest("forgot to stop", Details(), begin, end)

    monkeypatch.setattr(timeline_panel, "ask_amend_span", fake_ask)
    (bar,) = panel.view.layout_model().of(ENTRY, str(added.id))
    y = int(bar.rect.center().y())
    right = int(bar.rect.right())
    target = QPoint(right - int(panel.view.layout_model().px_per_hour / 2), y)
    with qtbot.waitSignal(panel.loaded, timeout=60_000):
        qtbot.mousePress(panel.view, Qt.MouseButton.LeftButton, pos=QPoint(right, y))
        qtbot.mouseMove(panel.view, target)
        qtbot.mouseRelease(panel.view, Qt.MouseButton.LeftButton, pos=target)
    assert seen == {"entry": added.id, "begin": None, "end": at(1, 10.5)}
    _, versions = tracking.history(app, added.id)
    assert versions[-1].kind == lk.ENTRY_AMEND
    assert versions[-1].leaf["reason"] == "forgot to stop"
    assert versions[-1].leaf["changes"] == {"end": to_rfc3339(at(1, 10.5))}


def test_a_cancelled_amend_changes_nothing(panel, app, qtbot, monkeypatch) -> None:
    added = tracking.add(app, "web", at(1, 9), at(1, 11))
    show(panel, qtbot)
    monkeypatch.setattr(timeline_panel, "ask_amend_span", lambda *_: None)
    panel.amend_span(added.id, None, at(1, 12))
    assert tracking.history(app, added.id)[0].end == at(1, 11)


def test_the_amend_dialog_shows_the_dragged_time_and_needs_a_reason(qtbot, app) -> None:
    added = tracking.add(app, "web", at(1, 9), at(1, 11))
    dialog = dialogs.EntryDialog([("web", None)], at(2, 15), added)
    qtbot.addWidget(dialog)
    from PySide6.QtCore import QDateTime

    dialog.end.setDateTime(QDateTime.fromSecsSinceEpoch(int(at(1, 12).timestamp())))
    assert dialog.validate() == "Give a reason to save this change."
    dialog.reason.setText("forgot to stop")
    assert dialog.validate() is None
    assert dialog.amend_request().end == at(1, 12)


def test_zoom_buttons_and_the_scroll_bar_move_the_hours(panel, qtbot) -> None:
    show(panel, qtbot)
    panel.view.set_view(0, 24)
    panel.zoom_in_button.click()
    assert panel.view.hours == 16
    assert panel.hour_scroll.isVisibleTo(panel)
    panel.hour_scroll.setValue(panel.hour_scroll.maximum())
    assert panel.view.first_hour == 8
    panel.zoom_out_button.click()
    assert panel.view.hours == 24


def test_previous_and_next_step_by_the_mode(panel, qtbot) -> None:
    show(panel, qtbot, WEEK)
    assert panel.view.days[0] == MONDAY
    panel.next_button.click()
    assert panel.view.days[0] == MONDAY + timedelta(days=7)
    panel.set_mode(DAY)
    panel.prev_button.click()
    assert panel.view.days == [MONDAY + timedelta(days=8)]
    panel.today_button.click()
    assert panel.view.days == [date(2026, 11, 25)]


def test_install_adds_the_timeline_tab(window) -> None:
    from hourproof.gui.extensions import GuiHost

    timeline_panel.install(GuiHost(window.controller, window))
    assert window.tabs.tabText(window.tabs.count() - 1) == "Timeline"


def test_marks_closer_than_three_pixels_are_drawn_as_one() -> None:
    spans = tuple(
        Mark(
            100 + n,
            "file.activity",
            "web",
            at(0, 9) + timedelta(minutes=2 * n),
            at(0, 9) + timedelta(minutes=2 * n + 1),
        )
        for n in range(10)
    )  # 1-minute gaps: under 3 px at 40 px per hour (4.5 min)
    data = TimelineData(at(0, 0), at(7, 0), at(2, 15), (), (), spans)  # fmt: skip
    (run,) = layout_of(data).items
    assert (run.key, run.rect.x(), run.rect.width()) == (
        "100",
        LABEL_WIDTH + 360,
        pytest.approx(12.67, abs=0.01),
    )
    zoomed = layout_of(data, first_hour=8, hours=2)  # 602 px per hour: each span its own
    assert len(zoomed.items) == 10


def test_a_running_entry_offers_only_its_start_edge() -> None:
    layout = layout_of(known_week())
    (bar,) = layout.of(ENTRY, "4")
    assert bar.running
    y = bar.rect.center().y()
    assert layout.edge(QPointF(bar.rect.right(), y)) is None
    grabbed = layout.edge(QPointF(bar.rect.left(), y))
    assert grabbed is not None and grabbed[1] == "start"


def test_an_edge_dragged_past_the_other_stops_five_minutes_short(view, qtbot) -> None:
    (bar,) = view.layout_model().of(ENTRY, "1")  # 09:00-11:00 on Monday
    y = int(bar.rect.center().y())
    target = QPoint(int(bar.rect.left() - 200), y)  # five hours before the start
    with qtbot.waitSignal(view.amend_requested) as signal:
        qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(int(bar.rect.right()), y))
        qtbot.mouseMove(view, target)
        qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=target)
    assert signal.args == [1, None, at(0, 9) + timedelta(minutes=5)]


def test_a_running_entry_grows_with_the_clock_without_a_reread(panel, app, qtbot) -> None:
    started = tracking.start(app, "web", at=at(2, 14))
    show(panel, qtbot)
    (bar,) = panel.view.layout_model().of(ENTRY, str(started.id))
    width = bar.rect.width()
    panel.host.controller.ticked.emit(at(2, 15) + timedelta(minutes=30))
    (grown,) = panel.view.layout_model().of(ENTRY, str(started.id))
    assert grown.rect.width() == pytest.approx(width + panel.view.layout_model().px_per_hour / 2)


def test_a_real_ctrl_wheel_event_zooms_and_a_plain_one_scrolls(view) -> None:
    from PySide6.QtCore import QPoint as P
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    def wheel(steps: int, modifiers: Qt.KeyboardModifier) -> None:
        pos = QPointF(LABEL_WIDTH + 400, 100)
        event = QWheelEvent(pos, view.mapToGlobal(pos), P(0, 0), P(0, 120 * steps),
                            Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase,
                            False)  # fmt: skip
        QApplication.sendEvent(view, event)

    view.set_view(0, 24)
    wheel(1, Qt.KeyboardModifier.ControlModifier)
    assert view.hours == pytest.approx(24 / 1.25)
    assert view.layout_model().time_at(0, LABEL_WIDTH + 400) == at(0, 10)  # pointer kept
    first = view.first_hour
    wheel(-1, Qt.KeyboardModifier.NoModifier)
    assert view.first_hour == pytest.approx(first + view.hours / 8)


# -- keyboard and screen readers ----------------------------------------------------------------


@pytest.fixture
def sent(monkeypatch) -> list[tuple[object, str]]:
    """The accessibility events the view sends: (type, announced text or "")."""
    from hourproof.gui import timeline

    events: list[tuple[object, str]] = []

    def record(event) -> None:
        text = event.message() if hasattr(event, "message") else ""
        events.append((event.type(), text))

    monkeypatch.setattr(timeline, "_send", record)
    return events


def accessible_name(widget) -> str:
    from PySide6.QtGui import QAccessible

    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name)


@pytest.fixture
def form(qtbot):
    """The view between two buttons, as in a window: Tab can enter and leave it."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

    outer = QWidget()
    qtbot.addWidget(outer)
    before, after = QPushButton("before"), QPushButton("after")
    view = TimelineView()
    view.set_days(WEEK_DAYS)
    view.set_data(known_week())
    view.setMinimumSize(WIDTH, int(HEADER_HEIGHT + 7 * ROW))
    column = QVBoxLayout(outer)
    for widget in (before, view, after):
        column.addWidget(widget)
    outer.show()
    qtbot.waitExposed(outer)
    outer.activateWindow()
    before.setFocus()
    yield before, view, after
    outer.close()  # (the outer widget lives until here)


def test_tab_moves_focus_bar_to_bar_and_the_accessible_name_follows(form, qtbot, sent) -> None:
    before, view, after = form
    seen = []
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert view.hasFocus()
    for _ in range(5):  # entries 1, 2, the suggestion, 4 and 3 (once, though drawn twice)
        seen.append(view.selected)
        assert accessible_name(view) == view.accessibleName() == view.spoken(view.selected_item())
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert seen == [(ENTRY, "1"), (ENTRY, "2"), (SUGGESTION, "s-0123456789"), (ENTRY, "4"),
                    (ENTRY, "3")]  # fmt: skip
    assert after.hasFocus()  # Tab after the last bar leaves the timeline
    qtbot.keyClick(after, Qt.Key.Key_Backtab)
    assert view.hasFocus() and view.selected == (ENTRY, "3")  # back in at the last bar
    from PySide6.QtGui import QAccessible

    focus = [t for t, _ in sent if t == QAccessible.Event.Focus]
    announced = [text for _, text in sent if text]
    assert len(focus) >= 6 and announced[-1] == view.spoken(view.selected_item())


def test_the_focused_bar_is_named_in_words(form, qtbot) -> None:
    before, view, _ = form
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert view.accessibleName() == "acme / web, Mon 23 Nov 09:00–11:00, 2 h, manual entry"
    assert view.accessibleDescription().startswith("Entry #1: web")
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.accessibleName() == "acme / api, Mon 23 Nov 13:00–17:30, 4 h 30 min, manual entry"
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.accessibleName() == (
        "Suggested session: acme / web, Tue 24 Nov 08:30–10:10, 1 h 40 min, not recorded yet"
    )
    qtbot.keyClick(view, Qt.Key.Key_End)  # entry 3: the whole interval over midnight
    assert view.accessibleName() == "acme / web, Thu 26 Nov 22:00–02:00, 4 h, manual entry"


def test_up_and_down_go_to_the_nearest_bar_of_the_day_above_or_below(form, qtbot) -> None:
    before, view, _ = form
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert view.selected == (ENTRY, "1")  # Monday 09:00
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.selected == (SUGGESTION, "s-0123456789")  # Tuesday 08:30
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.selected == (ENTRY, "4")  # Wednesday
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.selected == (ENTRY, "1")
    qtbot.keyClick(view, Qt.Key.Key_Up)  # no day above: stays
    assert view.selected == (ENTRY, "1")
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.selected == (ENTRY, "1")


def test_enter_on_a_suggestion_reached_by_tab_accepts_it(form, qtbot) -> None:
    before, view, _ = form
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.selected == (SUGGESTION, "s-0123456789")
    with qtbot.waitSignal(view.accept_requested) as accepted:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert accepted.args == ["s-0123456789"]
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    with qtbot.waitSignal(view.entry_activated) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Enter)
    assert opened.args == [2]


def test_without_a_selection_the_view_is_named_timeline(form, qtbot) -> None:
    before, view, _ = form
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert view.accessibleName() != "Timeline"
    view.set_data(TimelineData(at(0, 0), at(7, 0), at(2, 15), (), (), ()))
    assert view.selected is None and view.accessibleName() == "Timeline"
