"""Export an hour-proof bundle for one client and period (DESIGN §6).

Gathers from the store in one transaction (checkpoint, disclosed leaves, anchors,
tree hashes), then builds every file of the bundle and writes the zip atomically.
Disclosure is exactly: the client's entries in the period, every leaf that changed
them, and the evidence leaves they cite — nothing of any other client.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import os
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from hourproof.core import leaves as lk
from hourproof.core.summary import to_csv
from hourproof.core.timeparse import from_rfc3339, to_rfc3339
from hourproof.ledger import clientmap, keys
from hourproof.ledger.canonical import canonical, parse_canonical
from hourproof.ledger.merkle import MerkleTree
from hourproof.ledger.sshsig import sshsig_sign
from hourproof.ledger.tlogproof import TlogProof, format_tlog_proof
from hourproof.proof import format as f
from hourproof.proof.readme import readme_text
from hourproof.proof.statement import build_statement
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
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
    hashes: list[bytes]
    disclosed: dict[int, bytes]
    anchors: list[tuple[int, str, bytes, str, str]]  # size, note, token, tsa, gen_time
    since: tuple[int, str] | None
    completeness: dict[str, Any] | None = None


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


def _gather(app: App, req: ExportRequest) -> _Gathered:
    with app.write() as txn:
        if txn.leaves.size() == 0:
            raise ServiceError("the ledger is empty: nothing to export")
        cp = txn.checkpoint()
        entries = txn.projection.entries(req.lo, req.hi, req.client, req.project, True)
        entries = [e for e in entries if e.end is not None]
        if not entries:
            raise ServiceError(f"no finished entries for client {req.client!r} in that period")
        wanted: set[int] = set()
        for entry in entries:
            wanted.update(entry.leaves)
            wanted.update(entry.evidence)
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
        shown = {e.id for e in entries}  # their whole history is wanted already
        for seq, data in txn.leaves.leaves(link_seqs).items():
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
        disclosed = txn.leaves.leaves(sorted(wanted))
        hashes = txn.leaves.all_hashes()[: cp.size]
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
    return _Gathered(cp.note, cp.size, hashes, disclosed, anchor_rows, since, completeness)


def _consistency(tree: MerkleTree, size1: int, size2: int) -> bytes:
    proof = tree.consistency_proof(size1, size2)
    return canonical({
        "size1": size1, "size2": size2,
        "root1": base64.b64encode(tree.root(size1)).decode(),
        "root2": base64.b64encode(tree.root(size2)).decode(),
        "proof": [base64.b64encode(h).decode() for h in proof],
    })  # fmt: skip


def _build_files(app: App, req: ExportRequest, g: _Gathered) -> tuple[dict[str, bytes], Any]:
    key = app.key
    pub = key.public_key()
    tree = MerkleTree(g.hashes)
    if tree.root() != from_note_root(g.note):
        raise ServiceError("the stored leaf hashes do not match the checkpoint; run ledger verify")
    files: dict[str, bytes] = {}
    leaves = {seq: parse_canonical(data) for seq, data in g.disclosed.items()}
    files[f.ENTRIES] = b"".join(g.disclosed[s] + b"\n" for s in sorted(g.disclosed))
    for seq in sorted(g.disclosed):
        proof = TlogProof(seq, tree.inclusion_proof(seq, g.size), g.note)
        files[f.proof_path(seq)] = format_tlog_proof(proof).encode()
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
    anchors = [(a[0], from_rfc3339(a[4]), a[3]) for a in g.anchors]
    statement, rows = build_statement(
        leaves, anchors, contractor=req.identity, fingerprint=keys.fingerprint(pub),
        client=req.client, project=req.project, period_start=req.lo, period_end=req.hi,
        generated_at=app.clock(), tree_size=g.size,
    )  # fmt: skip
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

        files[f.REPORT_HTML] = render_html(statement, bundle=files).encode("utf-8")
        files[f.REPORT_PDF] = _render_pdf(statement)
    manifest = canonical({
        "format": f.FORMAT, "version": f.FORMAT_VERSION if g.completeness else 1,
        "origin": keys.log_origin(pub), "contractor": req.identity,
        "fingerprint": keys.fingerprint(pub), "recipient": req.client,
        "project": req.project,
        "period": {"from": to_rfc3339(req.lo), "to": to_rfc3339(req.hi)},
        "tree_size": g.size, "created_at": to_rfc3339(app.clock()),
        "files": {p: hashlib.sha256(d).hexdigest() for p, d in sorted(files.items())},
    })  # fmt: skip
    files[f.MANIFEST] = manifest
    files[f.MANIFEST_SIG] = sshsig_sign(key, manifest, f.NAMESPACE).encode()
    return files, statement


def from_note_root(note: str) -> bytes:
    from hourproof.ledger.checkpoint import parse_checkpoint

    body = note.split("\n\n", 1)[0] + "\n"
    return parse_checkpoint(body).root


def _render_pdf(statement: Any) -> bytes:
    import tempfile

    from hourproof.proof.report_pdf import render_pdf

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        render_pdf(statement, path)
        return path.read_bytes()


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


def _write_zip(path: Path, files: dict[str, bytes]) -> int:
    tmp = path.with_name(path.name + ".partial")
    first = (f.README, f.MANIFEST, f.MANIFEST_SIG)
    order = [*first, *sorted(p for p in files if p not in first)]
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in order:
                info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, files[name])
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
    g = _gather(app, req)
    files, statement = _build_files(app, req, g)
    csv_text = _render_csv(statement, req) if req.csv_path is not None else None
    size = _write_zip(req.out, files)
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
