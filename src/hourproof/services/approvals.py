"""Client approvals and contests (both sides), and what bundles carry of them and of witnesses.

Client side: ``approve``/``contest`` verify a bundle exactly as ``hourproof verify``
does, then sign with the home's own key (made on first use): a cosignature/v1 on the
export checkpoint and a statement. The file written is small JSON to email back; the
home remembers what it signed, so a later rewrite of that history is caught as
equivocation even when the contractor leaves the approval out.

Contractor side: ``add_approval`` checks the file against a checkpoint this log
signed, pins the client's key per client (trust on first use or ``--key``), and
appends an ``approval`` leaf; ``cosign_files`` puts the approved checkpoints and the
witness cosignatures into every later bundle for that client.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hourproof.core import leaves as lk
from hourproof.core.timeparse import to_rfc3339
from hourproof.ledger import cosignature as cs
from hourproof.ledger import keys
from hourproof.ledger.canonical import canonical, parse_canonical
from hourproof.proof import format as f
from hourproof.proof.approval_check import (
    APPROVE,
    CONTEST,
    Approval,
    ApprovalError,
    check_approval,
    dumps,
    loads,
    make_approval,
    statement_message,
)
from hourproof.proof.cosign_step import APPROVED, CONTESTED
from hourproof.proof.witness_check import cosignatures_path
from hourproof.services.errors import ServiceError, VerificationFailed
from hourproof.store.approvals import ApprovalTables
from hourproof.store.durable import UMASK, atomic_write
from hourproof.store.ledger import CheckpointTable
from hourproof.store.witnesses import WitnessTable

if TYPE_CHECKING:
    import sqlite3

    from hourproof.core.entries import Entry
    from hourproof.ledger.merkle import MerkleTree
    from hourproof.proof.verify import VerifyResult
    from hourproof.services.app import App


@dataclass(frozen=True)
class Signed:
    path: Path
    approval: Approval


# --- client side -------------------------------------------------------------------------


def _verified(app: App, bundle: Path) -> VerifyResult:
    from hourproof.services.verifying import VerifyRequest, verify

    if not bundle.name or not bundle.is_file():
        raise ServiceError(f"no bundle file {str(bundle)[:200]!r}: give the .hproof to sign")
    result = verify(app, VerifyRequest(bundle=bundle))
    if not result.ok or result.statement is None or result.signer is None:
        reason = f"{result.failure.file}: {result.failure.reason}" if result.failure else "?"
        raise VerificationFailed(f"the bundle does not verify, so it cannot be signed ({reason})")
    return result


def _sign(
    app: App, result: VerifyResult, kind: str, note: str | None, reason: str | None,
    entries: tuple[int, ...], out: Path,
) -> Signed:  # fmt: skip
    assert result.statement is not None and result.signer is not None and result.export_note
    key = app.key  # the client's own key, made on first use
    pub = key.public_key()
    if keys.fingerprint(pub) == keys.fingerprint(result.signer):
        raise ServiceError(
            "this bundle is signed with this home's own key: the client approves or contests "
            "it in their own hourproof home"
        )
    name = cs.client_cosigner_name(pub)
    st = result.statement
    export_note = result.export_note
    body, _ = cs.split_note(export_note)
    now = app.clock()
    cosig = cs.cosign(body, name, key, int(now.timestamp()))
    cp = result.manifest
    statement: dict[str, Any] = {
        "kind": kind,
        "origin": keys.log_origin(result.signer),
        "contractor": keys.fingerprint(result.signer),
        "recipient": st.client,
        "period": {"from": cp["period"]["from"], "to": cp["period"]["to"]},
        "tree_size": result.tree_size,
        "root": base64.b64encode(_root(body)).decode("ascii"),
        "total_seconds": st.total_seconds,
        "amounts": dict(sorted(st.total_amounts.items())),
        "note": note,
        "reason": reason,
        "entries": list(entries),
        "signed_at": to_rfc3339(now),
        "cosigner": cs.cosigner_vkey(name, pub),
    }
    obj = make_approval(statement, key.sign(statement_message(statement)), export_note + cosig.line)
    approval = check_approval(obj, result.signer)  # what the contractor will check
    data = dumps(obj)
    try:
        atomic_write(out, data, UMASK)
    except OSError as exc:
        raise ServiceError(f"cannot write {out}: {exc.strerror}") from exc
    with app.write() as txn:
        ApprovalTables(txn.db).record_given(
            statement["origin"], result.tree_size, kind, data, to_rfc3339(now)
        )
    return Signed(out, approval)


def _root(body: str) -> bytes:
    from hourproof.ledger.checkpoint import parse_checkpoint

    return parse_checkpoint(body).root


def approve(app: App, bundle: Path, out: Path, note: str | None = None) -> Signed:
    """Verify the bundle, then cosign its export checkpoint and sign an approval."""
    result = _verified(app, bundle)
    return _sign(app, result, APPROVE, note, None, (), out)


def contest(
    app: App, bundle: Path, out: Path, reason: str, entries: tuple[int, ...] = ()
) -> Signed:
    """Like approve, but the statement contests the given entries (none = the whole bundle)."""
    if not reason.strip():
        raise ServiceError("give the reason for contesting with --reason TEXT")
    result = _verified(app, bundle)
    assert result.statement is not None
    ids = {e.id for e in result.statement.entries}
    unknown = [e for e in entries if e not in ids]
    if unknown:
        raise ServiceError(f"the bundle has no entry #{unknown[0]} (see 'hourproof verify')")
    return _sign(app, result, CONTEST, None, reason.strip(), tuple(sorted(set(entries))), out)


def default_output(bundle: Path, kind: str) -> Path:
    if not bundle.name:
        raise ServiceError("give the bundle file to sign (BUNDLE.hproof)")
    return bundle.with_name(f"{bundle.stem}.{'approval' if kind == APPROVE else 'contest'}.json")


# --- contractor side ---------------------------------------------------------------------


def _read_approval(app: App, path: Path) -> tuple[dict[str, Any], Approval]:
    if not path.name or not path.is_file():
        raise ServiceError(f"no approval file {str(path)[:200]!r}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ServiceError(f"cannot read {path}: {exc.strerror}") from exc
    if len(data) > 1024 * 1024:
        raise ServiceError(f"{path} is too large to be an approval file")
    try:
        obj = loads(data)
    except ApprovalError as exc:
        raise ServiceError(f"{path}: {exc}") from exc
    from hourproof.services.ledger_ops import public_key

    pub = public_key(app)  # no passphrase needed (the key may be locked in the app)
    try:
        approval = check_approval(obj, pub)
    except ApprovalError as exc:
        raise VerificationFailed(f"{path}: {exc}") from exc
    return obj, approval


def add_approval(app: App, path: Path, key: str | None = None) -> tuple[int, Approval]:
    """Check an approval file against this log, pin the client's key, record it as a leaf."""
    obj, approval = _read_approval(app, path)
    if key is not None and key != approval.client_fingerprint:
        raise VerificationFailed(
            f"{path}: signed by {approval.client_fingerprint}, not by the key you gave ({key})"
        )
    with app.write() as txn:
        own = CheckpointTable(txn.db).get(approval.tree_size)
        if own is None or own.root != approval.root:
            raise VerificationFailed(f"{path}: this log never signed that checkpoint")
        tables = ApprovalTables(txn.db)
        pinned = tables.pinned(approval.recipient)
        if pinned is None:
            tables.pin(approval.recipient, approval.client_fingerprint, approval.cosigner.vkey,
                       to_rfc3339(txn.now))  # fmt: skip
        elif pinned.fingerprint != approval.client_fingerprint:
            raise VerificationFailed(
                f"{path}: signed by {approval.client_fingerprint}, but client "
                f"{approval.recipient!r} approved before with {pinned.fingerprint}; refused"
            )
        for _seq, leaf_bytes in tables.approval_leaves(lk.APPROVAL):
            if parse_canonical(leaf_bytes).get("approval") == obj:
                raise ServiceError(f"{path} is recorded already")
        seq, _leaf = txn.append(lk.APPROVAL, {"client": approval.recipient, "approval": obj})
        txn.checkpoint()
    from hourproof.services import anchoring

    anchoring.kick(app)
    return seq, approval


