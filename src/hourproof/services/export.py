"""Export an hour-proof bundle for one client and period (DESIGN §6).

Gathers from the store in one transaction (checkpoint, disclosed leaves, anchors,
tree hashes), then builds every file of the bundle and writes the zip atomically.
Disclosure is exactly: the client's entries in the period, every leaf that changed
them, and the evidence leaves they cite — nothing of any other client.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import json
import os
import re
import struct
import zipfile
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from hourproof.core import leaves as lk
from hourproof.core.summary import to_csv
from hourproof.core.timeparse import from_rfc3339, to_rfc3339
from hourproof.ledger import clientmap, keys
from hourproof.ledger.canonical import CanonicalError, canonical, parse_canonical
from hourproof.ledger.merkle import MerkleTree, leaf_hash
from hourproof.ledger.sshsig import sshsig_sign
from hourproof.ledger.tlogproof import HEADER
from hourproof.proof import format as f
from hourproof.proof.readme import readme_text
from hourproof.proof.statement import build_statement, collector_paused
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.services.export_child import (
    ChildError,
    PdfJob,
    TreeJob,
    can_use_child,
    render_in_process,
)
from hourproof.store.anchors import AnchorTables
from hourproof.store.chains import Chains
from hourproof.store.exports import Exports

DEFAULT_IDENTITY = "contractor"


@dataclass(frozen=True)
class ExportRequest:
    client: str
    lo: datetime
    hi: datetime
    out: Path
    project: str | None = None
    since_bundle: Path | None = None
    identity: str = DEFAULT_IDENTITY
    reports: bool = True
    anchor_first: bool = True
    csv_path: Path | None = None
    csv_format: str = "toggl"
    csv_zone: tzinfo = UTC  # the CSV's times are local to this zone, named in its last column
    csv_zone_name: str = "UTC"
    csv_email: str | None = None  # the CSV's Email column


@dataclass
class ExportResult:
    path: Path
    entries: int
    leaves: int
    tree_size: int
    bytes: int
    anchors: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Gathered:
    note: str
    size: int
    disclosed: dict[int, bytes]
    anchors: list[tuple[int, str, bytes, str, str]]  # size, note, token, tsa, gen_time
    since: tuple[int, str] | None
    completeness: dict[str, Any] | None = None
    hashes: bytes | None = None  # the stored leaf hashes 0 .. size-1 (no tree child)


def _since_from_bundle(path: Path) -> tuple[int, str]:
    """The export checkpoint (size, note) of a bundle the client already has."""
    import io

    from hourproof.proof.zipread import MalformedBundle, read_regular_file

    try:
        data = read_regular_file(path, f.MAX_TOTAL_BYTES)  # a FIFO must not block
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            manifest = parse_canonical(zf.read(f.MANIFEST))
            size = int(manifest["tree_size"])
            return size, zf.read(f.checkpoint_path(size)).decode("utf-8")
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, MalformedBundle) as exc:
        raise ServiceError(f"cannot read the earlier bundle {path}: {exc}") from exc


def _has_map(note: str) -> bool:
    body = note.split("\n\n", 1)[0].split("\n")
    return len(body) > 3 and body[3].startswith(clientmap.EXTENSION_TAG + " ")


def _map_item(ch: Chains, blinded: bytes, size: int, current: int) -> dict[str, Any]:
    entries = ch.current_map() if size == current else ch.map_at(size)
    if blinded in entries:
        entry = entries[blinded]
        proof = clientmap.map_proof(entries, blinded)
        return {"size": size, "count": entry.count, "head": entry.head.hex(),
                "proof": [base64.b64encode(h).decode() for h in proof]}  # fmt: skip
    absent = clientmap.map_absence(entries, blinded)
    other = None
    if absent.other is not None:
        oid, oentry = absent.other
        other = {"id": oid.hex(), "count": oentry.count, "head": oentry.head.hex()}
    return {"size": size, "count": 0, "head": None, "other": other,
            "proof": [base64.b64encode(h).decode() for h in absent.proof]}  # fmt: skip


def _gather(app: App, req: ExportRequest, jobs: list[Any]) -> _Gathered:
    """What the bundle discloses, in one transaction. With a child process available,
    one is started for the tree over the log (appended to ``jobs``); it hashes while
    the gathering and the statement go on."""
    with app.write() as txn:
        if txn.leaves.size() == 0:
            raise ServiceError("the ledger is empty: nothing to export")
        cp = txn.checkpoint()
        tree_job: TreeJob | None = None
        if can_use_child():
            tree_job = TreeJob(app.home.database, cp.size)
            tree_job.start()
            tree_job.send()  # it hashes while this process gathers and builds
            jobs.append(tree_job)
        refs = txn.projection.finished_refs(req.lo, req.hi, req.client, req.project)
        if not refs:
            raise ServiceError(f"no finished entries for client {req.client!r} in that period")
        wanted: set[int] = set()
        for _id, entry_leaves, evidence in refs:
            wanted.update(entry_leaves)
            wanted.update(evidence)
        since: tuple[int, str] | None = None
        if req.since_bundle is not None:
            since = _since_from_bundle(req.since_bundle)
        else:
            since = Exports(txn.db).last_for(req.client)
        if since is not None and not 0 < since[0] <= cp.size:
            since = None
        ch = Chains(txn.db)
        chain = ch.get_or_create(req.client)
        since_count = 0
        if since is not None and _has_map(since[1]):
            entry_at = ch.map_at(since[0]).get(chain.blinded)
            since_count = entry_at.count if entry_at is not None else 0
        links = ch.links(chain.blinded, since_count, cp.size)
        link_seqs = [seq for seq, _n in links]
        shown = {ref[0] for ref in refs}  # their whole history is wanted already
        fetched = txn.leaves.leaves(link_seqs)  # read once: most are disclosed below
        for seq, data in fetched.items():
            wanted.add(seq)
            if seq in shown:
                continue
            leaf = parse_canonical(data)
            cited = leaf.get("entry") if leaf["kind"] in lk.CHANGING_KINDS else None
            entry_id = cited if isinstance(cited, int) else seq
            if entry_id in shown:
                continue
            if leaf["kind"] in lk.CREATING_KINDS or cited is not None:
                shown.add(entry_id)
                current = txn.projection.entry(entry_id)
                if current is not None:
                    wanted.update(i for i in current.leaves if i < cp.size)
                    wanted.update(current.evidence)
        from hourproof.services.approvals import approval_seqs  # every approval, every bundle

        wanted.update(approval_seqs(txn.db, req.client, cp.size))
        fetched.update(txn.leaves.leaves(sorted(wanted.difference(fetched))))
        disclosed = {seq: fetched[seq] for seq in sorted(wanted) if seq in fetched}
        hashes = txn.leaves.hash_blob(cp.size) if tree_job is None else None
        anchor_rows: list[tuple[int, str, bytes, str, str]] = []
        for a in AnchorTables(txn.db).anchors_up_to(cp.size):  # the first token per size
            if not anchor_rows or anchor_rows[-1][0] != a.size:
                anchor_rows.append((a.size, a.note, a.token, a.tsa, a.gen_time))
        sizes = {cp.size}
        if since is not None and _has_map(since[1]):
            sizes.add(since[0])
        floor = since[0] if since is not None else -1
        sizes.update(a[0] for a in anchor_rows if a[0] > floor and _has_map(a[1]))
        maps = [_map_item(ch, chain.blinded, s, cp.size) for s in sorted(sizes)]
        completeness: dict[str, Any] | None = {
            "client": {"id": chain.blinded.hex(),
                       "secret": base64.b64encode(chain.secret).decode()},
            "from": ch.chains_from(),
            "maps": maps,
            "since": {"size": since[0]} if since is not None else None,
        }  # fmt: skip
    if not _has_map(cp.note):
        # A home upgraded from format 1 whose log has not grown since: its newest
        # checkpoint commits to no client map, so this bundle stays version 1.
        completeness = None
    return _Gathered(cp.note, cp.size, disclosed, anchor_rows, since, completeness, hashes)


def _consistency(tree: MerkleTree, size1: int, size2: int) -> bytes:
    proof = tree.consistency_proof(size1, size2)
    return canonical({
        "size1": size1, "size2": size2,
        "root1": base64.b64encode(tree.root(size1)).decode(),
        "root2": base64.b64encode(tree.root(size2)).decode(),
        "proof": [base64.b64encode(h).decode() for h in proof],
    })  # fmt: skip


def _refuse(text: str) -> Any:
    raise ValueError(text)


def _small_int(text: str) -> int:
    """An integer of at most 15 digits (below 2^53 whatever the digits), else refused
    here so that the exact check decides."""
    if len(text) > 15:
        raise ValueError(text)
    return int(text)


def _keys_ascii(value: Any) -> bool:
    if type(value) is dict:
        return all(k.isascii() for k in value) and all(
            _keys_ascii(v) for v in value.values() if type(v) is dict or type(v) is list
        )
    if type(value) is list:
        return all(_keys_ascii(v) for v in value if type(v) is dict or type(v) is list)
    return True


_DECODER = json.JSONDecoder(parse_float=_refuse, parse_int=_small_int, parse_constant=_refuse)
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _read_stored(data: bytes) -> Any:
    """First half of :func:`_stored_leaf`: the C parser, which refuses floats,
    constants and integers of more than 15 digits (``parse_canonical`` says why)."""
    try:
        return _DECODER.decode(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return parse_canonical(data)  # raises, saying why (or accepts a long integer)


def _is_stored_form(value: Any, data: bytes) -> bool:
    """Second half of :func:`_stored_leaf`: ``data`` is exactly the RFC 8785 form of
    ``value`` when serializing it back gives the same text (so no duplicate key, no
    other spelling) and that serialization is RFC 8785 by construction (ASCII keys;
    the parser let through no float and no integer past 2^53)."""
    try:
        text = data.decode("utf-8")
        return _ENCODER.encode(value) == text and (text.isascii() or _keys_ascii(value))
    except (ValueError, TypeError, RecursionError):
        return False


def _stored_leaf(data: bytes) -> Any:
    """A leaf read from this home's own log, parsed with the same acceptance as
    ``parse_canonical`` at a third of its cost (where the fast check cannot tell,
    ``parse_canonical`` decides)."""
    value = _read_stored(data)
    return value if _is_stored_form(value, data) else parse_canonical(data)


def _disclosed_leaves(g: _Gathered) -> dict[int, Any]:
    """The disclosed leaves parsed; :func:`_check_canonical` and
    :func:`_check_disclosed` check their bytes (after the statement went to the PDF
    child: they only decide whether the export fails)."""
    leaves: dict[int, Any] = {}
    for seq, data in g.disclosed.items():
        try:
            leaves[seq] = _read_stored(data)
        except CanonicalError as exc:
            raise ServiceError(f"leaf {seq} in the store is not canonical JSON ({exc}); "
                               "run ledger verify") from exc  # fmt: skip
    return leaves


def _check_canonical(g: _Gathered, leaves: dict[int, Any]) -> None:
    """Each disclosed leaf is in exactly its RFC 8785 form (as ``parse_canonical``
    requires; the verifier refuses a bundle with one that is not)."""
    for seq, data in g.disclosed.items():
        if not _is_stored_form(leaves[seq], data):
            try:
                parse_canonical(data)
            except CanonicalError as exc:
                raise ServiceError(f"leaf {seq} in the store is not canonical JSON ({exc}); "
                                   "run ledger verify") from exc  # fmt: skip


def _seq_field(leaf: Any) -> int | None:
    seq = leaf.get("seq") if isinstance(leaf, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) and seq >= 0 else None


def _check_disclosed(g: _Gathered, tree: MerkleTree) -> None:
    """Each disclosed leaf's bytes hash to the stored hash the tree holds for it (and
    the tree's root is the signed one): the bundle shows exactly what was signed."""
    for seq, data in g.disclosed.items():
        if not 0 <= seq < tree.size or leaf_hash(data) != tree.leaf_hash(seq):
            raise ServiceError(f"leaf {seq} in the store does not match its stored hash; "
                               "run ledger verify")  # fmt: skip


