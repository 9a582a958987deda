"""report.pdf through Qt's own PDF writer, headless (QT_QPA_PLATFORM=offscreen)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hourproof.proof.model import RECORDED_BY, Amendment, ReportEntry, Statement, TotalLine
from hourproof.proof.report_pdf import render_pdf

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FINGERPRINT = "SHA256:q3Nf0pWz8dJ1kX7bV5mYt2cR9aL4eH6sG0uI1oP3zQw"
PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed; cannot read PDF text"
)

pytestmark = pytest.mark.usefixtures("qapp")


def _statement(entries: int = 3) -> Statement:
    items = []
    for n in range(entries):
        start = T0 + timedelta(hours=5 * n)
        items.append(ReportEntry(
            id=n, project="Website", client="Acme", task="Design", tags=(),
            note=f"entry number {n}", start=start, end=start + timedelta(hours=2), seconds=7200,
            source="timer", amount_minor=19000, currency="EUR", label=RECORDED_BY,
            recorded_by=start + timedelta(hours=3), lag_seconds=3600, late=n == 1,
            amendments=(Amendment(99, "entry.amend", start, "typo fixed", {}),) if n == 0 else (),
        ))  # fmt: skip
    total = 7200 * entries
    return Statement(
        contractor="ada@example.org", fingerprint=FINGERPRINT, client="Acme", project=None,
        period_start=T0, period_end=T0 + timedelta(days=30), generated_at=T0, tree_size=42,
        entries=items, by_project=[TotalLine("Website", total, {"EUR": 19000 * entries})],
        total_seconds=total, total_amounts={"EUR": 19000 * entries},
    )  # fmt: skip


def _text(path: Path, page: int | None = None) -> str:
    assert PDFTOTEXT is not None
    pages = ["-f", str(page), "-l", str(page)] if page else []
    args = [PDFTOTEXT, "-layout", *pages, str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", data))


def test_writes_a_pdf_file(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    render_pdf(_statement(), out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert _page_count(data) >= 1


def test_pages_are_a4(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    render_pdf(_statement(), out)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", out.read_bytes())
    assert boxes and all(abs(float(w) - 595) < 1 and abs(float(h) - 842) < 1 for w, h in boxes)


@needs_pdftotext
def test_page_one_names_the_key_and_what_the_bundle_proves(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    render_pdf(_statement(), out)
    first = _text(out, 1)
    assert FINGERPRINT in first
    assert "What this proves" in first and "What this does not prove" in first
    assert "Statement of hours" in first


@needs_pdftotext
def test_entries_labels_late_flag_and_amendments_are_in_the_text(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    render_pdf(_statement(), out)
    text = _text(out)
    assert "entry number 2" in text
    assert "Recorded by" in text and "LATE" in text
    assert "typo fixed" in text
    assert "570.00 EUR" in text


@needs_pdftotext
def test_every_page_is_numbered_page_x_of_y(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    render_pdf(_statement(), out)
    pages = _page_count(out.read_bytes())
    for page in range(1, pages + 1):
        assert f"Page {page} of {pages}" in _text(out, page)


@needs_pdftotext
def test_a_long_statement_repeats_the_table_header_on_each_entries_page(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    render_pdf(_statement(entries=40), out)
    pages = _page_count(out.read_bytes())
    assert pages >= 3
    for page in range(2, pages + 1):
        text = _text(out, page)
        if "entry number" in text:
            assert "Evidence" in text and "Amount" in text
    found = {int(n) for n in re.findall(r"entry number (\d+)\b", _text(out))}
    assert found == set(range(40))


def test_renders_from_a_worker_thread(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    errors: list[BaseException] = []

    def work() -> None:
        try:
            render_pdf(_statement(), out)
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive() and errors == []
    assert out.read_bytes().startswith(b"%PDF-")


def test_rendering_leaves_none_references_as_they_were(tmp_path: Path) -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None per void call."""
    before = sys.getrefcount(None)
    render_pdf(_statement(entries=40), tmp_path / "report.pdf")
    assert sys.getrefcount(None) >= before - 50


def test_chunks_laid_out_again_at_draw_time_give_the_same_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large statements keep only the first documents in memory; the rest are laid out
    again when drawn, and must land exactly where they were measured."""
    from hourproof.proof import report_pdf

    st = _statement(40)
    kept, redone = tmp_path / "kept.pdf", tmp_path / "redone.pdf"
    render_pdf(st, kept)
    monkeypatch.setattr(report_pdf, "KEPT_DOCUMENTS", 0)
    render_pdf(st, redone)
    pages = _page_count(kept.read_bytes())
    assert pages == _page_count(redone.read_bytes()) and pages > 1
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert _text(kept) == _text(redone)


@needs_pdftotext
def test_entry_rows_drawn_directly_keep_every_word_and_wrap(tmp_path: Path) -> None:
    """Entry rows are painted from styled text, not rich-text layouts: long notes wrap
    inside their column and every word, badge and amendment still reaches the page."""
    from dataclasses import replace

    st = _statement(3)
    words = [f"word{i:03d}" for i in range(60)]
    st.entries[2] = replace(st.entries[2], note=" ".join(words))
    out = tmp_path / "report.pdf"
    render_pdf(st, out)
    text = _text(out)
    flat = " ".join(text.split())
    assert all(w in flat for w in words)
    assert "LATE" in text and "typo fixed" in text and "entry number 1" in text
    note_lines = [ln for ln in text.splitlines() if "word0" in ln]
    assert len(note_lines) > 3  # wrapped, not one overlong line


def test_embeds_the_statement_figures_for_verify(tmp_path: Path) -> None:
    from hourproof.proof.report_binding import pdf_problems

    st = _statement(2)
    out = tmp_path / "report.pdf"
    render_pdf(st, out)
    assert pdf_problems(out.read_bytes(), st) is None
    st.total_seconds += 1
    assert pdf_problems(out.read_bytes(), st) is not None
