"""Client approvals and contests: the signed object, its checks, and equivocation.

A client who verified a bundle signs two things with their own Ed25519 key:

- a C2SP ``cosignature/v1`` on the bundle's export checkpoint (appended to the
  contractor's signed note, as the spec shows a cosigned checkpoint), and
- a statement: approve or contest, recipient, period, tree size and root, total
  seconds and amounts per currency, a note, contested entries.

Both travel in one JSON object (the "approval file"), which the contractor records
as an ``approval`` leaf. Once a client cosigned size N with root R, any checkpoint
the contractor's key signs that puts another root at N is equivocation: the two
signed checkpoints are a self-contained proof of it. Pure (no I/O).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hourproof.core.timeparse import from_rfc3339
from hourproof.ledger import cosignature as cs
from hourproof.ledger import keys
from hourproof.ledger.canonical import canonical, parse_canonical
from hourproof.ledger.checkpoint import Checkpoint, CheckpointError, open_checkpoint
from hourproof.ledger.merkle import ProofError, verify_consistency
from hourproof.ledger.note import NoteError

FORMAT = "hourproof-approval"
VERSION = 1
#: Domain separation of the statement signature.
STATEMENT_PREFIX = b"hourproof-approval/v1\n"
APPROVE, CONTEST = "approve", "contest"
_STATEMENT_FIELDS = {
    "kind", "origin", "contractor", "recipient", "period", "tree_size", "root",
    "total_seconds", "amounts", "note", "reason", "entries", "signed_at", "cosigner",
}  # fmt: skip


class ApprovalError(ValueError):
    """An approval object that is malformed or whose signatures do not verify."""


@dataclass(frozen=True)
class Approval:
    """A verified approval or contest."""

    kind: str  # APPROVE | CONTEST
    cosigner: cs.Cosigner
    client_fingerprint: str  # SHA256:… of the client's key, as `hourproof key show` prints
    recipient: str
    period_from: datetime
    period_to: datetime
    tree_size: int
    root: bytes
    total_seconds: int
    amounts: dict[str, int]
    note: str | None
    reason: str | None
    entries: tuple[int, ...]
    signed_at: datetime
    checkpoint_note: str  # the contractor's signed checkpoint plus the cosignature line
    statement: dict[str, Any]
    raw: dict[str, Any]

    @property
    def contractor_note(self) -> str:
        """The contractor's signed checkpoint alone (without the client's line)."""
        body, lines = cs.split_note(self.checkpoint_note)
        own = [line for line in lines if not _is_by(line, self.cosigner)]
        return body + "\n" + "".join(line + "\n" for line in own)


def _is_by(line: str, cosigner: cs.Cosigner) -> bool:
    try:
        return cs.matches(cs.parse_cosignature_line(line), cosigner)
    except cs.CosignatureError:
        return False


def statement_message(statement: dict[str, Any]) -> bytes:
    return STATEMENT_PREFIX + canonical(statement)


def make_approval(
    statement: dict[str, Any], signature: bytes, checkpoint_note: str
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "statement": statement,
        "signature": base64.b64encode(signature).decode("ascii"),
        "checkpoint": checkpoint_note,
    }


def dumps(approval: dict[str, Any]) -> bytes:
    """The approval file: canonical JSON and a newline (small, ASCII-safe to email)."""
    return canonical(approval) + b"\n"


def loads(data: bytes) -> dict[str, Any]:
    try:
        obj = parse_canonical(data.rstrip(b"\n"))
    except ValueError as exc:
        try:  # a mail client may have re-wrapped it: accept plain JSON too
            obj = json.loads(data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise ApprovalError(f"not an approval file (not JSON: {exc})") from exc
    if not isinstance(obj, dict):
        raise ApprovalError("not an approval file (not a JSON object)")
    return obj


def _field(obj: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = obj.get(name)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ApprovalError(f"approval field {name!r} is missing or has the wrong type")
    return value


def check_approval(obj: dict[str, Any], contractor: Ed25519PublicKey) -> Approval:
    """Verify every signature in an approval object against the contractor's key."""
    if obj.get("format") != FORMAT or obj.get("version") != VERSION:
        raise ApprovalError("not an hourproof approval (format/version)")
    if set(obj) != {"format", "version", "statement", "signature", "checkpoint"}:
        raise ApprovalError("approval has unknown or missing fields")
    st = _field(obj, "statement", dict)
    if set(st) != _STATEMENT_FIELDS:
        raise ApprovalError("approval statement has unknown or missing fields")
    kind = st["kind"]
    if kind not in (APPROVE, CONTEST):
        raise ApprovalError(f"statement kind {kind!r} is neither approve nor contest")
    try:
        cosigner = cs.parse_cosigner_vkey(_field(st, "cosigner", str))
        signature = base64.b64decode(_field(obj, "signature", str), validate=True)
        root = base64.b64decode(_field(st, "root", str), validate=True)
        period = _field(st, "period", dict)
        lo, hi = from_rfc3339(period["from"]), from_rfc3339(period["to"])
        signed_at = from_rfc3339(_field(st, "signed_at", str))
    except (cs.CosignatureError, binascii.Error, KeyError, TypeError, AttributeError,
            ValueError) as exc:  # fmt: skip
        raise ApprovalError(f"malformed approval statement: {exc}") from exc
    for name in ("note", "reason"):
        if st[name] is not None and not isinstance(st[name], str):
            raise ApprovalError(f"approval field {name!r} must be text or null")
    for name in ("origin", "contractor", "recipient"):
        _field(st, name, str)
    try:
        message = statement_message(st)
    except ValueError as exc:  # floats, lone surrogates: not canonical JSON
        raise ApprovalError(f"approval statement is not canonical JSON: {exc}") from exc
    try:
        cosigner.public_key.verify(signature, message)
    except InvalidSignature as exc:
        raise ApprovalError("the statement's signature by the client does not verify") from exc
    note = _field(obj, "checkpoint", str)
    try:
        cp = open_checkpoint(note, contractor)
    except (NoteError, CheckpointError) as exc:
        raise ApprovalError(f"the approved checkpoint is not this contractor's: {exc}") from exc
    body, lines = cs.split_note(note)
    try:
        stamps = cs.verified_cosigners("\n".join(lines), body, [cosigner])
    except cs.CosignatureError as exc:
        raise ApprovalError(f"the client's cosignature does not verify: {exc}") from exc
    if cosigner.name not in stamps:
        raise ApprovalError("the checkpoint carries no cosignature by the client's key")
    tree_size = _field(st, "tree_size", int)
    if (cp.size, cp.root) != (tree_size, root) or st["origin"] != cp.origin:
        raise ApprovalError("the statement's origin, size or root differ from the checkpoint")
    if st["contractor"] != keys.fingerprint(contractor):
        raise ApprovalError("the statement names another contractor key")
    amounts = _field(st, "amounts", dict)
    entries = _field(st, "entries", list)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in amounts.values()):
        raise ApprovalError("amounts must be integers (minor units)")
    if not all(isinstance(e, int) and not isinstance(e, bool) for e in entries):
        raise ApprovalError("entries must be leaf indexes")
    return Approval(
        kind=kind, cosigner=cosigner,
        client_fingerprint=keys.fingerprint(cosigner.public_key),
        recipient=_field(st, "recipient", str), period_from=lo, period_to=hi,
        tree_size=tree_size, root=root, total_seconds=_field(st, "total_seconds", int),
        amounts=dict(amounts), note=st["note"], reason=st["reason"], entries=tuple(entries),
        signed_at=signed_at, checkpoint_note=note, statement=st, raw=obj,
    )  # fmt: skip


