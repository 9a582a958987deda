"""report.pdf: the statement of hours as an A4 PDF.

report_chunks cuts the statement into chunks: Qt rich text for the headings, summary
and small tables, each laid out here as its own QTextDocument at a fixed 96 dpi, and
styled-text rows (``RowSpec``) for the entries, which ``_Rows`` measures and paints
directly (equal cells laid out once). Then ``paginate`` places the chunks and every page
is drawn with "Page X of Y" at its foot.

Two writers draw the pages. The default is hourproof's own (``pdf_writer``): rows go
straight into page operators, rich-text chunks are painted once through a recording
paint device (``pdf_engine``) and placed where they go, fonts are embedded as TrueType
subsets measured by their own advances; its bytes are a function of the statement.
Whatever it cannot draw (characters no font of the list has, right-to-left or combining
text, fonts Qt cannot hand out as TrueType) goes to Qt's QPdfWriter, which draws the
same pages; there the bytes differ between runs only where Qt puts its own (the
creation date, a random document id, the order of the font objects).

Needs a QGuiApplication in the process (for fonts and rich-text layout). ``render_pdf``
creates one when none exists and it runs on the main thread (with the offscreen platform
when there is no display); from a worker thread the application must already exist,
which is always the case in the GUI. Painting never touches widgets and may run in a
worker.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

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
from hourproof.proof.pdf_engine import FontBook, RichTextCanvas
from hourproof.proof.pdf_font import FontChain, FontProgram, Undrawable
from hourproof.proof.pdf_writer import HAIRLINE, Page, PdfDocument, rgb
from hourproof.proof.report_binding import statement_json, xmp_packet
from hourproof.proof.report_chunks import (
    INK,
    LINE,
    MUTED,
    Chunk,
    Line,
    Placement,
    RowSpec,
    Run,
    paginate,
    statement_chunks,
)
from hourproof.proof.report_text import TITLE
from hourproof.proof.statement import collector_paused

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


#: Which PDF writer draws: "own" (``pdf_writer``; the default, falling back to "qt"
#: when it cannot draw the statement) or "qt" (QPdfWriter).
WRITERS = ("auto", "own", "qt")


def render_pdf(
    st: Statement, path: Path, writer: str = "auto", figures: bytes | None = None
) -> None:
    """Write the statement to ``path`` as an A4 PDF with "Page X of Y" footers.

    ``writer="auto"`` draws with the own writer and falls back to Qt's when that
    cannot draw something (a character no embeddable font has, a font Qt cannot hand
    out as TrueType tables); ``"own"`` raises ``Undrawable`` then; ``"qt"`` always
    uses QPdfWriter. ``figures`` is ``statement_json(st)`` when the caller has it
    (it is embedded as is; computed here otherwise)."""
    if writer not in WRITERS:
        raise ValueError(f"unknown PDF writer {writer!r}")
    _ensure_app()
    with collector_paused(), _none_refs_kept(_GUARD_REFS) as top_up:
        # The chunks and layouts are freed before the GC is back.
        if writer != "qt":
            try:
                _render_own(st, path, top_up, figures)
                return
            except Undrawable:
                if writer == "own":
                    raise
        _render(st, path, top_up, figures)


#: References to ``None`` held while drawing (see ``_none_refs_kept``): more than the
#: void Qt calls made between two top-ups (one chunk's layout, or one page's drawing).
_GUARD_REFS = 100_000


@contextmanager
def _none_refs_kept(calls: int) -> Iterator[Callable[[], None]]:
    """Undo what PySide6 6.12.0 on Python 3.11 does to ``None`` while we draw.

    That release drops a reference to ``None`` on every call of a method returning
    void; on Python < 3.12 (where ``None`` is not immortal) a few thousand such calls
    free ``None`` and abort the interpreter ("none_dealloc"). Holding ``calls`` extra
    references keeps the count positive for a while; the function yielded takes the
    references dropped so far again for good (never released, not even at exit), and
    the renderer calls it after every chunk it lays out and every page it draws, so the
    guard never runs out; it is called once more at the end, so ``None`` ends as it
    began. A no-op with a PySide6 without the bug (6.11, or any on Python 3.12+).
    """
    guard = [None] * calls
    expected = sys.getrefcount(None)

    def top_up() -> None:
        for _ in range(expected - sys.getrefcount(None)):
            _py_incref(None)

    try:
        yield top_up
    finally:
        top_up()
        del guard


def _layout_device() -> QImage:
    """The 96-dpi device every chunk is laid out on."""
    device = QImage(1, 1, QImage.Format.Format_RGB32)
    device.setDotsPerMeterX(round(_LAYOUT_DPI / 0.0254))
    device.setDotsPerMeterY(round(_LAYOUT_DPI / 0.0254))
    return device


def _measured(
    chunks: list[Chunk], fast: _Rows, width: int, page: int, device: QImage,
    top_up: Callable[[], None],
) -> tuple[list[QTextDocument | None], dict[int, _Drawing], list[list[Placement]]]:  # fmt: skip
    """Every chunk laid out once to measure it, and the pages they make.

    "Page X of Y" needs all heights before the first page is drawn. Only the first
    KEPT_DOCUMENTS rich-text chunks stay in memory; later ones are laid out again when
    drawn, so a statement of 20,000 entries stays within a few hundred MB instead of
    growing by ~65 KB per row. Table rows with a styled-text spec (the entries: nearly
    all of a long statement) are measured by ``fast`` and drawn directly; laying each
    out as a QTextDocument cost ~1 ms a row."""
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
        top_up()
    return docs, drawn, paginate([c.kind for c in chunks], heights, page)


def _page_parts(
    placements: list[Placement], drawn: dict[int, _Drawing], chunks: list[Chunk]
) -> tuple[list[tuple[_Drawing, float]], list[Placement]]:
    """A page's entry rows (each with its top) and its rich-text chunks, in order."""
    rows: list[tuple[_Drawing, float]] = []
    rich: list[Placement] = []
    for p in placements:
        if p.chunk in drawn:
            rows.append((drawn[p.chunk], p.y))
        elif chunks[p.chunk].html:
            rich.append(p)
    return rows, rich


