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

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
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
from hourproof.proof.report_chunks import INK, LINE, MUTED, Chunk, paginate, statement_chunks
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
    with _none_refs_kept(64 * (2 * len(chunks) + 16)):
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
    docs: list[QTextDocument | None] = []
    heights: list[float] = []
    for number, chunk in enumerate(chunks):
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
