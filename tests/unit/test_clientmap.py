"""The client map's membership and absence proofs, over maps of many shapes."""

from __future__ import annotations

import random

import pytest

from hourproof.ledger import clientmap as cm


def _map(rng: random.Random, size: int) -> dict[bytes, cm.MapEntry]:
    return {
        rng.randbytes(32): cm.MapEntry(rng.randint(1, 99), rng.randbytes(32)) for _ in range(size)
    }


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 17, 40])
def test_every_member_is_proven_in_and_every_stranger_out(size: int) -> None:
    rng = random.Random(size)
    entries = _map(rng, size)
    root = cm.map_root(entries)
    for client_id, entry in entries.items():
        proof = cm.map_proof(entries, client_id)
        cm.verify_map_proof(root, client_id, entry, proof)
        with pytest.raises(cm.MapError):
            cm.verify_map_proof(root, client_id, cm.MapEntry(entry.count + 1, entry.head), proof)
        with pytest.raises(cm.MapError):
            cm.map_absence(entries, client_id)
    for _ in range(10):
        stranger = rng.randbytes(32)
        absence = cm.map_absence(entries, stranger)
        cm.verify_map_absence(root, stranger, absence.proof, absence.other)
        with pytest.raises(cm.MapError):
            cm.map_proof(entries, stranger)