def _render(
    st: Statement, path: Path, top_up: Callable[[], None], figures: bytes | None = None
) -> None:
    chunks = statement_chunks(st)
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(_MARGINS_MM, QPageLayout.Unit.Millimeter)
    title = f"{TITLE} — {st.contractor} for {st.client}"
    writer.setTitle(title)
    writer.setCreator("hourproof")
    # The figures, for `hourproof verify` to compare (report_binding, bundle format §10).
    figures = statement_json(st) if figures is None else figures
    writer.setDocumentXmpMetadata(xmp_packet(st, title, figures))
    writer.addFileAttachment("statement.json", figures, "application/json")

    scale = writer.resolution() / _LAYOUT_DPI
    area = writer.pageLayout().paintRectPixels(writer.resolution())
    footer = _FOOTER_PT * _LAYOUT_DPI / 72
    # Whole layout pixels: Qt's layout rounds page breaks to 1/64 px, which must not drift.
    width, page = int(area.width() / scale), int(area.height() / scale - footer)
    device = _layout_device()
    fast = _Rows(device, scale)
    docs, drawn, pages = _measured(chunks, fast, width, page, device, top_up)

    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write PDF to {path}")
    foot = _Footer(st, len(pages), QRectF(0, page * scale, width * scale, footer * scale))
    try:
        for number, placements in enumerate(pages, start=1):
            if number > 1:
                writer.newPage()
            rows, rich = _page_parts(placements, drawn, chunks)
            for p in rich:
                doc = docs[p.chunk] or _document(chunks[p.chunk].html, width, page, device)
                painter.save()
                painter.scale(scale, scale)
                painter.translate(0, p.y - p.part * page)
                # Half a pixel short, so a block starting at the next page's edge stays off.
                doc.drawContents(painter, QRectF(0, p.part * page, width, page - 0.5))
                painter.restore()
            if rows:
                fast.draw(painter, rows)
            foot.draw(painter, number)
            top_up()
    finally:
        painter.end()


