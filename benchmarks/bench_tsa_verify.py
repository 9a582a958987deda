"""Measure RFC 3161 token verification throughput (target: >= 500 tokens/s).

Run: ``/work/venv/bin/python benchmarks/bench_tsa_verify.py`` (it finds src/ itself).
Tokens come from the loopback test TSA (tests/support/tsa.py), issued directly
without HTTP, each over different data with its own nonce, as a bundle verifier
sees them: many tokens, few TSA chains. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / p) for p in ("src", ".")]

from tests.support.tsa import KeyType, TestTsa  # noqa: E402

from hourproof.timestamp.verify import verify_response  # noqa: E402


def bench(key_type: KeyType, count: int, rounds: int) -> float:
    tsa = TestTsa(key_type=key_type)
    roots = [tsa.root_cert]
    tokens = []
    for i in range(count):
        data = f"hourproof.local/abcd\n{i}\nroot{i:08d}\n".encode()
        tokens.append((tsa.issue(data, nonce=1_000_000 + i), data, 1_000_000 + i))
    best = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        for der, data, nonce in tokens:
            verify_response(der, data, roots, nonce=nonce)
        best = max(best, count / (time.perf_counter() - start))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    key_types: tuple[KeyType, ...] = ("ec", "rsa")
    for key_type in key_types:
        rate = bench(key_type, args.tokens, args.rounds)
        label = {"ec": "ECDSA P-256", "rsa": "RSA-2048"}[key_type]
        print(
            f"{label:>11} chain: {rate:6.0f} tokens/s verified "
            f"({args.tokens} tokens, best of {args.rounds})"
        )


if __name__ == "__main__":
    main()
