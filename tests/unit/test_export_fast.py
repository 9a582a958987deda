"""The export's fast paths give exactly what the general code gives.

Each shortcut in services/export (stored-leaf parsing, proof text, the zip writer),
ledger/merkle (a tree from one hash buffer), store/ledger (hashes read as one value)
and services/export_child (report.pdf and the tree in child processes) is compared here with the
slower code it stands in for, and its failures are checked to be one clear sentence.
"""

from __future__ import annotations

import io
import json
import pickle
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
import rfc8785

from hourproof.core.timeparse import from_rfc3339, to_rfc3339
from hourproof.ledger.canonical import CanonicalError, parse_canonical
from hourproof.ledger.merkle import MerkleTree, leaf_hash
from hourproof.ledger.tlogproof import TlogProof, format_tlog_proof
from hourproof.proof import report_binding, report_html
from hourproof.proof.model import SELF_REPORTED, ReportEntry, Statement, TotalLine
from hourproof.services import export as ex
from hourproof.services.errors import ServiceError
from hourproof.services.export_child import ChildError, PdfJob, TreeJob
from tests.support import bundles

GOOD = [
    b'{"kind":"entry.add","seq":3,"start":"2026-03-01T09:00:00Z"}',
    b'{"a":[1,{"b":null,"c":true}],"z":"\\u001f\\n\\"x\\\\"}',
    '{"k":"Grüße ✓ 😀","n":-12}'.encode(),
    '{"changes":{"note":"é"},"ü":1}'.encode(),  # a non-ASCII key: the exact check decides
    b'{"big":9007199254740991,"neg":-9007199254740991}',  # 16 digits: the exact check
    b"{}",
]
BAD = [
    b'{"seq":3,"kind":"entry.add"}',  # key order
    b'{"kind": "entry.add"}',  # a space
    b'{"a":1,"a":1}',  # a duplicate key (json.loads would keep one)
    b'{"a":1.5}',
    b'{"a":1e3}',
    b'{"a":NaN}',
    b'{"a":-0}',
    b'{"a":9007199254740993}',  # past 2^53
    b'{"a":"\\u00e9"}',  # an escape JCS does not write
    b'{"a":"\\ud800"}',  # a lone surrogate
    b'{"a":"x"}\n',
    b"\xff",
    b"[1,2",
]


@pytest.mark.parametrize("data", GOOD)
def test_stored_leaf_parses_what_parse_canonical_accepts(data: bytes) -> None:
    assert ex._stored_leaf(data) == parse_canonical(data)


@pytest.mark.parametrize("data", BAD)
def test_stored_leaf_refuses_what_parse_canonical_refuses(data: bytes) -> None:
    with pytest.raises(CanonicalError):
        parse_canonical(data)
    with pytest.raises(CanonicalError):
        ex._stored_leaf(data)


def _hashes(n: int) -> list[bytes]:
    return [leaf_hash(b"leaf %d" % i) for i in range(n)]


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 8, 13, 64, 100, 257])
def test_tree_from_one_hash_buffer_is_the_same_tree(n: int) -> None:
    hashes = _hashes(n)
    a, b = MerkleTree(hashes), MerkleTree.from_hash_blob(b"".join(hashes))
    assert b.size == a.size == n
    for size in range(n + 1):
        assert b.root(size) == a.root(size)
    for i in range(n):
        assert b.inclusion_proof(i) == a.inclusion_proof(i)
        assert b.consistency_proof(i + 1) == a.consistency_proof(i + 1)
    b.append(leaf_hash(b"more"))
    a.append(leaf_hash(b"more"))
    assert b.root() == a.root()


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 64, 100])
def test_tree_level_bytes_read_back_to_the_same_tree(n: int) -> None:
    tree = MerkleTree(_hashes(n))
    again = MerkleTree.from_level_bytes(n, tree.level_bytes())
    assert again.size == n and again.root() == tree.root()
    for i in range(n):
        assert again.inclusion_proof(i) == tree.inclusion_proof(i)
    data = tree.level_bytes()
    for bad_size, bad in [(n + 1, data), (n, data[:-1]), (n, data + b"\x00" * 32)]:
        with pytest.raises(ValueError, match="not of a tree of"):
            MerkleTree.from_level_bytes(bad_size, bad)