@dataclass(frozen=True)
class ApprovalPreview:
    """What ``approvals add`` would record, for a confirmation before it does."""

    approval: Approval
    #: The fingerprint pinned for the approval's client; None = first use (trust it now?).
    pinned: str | None

    @property
    def key_changed(self) -> bool:
        return self.pinned is not None and self.pinned != self.approval.client_fingerprint


def preview_approval(app: App, path: Path) -> ApprovalPreview:
    """Check an approval file as ``add_approval`` does, without recording anything."""
    _obj, approval = _read_approval(app, path)
    with app.read_db() as db:
        own = CheckpointTable(db).get(approval.tree_size)
        pinned = ApprovalTables(db).pinned(approval.recipient)
    if own is None or own.root != approval.root:
        raise VerificationFailed(f"{path}: this log never signed that checkpoint")
    return ApprovalPreview(approval, pinned.fingerprint if pinned else None)


@dataclass(frozen=True)
class ClientApprovals:
    """One client's recorded approvals and contests (contractor side), for labels."""

    client: str
    approved: Approval | None  # the approval of the largest tree size
    contests: tuple[Approval, ...]

    def label(self, entry: Entry) -> str | None:
        """The label: "Approved" when every leaf of the entry is below the approved size,
        "Contested" when a contest names it (or contests a whole bundle that held it), else
        None — the same rule as ``hourproof verify`` (proof.cosign_step.apply_labels)."""
        if entry.client != self.client:
            return None
        last = max((entry.id, *entry.leaves))
        for contest in self.contests:
            if entry.id in contest.entries or (not contest.entries and last < contest.tree_size):
                return CONTESTED
        if self.approved is not None and last < self.approved.tree_size:
            return APPROVED
        return None


