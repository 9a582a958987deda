"""RFC 6962 / RFC 9162 Merkle tree for the append-only ledger.

Hashing is SHA-256 with domain separation: a leaf hash is ``SHA-256(0x00 || leaf)``
and an interior node is ``SHA-256(0x01 || left || right)``; a tree of ``n`` leaves
splits at the largest power of two strictly below ``n``. Proofs are exactly the
RFC 9162 §2.1.3 inclusion paths and §2.1.4 consistency proofs (RFC 6962 PATH and
SUBPROOF), so any conforming verifier accepts them, and the verifiers here
implement the RFC 9162 §2.1.3.2 and §2.1.4.2 algorithms.

Pure: stdlib ``hashlib`` only, no I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from itertools import repeat

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "CompactRange",
    "MerkleTree",
    "ProofError",
    "leaf_hash",
    "node_hash",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
EMPTY_ROOT: bytes = hashlib.sha256(b"").digest()
"""Root of the empty tree (RFC 9162 §2.1.1: MTH({}) = HASH())."""

_sha256 = hashlib.sha256
_digest = type(hashlib.sha256()).digest  # map(_digest, hashers): no Python frame per hash
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"
_CACHE_LIMIT = 4096
_BUILD_CHUNK = 1 << 21  # bytes of a level hashed per batch


def leaf_hash(leaf: bytes) -> bytes:
    """Hash a leaf's bytes; the 0x00 prefix keeps leaves distinct from nodes."""
    return _sha256(_LEAF_PREFIX + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash two child hashes into their parent."""
    return _sha256(_NODE_PREFIX + left + right).digest()


class ProofError(ValueError):
    """A proof did not verify, or its inputs are malformed; the message says why."""


def _split(n: int) -> int:
    """Largest power of two strictly below ``n`` (``n >= 2``): where RFC 6962 splits."""
    return 1 << ((n - 1).bit_length() - 1)


def _inclusion_plan(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges ``[lo, hi)`` whose subtree hashes form PATH(index, D[0:size]), in order.

    Requires ``0 <= index < size``. This is RFC 9162 §2.1.3.1 unrolled: each step
    records the sibling subtree and descends into the half holding ``index``.
    """
    plan: list[tuple[int, int]] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index - lo < k:
            plan.append((lo + k, hi))
            hi = lo + k
        else:
            plan.append((lo, lo + k))
            lo += k
    plan.reverse()
    return plan


def _consistency_plan(size1: int, size2: int) -> list[tuple[int, int]]:
    """Leaf ranges whose subtree hashes form PROOF(size1, D[0:size2]), in order.

    Requires ``0 < size1 <= size2``. RFC 9162 §2.1.4.1 SUBPROOF unrolled; the
    old tree's own subtree is included only when it is not a left-edge subtree
    the verifier already knows (the ``b == false`` case of SUBPROOF).
    """
    plan: list[tuple[int, int]] = []
    lo, hi, complete = 0, size2, True
    while size1 != hi:
        k = _split(hi - lo)
        if size1 - lo <= k:
            plan.append((lo + k, hi))
            hi = lo + k
        else:
            plan.append((lo, lo + k))
            lo += k
            complete = False
    if not complete:
        plan.append((lo, hi))
    plan.reverse()
    return plan


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what} is {len(value)} bytes, expected {HASH_SIZE}")


def _check_proof(proof: Sequence[bytes], expected: int) -> None:
    if len(proof) != expected:
        raise ProofError(f"proof has {len(proof)} hashes, expected {expected}")
    for i, h in enumerate(proof):
        _check_hash(h, f"proof hash {i}")


def _parent_level(level: bytearray) -> bytearray:
    """Hash adjacent pairs of a level; chunked so the temporary lists stay small."""
    sha, prefix, pair = _sha256, _NODE_PREFIX, 2 * HASH_SIZE
    end = len(level) - len(level) % pair
    out = bytearray()
    for chunk in range(0, end, _BUILD_CHUNK):
        stop = min(end, chunk + _BUILD_CHUNK)
        out += b"".join(
            [sha(prefix + level[i : i + pair]).digest() for i in range(chunk, stop, pair)]
        )
    return out


