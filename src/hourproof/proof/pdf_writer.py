"""A small PDF writer: pages of text, rectangles and lines, embedded TrueType fonts,
an XMP packet and attached files. What report.pdf needs, and no more.

Pages are drawn in layout pixels (96 per inch) from the top left of the printable area,
y downwards: ``Page`` turns that into PDF user space once per page (a ``cm``). Text is
shown with Identity-H encoded Type 0 fonts (glyph ids as hex, ``pdf_font.FontProgram``),
each with a ToUnicode map so the text can be searched and copied, and a ``/W`` array
with the advances the layout measured with, so every viewer advances exactly as laid
out. Content streams, fonts and attachments are Flate-compressed; the XMP packet is not
(``hourproof verify`` reads it from the raw file, bundle format §10). The output is a
pure function of what was drawn and the metadata given: no clock, no random id.

No Qt and no I/O besides ``write``.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from hourproof.proof.pdf_font import FontProgram

PX = 72 / 96  # points per layout pixel
#: The width of a thin rule, in layout pixels: one device pixel of QPdfWriter at its
#: 1200 dpi (its default pen), so both writers draw the same hairlines.
HAIRLINE = 96 / 1200
_HEX = "0123456789ABCDEF"


def rgb(colour: str) -> str:
    """``#1b2430`` as PDF colour operands, ``0.106 0.141 0.188``."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    parts = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return " ".join(_num(p, 3) for p in parts)


def _num(value: float, places: int = 2) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def text_string(text: str) -> str:
    """A PDF text string (UTF-16BE with its byte-order mark) as a hex string."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _name(text: str) -> str:
    """A PDF name's characters, with anything outside plain ASCII as #xx."""
    return "".join(c if c.isascii() and c.isalnum() else f"#{ord(c):02X}" for c in text)


class Page:
    """The operators of one page, in layout pixels from the printable area's top left."""

    def __init__(self, left_pt: float = 0, top_pt: float = 0, height_pt: float = 0,
                 *, fragment: bool = False) -> None:  # fmt: skip
        """A page whose printable area starts ``left_pt``/``top_pt`` from the left/top
        edge of a sheet ``height_pt`` high; or, with ``fragment``, operators to be
        placed on pages later (``place``)."""
        self.ops: list[str] = [] if fragment else [
            f"q {_num(PX, 4)} 0 0 {_num(-PX, 4)} {_num(left_pt)} {_num(height_pt - top_pt)} cm\n"
        ]  # fmt: skip

    def place(self, fragment: str, y: float, width: float, height: float) -> None:
        """Draw a fragment's operators moved down by ``y``, clipped to ``width`` x ``height``."""
        self.ops.append(f"q 1 0 0 1 0 {y:.2f} cm 0 0 {width:.2f} {height:.2f} re W n\n")
        self.ops.append(fragment)
        self.ops.append("Q\n")

    def operators(self) -> str:
        return "".join(self.ops)

    def fill(self, x: float, y: float, w: float, h: float, colour: str) -> None:
        self.ops.append(f"{colour} rg {x:.2f} {y:.2f} {w:.2f} {h:.2f} re f\n")

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float, colour: str) -> None:
        self.ops.append(
            f"{colour} RG {_num(width, 3)} w {x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l S\n"
        )

    def texts(self, font: str, size: str, colour: str, placed: Sequence[tuple[str, str]],
              spacing: float = 0.0) -> None:  # fmt: skip
        """Show texts in one font, size (as written) and colour: ``placed`` holds (``"x y"``
        of the baseline's start, the showing operators: ``FontChain.show``) pairs;
        ``spacing`` is added after each glyph (``Tc``)."""
        gap = f" {_num(spacing, 4)} Tc" if spacing else ""
        self.ops.append(f"BT /{font} {size} Tf {colour} rg{gap}\n")
        self.ops.extend(f"1 0 0 -1 {at} Tm{shown}\n" for at, shown in placed)
        self.ops.append("ET\n")

    def content(self) -> bytes:
        return ("".join(self.ops) + "Q\n").encode("latin-1")


