"""Verification as a client runs it: pins, trust on first use, remembered checkpoints.

A bundle from an unpinned signer is still fully checked; its key and export
checkpoint are remembered in the verifier's own store so that the next bundle from
the same signer must extend the same log (a rollback or fork is then caught).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from sqlalchemy import insert, select, update

from hourproof.core.timeparse import to_rfc3339
from hourproof.ledger import keys
from hourproof.proof.verify import VerifyOptions, VerifyResult, verify_bundle
from hourproof.proof.zipread import MalformedBundle
from hourproof.services import approvals
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.store import schema as t


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


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ServiceError(f"cannot read {what} {path}: {exc.strerror}") from exc


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
            opts.tsa_roots.extend(x509.load_pem_x509_certificates(_read(root, "TSA root")))
        except ValueError as exc:
            raise ServiceError(f"{root}: not a PEM certificate ({exc})") from exc
    if req.repo is not None and not req.repo.is_dir():
        raise ServiceError(f"--repo {req.repo} is not a folder")
    return opts


def verify(app: App | None, req: VerifyRequest) -> VerifyResult:
    """Verify a bundle; MalformedBundle surfaces as ServiceError (exit 2)."""
    opts = _options(req)
    data = _read(req.bundle, "bundle")
    if app is not None:
        opts.remembered = _remembered_checkpoints(app)
    opts.cosign = approvals.cosign_options(app, req.witnesses, req.witness_quorum)
    try:
        result = verify_bundle(data, opts)
    except MalformedBundle as exc:
        raise ServiceError(f"{req.bundle}: {exc}") from exc
    approvals.finish_verify(result, req.evidence_out)
    if result.ok and app is not None and req.remember:
        _remember(app, result)
    return result


def _remembered_checkpoints(app: App) -> dict[str, str]:
    with app.read() as conn:
        rows = conn.execute(select(t.known_signers.c.fingerprint, t.known_signers.c.checkpoint))
        return {r.fingerprint: r.checkpoint for r in rows}


def _remember(app: App, result: VerifyResult) -> None:
    assert result.signer is not None and result.fingerprint and result.export_note
    now = to_rfc3339(app.clock())
    with app.write() as txn:
        row = txn.conn.execute(
            select(t.known_signers).where(t.known_signers.c.fingerprint == result.fingerprint)
        ).first()
        values = {"checkpoint": result.export_note, "size": result.tree_size, "last_seen": now}
        if row is None:
            txn.conn.execute(insert(t.known_signers).values(
                fingerprint=result.fingerprint, first_seen=now,
                public_key=keys.public_key_openssh(result.signer), **values,
            ))  # fmt: skip
        elif result.tree_size >= row.size:
            txn.conn.execute(
                update(t.known_signers)
                .where(t.known_signers.c.fingerprint == result.fingerprint)
                .values(values)
            )