def test_tree_from_a_ragged_buffer_is_refused() -> None:
    with pytest.raises(ValueError, match="not a multiple of 32"):
        MerkleTree.from_hash_blob(b"\x00" * 33)


def test_proof_files_are_the_bytes_format_tlog_proof_writes() -> None:
    hashes = _hashes(300)
    tree = MerkleTree(hashes)
    note = "example.org/log\n300\nAAAA\n\n— example.org/log sig\n"
    seqs = [0, 1, 7, 128, 255, 299]
    for size in (1, 2, 129, 300):
        wanted = [s for s in seqs if s < size]
        got, read = ex._proof_files(tree, wanted, size, note)
        for seq in wanted:
            text = format_tlog_proof(TlogProof(seq, tree.inclusion_proof(seq, size), note))
            assert got[f"proofs/{seq}.tlog-proof"] == text.encode()
            assert read[seq] == report_html._read_proof(text.encode(), {})


def test_report_payload_from_the_exporters_proofs_is_the_payload_of_the_members(
    tmp_path: Path,
) -> None:
    home = bundles.build_home(tmp_path, with_evidence=False)
    files = bundles.unzip(bundles.export(home, tmp_path / "out.hproof"))
    page = files["report.html"].decode()
    manifest = bundles.manifest_of(files)
    st = SimpleNamespace(
        client=manifest["recipient"], project=manifest["project"],
        period_start=from_rfc3339(manifest["period"]["from"]),
        period_end=from_rfc3339(manifest["period"]["to"]),
        tree_size=manifest["tree_size"], fingerprint=manifest["fingerprint"],
    )  # fmt: skip
    members = {n: d for n, d in files.items() if n not in ("report.html", "report.pdf")}
    rebuilt = report_html.bundle_payload(members, st)  # type: ignore[arg-type]
    assert report_html.embedded_payload(page) == rebuilt
    assert len(rebuilt["leaves"]) == sum(1 for n in files if n.startswith("proofs/"))


def _members() -> dict[str, bytes]:
    files = {
        "README.txt": b"read me\n" * 50,
        "manifest.json": b'{"files":{}}',
        "manifest.json.sig": b"-----BEGIN SSH SIGNATURE-----\n",
        "proofs/1.tlog-proof": b"c2sp.org/tlog-proof@v1\nindex 1\n\nnote\n",
        "proofs/22.tlog-proof": bytes(range(256)) * 3,
        "entries.jsonl": b'{"seq":1}\n' * 300,
        "empty": b"",
        "naïve.txt": b"non-ASCII name",
    }
    return files


