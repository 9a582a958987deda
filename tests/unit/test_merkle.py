"""Tests for hourproof.ledger.merkle: shared RFC vectors, an RFC reference, properties."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hourproof.ledger.merkle import (
    EMPTY_ROOT,
    CompactRange,
    MerkleTree,
    ProofError,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
VECTOR_DIR = REPO_ROOT.parent / "shared" / "testdata" / "merkle"


def _vector_params(kind: str) -> list[Any]:
    folder = VECTOR_DIR / kind
    files = sorted(folder.rglob("*.json")) if folder.is_dir() else []
    if not files:
        reason = f"Merkle test vectors not found at {folder} (shared testdata absent)"
        return [pytest.param(None, id=f"{kind}-vectors-missing", marks=pytest.mark.skip(reason))]
    return [pytest.param(f, id=str(f.relative_to(VECTOR_DIR).with_suffix(""))) for f in files]


def _b64(value: str) -> bytes:
    return base64.b64decode(value)


def _load(path: Path) -> tuple[dict[str, Any], list[bytes]]:
    case = json.loads(path.read_text(encoding="utf-8"))
    return case, [_b64(h) for h in case["proof"] or []]


@pytest.mark.parametrize("path", _vector_params("inclusion"))
def test_inclusion_vector(path: Path) -> None:
    case, proof = _load(path)
    args = (case["leafIdx"], case["treeSize"], _b64(case["leafHash"]), proof, _b64(case["root"]))
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("path", _vector_params("consistency"))
def test_consistency_vector(path: Path) -> None:
    case, proof = _load(path)
    args = (case["size1"], case["size2"], _b64(case["root1"]), _b64(case["root2"]), proof)
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


# --- an independent, literal transcription of the RFC 9162 recursive definitions ---


def _ref_split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _ref_mth(d: list[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return d[0]
    k = _ref_split(len(d))
    return node_hash(_ref_mth(d[:k]), _ref_mth(d[k:]))


def _ref_path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _ref_split(len(d))
    if m < k:
        return [*_ref_path(m, d[:k]), _ref_mth(d[k:])]
    return [*_ref_path(m - k, d[k:]), _ref_mth(d[:k])]


def _ref_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [_ref_mth(d)]
    k = _ref_split(len(d))
    if m <= k:
        return [*_ref_subproof(m, d[:k], b), _ref_mth(d[k:])]
    return [*_ref_subproof(m - k, d[k:], False), _ref_mth(d[:k])]


def _leaves(n: int, tag: bytes = b"leaf") -> list[bytes]:
    return [leaf_hash(tag + i.to_bytes(4, "big")) for i in range(n)]


def _flip(value: bytes, bit: int) -> bytes:
    out = bytearray(value)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


@st.composite
def _tree_and_index(draw: st.DrawFn, min_size: int = 1) -> tuple[list[bytes], int, int]:
    n = draw(st.integers(min_size, 300))
    size = draw(st.integers(min_size, n))
    index = draw(st.integers(0, size - 1))
    return _leaves(n), size, index


@st.composite
def _tree_and_sizes(draw: st.DrawFn) -> tuple[list[bytes], int, int]:
    n = draw(st.integers(2, 300))
    size2 = draw(st.integers(2, n))
    size1 = draw(st.integers(1, size2 - 1))
    return _leaves(n), size1, size2


# --- hashing basics ---


def test_leaf_hash_prefixes_zero_byte() -> None:
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()


def test_node_hash_prefixes_one_byte() -> None:
    left, right = b"L" * 32, b"R" * 32
    assert node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    assert MerkleTree([]).root() == EMPTY_ROOT == hashlib.sha256(b"").digest()
    assert CompactRange().root() == EMPTY_ROOT


def test_single_leaf_root_is_the_leaf_hash() -> None:
    h = leaf_hash(b"only")
    assert MerkleTree([h]).root() == h


def test_from_leaves_hashes_raw_leaves() -> None:
    raw = [b"a", b"b", b"c"]
    assert MerkleTree.from_leaves(raw).root() == MerkleTree([leaf_hash(x) for x in raw]).root()


def test_tree_rejects_leaf_hash_of_wrong_length() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        MerkleTree([b"\x00" * 32, b"\x00" * 31])


# --- agreement with the RFC reference ---


@pytest.mark.parametrize("n", range(1, 18))
def test_roots_match_reference_for_every_prefix(n: int) -> None:
    leaves = _leaves(n)
    tree = MerkleTree(leaves)
    assert [tree.root(m) for m in range(n + 1)] == [_ref_mth(leaves[:m]) for m in range(n + 1)]


@pytest.mark.parametrize("n", range(1, 18))
def test_all_inclusion_proofs_match_reference_path(n: int) -> None:
    leaves = _leaves(n)
    tree = MerkleTree(leaves)
    for size in range(1, n + 1):
        for index in range(size):
            assert tree.inclusion_proof(index, size) == _ref_path(index, leaves[:size])


@pytest.mark.parametrize("n", range(2, 18))
def test_all_consistency_proofs_match_reference_subproof(n: int) -> None:
    leaves = _leaves(n)
    tree = MerkleTree(leaves)
    for size2 in range(2, n + 1):
        for size1 in range(1, size2):
            want = _ref_subproof(size1, leaves[:size2], True)
            assert tree.consistency_proof(size1, size2) == want


@settings(max_examples=60, deadline=None)
@given(_tree_and_index())
def test_inclusion_proof_matches_reference_on_larger_trees(
    case: tuple[list[bytes], int, int],
) -> None:
    leaves, size, index = case
    assert MerkleTree(leaves).inclusion_proof(index, size) == _ref_path(index, leaves[:size])


@settings(max_examples=60, deadline=None)
@given(_tree_and_sizes())
def test_consistency_proof_matches_reference_on_larger_trees(
    case: tuple[list[bytes], int, int],
) -> None:
    leaves, size1, size2 = case
    want = _ref_subproof(size1, leaves[:size2], True)
    assert MerkleTree(leaves).consistency_proof(size1, size2) == want


# --- properties: generated proofs verify, tampering is caught ---


@settings(deadline=None)
@given(_tree_and_index())
def test_generated_inclusion_proof_verifies(case: tuple[list[bytes], int, int]) -> None:
    leaves, size, index = case
    tree = MerkleTree(leaves)
    proof = tree.inclusion_proof(index, size)
    verify_inclusion(index, size, leaves[index], proof, tree.root(size))


@settings(deadline=None)
@given(_tree_and_sizes())
def test_generated_consistency_proof_verifies(case: tuple[list[bytes], int, int]) -> None:
    leaves, size1, size2 = case
    tree = MerkleTree(leaves)
    proof = tree.consistency_proof(size1, size2)
    verify_consistency(size1, size2, tree.root(size1), tree.root(size2), proof)


@settings(deadline=None)
@given(st.integers(0, 300))
def test_compact_range_root_equals_tree_root_at_every_size(n: int) -> None:
    leaves = _leaves(n)
    tree = MerkleTree(leaves)
    rng = CompactRange()
    assert rng.root() == tree.root(0)
    for i, h in enumerate(leaves, start=1):
        rng.append(h)
        assert rng.size == i
        assert rng.root() == tree.root(i)


@settings(deadline=None)
@given(_tree_and_index(min_size=2), st.data())
def test_flipping_a_bit_of_an_inclusion_proof_hash_fails(
    case: tuple[list[bytes], int, int], data: st.DataObject
) -> None:
    leaves, size, index = case
    tree = MerkleTree(leaves)
    proof = tree.inclusion_proof(index, size)
    which = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 255))
    proof[which] = _flip(proof[which], bit)
    with pytest.raises(ProofError):
        verify_inclusion(index, size, leaves[index], proof, tree.root(size))


@settings(deadline=None)
@given(_tree_and_index(), st.integers(0, 255), st.booleans())
def test_flipping_a_bit_of_the_leaf_hash_or_root_fails_inclusion(
    case: tuple[list[bytes], int, int], bit: int, flip_root: bool
) -> None:
    leaves, size, index = case
    tree = MerkleTree(leaves)
    proof = tree.inclusion_proof(index, size)
    leaf, root = leaves[index], tree.root(size)
    if flip_root:
        root = _flip(root, bit)
    else:
        leaf = _flip(leaf, bit)
    with pytest.raises(ProofError):
        verify_inclusion(index, size, leaf, proof, root)


@settings(deadline=None)
@given(_tree_and_sizes(), st.data())
def test_flipping_a_bit_of_a_consistency_proof_hash_fails(
    case: tuple[list[bytes], int, int], data: st.DataObject
) -> None:
    leaves, size1, size2 = case
    tree = MerkleTree(leaves)
    proof = tree.consistency_proof(size1, size2)
    which = data.draw(st.integers(0, len(proof) - 1))
    proof[which] = _flip(proof[which], data.draw(st.integers(0, 255)))
    with pytest.raises(ProofError):
        verify_consistency(size1, size2, tree.root(size1), tree.root(size2), proof)


@settings(deadline=None)
@given(_tree_and_sizes(), st.integers(0, 255), st.booleans())
def test_flipping_a_bit_of_either_root_fails_consistency(
    case: tuple[list[bytes], int, int], bit: int, flip_first: bool
) -> None:
    leaves, size1, size2 = case
    tree = MerkleTree(leaves)
    proof = tree.consistency_proof(size1, size2)
    root1, root2 = tree.root(size1), tree.root(size2)
    if flip_first:
        root1 = _flip(root1, bit)
    else:
        root2 = _flip(root2, bit)
    with pytest.raises(ProofError):
        verify_consistency(size1, size2, root1, root2, proof)


@settings(deadline=None)
@given(_tree_and_index(min_size=2))
def test_inclusion_proof_from_another_tree_fails(case: tuple[list[bytes], int, int]) -> None:
    leaves, size, index = case
    other = MerkleTree(_leaves(len(leaves), tag=b"other"))
    proof = other.inclusion_proof(index, size)
    with pytest.raises(ProofError):
        verify_inclusion(index, size, leaves[index], proof, MerkleTree(leaves).root(size))


@settings(deadline=None)
@given(_tree_and_sizes())
def test_consistency_proof_from_another_tree_fails(case: tuple[list[bytes], int, int]) -> None:
    leaves, size1, size2 = case
    tree = MerkleTree(leaves)
    proof = MerkleTree(_leaves(len(leaves), tag=b"other")).consistency_proof(size1, size2)
    with pytest.raises(ProofError):
        verify_consistency(size1, size2, tree.root(size1), tree.root(size2), proof)


def test_consistency_fails_when_history_was_rewritten() -> None:
    old = MerkleTree(_leaves(7))
    rewritten = _leaves(12)
    rewritten[3] = leaf_hash(b"edited")
    new = MerkleTree(rewritten)
    proof = new.consistency_proof(7, 12)
    with pytest.raises(ProofError):
        verify_consistency(7, 12, old.root(), new.root(), proof)


# --- verifier edge cases ---


def test_inclusion_rejects_index_at_or_beyond_size() -> None:
    tree = MerkleTree(_leaves(4))
    with pytest.raises(ProofError, match="outside"):
        verify_inclusion(4, 4, tree.leaf_hash(3), tree.inclusion_proof(3), tree.root())


def test_inclusion_rejects_negative_index() -> None:
    tree = MerkleTree(_leaves(4))
    with pytest.raises(ProofError, match="outside"):
        verify_inclusion(-1, 4, tree.leaf_hash(0), tree.inclusion_proof(0), tree.root())


def test_inclusion_rejects_wrong_proof_length_with_counts() -> None:
    tree = MerkleTree(_leaves(5))
    proof = tree.inclusion_proof(1)
    with pytest.raises(ProofError, match="proof has 2 hashes, expected 3"):
        verify_inclusion(1, 5, tree.leaf_hash(1), proof[:-1], tree.root())


def test_inclusion_rejects_short_proof_hash() -> None:
    tree = MerkleTree(_leaves(2))
    with pytest.raises(ProofError, match="proof hash 0 is 31 bytes"):
        verify_inclusion(0, 2, tree.leaf_hash(0), [tree.leaf_hash(1)[:31]], tree.root())


def test_consistency_rejects_shrinking_log() -> None:
    tree = MerkleTree(_leaves(4))
    with pytest.raises(ProofError, match="cannot shrink"):
        verify_consistency(4, 3, tree.root(4), tree.root(3), [])


def test_consistency_of_equal_sizes_needs_empty_proof_and_equal_roots() -> None:
    tree = MerkleTree(_leaves(4))
    verify_consistency(4, 4, tree.root(), tree.root(), [])
    with pytest.raises(ProofError, match="empty proof"):
        verify_consistency(4, 4, tree.root(), tree.root(), [tree.root()])
    with pytest.raises(ProofError, match="different roots"):
        verify_consistency(4, 4, tree.root(4), tree.root(3), [])


def test_consistency_of_two_empty_trees_needs_the_empty_root() -> None:
    verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    with pytest.raises(ProofError, match="empty-tree root"):
        verify_consistency(0, 0, b"x" * 32, b"x" * 32, [])


def test_consistency_from_empty_tree_is_rejected() -> None:
    tree = MerkleTree(_leaves(3))
    with pytest.raises(ProofError, match="empty tree"):
        verify_consistency(0, 3, EMPTY_ROOT, tree.root(), [])


def test_consistency_rejects_empty_proof_for_different_sizes() -> None:
    tree = MerkleTree(_leaves(4))
    with pytest.raises(ProofError, match="empty consistency proof"):
        verify_consistency(2, 4, tree.root(2), tree.root(4), [])


def test_consistency_rejects_extra_proof_hash() -> None:
    tree = MerkleTree(_leaves(6))
    proof = tree.consistency_proof(3, 6)
    with pytest.raises(ProofError, match="expected"):
        verify_consistency(3, 6, tree.root(3), tree.root(6), [*proof, proof[0]])


# --- proof generation arguments ---


def test_inclusion_proof_rejects_index_outside_size() -> None:
    tree = MerkleTree(_leaves(4))
    with pytest.raises(ValueError, match="out of range"):
        tree.inclusion_proof(3, 3)


def test_proof_at_size_beyond_tree_is_rejected() -> None:
    tree = MerkleTree(_leaves(4))
    with pytest.raises(ValueError, match="out of range"):
        tree.root(5)


def test_consistency_proof_of_equal_sizes_is_empty() -> None:
    assert MerkleTree(_leaves(4)).consistency_proof(4, 4) == []


def test_consistency_proof_from_empty_tree_is_refused() -> None:
    with pytest.raises(ValueError, match="empty tree"):
        MerkleTree(_leaves(4)).consistency_proof(0, 4)


# --- appending and persistence ---


@settings(deadline=None)
@given(st.integers(0, 200))
def test_appending_gives_same_tree_as_building_at_once(n: int) -> None:
    leaves = _leaves(n)
    grown = MerkleTree()
    for h in leaves:
        grown.append(h)
    built = MerkleTree(leaves)
    assert grown.size == built.size == n
    assert [grown.root(m) for m in range(n + 1)] == [built.root(m) for m in range(n + 1)]
    if n:
        assert grown.inclusion_proof(n // 2) == built.inclusion_proof(n // 2)


def test_tree_appended_after_proofs_keeps_old_roots() -> None:
    tree = MerkleTree(_leaves(5))
    root5 = tree.root()
    tree.consistency_proof(3)  # warms the range cache
    for h in _leaves(9)[5:]:
        tree.append(h)
    assert tree.root(5) == root5
    assert tree.root() == MerkleTree(_leaves(9)).root()


def test_compact_range_round_trips_through_bytes() -> None:
    rng = CompactRange()
    rng.extend(_leaves(13))
    restored = CompactRange.from_bytes(rng.size, rng.to_bytes())
    assert restored.size == 13
    assert restored.root() == rng.root()
    assert len(rng.to_bytes()) == 3 * 32  # 13 = 0b1101: three perfect subtrees


def test_restored_compact_range_keeps_appending_correctly() -> None:
    leaves = _leaves(21)
    rng = CompactRange()
    rng.extend(leaves[:13])
    restored = CompactRange.from_bytes(13, rng.to_bytes())
    restored.extend(leaves[13:])
    assert restored.root() == MerkleTree(leaves).root()


def test_compact_range_from_bytes_rejects_wrong_length() -> None:
    with pytest.raises(ValueError, match="needs 96 bytes"):
        CompactRange.from_bytes(13, b"\x00" * 64)


def test_compact_range_copy_is_independent() -> None:
    rng = CompactRange()
    rng.extend(_leaves(3))
    snapshot = rng.copy()
    rng.append(leaf_hash(b"more"))
    assert snapshot.size == 3
    assert snapshot.root() == MerkleTree(_leaves(3)).root()


def test_compact_range_rejects_wrong_length_leaf_hash() -> None:
    with pytest.raises(ValueError, match="32"):
        CompactRange().append(b"short")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=6))
def test_extend_many_equals_appending_one_by_one(chunks: list[int]) -> None:
    one, many = CompactRange(), CompactRange()
    counter = 0
    for n in chunks:
        batch = [hashlib.sha256(b"%d" % (counter + i)).digest() for i in range(n)]
        counter += n
        for h in batch:
            one.append(h)
        many.extend_many(batch)
        assert many.size == one.size
        assert many.root() == one.root()
        assert many.to_bytes() == one.to_bytes()


def test_extend_many_refuses_a_short_hash() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        CompactRange().extend_many([b"\x00" * 32, b"\x00" * 31])
