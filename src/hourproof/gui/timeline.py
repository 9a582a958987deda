"""The timeline canvas: days as rows, entries as bars, evidence and idle beneath them.

The geometry lives in ``TimelineLayout`` (a pure function of the data, the days,
the widget size and the visible hours), so tests check the rect of every item
without reading pixels. ``TimelineView`` paints that layout with palette colours
(light and dark themes alike), and turns the mouse and keyboard into signals:
a click on a suggestion asks to accept it, dragging an entry's edge asks to amend
it (the panel asks the reason), Ctrl+wheel and +/- zoom, Enter activates the
selected item.

Keyboard and screen readers reach every entry and suggestion: Tab/Shift+Tab and
Left/Right step through them in reading order (Tab leaves the timeline after the last
one), Up/Down go to the nearest bar of the day above or below, Home/End to the first
and last. The widget's accessible name becomes the selected bar in words ("Acme /
web, Mon 23 Nov 09:00–10:30, 1 h 30 min, manual entry") and a focus event plus an
announcement tell the screen reader (``QAccessible.updateAccessibility``).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6 import QtGui as QtGuiModule
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QBrush,
    QColor,
    QFocusEvent,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from hourproof.core.timeparse import local_day, local_day_start
from hourproof.gui import fmt
from hourproof.services.timeline import TimelineData

ENTRY, SUGGESTION, ACTIVITY, COMMIT, IDLE = "entry", "suggestion", "activity", "commit", "idle"
LABEL_WIDTH = 96
HEADER_HEIGHT = 22
MIN_ROW_HEIGHT = 58
MAX_ROW_HEIGHT = 150
MIN_HOURS, MAX_HOURS = 1.0, 24.0
EDGE_GRAB = 5.0  # pixels either side of an entry's edge that start a drag
SNAP = timedelta(minutes=5)
_MARK_KIND = {"file.activity": ACTIVITY, "git.commit": COMMIT, "idle": IDLE}


@dataclass(slots=True)
class Item:
    """One drawn thing: an entry, suggestion or mark on one day row (split at midnight)."""

    kind: str
    key: str  # entry id, suggestion id or leaf index, as text
    day: int  # row index
    start: datetime
    end: datetime
    rect: QRectF
    project: str
    clipped_start: bool = False  # the real start lies on an earlier day
    clipped_end: bool = False
    muted: bool = False  # a suggestion that entries of its project already cover
    running: bool = False  # an entry whose timer still runs (its end is "now")
    client: str = ""
    source: str = ""  # an entry's source: timer, manual, suggested, imported
    whole: tuple[datetime, datetime] | None = None  # the interval before splitting at midnight


@dataclass(frozen=True)
class Row:
    day: date
    rect: QRectF  # the whole row, label column included
    entry_lane: QRectF
    suggestion_lane: QRectF
    evidence_lane: QRectF


class TimelineLayout:
    """Where everything goes, for given data, days, size and visible hours."""

    def __init__(
        self, data: TimelineData | None, days: list[date], width: float, height: float,
        first_hour: float, hours: float,
    ) -> None:  # fmt: skip
        self.days = days
        self.width = max(width, LABEL_WIDTH + 50.0)
        self.first_hour = first_hour
        self.hours = hours
        self.plot_width = self.width - LABEL_WIDTH
        self.px_per_hour = self.plot_width / hours
        usable = max(height - HEADER_HEIGHT, 1.0)
        self.row_height = min(MAX_ROW_HEIGHT, max(MIN_ROW_HEIGHT, usable / max(len(days), 1)))
        self.rows = [self._row(i, d) for i, d in enumerate(days)]
        self.starts = [local_day_start(d) for d in days]
        self.ends = [local_day_start(d + timedelta(days=1)) for d in days]
        self.items: list[Item] = []
        if data is not None:
            self._place(data)

    @property
    def height(self) -> float:
        return HEADER_HEIGHT + self.row_height * len(self.days)

    def _row(self, index: int, day: date) -> Row:
        top = HEADER_HEIGHT + index * self.row_height
        h = self.row_height
        left, width = float(LABEL_WIDTH), self.plot_width
        entry_h = h * 0.40
        sugg_h = h * 0.22
        ev_h = h * 0.20
        gap = h * 0.045
        entry = QRectF(left, top + gap, width, entry_h)
        sugg = QRectF(left, entry.bottom() + gap, width, sugg_h)
        ev = QRectF(left, sugg.bottom() + gap, width, ev_h)
        return Row(day, QRectF(0, top, self.width, h), entry, sugg, ev)

    # -- time <-> x ----------------------------------------------------------------------

    def x_of(self, row: int, moment: datetime) -> float:
        hours = (moment - self.starts[row]).total_seconds() / 3600
        return LABEL_WIDTH + (hours - self.first_hour) * self.px_per_hour

    def time_at(self, row: int, x: float) -> datetime:
        hours = (x - LABEL_WIDTH) / self.px_per_hour + self.first_hour
        return self.starts[row] + timedelta(hours=hours)

    def row_at(self, y: float) -> int | None:
        for i, row in enumerate(self.rows):
            if row.rect.top() <= y < row.rect.bottom():
                return i
        return None

    # -- placing -------------------------------------------------------------------------

    def _parts(self, start: datetime, end: datetime) -> list[tuple[int, datetime, datetime]]:
        """(row, start, end) for each day row the interval touches."""
        parts = []
        first = max(0, bisect.bisect_right(self.starts, start) - 1)
        for i in range(first, len(self.starts)):
            day_start, day_end = self.starts[i], self.ends[i]
            if day_start > end:
                break
            lo, hi = max(start, day_start), min(end, day_end)
            if lo < hi or (start == end and day_start <= start < day_end):
                parts.append((i, lo, hi))
        return parts

    def _add(self, kind: str, key: str, project: str, start: datetime, end: datetime,
             lane: str, min_width: float = 2.0, muted: bool = False,
             running: bool = False, client: str = "", source: str = "") -> None:  # fmt: skip
        for row, lo, hi in self._parts(start, end):
            band: QRectF = getattr(self.rows[row], lane)
            x0, x1 = self.x_of(row, lo), self.x_of(row, hi)
            if x1 - x0 < min_width:
                mid = (x0 + x1) / 2
                x0, x1 = mid - min_width / 2, mid + min_width / 2
            rect = QRectF(x0, band.top(), x1 - x0, band.height())
            if kind == ACTIVITY:
                rect = QRectF(x0, band.top() + band.height() * 0.2, x1 - x0, band.height() * 0.6)
            self.items.append(Item(kind, key, row, lo, hi, rect, project, clipped_start=lo > start,
                                   clipped_end=hi < end, muted=muted, running=running,
                                   client=client, source=source,
                                   whole=(start, end)))  # fmt: skip

    def _merged_marks(self, data: TimelineData) -> list[tuple[str, int, str, datetime, datetime]]:
        """Marks of one kind and project closer than a pixel are drawn as one (level of
        detail: a dense week stays a few hundred items); the first leaf names the run."""
        pixel = timedelta(hours=1 / self.px_per_hour)
        ordered = sorted(data.marks, key=lambda k: (k.kind, k.project, k.start, k.seq))
        runs: list[tuple[str, int, str, datetime, datetime]] = []
        for mark in ordered:
            kind = _MARK_KIND[mark.kind]
            reach = pixel * 3  # closer than 3 px: one bar (or one tick) to the eye
            if (
                runs
                and runs[-1][0] == kind
                and runs[-1][2] == mark.project
                and (mark.start - runs[-1][4] < reach)
            ):
                last = runs[-1]
                runs[-1] = (kind, last[1], last[2], last[3], max(last[4], mark.end))
            else:
                runs.append((kind, mark.seq, mark.project, mark.start, mark.end))
        return runs

    def _place(self, data: TimelineData) -> None:
        for kind, seq, project, start, end in self._merged_marks(data):
            if kind == COMMIT:
                end = start  # a run of ticks closer than 2 px is one tick
            width = 2.0 if kind == COMMIT else 3.0
            self._add(kind, str(seq), project, start, end, "evidence_lane", width)
        for view in data.suggestions:
            s = view.suggestion
            covered = view.claimed_overlap >= s.seconds
            self._add(SUGGESTION, s.id, s.project, s.start, s.end, "suggestion_lane", 4.0, covered,
                      client=s.client or "")  # fmt: skip
        for entry in data.entries:
            end = entry.end or max(data.now, entry.start)
            self._add(ENTRY, str(entry.id), entry.project, entry.start, end, "entry_lane", 3.0,
                      running=entry.end is None, client=entry.client or "",
                      source=entry.source)  # fmt: skip

    # -- lookups ------------------------------------------------------------------------

    def of(self, kind: str, key: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind and i.key == key]

    def hit(self, pos: QPointF) -> Item | None:
        """The clickable item (entry or suggestion) under a point, topmost first."""
        for item in reversed(self.items):
            if item.kind in (ENTRY, SUGGESTION) and item.rect.adjusted(-1, -1, 1, 1).contains(pos):
                return item
        return None

    def edge(self, pos: QPointF) -> tuple[Item, str] | None:
        """An entry edge ("start" or "end") within grabbing distance of a point."""
        for item in reversed(self.items):
            if item.kind != ENTRY:
                continue
            r = item.rect
            if not r.top() - 2 <= pos.y() <= r.bottom() + 2:
                continue
            if not item.clipped_start and abs(pos.x() - r.left()) <= EDGE_GRAB:
                return item, "start"
            if not item.clipped_end and not item.running and abs(pos.x() - r.right()) <= EDGE_GRAB:
                return item, "end"
        return None

    def focus_order(self) -> list[Item]:
        """Entries and suggestions in reading order (row, then time)."""
        found = [i for i in self.items if i.kind in (ENTRY, SUGGESTION)]
        return sorted(found, key=lambda i: (i.day, i.start, i.kind != ENTRY, i.key))


@functools.lru_cache(maxsize=512)
def duration_words(seconds: int) -> str:
    """``1 h 30 min``, ``45 min``, ``2 h``: a length as a screen reader says it."""
    hours, minutes = divmod(max(0, seconds) // 60, 60)
    if hours and minutes:
        return QCoreApplication.translate("timeline", "{0} h {1} min").format(hours, minutes)
    if hours:
        return QCoreApplication.translate("timeline", "{0} h").format(hours)
    return QCoreApplication.translate("timeline", "{0} min").format(minutes)


def project_colour(project: str, dark: bool) -> QColor:
    """A stable colour per project, lighter on a dark palette."""
    hue = int.from_bytes(hashlib.sha256(project.encode()).digest()[:2], "big") % 360
    return QColor.fromHsl(hue, 150, 165 if dark else 105)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def snap(moment: datetime) -> datetime:
    """To the nearest 5 minutes (whole seconds, same time zone)."""
    step = int(SNAP.total_seconds())
    stamp = int(moment.timestamp())
    return datetime.fromtimestamp(round(stamp / step) * step, moment.tzinfo)


def _send(event: QAccessibleEvent) -> None:
    """Hand an event to the screen reader (a seam for tests)."""
    QAccessible.updateAccessibility(event)


@dataclass
class _Drag:
    item: Item
    edge: str
    moment: datetime


class TimelineView(QWidget):
    """Paints a TimelineLayout; asks for accepts and amendments through signals."""

    #: A suggestion id the user clicked (or pressed Enter on) to accept.
    accept_requested = Signal(str)
    #: (entry id, new start or None, new end or None) after an edge was dragged.
    amend_requested = Signal(int, object, object)
    #: An entry id activated with a double click or Enter (open it).
    entry_activated = Signal(int)
    #: The visible hours changed (zoom or scroll): (first hour, hours shown).
    view_changed = Signal(float, float)
    #: The selected item changed: (kind, key), or ("", "") for none.
    selection_changed = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: TimelineData | None = None
        self.days: list[date] = []
        self.first_hour = 0.0
        self.hours = 24.0
        self.selected: tuple[str, str] | None = None
        self._drag: _Drag | None = None
        self._layout: TimelineLayout | None = None
        self._metrics = QFontMetrics(self.font())
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumHeight(HEADER_HEIGHT + MIN_ROW_HEIGHT)
        self.setAccessibleName(self.tr("Timeline"))
        self.setAccessibleDescription(self._help())

    # -- state -------------------------------------------------------------------------

    def set_days(self, days: list[date]) -> None:
        self.days = list(days)
        self._invalidate()

    def set_data(self, data: TimelineData | None) -> None:
        self.data = data
        self._layout = None  # (the selection is checked against the new data)
        if self.selected and not self.layout_model().of(*self.selected):
            self.selected = None
            self.setAccessibleName(self.tr("Timeline"))
            self.setAccessibleDescription(self._help())
        self._invalidate()

    def set_view(self, first_hour: float, hours: float) -> None:
        hours = min(MAX_HOURS, max(MIN_HOURS, hours))
        first_hour = min(max(0.0, first_hour), 24.0 - hours)
        if (first_hour, hours) == (self.first_hour, self.hours):
            return
        self.first_hour, self.hours = first_hour, hours
        self._invalidate()
        self.view_changed.emit(first_hour, hours)

    def fit_to_data(self) -> None:
        """Show the hours that hold anything (at least 8), else 07:00-19:00."""
        layout = TimelineLayout(self.data, self.days, 1000, 1000, 0.0, 24.0)
        hours = [(i.start - layout.starts[i.day]).total_seconds() / 3600 for i in layout.items]
        hours += [(i.end - layout.starts[i.day]).total_seconds() / 3600 for i in layout.items]
        if not hours:
            self.set_view(7.0, 12.0)
            return
        lo, hi = max(0.0, int(min(hours)) - 1.0), min(24.0, int(max(hours)) + 2.0)
        if hi - lo < 8:
            lo = max(0.0, min(lo, 24.0 - 8.0))
            hi = lo + 8.0
        self.set_view(lo, hi - lo)

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Show ``1/factor`` times the hours, keeping the hour under ``anchor_x`` in place."""
        layout = self.layout_model()
        x = anchor_x if anchor_x is not None else LABEL_WIDTH + layout.plot_width / 2
        hour_at = (x - LABEL_WIDTH) / layout.px_per_hour + self.first_hour
        hours = min(MAX_HOURS, max(MIN_HOURS, self.hours / factor))
        share = (x - LABEL_WIDTH) / layout.plot_width
        self.set_view(hour_at - share * hours, hours)

    def scroll_hours(self, delta: float) -> None:
        self.set_view(self.first_hour + delta, self.hours)

    def layout_model(self) -> TimelineLayout:
        if self._layout is None:
            self._layout = TimelineLayout(
                self.data, self.days, self.width(), self.height(), self.first_hour, self.hours
            )
        return self._layout

    def _invalidate(self) -> None:
        self._layout = None
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(900, int(HEADER_HEIGHT + MIN_ROW_HEIGHT * max(len(self.days), 1) + 1))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._layout = None
        super().resizeEvent(event)

    # -- selection ---------------------------------------------------------------------

    def _help(self) -> str:
        return self.tr(
            "Entries, suggested sessions and evidence by day. Tab, Left and Right step "
            "through the bars, Up and Down change the day, Enter accepts a suggestion or "
            "opens an entry, plus and minus zoom."
        )

    def select(self, kind: str, key: str) -> None:
        self.selected = (kind, key)
        items = self.layout_model().of(kind, key)
        if items:
            self._announce(items[0])
        self.selection_changed.emit(kind, key)
        self.update()

    def _announce(self, item: Item) -> None:
        """Make the selected bar what a screen reader reads, and tell it."""
        text = self.spoken(item)
        self.setAccessibleName(text)  # (Qt sends NameChanged itself)
        self.setAccessibleDescription(self.describe(item))
        if self.hasFocus():
            _send(QAccessibleEvent(self, QAccessible.Event.Focus))
        announcement = getattr(QtGuiModule, "QAccessibleAnnouncementEvent", None)
        if announcement is not None:  # Qt 6.8+: read at once, even without a focus move
            _send(announcement(self, text))

    def _stops(self) -> list[Item]:
        """The bars keyboard focus visits: each entry or suggestion once (its first part)."""
        seen: dict[tuple[str, str], Item] = {}
        for item in self.layout_model().focus_order():
            seen.setdefault((item.kind, item.key), item)
        return list(seen.values())

    def selected_item(self) -> Item | None:
        items = self.layout_model().of(*self.selected) if self.selected else []
        return items[0] if items else None

    def move_selection(self, step: int) -> bool:
        """Select ``step`` bars on in reading order; False when there is none that way."""
        order = self._stops()
        if not order:
            return False
        keys = [(i.kind, i.key) for i in order]
        if self.selected in keys:
            index = keys.index(self.selected) + step
            if not 0 <= index < len(keys):
                return False
        else:
            index = 0 if step > 0 else len(keys) - 1
        self.select(*keys[index])
        self._reveal(order[index])
        return True

    def select_end(self, last: bool) -> None:
        order = self._stops()
        if order:
            item = order[-1 if last else 0]
            self.select(item.kind, item.key)
            self._reveal(item)

    def move_day(self, step: int) -> bool:
        """Select the bar of the next (or previous) day with bars, nearest in time of day."""
        order = self._stops()
        current = self.selected_item()
        if not order or current is None:
            return self.move_selection(step)
        layout = self.layout_model()
        rows = sorted({i.day for i in order})
        later = [r for r in rows if (r > current.day if step > 0 else r < current.day)]
        if not later:
            return False
        row = later[0] if step > 0 else later[-1]
        hour = (current.start - layout.starts[current.day]).total_seconds()
        target = min(
            (i for i in order if i.day == row),
            key=lambda i: abs((i.start - layout.starts[row]).total_seconds() - hour),
        )
        self.select(target.kind, target.key)
        self._reveal(target)
        return True

    def _reveal(self, item: Item) -> None:
        """Scroll so that an item's start is visible."""
        layout = self.layout_model()
        start_hour = (item.start - layout.starts[item.day]).total_seconds() / 3600
        if not self.first_hour <= start_hour <= self.first_hour + self.hours:
            self.set_view(start_hour - self.hours * 0.1, self.hours)

    def spoken(self, item: Item) -> str:
        """A bar in a few words: ``Acme / web, Mon 23 Nov 09:00–10:30, 1 h 30 min, manual
        entry`` (the whole interval, also for a bar split at midnight)."""
        start, end = item.whole or (item.start, item.end)
        who = f"{item.client} / {item.project}" if item.client else item.project
        span = f"{fmt.day(start)} {fmt.clock(start)}–{fmt.clock(end)}"
        length = duration_words(int((end - start).total_seconds()))
        if item.kind == SUGGESTION:
            return self.tr("Suggested session: {0}, {1}, {2}, not recorded yet").format(
                who, span, length
            )
        if item.running:
            return self.tr("{0}, since {1}, {2} so far, timer running").format(
                who, f"{fmt.day(start)} {fmt.clock(start)}", length
            )
        sources = {
            "timer": self.tr("timer"),
            "manual": self.tr("manual entry"),
            "suggested": self.tr("from evidence"),
            "imported": self.tr("imported"),
        }
        return f"{who}, {span}, {length}, {sources.get(item.source, item.source)}"

    def describe(self, item: Item) -> str:
        """What an item is, in words (tooltip and accessible description)."""
        span = f"{fmt.day(item.start)} {fmt.clock(item.start)}–{fmt.clock(item.end)}"
        seconds = int((item.end - item.start).total_seconds())
        if item.kind == ENTRY:
            return self.tr("Entry #{0}: {1}, {2} ({3} h). Drag an edge to change it.").format(
                item.key, item.project, span, fmt.hours(seconds)
            )
        if item.kind == SUGGESTION:
            return self.tr(
                "Suggested session: {0}, {1} ({2} h). Click to record it as an "
                "entry citing its evidence."
            ).format(item.project, span, fmt.hours(seconds))
        if item.kind == COMMIT:
            return self.tr("Commit to {0} at {1}").format(item.project, fmt.clock(item.start))
        if item.kind == IDLE:
            return self.tr("Away (idle) {0}").format(span)
        return self.tr("File activity in {0}, {1}").format(item.project, span)  # fmt: skip

    # -- painting ----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        layout = self.layout_model()
        palette = self.palette()
        dark = is_dark(palette)
        self._metrics = QFontMetrics(self.font())
        self._paint_rows(painter, layout, palette)
        painter.save()
        painter.setClipRect(QRectF(LABEL_WIDTH, 0, layout.plot_width, self.height()))
        self._paint_grid(painter, layout, palette)
        left, right = float(LABEL_WIDTH), float(self.width())
        for item in layout.items:
            if item.rect.right() >= left and item.rect.left() <= right:  # else scrolled away
                self._paint_item(painter, item, palette, dark)
        self._paint_now(painter, layout, palette)
        self._paint_drag(painter, layout, palette)
        painter.restore()
        painter.end()

    def _paint_rows(self, p: QPainter, layout: TimelineLayout, pal: QPalette) -> None:
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        today = local_day(self.data.now) if self.data else None
        metrics = QFontMetrics(self.font())
        for i, row in enumerate(layout.rows):
            role = QPalette.ColorRole.AlternateBase if i % 2 else QPalette.ColorRole.Base
            p.fillRect(row.rect, pal.color(role))
            font = self.font()
            font.setBold(row.day == today)
            p.setFont(font)
            total = self._day_total(i, layout)
            line = metrics.height()
            lines = 2 if total else 1
            top = row.rect.top() + (row.rect.height() - line * lines) / 2
            name = QRectF(6, top, LABEL_WIDTH - 10, line)
            p.setPen(pal.color(QPalette.ColorRole.Text))
            p.drawText(name, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       row.day.strftime("%a %d %b"))  # fmt: skip
            if total:
                p.setFont(self.font())
                p.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
                p.drawText(name.translated(0, line), Qt.AlignmentFlag.AlignLeft
                           | Qt.AlignmentFlag.AlignVCenter,
                           self.tr("{0} h").format(fmt.hours(total)))  # fmt: skip
        p.setFont(self.font())

    def _day_total(self, row: int, layout: TimelineLayout) -> int:
        return sum(int((i.end - i.start).total_seconds()) for i in layout.items
                   if i.kind == ENTRY and i.day == row)  # fmt: skip

    def _paint_grid(self, p: QPainter, layout: TimelineLayout, pal: QPalette) -> None:
        grid = QColor(pal.color(QPalette.ColorRole.Text))
        grid.setAlpha(40)
        label_colour = pal.color(QPalette.ColorRole.PlaceholderText)
        step = 1 if layout.px_per_hour >= 38 else 2 if layout.px_per_hour >= 19 else 3
        first = int(self.first_hour)
        for hour in range(first, int(self.first_hour + self.hours) + 2):
            x = LABEL_WIDTH + (hour - self.first_hour) * layout.px_per_hour
            if hour % step == 0:
                p.setPen(QPen(grid, 1))
                p.drawLine(QPointF(x, HEADER_HEIGHT), QPointF(x, layout.height))
                p.setPen(label_colour)
                p.drawText(QRectF(x + 3, 0, 60, HEADER_HEIGHT),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                           f"{hour % 24:02d}:00")  # fmt: skip
            if layout.px_per_hour >= 120:  # half hours when zoomed in
                half = QColor(grid)
                half.setAlpha(18)
                p.setPen(QPen(half, 1, Qt.PenStyle.DotLine))
                xh = x + layout.px_per_hour / 2
                p.drawLine(QPointF(xh, HEADER_HEIGHT), QPointF(xh, layout.height))

    def _paint_item(self, p: QPainter, item: Item, pal: QPalette, dark: bool) -> None:
        colour = project_colour(item.project, dark)
        selected = self.selected == (item.kind, item.key)
        if item.kind == ENTRY:
            p.fillRect(item.rect, colour)
            self._label(p, item, QColor("#101010") if dark else QColor("#ffffff"))
        elif item.kind == SUGGESTION and item.muted:
            quiet = pal.color(QPalette.ColorRole.PlaceholderText)
            p.setPen(QPen(quiet, 1, Qt.PenStyle.DotLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(item.rect.adjusted(0.5, 0.5, -0.5, -0.5))
            self._label(p, item, quiet)
        elif item.kind == SUGGESTION:
            fill = QColor(colour)
            fill.setAlpha(45)
            p.fillRect(item.rect, fill)
            p.setPen(QPen(colour, 1.5, Qt.PenStyle.DashLine))
            p.drawRect(item.rect.adjusted(0.75, 0.75, -0.75, -0.75))
            self._label(p, item, pal.color(QPalette.ColorRole.Text))
        elif item.kind == ACTIVITY:
            shade = QColor(colour)
            shade.setAlpha(170)
            p.fillRect(item.rect, shade)
        elif item.kind == COMMIT:
            p.fillRect(item.rect, pal.color(QPalette.ColorRole.Text))
        else:  # idle
            hatch = QColor(pal.color(QPalette.ColorRole.PlaceholderText))
            p.fillRect(item.rect, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            p.setPen(QPen(hatch, 1))
            p.drawRect(item.rect.adjusted(0, 0, -1, -1))
        if selected:
            focus = pal.color(QPalette.ColorRole.Highlight)
            p.setPen(QPen(focus, 2.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(item.rect.adjusted(-2, -2, 2, 2))

    def _label(self, p: QPainter, item: Item, colour: QColor) -> None:
        metrics = self._metrics
        rect = item.rect.adjusted(4, 0, -4, 0)
        if rect.width() < metrics.horizontalAdvance("Abc"):
            return
        seconds = int((item.end - item.start).total_seconds())
        text = f"{item.project} · {fmt.hours(seconds)}"
        p.setPen(colour)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
        p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)

    def _paint_now(self, p: QPainter, layout: TimelineLayout, pal: QPalette) -> None:
        if self.data is None:
            return
        for i, row in enumerate(layout.rows):
            if row.day == local_day(self.data.now):
                x = layout.x_of(i, self.data.now)
                p.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2))
                p.drawLine(QPointF(x, row.rect.top()), QPointF(x, row.rect.bottom()))

    def _paint_drag(self, p: QPainter, layout: TimelineLayout, pal: QPalette) -> None:
        if self._drag is None:
            return
        item = self._drag.item
        x = layout.x_of(item.day, self._drag.moment)
        r = item.rect
        left, right = (x, r.right()) if self._drag.edge == "start" else (r.left(), x)
        ghost = QRectF(min(left, right), r.top(), abs(right - left), r.height())
        p.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(ghost)
        p.setPen(pal.color(QPalette.ColorRole.Text))
        p.drawText(QRectF(x + 4, r.top() - 16, 80, 16), Qt.AlignmentFlag.AlignLeft,
                   fmt.clock(self._drag.moment))  # fmt: skip

    # -- mouse -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        layout = self.layout_model()
        pos = event.position()
        grabbed = layout.edge(pos)
        if grabbed is not None:
            item, edge = grabbed
            self.select(ENTRY, item.key)
            self._drag = _Drag(item, edge, item.start if edge == "start" else item.end)
            return None
        hit = layout.hit(pos)
        if hit is None:
            return None
        self.select(hit.kind, hit.key)
        if hit.kind == SUGGESTION:
            self.accept_requested.emit(hit.key)
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        layout = self.layout_model()
        pos = event.position()
        if self._drag is not None:
            drag = self._drag
            moment = snap(layout.time_at(drag.item.day, pos.x()))
            # Keep at least one snap step of entry: an edge never passes the other one.
            parts = layout.of(ENTRY, drag.item.key)
            first, last = min(i.start for i in parts), max(i.end for i in parts)
            start_edge = drag.edge == "start"
            drag.moment = min(moment, last - SNAP) if start_edge else max(moment, first + SNAP)
            self.update()
            return
        if layout.edge(pos) is not None:
            self.setCursor(Qt.CursorShape.SizeHorCursor)
        elif (item := layout.hit(pos)) is not None and item.kind == SUGGESTION:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        self.update()
        old = drag.item.start if drag.edge == "start" else drag.item.end
        if drag.moment == old:
            return
        entry_id = int(drag.item.key)
        if drag.edge == "start":
            self.amend_requested.emit(entry_id, drag.moment, None)
        else:
            self.amend_requested.emit(entry_id, None, drag.moment)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        item = self.layout_model().hit(event.position())
        if item is not None and item.kind == ENTRY:
            self.entry_activated.emit(int(item.key))

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120 or event.angleDelta().x() / 120
        if not steps:
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.25**steps, event.position().x())
        else:
            self.scroll_hours(-steps * self.hours / 8)
        event.accept()

    def event(self, event: object) -> bool:
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QHelpEvent

        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            pos = QPointF(event.pos())
            item = self.layout_model().hit(pos) or self._mark_at(pos)
            if item is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.describe(item), self)
            return True
        return super().event(event)  # type: ignore[arg-type]

    def _mark_at(self, pos: QPointF) -> Item | None:
        for item in self.layout_model().items:
            if item.kind in (ACTIVITY, COMMIT, IDLE) and item.rect.adjusted(-2, -2, 2, 2).contains(
                pos
            ):
                return item
        return None

    # -- keyboard ----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        K = Qt.Key
        if key == K.Key_Right:
            self.move_selection(1)
        elif key == K.Key_Left:
            self.move_selection(-1)
        elif key in (K.Key_Down, K.Key_Up):
            self.move_day(1 if key == K.Key_Down else -1)
        elif key in (K.Key_Home, K.Key_End):
            self.select_end(key == K.Key_End)
        elif key in (K.Key_Plus, K.Key_Equal):
            self.zoom(1.5)
        elif key == K.Key_Minus:
            self.zoom(1 / 1.5)
        elif key == K.Key_0:
            self.fit_to_data()
        elif key in (K.Key_Return, K.Key_Enter, K.Key_Space) and self.selected:
            kind, item_key = self.selected
            if kind == SUGGESTION:
                self.accept_requested.emit(item_key)
            else:
                self.entry_activated.emit(int(item_key))
        elif key == K.Key_Escape and self._drag is not None:
            self._drag = None
            self.update()
        else:
            super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab step through the bars; past the last (or first) they leave."""
        if self.hasFocus() and self.move_selection(1 if next else -1):
            return True
        return super().focusNextPrevChild(next)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        backwards = event.reason() == Qt.FocusReason.BacktabFocusReason
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            self.select_end(last=backwards)  # entering by Tab starts at that end
        elif self.selected is None:
            self.move_selection(1)
        else:
            item = self.selected_item()
            if item is not None:
                self._announce(item)
