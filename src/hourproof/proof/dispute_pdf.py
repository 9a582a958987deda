"""The dispute attachment: one PDF a reviewer reads, with the whole bundle inside.

Written directly (PDF 1.7, standard Type 1 fonts in WinAnsiEncoding, no dependency):
text pages (Courier, headings in Helvetica-Bold), then the ``.hproof`` as an
embedded file in the catalog's ``/Names /EmbeddedFiles`` name tree (and ``/AF``),
so every standard reader lists the attachment (``pdfdetach -list``). The bytes are a
pure function of the text lines, the bundle bytes, its file name and the creation
time, which is what lets ``hourproof verify FILE.pdf`` re-render and compare: a
changed figure is a changed byte. Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from datetime import datetime

PAGE_W, PAGE_H = 595, 842  # A4 in points
MARGIN = 50
FONT_SIZE = 8  # Courier: columns line up; 8 pt fits 100 characters in the margins
LEADING = 11
LINES_PER_PAGE = (PAGE_H - 2 * MARGIN) // LEADING
MAX_CHARS = 100
_MAX_PDF = 600 * 1024 * 1024


class DisputePdfError(ValueError):
    """A PDF that is not an hourproof dispute attachment (or is damaged)."""


def _text(s: str) -> bytes:
    raw = s.encode("cp1252", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _pdf_date(when: datetime) -> bytes:
    return when.strftime("D:%Y%m%d%H%M%SZ").encode()


def wrap(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        while len(line) > MAX_CHARS:
            cut = line.rfind(" ", 0, MAX_CHARS)
            cut = cut if cut > 20 else MAX_CHARS
            out.append(line[:cut])
            line = "    " + line[cut:].lstrip()
        out.append(line)
    return out


def _page_stream(lines: list[str], number: int, total: int, footer: str) -> bytes:
    ops = [b"BT", f"/F1 {FONT_SIZE} Tf {LEADING} TL".encode(),
           f"{MARGIN} {PAGE_H - MARGIN} Td".encode()]  # fmt: skip
    for i, line in enumerate(lines):
        bold = line.startswith("# ")
        text = line[2:] if bold else line
        font = b"/F2" if bold else b"/F1"
        ops.append(font + f" {FONT_SIZE + (3 if bold else 0)} Tf".encode())
        ops.append((b"" if i == 0 else b"T* ") + b"(" + _text(text) + b") Tj")
    ops.append(b"ET")
    ops.append(b"BT /F1 7 Tf " + f"{MARGIN} {MARGIN - 20} Td".encode() + b" ("
               + _text(f"{footer} - page {number} of {total}") + b") Tj ET")  # fmt: skip
    return b"\n".join(ops) + b"\n"


def render(
    lines: list[str], attachment_name: str, attachment: bytes, title: str, created: datetime
) -> bytes:
    """The whole PDF. Lines starting with '# ' are headings; '\\f' alone breaks the page."""
    pages: list[list[str]] = [[]]
    for line in wrap(lines):
        if line == "\f":
            if pages[-1]:
                pages.append([])
            continue
        if len(pages[-1]) >= LINES_PER_PAGE:
            pages.append([])
        pages[-1].append(line)
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(dictionary: bytes, data: bytes) -> bytes:
        head = dictionary[:-2].rstrip() + f" /Length {len(data)} >>".encode()
        return head + b"\nstream\n" + data + b"\nendstream"

    catalog = add(b"")  # placeholder, filled below
    pages_obj = add(b"")
    font1 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier "
                b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
    font2 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
                b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
    kids = []
    for n, page in enumerate(pages, start=1):
        content = zlib.compress(_page_stream(page, n, len(pages), title), 9)
        c = add(stream(b"<< /Filter /FlateDecode >>", content))
        kids.append(add(
            f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
            f"/Resources << /Font << /F1 {font1} 0 R /F2 {font2} 0 R >> >> "
            f"/Contents {c} 0 R >>".encode()
        ))  # fmt: skip
    packed = zlib.compress(attachment, 6)  # the zip is mostly deflated already
    date = _pdf_date(created)
    ef = add(stream(
        b"<< /Type /EmbeddedFile /Subtype /application#2Fzip /Filter /FlateDecode "
        b"/Params << /Size " + str(len(attachment)).encode() + b" /CheckSum <"
        + hashlib.md5(attachment).hexdigest().encode() + b"> /ModDate (" + date + b") >> >>",
        packed,
    ))  # fmt: skip
    name = _text(attachment_name)
    spec = add(b"<< /Type /Filespec /F (" + name + b") /UF (" + name + b") /EF << /F "
               + str(ef).encode() + b" 0 R >> /Desc (the hour-proof bundle; check it with "
               b"hourproof verify) /AFRelationship /Source >>")  # fmt: skip
    info = add(b"<< /Title (" + _text(title) + b") /Producer (hourproof) /CreationDate ("
               + date + b") >>")  # fmt: skip
    objects[catalog - 1] = (
        f"<< /Type /Catalog /Pages {pages_obj} 0 R /Names << /EmbeddedFiles << /Names [".encode()
        + b"(" + name + b") " + str(spec).encode() + b" 0 R] >> >> /AF [" + str(spec).encode()
        + b" 0 R] /PageMode /UseAttachments >>"
    )  # fmt: skip
    objects[pages_obj - 1] = (
        b"<< /Type /Pages /Kids [" + b" ".join(f"{k} 0 R".encode() for k in kids)
        + f"] /Count {len(kids)} >>".encode()
    )  # fmt: skip
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    ident = hashlib.md5(bytes(out)).hexdigest()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R "
            f"/ID [<{ident}> <{ident}>] >>\nstartxref\n{xref}\n%%EOF\n").encode()  # fmt: skip
    return bytes(out)


_NAMES_RE = re.compile(rb"/EmbeddedFiles << /Names \[\((.*?)\) (\d+) 0 R\]", re.S)


def _object(pdf: bytes, number: int) -> bytes:
    start = pdf.find(f"\n{number} 0 obj\n".encode())
    if start < 0:
        raise DisputePdfError(f"object {number} is missing")
    end = pdf.find(b"\nendobj\n", start)
    if end < 0:
        raise DisputePdfError(f"object {number} is not terminated")
    return pdf[start + len(f"\n{number} 0 obj\n") : end]


def _unescape(raw: bytes) -> str:
    return re.sub(rb"\\([\\()])", rb"\1", raw).decode("cp1252", "replace")


def extract(pdf: bytes) -> tuple[str, bytes]:
    """(attachment name, bundle bytes) of an hourproof dispute PDF."""
    if len(pdf) > _MAX_PDF or not pdf.startswith(b"%PDF-"):
        raise DisputePdfError("not a PDF file")
    match = _NAMES_RE.search(pdf)
    if match is None:
        raise DisputePdfError("the PDF has no embedded hour-proof bundle")
    name = _unescape(match.group(1))
    spec = _object(pdf, int(match.group(2)))
    ref = re.search(rb"/EF << /F (\d+) 0 R >>", spec)
    if ref is None:
        raise DisputePdfError("the attachment has no embedded file stream")
    body = _object(pdf, int(ref.group(1)))
    length = re.search(rb"/Length (\d+) >>\nstream\n", body)
    if length is None:
        raise DisputePdfError("the embedded file stream is malformed")
    start = length.end()
    data = body[start : start + int(length.group(1))]
    try:
        inflater = zlib.decompressobj()
        bundle = inflater.decompress(data, _MAX_PDF)
    except zlib.error as exc:
        raise DisputePdfError(f"the embedded bundle does not decompress ({exc})") from exc
    if inflater.unconsumed_tail:
        raise DisputePdfError("the embedded bundle is too large")
    return name, bundle
