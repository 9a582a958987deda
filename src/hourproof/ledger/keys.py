"""The installation's Ed25519 key in the encodings other tools expect.

One key signs everything: checkpoints (C2SP signed notes) and bundle manifests
(SSHSIG). So it must round-trip through OpenSSH's private key file (ssh-keygen
reads it), print the same fingerprint `ssh-keygen -l` prints, and appear both as
an `allowed_signers` line and as a C2SP verifier key. Pure: bytes and str in and
out, no file access.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from typing import NamedTuple

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

SSH_ED25519 = "ssh-ed25519"
MANIFEST_NAMESPACE = "hourproof-manifest-v1"
LOG_ORIGIN_PREFIX = "hourproof.local/"
C2SP_ED25519 = 0x01  # signed-note signature type byte for Ed25519

_PEM_BEGIN = b"-----BEGIN OPENSSH PRIVATE KEY-----"
_PEM_END = b"-----END OPENSSH PRIVATE KEY-----"
_KEY_MAGIC = b"openssh-key-v1\x00"


class HourproofKeyError(Exception):
    """Base of every key handling error; the message is one line for the user."""


class KeyFileError(HourproofKeyError):
    """The key file is not a usable OpenSSH Ed25519 private key."""


class PassphraseRequired(HourproofKeyError):
    """The key file is encrypted and no passphrase was given."""


class WrongPassphrase(HourproofKeyError):
    """The passphrase does not decrypt the key file."""


# --- SSH wire encoding (RFC 4251 §5) -------------------------------------------------


def ssh_string(data: bytes) -> bytes:
    """Encode `data` as an SSH `string`: uint32 big-endian length, then the bytes."""
    return struct.pack(">I", len(data)) + data


class SshWireReader:
    """Reads SSH wire fields from a byte string; raises ValueError when truncated."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def read_bytes(self, n: int) -> bytes:
        if n < 0 or self._pos + n > len(self._data):
            raise ValueError("truncated SSH data")
        out = self._data[self._pos : self._pos + n]
        self._pos += n
        return out

    def read_uint32(self) -> int:
        value: int = struct.unpack(">I", self.read_bytes(4))[0]
        return value

    def read_string(self) -> bytes:
        return self.read_bytes(self.read_uint32())

    def at_end(self) -> bool:
        return self._pos == len(self._data)


# --- Private keys ---------------------------------------------------------------------


def generate_key() -> Ed25519PrivateKey:
    """Make a fresh installation key."""
    return Ed25519PrivateKey.generate()


def private_key_to_openssh(key: Ed25519PrivateKey, passphrase: bytes | None) -> bytes:
    """Serialize as an OpenSSH private key file; aes256-ctr + bcrypt KDF with a passphrase.

    An empty passphrase means no encryption, as with `ssh-keygen -N ""`.
    Encrypting needs the `bcrypt` package (cryptography uses it for the KDF).
    """
    # Imported here: OpenSSH key files pull in cryptography's ssh, cipher and bcrypt
    # modules, which a verifier (public keys only) never needs.
    from cryptography.hazmat.primitives import serialization

    encryption: serialization.KeySerializationEncryption = serialization.NoEncryption()
    if passphrase:
        encryption = serialization.BestAvailableEncryption(passphrase)
    try:
        return key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, encryption
        )
    except UnsupportedAlgorithm as exc:
        raise KeyFileError("encrypting an OpenSSH key file needs the 'bcrypt' package") from exc


