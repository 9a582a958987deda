"""Never hand the user a fresh ledger in place of a signed one (issue 9).

Three things outside the database remember what was signed, and each open of the
home checks the database against them:

- ``signed.checkpoint``: the newest signed checkpoint, rewritten atomically after
  the transaction that signed it commits. A database behind it (a lost WAL tail, an
  older copy put back) or one that does not hold it (another home's) is refused with
  the number of leaves missing and the newest backup that has them.
- the signing key: made only for a home whose ledger is empty; a missing, unreadable
  or foreign key over signed history is an error, never a new key.
- the backups folder: a missing or empty database in a home that has backups (or a
  signed head) is refused instead of being created afresh.

Every check here is cheap (a file read and one indexed query), because every
command pays for it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from hourproof.home import Home
from hourproof.services.errors import ServiceError
from hourproof.store.durable import atomic_write
from hourproof.store.ledger import CheckpointTable, LeafTable

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

    from hourproof.services.app import App

#: A daily backup is taken on open when the newest one is older than this.
BACKUP_EVERY = timedelta(days=1)
MAX_HEAD_BYTES = 64 * 1024


class HomeDamaged(ServiceError):
    """The database is missing, behind or not this home's; the message says what to do."""


@dataclass(frozen=True)
class SignedHead:
    """The newest signed checkpoint as kept beside the database."""

    size: int
    root_b64: str
    note: str


# --- the signed head file ---------------------------------------------------------------


def parse_head(note: str) -> SignedHead | None:
    """Size and root of a checkpoint note, without verifying it (cheap, no crypto)."""
    lines = note.split("\n")
    if len(lines) < 3 or not lines[1].isdigit() or not lines[1].isascii():
        return None
    return SignedHead(int(lines[1]), lines[2], note)


