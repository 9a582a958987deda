"""A TrueType font program for report.pdf's own writer: metrics, glyphs and the bytes to embed.

``FontProgram`` is built from a font's sfnt tables (the raw bytes of ``head``, ``hhea``,
``hmtx``, ``glyf``…, as Qt's QRawFont hands them out) and a map from characters to
glyph ids. It answers what the writer needs: advance widths (to measure text exactly as
the PDF viewer will advance it), the font descriptor's metrics, the strike-out line, and
a TrueType file to embed as ``FontFile2`` — only the glyphs a document used keep their
outlines (the rest are empty, so glyph ids stay as they are). No Qt and no I/O here.
"""

from __future__ import annotations

import struct
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence

#: Tables a TrueType font embedded in a PDF needs (PDF 32000-1 §9.9), in the order
#: written; ``cvt ``, ``fpgm`` and ``prep`` only when the font has them (hinting).
REQUIRED = (b"head", b"hhea", b"maxp", b"hmtx", b"loca", b"glyf", b"cmap")
OPTIONAL = (b"cvt ", b"fpgm", b"prep", b"OS/2", b"post", b"name")

_ARG_WORDS, _HAVE_SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080


#: Bidirectional classes of right-to-left text (drawn glyph by glyph it would read
#: backwards; Qt's writer reorders it).
_RTL = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI", "FSI", "LRE", "LRO", "LRI", "PDF", "PDI"})


def needs_shaping(ch: str) -> bool:
    """Whether ``ch`` needs more than its own glyph at its own advance: combining marks
    (positioned on the letter before), format characters, right-to-left text. This
    writer shows one glyph per character, left to right, so it leaves those to Qt."""
    return (
        unicodedata.category(ch) in ("Mn", "Mc", "Me", "Cf", "Cc", "Co", "Cs", "Cn")
        or unicodedata.bidirectional(ch) in _RTL
    )


class Undrawable(Exception):
    """The own PDF writer cannot draw this; Qt's PDF writer must."""


class FontUnusable(Undrawable):
    """The font cannot be embedded by this writer (not TrueType outlines, or not allowed)."""


class Uncovered(Undrawable):
    """A character the font has no glyph for."""

    def __init__(self, character: str) -> None:
        super().__init__(f"the character U+{ord(character):04X}")
        self.character = character