def _tree(app: App, g: _Gathered, job: TreeJob | None) -> MerkleTree:
    """The tree over the checkpoint's leaves, checked against its signed root: from the
    child when it delivered, else built here from the stored hashes."""
    want = from_note_root(g.note)
    if job is not None:
        try:
            tree = job.tree()
            if tree.size == g.size and tree.root() == want:
                return tree
        except (ChildError, ValueError):
            pass  # built here instead: the checks below say what is wrong, if anything
    hashes = g.hashes
    if hashes is None:
        with app.write() as txn:
            hashes = txn.leaves.hash_blob(g.size)
    tree = MerkleTree.from_hash_blob(hashes)
    if tree.size != g.size or tree.root() != want:
        raise ServiceError("the stored leaf hashes do not match the checkpoint; run ledger verify")
    return tree


_Proof = tuple[int, list[str], str]  # index, base64 hashes, checkpoint (as report_html reads)


def _proof_files(
    tree: MerkleTree, seqs: list[int], size: int, note: str
) -> tuple[dict[str, bytes], dict[int, _Proof]]:
    """tlog-proof@v1 text of each leaf against the export checkpoint — the bytes
    ``format_tlog_proof`` writes, with each distinct hash base64-encoded once (the
    upper levels are shared by most of the proofs) — and each proof as report.html's
    payload reads it back from those bytes."""
    encoded: dict[bytes, str] = {}
    b64 = binascii.b2a_base64
    tail = "\n\n" + note
    out: dict[str, bytes] = {}
    read: dict[int, _Proof] = {}
    for seq, path in zip(seqs, tree.inclusion_proofs(seqs, size), strict=True):
        hashes: list[str] = []
        for h in path:
            text = encoded.get(h)
            if text is None:
                text = encoded[h] = b64(h, newline=False).decode("ascii")
            hashes.append(text)
        lines = "\n".join(hashes)
        body = f"{HEADER}\nindex {seq}\n{lines}{tail}" if hashes else f"{HEADER}\nindex {seq}{tail}"
        out[f.proof_path(seq)] = body.encode()
        read[seq] = (seq, hashes, note)
    return out, read


