"""Icons from package data (importlib.resources), rendered crisp at every tray size.

The SVGs are read as bytes, so this works from a wheel, a zip or a frozen build;
they are rasterised once per size with QtSvg rather than relying on an icon theme.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer

APP_ID = "io.hourproof.Hourproof"
TRAY_STATES = ("idle", "running", "warning")
_SIZES = (16, 20, 22, 24, 32, 48, 64, 128, 256)


def resource_bytes(name: str) -> bytes:
    """The bytes of a file shipped in ``hourproof/resources``."""
    return files("hourproof.resources").joinpath(name).read_bytes()


def _badge(pixmap: QPixmap) -> QPixmap:
    """An amber "!" badge in the bottom-right corner, over whatever the icon shows."""
    size = pixmap.width()
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    d = max(7.0, size * 0.5)
    circle = QRectF(size - d, size - d, d, d)
    painter.setPen(QPen(QColor("#78350f"), max(1.0, size / 24)))
    painter.setBrush(QColor("#f59e0b"))
    painter.drawEllipse(circle.adjusted(0.5, 0.5, -0.5, -0.5))
    font = painter.font()
    font.setBold(True)
    font.setPixelSize(max(6, int(d * 0.8)))
    painter.setFont(font)
    painter.setPen(QColor("#1c1917"))
    painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, "!")
    painter.end()
    return pixmap


def _render(data: bytes, size: int) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(data))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


@cache
def svg_icon(name: str) -> QIcon:
    """A QIcon with pixmaps rendered from the SVG resource ``name`` at common sizes."""
    data = resource_bytes(name)
    icon = QIcon()
    for size in _SIZES:
        icon.addPixmap(_render(data, size))
    return icon


def app_icon() -> QIcon:
    return svg_icon(f"{APP_ID}.svg")


@cache
def tray_icon(state: str, badge: bool = False) -> QIcon:
    """The tray icon for ``idle``, ``running`` or ``warning``; ``badge`` adds the warning
    badge on top, so a running timer stays visible while anchoring needs attention."""
    if state not in TRAY_STATES:
        raise ValueError(f"unknown tray state {state!r}")
    if not badge:
        return svg_icon(f"hourproof-tray-{state}.svg")
    data = resource_bytes(f"hourproof-tray-{state}.svg")
    icon = QIcon()
    for size in _SIZES:
        icon.addPixmap(_badge(_render(data, size)))
    return icon