class FontProgram:
    """One face of a TrueType font, ready to measure with and embed."""

    def __init__(
        self, name: str, tables: Mapping[bytes, bytes], glyph_of: Callable[[str], int]
    ) -> None:  # fmt: skip
        missing = [t.decode() for t in REQUIRED if not tables.get(t)]
        if missing:
            raise FontUnusable(f"font {name} lacks TrueType tables {', '.join(missing)}")
        try:
            self._parse(name, tables)
        except (struct.error, IndexError, ZeroDivisionError) as exc:
            raise FontUnusable(f"font {name} has damaged tables ({exc})") from exc
        self._glyph_of = glyph_of
        self._codes: dict[int, str] = {}  # ord → 4 hex digits of its glyph id (str.translate)
        self._widths: dict[str, float] = {}  # char → advance in em
        self._missing: set[str] = set()  # chars without a glyph here
        self.used: dict[int, str] = {}  # glyph id → the character it was used for

    def _parse(self, name: str, tables: Mapping[bytes, bytes]) -> None:
        self.tables = dict(tables)
        self.name = "".join(ch for ch in name if ch.isalnum() or ch in "-_") or "Font"
        head, hhea = tables[b"head"], tables[b"hhea"]
        self.units = struct.unpack_from(">H", head, 18)[0]
        x_min, y_min, x_max, y_max = struct.unpack_from(">hhhh", head, 36)
        self.long_loca = struct.unpack_from(">h", head, 50)[0] == 1
        ascent, descent = struct.unpack_from(">hh", hhea, 4)
        metrics = struct.unpack_from(">H", hhea, 34)[0]
        self.glyph_count = struct.unpack_from(">H", tables[b"maxp"], 4)[0]
        hmtx = tables[b"hmtx"]
        advances = [struct.unpack_from(">H", hmtx, 4 * i)[0] for i in range(metrics)]
        self._advances = advances + [advances[-1]] * (self.glyph_count - metrics)
        scale = 1000 / self.units
        self.bbox = tuple(round(v * scale) for v in (x_min, y_min, x_max, y_max))
        self.ascent, self.descent = round(ascent * scale), round(descent * scale)
        self.cap_height, self.flags = self.ascent, 32  # nonsymbolic
        self.strike_pos, self.strike_size = 0.26, 0.05  # in em, unless OS/2 says
        self.whole = False
        os2 = tables.get(b"OS/2", b"")
        if len(os2) >= 30:
            fs_type = struct.unpack_from(">H", os2, 8)[0]
            if fs_type & 0x000F == 0x0002 or fs_type & 0x0200:
                raise FontUnusable(f"font {name} may not be embedded (OS/2 fsType {fs_type:#x})")
            self.whole = bool(fs_type & 0x0100)  # "no subsetting": embedded whole
            size, pos = struct.unpack_from(">hh", os2, 26)
            self.strike_size, self.strike_pos = size / self.units, pos / self.units
        if len(os2) >= 90 and struct.unpack_from(">H", os2, 0)[0] >= 2:
            self.cap_height = round(struct.unpack_from(">h", os2, 88)[0] * scale)
        post = tables.get(b"post", b"")
        self.italic_angle = struct.unpack_from(">i", post, 4)[0] / 65536 if len(post) >= 8 else 0.0

    def glyph(self, ch: str) -> int:
        """The glyph id of ``ch`` (0 when the font has none)."""
        return self._glyph_of(ch)

    def covers(self, text: str) -> str | None:
        """The first character of ``text`` this font has no glyph for (None: all drawn)."""
        widths, missing = self._widths, self._missing
        for ch in dict.fromkeys(text):
            if ch in widths:
                continue
            if ch in missing:
                return ch
            gid = 0 if needs_shaping(ch) else self._glyph_of(ch)
            if gid <= 0 or gid >= self.glyph_count:
                missing.add(ch)
                return ch
            self._codes[ord(ch)] = f"{gid:04X}"
            self._widths[ch] = self._advances[gid] / self.units
            self.used.setdefault(gid, ch)
        return None

    def measure(self, text: str) -> float:
        """Advance of ``text`` in em; raises ``Uncovered`` for a character without a glyph."""
        try:
            return sum(map(self._widths.__getitem__, text))
        except KeyError:
            missing = self.covers(text)
            if missing is not None:
                raise Uncovered(missing) from None
            return sum(map(self._widths.__getitem__, text))

    def width(self, text: str) -> float:
        """Advance of ``text`` in em (its characters must be covered)."""
        widths = self._widths
        return sum(widths[ch] for ch in text)

    def hex(self, text: str) -> str:
        """``text`` as the hex string of its glyph ids (Identity-H), e.g. ``002B0048``."""
        return text.translate(self._codes)

    def advance_1000(self, gid: int) -> int:
        return round(self._advances[gid] * 1000 / self.units)

    def embedded(self) -> bytes:
        """A TrueType file with every table needed and the outlines of the used glyphs."""
        try:
            return self._embedded()
        except (struct.error, IndexError) as exc:
            raise FontUnusable(f"font {self.name} has damaged outlines ({exc})") from exc

    def _embedded(self) -> bytes:
        tables = {t: self.tables[t] for t in REQUIRED + OPTIONAL if self.tables.get(t)}
        glyf, loca = self._subset(tables[b"glyf"], tables[b"loca"])
        tables[b"glyf"], tables[b"loca"] = glyf, loca
        head = bytearray(tables[b"head"])
        head[8:12] = b"\0\0\0\0"  # checkSumAdjustment, set below
        struct.pack_into(">h", head, 50, 1)  # the new loca is long
        tables[b"head"] = bytes(head)
        data, offsets = _sfnt(tables)
        adjust = (0xB1B0AFBA - _checksum(data)) & 0xFFFFFFFF
        at = offsets[b"head"] + 8  # the checkSumAdjustment field
        return data[:at] + struct.pack(">I", adjust) + data[at + 4 :]

    def _offsets(self, loca: bytes) -> list[int]:
        count = self.glyph_count + 1
        if self.long_loca:
            return list(struct.unpack_from(f">{count}I", loca))
        return [2 * v for v in struct.unpack_from(f">{count}H", loca)]

    def _subset(self, glyf: bytes, loca: bytes) -> tuple[bytes, bytes]:
        offsets = self._offsets(loca)
        if self.whole:
            return glyf, loca if self.long_loca else struct.pack(
                f">{len(offsets)}I", *offsets)  # fmt: skip
        keep = _with_components({0, *self.used}, glyf, offsets)
        parts: list[bytes] = []
        new = [0]
        for gid in range(self.glyph_count):
            if gid in keep:
                piece = glyf[offsets[gid] : offsets[gid + 1]]
                parts.append(piece + b"\0" * (-len(piece) % 4))
            new.append(new[-1] + (len(parts[-1]) if gid in keep else 0))
        return b"".join(parts), struct.pack(f">{len(new)}I", *new)