def _build_files(
    app: App, req: ExportRequest, g: _Gathered, pdf: PdfJob | None = None,
    tree_job: TreeJob | None = None, deflater: _Deflater | None = None,
) -> tuple[dict[str, bytes], Any]:  # fmt: skip
    """Every member of the bundle. The statement comes first, so that ``pdf`` (a
    child already started) renders report.pdf while the proofs, report.html and the
    manifest are made here."""
    key = app.key
    pub = key.public_key()
    with collector_paused():  # the parsed leaves and the statement: no cycles to find
        leaves = _disclosed_leaves(g)
        anchors = [(a[0], from_rfc3339(a[4]), a[3]) for a in g.anchors]
        statement, rows = build_statement(
            leaves, anchors, contractor=req.identity, fingerprint=keys.fingerprint(pub),
            client=req.client, project=req.project, period_start=req.lo, period_end=req.hi,
            generated_at=app.clock(), tree_size=g.size,
        )  # fmt: skip
        if req.reports and pdf is not None:
            pdf.send_statement(statement)
    _check_canonical(g, leaves)
    page = None
    if req.reports:  # the statement's part of report.html, while the tree is hashed
        from hourproof.proof.report_html import statement_html

        page = statement_html(statement)
    tree = _tree(app, g, tree_job)
    _check_disclosed(g, tree)
    files: dict[str, bytes] = {}
    seqs = sorted(g.disclosed)
    files[f.ENTRIES] = b"".join([g.disclosed[s] + b"\n" for s in seqs])
    pack = deflater.add if deflater is not None else lambda _name, _data: None
    pack(f.ENTRIES, files[f.ENTRIES])
    proof_files, proofs = _proof_files(tree, seqs, g.size, g.note)
    files.update(proof_files)
    sizes = sorted({a[0] for a in g.anchors} | {g.size})
    for size, note, token, _tsa, _when in g.anchors:
        files[f.checkpoint_path(size)] = note.encode()
        files[f.tsr_path(size)] = token
    files[f.checkpoint_path(g.size)] = g.note.encode()
    for a, b in itertools.pairwise(sizes):
        files[f.consistency_path(a, b)] = _consistency(tree, a, b)
    if g.since is not None:
        since_size, since_note = g.since
        if 0 < since_size < g.size and f.consistency_path(since_size, g.size) not in files:
            files[f.checkpoint_path(since_size)] = since_note.encode()
            files[f.consistency_path(since_size, g.size)] = _consistency(tree, since_size, g.size)
    from hourproof.services.approvals import cosign_files  # approved checkpoints, witnesses

    files.update(cosign_files(app, req.client, tree, g.size, files, submit=req.anchor_first))
    files[f.SUMMARY] = to_csv(rows)
    if g.completeness is not None:
        files[f.COMPLETENESS] = canonical(g.completeness)
    files[f.ALLOWED_SIGNERS] = (keys.allowed_signers_line(req.identity, pub) + "\n").encode()
    files[f.VKEY] = (keys.verifier_key(keys.log_origin(pub), pub) + "\n").encode()
    period = f"{to_rfc3339(req.lo)} to {to_rfc3339(req.hi)} (end exclusive)"
    files[f.README] = readme_text(
        identity=req.identity, fingerprint=keys.fingerprint(pub), client=req.client,
        period=period, tree_size=g.size, tsr_sizes=[a[0] for a in g.anchors],
    ).encode()  # fmt: skip
    if req.reports:
        from hourproof.proof.report_html import render_html

        line_seqs = [_seq_field(leaves[s]) for s in seqs]  # as report_html._seq_of reads
        html = render_html(statement, bundle=files, seqs=line_seqs, proofs=proofs, page=page)
        files[f.REPORT_HTML] = html.encode("utf-8")
        pack(f.REPORT_HTML, files[f.REPORT_HTML])  # while the PDF may still be coming
    digests = {p: hashlib.sha256(d).hexdigest() for p, d in files.items()}
    if deflater is not None:
        deflater.prepare(files)
    if req.reports:
        files[f.REPORT_PDF] = _pdf_bytes(statement, pdf)
        pack(f.REPORT_PDF, files[f.REPORT_PDF])
        digests[f.REPORT_PDF] = hashlib.sha256(files[f.REPORT_PDF]).hexdigest()
    manifest = canonical({
        "format": f.FORMAT, "version": f.FORMAT_VERSION if g.completeness else 1,
        "origin": keys.log_origin(pub), "contractor": req.identity,
        "fingerprint": keys.fingerprint(pub), "recipient": req.client,
        "project": req.project,
        "period": {"from": to_rfc3339(req.lo), "to": to_rfc3339(req.hi)},
        "tree_size": g.size, "created_at": to_rfc3339(app.clock()),
        "files": dict(sorted(digests.items())),
    })  # fmt: skip
    files[f.MANIFEST] = manifest
    files[f.MANIFEST_SIG] = sshsig_sign(key, manifest, f.NAMESPACE).encode()
    return files, statement