class CompactRange:
    """Streaming frontier of an append-only log: O(log n) hashes, root at any size.

    The frontier holds the roots of the perfect subtrees that make up the tree,
    largest (leftmost) first, one per set bit of ``size``. It lets the ledger keep
    its current root without reloading the log, and lets a verifier stream
    millions of leaves in constant-ish memory.
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self) -> None:
        self._size = 0
        self._hashes: list[bytes] = []

    @property
    def size(self) -> int:
        """Number of leaves appended so far."""
        return self._size

    def append(self, leaf_hash: bytes) -> None:
        """Append one leaf hash (already ``leaf_hash(...)``-ed)."""
        if len(leaf_hash) != HASH_SIZE:
            raise ValueError(f"leaf hash is {len(leaf_hash)} bytes, expected {HASH_SIZE}")
        hashes = self._hashes
        hashes.append(bytes(leaf_hash))
        carry = self._size
        while carry & 1:
            right = hashes.pop()
            hashes[-1] = _sha256(_NODE_PREFIX + hashes[-1] + right).digest()
            carry >>= 1
        self._size += 1

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Append many leaf hashes; same as calling :meth:`append` for each."""
        for h in leaf_hashes:
            self.append(h)

    def extend_many(self, leaf_hashes: Sequence[bytes]) -> None:
        """Append many leaf hashes; same result as :meth:`extend`, but interior nodes
        are hashed level by level over whole aligned subtrees (no Python per leaf)."""
        count = len(leaf_hashes)
        if set(map(len, leaf_hashes)) - {HASH_SIZE}:
            raise ValueError(f"every leaf hash must be {HASH_SIZE} bytes")
        sha, prefix, join = _sha256, _NODE_PREFIX, b"".join
        pos = 0
        while pos < count:
            # The largest perfect subtree that fits and starts at an aligned index.
            height = (count - pos).bit_length() - 1
            if self._size:
                height = min(height, (self._size & -self._size).bit_length() - 1)
            level = list(leaf_hashes[pos : pos + (1 << height)])
            for _ in range(height):
                pairs = iter(level)  # zip(pairs, pairs): (h0, h1), (h2, h3), ...
                level = list(map(_digest, map(sha, map(join, zip(repeat(prefix), pairs, pairs)))))
            hashes = self._hashes
            hashes.append(bytes(level[0]))
            carry = self._size >> height
            while carry & 1:
                right = hashes.pop()
                hashes[-1] = sha(prefix + hashes[-1] + right).digest()
                carry >>= 1
            self._size += 1 << height
            pos += 1 << height

    def root(self) -> bytes:
        """Merkle tree hash of all leaves appended so far (``EMPTY_ROOT`` when none)."""
        hashes = self._hashes
        if not hashes:
            return EMPTY_ROOT
        acc = hashes[-1]
        for h in reversed(hashes[:-1]):
            acc = _sha256(_NODE_PREFIX + h + acc).digest()
        return acc

    def copy(self) -> CompactRange:
        """An independent copy (appending to one does not change the other)."""
        other = CompactRange()
        other._size = self._size
        other._hashes = list(self._hashes)
        return other

    def to_bytes(self) -> bytes:
        """Frontier hashes concatenated, largest subtree first; store with :attr:`size`."""
        return b"".join(self._hashes)

    @classmethod
    def from_bytes(cls, size: int, data: bytes) -> CompactRange:
        """Restore a range saved with :meth:`to_bytes`; raises ValueError if they disagree."""
        if size < 0:
            raise ValueError(f"compact range size must not be negative, got {size}")
        expected = size.bit_count() * HASH_SIZE
        if len(data) != expected:
            raise ValueError(
                f"compact range of size {size} needs {expected} bytes of hashes, got {len(data)}"
            )
        rng = cls()
        rng._size = size
        rng._hashes = [bytes(data[i : i + HASH_SIZE]) for i in range(0, expected, HASH_SIZE)]
        return rng

    def __repr__(self) -> str:
        return f"CompactRange(size={self._size})"