def read_head(home: Home) -> SignedHead | None:
    """The head file's checkpoint; a damaged file is an error (it is part of the evidence)."""
    try:
        with open(home.signed_head, "rb") as fh:
            data = fh.read(MAX_HEAD_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise HomeDamaged(
            f"cannot read {home.signed_head}: {exc.strerror or exc}; fix its permissions"
        ) from exc
    head = None
    if len(data) <= MAX_HEAD_BYTES:
        with contextlib.suppress(UnicodeDecodeError):
            head = parse_head(data.decode("utf-8"))
    if head is None:
        raise HomeDamaged(
            f"{home.signed_head} is damaged (it is not a signed checkpoint); restore it from "
            "a backup of the home folder, or delete it to take the database's word"
        )
    return head


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (mode 0600) atomically and durably: a temp file,
    fsync, rename, fsync of the folder. A crash leaves the old file or the new one."""
    atomic_write(path, data, 0o600)


@contextlib.contextmanager
def _head_lock(home: Home) -> Iterator[None]:
    fd = os.open(home.root / "signed.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def record_signed(home: Home, note: str, allow_smaller: bool = False) -> None:
    """Keep ``note`` as the newest signed checkpoint (never moves back unless told)."""
    new = parse_head(note)
    if new is None:
        return
    with _head_lock(home):
        try:
            current = read_head(home)
        except HomeDamaged:
            current = None
        if current is not None and current.size >= new.size and not allow_smaller:
            return
        write_private(home.signed_head, note.encode("utf-8"))


# --- opening the home -------------------------------------------------------------------


def _db_is_empty(home: Home) -> bool:
    try:
        size = home.database.stat().st_size
    except FileNotFoundError:
        return True
    if size:
        return False
    wal = home.database.with_name(home.database.name + "-wal")
    return not (wal.exists() and wal.stat().st_size)


def newest_backup_hint(home: Home, need: int = 0) -> str:
    """A sentence naming the newest backup with at least ``need`` leaves (or saying none)."""
    from hourproof.store import backup

    readable = [
        info
        for info in map(backup.describe, reversed(backup.list_backup_paths(home.backups)))
        if info.leaves is not None
    ]
    best = next((info for info in readable if info.leaves is not None and info.leaves >= need),
                None)  # fmt: skip
    if best is not None:
        return (
            f"the newest good backup is {best.name} ({best.leaves} leaves): "
            f"restore it with 'hourproof ledger restore {best.name}'"
        )
    if readable:
        newest = readable[0]
        return (
            f"no backup has all of them: the newest good backup is {newest.name} "
            f"({newest.leaves} leaves; restore it with 'hourproof ledger restore "
            f"{newest.name}'), or restore hourproof.db from your own backup of the home folder"
        )
    return f"there is no backup in {home.backups}; restore hourproof.db from your own backup"


def _has_entries(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is not None
    except OSError:
        return False


def before_open(home: Home) -> None:
    """Refuse to create a fresh database where a signed one used to be."""
    if not _db_is_empty(home):
        return
    head = read_head(home)
    if head is None and not _has_entries(home.backups):
        return  # a new home: nothing signed, no backups (store.backup is not imported)
    from hourproof.store import backup

    has_backups = bool(backup.list_backup_paths(home.backups))
    if head is None and not has_backups:
        return
    state = "missing" if not home.database.exists() else "empty"
    signed = f" though {head.size} leaves were signed" if head and head.size else ""
    raise HomeDamaged(
        f"the database {home.database} is {state}{signed}; "
        f"{newest_backup_hint(home, head.size if head else 0)}. Nothing was created."
    )


def _db_sizes(db: sqlite3.Connection) -> tuple[int, int]:
    return LeafTable(db).recorded_size(), CheckpointTable(db).max_size()


def compare_with_head(home: Home, db: sqlite3.Connection) -> str | None:
    """What is wrong between the database and the signed head, or None."""
    import base64

    head = read_head(home)
    if head is None:
        return None
    leaves, _signed = _db_sizes(db)
    if leaves < head.size:
        missing = head.size - leaves
        return (
            f"the database {home.database} has {leaves} leaves but {head.size} were signed "
            f"({home.signed_head}): {missing} signed leaf(s) are missing (a lost WAL file or "
            f"an older copy of the database); {newest_backup_hint(home, head.size)}"
        )
    signed = CheckpointTable(db).get(head.size)
    if signed is None or base64.b64encode(bytes(signed.root)).decode() != head.root_b64:
        return (
            f"the database {home.database} does not hold the checkpoint signed at size "
            f"{head.size} ({home.signed_head}): it belongs to another home or was rewritten; "
            f"{newest_backup_hint(home, head.size)}"
        )
    return None


def after_open(app: App, db: sqlite3.Connection) -> None:
    """Check the migrated database against the signed head; catch the head up; back up."""
    problem = compare_with_head(app.home, db)
    if problem is not None:
        raise HomeDamaged(problem)
    latest = CheckpointTable(db).latest()
    if latest is not None:
        head = read_head(app.home)
        if head is None or head.size < latest.size:  # a crash between COMMIT and the file
            record_signed(app.home, str(latest.note))
    maybe_backup(app.home, db, "daily")


def maybe_backup(home: Home, db: sqlite3.Connection, reason: str, force: bool = False) -> None:
    """Take a backup if the newest is older than a day and the ledger changed since."""
    if not force:
        leaves, _ = _db_sizes(db)
        if leaves == 0:
            return  # nothing to back up (a verifier's home never has leaves)
    from hourproof.store import backup

    if not force:
        newest = backup.newest_taken_at(home.backups)
        if newest is not None and datetime.now(UTC) - newest < BACKUP_EVERY:
            return
        paths = backup.list_backup_paths(home.backups)
        if paths and backup.describe(paths[-1]).leaves == leaves:
            return
    take_backup(home, db, reason)


def take_backup(
    home: Home, db: sqlite3.Connection | Path, reason: str, keep: Path | None = None
) -> Path:
    """Back up now and prune to the newest few (never pruning ``keep``)."""
    from hourproof.store import backup

    head = None
    with contextlib.suppress(HomeDamaged):
        head = read_head(home)
    try:
        path = backup.write_backup(db, home.backups, reason, head.note if head else None)
    except backup.BackupError as exc:
        raise ServiceError(str(exc)) from exc
    backup.prune(home.backups, spare=keep)
    return path


# --- the signing key --------------------------------------------------------------------


def _committed_state(home: Home) -> tuple[int, str | None]:
    """(leaves, newest checkpoint note) as committed, on a connection of its own."""
    if not home.database.exists():
        return 0, None
    db = sqlite3.connect(f"file:{home.database}?mode=ro", uri=True)
    try:
        leaves, _ = _db_sizes(db)
        latest = CheckpointTable(db).latest()
    except sqlite3.Error:
        return 0, None
    finally:
        db.close()
    return leaves, (str(latest.note) if latest else None)


def _signed_note(home: Home) -> tuple[int, str | None]:
    leaves, note = _committed_state(home)
    head = None
    with contextlib.suppress(HomeDamaged):
        head = read_head(home)
    if head is not None and (note is None or (parse_head(note) or head).size < head.size):
        note = head.note
    return leaves, note


def check_key_signed(pub: Ed25519PublicKey, note: str) -> str | None:
    """None if ``note`` is signed by ``pub``; else 'foreign' or 'tampered'."""
    from hourproof.ledger.checkpoint import CheckpointError, open_checkpoint
    from hourproof.ledger.note import NoteError

    try:
        open_checkpoint(note, pub)
    except NoteError as exc:
        return "foreign" if exc.reason == "unsigned" else "tampered"
    except CheckpointError:
        return "tampered"
    return None


def signing_key(app: App) -> Ed25519PrivateKey:
    """The home's signing key: made only while nothing is signed, never over signed history."""
    from hourproof.ledger import keys
    from hourproof.services.keyfile import create_key, load_key

    home = app.home
    _leaves, note = _signed_note(home)
    if not home.key_file.exists():
        if note is None:  # nothing was ever signed: a key is made on first use
            return create_key(home.key_file)
        head = parse_head(note)
        raise ServiceError(
            f"the signing key {home.key_file} is missing, but this ledger has "
            f"{head.size if head else 'some'} leaves signed with it: restore signing_key from "
            "your backup of the home folder (a new key would make your own history look "
            "forged); nothing was changed"
        )
    key = load_key(home.key_file, create=False)
    if note is not None and check_key_signed(key.public_key(), note) == "foreign":
        raise ServiceError(
            f"the signing key {home.key_file} ({keys.fingerprint(key.public_key())}) is not "
            "the key that signed this ledger: restore the original signing_key from your "
            "backup of the home folder; nothing was signed"
        )
    return key


def public_key(app: App) -> Ed25519PublicKey | None:
    """The home's public key, without a passphrase when ``signing_key.pub`` is there.

    A damaged ``.pub`` is an error (verification must not silently use another key);
    a missing one is written again from the private key. None: no key and an empty
    ledger, so nothing was signed yet.
    """
    from hourproof.ledger.keys import (
        HourproofKeyError,
        parse_public_key_openssh,
        public_key_openssh,
    )

    pub_path = home_pub = app.home.public_key_file
    try:
        text = pub_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    except (OSError, UnicodeDecodeError) as exc:
        raise ServiceError(
            f"cannot read the public key {pub_path} ({exc}); restore it or delete it to "
            "write it again from signing_key"
        ) from exc
    if text is not None:
        try:
            return parse_public_key_openssh(text.strip())
        except (HourproofKeyError, ValueError) as exc:
            raise ServiceError(
                f"the public key {pub_path} is damaged ({exc}); restore it from a backup of "
                "the home folder, or delete it to write it again from signing_key"
            ) from exc
    if not app.home.key_file.exists() and _signed_note(app.home)[1] is None:
        return None
    pub = app.key.public_key()
    with contextlib.suppress(OSError):
        home_pub.write_text(public_key_openssh(pub, "hourproof") + "\n")
    return pub