class PdfDocument:
    """Pages and fonts collected, then written as one PDF file."""

    def __init__(self, width_pt: float, height_pt: float) -> None:
        self.width, self.height = width_pt, height_pt
        self._pages: list[bytes] = []  # compressed content streams
        self._fonts: dict[int, tuple[str, FontProgram]] = {}

    def font(self, program: FontProgram) -> str:
        """The resource name under which ``program`` is shown (``F1``, ``F2``…)."""
        found = self._fonts.get(id(program))
        if found is None:
            found = self._fonts[id(program)] = (f"F{len(self._fonts) + 1}", program)
        return found[0]

    def add(self, page: Page) -> None:
        self._pages.append(zlib.compress(page.content(), 3))

    def write(
        self, path: Path, *, title: str, creator: str, created: datetime, xmp: bytes,
        attachments: Sequence[tuple[str, bytes, str]] = (),
    ) -> None:  # fmt: skip
        path.write_bytes(self.to_bytes(title=title, creator=creator, created=created, xmp=xmp,
                                       attachments=attachments))  # fmt: skip

    def to_bytes(
        self, *, title: str, creator: str, created: datetime, xmp: bytes,
        attachments: Sequence[tuple[str, bytes, str]] = (),
    ) -> bytes:  # fmt: skip
        out = _Objects()
        catalog, pages, resources, info, metadata = (out.reserve() for _ in range(5))
        fonts = {name: self._font_objects(out, program) for name, program in self._fonts.values()}
        files = [self._attachment(out, *item, created) for item in attachments]
        kids = []
        for content in self._pages:
            stream = out.stream(content, "/Filter /FlateDecode")
            kids.append(out.add(
                f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {_num(self.width)} "
                f"{_num(self.height)}] /Resources {resources} 0 R /Contents {stream} 0 R >>"
            ))  # fmt: skip
        font_dict = " ".join(f"/{name} {ref} 0 R" for name, ref in fonts.items())
        out.put(resources, f"<< /Font << {font_dict} >> /ProcSet [/PDF /Text] >>")
        out.put(pages, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                       f"/Count {len(kids)} >>")  # fmt: skip
        out.put_stream(metadata, xmp, "/Type /Metadata /Subtype /XML")
        when = _date(created)
        out.put(info, f"<< /Title {text_string(title)} /Creator {text_string(creator)} "
                      f"/Producer {text_string(creator)} /CreationDate ({when}) "
                      f"/ModDate ({when}) >>")  # fmt: skip
        names = ""
        if files:
            listed = " ".join(f"{text_string(n)} {ref} 0 R" for (n, _d, _m), ref in
                              zip(attachments, files, strict=True))  # fmt: skip
            names = (f" /Names << /EmbeddedFiles << /Names [{listed}] >> >> "
                     f"/AF [{' '.join(f'{r} 0 R' for r in files)}]")  # fmt: skip
        out.put(catalog, f"<< /Type /Catalog /Pages {pages} 0 R /Metadata {metadata} 0 R"
                         f"{names} >>")  # fmt: skip
        return out.finish(catalog, info)

    def _attachment(self, out: _Objects, name: str, data: bytes, mime: str,
                    created: datetime) -> int:  # fmt: skip
        stream = out.stream(
            zlib.compress(data, 9),
            f"/Type /EmbeddedFile /Subtype /{_name(mime)} /Filter /FlateDecode "
            f"/Params << /Size {len(data)} /ModDate ({_date(created)}) >>",
        )
        label = text_string(name)
        return out.add(f"<< /Type /Filespec /F {label} /UF {label} /AFRelationship /Data "
                       f"/EF << /F {stream} 0 R /UF {stream} 0 R >> >>")  # fmt: skip

    def _font_objects(self, out: _Objects, font: FontProgram) -> int:
        used = sorted(font.used)
        tag = "".join(_HEX[b % 16] for b in hashlib.sha256(repr(used).encode()).digest()[:6])
        base = "".join(chr(ord("A") + int(c, 16)) for c in tag) + "+" + font.name
        program = font.embedded()
        file_ref = out.stream(zlib.compress(program, 6),
                              f"/Filter /FlateDecode /Length1 {len(program)}")  # fmt: skip
        bbox = " ".join(str(v) for v in font.bbox)
        descriptor = out.add(
            f"<< /Type /FontDescriptor /FontName /{base} /Flags {font.flags} /FontBBox [{bbox}] "
            f"/ItalicAngle {_num(font.italic_angle)} /Ascent {font.ascent} /Descent "
            f"{font.descent} /CapHeight {font.cap_height} /StemV 80 /FontFile2 {file_ref} 0 R >>"
        )
        widths = " ".join(f"{gid} [{font.advance_1000(gid)}]" for gid in used)
        cid = out.add(
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{base} /CIDSystemInfo "
            f"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor "
            f"{descriptor} 0 R /DW 1000 /W [{widths}] /CIDToGIDMap /Identity >>"
        )
        unicode_map = out.stream(zlib.compress(_to_unicode(font.used), 6), "/Filter /FlateDecode")
        return out.add(
            f"<< /Type /Font /Subtype /Type0 /BaseFont /{base} /Encoding /Identity-H "
            f"/DescendantFonts [{cid} 0 R] /ToUnicode {unicode_map} 0 R >>"
        )