def test_zip_writer_writes_what_zipfile_writes(tmp_path: Path) -> None:
    files = _members()
    order = list(files)
    parts = ex._zip_members(order, files)
    assert parts is not None
    ours = b"".join(parts)
    ex._zipfile_write(tmp_path / "ref.zip", order, files)
    assert ours == (tmp_path / "ref.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(ours)) as zf:
        assert zf.testzip() is None
        assert [i.filename for i in zf.infolist()] == order
        assert {i.filename: zf.read(i) for i in zf.infolist()} == files
        kinds = {i.filename: i.compress_type for i in zf.infolist()}
    assert kinds["proofs/22.tlog-proof"] == zipfile.ZIP_STORED
    assert kinds["entries.jsonl"] == zipfile.ZIP_DEFLATED


def test_members_deflated_ahead_on_a_thread_give_the_same_zip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = _members()
    order = list(files)
    monkeypatch.setattr(ex._Deflater, "LARGE", 100)
    deflater = ex._Deflater()
    try:
        for name, data in files.items():
            deflater.add(name, data)
        assert deflater.packed("entries.jsonl", files["entries.jsonl"]) is not None
        assert deflater.packed("proofs/22.tlog-proof", files["proofs/22.tlog-proof"]) is None
        assert deflater.packed("entries.jsonl", b"other bytes") is None  # not what was added
        deflater.prepare(files)
        changed = dict(files, **{"README.txt": b"changed after prepare\n"})
        ahead = ex._zip_members(order, files, deflater)
        ahead_changed = ex._zip_members(order, changed, deflater)
    finally:
        deflater.close()
    assert ahead == ex._zip_members(order, files)
    assert ahead_changed == ex._zip_members(order, changed)


def test_zip_writer_leaves_archives_that_need_zip64_to_zipfile() -> None:
    many = {f"m{i}": b"" for i in range(0xFFFF)}
    assert ex._zip_members(list(many), many) is None


def test_hash_blob_is_every_stored_hash_in_order(tmp_path: Path) -> None:
    home = bundles.build_home(tmp_path, with_evidence=False)
    with home.app.write() as txn:
        hashes = txn.leaves.all_hashes()
        assert len(hashes) > 5
        for size in (0, 1, 5, len(hashes)):
            assert txn.leaves.hash_blob(size) == b"".join(hashes[:size])


def test_finished_refs_are_the_finished_entries_the_projection_lists(tmp_path: Path) -> None:
    from hourproof.services import tracking

    home = bundles.build_home(tmp_path)
    tracking.start(home.app, "api", tracking.Details(client=bundles.CLIENT_A))  # running
    lo, hi = bundles.PERIOD_FROM, bundles.PERIOD_TO
    with home.app.write() as txn:
        for client, project in [(bundles.CLIENT_A, None), (bundles.CLIENT_A, "api"),
                                (bundles.CLIENT_B, None), ("nobody", None)]:  # fmt: skip
            want = [
                (e.id, e.leaves, e.evidence)
                for e in txn.projection.entries(lo, hi, client, project, True)
                if e.end is not None
            ]
            assert txn.projection.finished_refs(lo, hi, client, project) == want
            assert want or client == "nobody"


def test_export_refuses_a_stored_leaf_that_differs_from_its_hash(tmp_path: Path) -> None:
    home = bundles.build_home(tmp_path, with_evidence=False)
    with home.app.write() as txn:
        txn.db.execute(
            "UPDATE leaves SET data = CAST(replace(CAST(data AS TEXT), 'hero', 'HERO') AS BLOB) "
            "WHERE CAST(data AS TEXT) LIKE '%hero section%'"
        )
    with pytest.raises(ServiceError, match=r"^leaf \d+ in the store does not match its stored"):
        bundles.export(home, tmp_path / "out.hproof", reports=False)
    assert not (tmp_path / "out.hproof").exists()


def test_export_refuses_a_stored_leaf_not_in_canonical_form(tmp_path: Path) -> None:
    home = bundles.build_home(tmp_path, with_evidence=False)
    with home.app.write() as txn:
        txn.db.execute(
            "UPDATE leaves SET data = CAST(replace(CAST(data AS TEXT), '\"note\":', "
            "'\"note\": ') AS BLOB) WHERE CAST(data AS TEXT) LIKE '%hero section%'"
        )
    with pytest.raises(ServiceError, match=r"^leaf \d+ in the store is not canonical JSON"):
        bundles.export(home, tmp_path / "out.hproof")
    assert not (tmp_path / "out.hproof").exists()


def test_pdf_child_failure_is_one_sentence() -> None:
    job = PdfJob()
    job.start()
    job.send_statement("not a statement")
    with pytest.raises(ChildError) as err:
        job.pdf()
    message = str(err.value)
    assert "\n" not in message and message
    assert "Traceback" not in message


def test_tree_child_builds_the_tree_of_the_stored_hashes(tmp_path: Path) -> None:
    home = bundles.build_home(tmp_path, with_evidence=False)
    with home.app.write() as txn:
        hashes = txn.leaves.all_hashes()
    for size in (1, len(hashes) - 1, len(hashes)):
        job = TreeJob(home.app.home.database, size)
        job.start()
        job.send()
        assert job.tree().root() == MerkleTree(hashes[:size]).root()
    job = TreeJob(home.app.home.database, len(hashes) + 1)
    job.start()
    job.send()
    with pytest.raises(ChildError, match=f"^the database holds {len(hashes)} leaf hashes, not"):
        job.tree()


def test_export_builds_the_tree_itself_when_the_child_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = bundles.build_home(tmp_path / "a", with_evidence=False)
    twin = bundles.copy_home(home, tmp_path / "b")
    reference = bundles.unzip(bundles.export(home, tmp_path / "a.hproof", reports=False))

    def broken(self: TreeJob) -> MerkleTree:
        raise ChildError("the tree worker was stopped by SIGKILL")

    monkeypatch.setattr(TreeJob, "tree", broken)
    files = bundles.unzip(bundles.export(twin, tmp_path / "b.hproof", reports=False))
    proofs = {n: d for n, d in files.items() if n.startswith("proofs/")}
    assert proofs and proofs == {n: d for n, d in reference.items() if n.startswith("proofs/")}


def test_a_child_that_cannot_start_leaves_the_work_to_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    home = bundles.build_home(tmp_path, with_evidence=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    job = TreeJob(home.app.home.database, 1)
    job.start()
    job.send()
    assert not job.started
    with pytest.raises(ChildError, match=r"^the tree worker could not be started"):
        job.tree()
    job.cancel()
    files = bundles.unzip(bundles.export(home, tmp_path / "out.hproof"))  # both in-process
    assert files["report.pdf"].startswith(b"%PDF-")
    assert any(name.startswith("proofs/") for name in files)


def test_pdf_child_cancelled_before_sending_stops() -> None:
    job = PdfJob()
    job.start()
    job.cancel()
    job.cancel()


def test_export_whose_pdf_renderer_dies_writes_no_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = bundles.build_home(tmp_path, with_evidence=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "no-such-platform")  # Qt aborts in the child
    out = tmp_path / "out.hproof"
    with pytest.raises(ServiceError) as err:
        bundles.export(home, out)
    assert str(err.value).startswith("cannot write report.pdf: ")
    assert "\n" not in str(err.value)
    assert not out.exists()
    assert not list(tmp_path.glob("*.partial"))


def test_export_with_reports_carries_the_child_rendered_pdf(tmp_path: Path) -> None:
    home = bundles.build_home(tmp_path, with_evidence=False)
    files = bundles.unzip(bundles.export(home, tmp_path / "out.hproof"))
    assert files["report.pdf"].startswith(b"%PDF-")
    assert b"hourproof:statement" in files["report.pdf"]


def _report_statement(project: str, amounts: dict[str, int], seconds: int = 3600) -> Statement:
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    e = ReportEntry(
        id=7, project=project, client="Acme", task=None, tags=(), note="n", start=t0,
        end=t0 + timedelta(hours=1), seconds=seconds, source="manual", amount_minor=1250,
        currency="EUR", label=SELF_REPORTED, recorded_by=None, lag_seconds=None, late=False,
        removed=False, amendments=(), outside=True,
    )  # fmt: skip
    return Statement(
        contractor="ada", fingerprint="SHA256:abc", client="Grüße 😀", project=None,
        period_start=t0, period_end=t0 + timedelta(days=1), generated_at=t0, tree_size=3,
        entries=[e], total_seconds=seconds, total_amounts=amounts,
        by_day=[TotalLine("2026-03-02", seconds, amounts)],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("project", "amounts"),
    [("Web", {"EUR": 1250}), ('ü\u2028<b>"q"\\', {"EUR": 1}), ("x", {"€": 5, "EUR": 2})],
)
def test_statement_json_is_rfc8785_on_the_fast_path_and_off_it(
    project: str, amounts: dict[str, int]
) -> None:
    out = report_binding.statement_json(_report_statement(project, amounts))
    assert out == rfc8785.dumps(json.loads(out))


def test_statement_json_refuses_what_rfc8785_cannot_write() -> None:
    with pytest.raises(ValueError):
        report_binding.statement_json(_report_statement("Web", {"EUR": 1}, seconds=2**53))


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        datetime(2026, 3, 1, 9, 0, 5, 123, tzinfo=UTC),
        datetime(2026, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=2))),
        datetime(999, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
    ],
)
def test_statement_times_are_written_as_to_rfc3339_writes_them(moment: datetime) -> None:
    assert report_binding._utc(moment) == to_rfc3339(moment)


