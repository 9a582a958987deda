"""C2SP tlog-proof@v1 text format (https://c2sp.org/tlog-proof): encode and strict decode.

A ``.tlog-proof`` file bundles one entry's index, its RFC 6962 inclusion path and
the checkpoint (a signed note) it was proven against, so a third party can check
the entry offline. Layout, lines separated by U+000A::

    c2sp.org/tlog-proof@v1
    extra <base64>              (optional, unauthenticated application data)
    index <decimal, no leading zeros>
    <base64 SHA-256 hash>       (zero or more, leaf's sibling first)
    <empty line>
    <checkpoint note, verbatim>

The checkpoint stays opaque text here; another module parses and verifies notes.
Parsing is strict so that a tampered or truncated file is reported, not guessed at.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

__all__ = ["HEADER", "TlogProof", "TlogProofError", "format_tlog_proof", "parse_tlog_proof"]

HEADER = "c2sp.org/tlog-proof@v1"
_HASH_SIZE = 32
_MAX_HASHES = 64  # an inclusion path in a tree of < 2**64 leaves has at most 64 hashes
_MAX_INDEX = 2**64 - 1
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


class TlogProofError(ValueError):
    """A tlog-proof is malformed; the message is a one-line reason."""


@dataclass(frozen=True)
class TlogProof:
    """One entry's inclusion proof plus the checkpoint it verifies against."""

    index: int
    hashes: list[bytes]
    checkpoint: str
    extra: bytes | None = None


def _b64decode(text: str, what: str) -> bytes:
    """Strict RFC 4648 §4 base64: alphabet, padding and canonical trailing bits."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise TlogProofError(f"{what} is not valid base64") from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise TlogProofError(f"{what} is not canonical base64")
    return raw


def _check_checkpoint(checkpoint: str) -> None:
    if not checkpoint:
        raise TlogProofError("checkpoint is missing after the blank line")
    if checkpoint.startswith("\n"):
        raise TlogProofError("more than one blank line before the checkpoint")
    if not checkpoint.endswith("\n"):
        raise TlogProofError("checkpoint does not end with a newline")


def format_tlog_proof(proof: TlogProof) -> str:
    """Render ``proof`` as tlog-proof@v1 text; raises TlogProofError on invalid fields."""
    if not 0 <= proof.index <= _MAX_INDEX:
        raise TlogProofError(f"index {proof.index} is outside 0..2^64-1")
    if len(proof.hashes) > _MAX_HASHES:
        raise TlogProofError(f"{len(proof.hashes)} proof hashes exceed the maximum {_MAX_HASHES}")
    for i, h in enumerate(proof.hashes):
        if len(h) != _HASH_SIZE:
            raise TlogProofError(f"proof hash {i} is {len(h)} bytes, expected {_HASH_SIZE}")
    _check_checkpoint(proof.checkpoint)
    lines = [HEADER]
    if proof.extra is not None:
        lines.append("extra " + base64.b64encode(proof.extra).decode("ascii"))
    lines.append(f"index {proof.index}")
    lines.extend(base64.b64encode(h).decode("ascii") for h in proof.hashes)
    return "\n".join(lines) + "\n\n" + proof.checkpoint


def parse_tlog_proof(text: str) -> TlogProof:
    """Parse tlog-proof@v1 text strictly; raises TlogProofError with a one-line reason."""
    head, sep, checkpoint = text.partition("\n\n")
    if not sep:
        raise TlogProofError("missing blank line between the proof and the checkpoint")
    lines = head.split("\n")
    if lines[0] != HEADER:
        raise TlogProofError(f"first line is not {HEADER!r}")
    pos = 1
    extra: bytes | None = None
    if pos < len(lines) and lines[pos].startswith("extra "):
        extra = _b64decode(lines[pos][len("extra ") :], "extra data")
        pos += 1
    if pos >= len(lines) or not lines[pos].startswith("index "):
        raise TlogProofError(f"line {pos + 1} is not an 'index N' line")
    digits = lines[pos][len("index ") :]
    if not _DECIMAL.fullmatch(digits):
        raise TlogProofError("index is not a decimal number without leading zeros")
    index = int(digits)
    if index > _MAX_INDEX:
        raise TlogProofError("index does not fit in 64 bits")
    pos += 1
    hash_lines = lines[pos:]
    if len(hash_lines) > _MAX_HASHES:
        raise TlogProofError(f"{len(hash_lines)} proof hashes exceed the maximum {_MAX_HASHES}")
    hashes: list[bytes] = []
    for offset, line in enumerate(hash_lines, start=pos + 1):
        raw = _b64decode(line, f"line {offset} (a proof hash)")
        if len(raw) != _HASH_SIZE:
            raise TlogProofError(
                f"line {offset} is {len(raw)} bytes, expected a {_HASH_SIZE}-byte hash"
            )
        hashes.append(raw)
    _check_checkpoint(checkpoint)
    return TlogProof(index=index, hashes=hashes, checkpoint=checkpoint, extra=extra)