def _pdf_bytes(statement: Any, pdf: PdfJob | None) -> bytes:
    try:
        if pdf is None or not pdf.started:  # no child (frozen build, or it would not start)
            return render_in_process(statement)
        return pdf.pdf()
    except ChildError as exc:
        raise ServiceError(f"cannot write report.pdf: {exc}") from exc


def from_note_root(note: str) -> bytes:
    from hourproof.ledger.checkpoint import parse_checkpoint

    body = note.split("\n\n", 1)[0] + "\n"
    return parse_checkpoint(body).root


def _render_csv(statement: Any, req: ExportRequest) -> str:
    """The CSV as text, before anything is written (a format error leaves no files)."""
    import io

    from hourproof.proof.csv_export import CsvExportError, write_csv

    buffer = io.StringIO(newline="")
    try:
        write_csv(
            statement,
            buffer,
            req.csv_format,
            zone=req.csv_zone,
            zone_name=req.csv_zone_name,
            email=req.csv_email,
        )
    except CsvExportError as exc:
        raise ServiceError(f"cannot write the CSV: {exc}") from exc
    return buffer.getvalue()


#: Members written uncompressed ("stored"): a tlog-proof is mostly base64 of random
#: hashes, which deflate shrinks by a fifth at a cost of about 20 µs each — over
#: 20,000 proofs, 0.4 s of an export for 5 MiB; report.pdf's streams are compressed
#: inside it already (deflating it again saved ~2% for 0.1-0.2 s once it arrives, the
#: export's last step). docs/bundle-format.md §1.
_STORED = re.compile(r"proofs/|report\.pdf\Z")
_DOS_TIME, _DOS_DATE = 0, (2000 - 1980) << 9 | 1 << 5 | 1  # 2000-01-01 00:00:00
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL_HEAD = struct.Struct("<IHHHHHHIIIHHHHHI")  # then the local header's offset
_OFFSET = struct.Struct("<I")
_END = struct.Struct("<IHHHHIIH")
_ZIP32_MEMBERS = 0xFFFF
_ZIP32_BYTES = 0xFFFFFFFF


