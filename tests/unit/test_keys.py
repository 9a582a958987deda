"""Key encodings: OpenSSH files and lines (checked against ssh-keygen), C2SP verifier keys."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hourproof.ledger import keys
from hourproof.ledger.keys import (
    HourproofKeyError,
    KeyFileError,
    PassphraseRequired,
    WrongPassphrase,
)

SSH_KEYGEN = shutil.which("ssh-keygen")
needs_ssh_keygen = pytest.mark.skipif(
    SSH_KEYGEN is None, reason="ssh-keygen (openssh-client) is not installed"
)

# Test vector from Go's golang.org/x/mod/sumdb/note tests.
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_PUB = Ed25519PublicKey.from_public_bytes(
    base64.b64decode("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")[1:]
)


def run_ssh_keygen(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    assert SSH_KEYGEN is not None
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "LC_ALL": "C"}
    return subprocess.run(
        [SSH_KEYGEN, *args],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )


def write_secret(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    path.chmod(0o600)
    return path


def raw(pub: Ed25519PublicKey) -> bytes:
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# --- OpenSSH interoperability ---------------------------------------------------------


@needs_ssh_keygen
def test_fingerprint_matches_ssh_keygen_l(tmp_path: Path) -> None:
    pub = keys.generate_key().public_key()
    (tmp_path / "key.pub").write_text(keys.public_key_openssh(pub, "me") + "\n")
    result = run_ssh_keygen(tmp_path, "-l", "-f", "key.pub")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().split()[1] == keys.fingerprint(pub)


@needs_ssh_keygen
def test_unencrypted_key_file_opens_in_ssh_keygen(tmp_path: Path) -> None:
    key = keys.generate_key()
    write_secret(tmp_path / "key", keys.private_key_to_openssh(key, None))
    result = run_ssh_keygen(tmp_path, "-y", "-f", "key")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().split()[:2] == keys.public_key_openssh(key.public_key()).split()


@needs_ssh_keygen
def test_encrypted_key_file_opens_in_ssh_keygen_with_passphrase(tmp_path: Path) -> None:
    key = keys.generate_key()
    write_secret(tmp_path / "key", keys.private_key_to_openssh(key, b"pass"))
    result = run_ssh_keygen(tmp_path, "-y", "-P", "pass", "-f", "key")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().split()[:2] == keys.public_key_openssh(key.public_key()).split()


@needs_ssh_keygen
def test_encrypted_key_file_refuses_wrong_passphrase_in_ssh_keygen(tmp_path: Path) -> None:
    write_secret(tmp_path / "key", keys.private_key_to_openssh(keys.generate_key(), b"pass"))
    assert run_ssh_keygen(tmp_path, "-y", "-P", "nope", "-f", "key").returncode != 0


@needs_ssh_keygen
def test_ssh_keygen_key_loads(tmp_path: Path) -> None:
    made = run_ssh_keygen(tmp_path, "-q", "-t", "ed25519", "-N", "", "-C", "x", "-f", "key")
    assert made.returncode == 0, made.stderr
    key = keys.load_private_openssh((tmp_path / "key").read_bytes(), None)
    expected = (tmp_path / "key.pub").read_text().split()[:2]
    assert keys.public_key_openssh(key.public_key()).split() == expected


@needs_ssh_keygen
def test_ssh_keygen_encrypted_key_loads_with_passphrase(tmp_path: Path) -> None:
    made = run_ssh_keygen(tmp_path, "-q", "-t", "ed25519", "-N", "secret", "-f", "key")
    assert made.returncode == 0, made.stderr
    key = keys.load_private_openssh((tmp_path / "key").read_bytes(), b"secret")
    expected = (tmp_path / "key.pub").read_text().split()[:2]
    assert keys.public_key_openssh(key.public_key()).split() == expected


@needs_ssh_keygen
def test_ssh_keygen_encrypted_key_with_wrong_passphrase_raises(tmp_path: Path) -> None:
    made = run_ssh_keygen(tmp_path, "-q", "-t", "ed25519", "-N", "secret", "-f", "key")
    assert made.returncode == 0, made.stderr
    with pytest.raises(WrongPassphrase):
        keys.load_private_openssh((tmp_path / "key").read_bytes(), b"Secret")


@needs_ssh_keygen
def test_ssh_keygen_rsa_key_is_rejected(tmp_path: Path) -> None:
    made = run_ssh_keygen(tmp_path, "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", "key")
    assert made.returncode == 0, made.stderr
    with pytest.raises(KeyFileError, match="ssh-rsa"):
        keys.load_private_openssh((tmp_path / "key").read_bytes(), None)


# --- Private key files, pure ----------------------------------------------------------


def test_encrypted_key_round_trips_with_passphrase() -> None:
    key = keys.generate_key()
    data = keys.private_key_to_openssh(key, b"correct horse")
    loaded = keys.load_private_openssh(data, b"correct horse")
    assert raw(loaded.public_key()) == raw(key.public_key())


def test_passphrase_encrypts_the_file() -> None:
    data = keys.private_key_to_openssh(keys.generate_key(), b"pw")
    with pytest.raises(PassphraseRequired):
        keys.load_private_openssh(data, None)


def test_wrong_passphrase_raises_wrong_passphrase() -> None:
    data = keys.private_key_to_openssh(keys.generate_key(), b"right")
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        keys.load_private_openssh(data, b"wrong")


def test_empty_passphrase_means_unencrypted() -> None:
    key = keys.generate_key()
    loaded = keys.load_private_openssh(keys.private_key_to_openssh(key, b""), None)
    assert raw(loaded.public_key()) == raw(key.public_key())


def test_passphrase_for_unencrypted_file_is_ignored() -> None:
    key = keys.generate_key()
    loaded = keys.load_private_openssh(keys.private_key_to_openssh(key, None), b"unused")
    assert raw(loaded.public_key()) == raw(key.public_key())


def test_pkcs8_pem_is_not_an_openssh_key_file() -> None:
    pem = keys.generate_key().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(KeyFileError, match="not an OpenSSH private key"):
        keys.load_private_openssh(pem, None)


def test_truncated_key_file_raises_key_file_error() -> None:
    lines = keys.private_key_to_openssh(keys.generate_key(), None).splitlines()
    truncated = b"\n".join([lines[0], lines[1][:20], lines[-1]]) + b"\n"
    with pytest.raises(KeyFileError):
        keys.load_private_openssh(truncated, None)


def test_rsa_key_file_is_rejected() -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    data = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )
    with pytest.raises(KeyFileError, match="Ed25519"):
        keys.load_private_openssh(data, None)


def test_key_errors_share_one_base() -> None:
    for error in (KeyFileError, PassphraseRequired, WrongPassphrase):
        assert issubclass(error, HourproofKeyError)


# --- Public keys ----------------------------------------------------------------------


def test_public_key_blob_is_ssh_wire_format() -> None:
    pub = keys.generate_key().public_key()
    expected = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + raw(pub)
    assert keys.public_key_blob(pub) == expected


def test_public_key_openssh_line_carries_comment() -> None:
    pub = keys.generate_key().public_key()
    line = keys.public_key_openssh(pub, "me@laptop")
    assert line.startswith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI")
    assert line.endswith(" me@laptop")


def test_public_key_openssh_line_parses_back() -> None:
    pub = keys.generate_key().public_key()
    parsed = keys.parse_public_key_openssh(keys.public_key_openssh(pub, "c"))
    assert raw(parsed) == raw(pub)


def test_public_key_blob_with_trailing_bytes_is_rejected() -> None:
    blob = keys.public_key_blob(keys.generate_key().public_key()) + b"\x00"
    with pytest.raises(HourproofKeyError):
        keys.public_key_from_blob(blob)


def test_fingerprint_is_unpadded_base64_sha256_of_blob() -> None:
    pub = keys.generate_key().public_key()
    digest = hashlib.sha256(keys.public_key_blob(pub)).digest()
    expected = "SHA256:" + base64.b64encode(digest).decode().rstrip("=")
    assert keys.fingerprint(pub) == expected
    assert "=" not in keys.fingerprint(pub)


def test_log_origin_is_prefix_of_blob_hash() -> None:
    pub = keys.generate_key().public_key()
    digest = hashlib.sha256(keys.public_key_blob(pub)).hexdigest()
    assert keys.log_origin(pub) == "hourproof.local/" + digest[:16]


def test_log_origin_differs_between_keys() -> None:
    a, b = keys.generate_key().public_key(), keys.generate_key().public_key()
    assert keys.log_origin(a) != keys.log_origin(b)


# --- allowed_signers ------------------------------------------------------------------


def test_allowed_signers_line_format() -> None:
    pub = keys.generate_key().public_key()
    line = keys.allowed_signers_line("alice@example.com", pub)
    expected = (
        f'alice@example.com namespaces="hourproof-manifest-v1" {keys.public_key_openssh(pub)}'
    )
    assert line == expected


def test_allowed_signers_line_rejects_identity_with_space() -> None:
    with pytest.raises(ValueError):
        keys.allowed_signers_line("alice smith", keys.generate_key().public_key())


def test_allowed_signers_round_trip() -> None:
    pub = keys.generate_key().public_key()
    [signer] = keys.parse_allowed_signers(keys.allowed_signers_line("a@b.c", pub) + "\n")
    assert signer.principals == ("a@b.c",)
    assert raw(signer.public_key) == raw(pub)
    assert signer.namespaces == ("hourproof-manifest-v1",)


def test_allowed_signers_skips_comments_and_blank_lines() -> None:
    pub = keys.generate_key().public_key()
    text = "# contractor key\n\n   \n" + keys.allowed_signers_line("a@b.c", pub) + "\n"
    assert len(keys.parse_allowed_signers(text)) == 1


def test_allowed_signers_without_options_allows_any_namespace() -> None:
    pub = keys.generate_key().public_key()
    [signer] = keys.parse_allowed_signers(f"a@b.c,d@e.f {keys.public_key_openssh(pub, 'c')}")
    assert signer.principals == ("a@b.c", "d@e.f")
    assert signer.namespaces is None


def test_allowed_signers_rejects_unsupported_option() -> None:
    pub = keys.generate_key().public_key()
    with pytest.raises(KeyFileError, match="line 1"):
        keys.parse_allowed_signers(f"a@b.c cert-authority {keys.public_key_openssh(pub)}")


def test_allowed_signers_rejects_other_key_types() -> None:
    with pytest.raises(KeyFileError, match="ssh-rsa"):
        keys.parse_allowed_signers("a@b.c ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ")


def test_allowed_signers_rejects_bad_base64() -> None:
    with pytest.raises(KeyFileError, match="base64"):
        keys.parse_allowed_signers("a@b.c ssh-ed25519 AAAA*notbase64")


# --- C2SP verifier keys ---------------------------------------------------------------


def test_key_id_matches_go_note_vector() -> None:
    assert keys.key_id("PeterNeumann", PETER_PUB) == bytes.fromhex("c74f20a3")


def test_verifier_key_matches_go_note_vector() -> None:
    assert keys.verifier_key("PeterNeumann", PETER_PUB) == PETER_VKEY


def test_verifier_key_round_trips() -> None:
    pub = keys.generate_key().public_key()
    name = keys.log_origin(pub)
    parsed_name, parsed = keys.parse_verifier_key(keys.verifier_key(name, pub))
    assert (parsed_name, raw(parsed)) == (name, raw(pub))


@pytest.mark.parametrize(
    "vkey",
    [
        # unknown algorithm byte, key id adjusted (from Go's note tests)
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        # wrong key length, key id adjusted (from Go's note tests)
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeuman+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T*",
        "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3",
        "",
    ],
)
def test_parse_verifier_key_rejects_bad_key(vkey: str) -> None:
    with pytest.raises(HourproofKeyError):
        keys.parse_verifier_key(vkey)


def test_parse_verifier_key_rejects_every_substring_and_single_char_change() -> None:
    bad: list[str] = []
    for i in range(len(PETER_VKEY) + 1):
        for j in range(i + 1, len(PETER_VKEY) + 1):
            if (i, j) != (0, len(PETER_VKEY)):
                bad.append(PETER_VKEY[i:j])
    for i, ch in enumerate(PETER_VKEY):
        bad.append(PETER_VKEY[:i] + chr(ord(ch) + 1) + PETER_VKEY[i + 1 :])
    accepted = []
    for vkey in bad:
        try:
            keys.parse_verifier_key(vkey)
        except HourproofKeyError:
            continue
        accepted.append(vkey)
    assert accepted == []


def test_verifier_key_rejects_name_with_plus() -> None:
    with pytest.raises(ValueError):
        keys.verifier_key("a+b", keys.generate_key().public_key())
