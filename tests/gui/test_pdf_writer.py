"""report.pdf's own writer (proof/pdf_writer, pdf_font, pdf_engine) against Qt's.

The own writer must draw the same pages as QPdfWriter did (compared as pixels), keep
the text searchable, embed working font subsets, write a well-formed file, be
deterministic, and hand every statement it cannot draw to Qt's writer."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QRawFont

from hourproof.proof.model import (
    RECORDED_BY,
    SELF_REPORTED,
    Amendment,
    ReportEntry,
    Statement,
    TotalLine,
)
from hourproof.proof.pdf_engine import FontBook, RichTextCanvas
from hourproof.proof.pdf_font import FontProgram, FontUnusable, Uncovered, Undrawable
from hourproof.proof.report_binding import pdf_problems
from hourproof.proof.report_pdf import _font, render_pdf

pytestmark = pytest.mark.usefixtures("qapp")
POPPLER = all(shutil.which(t) for t in ("pdftoppm", "pdftotext", "pdfinfo", "pdffonts"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="needs poppler-utils")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _statement(entries: int = 40, note: str = "Zoë’s café — 5 € fee → paid") -> Statement:
    items = []
    for n in range(entries):
        start = T0 + timedelta(hours=5 * n)
        items.append(ReportEntry(
            id=n, project="Website", client="Acme", task="Design", tags=("dev",),
            note=f"{note} #{n}", start=start, end=start + timedelta(hours=2), seconds=7200,
            source="timer", amount_minor=19000, currency="EUR",
            label=RECORDED_BY if n % 3 else SELF_REPORTED,
            recorded_by=start + timedelta(hours=3) if n % 3 else None,
            lag_seconds=3600 if n % 3 else None, late=n == 1, removed=n == 5,
            amendments=(Amendment(99, "entry.amend", start, "typo fixed",
                                  {"end": "2026-03-02T18:00:00Z"}),) if n % 7 == 0 else (),
        ))  # fmt: skip
    counted = [e for e in items if not e.removed]
    total = 7200 * len(counted)
    return Statement(
        contractor="ada@example.org", fingerprint="SHA256:q3Nf0pWz8dJ1kX7bV5mYt2cR9aL4eH6sG0u",
        client="Acme", project=None, period_start=T0, period_end=T0 + timedelta(days=30),
        generated_at=T0, tree_size=420, entries=items,
        by_day=[TotalLine((T0 + timedelta(days=d)).date().isoformat(), 7200, {"EUR": 19000})
                for d in range(len(counted))],
        by_project=[TotalLine("Website", total, {"EUR": 19000 * len(counted)})],
        total_seconds=total, total_amounts={"EUR": 19000 * len(counted)},
    )  # fmt: skip


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _pages(path: Path, out: Path, dpi: int = 40) -> list[tuple[int, int, bytes]]:
    """Every page as an 8-bit grey image: (width, height, pixels)."""
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(path), str(out)], check=True)
    pages = []
    for pgm in sorted(out.parent.glob(out.name + "-*.pgm")):
        data = pgm.read_bytes()
        magic, width, height, _depth, rest = data.split(maxsplit=4)
        assert magic == b"P5"
        pages.append((int(width), int(height), rest))
    return pages


@needs_poppler
def test_own_pages_look_like_qt_pages(tmp_path: Path) -> None:
    st = _statement()
    own, qt = tmp_path / "own.pdf", tmp_path / "qt.pdf"
    render_pdf(st, own, writer="own")
    render_pdf(st, qt, writer="qt")
    a, b = _pages(own, tmp_path / "a"), _pages(qt, tmp_path / "b")
    assert len(a) == len(b) >= 3
    for number, ((wa, ha, pa), (wb, hb, pb)) in enumerate(zip(a, b, strict=True), start=1):
        assert (wa, ha) == (wb, hb)
        # Glyph edges are rasterised a little differently (Qt's subsets are hinted
        # differently); a moved, missing or extra text line differs by far more.
        mean = sum(abs(x - y) for x, y in zip(pa, pb, strict=True)) / len(pa)
        assert mean < 1.5, f"page {number} differs by {mean:.2f} grey levels on average"


@needs_poppler
def test_own_writer_keeps_the_text_searchable_and_embeds_subsets(tmp_path: Path) -> None:
    out = tmp_path / "own.pdf"
    render_pdf(_statement(), out, writer="own")
    text = " ".join(_run("pdftotext", str(out), "-").split())
    phrases = ("Statement of hours", "Zoë’s café — 5 € fee → paid #3", "Self-reported",
               "Page 1 of", "end → 2026-03-02T18:00:00Z", "↳",
               "SHA256:q3Nf0pWz8dJ1kX7bV5mYt2cR9aL4eH6sG0u")  # fmt: skip
    for phrase in phrases:
        assert phrase in text
    fonts = _run("pdffonts", str(out)).splitlines()[2:]
    assert fonts
    for line in fonts:
        name, *_rest = line.split()
        assert re.fullmatch(r"[A-Z]{6}\+\S+", name), line
        assert line.split()[-5:-2] == ["yes", "yes", "yes"], line  # embedded, subset, unicode
    info = _run("pdfinfo", str(out))
    assert re.search(r"^Producer:\s+hourproof$", info, re.M)
    assert re.search(r"^Page size:\s+595 x 842 pts \(A4\)", info, re.M)  # as Qt writes A4


def test_own_writer_output_is_a_function_of_the_statement(tmp_path: Path) -> None:
    one, two = tmp_path / "1.pdf", tmp_path / "2.pdf"
    render_pdf(_statement(), one, writer="own")
    render_pdf(_statement(), two, writer="own")
    assert one.read_bytes() == two.read_bytes()
    render_pdf(_statement(note="another note"), two, writer="own")
    assert one.read_bytes() != two.read_bytes()


def test_cross_reference_table_points_at_every_object(tmp_path: Path) -> None:
    out = tmp_path / "own.pdf"
    render_pdf(_statement(), out, writer="own")
    data = out.read_bytes()
    start = int(data.rsplit(b"startxref\n", 1)[1].split()[0])
    assert data[start:].startswith(b"xref\n0 ")
    count = int(data[start:].split()[2])
    rows = data[start:].split(b"\n")[2 : 2 + count]
    assert rows[0] == b"0000000000 65535 f "
    for number, row in enumerate(rows[1:], start=1):
        offset = int(row[:10])
        assert data[offset:].startswith(b"%d 0 obj\n" % number), number
    assert pdf_problems(data, _statement()) is None


@needs_poppler
@pytest.mark.parametrize(
    ("note", "first"),
    [
        ("日本語のメモ", "U+65E5"),  # no glyphs in the report's Latin fonts
        ("שלום עולם", "U+05E9"),  # right to left: drawn glyph by glyph it would read backwards
        ("cafe\u0301", "U+0301"),  # a combining accent, placed by Qt's shaping
    ],
)
def test_what_the_own_writer_cannot_draw_goes_to_qt(tmp_path: Path, note: str, first: str) -> None:
    st = _statement(note=note)
    with pytest.raises(Undrawable, match=re.escape(first)):
        render_pdf(st, tmp_path / "own.pdf", writer="own")
    assert not (tmp_path / "own.pdf").exists()
    out = tmp_path / "auto.pdf"
    render_pdf(st, out)
    assert re.search(r"^Producer:\s+Qt", _run("pdfinfo", str(out)), re.M)
    assert pdf_problems(out.read_bytes(), st) is None


def test_unknown_writer_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown PDF writer"):
        render_pdf(_statement(2), tmp_path / "x.pdf", writer="cairo")


def _program(text: str) -> tuple[FontProgram, QRawFont]:
    book = FontBook()
    font = _font(9)
    program = book.chain(font).primary
    assert program.covers(text) is None
    return program, QRawFont.fromFont(font)


def test_embedded_subset_loads_with_the_used_glyphs_and_advances() -> None:
    program, raw = _program("Hours é€→")
    data = program.embedded()
    sub = QRawFont(data, raw.pixelSize())
    assert sub.isValid()
    for ch in "Hours é€→":
        gid = program.glyph(ch)
        assert sub.advancesForGlyphIndexes([gid]) == raw.advancesForGlyphIndexes([gid])
        if not ch.isspace():  # é may be a composite: its parts must have come along
            assert not sub.pathForGlyph(gid).isEmpty(), ch
    unused = program.glyph("Z")
    assert unused not in program.used
    assert sub.pathForGlyph(unused).isEmpty() and not raw.pathForGlyph(unused).isEmpty()
    total = sum(struct.unpack(f">{len(data) // 4}I", data + b"\0" * (-len(data) % 4)))
    assert total & 0xFFFFFFFF == 0xB1B0AFBA  # head.checkSumAdjustment is right


def test_measure_and_hex_follow_the_glyphs() -> None:
    program, raw = _program("Ab")
    ids = raw.glyphIndexesForString("Ab")
    assert program.hex("Ab") == "".join(f"{g:04X}" for g in ids)
    advances = raw.advancesForGlyphIndexes(ids)
    em = sum(a.x() for a in advances) / raw.pixelSize()
    assert program.measure("Ab") == pytest.approx(em, abs=0.02)  # Qt's may be hinted
    with pytest.raises(Uncovered, match="U\\+65E5"):
        program.measure("A日")


def test_a_font_that_forbids_embedding_is_refused() -> None:
    program, _raw = _program("A")
    tables = dict(program.tables)
    os2 = bytearray(tables[b"OS/2"])
    struct.pack_into(">H", os2, 8, 0x0002)  # restricted licence
    tables[b"OS/2"] = bytes(os2)
    with pytest.raises(FontUnusable, match="may not be embedded"):
        FontProgram("Restricted", tables, program.glyph)
    tables[b"OS/2"] = program.tables[b"OS/2"]
    with pytest.raises(FontUnusable, match="damaged tables"):
        FontProgram("Truncated", {**tables, b"hmtx": b"\0\1"}, program.glyph)
    del tables[b"glyf"]
    with pytest.raises(FontUnusable, match="glyf"):
        FontProgram("NoOutlines", tables, program.glyph)


@pytest.mark.parametrize("draw", ["ellipse", "image", "translucent", "rotated"])
def test_the_recording_device_names_what_it_cannot_draw(draw: str) -> None:
    canvas = RichTextCanvas(FontBook(), lambda _program: "F1", 200, 200)
    painter = QPainter()
    assert painter.begin(canvas)
    if draw == "ellipse":
        painter.setBrush(QColor("#123456"))
        painter.drawEllipse(QRectF(10, 10, 50, 30))
    elif draw == "image":
        painter.drawImage(0, 0, QImage(4, 4, QImage.Format.Format_RGB32))
    elif draw == "translucent":
        painter.fillRect(QRectF(0, 0, 10, 10), QColor(10, 20, 30, 128))
    else:
        painter.rotate(30)
        painter.drawText(10, 10, "x")
    painter.end()
    assert canvas.unsupported


def test_the_recording_device_draws_text_rectangles_and_lines() -> None:
    canvas = RichTextCanvas(FontBook(), lambda _program: "F7", 200, 200)
    painter = QPainter()
    assert painter.begin(canvas)
    painter.fillRect(QRectF(1, 2, 30, 4), QColor("#ff0000"))
    painter.setPen(QColor("#00ff00"))
    painter.drawLine(0, 50, 100, 50)
    font = QFont(_font(9))
    font.setStrikeOut(True)
    painter.setFont(font)
    painter.drawText(5, 40, "Ab")
    painter.end()
    ops = canvas.page.operators()
    assert not canvas.unsupported
    assert "1 0 0 rg 1.00 2.00 30.00 4.00 re f" in ops
    assert "0 1 0 RG" in ops and " m 100.00 50.00 l S" in ops
    assert re.search(r"BT /F7 12.0000 Tf 0 1 0 rg.*\n1 0 0 -1 5.00 40.00 Tm<[0-9A-F]{8}>Tj", ops)
    assert ops.count(" l S") == 2  # the line, and the strike-out QPainter adds through "Ab"


def test_every_page_of_a_long_statement_is_drawn_by_the_own_writer(tmp_path: Path) -> None:
    st = _statement(400)
    st = replace(st, entries=[replace(e, note=f"work item {e.id}") for e in st.entries])
    out = tmp_path / "own.pdf"
    render_pdf(st, out, writer="own")
    data = out.read_bytes()
    pages = len(re.findall(rb"/Type /Page\b", data))
    assert pages > 10
    assert data.count(b"/Subtype /Type0") >= 2  # regular and bold at least
    assert pdf_problems(data, st) is None


def test_a_font_that_forbids_subsetting_is_embedded_whole() -> None:
    program, raw = _program("A")
    tables = dict(program.tables)
    os2 = bytearray(tables[b"OS/2"])
    struct.pack_into(">H", os2, 8, 0x0100)  # installable, no subsetting
    tables[b"OS/2"] = bytes(os2)
    whole = FontProgram("Whole", tables, program.glyph)
    assert whole.covers("A") is None
    sub = QRawFont(whole.embedded(), raw.pixelSize())
    unused = program.glyph("Z")
    assert not sub.pathForGlyph(unused).isEmpty()


@pytest.mark.skipif(shutil.which("gs") is None, reason="needs Ghostscript")
def test_ghostscript_reads_every_page_without_a_warning(tmp_path: Path) -> None:
    """A second, independent PDF interpreter (poppler reads it in the tests above)."""
    out = tmp_path / "own.pdf"
    render_pdf(_statement(), out, writer="own")
    done = subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-dPDFSTOPONERROR",
         "-dPDFSTOPONWARNING", "-sDEVICE=nullpage", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "rror" not in done.stdout + done.stderr and "arning" not in done.stdout + done.stderr
