"""Chain fields written through the per-transaction chain cache (services/chains.py).

Many leaves about the same clients in one transaction, then more in a second one:
every leaf's ``chain`` must name the previous leaf of its client exactly as a fresh
read of ``client_chains`` would, and the stored count/head must match the last leaf.
"""

from __future__ import annotations

from hourproof.core import leaves as lk
from hourproof.ledger.canonical import parse_canonical
from hourproof.ledger.merkle import leaf_hash
from hourproof.services.app import App
from hourproof.store.chains import Chains


def _add(txn, client: str, i: int) -> None:
    start = f"2026-11-{1 + i % 28:02d}T09:00:00Z"
    txn.append(
        lk.ENTRY_ADD,
        {"project": f"P {client}", "client": client, "task": None, "tags": [], "note": f"n{i}",
         "start": start, "end": start.replace("09:", "10:"), "source": "manual", "rate": None},
    )  # fmt: skip


def test_chain_fields_follow_each_client_across_transactions(home):
    app = App.open(home)
    try:
        with app.write() as txn:
            for i in range(7):
                _add(txn, "A" if i % 3 else "B", i)
        with app.write() as txn:
            for i in range(7, 12):
                _add(txn, "B" if i % 2 else "A", i)
        with app.read_db() as db:
            expected: dict[str, tuple[int, bytes | None]] = {}
            for seq, data in db.execute("SELECT seq, data FROM leaves ORDER BY seq"):
                leaf = parse_canonical(bytes(data))
                if "chain" not in leaf:
                    continue
                n, head = expected.get(leaf["client"], (0, None))
                assert leaf["chain"] == {"n": n + 1, "prev": head.hex() if head else None}, seq
                expected[leaf["client"]] = (n + 1, leaf_hash(bytes(data)))
            assert set(expected) == {"A", "B"}
            for client, (n, head) in expected.items():
                stored = Chains(db).get(client)
                assert stored is not None
                assert (stored.count, stored.head) == (n, head)
    finally:
        app.close()