_MM = 72 / 25.4  # points per millimetre
_A4_MM = (210, 297)
#: The sheet in points as QPdfWriter writes A4 (whole points), so both writers' pages
#: are the same size.
_A4_PT = (595, 842)


def _render_own(
    st: Statement, path: Path, top_up: Callable[[], None], figures: bytes | None = None
) -> None:
    """The statement drawn by ``pdf_writer``: rich-text chunks through a recording paint
    device, entry rows straight into the page's operators, Qt only for fonts and the
    rich-text layout. Raises ``Undrawable`` (having written nothing) when it cannot."""
    chunks = statement_chunks(st)
    px_per_mm = _LAYOUT_DPI / 25.4
    left, top, right, bottom = (_MARGINS_MM.left(), _MARGINS_MM.top(), _MARGINS_MM.right(),
                                _MARGINS_MM.bottom())  # fmt: skip
    footer = _FOOTER_PT * _LAYOUT_DPI / 72
    width = int((_A4_MM[0] - left - right) * px_per_mm)
    page = int((_A4_MM[1] - top - bottom) * px_per_mm - footer)
    device = _layout_device()
    book = FontBook()
    pdf = PdfDocument(*_A4_PT)
    fast = _Rows(device, 1.0, book, pdf.font)
    docs, drawn, pages = _measured(chunks, fast, width, page, device, top_up)

    canvas = RichTextCanvas(book, pdf.font, width, page)
    foot = _OwnFooter(st, len(pages), book, (0.0, float(page), float(width), footer))
    painter = QPainter()
    recorded: dict[tuple[int, int], str] = {}  # (chunk, part) -> its operators
    for number, placements in enumerate(pages, start=1):
        sheet = Page(left * _MM, top * _MM, _A4_PT[1])
        rows, rich = _page_parts(placements, drawn, chunks)
        for p in rich:
            ops = recorded.get((p.chunk, p.part))
            if ops is None:  # drawn once, at the top of a fragment; placed where it goes
                doc = docs[p.chunk] or _document(chunks[p.chunk].html, width, page, device)
                canvas.page = Page(fragment=True)
                if not painter.begin(canvas):
                    raise Undrawable("the recording paint device did not start")
                painter.translate(0, -p.part * page)
                doc.drawContents(painter, QRectF(0, p.part * page, width, page - 0.5))
                painter.end()
                if canvas.unsupported:
                    raise Undrawable(canvas.unsupported[0])
                ops = canvas.page.operators()
                if len(recorded) < KEPT_DOCUMENTS:
                    recorded[(p.chunk, p.part)] = ops
            sheet.place(ops, p.y, width, page - 0.5)
        if rows:
            fast.draw_own(sheet, rows)
        foot.draw(sheet, number, pdf.font)
        pdf.add(sheet)
        top_up()
    title = f"{TITLE} — {st.contractor} for {st.client}"
    figures = statement_json(st) if figures is None else figures
    pdf.write(path, title=title, creator="hourproof", created=st.generated_at,
              xmp=xmp_packet(st, title, figures),
              attachments=[("statement.json", figures, "application/json")])  # fmt: skip