def _with_components(gids: Iterable[int], glyf: bytes, offsets: list[int]) -> set[int]:
    """``gids`` and every glyph their composite glyphs are built from."""
    keep: set[int] = set()
    todo = list(gids)
    while todo:
        gid = todo.pop()
        if gid in keep or gid + 1 >= len(offsets):
            continue
        keep.add(gid)
        start, end = offsets[gid], offsets[gid + 1]
        if end - start < 10 or struct.unpack_from(">h", glyf, start)[0] >= 0:
            continue  # empty or a simple glyph
        at = start + 10
        while at + 4 <= end:
            flags, component = struct.unpack_from(">HH", glyf, at)
            todo.append(component)
            at += 4 + (4 if flags & _ARG_WORDS else 2)
            if flags & _HAVE_SCALE:
                at += 2
            elif flags & _XY_SCALE:
                at += 4
            elif flags & _TWO_BY_TWO:
                at += 8
            if not flags & _MORE:
                break
    return keep


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _sfnt(tables: Mapping[bytes, bytes]) -> tuple[bytes, dict[bytes, int]]:
    """An sfnt file (TrueType outlines) holding ``tables``, and where each table starts."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1,
                         count * 16 - power * 16)  # fmt: skip
    offset = 12 + 16 * count
    records, bodies, where = [], [], {}
    for tag in tags:
        body = tables[tag]
        where[tag] = offset
        records.append(struct.pack(">4sIII", tag, _checksum(body), offset, len(body)))
        bodies.append(body + b"\0" * (-len(body) % 4))
        offset += len(bodies[-1])
    return header + b"".join(records) + b"".join(bodies), where


class FontChain:
    """A font and its fallbacks, as Qt merges them: each character is shown in the
    first font of the chain that has a glyph for it."""

    def __init__(self, programs: Sequence[FontProgram]) -> None:
        if not programs:
            raise FontUnusable("no font to draw with")
        self.programs = list(programs)
        self.primary = self.programs[0]

    def split(self, text: str) -> list[tuple[FontProgram, str]]:
        """``text`` cut into runs by the font that shows them; raises ``Uncovered`` for a
        character no font of the chain has."""
        runs: list[tuple[FontProgram, str]] = []
        for ch in text:
            for program in self.programs:
                if program.covers(ch) is None:
                    break
            else:
                raise Uncovered(ch)
            if runs and runs[-1][0] is program:
                runs[-1] = (program, runs[-1][1] + ch)
            else:
                runs.append((program, ch))
        return runs

    def measure(self, text: str) -> float:
        """Advance of ``text`` in em, each character in the font that shows it."""
        try:
            return self.primary.measure(text)
        except Uncovered:
            return sum(program.width(part) for program, part in self.split(text))

    def show(self, text: str, size: str, resource: Callable[[FontProgram], str]) -> str:
        """The operators showing ``text`` from the current point, the primary font being
        selected (at ``size``, as written in its ``Tf``) before and after."""
        shown = self.primary.hex(text)
        if len(shown) == 4 * len(text):  # every character had a glyph id (4 hex digits)
            return f"<{shown}>Tj"
        if self.primary.covers(text) is None:  # characters not seen before, all there
            return f"<{self.primary.hex(text)}>Tj"
        out = []
        current = self.primary
        for program, part in self.split(text):
            if program is not current:
                out.append(f"/{resource(program)} {size} Tf")
                current = program
            out.append(f"<{program.hex(part)}>Tj")
        if current is not self.primary:
            out.append(f"/{resource(self.primary)} {size} Tf")
        return " ".join(out)
