"""Unlocking an encrypted signing key from the desktop app (no terminal to prompt on).

``needs_passphrase`` says whether the app must ask; ``unlock`` checks a typed
passphrase and then loads the key through the same path as every other caller
(``App.key``: home checks, foreign-key refusal), optionally remembering the
passphrase in the OS keyring. A wrong passphrase is ``WrongPassphrase`` (the dialog
asks again), never a silent plaintext fallback.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from hourproof.ledger import keys
from hourproof.services import keyfile
from hourproof.services.app import App
from hourproof.services.errors import ServiceError


class WrongPassphrase(ServiceError):
    """The typed passphrase does not decrypt the signing key."""


def needs_passphrase(app: App) -> bool:
    """True when the key file is encrypted and neither the environment nor the keyring
    holds a passphrase (a wrong stored one also means: ask)."""
    path = app.key_path
    if os.environ.get(keyfile.ENV_PASSPHRASE) is not None or not path.exists():
        return False
    try:
        data = path.read_bytes()
        keys.load_private_openssh(data, None)
        return False
    except keys.PassphraseRequired:
        pass
    except (OSError, keys.HourproofKeyError):
        return False  # App.key reports the problem in its own words
    stored = keyfile._keyring_get(path)
    if stored is None:
        return True
    try:
        keys.load_private_openssh(data, stored)
    except keys.HourproofKeyError:
        return True
    return False


@contextmanager
def _passphrase_env(passphrase: str) -> Iterator[None]:
    before = os.environ.get(keyfile.ENV_PASSPHRASE)
    os.environ[keyfile.ENV_PASSPHRASE] = passphrase
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(keyfile.ENV_PASSPHRASE, None)
        else:
            os.environ[keyfile.ENV_PASSPHRASE] = before


def unlock(app: App, passphrase: str, remember: bool = False) -> str | None:
    """Load the app's key with ``passphrase``; WrongPassphrase when it does not fit.

    Returns a note for the user when ``remember`` failed (no keyring), else None."""
    try:
        keys.load_private_openssh(app.key_path.read_bytes(), passphrase.encode())
    except keys.WrongPassphrase as exc:
        raise WrongPassphrase("wrong passphrase for the signing key") from exc
    except keys.PassphraseRequired as exc:
        raise WrongPassphrase("the signing key needs a passphrase") from exc
    except OSError as exc:
        raise ServiceError(f"cannot read the signing key {app.key_path}: {exc.strerror}") from exc
    except keys.HourproofKeyError as exc:
        raise ServiceError(f"the signing key {app.key_path} is damaged ({exc})") from exc
    with _passphrase_env(passphrase):
        _ = app.key  # the usual checks (missing or foreign key over signed history)
    if remember:
        try:
            keyfile.keyring_store(app.key_path, passphrase)
        except ServiceError as exc:
            return f"the passphrase was not stored: {exc}"
        except Exception as exc:  # a keyring backend failing in its own way
            return f"the passphrase was not stored: {type(exc).__name__}: {exc}"
    return None
