"""The installation's signing key: made on first use, kept as a 0600 OpenSSH file.

Passphrase sources, in order: ``HOURPROOF_PASSPHRASE`` (empty means none), the OS
keyring (when a real backend exists), a terminal prompt. Never a prompt when stdin
is not a terminal, and never a silent plaintext fallback for an encrypted key.
With no source left the error is ``KeyLocked`` (a stale keyring passphrase:
``StoredPassphraseWrong``), so the desktop app can ask and try again
(``services.unlock.run_unlocked``); the CLI prints the same sentence as before.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hourproof.ledger import keys
from hourproof.services.errors import ServiceError

ENV_PASSPHRASE = "HOURPROOF_PASSPHRASE"
KEYRING_SERVICE = "hourproof"


class KeyLocked(ServiceError):
    """The key is encrypted and this process has no passphrase for it (none in the
    environment or the keyring, no terminal to ask on). The desktop app asks then."""


class StoredPassphraseWrong(KeyLocked):
    """The passphrase kept in the OS keyring no longer opens the key (it was changed,
    e.g. with ``hourproof key passphrase``): the desktop app asks for the new one."""


def _keyring_get(path: Path) -> bytes | None:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        if isinstance(keyring.get_keyring(), fail.Keyring):
            return None
        secret = keyring.get_password(KEYRING_SERVICE, str(path))
    except Exception:
        return None
    return secret.encode() if secret else None


def keyring_store(path: Path, passphrase: str) -> None:
    """Remember the passphrase in the OS keyring, or explain why not."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError as exc:
        raise ServiceError("the keyring package is not installed") from exc
    if isinstance(keyring.get_keyring(), fail.Keyring):
        raise ServiceError("no OS keyring is available on this system")
    keyring.set_password(KEYRING_SERVICE, str(path), passphrase)


def _prompt(message: str) -> bytes | None:
    if not sys.stdin or not sys.stdin.isatty():
        return None
    import getpass

    try:
        return getpass.getpass(message).encode()
    except EOFError as exc:
        raise ServiceError("no passphrase was typed (end of input); nothing was signed") from exc


def write_key(path: Path, key: Ed25519PrivateKey, passphrase: bytes | None) -> None:
    """Write the key file atomically with mode 0600."""
    from hourproof.services.homecheck import write_private

    write_private(path, keys.private_key_to_openssh(key, passphrase or None))
    pub = path.with_name(path.name + ".pub")
    pub.write_text(keys.public_key_openssh(key.public_key(), "hourproof") + "\n")


def create_key(path: Path) -> Ed25519PrivateKey:
    env = os.environ.get(ENV_PASSPHRASE)
    key = keys.generate_key()
    write_key(path, key, env.encode() if env else None)
    return key


def load_key(path: Path, create: bool = True) -> Ed25519PrivateKey:
    """Load the signing key, asking for a passphrase only where it may."""
    if not path.exists():
        if not create:
            raise ServiceError(f"no signing key at {path}")
        return create_key(path)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise ServiceError(
            f"signing key {path} is readable by others (mode {mode:o}); chmod 600 it"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ServiceError(
            f"cannot read the signing key {path} ({exc.strerror}): fix its permissions or "
            "restore it from your backup of the home folder"
        ) from exc
    try:
        return keys.load_private_openssh(data, None)
    except keys.PassphraseRequired:
        pass
    except keys.HourproofKeyError as exc:
        raise ServiceError(
            f"the signing key {path} is damaged ({exc}): restore it from your backup of the "
            "home folder"
        ) from exc
    env = os.environ.get(ENV_PASSPHRASE)
    candidates: list[tuple[str, bytes | None]] = []
    if env is not None:
        candidates.append((ENV_PASSPHRASE, env.encode() or None))
    else:
        candidates.append(("the OS keyring", _keyring_get(path)))
    for source, passphrase in candidates:
        if passphrase is None:
            continue
        try:
            return keys.load_private_openssh(data, passphrase)
        except keys.WrongPassphrase as exc:
            message = f"wrong passphrase for the signing key (from {source})"
            if env is None:
                raise StoredPassphraseWrong(message) from exc
            raise ServiceError(message) from exc
    if env is None:
        typed = _prompt("Passphrase for the hourproof signing key: ")
        if typed is not None:
            try:
                return keys.load_private_openssh(data, typed)
            except keys.WrongPassphrase as exc:
                raise ServiceError("wrong passphrase for the signing key") from exc
    raise KeyLocked(
        "the signing key is encrypted: set HOURPROOF_PASSPHRASE, store the passphrase in the "
        "keyring, or run in a terminal"
    )
