"""report.pdf: the statement of hours as an A4 PDF, drawn with Qt's own PDF writer.

report_chunks cuts the statement into chunks of Qt rich text; here each chunk is laid
out as its own QTextDocument at a fixed 96 dpi, ``paginate`` places them, and every
page is painted onto a QPdfWriter with "Page X of Y" at its foot.

Needs a QGuiApplication in the process (for fonts). ``render_pdf`` creates one when
none exists and it runs on the main thread (with the offscreen platform when there
is no display); from a worker thread the application must already exist, which is
always the case in the GUI. Painting never touches widgets and may run in a worker.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
    QTextOption,
)

from hourproof.proof.model import Statement
from hourproof.proof.report_binding import statement_json, xmp_packet
from hourproof.proof.report_chunks import (
    INK,
    LINE,
    MUTED,
    Chunk,
    RowSpec,
    Run,
    paginate,
    statement_chunks,
)
from hourproof.proof.report_text import TITLE

_LAYOUT_DPI = 96
_MARGINS_MM = QMarginsF(16, 14, 16, 14)
_FOOTER_PT = 22
_FONT_FAMILIES = ["Liberation Sans", "DejaVu Sans", "Arial", "Helvetica", "sans-serif"]
_app: QGuiApplication | None = None
_py_incref = ctypes.pythonapi.Py_IncRef  # see _none_refs_kept
_py_incref.argtypes = [ctypes.py_object]
_py_incref.restype = None


def _ensure_app() -> None:
    """Create the QGuiApplication Qt's fonts need, if the process has none yet."""
    global _app
    if QGuiApplication.instance() is not None:
        return
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("render_pdf needs a QGuiApplication created on the main thread")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A QApplication (a QGuiApplication with widget support) so that anything later in
    # the same process that needs widgets — the GUI, its tests — can use it too.
    from PySide6.QtWidgets import QApplication

    _app = QApplication([])


#: Laid-out chunks kept between measuring and drawing (see ``_render``).
KEPT_DOCUMENTS = 2000


def _font(points: float) -> QFont:
    font = QFont()
    font.setFamilies(_FONT_FAMILIES)
    font.setPointSizeF(points)
    return font


def _document(html: str, width: float, page: float, device: QImage) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(_font(9))
    doc.setDefaultStyleSheet(f"body {{ color: {INK}; }}")
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    doc.setTextWidth(width)
    if doc.size().height() > page:  # let Qt cut it between lines
        doc.setPageSize(QSizeF(width, page))
    return doc


def render_pdf(st: Statement, path: Path) -> None:
    """Write the statement to ``path`` as an A4 PDF with "Page X of Y" footers."""
    _ensure_app()
    chunks = statement_chunks(st)
    with _none_refs_kept(400 * (2 * len(chunks) + 16)):
        _render(st, chunks, path)


@contextmanager
def _none_refs_kept(calls: int) -> Iterator[None]:
    """Undo what PySide6 6.12.0 on Python 3.11 does to ``None`` while we draw.

    That release drops a reference to ``None`` on every call of a method returning
    void; on Python < 3.12 (where ``None`` is not immortal) a few thousand such calls
    free ``None`` and abort the interpreter ("none_dealloc"). Holding ``calls`` extra
    references keeps the count positive while drawing; afterwards the references the
    calls dropped are taken again for good (never released, not even at exit), so
    ``None`` ends as it began. A no-op with a PySide6 without the bug (6.11, or any
    on Python 3.12+).
    """
    guard = [None] * calls
    expected = sys.getrefcount(None)
    try:
        yield
    finally:
        for _ in range(expected - sys.getrefcount(None)):
            _py_incref(None)
        del guard


