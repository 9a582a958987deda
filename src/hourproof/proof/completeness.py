"""Verification steps of bundle format v2: completeness per client, and the memory of
earlier bundles (docs/bundle-format.md §6 and §9).

Both run on the verifier's state after the inclusion step: the disclosed leaves are
canonical, in the signed log, and every checkpoint is signed and consistent.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from hourproof.core import leaves as lk
from hourproof.ledger import clientmap
from hourproof.ledger.canonical import parse_canonical
from hourproof.ledger.clientmap import MapEntry, MapError
from hourproof.ledger.merkle import leaf_hash
from hourproof.proof import format as f

if TYPE_CHECKING:
    from hourproof.proof.verify import _Verifier

_ITEM_KEYS = {"count", "head", "proof", "size"}


def _fail(reason: str, name: str = f.COMPLETENESS) -> Exception:
    from hourproof.proof.verify import StepFailed

    return StepFailed(name, reason)


def _int(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _fail(f"{what} is not a non-negative integer")
    return value


def _hex32(value: Any, what: str) -> bytes:
    if not isinstance(value, str) or len(value) != 64 or value.strip("0123456789abcdef"):
        raise _fail(f"{what} is not a lowercase hex SHA-256")
    return bytes.fromhex(value)


def _b64_32(value: Any, what: str) -> bytes:
    try:
        if not isinstance(value, str):
            raise ValueError
        raw = base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise _fail(f"{what} is not base64") from exc
    if len(raw) != 32 or base64.b64encode(raw).decode("ascii") != value:
        raise _fail(f"{what} is not canonical base64 of 32 bytes")
    return raw


def _entry_of(seq: int, leaf: dict[str, Any]) -> int | None:
    if leaf["kind"] in lk.CREATING_KINDS:
        return seq
    if leaf["kind"] in lk.CHANGING_KINDS:
        return int(leaf["entry"])
    return None


def completeness(v: _Verifier) -> str:
    r = v.r
    hashes = v.leaf_hashes
    r.disclosed = {
        seq: (hashes.get(seq) or leaf_hash(v.leaf_bytes[seq]), _entry_of(seq, leaf))
        for seq, leaf in v.leaves.items()
    }
    if r.version < 2:
        r.warnings.append("format version 1 bundle: it cannot prove that it discloses every "
                          "leaf about its client (completeness needs version 2)")  # fmt: skip
        return "not available in a version 1 bundle (see the note)"
    try:
        data = parse_canonical(v.files[f.COMPLETENESS])
    except ValueError as exc:
        raise _fail(f"not canonical JSON: {exc}") from exc
    if not isinstance(data, dict) or set(data) != {"client", "from", "maps", "since"}:
        raise _fail("must hold exactly client, from, maps and since")
    client = data["client"]
    if not isinstance(client, dict) or set(client) != {"id", "secret"}:
        raise _fail("client must hold exactly id and secret")
    secret = _b64_32(client["secret"], "client.secret")
    blinded = clientmap.blinded_id(secret)
    if _hex32(client["id"], "client.id") != blinded:
        raise _fail("client.id is not SHA-256('hourproof-client-v1' || secret)")
    chains_from = _int(data["from"], "from")
    since_size: int | None = None
    if data["since"] is not None:
        since = data["since"]
        if not isinstance(since, dict) or set(since) != {"size"}:
            raise _fail('since must be null or {"size": N}')
        since_size = _int(since["size"], "since.size")
        if since_size not in v.checkpoints:
            raise _fail(f"since checkpoint {f.checkpoint_path(since_size)} is not in the bundle")
    # Every checkpoint's extension line: the same F, and its map root.
    roots: dict[int, bytes] = {}
    for size, cp in v.checkpoints.items():
        try:
            parsed = clientmap.parse_extensions(cp.extensions)
        except MapError as exc:
            raise _fail(str(exc), f.checkpoint_path(size)) from exc
        if parsed is None:
            continue
        if parsed[0] != chains_from:
            raise _fail(f"says chains start at leaf {parsed[0]}, completeness.json says "
                        f"{chains_from}", f.checkpoint_path(size))  # fmt: skip
        roots[size] = parsed[1]
    if r.tree_size not in roots:
        raise _fail("the export checkpoint carries no client map",
                    f.checkpoint_path(r.tree_size))  # fmt: skip
    # The map items.
    maps: dict[int, tuple[int, bytes | None]] = {}
    items = data["maps"]
    if not isinstance(items, list):
        raise _fail("maps is not a list")
    for item in items:
        if not isinstance(item, dict) or not {"count", "size"} <= set(item):
            raise _fail("a maps item lacks count or size")
        size, count = _int(item["size"], "maps[].size"), _int(item["count"], "maps[].count")
        if size in maps or (maps and size < max(maps)):
            raise _fail(f"maps item for size {size} is duplicated or out of order")
        if size not in roots:
            raise _fail(f"maps item for size {size}: no checkpoint with a client map of that size")
        proof_list = item.get("proof")
        if not isinstance(proof_list, list):
            raise _fail(f"maps item for size {size}: proof is not a list")
        proof = [_b64_32(h, "a map proof hash") for h in proof_list]
        try:
            if count > 0:
                if set(item) != _ITEM_KEYS:
                    raise _fail(f"maps item for size {size} must hold exactly "
                                "count, head, proof, size")  # fmt: skip
                head = _hex32(item["head"], "maps[].head")
                clientmap.verify_map_proof(roots[size], blinded, MapEntry(count, head), proof)
                maps[size] = (count, head)
            else:
                if set(item) != _ITEM_KEYS | {"other"} or item["head"] is not None:
                    raise _fail(f"maps item for size {size} with count 0 must hold count, "
                                "head (null), other, proof, size")  # fmt: skip
                other = item["other"]
                other_entry: tuple[bytes, MapEntry] | None = None
                if other is not None:
                    if not isinstance(other, dict) or set(other) != {"count", "head", "id"}:
                        raise _fail("maps[].other must be null or {count, head, id}")
                    oid = _hex32(other["id"], "other.id")
                    ocount = _int(other["count"], "other.count")
                    other_entry = (oid, MapEntry(ocount, _hex32(other["head"], "other.head")))
                clientmap.verify_map_absence(roots[size], blinded, proof, other_entry)
                maps[size] = (0, None)
        except MapError as exc:
            raise _fail(f"maps item for size {size}: {exc}", f.checkpoint_path(size)) from exc
    floor = since_size if since_size is not None else -1
    needed = {s for s in roots if s > floor}
    if since_size is not None and since_size in roots:
        needed.add(since_size)
    for size in sorted(needed - set(maps)):
        raise _fail(f"no map proof for the client at checkpoint {size}")
    for size in sorted(set(maps) - needed):
        raise _fail(f"maps item for size {size} is not asked for")
    # Walk the chain back from the export head.
    count, export_head = maps[r.tree_size]
    k0, h0 = maps[since_size] if since_size is not None and since_size in maps else (0, None)
    if k0 > count:
        raise _fail(f"the client's chain shrank: {k0} leaves at the since checkpoint, {count} "
                    "at export")  # fmt: skip
    by_hash = {h: seq for seq, (h, _e) in r.disclosed.items()}
    walked: dict[int, int] = {}  # n -> seq
    cur: bytes | None = export_head
    n, after = count, None
    while n > k0:
        assert cur is not None
        seq = by_hash.get(cur)
        if seq is None:
            where = f" (the one before leaf {after})" if after is not None else ""
            raise _fail(f"leaf #{n} of {count} about the client{where} is not disclosed: the "
                        "bundle omits a leaf about its client", f.ENTRIES)  # fmt: skip
        leaf = v.leaves[seq]
        try:
            ln, prev = clientmap.parse_chain(leaf.get("chain"))
        except MapError as exc:
            raise _fail(f"leaf {seq}: {exc}", f.ENTRIES) from exc
        if ln != n:
            raise _fail(f"leaf {seq} is #{ln} of its chain, expected #{n}", f.ENTRIES)
        if after is not None and seq >= after:
            raise _fail(f"leaf {seq} comes after the leaf that chains to it", f.ENTRIES)
        if seq < chains_from:
            raise _fail(f"leaf {seq} is chained but lies before index {chains_from}", f.ENTRIES)
        if leaf["kind"] not in lk.CHAINED_KINDS:
            raise _fail(f"leaf {seq} ({leaf['kind']}) cannot be about a client", f.ENTRIES)
        walked[n] = seq
        after, cur, n = seq, prev, n - 1
    if cur != h0:
        what = (
            "start of the chain" if k0 == 0 else f"the client's leaf #{k0} at the since checkpoint"
        )
        raise _fail(f"the chain does not lead back to {what}: a leaf was dropped or the chain "
                    "was forked", f.ENTRIES)  # fmt: skip
    # Every map entry must agree with the walked chain at its size.
    for size, (mcount, mhead) in maps.items():
        if size == since_size:
            continue
        expected = k0 + sum(1 for seq in walked.values() if seq < size)
        want = r.disclosed[walked[expected]][0] if expected > k0 else h0
        if mcount != expected or mhead != want:
            raise _fail(f"the client map at checkpoint {size} says {mcount} leaves, the "
                        f"disclosed chain gives {expected}: the chain was rewritten",
                        f.checkpoint_path(size))  # fmt: skip
    on_chain = set(walked.values())
    for seq, leaf in v.leaves.items():
        if seq in on_chain:
            continue
        if "chain" in leaf:
            if since_size is None or seq >= since_size:
                raise _fail(f"leaf {seq} is chained but not on the client's chain (another "
                            "client's leaf, or a fork)", f.ENTRIES)  # fmt: skip
        elif seq >= chains_from and _entry_of(seq, leaf) is not None:
            raise _fail(f"leaf {seq} is an entry leaf without a chain, written after chains "
                        f"began at index {chains_from}", f.ENTRIES)  # fmt: skip
        if (
            leaf["kind"] == lk.RATE_SET
            and leaf.get("scope") == "client"
            and leaf.get("name") != r.manifest.get("recipient")
        ):
            raise _fail(f"leaf {seq} sets another client's rate", f.ENTRIES)
    r.chain = (blinded, (r.tree_size, count, export_head))
    v.walked, v.since_count = walked, k0
    r.complete_from = chains_from
    start = (f"since your bundle at size {since_size} (leaf #{k0 + 1} on)"
             if since_size is not None else "from the start of the log")  # fmt: skip
    legacy = f"; leaves before index {chains_from} predate chains" if chains_from else ""
    return f"all {count - k0} leaves about the client {start} are disclosed{legacy}"


def earlier_bundles(v: _Verifier) -> str:
    """Nothing an earlier verified bundle of this signer showed is omitted or changed."""
    r, memory = v.r, v.opts.memory
    if memory is None or r.fingerprint is None:
        return "no memory of earlier bundles (none kept)"
    seen = memory.leaves(r.fingerprint)
    shown_entries = {e for _h, e in r.disclosed.values() if e is not None}
    for seq, (digest, entry) in sorted(seen.items()):
        if seq >= r.tree_size:
            continue
        if seq in r.disclosed:
            if r.disclosed[seq][0] != digest:
                raise _fail(f"leaf {seq} differs from the one an earlier bundle showed",
                            f.ENTRIES)  # fmt: skip
        elif entry is not None and entry in shown_entries:
            raise _fail(f"omits leaf {seq} of entry {entry}, which an earlier bundle you "
                        "verified showed", f.ENTRIES)  # fmt: skip
    if r.chain is not None:
        blinded, (_size, count, _head) = r.chain
        before = memory.chain(r.fingerprint, blinded)
        if before is not None:
            if before.count > count:
                raise _fail(f"the client's chain has {count} leaves, the bundle you verified "
                            f"before had {before.count}: leaves were dropped",
                            f.ENTRIES)  # fmt: skip
            k0 = v.since_count
            if k0 > before.count:
                raise _fail(f"starts after leaf #{k0} about the client, but the last bundle you "
                            f"verified ended at #{before.count}: leaves in between were never "
                            "shown to you", f.COMPLETENESS)  # fmt: skip
            if before.count > k0 and before.head is not None:
                at = v.walked.get(before.count)
                if at is None or r.disclosed[at][0] != before.head:
                    raise _fail(f"the client's leaf #{before.count} differs from the one you saw",
                                f.ENTRIES)  # fmt: skip
    return f"consistent with {len(seen)} leaves remembered from earlier bundles"