# --- equivocation ----------------------------------------------------------------------


@dataclass(frozen=True)
class Equivocation:
    """Two checkpoints signed by one contractor key that cannot both be true."""

    approval: Approval
    conflicting_note: str  # a contractor-signed checkpoint
    consistency: dict[str, Any] | None  # the contractor's proof tying it to another root at N
    explanation: str


def find_equivocation(
    approval: Approval,
    checkpoints: dict[int, tuple[Checkpoint, str]],
    proofs: dict[tuple[int, int], dict[str, Any]],
) -> Equivocation | None:
    """Look for conclusive proof that the contractor signed another history at size N.

    ``checkpoints``: size -> (verified checkpoint, its note) of a bundle, all signed by
    the approval's contractor; ``proofs``: (size1, size2) -> consistency body with
    decoded roots and hashes. Either a checkpoint of size N with another root, or a
    consistency proof from N with another root1 that verifies to a signed checkpoint.
    """
    n, root = approval.tree_size, approval.root
    same = checkpoints.get(n)
    if same is not None and same[0].root != root:
        return Equivocation(
            approval, same[1], None,
            f"the contractor signed two different logs at size {n}: the one the client "
            "cosigned and the one in this bundle",
        )  # fmt: skip
    for (a, b), body in sorted(proofs.items()):
        if a != n or body["root1"] == root or b not in checkpoints:
            continue
        target = checkpoints[b][0]
        if body["root2"] != target.root:
            continue
        try:
            verify_consistency(a, b, body["root1"], body["root2"], body["proof"])
        except ProofError:
            continue
        return Equivocation(
            approval, checkpoints[b][1], body,
            f"the contractor signed a log of size {b} whose first {n} leaves differ from "
            "the ones the client cosigned (its own consistency proof shows it)",
        )  # fmt: skip
    return None