def _deflate(data: bytes) -> tuple[int, bytes]:
    return zlib.crc32(data), zlib.compress(data, 6, -15)


_Record = tuple[bytes, bytes, bytes]  # local header + name, body, central header head


class _Deflater:
    """Packs the members as they are made: the large ones deflated on a worker thread
    (zlib lets go of the GIL), the others' zip records built by :meth:`prepare` while
    report.pdf is still being drawn, so little is left to do once it arrives."""

    LARGE = 1 << 20

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._jobs: dict[str, tuple[bytes, Future[tuple[int, bytes]]]] = {}
        self._records: dict[str, tuple[bytes, _Record]] = {}

    def add(self, name: str, data: bytes) -> None:
        if len(data) < self.LARGE or _STORED.match(name):
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="deflate")
        self._jobs[name] = (data, self._pool.submit(_deflate, data))

    def packed(self, name: str, data: bytes) -> tuple[int, bytes] | None:
        """(CRC-32, raw deflate) of ``data`` if it was added under ``name``."""
        job = self._jobs.get(name)
        return job[1].result() if job is not None and job[0] is data else None

    def prepare(self, files: dict[str, bytes]) -> None:
        """Build the zip record of every member not handed to the worker thread."""
        for name, data in files.items():
            if name not in self._jobs and name not in self._records:
                self._records[name] = (data, _record(name, data, None))

    def record(self, name: str, data: bytes) -> _Record:
        done = self._records.get(name)
        if done is not None and done[0] is data:
            return done[1]
        return _record(name, data, self.packed(name, data))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        self._jobs.clear()
        self._records.clear()


