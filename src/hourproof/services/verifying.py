"""Verification as a client runs it: pins, trust on first use, remembered checkpoints.

A bundle from an unpinned signer is still fully checked; its key and export
checkpoint are remembered in the verifier's own store so that the next bundle from
the same signer must extend the same log (a rollback or fork is then caught).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hourproof.core.timeparse import to_rfc3339
from hourproof.ledger import keys
from hourproof.proof.verify import VerifyOptions, VerifyResult, verify_bundle
from hourproof.proof.zipread import MalformedBundle
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.store.chains import Memory, SeenChain
from hourproof.store.exports import KnownSigners


@dataclass(frozen=True)
class VerifyRequest:
    bundle: Path
    allowed_signers: Path | None = None
    key: str | None = None
    known_checkpoint: Path | None = None
    repo: Path | None = None
    tsa_roots: tuple[Path, ...] = ()
    remember: bool = True
    witnesses: tuple[str, ...] = ()  # cosigner vkeys that must have cosigned (--witness)
    witness_quorum: int | None = None
    evidence_out: Path | None = None  # where to write proof of equivocation


#: Side files (allowed_signers, a checkpoint, a PEM root) are small.
MAX_SIDE_FILE = 1024 * 1024


def _read(path: Path, what: str, limit: int = MAX_SIDE_FILE) -> bytes:
    from hourproof.proof.zipread import read_regular_file

    try:
        return read_regular_file(path, limit)
    except MalformedBundle as exc:
        raise ServiceError(f"cannot read {what}: {exc}") from exc
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ServiceError(f"cannot read {what} {str(path)[:200]!r}: {reason}") from exc


def _options(req: VerifyRequest) -> VerifyOptions:
    opts = VerifyOptions(repo=req.repo, pinned_fingerprint=req.key)
    if req.key is not None and not req.key.startswith("SHA256:"):
        raise ServiceError("--key takes a fingerprint like SHA256:abc… (see 'hourproof key show')")
    if req.allowed_signers is not None:
        text = _read(req.allowed_signers, "allowed signers file").decode("utf-8", "replace")
        try:
            opts.pinned_keys = [s.public_key for s in keys.parse_allowed_signers(text)]
        except keys.HourproofKeyError as exc:
            raise ServiceError(f"{req.allowed_signers}: {exc}") from exc
    if req.known_checkpoint is not None:
        opts.known_checkpoint = _read(req.known_checkpoint, "checkpoint").decode("utf-8", "replace")
    for root in req.tsa_roots:
        try:
            from cryptography import x509

            opts.tsa_roots.extend(x509.load_pem_x509_certificates(_read(root, "TSA root")))
        except ValueError as exc:
            raise ServiceError(f"{root}: not a PEM certificate ({exc})") from exc
    if req.repo is not None and not req.repo.is_dir():
        raise ServiceError(f"--repo {req.repo} is not a folder")
    return opts


def verify(app: App | None, req: VerifyRequest) -> VerifyResult:
    """Verify a bundle; MalformedBundle surfaces as ServiceError (exit 2)."""
    opts = _options(req)
    from hourproof.proof.format import MAX_TOTAL_BYTES

    data = _read(req.bundle, "bundle", MAX_TOTAL_BYTES)
    if app is not None:
        opts.remembered = _remembered_checkpoints(app)
        opts.memory = _memory(app)
    opts.cosign = _cosign_options(app, req.witnesses, req.witness_quorum)
    try:
        result = verify_bundle(data, opts)
    except MalformedBundle as exc:
        raise ServiceError(f"{req.bundle}: {exc}") from exc
    _finish(result, req.evidence_out)
    if result.ok and app is not None and req.remember:
        _remember(app, result)
    return result


# Approvals and witnesses, here rather than in services/approvals (the contractor's and
# the approving client's side), which a verify does not need to import.


def _cosign_options(app: App | None, witnesses: tuple[str, ...], quorum: int | None) -> Any:
    """proof.cosign_step.CosignOptions: the --witness keys and the approvals this home gave."""
    from hourproof.ledger import cosignature as cs
    from hourproof.proof.cosign_step import CosignOptions
    from hourproof.store.approvals import ApprovalTables

    parsed = []
    for vkey in witnesses:
        try:
            parsed.append(cs.parse_cosigner_vkey(vkey))
        except cs.CosignatureError as exc:
            raise ServiceError(f"--witness: {exc}") from exc
    if quorum is not None and not 0 < quorum <= max(len(parsed), 1):
        raise ServiceError("--witness-quorum must be between 1 and the number of --witness keys")
    given: list[dict[str, Any]] = []
    if app is not None:
        with app.read_db() as db:
            rows = ApprovalTables(db).given()
        if rows:  # approval_check only for a home that approved something
            from hourproof.proof.approval_check import ApprovalError, loads
        for data in rows:
            try:
                given.append(loads(data))
            except ApprovalError:
                continue
    return CosignOptions(witnesses=parsed, quorum=quorum, given=given)


def _finish(result: VerifyResult, evidence_out: Path | None) -> None:
    """After verification: Approved/Contested labels; on equivocation, the evidence folder."""
    from hourproof.proof.cosign_step import apply_labels, cosign_report

    apply_labels(result)
    report = cosign_report(result)
    if evidence_out is None or report is None or report.equivocation is None:
        return
    from hourproof.proof.approval_check import evidence_files

    assert result.signer is not None
    try:
        evidence_out.mkdir(parents=True, exist_ok=True)
        for name, data in evidence_files(report.equivocation, result.signer).items():
            (evidence_out / name).write_bytes(data)
    except OSError as exc:
        raise ServiceError(f"cannot write the evidence to {evidence_out}: {exc.strerror}") from exc
    result.warnings.append(f"proof of equivocation written to {evidence_out}")


def _remembered_checkpoints(app: App) -> dict[str, str]:
    with app.read_db() as db:
        return KnownSigners(db).checkpoints()


class _Snapshot:
    """The verifier's memory of earlier bundles, read once before verifying."""

    def __init__(self, db: Any) -> None:
        self.memory = Memory(db)
        self._leaves: dict[str, dict[int, tuple[bytes, int | None]]] = {}
        self._chains: dict[tuple[str, bytes], SeenChain | None] = {}
        self._names: dict[tuple[str, str], str | None] = {}

    def chain(self, fingerprint: str, blinded: bytes) -> SeenChain | None:
        key = (fingerprint, blinded)
        if key not in self._chains:
            self._chains[key] = self.memory.chain(fingerprint, blinded)
        return self._chains[key]

    def leaves(self, fingerprint: str) -> dict[int, tuple[bytes, int | None]]:
        if fingerprint not in self._leaves:
            self._leaves[fingerprint] = self.memory.leaves(fingerprint)
        return self._leaves[fingerprint]

    def name(self, identity: str, recipient: str) -> str | None:
        key = (identity, recipient)
        if key not in self._names:
            self._names[key] = self.memory.name(identity, recipient)
        return self._names[key]


