"""A bundle for client A discloses nothing of client B and nothing of the machine (DESIGN §8).

Why: the contractor sends the bundle to a client; it must not leak another client's
names, notes, projects, amounts, commit ids or file paths, nor the contractor's home
directory, absolute paths or host name. Every member is scanned as bytes, the PDF also
through its decompressed streams and (when poppler's pdftotext is installed) its text.
The same scan of a bundle for client B must find B's data, so the scan can fail.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hourproof.proof import format as f
from tests.support import bundles as b
from tests.support.tsa import TestTsa


@dataclass
class Sample:
    root: Path
    secrets_b: list[str]
    bundle_a: bytes
    bundle_b: bytes


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    root = tmp_path_factory.mktemp("privacy")
    with TestTsa() as tsa:
        home = b.build_home(root, tsa.url, tsa.root_pem)
        bundle_a = b.export(home, root / "a.hproof")
        bundle_b = b.export(home, root / "b.hproof", client=b.CLIENT_B)
    yield Sample(root, list(home.secrets_b), bundle_a, bundle_b)
    home.close()


def _pdf_streams(pdf: bytes) -> list[bytes]:
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return out


def _pdf_text(pdf: bytes, tmp: Path) -> bytes | None:
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    path = tmp / "report.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([exe, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return done.stdout


def haystacks(bundle: bytes, tmp: Path) -> dict[str, bytes]:
    """Everything a reader of the bundle can see, by where it comes from."""
    files = b.unzip(bundle)
    assert f.REPORT_PDF in files and f.REPORT_HTML in files, "reports must be scanned too"
    out = {"zip": bundle, **files}
    for n, stream in enumerate(_pdf_streams(files[f.REPORT_PDF])):
        out[f"report.pdf stream {n}"] = stream
    text = _pdf_text(files[f.REPORT_PDF], tmp)
    if text is not None:
        out["report.pdf text"] = text
    return out


def leaks(hay: dict[str, bytes], needles: list[str], fold: bool = True) -> list[tuple[str, str]]:
    """(needle, where) for every needle found; ``fold`` ignores case (not for paths: a PDF
    has "/Root" in its trailer, which is not the home folder /root)."""
    found = []
    for needle in needles:
        want = needle.lower().encode() if fold else needle.encode()
        found += [
            (needle, where)
            for where, data in hay.items()
            if want in (data.lower() if fold else data)
        ]
    return found


def test_bundle_for_a_holds_nothing_of_client_b(sample: Sample, tmp_path: Path) -> None:
    hay = haystacks(sample.bundle_a, tmp_path)
    assert len(sample.secrets_b) > 20
    assert leaks(hay, sample.secrets_b) == []


#: Client B's data that a bundle for B must show (amounts of removed entries, the repo
#: folder name and the author e-mail are never recorded at all).
SHOWN_TO_B = [
    b.CLIENT_B,
    b.B_PROJECT,
    b.B_TASK,
    b.B_TAG,
    b.B_NOTE_2,
    b.B_REASON,
    b.B_SUBJECT,
    b.B_FILE,
    "15308642",
]


def test_the_same_scan_finds_b_in_a_bundle_for_b(sample: Sample, tmp_path: Path) -> None:
    hay = haystacks(sample.bundle_b, tmp_path)
    found = {needle for needle, _ in leaks(hay, SHOWN_TO_B)}
    assert found == set(SHOWN_TO_B)
    commit = next(s for s in sample.secrets_b if re.fullmatch(r"[0-9a-f]{40}", s))
    assert leaks(hay, [commit])


def test_pdf_text_is_scanned_when_pdftotext_is_installed(sample: Sample, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: PDF text not extracted")
    hay = haystacks(sample.bundle_b, tmp_path)
    assert b.CLIENT_B.encode() in hay["report.pdf text"]
    assert b.CLIENT_A.encode() in haystacks(sample.bundle_a, tmp_path)["report.pdf text"]


def _text_members(hay: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in hay.items() if not k.endswith((".pdf", ".tsr")) and k != "zip"}


ABSOLUTE = re.compile(
    rb"(?<![\w.:/~-])(?:/(?:home|Users|tmp|root|var|etc|usr|private|mnt|opt|srv|run)/"
    rb"|[A-Za-z]:\\\\?[A-Za-z]|~/)"
)


def test_no_absolute_path_or_home_directory(sample: Sample, tmp_path: Path) -> None:
    hay = haystacks(sample.bundle_a, tmp_path)
    places = {
        str(sample.root),
        str(sample.root / "home"),
        str(Path.home()),
        os.path.expanduser("~"),
        str(tmp_path.parent),
    }
    assert leaks(hay, sorted(places), fold=False) == []
    for where, data in _text_members(hay).items():
        assert not ABSOLUTE.search(data), (where, ABSOLUTE.search(data))


def test_absolute_path_pattern_would_catch_a_leak() -> None:
    for leak in (b"saved in /home/ann/x", b'"/tmp/pytest-1/home"', b"C:\\Users\\ann", b"~/work"):
        assert ABSOLUTE.search(leak), leak
    for fine in (b"https://example.org/tmp/x", b"anchors/7.checkpoint", b"proofs/*.tlog-proof"):
        assert not ABSOLUTE.search(fine), fine


def _host_pattern(host: str) -> re.Pattern[bytes]:
    # A short host name ("vm") is only a leak as a word of its own: base64, hex and
    # words around it must not count, so the boundaries exclude those alphabets.
    return re.compile(rb"(?<![\w+/=.-])" + re.escape(host.lower().encode()) + rb"(?![\w+/=-])")


def test_no_host_name(sample: Sample, tmp_path: Path) -> None:
    hay = haystacks(sample.bundle_a, tmp_path)
    names = {n for n in (socket.gethostname(), socket.getfqdn()) if n and n != "localhost"}
    for name in names:
        if len(name) >= 8:
            assert leaks(hay, [name]) == []
        pattern = _host_pattern(name)
        for where, data in _text_members(hay).items():
            assert not pattern.search(data.lower()), (name, where)


def test_host_pattern_would_catch_a_leak() -> None:
    pattern = _host_pattern("vm")
    assert pattern.search(b"made on vm by ann") and pattern.search(b'"host":"vm"')
    assert not pattern.search(b"AAAvm+x/vm0=") and not pattern.search(b"vmin")


def test_every_disclosed_leaf_belongs_to_client_a(sample: Sample) -> None:
    leaves = b.leaves_of(b.unzip(sample.bundle_a))
    assert {leaf.get("client", b.CLIENT_A) for leaf in leaves} == {b.CLIENT_A}
    assert {leaf["kind"] for leaf in leaves} >= {"entry.add", "git.commit", "file.activity"}


def test_moving_an_entry_between_clients_leaks_neither_way(tmp_path: Path) -> None:
    """An entry of A moved to B: A's next bundle shows a removal that names nobody, B's
    bundle shows a new entry that names nothing of A (client, rate, amount, leaf)."""
    from hourproof.core import leaves as lk
    from hourproof.services import tracking

    home = b.build_home(tmp_path / "h")
    entry = tracking.add(
        home.app, "website", b._at(12, 9), b._at(12, 10, 7),
        tracking.Details(client=b.CLIENT_A, task="a-only-task"),
    )  # fmt: skip
    home.clock.advance(minutes=2)
    moved = tracking.amend(
        home.app, entry.id, "belongs to the other client", tracking.Details(client=b.CLIENT_B)
    )
    a_hay = haystacks(b.export(home, tmp_path / "a.hproof"), tmp_path)
    b_bundle = b.export(home, tmp_path / "b.hproof", client=b.CLIENT_B)
    b_hay = haystacks(b_bundle, tmp_path)
    assert leaks(a_hay, [b.CLIENT_B, "belongs to the other client", str(b.RATE_B.minor)]) == []
    # (not "95.00": PDF drawing operators carry such numbers; " EUR" is A's currency)
    a_secrets = [b.CLIENT_A, str(b.RATE_A.minor), " EUR", f'"entry":{entry.id},']
    assert leaks(b_hay, a_secrets) == []
    b_leaves = b.leaves_of(b.unzip(b_bundle))
    assert all(lf["seq"] != entry.id for lf in b_leaves)
    assert any(lf["seq"] == moved.id for lf in b_leaves)
    a_leaves = b.leaves_of(b.unzip(a_hay["zip"]))
    assert any(lf["kind"] == lk.ENTRY_REMOVE and lf["reason"] == lk.MOVED_REASON for lf in a_leaves)
    home.close()
