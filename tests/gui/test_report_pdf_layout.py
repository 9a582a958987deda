"""report.pdf's entry rows: the direct placement of one-run lines, the cells shared between
rows and the wrapping must give exactly the layout of the general wrapping path."""

from __future__ import annotations

import gc
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from hourproof.proof import report_pdf
from hourproof.proof.model import RECORDED_BY, Amendment, ReportEntry, Statement
from hourproof.proof.report_binding import statement_json, xmp_packet
from hourproof.proof.report_chunks import MUTED, Run, statement_chunks
from hourproof.proof.report_pdf import _PAD, _merged, _Rows, render_pdf

pytestmark = pytest.mark.usefixtures("qapp")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LONG_WORD = "averyveryverylongwordwithoutanyspacesthatmustbecutsomewhere" * 2
TEXTS = [
    "", "0:02", "Website · build", "work item 12", "Ünïcödé Prøject with a long name that wraps",
    "日本語のメモ、とても長い説明文がここに入ります " * 2, LONG_WORD, "  two  spaces  inside   ",
    " ".join(f"word{i:03d}" for i in range(30)), "<b>not bold</b> & ampersand", "—",
]  # fmt: skip


def _rows() -> _Rows:
    device = QImage(1, 1, QImage.Format.Format_RGB32)
    device.setDotsPerMeterX(round(96 / 0.0254))
    device.setDotsPerMeterY(round(96 / 0.0254))
    return _Rows(device, 12.5)


def _general(rows: _Rows, lines: tuple[tuple[Run, ...], ...], x0: float, cw: float,
             align: str) -> tuple[int, dict[object, list[tuple[float, float, str]]]]:  # fmt: skip
    """A cell through the wrapping path only (what every line took before)."""
    metrics = rows.font((False, False, 8.0))[1]
    laid = rows._lines(lines, cw - 2 * _PAD, 8.0)
    groups: dict[object, list[tuple[float, float, str]]] = {}
    for i, pieces in enumerate(laid):
        if not pieces:
            continue
        end = pieces[-1][0] + rows.advance(pieces[-1][2], pieces[-1][1])
        shift = (cw - 2 * _PAD - end) if align == "right" else 0.0
        y = _PAD + i * metrics.lineSpacing() + metrics.ascent()
        for px, text, key, run, _w in _merged(pieces, rows):
            x = (x0 + _PAD + shift + px) * rows.scale
            groups.setdefault((key, run.color), []).append((x, y, text))
    return len(laid), groups


def _cells() -> list[tuple[tuple[Run, ...], ...]]:
    out: list[tuple[tuple[Run, ...], ...]] = []
    for n, text in enumerate(TEXTS):
        strike = n % 2 == 1
        out.append(((Run(text, strike=strike),),))
        out.append(((Run(text, True),), (Run(TEXTS[-n], color=MUTED),), (Run(f"#{n}"),)))
        out.append(((Run(" lead"), Run(text)), (Run(text), Run(" tail", True))))
    out.append(((Run(" Self-reported ", True, "#8a5300", False, "#fff1d6"),),))
    out.append(((Run("x"),), (Run("   "), Run(LONG_WORD)), (Run("  " + TEXTS[8]),)))
    out.append(((),))
    return out


COLUMNS = [
    (0.0, 87.49, "left"),
    (40.0, 40.38, "right"),
    (130.0, 195.2, "left"),
    (600.0, 74.0, "right"),
]


@pytest.mark.parametrize(("x0", "cw", "align"), COLUMNS)
def test_cells_placed_directly_equal_the_wrapping_path(x0: float, cw: float, align: str) -> None:
    rows = _rows()
    for lines in _cells():
        cell = rows._cell(lines, x0, cw, align)
        assert (cell.lines, cell.groups) == _general(rows, lines, x0, cw, align), lines


def test_wrapped_lines_keep_the_text_and_fit_the_column() -> None:
    rows = _rows()
    inner = 195.2 - 2 * _PAD
    for text in TEXTS:
        laid = rows._lines(((Run(text),),), inner, 8.0)
        pieces = [p for line in laid for p in line]
        kept = "".join(p[1] for p in pieces)
        assert kept.replace(" ", "") == text.replace(" ", "")  # only spaces at a wrap go
        for line in laid:
            if line:
                # A word wider than the column is cut in proportion to its width, so a cut
                # piece may end up to about a character past the column (as it always did).
                end = line[-1][0] + rows.advance(line[-1][2], line[-1][1].rstrip())
                assert end <= inner + rows.advance(line[-1][2], "W"), (text, line)
    assert len(rows._lines(((Run(LONG_WORD),),), inner, 8.0)) > 1
    assert len(rows._lines(((Run(TEXTS[8]),),), inner, 8.0)) > 1