def test_statement_labels_by_bisection_are_the_labels_of_the_scan() -> None:
    import random

    from hourproof.proof.labels import label_for
    from hourproof.proof.statement import _Covering

    rng = random.Random(5)
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    for _ in range(200):
        anchors = [
            (rng.randint(1, 60), t0 + timedelta(minutes=rng.randint(0, 3000)))
            for _ in range(rng.randint(0, 8))
        ]
        covering = _Covering(anchors)
        end = t0 + timedelta(minutes=rng.randint(0, 3000))
        for index in range(0, 62):
            for source in ("manual", "imported"):
                assert label_for(index, end, source, covering.anchors_for(index)) == label_for(
                    index, end, source, anchors
                )


_KILLED_EXPORT = """
import sys
from datetime import datetime
from pathlib import Path
from hourproof.services.export import ExportRequest, export_bundle
from hourproof.services.startup import open_home
app = open_home(sys.argv[1])
lo, hi = datetime.fromisoformat(sys.argv[3]), datetime.fromisoformat(sys.argv[4])
export_bundle(app, ExportRequest(client=sys.argv[5], lo=lo, hi=hi, out=Path(sys.argv[2]),
                                 anchor_first=False))
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_export_killed_while_its_children_work_leaves_no_bundle_and_no_children(
    tmp_path: Path,
) -> None:
    import signal
    import subprocess
    import sys
    import time

    home = bundles.build_home(tmp_path, with_evidence=False)
    home.app.close()
    out = tmp_path / "out.hproof"
    proc = subprocess.Popen([
        sys.executable, "-c", _KILLED_EXPORT, str(tmp_path / "home"), str(out),
        bundles.PERIOD_FROM.isoformat(), bundles.PERIOD_TO.isoformat(), bundles.CLIENT_A,
    ])  # fmt: skip
    guard = time.monotonic() + 120  # only a guard against a child that never starts
    kids: list[int] = []
    while not kids and proc.poll() is None and time.monotonic() < guard:
        kids = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert kids, "the export never started a child process"
    while any(_running(k) for k in kids) and time.monotonic() < guard:
        time.sleep(0.05)
    assert not any(_running(k) for k in kids), "a child outlived the killed export"
    if out.exists():  # the kill came after the bundle was complete
        with zipfile.ZipFile(out) as zf:
            assert zf.testzip() is None and "manifest.json" in zf.namelist()


def test_statement_packed_for_the_pdf_child_unpacks_equal() -> None:
    from hourproof.services.export_child import pack_statement, unpack_statement

    for st in (_report_statement("Web", {"EUR": 1}), _report_statement("x", {})):
        st.entries = st.entries * 3
        again = unpack_statement(pack_statement(st))
        assert again == st and again is not st
        assert [type(e) for e in again.entries] == [ReportEntry] * 3
        assert again.entries[0] == st.entries[0] and again.entries[0] is not st.entries[0]
    empty = _report_statement("Web", {})
    empty.entries = []
    assert unpack_statement(pack_statement(empty)) == empty
    with pytest.raises(ValueError, match="another version"):
        unpack_statement(pickle.dumps(empty))  # what an older parent sent


def test_report_pdf_is_stored_not_deflated_again() -> None:
    """Its streams are compressed inside the PDF (docs/bundle-format.md §1)."""
    data = b"%PDF-1.7\n" + bytes(range(256)) * 64
    for name, method in [("report.pdf", zipfile.ZIP_STORED), ("report.html", zipfile.ZIP_DEFLATED),
                         ("x/report.pdf", zipfile.ZIP_DEFLATED)]:  # fmt: skip
        parts = ex._zip_members([name], {name: data})
        assert parts is not None
        with zipfile.ZipFile(io.BytesIO(b"".join(parts))) as zf:
            assert zf.getinfo(name).compress_type == method and zf.read(name) == data
