"""Chain fields on the leaves about a client, and the client map in checkpoints.

Called from ``Txn`` (services/app.py) in two places: before a leaf is appended
(:func:`link`, which adds ``"chain": {"n", "prev"}`` to a leaf about a client) and
after (:func:`advance`); and when a checkpoint is signed (:func:`extensions`). See
docs/bundle-format.md §6.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hourproof.core import leaves as lk
from hourproof.ledger.clientmap import extension_line, map_root
from hourproof.ledger.merkle import leaf_hash
from hourproof.store.chains import Chains, ClientChain

if TYPE_CHECKING:
    from hourproof.services.app import Txn


def client_of(txn: Txn, kind: str, fields: dict[str, Any]) -> str | None:
    """The client a new leaf is about (bundle format §6.1), or None."""
    if kind not in lk.CHAINED_KINDS:
        return None
    if kind in lk.CHANGING_KINDS:
        entry = txn.projection.entry(int(fields["entry"]))
        return entry.client if entry is not None else None
    if kind == lk.RATE_SET:
        if fields.get("scope") == "client":
            return str(fields["name"])
        if fields.get("scope") == "project":
            return txn.projection.project_client(str(fields["name"]))
        return None
    client = fields.get("client")
    return client if isinstance(client, str) and client else None


def link(txn: Txn, kind: str, fields: dict[str, Any]) -> ClientChain | None:
    """Add the chain field to ``fields`` when the leaf is about a client."""
    client = client_of(txn, kind, fields)
    if client is None:
        return None
    chain = Chains(txn.db).get_or_create(client)
    fields["chain"] = {
        "n": chain.count + 1,
        "prev": chain.head.hex() if chain.head is not None else None,
    }
    return chain


def advance(txn: Txn, chain: ClientChain, seq: int, data: bytes) -> None:
    Chains(txn.db).advance(chain, seq, chain.count + 1, leaf_hash(data))


def extensions(txn: Txn) -> tuple[str, ...]:
    """The checkpoint's extension line: where chains start and the client map root."""
    chains = Chains(txn.db)
    return (extension_line(chains.chains_from(), map_root(chains.current_map())),)