def _memory(app: App) -> _Snapshot:
    with app.read_db() as db:
        snap = _Snapshot(db)
        # Read what any bundle could ask for while the connection is open.
        signers, chains, names = snap.memory.keys()
        for fpr in signers:
            snap.leaves(fpr)
        for fpr, blinded in chains:
            snap.chain(fpr, blinded)
        for identity, recipient in names:
            snap.name(identity, recipient)
    snap.memory = _Closed()  # type: ignore[assignment]
    return snap


class _Closed:
    """Anything not read up front was not remembered."""

    ready = False

    def chain(self, fingerprint: str, blinded: bytes) -> None:
        return None

    def leaves(self, fingerprint: str) -> dict[int, tuple[bytes, int | None]]:
        return {}

    def name(self, identity: str, recipient: str) -> None:
        return None


def _remember(app: App, result: VerifyResult) -> None:
    assert result.signer is not None and result.fingerprint and result.export_note
    now = to_rfc3339(app.clock())
    identity = str(result.manifest.get("contractor"))
    recipient = str(result.manifest.get("recipient"))
    with app.write() as txn:
        chain = None
        blinded = None
        if result.chain is not None:
            blinded, (size, count, head) = result.chain
            chain = SeenChain(size, count, head)
        Memory(txn.db).remember(result.fingerprint, blinded, chain, result.disclosed,
                                identity, recipient)  # fmt: skip
        signers = KnownSigners(txn.db)
        row = signers.get(result.fingerprint)
        if row is None:
            signers.add(result.fingerprint, keys.public_key_openssh(result.signer),
                        result.export_note, result.tree_size, now)  # fmt: skip
        elif result.tree_size >= row.size:
            signers.advance(result.fingerprint, result.export_note, result.tree_size, now)