def _entry(n: int, **changes: object) -> ReportEntry:
    start = T0 + timedelta(hours=5 * n)
    entry = ReportEntry(
        id=n, project="Website", client="Acme", task="Design", tags=("dev",),
        note=f"entry number {n}", start=start, end=start + timedelta(hours=2), seconds=7200,
        source="timer", amount_minor=19000, currency="EUR", label=RECORDED_BY,
        recorded_by=start + timedelta(hours=3), lag_seconds=3600, late=n % 3 == 1,
        amendments=(Amendment(99, "entry.amend", start, "typo fixed", {"end": "x"}),)
        if n % 4 == 0 else (),
    )  # fmt: skip
    return replace(entry, **changes)  # type: ignore[arg-type]


def _statement(entries: list[ReportEntry]) -> Statement:
    return Statement(
        contractor="Zoë Ådler", fingerprint="SHA256:abc", client="Acme GmbH & Söhne",
        project=None, period_start=T0, period_end=T0 + timedelta(days=30), generated_at=T0,
        tree_size=42, entries=entries, total_seconds=7200 * len(entries),
    )  # fmt: skip


def test_rows_sharing_cells_are_laid_out_as_if_alone() -> None:
    entries = [_entry(n, note=TEXTS[n % len(TEXTS)] or None) for n in range(40)]
    specs = [c.spec for c in statement_chunks(_statement(entries)) if c.spec is not None]
    shared = _rows()
    together = [shared.layout(spec, 673) for spec in specs]
    for spec, row in zip(specs, together, strict=True):
        alone = _rows().layout(spec, 673)
        assert (row.height, row.fills, row.rules) == (alone.height, alone.fills, alone.rules)
        assert [(c.lines, c.groups, c.badges) for c in row.cells] == [
            (c.lines, c.groups, c.badges) for c in alone.cells
        ]
    assert len({id(c) for row in together for c in row.cells}) < sum(len(r.cells) for r in together)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_long_and_non_ascii_rows_keep_every_word(tmp_path: Path) -> None:
    names = ["Ünïcödé Prøject with a long name that wraps around", "Ça va — naïve café"]
    entries = [
        _entry(n, project=names[n % 2], note=TEXTS[4 + n % 6], tags=("dev", "ürgent", "x" * 30))
        for n in range(24)
    ]
    out = tmp_path / "report.pdf"
    render_pdf(_statement(entries), out)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    flat = "".join(text.split())
    for word in " ".join([*names, TEXTS[4], TEXTS[8], "ürgent typo fixed"]).split():
        assert word in flat, word
    assert LONG_WORD[:40] not in text  # cut across lines, not one overlong line
    assert all(f"entrynumber{n}" not in flat for n in range(24))  # notes replaced


@pytest.mark.parametrize("enabled", [True, False])
def test_rendering_leaves_the_garbage_collector_as_it_was(tmp_path: Path, enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        render_pdf(_statement([_entry(0), _entry(1)]), tmp_path / "report.pdf")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_the_xmp_packet_is_the_same_given_the_figures() -> None:
    st = _statement([_entry(0), _entry(1)])
    assert xmp_packet(st, "t", statement_json(st)) == xmp_packet(st, "t")


def test_the_none_guard_is_topped_up_while_drawing(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:  # fmt: skip
    """The guard is small; the renderer takes dropped references again as it goes."""
    calls: list[int] = []
    real = report_pdf._none_refs_kept

    @contextmanager
    def counting(refs: int) -> Iterator[Callable[[], None]]:
        with real(refs) as top_up:

            def counted() -> None:
                calls.append(1)
                top_up()

            yield counted

    monkeypatch.setattr(report_pdf, "_none_refs_kept", counting)
    render_pdf(_statement([_entry(n) for n in range(60)]), tmp_path / "report.pdf")
    assert len(calls) >= 3  # after the rich-text chunks and after every page