EVIDENCE_README = """Proof of equivocation by an hourproof log (c2sp.org/tlog-checkpoint)

approved.checkpoint  the contractor's signed checkpoint of size {n}, cosigned by the client
                     (cosignature/v1 line of {client})
conflicting.checkpoint  another checkpoint signed by the same contractor key
{consistency_line}contractor.vkey       the contractor's verifier key ({fingerprint})
client.vkey           the client's cosigner key (type 0x04)
approval.json         the client's signed approval (statement and signatures)

What it shows: {explanation}.
An append-only log can never have two different roots at one size, so the
contractor's key signed two conflicting histories. Check both signatures with any
C2SP signed-note verifier (e.g. Go's golang.org/x/mod/sumdb/note) using
contractor.vkey{check_consistency}.
"""


def evidence_files(eq: Equivocation, contractor: Ed25519PublicKey) -> dict[str, bytes]:
    """The self-contained evidence folder's files."""
    a = eq.approval
    files = {
        "approved.checkpoint": a.checkpoint_note.encode(),
        "conflicting.checkpoint": eq.conflicting_note.encode(),
        "contractor.vkey": (
            keys.verifier_key(keys.log_origin(contractor), contractor) + "\n"
        ).encode(),
        "client.vkey": (a.cosigner.vkey + "\n").encode(),
        "approval.json": dumps(a.raw),
    }
    consistency_line = ""
    check = ""
    if eq.consistency is not None:
        body = eq.consistency
        files["consistency.json"] = canonical({
            "size1": body["size1"], "size2": body["size2"],
            "root1": base64.b64encode(body["root1"]).decode(),
            "root2": base64.b64encode(body["root2"]).decode(),
            "proof": [base64.b64encode(h).decode() for h in body["proof"]],
        })  # fmt: skip
        consistency_line = (
            "consistency.json     the contractor's RFC 6962 consistency proof from its root at "
            f"size {a.tree_size} to conflicting.checkpoint\n"
        )
        check = (
            ", and verify consistency.json (RFC 9162 §2.1.4.2): its root1 is not the "
            "root of approved.checkpoint"
        )
    files["README.txt"] = EVIDENCE_README.format(
        n=a.tree_size, client=a.cosigner.name, consistency_line=consistency_line,
        fingerprint=keys.fingerprint(contractor), explanation=eq.explanation,
        check_consistency=check,
    ).encode()  # fmt: skip
    return files
