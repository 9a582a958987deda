"""OpenSSH signatures (PROTOCOL.sshsig) over bundle manifests, Ed25519 only.

A client can check a bundle's manifest with `ssh-keygen -Y verify` alone, so
the signature must be byte-compatible with what ssh-keygen makes and accepts:
hash sha512, empty reserved field, armored base64 in 70-character lines.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from hourproof.ledger.keys import (
    SSH_ED25519,
    HourproofKeyError,
    SshWireReader,
    public_key_blob,
    public_key_from_blob,
    ssh_string,
)

MAGIC = b"SSHSIG"
VERSION = 1
HASH_ALGORITHM = "sha512"
_HASHES = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}
BEGIN = "-----BEGIN SSH SIGNATURE-----"
END = "-----END SSH SIGNATURE-----"
LINE_WIDTH = 70  # what ssh-keygen writes


class SshSigError(ValueError):
    """An SSH signature that is malformed, for another namespace, or invalid."""


def _signed_data(namespace: str, hash_algorithm: str, message: bytes) -> bytes:
    """The bytes actually signed (PROTOCOL.sshsig §3); reserved is always empty."""
    digest = _HASHES[hash_algorithm](message).digest()
    return (
        MAGIC
        + ssh_string(namespace.encode("utf-8"))
        + ssh_string(b"")
        + ssh_string(hash_algorithm.encode("ascii"))
        + ssh_string(digest)
    )


def _armor(blob: bytes) -> str:
    encoded = base64.b64encode(blob).decode("ascii")
    lines = [encoded[i : i + LINE_WIDTH] for i in range(0, len(encoded), LINE_WIDTH)]
    return "\n".join([BEGIN, *lines, END]) + "\n"


def _dearmor(armored: str) -> bytes:
    text = armored.replace("\r\n", "\n")
    if not text.startswith(BEGIN + "\n"):
        raise SshSigError("missing '-----BEGIN SSH SIGNATURE-----' header")
    end = text.find("\n" + END, len(BEGIN))
    if end < 0:
        raise SshSigError("missing '-----END SSH SIGNATURE-----' footer")
    if text[end + 1 + len(END) :].strip():
        raise SshSigError("unexpected data after the footer")
    body = "".join(text[len(BEGIN) + 1 : end].split())
    try:
        return base64.b64decode(body, validate=True)
    except binascii.Error as exc:
        raise SshSigError("signature body is not valid base64") from exc


def sshsig_sign(key: Ed25519PrivateKey, message: bytes, namespace: str) -> str:
    """Sign `message` in `namespace`, as `ssh-keygen -Y sign -n namespace` would."""
    if not namespace:
        raise SshSigError("namespace must not be empty")
    signature = key.sign(_signed_data(namespace, HASH_ALGORITHM, message))
    blob = (
        MAGIC
        + struct.pack(">I", VERSION)
        + ssh_string(public_key_blob(key.public_key()))
        + ssh_string(namespace.encode("utf-8"))
        + ssh_string(b"")
        + ssh_string(HASH_ALGORITHM.encode("ascii"))
        + ssh_string(ssh_string(SSH_ED25519.encode()) + ssh_string(signature))
    )
    return _armor(blob)


def _parse_blob(blob: bytes) -> tuple[bytes, str, str, bytes]:
    """Return (public key blob, namespace, hash algorithm, signature field)."""
    reader = SshWireReader(blob)
    try:
        if reader.read_bytes(len(MAGIC)) != MAGIC:
            raise SshSigError("not an SSH signature (bad magic)")
        version = reader.read_uint32()
        if version != VERSION:
            raise SshSigError(f"unsupported SSH signature version {version}")
        key_blob = reader.read_string()
        namespace = reader.read_string().decode("utf-8")
        reader.read_string()  # reserved: ignored, as the protocol says
        hash_algorithm = reader.read_string().decode("ascii")
        sig_field = reader.read_string()
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, SshSigError):
            raise
        raise SshSigError("malformed SSH signature blob") from exc
    if not reader.at_end():
        raise SshSigError("SSH signature blob has trailing data")
    return key_blob, namespace, hash_algorithm, sig_field


def _ed25519_signature(field: bytes) -> bytes:
    reader = SshWireReader(field)
    try:
        algorithm = reader.read_string()
        raw = reader.read_string()
    except ValueError as exc:
        raise SshSigError("malformed signature field") from exc
    if algorithm != SSH_ED25519.encode():
        raise SshSigError(
            f"unsupported signature algorithm {algorithm.decode('ascii', 'replace')!r}"
        )
    if len(raw) != 64 or not reader.at_end():
        raise SshSigError("malformed ssh-ed25519 signature")
    return raw


def sshsig_verify(armored: str, message: bytes, namespace: str) -> Ed25519PublicKey:
    """Verify an armored SSH signature over `message`; return the signer's key.

    The caller must still compare the returned key with the pinned one.
    """
    key_blob, got_namespace, hash_algorithm, sig_field = _parse_blob(_dearmor(armored))
    if got_namespace != namespace:
        raise SshSigError(f"namespace mismatch: signed for {got_namespace!r}, not {namespace!r}")
    if hash_algorithm not in _HASHES:
        raise SshSigError(f"unsupported hash algorithm {hash_algorithm!r}")
    try:
        pub = public_key_from_blob(key_blob)
    except HourproofKeyError as exc:
        raise SshSigError(str(exc)) from exc
    signature = _ed25519_signature(sig_field)
    try:
        pub.verify(signature, _signed_data(namespace, hash_algorithm, message))
    except InvalidSignature as exc:
        raise SshSigError("signature does not match the message") from exc
    return pub
