"""Chain fields on the leaves about a client, and the client map in checkpoints.

Called from ``Txn`` (services/app.py) in two places: before a leaf is appended
(:func:`link`, which adds ``"chain": {"n", "prev"}`` to a leaf about a client) and
after (:func:`advance`); and when a checkpoint is signed (:func:`extensions`). See
docs/bundle-format.md §6.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from hourproof.core import leaves as lk
from hourproof.ledger.clientmap import extension_line, map_root
from hourproof.ledger.merkle import leaf_hash
from hourproof.store.catalog import CatalogTable
from hourproof.store.chains import Chains, ClientChain

if TYPE_CHECKING:
    from hourproof.core.entries import Entry
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
        if fields.get("scope") == "project":  # its entries' client, else as added in the app
            name = str(fields["name"])
            return txn.projection.project_client(name) or CatalogTable(txn.db).project_client(name)
        return None
    client = fields.get("client")
    return client if isinstance(client, str) and client else None


def link(txn: Txn, kind: str, fields: dict[str, Any]) -> ClientChain | None:
    """Add the chain field to ``fields`` when the leaf is about a client."""
    client = client_of(txn, kind, fields)
    if client is None:
        return None
    chain: ClientChain | None = txn.chain_cache.get(client)
    if chain is None:  # one read per client per transaction; advance() keeps it current
        chain = txn.chain_cache[client] = Chains(txn.db).get_or_create(client)
    fields["chain"] = {
        "n": chain.count + 1,
        "prev": chain.head.hex() if chain.head is not None else None,
    }
    return chain


def advance(txn: Txn, chain: ClientChain, seq: int, data: bytes) -> None:
    digest = leaf_hash(data)
    Chains(txn.db).advance(chain, seq, chain.count + 1, digest)
    txn.chain_cache[chain.client] = replace(chain, count=chain.count + 1, head=digest)


def extensions(txn: Txn) -> tuple[str, ...]:
    """The checkpoint's extension line: where chains start and the client map root."""
    chains = Chains(txn.db)
    return (extension_line(chains.chains_from(), map_root(chains.current_map())),)


def move_entry(txn: Txn, entry: Entry, changes: dict[str, Any]) -> Entry:
    """Move an entry to another client (bundle format §6.1): the old client's chain gets
    an ``entry.remove`` that names nobody; the new client's chain a new entry that cites
    nothing of the old one (no evidence, the new client's rate)."""
    from hourproof.core.timeparse import to_rfc3339

    txn.append(lk.ENTRY_REMOVE, {"entry": entry.id, "reason": lk.MOVED_REASON})
    client = changes.get("client") or None
    project = str(changes.get("project", entry.project))
    start = changes.get("start", to_rfc3339(entry.start))
    end = changes.get("end", to_rfc3339(entry.end) if entry.end is not None else None)
    rate = txn.projection.rate_for(project, client)
    fields: dict[str, Any] = {
        "project": project,
        "client": client,
        "task": changes.get("task", entry.task),
        "tags": list(changes.get("tags", entry.tags)),
        "note": changes.get("note", entry.note),
        "start": start,
        "source": entry.source,
        "rate": rate.to_json() if rate else None,
    }
    if end is None:
        seq, _ = txn.append(lk.ENTRY_START, fields)
    else:
        seq, _ = txn.append(lk.ENTRY_ADD, {**fields, "end": end})
    moved = txn.projection.entry(seq)
    assert moved is not None
    return moved