class _OwnFooter:
    """``_Footer`` for the own writer: the same line and texts, measured with the
    embedded font's advances."""

    def __init__(self, st: Statement, pages: int, book: FontBook,
                 rect: tuple[float, float, float, float]) -> None:  # fmt: skip
        font = _font(7.5)
        self.chain, self.pages, self.rect = book.chain(font), pages, rect
        self.size = 7.5 * _LAYOUT_DPI / 72
        metrics = QFontMetricsF(font, QImage(1, 1, QImage.Format.Format_RGB32))
        self.metrics = (metrics.ascent(), metrics.descent(), metrics.height())
        self.line, self.muted = rgb(LINE), rgb(MUTED)
        self.left = f"{TITLE} · {st.contractor} · key {st.fingerprint}"
        self._elided: dict[float, str] = {}

    def _width(self, text: str) -> float:
        return self.chain.measure(text) * self.size

    def _elide(self, room: float) -> str:
        found = self._elided.get(room)
        if found is None:
            text = self.left
            if self._width(text) > room:
                while text and self._width(text + "…") > room:
                    text = text[:-1]
                text += "…"
            found = self._elided[room] = text
        return found

    def draw(self, page: Page, number: int, resource: Callable[[FontProgram], str]) -> None:
        x, y, w, h = self.rect
        page.line(x, y, x + w, y, HAIRLINE, self.line)
        right = f"Page {number} of {self.pages}"
        right_w = self._width(right)
        left = self._elide(w - right_w - self._width("MMMM"))
        ascent, _descent, height = self.metrics
        base = y + (h - height) / 2 + ascent
        size = f"{self.size:.4f}"
        show = self.chain.show
        page.texts(resource(self.chain.primary), size, self.muted, [
            (f"{x:.2f} {base:.2f}", show(left, size, resource)),
            (f"{x + w - right_w:.2f} {base:.2f}", show(right, size, resource)),
        ])  # fmt: skip


class _Footer:
    """The line and "title · contractor · key … Page X of Y" at the foot of every page."""

    def __init__(self, st: Statement, pages: int, rect: QRectF) -> None:
        self.font, self.pages, self.rect = _font(7.5), pages, rect
        self.line, self.muted = QColor(LINE), QColor(MUTED)
        self.left = f"{TITLE} · {st.contractor} · key {st.fingerprint}"
        self._elided: dict[float, str] = {}  # the left text, elided to the room it has

    def draw(self, painter: QPainter, page: int) -> None:
        rect = self.rect
        painter.save()
        painter.setFont(self.font)
        painter.setPen(self.line)
        painter.drawLine(rect.topLeft(), rect.topRight())
        painter.setPen(self.muted)
        right = f"Page {page} of {self.pages}"
        metrics = painter.fontMetrics()
        room = rect.width() - metrics.horizontalAdvance(right) - metrics.horizontalAdvance("MMMM")
        left = self._elided.get(room)
        if left is None:
            left = self._elided[room] = metrics.elidedText(
                self.left, Qt.TextElideMode.ElideRight, int(room)
            )
        align = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(rect, align | Qt.AlignmentFlag.AlignLeft, left)
        painter.drawText(rect, align | Qt.AlignmentFlag.AlignRight, right)
        painter.restore()


_PAD = 4.0  # cellpadding of the rich-text rows, in layout pixels
_Key = tuple[bool, bool, float]  # bold, struck through, point size
_Style = tuple[_Key, str]  # font, colour
_Piece = tuple[float, str, _Key, Run]  # x in its line, text, font, the run it is from
_Column = tuple[float, float, str]  # x, width, alignment


class _Cell:
    """What one table cell (or a row's amendment lines) paints, ready to draw.

    ``groups`` holds its texts by style, in the order laid out: (x in device pixels,
    baseline y in layout pixels from the row's top, text); ``badges`` are the label
    backgrounds under some of them: (x, baseline y, width in device pixels, ascent,
    height in device pixels, colour). Entry rows repeat most of their cells (hours,
    source, label, evidence…), so a cell is laid out once per column and shared by
    every row that shows it."""

    __slots__ = ("badges", "groups", "lines", "ops")

    def __init__(self, lines: int) -> None:
        self.lines = lines
        self.groups: dict[_Style, list[tuple[float, float, str]]] = {}
        self.badges: list[tuple[float, float, float, float, float, str]] = []
        #: For the own writer: the cell's PDF operators, from the row's top (made once).
        self.ops = ""

    def text(self, xs: float, y: float, text: str, style: _Style) -> None:
        found = self.groups.get(style)
        if found is None:
            found = self.groups[style] = []
        found.append((xs, y, text))


