"""C2SP transparency-log cosignatures, Ed25519 `cosignature/v1` (c2sp.org/tlog-cosignature).

A cosignature is a signed-note signature line on a checkpoint, made by someone
other than the log: a witness that checked the log only grew, or a client that
approved the hours up to that checkpoint. The line is

    — <cosigner name> base64(key ID || u64 timestamp || Ed25519 signature)

with key ID ``SHA-256(name || 0x0A || 0x04 || public key)[:4]`` and the signature
over ``"cosignature/v1\\ntime <timestamp>\\n" || checkpoint body`` (the whole note
text, extension lines included, without the signature lines). Pure: no I/O.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from hourproof.ledger.keys import (
    check_key_name,
    parse_typed_vkey,
    split_signature_line,
    typed_key_id,
)

COSIGNATURE_ED25519 = 0x04  # signed-note signature type of cosignature/v1
HEADER = "cosignature/v1"
MAX_TIMESTAMP = 2**63 - 1
SIGNATURE_PREFIX = "\u2014 "  # em dash, space
CLIENT_NAME_PREFIX = "hourproof.client/"
_RAW_LEN = 4 + 8 + 64
_WRONG_TYPE = "signature type 0x{:02x} is not cosignature/v1 (0x04)"


class CosignatureError(ValueError):
    """A cosignature or cosigner key that is malformed or does not verify."""


@dataclass(frozen=True)
class Cosigner:
    """A cosigner as a verifier is configured with it: name and Ed25519 key."""

    name: str
    public_key: Ed25519PublicKey

    @property
    def key_id(self) -> bytes:
        return cosigner_key_id(self.name, self.public_key)

    @property
    def vkey(self) -> str:
        return cosigner_vkey(self.name, self.public_key)


@dataclass(frozen=True)
class Cosignature:
    """One parsed cosignature line (not yet verified)."""

    name: str
    key_id: bytes
    timestamp: int
    signature: bytes

    @property
    def line(self) -> str:
        raw = self.key_id + struct.pack(">Q", self.timestamp) + self.signature
        return f"{SIGNATURE_PREFIX}{self.name} {base64.b64encode(raw).decode('ascii')}\n"


def _raw(pub: Ed25519PublicKey) -> bytes:
    return pub.public_bytes_raw()


def cosigner_key_id(name: str, pub: Ed25519PublicKey) -> bytes:
    """SHA-256(name || "\\n" || 0x04 || 32-byte key)[:4]."""
    return typed_key_id(name, COSIGNATURE_ED25519, pub)


def client_cosigner_name(pub: Ed25519PublicKey) -> str:
    """The name a client's installation cosigns under: stable per key."""
    return CLIENT_NAME_PREFIX + hashlib.sha256(_raw(pub)).hexdigest()[:16]


def cosigner_vkey(name: str, pub: Ed25519PublicKey) -> str:
    """`<name>+<hex key id>+<base64(0x04 || key)>` (a C2SP vkey of type 0x04)."""
    check_key_name(name)
    key = base64.b64encode(bytes([COSIGNATURE_ED25519]) + _raw(pub)).decode("ascii")
    return f"{name}+{cosigner_key_id(name, pub).hex()}+{key}"


def parse_cosigner_vkey(vkey: str) -> Cosigner:
    """Parse a type 0x04 vkey strictly (canonical base64, matching key id)."""
    try:
        name, pub = parse_typed_vkey(vkey.strip(), COSIGNATURE_ED25519, _WRONG_TYPE)
    except ValueError as exc:
        raise CosignatureError(f"cosigner key: {exc}") from exc
    return Cosigner(name, pub)


def signed_message(body: str, timestamp: int) -> bytes:
    """The bytes a cosignature/v1 signs for checkpoint text `body` at `timestamp`."""
    _check_body(body)
    _check_timestamp(timestamp)
    return f"{HEADER}\ntime {timestamp}\n{body}".encode()