def _date(moment: datetime) -> str:
    m = moment.astimezone(UTC)
    return f"D:{m.year:04d}{m.month:02d}{m.day:02d}{m.hour:02d}{m.minute:02d}{m.second:02d}Z"


def _to_unicode(used: dict[int, str]) -> bytes:
    """The ToUnicode CMap: each used glyph id → the character it shows."""
    pairs = [f"<{gid:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for gid, ch in
             sorted(used.items())]  # fmt: skip
    blocks = []
    for start in range(0, len(pairs), 100):
        part = pairs[start : start + 100]
        blocks.append(f"{len(part)} beginbfchar\n" + "\n".join(part) + "\nendbfchar\n")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "".join(blocks)
        + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")  # fmt: skip


class _Objects:
    """Numbered indirect objects, written in order, then the cross-reference table."""

    def __init__(self) -> None:
        self._bodies: dict[int, bytes] = {}
        self._count = 0

    def reserve(self) -> int:
        self._count += 1
        return self._count

    def put(self, number: int, body: str) -> None:
        self._bodies[number] = body.encode("latin-1")

    def put_stream(self, number: int, data: bytes, entries: str) -> None:
        head = f"<< {entries} /Length {len(data)} >>\nstream\n".encode("latin-1")
        self._bodies[number] = head + data + b"\nendstream"

    def add(self, body: str) -> int:
        number = self.reserve()
        self.put(number, body)
        return number

    def stream(self, data: bytes, entries: str) -> int:
        number = self.reserve()
        self.put_stream(number, data, entries)
        return number

    def finish(self, root: int, info: int) -> bytes:
        parts = [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"]
        size = len(parts[0])
        offsets = []
        for number in range(1, self._count + 1):
            offsets.append(size)
            chunk = b"%d 0 obj\n%s\nendobj\n" % (number, self._bodies[number])
            parts.append(chunk)
            size += len(chunk)
        digest = hashlib.sha256(b"".join(parts)).hexdigest()[:32].upper()
        xref = [f"xref\n0 {self._count + 1}\n0000000000 65535 f \n"]
        xref += [f"{offset:010d} 00000 n \n" for offset in offsets]
        xref.append(
            f"trailer\n<< /Size {self._count + 1} /Root {root} 0 R /Info {info} 0 R "
            f"/ID [<{digest}> <{digest}>] >>\nstartxref\n{size}\n%%EOF\n"
        )
        parts.append("".join(xref).encode("ascii"))
        return b"".join(parts)
