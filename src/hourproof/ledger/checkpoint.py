"""Log checkpoints (c2sp.org/tlog-checkpoint) signed as C2SP notes.

The body is the origin line, the decimal tree size and the base64 RFC 6962 root,
then optional extension lines. The note's key name is the origin, which is
derived from the signing key (`keys.log_origin`), so a checkpoint names its log.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from hourproof.ledger.keys import log_origin
from hourproof.ledger.note import open_note, sign_note

ROOT_SIZE = 32  # SHA-256
MAX_TREE_SIZE = 2**63 - 1  # fits SQLite's INTEGER
_DECIMAL = re.compile(r"(0|[1-9][0-9]*)")


class CheckpointError(ValueError):
    """A checkpoint body that is malformed or belongs to another log."""


@dataclass(frozen=True)
class Checkpoint:
    """A signed tree head: the log `origin` had `size` leaves with Merkle `root`."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()


def _check_line(value: str, what: str) -> None:
    if not value:
        raise CheckpointError(f"{what} must not be empty")
    if any(ord(ch) < 0x20 for ch in value):
        raise CheckpointError(f"{what} must not contain control characters or newlines")


def _validate(cp: Checkpoint) -> None:
    _check_line(cp.origin, "origin")
    if isinstance(cp.size, bool) or not isinstance(cp.size, int):
        raise CheckpointError("tree size must be an int")
    if not 0 <= cp.size <= MAX_TREE_SIZE:
        raise CheckpointError(f"tree size out of range: {cp.size}")
    if not isinstance(cp.root, bytes) or len(cp.root) != ROOT_SIZE:
        raise CheckpointError(f"root hash must be {ROOT_SIZE} bytes")
    for extension in cp.extensions:
        _check_line(extension, "extension line")


def format_checkpoint(cp: Checkpoint) -> str:
    """The checkpoint note text, ending in a newline."""
    _validate(cp)
    lines = [cp.origin, str(cp.size), base64.b64encode(cp.root).decode("ascii")]
    return "\n".join([*lines, *cp.extensions]) + "\n"


def parse_checkpoint(body: str) -> Checkpoint:
    """Parse a checkpoint note text strictly (canonical size and root encodings)."""
    if not body.endswith("\n"):
        raise CheckpointError("checkpoint must end with a newline")
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError("checkpoint needs origin, size and root lines")
    origin, size_text, root_text, *extensions = lines
    if not _DECIMAL.fullmatch(size_text):
        raise CheckpointError(f"tree size is not a canonical decimal: {size_text!r}")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error as exc:
        raise CheckpointError("root hash is not valid base64") from exc
    if base64.b64encode(root).decode("ascii") != root_text:
        raise CheckpointError("root hash is not canonical base64")
    cp = Checkpoint(origin, int(size_text), root, tuple(extensions))
    _validate(cp)
    return cp


def sign_checkpoint(cp: Checkpoint, key: Ed25519PrivateKey) -> str:
    """Sign as the key's own log; the origin must be `log_origin` of the key."""
    origin = log_origin(key.public_key())
    if cp.origin != origin:
        raise CheckpointError(f"origin {cp.origin!r} is not this key's log {origin!r}")
    return sign_note(format_checkpoint(cp), origin, key)


def open_checkpoint(note: str | bytes, pub: Ed25519PublicKey) -> Checkpoint:
    """Verify a signed checkpoint from `pub`'s log and parse it.

    Raises NoteError for signature problems, CheckpointError for the body.
    """
    origin = log_origin(pub)
    cp = parse_checkpoint(open_note(note, origin, pub))
    if cp.origin != origin:
        raise CheckpointError(f"checkpoint origin {cp.origin!r} is not {origin!r}")
    return cp