def _check_body(body: str) -> None:
    if not body.endswith("\n") or "\n\n" in body or not body.strip():
        raise CosignatureError("checkpoint body must be non-empty lines, each ending in newline")


def _check_timestamp(timestamp: int) -> None:
    if isinstance(timestamp, bool) or not isinstance(timestamp, int):
        raise CosignatureError("timestamp must be an int")
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise CosignatureError(f"timestamp out of range: {timestamp}")


def cosign(body: str, name: str, key: Ed25519PrivateKey, timestamp: int) -> Cosignature:
    """Cosign checkpoint text `body` as `name` at POSIX time `timestamp`."""
    check_key_name(name)
    signature = key.sign(signed_message(body, timestamp))
    return Cosignature(name, cosigner_key_id(name, key.public_key()), timestamp, signature)


def parse_cosignature_line(line: str) -> Cosignature:
    """Parse one `— name base64(...)` line (with or without its newline)."""
    text = line[:-1] if line.endswith("\n") else line
    if not text.startswith(SIGNATURE_PREFIX):
        raise CosignatureError("a signature line must start with an em dash and a space")
    try:
        name, raw = split_signature_line(text, SIGNATURE_PREFIX)
    except ValueError as exc:
        raise CosignatureError(f"malformed signature line {text[:80]!r}") from exc
    if len(raw) != _RAW_LEN:
        raise CosignatureError(
            f"signature by {name} is {len(raw)} bytes, a cosignature/v1 is {_RAW_LEN}"
        )
    (timestamp,) = struct.unpack(">Q", raw[4:12])
    _check_timestamp(timestamp)
    return Cosignature(name, raw[:4], timestamp, raw[12:])


def matches(cosig: Cosignature, cosigner: Cosigner) -> bool:
    """Whether this line claims to be by `cosigner` (name and key id agree)."""
    return cosig.name == cosigner.name and cosig.key_id == cosigner.key_id


def verify_cosignature(cosig: Cosignature, body: str, cosigner: Cosigner) -> int:
    """Check one cosignature on checkpoint text `body`; returns its timestamp."""
    if not matches(cosig, cosigner):
        raise CosignatureError(f"cosignature is not by {cosigner.name}")
    try:
        cosigner.public_key.verify(cosig.signature, signed_message(body, cosig.timestamp))
    except InvalidSignature as exc:
        raise CosignatureError(f"bad cosignature by {cosigner.name}") from exc
    return cosig.timestamp


def split_note(note: str) -> tuple[str, list[str]]:
    """(checkpoint body, signature lines) of a signed note, each line without newline."""
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        raise CosignatureError("not a signed note (no blank line before signatures)")
    return note[: split + 1], note[split + 2 : -1].split("\n")


def parse_lines(text: str) -> list[Cosignature]:
    """Every signature line of a block of lines; lines that are not cosignature/v1 are
    skipped (a note may carry other signature types), malformed base64 is an error."""
    found: list[Cosignature] = []
    for line in text.splitlines():
        if not line:
            continue
        try:
            found.append(parse_cosignature_line(line))
        except CosignatureError:
            if not line.startswith(SIGNATURE_PREFIX):
                raise
            continue  # e.g. the log's own Ed25519 note signature (68 bytes)
    return found


def verified_cosigners(text: str, body: str, cosigners: list[Cosigner]) -> dict[str, int]:
    """Names of `cosigners` with a valid cosignature among `text`'s lines -> timestamp.

    Lines by unknown keys are ignored; a line that claims a known key but does not
    verify is an error (as signed-note verifiers treat a known key's bad signature).
    """
    out: dict[str, int] = {}
    for cosig in parse_lines(text):
        for cosigner in cosigners:
            if matches(cosig, cosigner):
                out[cosigner.name] = max(
                    out.get(cosigner.name, 0), verify_cosignature(cosig, body, cosigner)
                )
    return out