def _record(name: str, data: bytes, done: tuple[int, bytes] | None) -> _Record:
    """A member's local header and name, its body, and its central directory header
    up to (not including) the local header's offset."""
    raw = name.encode("utf-8")
    flags = 0 if raw.isascii() else 0x800
    if done is not None:
        method, (crc, body) = zipfile.ZIP_DEFLATED, done
    elif _STORED.match(name):
        method, crc, body = zipfile.ZIP_STORED, zlib.crc32(data), data
    else:
        method, crc, body = zipfile.ZIP_DEFLATED, zlib.crc32(data), zlib.compress(data, 6, -15)
    version = 20  # as zipfile writes for both methods
    local = _LOCAL.pack(0x04034B50, version, flags, method, _DOS_TIME, _DOS_DATE, crc,
                        len(body), len(data), len(raw), 0) + raw  # fmt: skip
    head = _CENTRAL_HEAD.pack(0x02014B50, 3 << 8 | 20, version, flags, method, _DOS_TIME,
                              _DOS_DATE, crc, len(body), len(data), len(raw), 0, 0, 0, 0,
                              0o644 << 16)  # fmt: skip
    return local, body, head


def _zip_members(
    order: list[str], files: dict[str, bytes], deflater: _Deflater | None = None
) -> list[bytes] | None:
    """The zip as a list of byte strings: the same layout ``zipfile`` writes for
    ``writestr`` to a seekable file (local header with sizes and CRC, no data
    descriptor, version 2.0, Unix mode 0644, 2000-01-01 00:00:00), without its
    per-member Python machinery. None when the archive would need zip64 (more than
    65,535 members or 4 GiB), which ``zipfile`` then writes."""
    if len(order) >= _ZIP32_MEMBERS:
        return None
    parts: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    pack_offset = _OFFSET.pack
    for name in order:
        data = files[name]
        if deflater is not None:
            local, body, head = deflater.record(name, data)
        else:
            local, body, head = _record(name, data, None)
        central += (head, pack_offset(offset), local[_LOCAL.size :])
        parts += (local, body)
        offset += len(local) + len(body)
        if offset > _ZIP32_BYTES:
            return None
    directory = b"".join(central)
    if offset + len(directory) > _ZIP32_BYTES:
        return None
    parts.append(directory)
    parts.append(_END.pack(0x06054B50, 0, 0, len(order), len(order), len(directory), offset, 0))
    return parts


