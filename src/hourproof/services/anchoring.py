"""Anchoring checkpoints to trusted time: TSA configuration, the persistent queue, draining.

Recording never waits on the network: a checkpoint only enqueues a request (one
row, coalesced with any pending one). ``drain`` sends it — from a detached
background process started by the CLI, or a worker thread in the GUI — with
exponential backoff on failure. Nothing is lost when every TSA is down.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update

from hourproof.core.timeparse import from_rfc3339, to_rfc3339
from hourproof.services.app import App, Txn
from hourproof.services.errors import ServiceError
from hourproof.store import schema as t

if TYPE_CHECKING:  # x509 is imported where used: start/stop/status never need it
    from cryptography import x509

ENV_DEFAULT_TSAS = "HOURPROOF_DEFAULT_TSAS"
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


def install_defaults(app: App) -> None:
    """On a new home, configure the default TSAs (unless HOURPROOF_DEFAULT_TSAS=none)."""
    app.checkpoint_hooks.append(enqueue)
    with app.read() as conn:
        configured = conn.execute(select(t.meta.c.value).where(t.meta.c.key == "tsas")).scalar()
    if configured is not None:
        return
    with app.write() as txn:
        if os.environ.get(ENV_DEFAULT_TSAS, "").lower() != "none":
            from hourproof.timestamp.roots import DEFAULT_TSAS

            for pos, tsa in enumerate(DEFAULT_TSAS):
                txn.conn.execute(
                    insert(t.tsas).values(name=tsa.name, url=tsa.url, root_pem=None, position=pos)
                )
        txn.conn.execute(insert(t.meta).values(key="tsas", value="configured"))


def list_tsas(app: App) -> list[Tsa]:
    with app.read() as conn:
        rows = conn.execute(select(t.tsas).order_by(t.tsas.c.position)).all()
    return [Tsa(r.name, r.url, r.root_pem) for r in rows]


def add_tsa(app: App, name: str, url: str, root_pem: bytes | None) -> None:
    if not url.startswith(("http://", "https://")):
        raise ServiceError(f"TSA URL must start with http:// or https://: {url}")
    if root_pem is not None:
        try:
            _parse_pem(root_pem)
        except ValueError as exc:
            raise ServiceError(f"not a PEM certificate: {exc}") from exc
    with app.write() as txn:
        exists = txn.conn.execute(select(t.tsas.c.name).where(t.tsas.c.name == name)).first()
        if exists:
            raise ServiceError(f"a TSA named {name!r} exists already")
        pos = txn.conn.execute(
            select(t.tsas.c.position).order_by(t.tsas.c.position.desc())
        ).scalar()
        txn.conn.execute(
            insert(t.tsas).values(name=name, url=url, root_pem=root_pem, position=(pos or 0) + 1)
        )


def remove_tsa(app: App, name: str) -> None:
    with app.write() as txn:
        done = txn.conn.execute(delete(t.tsas).where(t.tsas.c.name == name))
        if done.rowcount == 0:
            raise ServiceError(f"no TSA named {name!r}")


def enqueue(txn: Txn, size: int) -> None:
    """Checkpoint hook: ask for this checkpoint to be anchored (coalescing pending asks)."""
    pending = txn.conn.execute(select(t.anchor_queue.c.id).limit(1)).scalar()
    if pending is not None:
        txn.conn.execute(
            update(t.anchor_queue).where(t.anchor_queue.c.id == pending).values(size=size)
        )
    else:
        txn.conn.execute(
            insert(t.anchor_queue).values(
                size=size, tsa=None, attempts=0, next_try=to_rfc3339(txn.now)
            )
        )


def queue(app: App) -> list[QueueItem]:
    with app.read() as conn:
        rows = conn.execute(select(t.anchor_queue).order_by(t.anchor_queue.c.id)).all()
    return [QueueItem(r.size, r.attempts, r.next_try, r.last_error) for r in rows]


def last_anchor(app: App) -> tuple[str, str, int] | None:
    """(gen_time, tsa, size) of the newest token, or None."""
    with app.read() as conn:
        row = conn.execute(
            select(t.anchors.c.gen_time, t.anchors.c.tsa, t.anchors.c.size)
            .order_by(t.anchors.c.gen_time.desc())
            .limit(1)
        ).first()
    return None if row is None else (row.gen_time, row.tsa, row.size)


def is_stale(app: App) -> bool:
    """True when there is something to anchor and nothing was anchored for 24 h."""
    last = last_anchor(app)
    with app.read() as conn:
        first_cp = conn.execute(
            select(t.checkpoints.c.created_at).order_by(t.checkpoints.c.size).limit(1)
        ).scalar()
    if first_cp is None:
        return False
    reference = from_rfc3339(last[0]) if last else from_rfc3339(first_cp)
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
            continue
        with app.write() as txn:
            txn.conn.execute(
                insert(t.anchors).values(
                    size=size, tsa=tsa.name, gen_time=to_rfc3339(token.gen_time),
                    token=token.response_der,
                    token_sha256=hashlib.sha256(token.response_der).hexdigest(),
                )
            )  # fmt: skip
            # The token covers every queued ask for this size or smaller.
            txn.conn.execute(delete(t.anchor_queue).where(t.anchor_queue.c.size <= size))
        got += 1
        if first is None:
            first = AnchorResult(size, tsa.name, token.gen_time)
        if got >= copies:
            break
    return first, errors


def drain(app: App, timeout: float = 15.0, copies: int = 1, force: bool = False) -> int:
    """Send every due queued request; on failure back off exponentially. Returns successes."""
    now = app.clock()
    items = queue(app)
    tsas = list_tsas(app)
    done = 0
    for item in items:
        if not force and item.next_try > to_rfc3339(now):
            continue
        with app.read() as conn:
            note = conn.execute(
                select(t.checkpoints.c.note).where(t.checkpoints.c.size == item.size)
            ).scalar_one()
        result, errors = (
            (None, ["no TSA is configured"])
            if not tsas
            else _try_tsas(app, item.size, note, tsas, timeout, copies)
        )
        with app.write() as txn:
            row = t.anchor_queue.c
            if result is not None:
                done += 1  # _try_tsas removed the ask (unless a newer one coalesced into it)
            else:
                attempts = item.attempts + 1
                wait = min(BACKOFF_START * (2 ** (attempts - 1)), BACKOFF_MAX)
                txn.conn.execute(
                    update(t.anchor_queue)
                    .where(row.size == item.size)
                    .values(
                        attempts=attempts, next_try=to_rfc3339(now + wait),
                        last_error="; ".join(errors)[:500],
                    )
                )  # fmt: skip
    return done


def retry_now(app: App) -> None:
    """Make every queued request due (at next start, or on the user's word)."""
    with app.write() as txn:
        txn.conn.execute(update(t.anchor_queue).values(next_try=to_rfc3339(txn.now)))


def kick(app: App) -> bool:
    """Start a detached background drain if something is due; never waits for it."""
    items = queue(app)
    now = to_rfc3339(app.clock())
    if not items or not any(i.next_try <= now for i in items) or not list_tsas(app):
        return False
    cmd = [sys.executable, "-m", "hourproof", "--home", str(app.home.root), "anchor", "--drain"]
    try:
        subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True,
        )  # fmt: skip
    except OSError:
        return False
    return True
