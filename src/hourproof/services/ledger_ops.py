"""Whole-ledger operations: verify against the database, rebuild projections, checkpoint."""

from __future__ import annotations

import hashlib
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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


_SEQ_FIELD = re.compile(rb'"seq":([^,]*)')  # first "seq": up to the next comma, as _seq_field
_GROUP_1: Callable[[Any], bytes] = operator.itemgetter(1)  # None (no match): TypeError
_sha256 = hashlib.sha256
_digest = type(hashlib.sha256()).digest
_LEAF_PREFIX = b"\x00"


def _bulk_hashes(rows: list[tuple[int, bytes, bytes]], first: int) -> list[bytes] | None:
    """The leaf hashes of signed rows ``first, first+1, ...`` when every per-leaf check
    passes, done over the whole batch at C speed; None sends the caller leaf by leaf
    (which names the first bad leaf, or accepts what only the strict path accepts)."""
    seqs, datas, stored = zip(*rows, strict=True)
    if seqs != tuple(range(first, first + len(rows))):
        return None
    try:
        hashes = list(map(_digest, map(_sha256, map(_LEAF_PREFIX.__add__, datas))))
        if tuple(hashes) != stored:  # a text or short hash is simply unequal
            return None
        found = b",".join(map(_GROUP_1, map(_SEQ_FIELD.search, datas)))
    except TypeError:  # text instead of bytes, or no "seq": at all
        return None
    if found != ",".join(map(str, range(first, first + len(rows)))).encode():
        return None
    return hashes


class _Walk:
    """The state of one verify pass: the tree so far and the next checkpoint to check."""

    def __init__(
        self, verdict: LedgerVerdict, pending: list[StoredCheckpoint], pub: Ed25519PublicKey | None
    ) -> None:
        self.verdict, self.pending, self.pub = verdict, pending, pub
        self.signed_up_to = pending[-1].size if pending else 0
        self.tree = CompactRange()
        self.cp_pos = 0
        self.last_good = 0

    def next_stop(self) -> int | None:
        """The size up to which leaves can be checked in bulk (the next checkpoint)."""
        if self.cp_pos < len(self.pending) and self.pending[self.cp_pos].size > self.tree.size:
            return self.pending[self.cp_pos].size
        return None

    def leaf(self, seq: int, data: bytes, stored: bytes) -> bool:
        """Check one row strictly; False (with the verdict failed) at the first problem."""
        verdict, tree = self.verdict, self.tree
        expected = tree.size
        if seq != expected:
            verdict.fail(expected, f"leaf {expected} is missing (deleted)")
            return False
        if not isinstance(data, bytes) or not isinstance(stored, bytes):
            verdict.fail(seq, f"leaf {seq} was changed: it is no longer stored as bytes")
            return False
        found = _seq_field(data) if seq < self.signed_up_to else None
        if found is None:
            try:
                leaf = parse_canonical(data)
            except CanonicalError as exc:
                verdict.fail(seq, f"leaf {seq} is not canonical JSON: {exc}")
                return False
            found = leaf.get("seq") if isinstance(leaf, dict) else None
        if found != seq:
            verdict.fail(
                seq, f"leaf {seq} carries index {found}: leaves were inserted or reordered"
            )
            return False
        if leaf_hash(data) != stored:
            verdict.fail(seq, f"leaf {seq} was changed: its bytes do not match its hash")
            return False
        tree.append(stored)
        return self.checkpoints()

    def checkpoints(self) -> bool:
        """Check every checkpoint at the tree's current size."""
        pending, tree = self.pending, self.tree
        while self.cp_pos < len(pending) and pending[self.cp_pos].size == tree.size:
            assert self.pub is not None  # there are checkpoints, so there is a key
            cp = pending[self.cp_pos]
            if not _check_checkpoint(self.verdict, cp, tree.root(), self.pub, self.last_good):
                return False
            self.last_good = tree.size
            self.cp_pos += 1
        return True

    def batch(self, rows: list[tuple[int, bytes, bytes]]) -> bool:
        """Check a batch of rows: in bulk up to each checkpoint, leaf by leaf otherwise."""
        pos = 0
        while pos < len(rows):
            stop = self.next_stop()
            if stop is None:  # the unsigned tail (or something odd): strictly
                return all(self.leaf(*row) for row in rows[pos:])
            segment = rows[pos : pos + stop - self.tree.size]
            hashes = _bulk_hashes(segment, self.tree.size)
            if hashes is None:
                if not all(self.leaf(*row) for row in segment):
                    return False
            else:
                self.tree.extend_many(hashes)
                if not self.checkpoints():
                    return False
            pos += len(segment)
        return True


def verify_ledger(app: App) -> LedgerVerdict:
    """Recompute every leaf hash, the tree and every checkpoint signature (streaming).

    Leaves covered by a signed checkpoint are authenticated by it: their bytes only
    need hashing and their index checking, which is done a batch at a time (hashes,
    stored hashes and ``seq`` fields compared in bulk; a batch that does not match
    exactly is re-checked leaf by leaf, so the first bad leaf is still named). Leaves
    after the newest checkpoint have no signature over them yet, so they are also
    parsed strictly (canonical JSON).
    """
    from hourproof.services.homecheck import public_key as home_public_key

    verdict = LedgerVerdict()
    with app.read_db() as db:
        table = LeafTable(db)
        pending = CheckpointTable(db).all()
        walk = _Walk(verdict, pending, home_public_key(app) if pending else None)
        for rows in table.iter_batches():
            if not walk.batch(rows):
                return verdict
        tree = walk.tree
        verdict.leaves = tree.size
        if walk.cp_pos < len(pending):
            cp = pending[walk.cp_pos]
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
        verdict.unsigned_tail = tree.size - walk.last_good
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