def _render(st: Statement, chunks: list[Chunk], path: Path) -> None:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(_MARGINS_MM, QPageLayout.Unit.Millimeter)
    title = f"{TITLE} — {st.contractor} for {st.client}"
    writer.setTitle(title)
    writer.setCreator("hourproof")
    # The figures, for `hourproof verify` to compare (report_binding, bundle format §10).
    writer.setDocumentXmpMetadata(xmp_packet(st, title))
    writer.addFileAttachment("statement.json", statement_json(st), "application/json")

    scale = writer.resolution() / _LAYOUT_DPI
    area = writer.pageLayout().paintRectPixels(writer.resolution())
    footer = _FOOTER_PT * _LAYOUT_DPI / 72
    # Whole layout pixels: Qt's layout rounds page breaks to 1/64 px, which must not drift.
    width, page = int(area.width() / scale), int(area.height() / scale - footer)
    device = QImage(1, 1, QImage.Format.Format_RGB32)
    device.setDotsPerMeterX(round(_LAYOUT_DPI / 0.0254))
    device.setDotsPerMeterY(round(_LAYOUT_DPI / 0.0254))

    # Every chunk is laid out once to measure it ("Page X of Y" needs all heights before
    # the first page is drawn). Only the first KEPT_DOCUMENTS stay in memory; later ones
    # are laid out again when drawn, so a statement of 20,000 entries stays within a few
    # hundred MB instead of growing by ~65 KB per row.
    # Table rows with a styled-text spec (the entries: nearly all of a long statement) are
    # measured and drawn with QPainter directly; laying each out as a QTextDocument cost
    # ~1 ms a row.
    fast = _Rows(device, scale)
    docs: list[QTextDocument | None] = []
    heights: list[float] = []
    drawn: dict[int, _Drawing] = {}
    for number, chunk in enumerate(chunks):
        if chunk.spec is not None:
            drawn[number] = fast.layout(chunk.spec, width)
            heights.append(drawn[number].height)
            docs.append(None)
            continue
        doc = _document(chunk.html, width, page, device) if chunk.html else None
        heights.append(doc.size().height() if doc else 0.0)
        docs.append(doc if number < KEPT_DOCUMENTS else None)
    pages = paginate([c.kind for c in chunks], heights, page)

    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write PDF to {path}")
    try:
        for number, placements in enumerate(pages, start=1):
            if number > 1:
                writer.newPage()
            for p in placements:
                if p.chunk in drawn:
                    fast.draw(painter, drawn[p.chunk], p.y)
                    continue
                html = chunks[p.chunk].html
                if not html:
                    continue
                doc = docs[p.chunk] or _document(html, width, page, device)
                painter.save()
                painter.scale(scale, scale)
                painter.translate(0, p.y - p.part * page)
                # Half a pixel short, so a block starting at the next page's edge stays off.
                doc.drawContents(painter, QRectF(0, p.part * page, width, page - 0.5))
                painter.restore()
            rect = QRectF(0, page * scale, width * scale, footer * scale)
            _footer(painter, st, number, len(pages), rect)
    finally:
        painter.end()


def _footer(painter: QPainter, st: Statement, page: int, pages: int, rect: QRectF) -> None:
    painter.save()
    painter.setFont(_font(7.5))
    painter.setPen(QColor(LINE))
    painter.drawLine(rect.topLeft(), rect.topRight())
    painter.setPen(QColor(MUTED))
    right = f"Page {page} of {pages}"
    metrics = painter.fontMetrics()
    room = rect.width() - metrics.horizontalAdvance(right) - metrics.horizontalAdvance("MMMM")
    left = f"{TITLE} · {st.contractor} · key {st.fingerprint}"
    left = metrics.elidedText(left, Qt.TextElideMode.ElideRight, int(room))
    align = Qt.AlignmentFlag.AlignVCenter
    painter.drawText(rect, align | Qt.AlignmentFlag.AlignLeft, left)
    painter.drawText(rect, align | Qt.AlignmentFlag.AlignRight, right)
    painter.restore()


_PAD = 4.0  # cellpadding of the rich-text rows, in layout pixels
_Op = tuple[float, float, float, str, tuple[bool, bool, float], str, str]


class _Drawing:
    """A measured row: its height and what to paint, in layout pixels from its top."""

    __slots__ = ("fills", "height", "ops", "rules", "width")

    def __init__(self) -> None:
        self.height = self.width = 0.0
        self.ops: list[_Op] = []  # x, baseline y, width, text, font key, colour, badge
        self.fills: list[tuple[float, float, float, float, str]] = []  # x, y, w, h, colour
        self.rules: list[float] = []  # y of each bottom border


