"""SSHSIG manifest signatures, checked against the real ssh-keygen -Y sign/verify."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from hourproof.ledger import keys
from hourproof.ledger.keys import ssh_string
from hourproof.ledger.sshsig import SshSigError, sshsig_sign, sshsig_verify

NS = "hourproof-manifest-v1"
MESSAGE = b'{"format":1,"origin":"hourproof.local/0123456789abcdef"}'
SSH_KEYGEN = shutil.which("ssh-keygen")
needs_ssh_keygen = pytest.mark.skipif(
    SSH_KEYGEN is None, reason="ssh-keygen (openssh-client) is not installed"
)


def run_ssh_keygen(
    tmp_path: Path, *args: str, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    assert SSH_KEYGEN is not None
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "LC_ALL": "C"}
    return subprocess.run(
        [SSH_KEYGEN, *args],
        cwd=tmp_path,
        env=env,
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )


def write_key(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    path = tmp_path / "key"
    path.write_bytes(keys.private_key_to_openssh(key, None))
    path.chmod(0o600)
    return path


def ssh_keygen_verify(tmp_path: Path, key: Ed25519PrivateKey, sig: str, message: bytes) -> bool:
    (tmp_path / "allowed_signers").write_text(
        keys.allowed_signers_line("contractor@example.com", key.public_key()) + "\n"
    )
    (tmp_path / "manifest.json.sig").write_text(sig)
    result = run_ssh_keygen(
        tmp_path,
        "-Y", "verify",
        "-f", "allowed_signers",
        "-I", "contractor@example.com",
        "-n", NS,
        "-s", "manifest.json.sig",
        stdin=message,
    )  # fmt: skip
    return result.returncode == 0


def ssh_keygen_sign(tmp_path: Path, key: Ed25519PrivateKey, *options: str) -> str:
    write_key(tmp_path, key)
    (tmp_path / "manifest.json").write_bytes(MESSAGE)
    result = run_ssh_keygen(
        tmp_path, "-Y", "sign", "-f", "key", "-n", NS, *options, "manifest.json"
    )
    assert result.returncode == 0, result.stderr
    return (tmp_path / "manifest.json.sig").read_text()


def raw(pub: Ed25519PublicKey) -> bytes:
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def armor(blob: bytes) -> str:
    return (
        "-----BEGIN SSH SIGNATURE-----\n"
        + base64.b64encode(blob).decode()
        + ("\n-----END SSH SIGNATURE-----\n")
    )


def build_blob(
    key: Ed25519PrivateKey,
    *,
    magic: bytes = b"SSHSIG",
    version: int = 1,
    hash_alg: str = "sha512",
    sig_alg: bytes = b"ssh-ed25519",
    trailing: bytes = b"",
) -> bytes:
    """A correctly signed SSHSIG blob with one chosen field changed."""
    digest = hashlib.new(hash_alg if hash_alg in ("sha256", "sha512") else "sha512", MESSAGE)
    signed = (
        b"SSHSIG" + ssh_string(NS.encode()) + ssh_string(b"") + ssh_string(hash_alg.encode())
    ) + ssh_string(digest.digest())
    signature = ssh_string(sig_alg) + ssh_string(key.sign(signed))
    return (
        magic
        + struct.pack(">I", version)
        + ssh_string(keys.public_key_blob(key.public_key()))
        + ssh_string(NS.encode())
        + ssh_string(b"")
        + ssh_string(hash_alg.encode())
        + ssh_string(signature)
        + trailing
    )


# --- Interoperability with ssh-keygen -------------------------------------------------


@needs_ssh_keygen
def test_our_signature_verifies_with_ssh_keygen(tmp_path: Path) -> None:
    key = keys.generate_key()
    assert ssh_keygen_verify(tmp_path, key, sshsig_sign(key, MESSAGE, NS), MESSAGE)


@needs_ssh_keygen
def test_ssh_keygen_rejects_our_signature_after_one_byte_change(tmp_path: Path) -> None:
    key = keys.generate_key()
    changed = MESSAGE[:5] + bytes([MESSAGE[5] ^ 0x01]) + MESSAGE[6:]
    assert not ssh_keygen_verify(tmp_path, key, sshsig_sign(key, MESSAGE, NS), changed)


@needs_ssh_keygen
def test_ssh_keygen_rejects_our_signature_for_another_namespace(tmp_path: Path) -> None:
    key = keys.generate_key()
    assert not ssh_keygen_verify(tmp_path, key, sshsig_sign(key, MESSAGE, "file"), MESSAGE)


@needs_ssh_keygen
def test_ssh_keygen_signature_verifies_with_ours(tmp_path: Path) -> None:
    key = keys.generate_key()
    signer = sshsig_verify(ssh_keygen_sign(tmp_path, key), MESSAGE, NS)
    assert raw(signer) == raw(key.public_key())


@needs_ssh_keygen
def test_ssh_keygen_sha256_signature_verifies_with_ours(tmp_path: Path) -> None:
    key = keys.generate_key()
    signer = sshsig_verify(ssh_keygen_sign(tmp_path, key, "-O", "hashalg=sha256"), MESSAGE, NS)
    assert raw(signer) == raw(key.public_key())


@needs_ssh_keygen
def test_our_signature_is_byte_identical_to_ssh_keygen(tmp_path: Path) -> None:
    key = keys.generate_key()  # Ed25519 is deterministic, so the armor must match exactly
    assert sshsig_sign(key, MESSAGE, NS) == ssh_keygen_sign(tmp_path, key)


# --- Verification, pure ---------------------------------------------------------------


def test_verify_returns_signer_key() -> None:
    key = keys.generate_key()
    assert raw(sshsig_verify(sshsig_sign(key, MESSAGE, NS), MESSAGE, NS)) == raw(key.public_key())


def test_armor_lines_are_seventy_characters() -> None:
    lines = sshsig_sign(keys.generate_key(), MESSAGE, NS).splitlines()
    assert lines[0] == "-----BEGIN SSH SIGNATURE-----"
    assert lines[-1] == "-----END SSH SIGNATURE-----"
    assert all(len(line) == 70 for line in lines[1:-2])
    assert 0 < len(lines[-2]) <= 70


def test_wrong_namespace_is_rejected() -> None:
    sig = sshsig_sign(keys.generate_key(), MESSAGE, "git")
    with pytest.raises(SshSigError, match="namespace"):
        sshsig_verify(sig, MESSAGE, NS)


def test_modified_message_is_rejected() -> None:
    sig = sshsig_sign(keys.generate_key(), MESSAGE, NS)
    with pytest.raises(SshSigError, match="does not match"):
        sshsig_verify(sig, MESSAGE + b" ", NS)


def test_empty_namespace_cannot_be_signed() -> None:
    with pytest.raises(SshSigError):
        sshsig_sign(keys.generate_key(), MESSAGE, "")


def test_missing_header_is_rejected() -> None:
    sig = sshsig_sign(keys.generate_key(), MESSAGE, NS)
    with pytest.raises(SshSigError, match="header"):
        sshsig_verify(sig.split("\n", 1)[1], MESSAGE, NS)


def test_missing_footer_is_rejected() -> None:
    sig = sshsig_sign(keys.generate_key(), MESSAGE, NS)
    with pytest.raises(SshSigError, match="footer"):
        sshsig_verify(sig.replace("-----END SSH SIGNATURE-----", ""), MESSAGE, NS)


def test_bad_base64_is_rejected() -> None:
    sig = sshsig_sign(keys.generate_key(), MESSAGE, NS)
    lines = sig.split("\n")
    lines[1] = "*" + lines[1][1:]
    with pytest.raises(SshSigError, match="base64"):
        sshsig_verify("\n".join(lines), MESSAGE, NS)


def test_correctly_built_blob_verifies() -> None:
    key = keys.generate_key()  # guards the helper below: it only changes what it is told to
    assert raw(sshsig_verify(armor(build_blob(key)), MESSAGE, NS)) == raw(key.public_key())


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda key: build_blob(key, magic=b"SSHSIH"), "magic"),
        (lambda key: build_blob(key, version=2), "version 2"),
        (lambda key: build_blob(key, hash_alg="sha1"), "hash algorithm"),
        (lambda key: build_blob(key, sig_alg=b"rsa-sha2-512"), "signature algorithm"),
        (lambda key: build_blob(key, trailing=b"\x00"), "trailing"),
    ],
)
def test_bad_blob_field_is_rejected(
    make: Callable[[Ed25519PrivateKey], bytes], reason: str
) -> None:
    blob = make(keys.generate_key())
    with pytest.raises(SshSigError, match=reason):
        sshsig_verify(armor(blob), MESSAGE, NS)


def test_truncated_blob_is_rejected() -> None:
    blob = build_blob(keys.generate_key())
    with pytest.raises(SshSigError, match="malformed"):
        sshsig_verify(armor(blob[:-10]), MESSAGE, NS)


def test_ssh_sig_error_is_a_value_error() -> None:
    assert issubclass(SshSigError, ValueError)
