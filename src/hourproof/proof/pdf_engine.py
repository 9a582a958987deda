"""Qt's side of report.pdf's own writer: fonts from Qt, and rich text painted onto a Page.

``FontBook`` turns the QFonts the report uses into embeddable ``FontProgram``s (the
font files Qt resolved, read through QRawFont). ``RichTextCanvas`` is a QPaintDevice
whose paint engine records what a QTextDocument paints — text items, filled
rectangles, lines — as operators of a ``pdf_writer.Page`` in layout pixels. Anything
else (images, curves, gradients, transparency, rotation) is not drawn but noted in
``RichTextCanvas.unsupported``, and report_pdf then falls back to Qt's own PDF writer;
so does a character no embedded font has a glyph for.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPaintDevice,
    QPaintEngine,
    QPaintEngineState,
    QPen,
    QRawFont,
    QTextItem,
)

from hourproof.proof.pdf_font import FontChain, FontProgram, Undrawable
from hourproof.proof.pdf_writer import HAIRLINE, Page, rgb

_TAGS = ("head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap", "cvt ", "fpgm", "prep",
         "OS/2", "post", "name")  # fmt: skip
_DPI = 96


class FontBook:
    """The embeddable font behind each QFont used, one ``FontProgram`` per face."""

    def __init__(self) -> None:
        self._by_key: dict[str, FontChain] = {}
        self._by_face: dict[tuple[str, str, int, int], FontProgram] = {}

    def chain(self, font: QFont) -> FontChain:
        """The fonts ``font`` is drawn with: the one Qt resolves, then each family of
        its list that resolves to another face (Qt's order for missing glyphs)."""
        key = font.key()
        found = self._by_key.get(key)
        if found is None:
            programs = [self._face(QRawFont.fromFont(font))]
            for family in font.families():
                other = QFont(font)
                other.setFamilies([family])
                try:
                    program = self._face(QRawFont.fromFont(other))
                except Undrawable:
                    continue
                if program not in programs:
                    programs.append(program)
            found = self._by_key[key] = FontChain(programs)
        return found

    def _face(self, raw: QRawFont) -> FontProgram:
        if not raw.isValid():
            raise Undrawable("Qt found no font file to embed")
        face = (raw.familyName(), raw.styleName(), int(raw.weight()), int(raw.style().value))
        found = self._by_face.get(face)
        if found is None:
            tables = {tag.encode("latin-1"): bytes(raw.fontTable(tag).data()) for tag in _TAGS}
            name = f"{raw.familyName()}-{raw.styleName()}".replace(" ", "")
            found = self._by_face[face] = FontProgram(name, tables, lambda ch: _glyph(raw, ch))
        return found


def _glyph(raw: QRawFont, ch: str) -> int:
    ids = raw.glyphIndexesForString(ch)
    return int(ids[0]) if len(ids) == 1 else 0


class _Engine(QPaintEngine):
    """Records a QPainter's text, rectangles and lines onto the canvas's current page."""

    def __init__(self, canvas: RichTextCanvas) -> None:
        super().__init__(QPaintEngine.PaintEngineFeature.AllFeatures)
        self.canvas = canvas
        self.pen, self.brush = QPen(), QBrush()
        self.scale, self.dx, self.dy = 1.0, 0.0, 0.0

    def begin(self, pdev: QPaintDevice) -> bool:
        return True

    def end(self) -> bool:
        return True

    def type(self) -> QPaintEngine.Type:
        return QPaintEngine.Type.User

    def updateState(self, state: QPaintEngineState) -> None:
        flags = state.state()
        if flags & QPaintEngine.DirtyFlag.DirtyPen:
            self.pen = state.pen()
        if flags & QPaintEngine.DirtyFlag.DirtyBrush:
            self.brush = state.brush()
        if flags & QPaintEngine.DirtyFlag.DirtyTransform:
            t = state.transform()
            if t.m12() or t.m21() or t.m11() != t.m22() or t.m11() <= 0:
                self.canvas.unsupported.append("a rotated or sheared drawing")
            self.scale, self.dx, self.dy = t.m11(), t.dx(), t.dy()
        if flags & QPaintEngine.DirtyFlag.DirtyOpacity and state.opacity() < 1:
            self.canvas.unsupported.append("transparency")

    def _colour(self, colour: QColor) -> str | None:
        if colour.alpha() == 0:
            return None
        if colour.alpha() < 255:
            self.canvas.unsupported.append("a translucent colour")
        return rgb(colour.name())

    def _x(self, x: float) -> float:
        return x * self.scale + self.dx

    def _y(self, y: float) -> float:
        return y * self.scale + self.dy

    def drawTextItem(self, p: QPointF, textItem: QTextItem) -> None:  # type: ignore[override]
        canvas, text = self.canvas, textItem.text()
        colour = self._colour(self.pen.color())
        if colour is None or not text:
            return
        font = textItem.font()
        try:
            chain = canvas.fonts.chain(font)
            size = _pixels(font) * self.scale
            width = chain.measure(text) * size
        except Undrawable as exc:
            canvas.unsupported.append(str(exc))
            return
        x, y = self._x(p.x()), self._y(p.y())
        # Qt laid the item out with its own (hinted) advances: spread the difference
        # over the gaps between glyphs, so right-aligned and centred text ends where
        # Qt put its end.
        laid = textItem.width() * self.scale
        spacing = (laid - width) / (len(text) - 1) if len(text) > 1 else 0.0
        if abs(spacing) < 0.001:
            spacing = 0.0
        written = f"{size:.4f}"
        resource = canvas.resource
        shown = chain.show(text, written, resource)
        canvas.page.texts(resource(chain.primary), written, colour,
                          [(f"{x:.2f} {y:.2f}", shown)], spacing)  # fmt: skip
        # Underline and strike-out lines: QPainter draws them itself (drawLines/drawRects).

    def drawRects(self, rects: object, rectCount: int = 0) -> None:
        items = rects if isinstance(rects, list | tuple) else [rects]
        fill = self.brush.style() != Qt.BrushStyle.NoBrush
        if fill and self.brush.style() != Qt.BrushStyle.SolidPattern:
            self.canvas.unsupported.append("a patterned fill")
        fill_colour = self._colour(self.brush.color()) if fill else None
        stroke = self.pen.style() != Qt.PenStyle.NoPen
        stroke_colour = self._colour(self.pen.color()) if stroke else None
        page = self.canvas.page
        for r in items:
            rect = QRectF(r)  # type: ignore[arg-type]
            x, y = self._x(rect.x()), self._y(rect.y())
            w, h = rect.width() * self.scale, rect.height() * self.scale
            if fill_colour is not None:
                page.fill(x, y, w, h, fill_colour)
            if stroke_colour is not None:
                width = self._pen_width()
                page.line(x, y, x + w, y, width, stroke_colour)
                page.line(x + w, y, x + w, y + h, width, stroke_colour)
                page.line(x + w, y + h, x, y + h, width, stroke_colour)
                page.line(x, y + h, x, y, width, stroke_colour)

    def drawLines(self, lines: object, lineCount: int = 0) -> None:
        items = lines if isinstance(lines, list | tuple) else [lines]
        if self.pen.style() == Qt.PenStyle.NoPen:
            return
        colour = self._colour(self.pen.color())
        if colour is None:
            return
        for item in items:
            line = QLineF(item)  # type: ignore[arg-type]
            self.canvas.page.line(self._x(line.x1()), self._y(line.y1()), self._x(line.x2()),
                                  self._y(line.y2()), self._pen_width(), colour)  # fmt: skip

    def _pen_width(self) -> float:
        width = self.pen.widthF()
        return HAIRLINE if width == 0 or self.pen.isCosmetic() else width * self.scale

    def drawPixmap(self, r: object, pm: object, sr: object) -> None:
        self.canvas.unsupported.append("an image")

    def drawImage(self, *args: object) -> None:
        self.canvas.unsupported.append("an image")

    def drawTiledPixmap(self, *args: object) -> None:
        self.canvas.unsupported.append("an image")

    def drawPath(self, path: object) -> None:
        self.canvas.unsupported.append("a curve")

    def drawPolygon(self, *args: object) -> None:
        self.canvas.unsupported.append("a polygon")

    def drawEllipse(self, *args: object) -> None:
        self.canvas.unsupported.append("an ellipse")

    def drawPoints(self, *args: object) -> None:
        self.canvas.unsupported.append("points")


def _pixels(font: QFont) -> float:
    """A font's size in layout pixels (96 per inch)."""
    points = font.pointSizeF()
    return points * _DPI / 72 if points > 0 else float(font.pixelSize())


class RichTextCanvas(QPaintDevice):
    """A 96-dpi paint device whose painting lands on ``page`` (set before each chunk)."""

    def __init__(
        self, fonts: FontBook, resource: Callable[[FontProgram], str], width: int, height: int
    ) -> None:
        super().__init__()
        self.fonts = fonts
        self.resource = resource  # FontProgram -> its resource name in the document
        self.page: Page = Page(0, 0, 0)
        self.unsupported: list[str] = []
        self._size = (width, height)
        self._engine = _Engine(self)

    def paintEngine(self) -> QPaintEngine:
        return self._engine

    def metric(self, metric: QPaintDevice.PaintDeviceMetric) -> int:
        m = QPaintDevice.PaintDeviceMetric
        width, height = self._size
        values = {
            m.PdmWidth: width, m.PdmHeight: height, m.PdmDpiX: _DPI, m.PdmDpiY: _DPI,
            m.PdmPhysicalDpiX: _DPI, m.PdmPhysicalDpiY: _DPI, m.PdmDepth: 32,
            m.PdmWidthMM: round(width * 25.4 / _DPI), m.PdmHeightMM: round(height * 25.4 / _DPI),
            m.PdmNumColors: 1 << 24, m.PdmDevicePixelRatio: 1,
            m.PdmDevicePixelRatioScaled: round(QPaintDevice.devicePixelRatioFScale()),
        }  # fmt: skip
        return values.get(metric, 0)
