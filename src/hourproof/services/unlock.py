"""Unlocking an encrypted signing key from the desktop app (no terminal to prompt on).

``needs_passphrase`` says whether the app must ask; ``unlock`` checks a typed
passphrase and then loads the key through the same path as every other caller
(``App.key``: home checks, foreign-key refusal), optionally remembering the
passphrase in the OS keyring. A wrong passphrase is ``WrongPassphrase`` (the dialog
asks again), never a silent plaintext fallback.

When the key is needed later (the user cancelled at start, or the keyring's passphrase
went stale), ``run_unlocked`` runs a job; a job that meets the locked key
(``keyfile.KeyLocked``, raised inside its write transaction, which is then rolled
back: nothing of it was written) makes it ``ask`` for a passphrase, unlock, and run
the job again. ``ask`` answering None (Cancel) ends in ``StillLocked``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from hourproof.ledger import keys
from hourproof.services import keyfile
from hourproof.services.app import App, Txn
from hourproof.services.errors import ServiceError

T = TypeVar("T")

#: What a passphrase prompt answers: (passphrase, keep it in the keyring) or None (Cancel).
Answer = tuple[str, bool] | None
#: Why the prompt is shown again or first: None (the key is locked), "wrong" (the typed
#: passphrase did not fit) or "stored-wrong" (the keyring's passphrase no longer fits).
Problem = str | None


class WrongPassphrase(ServiceError):
    """The typed passphrase does not decrypt the signing key."""


class StillLocked(ServiceError):
    """The user cancelled the passphrase prompt; the job was not done."""


def is_unlocked(app: App) -> bool:
    """True when this App holds its signing key already (no prompt can be needed)."""
    return "key" in app.__dict__  # App.key is a cached_property


_asking = threading.Lock()  # one prompt at a time, whichever thread meets the lock


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


def checkpoint_unless_locked(txn: Txn) -> None:
    """Sign a checkpoint in ``txn``; in the desktop app with its key locked
    (``app.sign_later``) leave it to the next one instead (background evidence is
    recorded either way; nothing else of the transaction depends on the signature)."""
    try:
        txn.checkpoint()
    except keyfile.KeyLocked:
        if not txn.app.sign_later:
            raise


def ask_until_unlocked(app: App, ask: Callable[[Problem], Answer], problem: Problem = None) -> None:
    """Ask until a passphrase fits (each wrong one asks again, saying so); StillLocked
    when ``ask`` answers None. A keyring note from ``unlock`` is dropped here: the
    passphrase did unlock the key."""
    while True:
        answer = ask(problem)
        if answer is None:
            raise StillLocked("the signing key stayed locked, so nothing was signed or recorded")
        try:
            unlock(app, answer[0], answer[1])
            return
        except WrongPassphrase:
            problem = "wrong"


def run_unlocked(app: App, job: Callable[[], T], ask: Callable[[Problem], Answer]) -> T:
    """Run ``job``; if it meets the locked key, ask for the passphrase and run it again.

    Safe because every service meets the key inside its write transaction (or before
    writing anything), and a ``KeyLocked`` there rolls the transaction back."""
    try:
        return job()
    except keyfile.KeyLocked as exc:
        stale = isinstance(exc, keyfile.StoredPassphraseWrong)
        problem: Problem = "stored-wrong" if stale else None
    with _asking:
        if not is_unlocked(app):  # another job may have unlocked it while we waited
            ask_until_unlocked(app, ask, problem)
    return job()
