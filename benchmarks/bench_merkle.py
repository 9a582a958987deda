"""Measured figures for hourproof.ledger.merkle (printed, never asserted).

Run: PYTHONPATH=src /work/venv/bin/python benchmarks/bench_merkle.py [--leaves N]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
import tracemalloc

from hourproof.ledger.merkle import CompactRange, MerkleTree, leaf_hash, verify_inclusion
from hourproof.ledger.tlogproof import TlogProof, format_tlog_proof

CHECKPOINT = "hourproof.local/bench\n0\n" + "A" * 43 + "=\n\n— bench " + "A" * 92 + "\n"


def _tree_build(leaves: list[bytes]) -> MerkleTree:
    start = time.perf_counter()
    tree = MerkleTree(leaves)
    elapsed = time.perf_counter() - start
    print(f"{'MerkleTree build, ' + f'{len(leaves):,} leaf hashes':<58} {elapsed:8.3f} s")
    tracemalloc.start()
    MerkleTree(leaves)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{'  peak memory allocated by a build (tracemalloc)':<58} {peak / 2**20:8.1f} MiB")
    return tree


def _proofs(tree: MerkleTree, count: int) -> None:
    rnd = random.Random(1)
    n = tree.size
    indices = [rnd.randrange(n) for _ in range(count)]
    start = time.perf_counter()
    proofs = [tree.inclusion_proof(i, n) for i in indices]
    elapsed = time.perf_counter() - start
    print(f"{f'{count:,} inclusion proofs at size {n:,}':<58} {elapsed:8.3f} s")
    root = tree.root()
    start = time.perf_counter()
    for i, p in zip(indices, proofs, strict=True):
        verify_inclusion(i, n, tree.leaf_hash(i), p, root)
    elapsed = time.perf_counter() - start
    print(f"{'  verifying them':<58} {elapsed:8.3f} s")
    start = time.perf_counter()
    for i in indices[:2000]:
        tree.consistency_proof(i + 1 if i + 1 < n else n, n)
    elapsed = time.perf_counter() - start
    print(f"{'2,000 consistency proofs to size ' + f'{n:,}':<58} {elapsed:8.3f} s")


def _streaming(raw_leaves: list[bytes]) -> None:
    start = time.perf_counter()
    for leaf in raw_leaves:
        hashlib.sha256(b"\x00" + leaf).digest()
    raw = time.perf_counter() - start
    start = time.perf_counter()
    rng = CompactRange()
    for leaf in raw_leaves:
        rng.append(leaf_hash(leaf))
    rng.root()
    stream = time.perf_counter() - start
    n = len(raw_leaves)
    print(f"{f'raw hashlib SHA-256 over {n:,} leaves (leaf hashes only)':<58} {raw:8.3f} s")
    print(f"{f'CompactRange streaming {n:,} leaves (leaf hash + tree)':<58} {stream:8.3f} s")
    print(f"{'  ratio streaming / raw hashing':<58} {stream / raw:8.2f} x")
    print(f"{'  frontier kept in memory':<58} {len(rng.to_bytes()):8d} bytes")


def _proof_sizes(sizes: list[int]) -> None:
    print("proof bytes per entry (random index, tree of n leaves):")
    print(f"  {'n':>10} {'hashes':>7} {'raw bytes':>10} {'.tlog-proof text':>17}")
    for n in sizes:
        tree = MerkleTree([leaf_hash(i.to_bytes(8, "big")) for i in range(n)])
        rnd = random.Random(n)
        samples = [rnd.randrange(n) for _ in range(200)]
        hashes = sum(len(tree.inclusion_proof(i)) for i in samples) / len(samples)
        text = sum(
            len(format_tlog_proof(TlogProof(i, tree.inclusion_proof(i), CHECKPOINT)).encode())
            for i in samples
        ) / len(samples)
        print(f"  {n:>10,} {hashes:7.1f} {hashes * 32:10.0f} {text:17.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--proofs", type=int, default=20_000)
    args = parser.parse_args()
    n = args.leaves
    raw_leaves = [i.to_bytes(8, "big") * 8 for i in range(n)]  # 64-byte stand-in leaves
    hashes = [leaf_hash(x) for x in raw_leaves]
    tree = _tree_build(hashes)
    _proofs(tree, args.proofs)
    del tree
    _streaming(raw_leaves)
    _proof_sizes([10**3, 10**5, n])


if __name__ == "__main__":
    main()
