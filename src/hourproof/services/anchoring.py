"""Anchoring checkpoints to trusted time: TSA configuration, the persistent queue, draining.

Recording never waits on the network: a checkpoint only enqueues a request (one
row, coalesced with any pending one). ``drain`` sends it — from a detached
background process started by the CLI, or a worker thread in the GUI — with
exponential backoff on failure. Nothing is lost when every TSA is down.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from hourproof.core.timeparse import from_rfc3339, to_rfc3339
from hourproof.services.anchor_setup import (  # noqa: F401  (part of this module's API)
    ENV_DEFAULT_TSAS,
    enqueue,
    install_defaults,
)
from hourproof.services.app import App, retry_busy
from hourproof.services.errors import ServiceError
from hourproof.store.anchors import AnchorTables
from hourproof.store.ledger import CheckpointTable

if TYPE_CHECKING:  # x509 is imported where used: start/stop/status never need it
    from cryptography import x509

BACKOFF_START = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=6)
STALE_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class Tsa:
    name: str
    url: str
    root_pem: bytes | None


@dataclass(frozen=True)
class QueueItem:
    size: int
    attempts: int
    next_try: str
    last_error: str | None


@dataclass(frozen=True)
class AnchorResult:
    size: int
    tsa: str
    gen_time: datetime


def list_tsas(app: App) -> list[Tsa]:
    with app.read_db() as db:
        rows = AnchorTables(db).tsas()
    return [Tsa(r.name, r.url, r.root_pem) for r in rows]


MAX_TSA_URL = 2048


def check_tsa(name: str, url: str) -> None:
    """A TSA's name is a short word and its URL an http(s) URL with a host (issue 9)."""
    from urllib.parse import urlsplit

    if not name or len(name) > 64 or any(c.isspace() or ord(c) < 0x20 for c in name):
        raise ServiceError("a TSA name is 1 to 64 characters without spaces")
    shown = url if len(url) <= 80 else url[:77] + "..."
    if len(url) > MAX_TSA_URL:
        raise ServiceError(f"the TSA URL is {len(url):,} characters long (at most {MAX_TSA_URL})")
    if any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        raise ServiceError(f"the TSA URL {shown!r} contains spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname or ""
    except ValueError as exc:
        raise ServiceError(f"the TSA URL {shown!r} is not a URL ({exc})") from exc
    if parts.scheme not in ("http", "https"):
        raise ServiceError(f"the TSA URL {shown!r} must start with http:// or https://")
    labels = host.rstrip(".").split(".")
    if not host or len(host) > 253 or any(not 0 < len(label) <= 63 for label in labels):
        raise ServiceError(f"the TSA URL {shown!r} has no valid host name")
    if port == 0:
        raise ServiceError(f"the TSA URL {shown!r} has port 0")


def add_tsa(app: App, name: str, url: str, root_pem: bytes | None) -> None:
    check_tsa(name, url)
    if root_pem is not None:
        try:
            _parse_pem(root_pem)
        except ValueError as exc:
            raise ServiceError(f"not a PEM certificate: {exc}") from exc
    with app.write() as txn:
        tables = AnchorTables(txn.db)
        if tables.has_tsa(name):
            raise ServiceError(f"a TSA named {name!r} exists already")
        tables.add_tsa(name, url, root_pem)


def remove_tsa(app: App, name: str) -> None:
    with app.write() as txn:
        if not AnchorTables(txn.db).remove_tsa(name):
            raise ServiceError(f"no TSA named {name!r}")


def queue(app: App) -> list[QueueItem]:
    with app.read_db() as db:
        rows = AnchorTables(db).queue()
    return [QueueItem(r.size, r.attempts, r.next_try, r.last_error) for r in rows]


def last_anchor(app: App) -> tuple[str, str, int] | None:
    """(gen_time, tsa, size) of the newest token, or None."""
    with app.read_db() as db:
        return AnchorTables(db).last_anchor()


def is_stale(app: App) -> bool:
    """True when there is something to anchor and nothing was anchored for 24 h."""
    last = last_anchor(app)
    with app.read_db() as db:
        first_cp = CheckpointTable(db).first()
    if first_cp is None:
        return False
    reference = from_rfc3339(last[0]) if last else from_rfc3339(first_cp.created_at)
    return app.clock() - reference > STALE_AFTER


def _parse_pem(pem: bytes) -> list[x509.Certificate]:
    from cryptography import x509

    certs = x509.load_pem_x509_certificates(pem)
    if not certs:
        raise ValueError("no certificate found")
    return certs


def _trusted_roots(tsa: Tsa) -> list[x509.Certificate]:
    from hourproof.timestamp.roots import load_shipped_roots

    roots = list(load_shipped_roots())
    if tsa.root_pem:
        roots.extend(_parse_pem(tsa.root_pem))
    return roots


def anchor_now(
    app: App, tsa_name: str | None = None, timeout: float = 15.0, copies: int = 1
) -> AnchorResult:
    """Checkpoint and anchor synchronously (``hourproof anchor``); ServiceError on failure."""
    with app.write() as txn:
        if txn.leaves.size() == 0:
            raise ServiceError("the ledger is empty: nothing to anchor yet")
        cp = txn.checkpoint()
    tsas = list_tsas(app)
    if tsa_name is not None:
        tsas = [x for x in tsas if x.name == tsa_name]
        if not tsas:
            raise ServiceError(f"no TSA named {tsa_name!r} (see 'hourproof tsa list')")
    if not tsas:
        raise ServiceError("no TSA is configured (add one with 'hourproof tsa add')")
    result, errors = _try_tsas(app, cp.size, cp.note, tsas, timeout, copies)
    if result is None:
        raise ServiceError("anchoring failed: " + "; ".join(errors))
    return result


def _try_tsas(
    app: App, size: int, note: str, tsas: list[Tsa], timeout: float, copies: int
) -> tuple[AnchorResult | None, list[str]]:
    from hourproof.timestamp.client import TsaError, request_token

    data = note.encode("utf-8")
    errors: list[str] = []
    first: AnchorResult | None = None
    got = 0
    for tsa in tsas:
        try:
            token = request_token(
                tsa.url,
                data,
                trusted_roots=_trusted_roots(tsa),
                timeout=(min(5.0, timeout), timeout),
            )
        except TsaError as exc:
            errors.append(f"{tsa.name}: {exc}")
            retry_busy(functools.partial(_tsa_failed, app, tsa.name))
            continue
        except Exception as exc:  # one TSA's odd failure never stops the others
            errors.append(f"{tsa.name}: {type(exc).__name__}: {str(exc)[:200]}")
            retry_busy(functools.partial(_tsa_failed, app, tsa.name))
            continue
        retry_busy(functools.partial(_tsa_answered, app, tsa.name))
        # A token in hand is kept until stored, however long another writer holds on.
        retry_busy(functools.partial(_store_token, app, size, tsa.name, token))
        got += 1
        if first is None:
            first = AnchorResult(size, tsa.name, token.gen_time)
        if got >= copies:
            break
    return first, errors


def _store_token(app: App, size: int, tsa: str, token: Any) -> None:
    with app.write() as txn:
        # The token covers every queued ask for this size or smaller.
        AnchorTables(txn.db).add_token(
            size, tsa, to_rfc3339(token.gen_time), token.response_der,
            hashlib.sha256(token.response_der).hexdigest(),
        )  # fmt: skip


def _wait(attempts: int) -> timedelta:
    return min(BACKOFF_START * (2 ** (attempts - 1)), BACKOFF_MAX)


def _tsa_failed(app: App, name: str) -> None:
    """Back this TSA off on its own (the queue item and the other TSAs are not held up)."""
    with app.write() as txn:
        tables = AnchorTables(txn.db)
        attempts = (tables.tsa_backoff(name) or (0, ""))[0] + 1
        tables.set_tsa_backoff(name, attempts, to_rfc3339(app.clock() + _wait(attempts)))


def _tsa_answered(app: App, name: str) -> None:
    with app.write() as txn:
        AnchorTables(txn.db).clear_tsa_backoff(name)


def _ready_tsas(app: App, tsas: list[Tsa], now: str) -> tuple[list[Tsa], str | None]:
    """The TSAs not in their own backoff at ``now``, and the earliest time one comes back."""
    with app.read_db() as db:
        tables = AnchorTables(db)
        waits = {t.name: tables.tsa_backoff(t.name) for t in tsas}
    ready = [t for t in tsas if (w := waits[t.name]) is None or w[1] <= now]
    later = [w[1] for w in waits.values() if w is not None and w[1] > now]
    return ready, min(later, default=None)


def _back_off(app: App, size: int, attempts: int, next_try: str, error: str) -> None:
    with app.write() as txn:
        AnchorTables(txn.db).back_off(size, attempts, next_try, error)


def drain(app: App, timeout: float = 15.0, copies: int = 1, force: bool = False) -> int:
    """Send every due queued request; on failure back off exponentially. Returns successes."""
    now = app.clock()
    items = queue(app)
    tsas = list_tsas(app)
    done = 0
    for item in items:
        if not force and item.next_try > to_rfc3339(now):
            continue
        with app.read_db() as db:
            cp = CheckpointTable(db).get(item.size)
        note = cp.note if cp is not None else ""
        ready, comes_back = (tsas, None) if force else _ready_tsas(app, tsas, to_rfc3339(now))
        if tsas and not ready and comes_back is not None:
            # Every TSA is backing off on its own: wait for the first to come back.
            retry_busy(functools.partial(
                _back_off, app, item.size, item.attempts, comes_back, item.last_error or "",
            ))  # fmt: skip
            continue
        result, errors = (
            (None, ["no TSA is configured"])
            if not tsas
            else _try_tsas(app, item.size, note, ready, timeout, copies)
        )
        if result is not None:
            done += 1  # _try_tsas removed the ask (unless a newer one coalesced into it)
        else:
            attempts = item.attempts + 1
            wait = _wait(attempts)
            retry_busy(functools.partial(
                _back_off, app, item.size, attempts, to_rfc3339(now + wait),
                "; ".join(errors)[:500],
            ))  # fmt: skip
    from hourproof.services import witnessing  # witnesses ride the same queue

    witnessing.drain(app, timeout)
    return done


def retry_now(app: App) -> None:
    """Make every queued request due (at next start, or on the user's word)."""
    with app.write() as txn:
        AnchorTables(txn.db).make_due(to_rfc3339(txn.now))


def kick(app: App) -> bool:
    """Start a detached background drain if something is due; never waits for it."""
    items = queue(app)
    now = to_rfc3339(app.clock())
    if not items or not any(i.next_try <= now for i in items) or not list_tsas(app):
        from hourproof.services import witnessing  # a witness may still be due

        if not witnessing.due(app):
            return False
    # A frozen build (PyInstaller) is its own interpreter: run it, not "python -m".
    launcher = (
        [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "hourproof"]
    )
    cmd = [*launcher, "--home", str(app.home.root), "anchor", "--drain"]
    import subprocess  # here: every command imports this module, few start a drain

    try:
        subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True,
        )  # fmt: skip
    except OSError:
        return False
    return True
