"""Whole-ledger operations: verify against the database, rebuild projections, checkpoint."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hourproof.core.entries import fold_entries
from hourproof.core.timeparse import to_rfc3339
from hourproof.ledger.canonical import CanonicalError, parse_canonical
from hourproof.ledger.merkle import CompactRange, leaf_hash
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.store.ledger import CheckpointTable, LeafTable, StoredCheckpoint


@dataclass
class LedgerVerdict:
    """The outcome of ``ledger verify``: ok, or the first bad leaf and why."""

    leaves: int = 0
    checkpoints: int = 0
    unsigned_tail: int = 0
    bad_index: int | None = None
    problem: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None

    def fail(self, index: int | None, problem: str) -> LedgerVerdict:
        self.bad_index, self.problem = index, problem
        return self


def public_key(app: App) -> Ed25519PublicKey:
    """The installation's public key, without needing the passphrase (a damaged
    ``signing_key.pub`` is an error, not a reason to use another key)."""
    from hourproof.services.homecheck import public_key as home_public_key

    return home_public_key(app) or app.key.public_key()


def _check_checkpoint(
    verdict: LedgerVerdict, cp: StoredCheckpoint, root: bytes, pub: Ed25519PublicKey, start: int
) -> bool:
    from hourproof.ledger.checkpoint import CheckpointError, open_checkpoint
    from hourproof.ledger.note import NoteError

    try:
        signed = open_checkpoint(cp.note, pub)
    except (NoteError, CheckpointError) as exc:
        verdict.fail(None, f"checkpoint at size {cp.size}: bad signature ({exc})")
        return False
    if signed.size != cp.size or signed.root != root:
        first = start if cp.size - start > 1 else cp.size - 1
        where = f"leaf {first}" if cp.size - start <= 1 else f"a leaf among {start}..{cp.size - 1}"
        verdict.fail(first, f"{where} was changed: the signed checkpoint at size {cp.size} "
                     "does not match the log")  # fmt: skip
        return False
    verdict.checkpoints += 1
    return True


def _seq_field(data: bytes) -> int | None:
    """The top-level ``seq`` of canonical leaf bytes, read without parsing the JSON.

    In RFC 8785 form the top-level keys are sorted, and no nested object of any leaf
    kind holds an integer ``seq``, so the first ``"seq":<digits>`` is the leaf's own.
    Anything unexpected returns None and the caller parses strictly instead.
    """
    at = data.find(b'"seq":')
    if at < 0:
        return None
    end = data.find(b",", at)
    digits = data[at + 6 : end if end > 0 else None]
    return int(digits) if digits.isdigit() else None


def verify_ledger(app: App) -> LedgerVerdict:
    """Recompute every leaf hash, the tree and every checkpoint signature (streaming).

    Leaves covered by a signed checkpoint are authenticated by it: their bytes only
    need hashing and their index checking. Leaves after the newest checkpoint have no
    signature over them yet, so they are also parsed strictly (canonical JSON).
    """
    from hourproof.services.homecheck import public_key as home_public_key

    verdict = LedgerVerdict()
    with app.read_db() as db:
        table = LeafTable(db)
        pending = CheckpointTable(db).all()
        pub = home_public_key(app) if pending else None
        signed_up_to = pending[-1].size if pending else 0
        tree = CompactRange()
        cp_pos = 0
        last_good = 0
        for seq, data, stored in table.iter_rows():
            expected = tree.size
            if seq != expected:
                return verdict.fail(expected, f"leaf {expected} is missing (deleted)")
            if not isinstance(data, bytes) or not isinstance(stored, bytes):
                return verdict.fail(seq, f"leaf {seq} was changed: it is no longer stored as bytes")
            found = _seq_field(data) if seq < signed_up_to else None
            if found is None:
                try:
                    leaf = parse_canonical(data)
                except CanonicalError as exc:
                    return verdict.fail(seq, f"leaf {seq} is not canonical JSON: {exc}")
                found = leaf.get("seq") if isinstance(leaf, dict) else None
            if found != seq:
                return verdict.fail(
                    seq, f"leaf {seq} carries index {found}: leaves were inserted or reordered"
                )
            digest = leaf_hash(data)
            if digest != stored:
                return verdict.fail(seq, f"leaf {seq} was changed: its bytes do not match its hash")
            tree.append(digest)
            while cp_pos < len(pending) and pending[cp_pos].size == tree.size:
                assert pub is not None  # there are checkpoints, so there is a key
                if not _check_checkpoint(verdict, pending[cp_pos], tree.root(), pub, last_good):
                    return verdict
                last_good = tree.size
                cp_pos += 1
        verdict.leaves = tree.size
        if cp_pos < len(pending):
            cp = pending[cp_pos]
            return verdict.fail(
                tree.size,
                f"the signed checkpoint at size {cp.size} covers leaves the log no longer has "
                f"(log has {tree.size}): leaves were deleted",
            )
        recorded = table.size()
        if recorded != tree.size:
            return verdict.fail(
                min(recorded, tree.size),
                f"the log has {tree.size} leaves but {recorded} were recorded: "
                "leaves were added or deleted outside hourproof",
            )
        verdict.unsigned_tail = tree.size - last_good
    return verdict


def rebuild(app: App) -> int:
    """Drop and rebuild every projection from the leaves; returns entries rebuilt."""
    with app.write() as txn:
        txn.projection.clear()
        leaves = ((seq, parse_canonical(data)) for seq, data, _ in txn.leaves.iter_rows())
        state = fold_entries(leaves, on_other=txn.project)
        txn.projection.put_entries(state.values())
        for entry in sorted(state.values(), key=lambda e: e.start):
            if not entry.removed:
                txn.projection.touch_project(entry.project, entry.client, to_rfc3339(entry.start))
    return len(state)


def checkpoint(app: App) -> StoredCheckpoint:
    with app.write() as txn:
        if txn.leaves.size() == 0:
            raise ServiceError("the ledger is empty: nothing to checkpoint yet")
        return txn.checkpoint()
