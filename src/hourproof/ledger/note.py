"""C2SP signed notes (c2sp.org/signed-note), Ed25519 only.

A note is text ending in a newline, a blank line, then signature lines
`— <key name> <base64(4-byte key id || signature)>`. Checkpoints are notes, so
the bytes a client checks are exactly what Go's `sumdb/note` and other C2SP
tools accept. Signatures by keys we do not know are ignored, as the spec says.
"""

from __future__ import annotations

import base64
from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from hourproof.ledger.keys import check_key_name, key_id, split_signature_line

SIGNATURE_PREFIX = "\u2014 "  # em dash, space
# The spec requires accepting at least 16; Go's note package stops at 100.
MAX_SIGNATURES = 100

NoteErrorReason = Literal["malformed", "unsigned", "bad-signature"]


class NoteError(ValueError):
    """A note that is malformed, lacks our key's signature, or carries a bad one."""

    def __init__(self, reason: NoteErrorReason, message: str) -> None:
        super().__init__(message)
        self.reason: NoteErrorReason = reason


def _malformed(detail: str) -> NoteError:
    return NoteError("malformed", f"malformed note: {detail}")


def _check_characters(text: str) -> None:
    """Valid UTF-8 with no ASCII control characters other than newline."""
    for ch in text:
        if ord(ch) < 0x20 and ch != "\n":
            raise _malformed(f"control character U+{ord(ch):04X}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _malformed("not valid UTF-8") from exc


def _key_label(name: str, pub: Ed25519PublicKey) -> str:
    return f"{name}+{key_id(name, pub).hex()}"


def sign_note(text: str, name: str, key: Ed25519PrivateKey) -> str:
    """Sign `text` (must end in a newline) as `name`; returns the whole note."""
    try:
        check_key_name(name)
    except ValueError as exc:
        raise NoteError("malformed", str(exc)) from exc
    if not text.endswith("\n"):
        raise _malformed("text must end with a newline")
    _check_characters(text)
    signature = key.sign(text.encode("utf-8"))
    encoded = base64.b64encode(key_id(name, key.public_key()) + signature).decode("ascii")
    return f"{text}\n{SIGNATURE_PREFIX}{name} {encoded}\n"


def _parse_signature_line(line: str) -> tuple[str, bytes]:
    """Return (key name, key id || signature) of one signature line."""
    if not line.startswith(SIGNATURE_PREFIX):
        raise _malformed("signature line must start with an em dash and a space")
    try:
        signer, raw = split_signature_line(line, SIGNATURE_PREFIX)
    except ValueError as exc:
        raise _malformed(f"bad signature line {line!r}") from exc
    if len(raw) < 5:
        raise _malformed("signature too short")
    return signer, raw


def open_note(note: str | bytes, name: str, pub: Ed25519PublicKey) -> str:
    """Verify the note's signature by (`name`, `pub`) and return its text.

    Other signers' lines are ignored; every line by our key must verify.
    """
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _malformed("not valid UTF-8") from exc
    _check_characters(note)
    split = note.rfind("\n\n")
    if split < 0:
        raise _malformed("no blank line before the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block or not block.endswith("\n"):
        raise _malformed("signature block must be non-empty and end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise _malformed(f"more than {MAX_SIGNATURES} signatures")
    want_id = key_id(name, pub)
    verified = False
    for line in lines:
        signer, raw = _parse_signature_line(line)
        if signer != name or raw[:4] != want_id:
            continue  # unknown key: ignored per spec
        try:
            pub.verify(raw[4:], text.encode("utf-8"))
        except InvalidSignature as exc:
            raise NoteError(
                "bad-signature", f"bad signature by key {_key_label(name, pub)}"
            ) from exc
        verified = True
    if not verified:
        raise NoteError("unsigned", f"note is not signed by key {_key_label(name, pub)}")
    return text