class _Drawing:
    """A measured row: its height and what to paint, in layout pixels from its top."""

    __slots__ = ("cells", "fills", "frame", "height", "rules", "width")

    def __init__(self) -> None:
        self.height = self.width = 0.0
        self.frame = ""  # the own writer's operators for ``fills`` and ``rules``
        self.cells: list[_Cell] = []
        self.fills: list[tuple[float, float, float, float, str]] = []  # x, y, w, h, colour
        self.rules: list[float] = []  # y of each bottom border


class _Rows:
    """Lays out and paints RowSpec rows like the rich-text table rows look.

    One instance per rendering: its caches (fonts, text advances, laid-out cells) live
    as long as the statement being drawn."""

    def __init__(
        self, device: QImage, scale: float, book: FontBook | None = None,
        resource: Callable[[FontProgram], str] | None = None,
    ) -> None:  # fmt: skip
        # Measured on the 96-dpi layout device, so advances are in layout pixels; with a
        # ``book`` (the own writer) by the embedded fonts' advances, as the PDF shows them,
        # and each laid-out cell keeps its PDF operators (fonts named by ``resource``).
        self.device, self.scale, self.book = device, scale, book
        self.resource = resource
        self._chains: dict[_Key, FontChain] = {}
        self._pdf_colours: dict[str, str] = {}
        self._frames: dict[tuple[object, ...], str] = {}
        self._fonts: dict[_Key, tuple[QFont, QFontMetricsF]] = {}
        self._advances: dict[tuple[_Key, str], float] = {}
        self._cells: dict[tuple[tuple[Line, ...], float, float, str], _Cell] = {}
        self._colours: dict[str, QColor] = {}
        self._geometry: dict[tuple[tuple[tuple[str, int], ...], float], list[_Column]] = {}
        body = self.font((False, False, 8.0))[1]  # the table text
        self._line_h, self._ascent = body.lineSpacing(), body.ascent()

    def advance(self, key: _Key, text: str) -> float:
        found = self._advances.get((key, text))
        if found is None:
            if self.book is None:
                found = self.font(key)[1].horizontalAdvance(text)
            else:
                found = self.chain(key).measure(text) * key[2] * _LAYOUT_DPI / 72
            if len(self._advances) < 200_000:
                self._advances[(key, text)] = found
        return found

    def font(self, key: _Key) -> tuple[QFont, QFontMetricsF]:
        found = self._fonts.get(key)
        if found is None:
            bold, strike, points = key
            font = _font(points)
            font.setBold(bold)
            font.setStrikeOut(strike)
            found = self._fonts[key] = (font, QFontMetricsF(font, self.device))
        return found

    def chain(self, key: _Key) -> FontChain:
        found = self._chains.get(key)
        if found is None:
            assert self.book is not None
            found = self._chains[key] = self.book.chain(self.font(key)[0])
        return found

    def pdf_colour(self, name: str) -> str:
        found = self._pdf_colours.get(name)
        if found is None:
            found = self._pdf_colours[name] = rgb(name)
        return found

    def colour(self, name: str) -> QColor:
        found = self._colours.get(name)
        if found is None:
            found = self._colours[name] = QColor(name)
        return found

    def _lines(self, lines: tuple[Line, ...], width: float, points: float) -> list[list[_Piece]]:
        """Wrap runs into lines of at most ``width``: (x, text, font key, run) pieces."""
        out: list[list[_Piece]] = []
        for line in lines:
            self._wrap(line, width, points, out)
        return out

    def _wrap(self, line: Line, width: float, points: float, out: list[list[_Piece]]) -> None:
        """Append ``line`` to ``out`` as one or more lines of at most ``width``.

        A word wider than the line is cut; a line that wraps drops the spaces it would
        start with (after the cell's first line)."""
        row: list[_Piece] = []
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

    def _add(self, cell: _Cell, x: float, y: float, w: float, text: str, key: _Key,
             run: Run) -> None:  # fmt: skip
        s = self.scale
        cell.text(x * s, y, text, (key, run.color))
        if run.badge:
            metrics = self.font(key)[1]
            ascent = metrics.ascent()
            cell.badges.append((x * s, y, w * s, ascent, (ascent + metrics.descent()) * s,
                                run.badge))  # fmt: skip

    def _cell(self, lines: tuple[Line, ...], x0: float, cw: float, align: str) -> _Cell:
        """Lay out one table cell whose column starts at ``x0`` and is ``cw`` wide."""
        line_h, ascent = self._line_h, self._ascent
        inner, right = cw - 2 * _PAD, align == "right"
        cell = _Cell(0)
        laid: list[list[_Piece]] = []
        for line in lines:
            if len(line) == 1 and not line[0].badge:  # one run: placed as is when it fits
                run = line[0]
                key = (run.bold, run.strike, 8.0)
                w = self.advance(key, run.text)
                if w <= inner:  # what _wrap and _merged make of it, without the lists
                    shift = (cw - 2 * _PAD - w) if right else 0.0
                    y = _PAD + len(laid) * line_h + ascent
                    cell.text((x0 + _PAD + shift + 0.0) * self.scale, y, run.text, (key, run.color))
                    laid.append([])
                    continue
            first = len(laid)
            self._wrap(line, inner, 8.0, laid)
            for i in range(first, len(laid)):
                pieces = laid[i]
                if not pieces:
                    continue
                end = pieces[-1][0] + self.advance(pieces[-1][2], pieces[-1][1])
                shift = (cw - 2 * _PAD - end) if right else 0.0
                y = _PAD + i * line_h + ascent
                for px, text, key, run, w in _merged(pieces, self):
                    self._add(cell, x0 + _PAD + shift + px, y, w, text, key, run)
        cell.lines = len(laid)
        if self.book is not None:
            cell.ops = self._cell_ops(cell)
        return cell

    def _cell_ops(self, cell: _Cell) -> str:
        """The own writer's operators of a laid-out cell: badges, then texts by style."""
        ops = [f"{self.pdf_colour(colour)} rg {xs:.2f} {y - ascent:.2f} {w:.2f} {hs:.2f} re f\n"
               for xs, y, w, ascent, hs, colour in cell.badges]  # fmt: skip
        assert self.resource is not None
        for (key, colour), texts in cell.groups.items():
            chain, size, ink = self.chain(key), key[2] * _LAYOUT_DPI / 72, self.pdf_colour(colour)
            written, resource = f"{size:.4f}", self.resource
            ops.append(f"BT /{resource(chain.primary)} {written} Tf {ink} rg\n")
            ops.extend(f"1 0 0 -1 {xs:.2f} {y:.2f} Tm{chain.show(t, written, resource)}\n"
                       for xs, y, t in texts)  # fmt: skip
            ops.append("ET\n")
            if key[1]:  # struck through: the line Qt's font would draw
                program = chain.primary
                at, thick = program.strike_pos * size, max(program.strike_size * size, 0.5)
                ops.extend(f"{ink} RG {thick:.3f} w {xs:.2f} {y - at:.2f} m "
                           f"{xs + self.advance(key, t):.2f} {y - at:.2f} l S\n"
                           for xs, y, t in texts)  # fmt: skip
        cell.groups = {}
        return "".join(ops)

    def _frame(self, d: _Drawing) -> str:
        """The own writer's operators of a row's backgrounds and bottom rules."""
        spot = (d.width, tuple(d.fills), tuple(d.rules))
        found = self._frames.get(spot)
        if found is None:
            line = self.pdf_colour(LINE)
            ops = [f"{self.pdf_colour(c)} rg {x:.2f} {y:.2f} {w:.2f} {h:.2f} re f\n"
                   for x, y, w, h, c in d.fills]  # fmt: skip
            ops += [f"{line} RG {HAIRLINE:g} w 0 {y:.2f} m {d.width:.2f} {y:.2f} l S\n"
                    for y in d.rules]  # fmt: skip
            found = "".join(ops)
            if len(self._frames) < 10_000:
                self._frames[spot] = found
        return found

    def layout(self, spec: RowSpec, width: float) -> _Drawing:
        d = _Drawing()
        d.width = width
        geometry = self._geometry.get((spec.columns, width))
        if geometry is None:
            geometry, left = [], 0.0
            for align, percent in spec.columns:
                cw = width * percent / 100
                geometry.append((left, cw, align))
                left += cw
            self._geometry[(spec.columns, width)] = geometry
        cells, most = self._cells, 0
        for (left, cw, align), lines in zip(geometry, spec.cells, strict=True):
            spot = (lines, left, cw, align)
            cell = cells.get(spot)
            if cell is None:
                cell = cells[spot] = self._cell(lines, left, cw, align)
            d.cells.append(cell)
            if cell.lines > most:
                most = cell.lines
        row_h = most * self._line_h + 2 * _PAD  # the tallest cell's lines, and padding
        if spec.background:
            d.fills.append((0.0, 0.0, width, row_h, spec.background))
        d.rules.append(row_h)
        y = row_h
        if spec.extras:
            small = self.font((False, False, 7.5))[1]
            small_h, small_ascent = small.lineSpacing(), small.ascent()
            extra = _Cell(0)
            for bg, line in spec.extras:
                laid = self._lines((line,), width - 2 * _PAD, 7.5)
                h = len(laid) * small_h + 2 * _PAD
                d.fills.append((0.0, y, width, h, bg))
                for i, pieces in enumerate(laid):
                    for px, text, key, run, w in _merged(pieces, self):
                        self._add(extra, _PAD + px, y + _PAD + i * small_h + small_ascent, w,
                                  text, key, run)  # fmt: skip
                y += h
                d.rules.append(y)
            d.cells.append(extra)
            if self.book is not None:
                extra.ops = self._cell_ops(extra)
        d.height = y
        if self.book is not None:
            d.frame = self._frame(d)
        return d

    def draw(self, painter: QPainter, rows: list[tuple[_Drawing, float]]) -> None:
        """Paint the rows of one page, each at its top: backgrounds and rules row by row,
        then the label badges, then the texts style by style (a font or colour change
        per text would cost as much as the text)."""
        s = self.scale
        painter.setPen(self.colour(LINE))
        for d, top in rows:
            for x, y, w, h, colour in d.fills:
                painter.fillRect(QRectF(x * s, (top + y) * s, w * s, h * s), self.colour(colour))
            for y in d.rules:
                painter.drawLine(QPointF(0, (top + y) * s), QPointF(d.width * s, (top + y) * s))
        styles: dict[_Style, list[tuple[float, list[tuple[float, float, str]]]]] = {}
        for d, top in rows:
            for cell in d.cells:
                for xs, y, w, ascent, hs, colour in cell.badges:
                    painter.fillRect(QRectF(xs, (top + y - ascent) * s, w, hs), self.colour(colour))
                for style, texts in cell.groups.items():
                    found = styles.get(style)
                    if found is None:
                        found = styles[style] = []
                    found.append((top, texts))
        text_at, point = painter.drawText, QPointF  # ~240,000 calls at 20,000 entries
        for (key, colour), placed in styles.items():
            painter.setFont(self.font(key)[0])
            painter.setPen(self.colour(colour))
            for top, texts in placed:
                for xs, y, text in texts:
                    text_at(point(xs, (top + y) * s), text)

    def draw_own(self, page: Page, rows: list[tuple[_Drawing, float]]) -> None:
        """``draw`` for the own writer: every row's backgrounds and rules, then every
        row's cells (each row moved to its top with ``cm``)."""
        ops = page.ops
        for d, top in rows:
            ops.append(f"q 1 0 0 1 0 {top:.2f} cm\n{d.frame}Q\n")
        for d, top in rows:
            ops.append(f"q 1 0 0 1 0 {top:.2f} cm\n")
            ops.extend(cell.ops for cell in d.cells)
            ops.append("Q\n")


def _merged(pieces: list[_Piece], rows: _Rows) -> list[tuple[float, str, _Key, Run, float]]:
    """Consecutive pieces of one line in the same style, drawn as one text."""
    out: list[tuple[float, str, _Key, Run, float]] = []
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
