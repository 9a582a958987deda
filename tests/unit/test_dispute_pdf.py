"""The dispute PDF: a readable statement with the bundle attached, checked by verify FILE.pdf."""

from __future__ import annotations

import shutil
import subprocess
import zlib
from datetime import UTC, datetime, timedelta

import pytest

from hourproof import cli
from hourproof.proof.dispute_pdf import extract, render
from hourproof.services import tracking
from hourproof.services.app import App
from hourproof.services.dispute import write_dispute_pdf
from hourproof.services.export import ExportRequest, export_bundle

DAY = datetime(2026, 11, 2, tzinfo=UTC)
needs_poppler = pytest.mark.skipif(
    shutil.which("pdfdetach") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdfdetach, pdftotext) not installed",
)


class Clock:
    def __init__(self) -> None:
        self.now = DAY + timedelta(hours=9)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def bundle(tmp_path):
    clock = Clock()
    app = App.open(tmp_path / "home")
    app.clock = clock
    for day in range(3):
        start = DAY + timedelta(days=day, hours=9)
        tracking.add(app, "site", start, start + timedelta(hours=2, minutes=15),
                     tracking.Details(client="acme"))  # fmt: skip
    clock.now = DAY + timedelta(days=3)
    out = tmp_path / "acme-nov.hproof"
    export_bundle(app, ExportRequest(client="acme", lo=DAY, hi=DAY + timedelta(days=7),
                                     out=out, reports=False, anchor_first=False))  # fmt: skip
    app.close()
    return out


def test_embedded_file_round_trips():
    pdf = render(["# Title", "hello (world) \\ – done"], "x.hproof", b"PK\x03\x04data",
                 "t", DAY)  # fmt: skip
    assert extract(pdf) == ("x.hproof", b"PK\x03\x04data")
    assert b"/EmbeddedFiles" in pdf and b"/AF [" in pdf


@needs_poppler
def test_pdf_lists_the_bundle_as_attachment_and_reads_as_a_statement(bundle, tmp_path):
    pdf = write_dispute_pdf(bundle)
    assert pdf == tmp_path / "acme-nov.pdf"
    listed = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout  # fmt: skip
    assert "1 embedded files" in listed and "acme-nov.hproof" in listed
    saved = tmp_path / "saved"
    saved.mkdir()
    subprocess.run(["pdfdetach", "-saveall", "-o", str(saved), str(pdf)], check=True)
    assert (saved / "acme-nov.hproof").read_bytes() == bundle.read_bytes()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Statement of hours for a dispute" in text
    assert "Total claimed: 6:45 hours" in text
    for day in ("2026-11-02", "2026-11-03", "2026-11-04"):
        assert day in text
    assert "hourproof verify acme-nov.hproof --key SHA256:" in text
    assert "Entries: when each was recorded" in text


def test_verify_pdf_checks_bundle_and_statement(bundle, tmp_path, capsys):
    pdf = write_dispute_pdf(bundle)
    home = str(tmp_path / "client")
    assert cli.main(["--home", home, "verify", str(pdf)]) == 0
    assert "matches the embedded acme-nov.hproof" in capsys.readouterr().out


def test_an_edited_statement_fails(bundle, tmp_path, capsys):
    pdf = write_dispute_pdf(bundle)
    data = pdf.read_bytes()
    # Re-write one page's text (6:45 -> 9:45) and re-compress it: a well-formed PDF.
    start = data.find(b"stream\n", data.find(b"<< /Filter /FlateDecode /Length")) + 7
    end = data.find(b"\nendstream", start)
    page = zlib.decompress(data[start:end])
    assert b"6:45" in page
    new = zlib.compress(page.replace(b"6:45", b"9:45"), 9)
    head = data[:start].replace(f"/Length {end - start}".encode(), f"/Length {len(new)}".encode())
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(head + new + data[end:])
    assert cli.main(["--home", str(tmp_path / "c"), "verify", str(tampered)]) == 1
    assert "statement differs" in capsys.readouterr().err


def test_a_pdf_without_bundle_is_a_usage_error(tmp_path, capsys):
    other = tmp_path / "x.pdf"
    other.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    assert cli.main(["--home", str(tmp_path / "c"), "verify", str(other)]) == 2
    assert "no embedded hour-proof bundle" in capsys.readouterr().err


def test_export_dispute_flag_writes_the_pdf(tmp_path, capsys):
    home = str(tmp_path / "h")
    assert cli.main(["--home", home, "add", "site", "--from", "2026-11-02 09:00",
                     "--to", "2026-11-02 10:30", "--client", "acme"]) == 0  # fmt: skip
    out = tmp_path / "b.hproof"
    assert cli.main(["--home", home, "export", "--client", "acme", "--from", "2026-11-01",
                     "--to", "2026-11-30", "-o", str(out), "--no-reports", "--no-anchor",
                     "--dispute"]) == 0  # fmt: skip
    assert (tmp_path / "b.pdf").exists()
    assert extract((tmp_path / "b.pdf").read_bytes())[1] == out.read_bytes()