class MerkleTree:
    """In-memory tree over leaf hashes that answers roots and proofs at any past size.

    Level ``k`` stores, as one contiguous buffer, the hashes of every complete
    aligned subtree of ``2**k`` leaves. Any subtree the RFC algorithms need is
    either one of those (a slice) or a right-edge subtree folded from at most
    ``log n`` of them, so each proof costs O(log² n) hashing at worst and
    usually just O(log n) slicing.
    """

    __slots__ = ("_cache", "_levels", "_size")

    def __init__(self, leaf_hashes: Sequence[bytes] = ()) -> None:
        lengths = set(map(len, leaf_hashes))
        if lengths - {HASH_SIZE}:
            raise ValueError(f"every leaf hash must be {HASH_SIZE} bytes")
        self._size = len(leaf_hashes)
        self._cache: dict[tuple[int, int], bytes] = {}
        level = bytearray().join(leaf_hashes)
        self._levels: list[bytearray] = [level]
        while len(level) >= 2 * HASH_SIZE:
            level = _parent_level(level)
            self._levels.append(level)

    @classmethod
    def from_hash_blob(cls, data: bytes) -> MerkleTree:
        """Build from leaf hashes given as one buffer (``b"".join`` of them, in order):
        the same tree as ``MerkleTree(list_of_hashes)`` without a Python object per leaf."""
        if len(data) % HASH_SIZE:
            raise ValueError(f"leaf hash buffer of {len(data)} bytes is not a multiple of "
                             f"{HASH_SIZE}")  # fmt: skip
        tree = cls()
        tree._size = len(data) // HASH_SIZE
        level = bytearray(data)
        tree._levels = [level]
        while len(level) >= 2 * HASH_SIZE:
            level = _parent_level(level)
            tree._levels.append(level)
        return tree

    def level_bytes(self) -> bytes:
        """The tree as bytes: its size (8 bytes, big-endian), then every level's
        hashes, leaves first (:meth:`from_level_bytes` reads it back)."""
        return self._size.to_bytes(8, "big") + b"".join(self._levels)

    @classmethod
    def from_level_bytes(cls, size: int, data: bytes) -> MerkleTree:
        """The tree :meth:`level_bytes` wrote, which must be of ``size`` leaves; raises
        ValueError if the bytes are not a whole tree of that size (their hashes are
        not re-checked: compare :meth:`root` with a signed root before use)."""
        if len(data) < 8 or int.from_bytes(data[:8], "big") != size:
            raise ValueError(f"the tree bytes are not of a tree of {size} leaves")
        tree = cls()
        tree._size = size
        levels: list[bytearray] = []
        pos, count = 8, size
        view = memoryview(data)  # one copy per level, not two
        while True:
            end = pos + count * HASH_SIZE
            levels.append(bytearray(view[pos:end]))
            pos = end
            if count < 2:
                break
            count //= 2
        if pos != len(data) or len(levels[-1]) != min(size, 1) * HASH_SIZE:
            raise ValueError(f"the tree bytes are not of a tree of {size} leaves")
        tree._levels = levels
        return tree

    @classmethod
    def from_leaves(cls, leaves: Iterable[bytes]) -> MerkleTree:
        """Build from raw leaf bytes, hashing each with :func:`leaf_hash`."""
        return cls([leaf_hash(leaf) for leaf in leaves])

    @property
    def size(self) -> int:
        """Number of leaves."""
        return self._size

    def __len__(self) -> int:
        return self._size

    def append(self, leaf_hash: bytes) -> None:
        """Append one leaf hash, completing any subtrees it closes (O(log n))."""
        if len(leaf_hash) != HASH_SIZE:
            raise ValueError(f"leaf hash is {len(leaf_hash)} bytes, expected {HASH_SIZE}")
        levels = self._levels
        levels[0] += leaf_hash
        idx, level = self._size, 0
        while idx & 1:
            buf = levels[level]
            parent = _sha256(_NODE_PREFIX + bytes(buf[-2 * HASH_SIZE :])).digest()
            level += 1
            if level == len(levels):
                levels.append(bytearray())
            levels[level] += parent
            idx >>= 1
        self._size += 1

    def leaf_hash(self, index: int) -> bytes:
        """The stored hash of leaf ``index``."""
        if not 0 <= index < self._size:
            raise IndexError(f"leaf index {index} out of range for size {self._size}")
        return self._perfect(0, index)

    def _perfect(self, level: int, idx: int) -> bytes:
        off = idx * HASH_SIZE
        return bytes(self._levels[level][off : off + HASH_SIZE])

    def _range_hash(self, lo: int, hi: int) -> bytes:
        """MTH of leaves ``[lo, hi)``; ``lo`` must be aligned as RFC splits produce."""
        n = hi - lo
        if n & (n - 1) == 0:
            level = n.bit_length() - 1
            return self._perfect(level, lo >> level)
        cached = self._cache.get((lo, hi))
        if cached is not None:
            return cached
        parts: list[bytes] = []
        pos = lo
        for level in range(n.bit_length() - 1, -1, -1):
            if (n >> level) & 1:
                parts.append(self._perfect(level, pos >> level))
                pos += 1 << level
        acc = parts.pop()
        while parts:
            acc = _sha256(_NODE_PREFIX + parts.pop() + acc).digest()
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[(lo, hi)] = acc  # ranges never change in an append-only tree
        return acc

    def _check_size(self, size: int | None) -> int:
        if size is None:
            return self._size
        if not 0 <= size <= self._size:
            raise ValueError(f"tree size {size} out of range 0..{self._size}")
        return size

    def root(self, size: int | None = None) -> bytes:
        """Root of the first ``size`` leaves (default: all)."""
        n = self._check_size(size)
        return EMPTY_ROOT if n == 0 else self._range_hash(0, n)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 §2.1.3.1 inclusion path of leaf ``index`` in the tree of ``size`` leaves."""
        n = self._check_size(size)
        if not 0 <= index < n:
            raise ValueError(f"leaf index {index} out of range for tree size {n}")
        # Same result as _inclusion_plan, computed level by level: below the level
        # where the paths to ``index`` and ``n - 1`` diverge, siblings are complete
        # subtrees except possibly the topmost (right-edge) one; above it, only
        # left siblings appear, one per set bit of the remaining index.
        inner = (index ^ (n - 1)).bit_length()
        proof: list[bytes] = []
        for level in range(inner):
            sibling = (index >> level) ^ 1
            lo = sibling << level
            if lo + (1 << level) <= n:
                proof.append(self._perfect(level, sibling))
            else:
                proof.append(self._range_hash(lo, n))
        node, level = index >> inner, inner
        while node:
            if node & 1:
                proof.append(self._perfect(level, node ^ 1))
            node >>= 1
            level += 1
        return proof

    def inclusion_proofs(
        self, indexes: Iterable[int], size: int | None = None
    ) -> list[list[bytes]]:
        """:meth:`inclusion_proof` of each of ``indexes`` in the tree of ``size`` leaves.

        The same walk, with each node read once: a node on several paths (the upper
        levels, shared by most of the 20,000 proofs of an export) is one bytes object
        in all of them."""
        n = self._check_size(size)
        known: list[dict[int, bytes]] = [{} for _ in range(n.bit_length() + 1)]
        edge: dict[int, bytes] = {}  # level -> the incomplete right-edge subtree's hash
        perfect = self._perfect
        proofs: list[list[bytes]] = []
        for index in indexes:
            if not 0 <= index < n:
                raise ValueError(f"leaf index {index} out of range for tree size {n}")
            inner = (index ^ (n - 1)).bit_length()
            proof: list[bytes] = []
            for level in range(inner):
                sibling = (index >> level) ^ 1
                if (sibling + 1) << level <= n:
                    nodes = known[level]
                    node_hash = nodes.get(sibling)
                    if node_hash is None:
                        node_hash = nodes[sibling] = perfect(level, sibling)
                else:
                    node_hash = edge.get(level)
                    if node_hash is None:
                        node_hash = edge[level] = self._range_hash(sibling << level, n)
                proof.append(node_hash)
            node, level = index >> inner, inner
            while node:
                if node & 1:
                    nodes = known[level]
                    node_hash = nodes.get(node ^ 1)
                    if node_hash is None:
                        node_hash = nodes[node ^ 1] = perfect(level, node ^ 1)
                    proof.append(node_hash)
                node >>= 1
                level += 1
            proofs.append(proof)
        return proofs

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        """RFC 9162 §2.1.4.1 proof that the ``size1`` tree is a prefix of the ``size2`` tree.

        Empty when the sizes are equal. A proof from the empty tree is
        meaningless (verifiers reject it), so ``size1 == 0 < size2`` is an error.
        """
        n2 = self._check_size(size2)
        if not 0 <= size1 <= n2:
            raise ValueError(f"size1 {size1} out of range 0..{n2}")
        if size1 == n2:
            return []
        if size1 == 0:
            raise ValueError("no consistency proof exists from the empty tree")
        return [self._range_hash(lo, hi) for lo, hi in _consistency_plan(size1, n2)]

    def __repr__(self) -> str:
        return f"MerkleTree(size={self._size})"


def verify_inclusion(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` sits at ``index`` in the tree of ``size`` with ``root``.

    RFC 9162 §2.1.3.2. Returns None on success, raises :class:`ProofError` otherwise.
    """
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    _check_hash(leaf_hash, "leaf hash")
    _check_proof(proof, len(_inclusion_plan(index, size)))
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            raise ProofError("inclusion proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            r = _sha256(_NODE_PREFIX + p + r).digest()
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = _sha256(_NODE_PREFIX + r + p).digest()
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is shorter than the path to the root")
    if r != root:
        raise ProofError("inclusion proof leads to a different root")


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree of ``size1``/``root1`` is a prefix of ``size2``/``root2``.

    RFC 9162 §2.1.4.2, plus its edge cases: equal sizes need an empty proof and
    equal roots (size 0 only with the empty-tree root); a proof from size 0 to a
    larger tree proves nothing and is rejected. Raises :class:`ProofError`.
    """
    if size1 < 0 or size2 < 0:
        raise ProofError(f"tree sizes must not be negative, got {size1} and {size2}")
    if size2 < size1:
        raise ProofError(f"size2 {size2} is smaller than size1 {size1}: a log cannot shrink")
    if size1 == size2:
        if proof:
            raise ProofError(f"equal sizes need an empty proof, got {len(proof)} hashes")
        if root1 != root2:
            raise ProofError("equal sizes but different roots")
        if size1 == 0 and root1 != EMPTY_ROOT:
            raise ProofError("a tree of size 0 must have the empty-tree root SHA-256('')")
        return
    if size1 == 0:
        raise ProofError("a consistency proof from the empty tree (size1 = 0) is meaningless")
    if not proof:
        raise ProofError("empty consistency proof for different sizes")
    _check_proof(proof, len(_consistency_plan(size1, size2)))

    path = list(proof)
    if size1 & (size1 - 1) == 0:  # step 2: old root is a complete left subtree
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            fr = _sha256(_NODE_PREFIX + c + fr).digest()
            sr = _sha256(_NODE_PREFIX + c + sr).digest()
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = _sha256(_NODE_PREFIX + sr + c).digest()
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof is shorter than the path to the root")
    if fr != root1:
        raise ProofError("consistency proof does not lead to root1")
    if sr != root2:
        raise ProofError("consistency proof does not lead to root2")
