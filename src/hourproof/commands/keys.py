"""``hourproof key show`` and ``hourproof key passphrase``."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from hourproof.commands.common import open_app, print_json
from hourproof.ledger import keys
from hourproof.services.errors import ServiceError
from hourproof.services.keyfile import ENV_PASSPHRASE, keyring_store, write_key
from hourproof.services.ledger_ops import public_key


def show(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    if not app.key_path.exists():
        app.key  # noqa: B018 - made on first use
    pub = public_key(app)
    origin = keys.log_origin(pub)
    if getattr(args, "json", False):
        print_json({
            "fingerprint": keys.fingerprint(pub),
            "public_key": keys.public_key_openssh(pub, "hourproof"),
            "allowed_signers": keys.allowed_signers_line("hourproof", pub),
            "verifier_key": keys.verifier_key(origin, pub),
            "key_file": str(app.key_path),
        })  # fmt: skip
        return 0
    print(f"Fingerprint:      {keys.fingerprint(pub)}")
    print(f"Public key:       {keys.public_key_openssh(pub, 'hourproof')}")
    print(f"allowed_signers:  {keys.allowed_signers_line('hourproof', pub)}")
    print(f"Verifier key:     {keys.verifier_key(origin, pub)}")
    from hourproof.ledger.cosignature import client_cosigner_name, cosigner_vkey

    print(f"Cosigner key:     {cosigner_vkey(client_cosigner_name(pub), pub)} (your approvals)")
    print(f"Key file:         {app.key_path}")
    return 0


def passphrase(args: argparse.Namespace) -> int:
    app = open_app(args, lean=True)
    key = app.key
    if args.remove:
        write_key(app.key_path, key, None)
        print("The signing key is now stored without a passphrase.")
        return 0
    new = os.environ.get("HOURPROOF_NEW_PASSPHRASE")
    if new is None:
        if not sys.stdin.isatty():
            raise ServiceError("no terminal to ask for a passphrase: set HOURPROOF_NEW_PASSPHRASE")
        try:
            new = getpass.getpass("New passphrase: ")
            again = getpass.getpass("Again: ")
        except EOFError as exc:
            raise ServiceError("no passphrase was typed (end of input); nothing changed") from exc
        if again != new:
            raise ServiceError("the passphrases differ; nothing changed")
    if not new:
        raise ServiceError("empty passphrase; use --remove to store the key unencrypted")
    write_key(app.key_path, key, new.encode())
    if args.keyring:
        keyring_store(app.key_path, new)
        print("Passphrase set and kept in the OS keyring.")
    else:
        print(f"Passphrase set. Commands that sign will ask for it (or read {ENV_PASSPHRASE}).")
    return 0
