"""MerkleTree.inclusion_proofs (the export's batch of proofs) gives exactly what
inclusion_proof gives for each index, and refuses what it refuses."""

from __future__ import annotations

import random

import pytest

from hourproof.ledger.merkle import MerkleTree, leaf_hash, verify_inclusion


def _tree(n: int) -> MerkleTree:
    return MerkleTree([leaf_hash(b"leaf %d" % i) for i in range(n)])


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 100, 257, 1000])
def test_every_batch_of_every_size_gives_the_single_proofs(n: int) -> None:
    tree = _tree(n)
    rng = random.Random(n)
    for size in sorted({1, min(2, n), n // 2 or 1, n - 1 or 1, n, rng.randint(1, n)}):
        everything = list(range(size))
        assert tree.inclusion_proofs(everything, size) == [
            tree.inclusion_proof(i, size) for i in everything
        ]
        some = [*sorted(rng.sample(everything, min(size, 7))), size - 1, 0, size - 1]
        assert tree.inclusion_proofs(some, size) == [tree.inclusion_proof(i, size) for i in some]
    assert tree.inclusion_proofs([], n) == []
    assert tree.inclusion_proofs([n - 1]) == [tree.inclusion_proof(n - 1)]


def test_batched_proofs_verify_against_the_root() -> None:
    tree = _tree(1000)
    for size in (1000, 999, 513):
        root = tree.root(size)
        indexes = list(range(0, size, 37))
        for index, proof in zip(indexes, tree.inclusion_proofs(indexes, size), strict=True):
            verify_inclusion(index, size, tree.leaf_hash(index), proof, root)


@pytest.mark.parametrize(("indexes", "size"), [([5], 5), ([0, 9], 9), ([-1], 4), ([0], 11)])
def test_an_index_outside_the_tree_is_refused_alike(indexes: list[int], size: int) -> None:
    tree = _tree(10)
    with pytest.raises(ValueError) as single:
        for i in indexes:
            tree.inclusion_proof(i, size)
    with pytest.raises(ValueError) as batch:
        tree.inclusion_proofs(indexes, size)
    assert str(batch.value) == str(single.value)