def _zipfile_write(tmp: Path, order: list[str], files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if _STORED.match(name) else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name])


def _write_zip(path: Path, files: dict[str, bytes], deflater: _Deflater | None = None) -> int:
    tmp = path.with_name(path.name + ".partial")
    first = (f.README, f.MANIFEST, f.MANIFEST_SIG)
    order = [*first, *sorted(p for p in files if p not in first)]
    parts = _zip_members(order, files, deflater)
    try:
        if parts is None:
            _zipfile_write(tmp, order, files)
        else:
            with open(tmp, "wb") as out:
                out.writelines(parts)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ServiceError(f"cannot write {path}: {exc.strerror}") from exc
    return path.stat().st_size


def export_bundle(app: App, req: ExportRequest) -> ExportResult:
    """Write the bundle; returns what went into it."""
    if req.hi <= req.lo:
        raise ServiceError("the period is empty: --to must not be before --from")
    if not req.identity or any(c.isspace() or c in '",' or ord(c) < 0x20 for c in req.identity):
        raise ServiceError(
            f"--identity {req.identity[:100]!r} must be one word without spaces, quotes or "
            "commas (it goes into allowed_signers)"
        )
    warnings: list[str] = []
    if req.anchor_first:
        from hourproof.services import anchoring

        if anchoring.list_tsas(app):
            try:
                anchoring.anchor_now(app, timeout=10.0)
            except ServiceError as exc:
                warnings.append(f"could not anchor before export ({exc}); newest entries stay "
                                "Self-reported until a later bundle")  # fmt: skip
    jobs: list[Any] = []
    deflater = _Deflater()
    try:
        pdf = PdfJob() if req.reports and can_use_child() else None
        if pdf is not None:
            jobs.append(pdf)
            pdf.start()  # Qt loads in the child while this process gathers
        g = _gather(app, req, jobs)
        tree_job = next((j for j in jobs if isinstance(j, TreeJob)), None)
        files, statement = _build_files(app, req, g, pdf, tree_job, deflater)
        for job in jobs:
            job.cancel()  # a no-op once a job has delivered
        csv_text = _render_csv(statement, req) if req.csv_path is not None else None
        size = _write_zip(req.out, files, deflater)
    finally:
        for job in jobs:
            job.cancel()
        deflater.close()
    if req.csv_path is not None and csv_text is not None:
        try:
            req.csv_path.write_text(csv_text, encoding="utf-8", newline="")
        except OSError as exc:
            raise ServiceError(f"cannot write {req.csv_path}: {exc.strerror}") from exc
    with app.write() as txn:
        Exports(txn.db).add(req.client, g.size, g.note, to_rfc3339(app.clock()), str(req.out))
    entries = sum(1 for e in statement.entries if not e.removed and not e.outside)
    if g.completeness is None:
        warnings.append(
            "written as format version 1 (no completeness data): the log has not grown "
            "since this home was upgraded; record anything and export again"
        )
    if not g.anchors:
        warnings.append("no trusted timestamp covers this log yet: every entry is Self-reported")
    return ExportResult(req.out, entries, len(g.disclosed), g.size, size, len(g.anchors), warnings)