def _key_file_header(data: bytes) -> tuple[str, bytes]:
    """Return (cipher name, first public key blob) from an OpenSSH private key file."""
    text = data.strip()
    if not text.startswith(_PEM_BEGIN) or not text.endswith(_PEM_END):
        raise KeyFileError("not an OpenSSH private key file (expected 'BEGIN OPENSSH PRIVATE KEY')")
    body = b"".join(text[len(_PEM_BEGIN) : -len(_PEM_END)].split())
    try:
        raw = base64.b64decode(body, validate=True)
        reader = SshWireReader(raw)
        if reader.read_bytes(len(_KEY_MAGIC)) != _KEY_MAGIC:
            raise KeyFileError("not an OpenSSH private key file (bad magic)")
        cipher = reader.read_string().decode("ascii")
        reader.read_string()  # kdf name
        reader.read_string()  # kdf options
        if reader.read_uint32() != 1:
            raise KeyFileError("OpenSSH key file must hold exactly one key")
        blob = reader.read_string()
    except ValueError as exc:  # includes binascii.Error and UnicodeDecodeError
        raise KeyFileError("corrupt OpenSSH private key file") from exc
    return cipher, blob


def load_private_openssh(data: bytes, passphrase: bytes | None) -> Ed25519PrivateKey:
    """Load an OpenSSH Ed25519 private key file, decrypting it with `passphrase` if needed.

    A passphrase given for an unencrypted file is ignored.
    """
    cipher, blob = _key_file_header(data)
    try:
        key_type = SshWireReader(blob).read_string()
    except ValueError as exc:
        raise KeyFileError("corrupt public key in the OpenSSH key file") from exc
    if key_type != SSH_ED25519.encode():
        shown = key_type.decode("ascii", "replace") or "unknown"
        raise KeyFileError(f"unsupported key type {shown!r}: hourproof needs an Ed25519 key")
    encrypted = cipher != "none"
    if encrypted and not passphrase:
        raise PassphraseRequired("the key file is encrypted: a passphrase is required")
    from cryptography.hazmat.primitives import serialization

    try:
        key = serialization.load_ssh_private_key(data, passphrase if encrypted else None)
    except UnsupportedAlgorithm as exc:
        raise KeyFileError(f"cannot decrypt the key file: {exc}") from exc
    except ValueError as exc:
        if encrypted and "checksum" in str(exc):
            raise WrongPassphrase("wrong passphrase for the key file") from exc
        raise KeyFileError(f"corrupt OpenSSH private key file: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError("the key file does not hold an Ed25519 key")
    return key


# --- Public keys in OpenSSH form ------------------------------------------------------


def _raw_public(pub: Ed25519PublicKey) -> bytes:
    return pub.public_bytes_raw()


def public_key_blob(pub: Ed25519PublicKey) -> bytes:
    """The SSH wire blob: string "ssh-ed25519", string 32-byte key."""
    return ssh_string(SSH_ED25519.encode()) + ssh_string(_raw_public(pub))


def public_key_from_blob(blob: bytes) -> Ed25519PublicKey:
    """Parse an SSH wire public key blob; only ssh-ed25519 is accepted."""
    try:
        reader = SshWireReader(blob)
        key_type = reader.read_string()
        raw = reader.read_string()
    except ValueError as exc:
        raise HourproofKeyError("malformed SSH public key blob") from exc
    if key_type != SSH_ED25519.encode():
        raise HourproofKeyError(
            f"unsupported key type {key_type.decode('ascii', 'replace')!r}: need ssh-ed25519"
        )
    if len(raw) != 32 or not reader.at_end():
        raise HourproofKeyError("malformed ssh-ed25519 public key blob")
    return Ed25519PublicKey.from_public_bytes(raw)


def public_key_openssh(pub: Ed25519PublicKey, comment: str = "") -> str:
    """The one-line `ssh-ed25519 AAAA… comment` form used in authorized_keys and .pub files."""
    if any(ch in comment for ch in "\r\n"):
        raise ValueError("key comment must be a single line")
    line = f"{SSH_ED25519} {base64.b64encode(public_key_blob(pub)).decode('ascii')}"
    return f"{line} {comment}" if comment else line


def parse_public_key_openssh(line: str) -> Ed25519PublicKey:
    """Parse `ssh-ed25519 AAAA… [comment]`; the type word must match the blob."""
    parts = line.strip().split(None, 2)
    if len(parts) < 2:
        raise HourproofKeyError("expected 'ssh-ed25519 <base64 key>'")
    if parts[0] != SSH_ED25519:
        raise HourproofKeyError(f"unsupported key type {parts[0]!r}: need ssh-ed25519")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except binascii.Error as exc:
        raise HourproofKeyError("public key is not valid base64") from exc
    return public_key_from_blob(blob)


def fingerprint(pub: Ed25519PublicKey) -> str:
    """`SHA256:<unpadded base64>`, exactly the hash part `ssh-keygen -l` prints."""
    digest = hashlib.sha256(public_key_blob(pub)).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def log_origin(pub: Ed25519PublicKey) -> str:
    """Checkpoint origin and note key name of this key's log: stable per key."""
    return LOG_ORIGIN_PREFIX + hashlib.sha256(public_key_blob(pub)).hexdigest()[:16]


# --- allowed_signers (ssh-keygen(1) "ALLOWED SIGNERS") --------------------------------


class AllowedSigner(NamedTuple):
    """One allowed_signers line: who, which key, and for which namespaces (None = any)."""

    principals: tuple[str, ...]
    public_key: Ed25519PublicKey
    namespaces: tuple[str, ...] | None


def _check_token(value: str, what: str) -> None:
    if not value or any(ch.isspace() or ch in '",' or ord(ch) < 0x20 for ch in value):
        raise ValueError(f"{what} must be non-empty without spaces, quotes or commas: {value!r}")


def allowed_signers_line(
    identity: str, pub: Ed25519PublicKey, namespace: str = MANIFEST_NAMESPACE
) -> str:
    """`identity namespaces="ns" ssh-ed25519 AAAA…` for `ssh-keygen -Y verify -f`."""
    _check_token(identity, "identity")
    _check_token(namespace, "namespace")
    return f'{identity} namespaces="{namespace}" {public_key_openssh(pub)}'


def _split_fields(line: str) -> list[str]:
    """Split on unquoted whitespace; double quotes group (and are kept)."""
    fields: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        if ch.isspace() and not quoted:
            if current:
                fields.append("".join(current))
                current = []
            continue
        current.append(ch)
    if quoted:
        raise ValueError("unterminated quote")
    if current:
        fields.append("".join(current))
    return fields


def _parse_options(text: str) -> tuple[str, ...] | None:
    """Parse the options field; only `namespaces="…"` is supported."""
    namespaces: tuple[str, ...] | None = None
    options: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            options.append("".join(current))
            current = []
            continue
        current.append(ch)
    options.append("".join(current))
    for option in options:
        name, _, value = option.partition("=")
        if name.lower() != "namespaces":
            raise ValueError(f"unsupported option {name!r}")
        if len(value) < 2 or value[0] != '"' or value[-1] != '"':
            raise ValueError('namespaces must be a quoted list: namespaces="…"')
        namespaces = tuple(ns for ns in value[1:-1].split(",") if ns)
    return namespaces


def parse_allowed_signers(text: str) -> list[AllowedSigner]:
    """Parse an allowed_signers file (blank lines and `#` comments are skipped).

    Strict: options other than `namespaces`, and keys other than ssh-ed25519,
    are errors rather than silently ignored restrictions.
    """
    signers: list[AllowedSigner] = []
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            fields = _split_fields(line)
            if len(fields) < 3:
                raise ValueError("expected 'principals [options] ssh-ed25519 <key>'")
            principals_field = fields[0].strip('"')
            namespaces: tuple[str, ...] | None = None
            rest = fields[1:]
            if rest[0] != SSH_ED25519:
                namespaces = _parse_options(rest[0])
                rest = rest[1:]
            if len(rest) < 2:
                raise ValueError("missing key")
            pub = parse_public_key_openssh(f"{rest[0]} {rest[1]}")
        except (ValueError, HourproofKeyError) as exc:
            raise KeyFileError(f"allowed_signers line {number}: {exc}") from exc
        principals = tuple(p for p in principals_field.split(",") if p)
        if not principals:
            raise KeyFileError(f"allowed_signers line {number}: no principal")
        signers.append(AllowedSigner(principals, pub, namespaces))
    return signers


# --- C2SP signed-note verifier keys ---------------------------------------------------


def check_key_name(name: str) -> None:
    """C2SP key names: non-empty, no Unicode spaces, no '+', no control characters."""
    if not name or any(ch.isspace() or ch == "+" or ord(ch) < 0x20 for ch in name):
        raise ValueError(f"invalid note key name {name!r}")


def typed_key_id(name: str, sig_type: int, pub: Ed25519PublicKey) -> bytes:
    """SHA-256(name || 0x0A || signature type || pubkey)[:4] (c2sp.org/signed-note)."""
    data = name.encode("utf-8") + b"\n" + bytes([sig_type]) + _raw_public(pub)
    return hashlib.sha256(data).digest()[:4]


def key_id(name: str, pub: Ed25519PublicKey) -> bytes:
    """SHA-256(name || 0x0A || 0x01 || pubkey)[:4], per c2sp.org/signed-note."""
    return typed_key_id(name, C2SP_ED25519, pub)


def split_signature_line(line: str, prefix: str = "\u2014 ") -> tuple[str, bytes]:
    """(key name, decoded bytes) of a signed-note signature line ``— <name> <base64>``
    already known to start with ``prefix``: a valid key name and strict base64, else
    ValueError. The callers check the prefix and the length with their own words."""
    name, _, encoded = line[len(prefix) :].partition(" ")
    check_key_name(name)
    return name, base64.b64decode(encoded, validate=True)  # binascii.Error is a ValueError


def parse_typed_vkey(
    vkey: str, sig_type: int, wrong_type: str = "unsupported signature type 0x{:02x}"
) -> tuple[str, Ed25519PublicKey]:
    """Parse ``<name>+<hex key id>+<base64(type || Ed25519 key)>`` strictly: a valid
    name, 8 hex digits, canonical base64, signature type ``sig_type`` (else
    ``wrong_type`` formatted with the type found), 32 key bytes and the key id of name
    and key. Raises ValueError with the reason."""
    name, _, rest = vkey.partition("+")
    id_hex, _, key64 = rest.partition("+")
    check_key_name(name)
    if len(id_hex) != 8 or any(ch not in "0123456789abcdefABCDEF" for ch in id_hex):
        raise ValueError("key id must be 8 hex digits")
    try:
        raw = base64.b64decode(key64, validate=True)
    except binascii.Error as exc:
        raise ValueError("key is not valid base64") from exc
    if not raw or base64.b64encode(raw).decode("ascii") != key64:
        raise ValueError("key is not canonical base64")
    if raw[0] != sig_type:
        raise ValueError(wrong_type.format(raw[0]))
    if len(raw) != 33:
        raise ValueError("Ed25519 key must be 32 bytes")
    pub = Ed25519PublicKey.from_public_bytes(raw[1:])
    if typed_key_id(name, sig_type, pub) != bytes.fromhex(id_hex):
        raise ValueError("key id does not match name and key")
    return name, pub


def verifier_key(name: str, pub: Ed25519PublicKey) -> str:
    """`<name>+<hex key id>+<base64(0x01 || pubkey)>`, the vkey form Go's note package reads."""
    check_key_name(name)
    key = base64.b64encode(bytes([C2SP_ED25519]) + _raw_public(pub)).decode("ascii")
    return f"{name}+{key_id(name, pub).hex()}+{key}"


def parse_verifier_key(vkey: str) -> tuple[str, Ed25519PublicKey]:
    """Parse a verifier key strictly: Ed25519 type, canonical base64, matching key id."""
    try:
        return parse_typed_vkey(vkey, C2SP_ED25519)
    except ValueError as exc:
        raise HourproofKeyError(f"verifier key: {exc}") from exc
