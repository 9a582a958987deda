"""Per-client completeness (bundle format v2, docs/bundle-format.md §6).

Every client has a random secret; its blinded id is ``H("hourproof-client-v1" ||
secret)``. Each checkpoint commits, in one extension line, to a sparse Merkle map of
blinded id -> (count of the client's chained leaves, hash of the newest). A bundle
proves its client's map entry in O(log clients) and walks the client's hash chain
back from that head, so it cannot leave one of the client's leaves out.

Pure: hashlib and base64 only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ID_PREFIX = b"hourproof-client-v1"
EXTENSION_TAG = "hourproof-clients/v1"
EMPTY = bytes(32)
SECRET_SIZE = 32
_EXTENSION_RE = re.compile(r"^hourproof-clients/v1 (0|[1-9][0-9]{0,18}) ([A-Za-z0-9+/]{43}=)$")


class MapError(ValueError):
    """A map proof, extension line or chain field that is malformed or does not verify."""


def blinded_id(secret: bytes) -> bytes:
    if len(secret) != SECRET_SIZE:
        raise MapError("a client secret is 32 bytes")
    return hashlib.sha256(ID_PREFIX + secret).digest()


@dataclass(frozen=True)
class MapEntry:
    count: int
    head: bytes


def map_leaf(client_id: bytes, entry: MapEntry) -> bytes:
    return hashlib.sha256(
        b"\x00" + client_id + entry.count.to_bytes(8, "big") + entry.head
    ).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _bit(client_id: bytes, depth: int) -> int:
    return (client_id[depth >> 3] >> (7 - (depth & 7))) & 1


def _subtree(items: Sequence[tuple[bytes, MapEntry]], depth: int) -> bytes:
    if not items:
        return EMPTY
    if len(items) == 1:
        return map_leaf(items[0][0], items[0][1])
    left = [it for it in items if not _bit(it[0], depth)]
    right = [it for it in items if _bit(it[0], depth)]
    return _node(_subtree(left, depth + 1), _subtree(right, depth + 1))


def map_root(entries: Mapping[bytes, MapEntry]) -> bytes:
    """Root of the map (32 zero bytes when empty)."""
    for client_id in entries:
        if len(client_id) != 32:
            raise MapError("a client id is 32 bytes")
    return _subtree(sorted(entries.items()), 0)


def _descend(
    entries: Mapping[bytes, MapEntry], client_id: bytes
) -> tuple[list[bytes], list[tuple[bytes, MapEntry]]]:
    """Walk down along ``client_id``'s bits to where its node is (or would be).

    Returns the sibling hashes from that node up to the root (nearest first) and the
    entries left under that node (``client_id``'s own, one other client's, or none).
    """
    items = sorted(entries.items())
    path: list[bytes] = []
    depth = 0
    while len(items) > 1:
        mine = _bit(client_id, depth)
        same = [it for it in items if _bit(it[0], depth) == mine]
        other = [it for it in items if _bit(it[0], depth) != mine]
        path.append(_subtree(other, depth + 1))
        items, depth = same, depth + 1
    return path[::-1], items


def map_proof(entries: Mapping[bytes, MapEntry], client_id: bytes) -> list[bytes]:
    """Sibling hashes from ``client_id``'s node up to the root (nearest first)."""
    if client_id not in entries:
        raise MapError("that client is not in the map")
    return _descend(entries, client_id)[0]


def verify_map_proof(
    root: bytes, client_id: bytes, entry: MapEntry, proof: Sequence[bytes]
) -> None:
    """Raise MapError unless ``client_id -> entry`` is in the map with this root."""
    if len(proof) > 256:
        raise MapError("map proof is longer than 256 hashes")
    h = map_leaf(client_id, entry)
    depth = len(proof)
    for j, sibling in enumerate(proof):
        if len(sibling) != 32:
            raise MapError("map proof hash is not 32 bytes")
        h = _node(sibling, h) if _bit(client_id, depth - 1 - j) else _node(h, sibling)
    if h != root:
        raise MapError("the client's map entry does not match the checkpoint's map root")


def extension_line(chains_from: int, root: bytes) -> str:
    return f"{EXTENSION_TAG} {chains_from} {base64.b64encode(root).decode('ascii')}"


def parse_extensions(extensions: Sequence[str]) -> tuple[int, bytes] | None:
    """(F, map root) from a checkpoint's extension lines; None for a v1 checkpoint."""
    if not extensions:
        return None
    if len(extensions) != 1:
        raise MapError("a checkpoint carries at most one extension line")
    match = _EXTENSION_RE.match(extensions[0])
    if match is None:
        raise MapError(f"extension line is not '{EXTENSION_TAG} <from> <b64 root>'")
    root = base64.b64decode(match.group(2))
    if base64.b64encode(root).decode("ascii") != match.group(2):
        raise MapError("map root is not canonical base64")
    return int(match.group(1)), root


def parse_chain(value: object) -> tuple[int, bytes | None]:
    """(n, prev hash) of a leaf's ``chain`` field; MapError when malformed."""
    if not isinstance(value, dict) or set(value) != {"n", "prev"}:
        raise MapError("chain must be an object with exactly n and prev")
    n, prev = value["n"], value["prev"]
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise MapError("chain.n must be a positive integer")
    if prev is None:
        if n != 1:
            raise MapError("chain.prev is null only for n = 1")
        return n, None
    if not isinstance(prev, str) or len(prev) != 64 or prev.strip("0123456789abcdef"):
        raise MapError("chain.prev must be null or a lowercase hex SHA-256")
    if n == 1:
        raise MapError("chain.n = 1 must have a null prev")
    try:
        return n, bytes.fromhex(prev)
    except binascii.Error as exc:  # pragma: no cover - strip() above already rules it out
        raise MapError("chain.prev is not hex") from exc


@dataclass(frozen=True)
class Absence:
    """Proof that an id is not in the map: the sibling path to where it would be, and
    what sits there instead (nothing, or one other client's leaf node)."""

    proof: list[bytes]
    other: tuple[bytes, MapEntry] | None


def map_absence(entries: Mapping[bytes, MapEntry], client_id: bytes) -> Absence:
    if client_id in entries:
        raise MapError("that client is in the map")
    path, left = _descend(entries, client_id)
    return Absence(path, left[0] if left else None)


def _shares_prefix(a: bytes, b: bytes, bits: int) -> bool:
    return all(_bit(a, i) == _bit(b, i) for i in range(bits))


def verify_map_absence(
    root: bytes, client_id: bytes, proof: Sequence[bytes], other: tuple[bytes, MapEntry] | None
) -> None:
    """Raise MapError unless ``client_id`` is provably absent from the map."""
    if len(proof) > 256:
        raise MapError("map proof is longer than 256 hashes")
    depth = len(proof)
    if other is None:
        h = EMPTY
    else:
        other_id, entry = other
        if other_id == client_id or not _shares_prefix(other_id, client_id, depth):
            raise MapError("the other map entry is not on the client's path")
        h = map_leaf(other_id, entry)
    for j, sibling in enumerate(proof):
        if len(sibling) != 32:
            raise MapError("map proof hash is not 32 bytes")
        h = _node(sibling, h) if _bit(client_id, depth - 1 - j) else _node(h, sibling)
    if h != root:
        raise MapError("the absence proof does not match the checkpoint's map root")