class _Rows:
    """Lays out and paints RowSpec rows like the rich-text table rows look."""

    def __init__(self, device: QImage, scale: float) -> None:
        # Measured on the 96-dpi layout device, so advances are in layout pixels.
        self.device, self.scale = device, scale
        self._fonts: dict[tuple[bool, bool, float], tuple[QFont, QFontMetricsF]] = {}
        self._advances: dict[tuple[tuple[bool, bool, float], str], float] = {}

    def advance(self, key: tuple[bool, bool, float], text: str) -> float:
        found = self._advances.get((key, text))
        if found is None:
            found = self.font(key)[1].horizontalAdvance(text)
            if len(self._advances) < 200_000:
                self._advances[(key, text)] = found
        return found

    def font(self, key: tuple[bool, bool, float]) -> tuple[QFont, QFontMetricsF]:
        found = self._fonts.get(key)
        if found is None:
            bold, strike, points = key
            font = _font(points)
            font.setBold(bold)
            font.setStrikeOut(strike)
            found = self._fonts[key] = (font, QFontMetricsF(font, self.device))
        return found

    def _lines(
        self, lines: tuple[tuple[Run, ...], ...], width: float, points: float
    ) -> list[list[tuple[float, str, tuple[bool, bool, float], Run]]]:
        """Wrap runs into lines of at most ``width``: (x, text, font key, run) pieces."""
        out: list[list[tuple[float, str, tuple[bool, bool, float], Run]]] = []
        for line in lines:
            row: list[tuple[float, str, tuple[bool, bool, float], Run]] = []
            x = 0.0
            for run in line:
                key = (run.bold, run.strike, points)
                whole = self.advance(key, run.text)
                if x + whole <= width or run.badge:  # the usual case: no wrapping
                    row.append((x, run.text, key, run))
                    x += whole
                    continue
                for word in _words(run.text):
                    w = self.advance(key, word)
                    if x > 0 and x + w > width and not word.isspace():
                        out.append(row)
                        row, x = [], 0.0
                    while w > width and len(word) > 1:  # a word wider than the cell
                        cut = max(1, int(len(word) * width / w))
                        head, word = word[:cut], word[cut:]
                        row.append((x, head, key, run))
                        out.append(row)
                        row, x = [], 0.0
                        w = self.advance(key, word)
                    if x == 0 and word.isspace() and not row and out:
                        continue
                    row.append((x, word, key, run))
                    x += w
            out.append(row)
        return out

    def layout(self, spec: RowSpec, width: float) -> _Drawing:
        d = _Drawing()
        d.width = width
        points = 8.0
        line_h = self.font((False, False, points))[1].lineSpacing()
        ascent = self.font((False, False, points))[1].ascent()
        left = 0.0
        tallest = 0.0
        placed: list[tuple[float, float, str, list[list[Any]]]] = []
        for (align, percent), cell in zip(spec.columns, spec.cells, strict=True):
            cw = width * percent / 100
            lines = self._lines(cell, cw - 2 * _PAD, points)
            tallest = max(tallest, len(lines) * line_h)
            placed.append((left, cw, align, lines))
            left += cw
        row_h = tallest + 2 * _PAD
        if spec.background:
            d.fills.append((0.0, 0.0, width, row_h, spec.background))
        for x0, cw, align, lines in placed:
            for i, pieces in enumerate(lines):
                if not pieces:
                    continue
                end = pieces[-1][0] + self.advance(pieces[-1][2], pieces[-1][1])
                shift = (cw - 2 * _PAD - end) if align == "right" else 0.0
                y = _PAD + i * line_h + ascent
                for px, text, key, run, w in _merged(pieces, self):
                    d.ops.append((x0 + _PAD + shift + px, y, w, text, key, run.color, run.badge))
        d.rules.append(row_h)
        y = row_h
        small = 7.5
        small_h = self.font((False, False, small))[1].lineSpacing()
        small_ascent = self.font((False, False, small))[1].ascent()
        for bg, line in spec.extras:
            lines = self._lines((line,), width - 2 * _PAD, small)
            h = len(lines) * small_h + 2 * _PAD
            d.fills.append((0.0, y, width, h, bg))
            for i, pieces in enumerate(lines):
                for px, text, key, run, w in _merged(pieces, self):
                    d.ops.append((_PAD + px, y + _PAD + i * small_h + small_ascent, w, text, key,
                                  run.color, run.badge))  # fmt: skip
            y += h
            d.rules.append(y)
        d.height = y
        return d

    def draw(self, painter: QPainter, d: _Drawing, top: float) -> None:
        s = self.scale
        for x, y, w, h, colour in d.fills:
            painter.fillRect(QRectF(x * s, (top + y) * s, w * s, h * s), QColor(colour))
        font_now: tuple[bool, bool, float] | None = None
        colour_now = ""
        for x, y, w, text, key, colour, badge in d.ops:
            if badge:
                metrics = self.font(key)[1]
                painter.fillRect(
                    QRectF(x * s, (top + y - metrics.ascent()) * s, w * s,
                           (metrics.ascent() + metrics.descent()) * s), QColor(badge),
                )  # fmt: skip
            if key != font_now:
                painter.setFont(self.font(key)[0])
                font_now = key
            if colour != colour_now:
                painter.setPen(QColor(colour))
                colour_now = colour
            painter.drawText(QPointF(x * s, (top + y) * s), text)
        painter.setPen(QColor(LINE))
        for y in d.rules:
            painter.drawLine(QPointF(0, (top + y) * s), QPointF(d.width * s, (top + y) * s))


def _merged(
    pieces: list[tuple[float, str, tuple[bool, bool, float], Run]], rows: _Rows
) -> list[tuple[float, str, tuple[bool, bool, float], Run, float]]:
    """Consecutive pieces of one line in the same style, drawn as one text."""
    out: list[tuple[float, str, tuple[bool, bool, float], Run, float]] = []
    for x, text, key, run in pieces:
        if out and out[-1][3] is run:
            px, ptext, pkey, prun, _w = out[-1]
            out[-1] = (px, ptext + text, pkey, prun, 0.0)
        else:
            out.append((x, text, key, run, 0.0))
    return [(x, t, k, r, rows.advance(k, t)) for x, t, k, r, _w in out]


def _words(text: str) -> list[str]:
    """Words and the spaces after them, so wrapping keeps the text as written."""
    out: list[str] = []
    word = ""
    for ch in text:
        if (ch == " " and word and not word.endswith(" ")) or (ch != " " and word.endswith(" ")):
            out.append(word)
            word = ch
        else:
            word += ch
    if word:
        out.append(word)
    return out