def approval_states(app: App) -> dict[str, ClientApprovals]:
    """Each client's approvals as recorded in this log (signatures checked again)."""
    by_client: dict[str, list[Approval]] = {}
    for _seq, approval in list_approvals(app):
        by_client.setdefault(approval.recipient, []).append(approval)
    out = {}
    for client, found in by_client.items():
        approved = [a for a in found if a.kind == APPROVE]
        best = max(approved, key=lambda a: (a.tree_size, a.signed_at)) if approved else None
        contests = tuple(a for a in found if a.kind == CONTEST)
        out[client] = ClientApprovals(client, best, contests)
    return out


def list_approvals(app: App, client: str | None = None) -> list[tuple[int, Approval]]:
    from hourproof.services.ledger_ops import public_key

    pub = public_key(app)  # no passphrase needed (the key may be locked in the app)
    out: list[tuple[int, Approval]] = []
    with app.read_db() as db:
        rows = ApprovalTables(db).approval_leaves(lk.APPROVAL)
    for seq, data in rows:
        leaf = parse_canonical(data)
        if client is not None and leaf["client"] != client:
            continue
        out.append((seq, check_approval(leaf["approval"], pub)))
    return out


def approval_seqs(db: sqlite3.Connection, client: str, size: int) -> list[int]:
    """Leaf indexes of every approval and contest by `client` below `size`: each later
    bundle for the client discloses them all, not only those since its last bundle."""
    out = []
    for seq, data in ApprovalTables(db).approval_leaves(lk.APPROVAL):
        if seq < size and parse_canonical(data).get("client") == client:
            out.append(seq)
    return out


def _consistency(tree: MerkleTree, size1: int, size2: int) -> bytes:
    return canonical({
        "size1": size1, "size2": size2,
        "root1": base64.b64encode(tree.root(size1)).decode(),
        "root2": base64.b64encode(tree.root(size2)).decode(),
        "proof": [base64.b64encode(h).decode() for h in tree.consistency_proof(size1, size2)],
    })  # fmt: skip


def cosign_files(
    app: App, client: str, tree: MerkleTree, size: int, files: dict[str, bytes],
    submit: bool = True,
) -> dict[str, bytes]:  # fmt: skip
    """Members a bundle for `client` at `size` gains: each approved checkpoint of the
    client (with a consistency proof to the export), the newest witnessed checkpoint,
    and ``anchors/<s>.cosignatures`` for every carried checkpoint a witness cosigned."""
    if submit:
        from hourproof.services import witnessing

        if witnessing.due(app):
            witnessing.drain(app, timeout=10.0, force=True)
    extra: dict[str, bytes] = {}
    with app.read_db() as db:
        witnessed = WitnessTable(db).cosignatures(size)
        approvals = ApprovalTables(db).approval_leaves(lk.APPROVAL)
        checkpoints = CheckpointTable(db)
        wanted: set[int] = set()
        for _seq, data in approvals:
            leaf = parse_canonical(data)
            n = leaf["approval"]["statement"]["tree_size"]
            if leaf["client"] == client and isinstance(n, int) and 0 < n <= size:
                wanted.add(n)
        if witnessed:
            wanted.add(max(c.size for c in witnessed))
        notes = {n: cp.note for n in wanted if (cp := checkpoints.get(n)) is not None}
    for n, note in notes.items():
        if f.checkpoint_path(n) not in files:
            extra[f.checkpoint_path(n)] = note.encode()
            if n < size:
                extra[f.consistency_path(n, size)] = _consistency(tree, n, size)
    carried = {int(m.group(1)) for name in [*files, *extra] if (m := f.CHECKPOINT_RE.match(name))}
    lines: dict[int, list[str]] = {}
    for c in witnessed:
        if c.size in carried:
            lines.setdefault(c.size, []).append(c.line)
    for n, group in lines.items():
        extra[cosignatures_path(n)] = "".join(sorted(group)).encode()
    return extra
