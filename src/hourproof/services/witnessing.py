"""Witnesses: submit checkpoints with the C2SP tlog-witness protocol, keep their cosignatures.

A witness (litewitness, OmniWitness, a witness of the transparency-dev network, or
any server on c2sp.org/tlog-witness) cosigns a checkpoint of this log only after
checking a consistency proof from the last size it cosigned, so its cosignature
says "this log only grew, as far as I saw". Submission rides the anchoring queue:
``anchoring.drain`` (a detached process from the CLI, a worker thread in the GUI)
calls :func:`drain`, so start/stop never wait on a witness. Failures back off like
TSA requests; a 409 teaches the size the witness knows and the request is resent.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from hourproof.core.timeparse import to_rfc3339
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.store.ledger import CheckpointTable, LeafTable
from hourproof.store.witnesses import CosignatureRow, WitnessRow, WitnessTable, has_witnesses

if TYPE_CHECKING:  # cryptography stays off start/stop's import path (kick -> due)
    from hourproof.ledger import cosignature as cs

BACKOFF_START = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=6)
#: 409 answers followed per submission (each teaches a size; more means a confused witness).
MAX_CONFLICTS = 3
SIZE_CONTENT_TYPE = "text/x.tlog.size"
MAX_PROOF_LINES = 63  # c2sp.org/tlog-witness: a client MUST NOT send more


class WitnessRefused(Exception):
    """A witness answered, but not with a cosignature (the message is for the user)."""


@dataclass(frozen=True)
class Submission:
    witness: str
    size: int
    ok: bool
    detail: str


def add_witness(app: App, name: str, url: str, vkey: str) -> cs.Cosigner:
    """Configure a witness: a local label, its submission prefix URL and its vkey."""
    from hourproof.ledger import cosignature as cs

    if not url.startswith(("http://", "https://")):
        raise ServiceError(f"witness URL must start with http:// or https://: {url}")
    try:
        cosigner = cs.parse_cosigner_vkey(vkey)
    except cs.CosignatureError as exc:
        raise ServiceError(str(exc)) from exc
    if not name or any(ch.isspace() for ch in name):
        raise ServiceError("the witness name must be one word")
    with app.write() as txn:
        table = WitnessTable(txn.db)
        if any(w.vkey == cosigner.vkey for w in table.all()):
            raise ServiceError("that witness key is configured already")
        if not table.add(name, url.rstrip("/"), cosigner.vkey, to_rfc3339(txn.now)):
            raise ServiceError(f"a witness named {name!r} exists already")
    return cosigner


def remove_witness(app: App, name: str) -> None:
    with app.write() as txn:
        if not WitnessTable(txn.db).remove(name):
            raise ServiceError(f"no witness named {name!r}")


def list_witnesses(app: App) -> list[WitnessRow]:
    with app.read_db() as db:
        return WitnessTable(db).all()


def cosignatures(app: App, max_size: int | None = None) -> list[CosignatureRow]:
    with app.read_db() as db:
        return WitnessTable(db).cosignatures(max_size)


def due(app: App) -> bool:
    """Whether a configured witness has not yet cosigned the latest checkpoint and may
    be asked now (cheap: used by ``anchoring.kick`` on the hot path)."""
    with app.read_db() as db:
        if not has_witnesses(db):
            return False
        latest = CheckpointTable(db).latest()
        if latest is None:
            return False
        now = to_rfc3339(app.clock())
        rows = WitnessTable(db).all()
    return any(w.size < latest.size and (w.next_try or "") <= now for w in rows)


def _request_body(old: int, proof: list[bytes], note: str) -> bytes:
    if len(proof) > MAX_PROOF_LINES:  # the spec's limit; unreachable below 2**31 leaves
        raise WitnessRefused(f"a consistency proof of {len(proof)} hashes is over the limit")
    lines = [f"old {old}", *(base64.b64encode(h).decode("ascii") for h in proof), ""]
    return ("\n".join(lines) + "\n" + note).encode("utf-8")


def _consistency(app: App, old: int, size: int) -> list[bytes]:
    if old == 0 or old == size:
        return []
    from hourproof.ledger.merkle import MerkleTree

    with app.read_db() as db:
        hashes = LeafTable(db).all_hashes()[:size]
    return MerkleTree(hashes).consistency_proof(old, size)


def _post(url: str, body: bytes, timeout: float) -> tuple[int, str, bytes]:
    import requests

    try:
        resp = requests.post(
            f"{url}/add-checkpoint", data=body, timeout=(min(5.0, timeout), timeout),
            headers={"Content-Type": "text/plain; charset=utf-8"}, allow_redirects=False,
        )  # fmt: skip
    except requests.RequestException as exc:
        raise WitnessRefused(f"cannot reach the witness: {type(exc).__name__}") from exc
    return resp.status_code, resp.headers.get("Content-Type", ""), resp.content


def _parse_size(ctype: str, body: bytes) -> int:
    text = body.decode("ascii", "replace")
    if ctype.split(";")[0].strip() != SIZE_CONTENT_TYPE or not text.endswith("\n"):
        raise WitnessRefused(f"409 without a {SIZE_CONTENT_TYPE} size body")
    digits = text[:-1]
    if not digits.isdigit() or str(int(digits)) != digits:
        raise WitnessRefused("409 with a malformed size")
    return int(digits)


def submit(app: App, witness: WitnessRow, size: int, note: str, timeout: float) -> int:
    """Ask one witness to cosign checkpoint `note` (of `size`); store and return how many
    cosignatures came back. Raises WitnessRefused with the reason."""
    from hourproof.ledger import cosignature as cs

    cosigner = cs.parse_cosigner_vkey(witness.vkey)
    body_text = note[: note.rfind("\n\n") + 1]
    old = witness.size if witness.size <= size else 0
    for _ in range(MAX_CONFLICTS + 1):
        status, ctype, answer = _post(
            witness.url, _request_body(old, _consistency(app, old, size), note), timeout
        )
        if status == 200:
            return _store(app, witness.name, cosigner, size, body_text, answer)
        if status == 409:
            known = _parse_size(ctype, answer)
            if known > size:
                raise WitnessRefused(
                    f"the witness has cosigned size {known}, beyond this log's {size}: "
                    "the log was rolled back or forked"
                )
            if known == old:
                raise WitnessRefused(
                    f"the witness holds a different tree at size {known}: the log was forked"
                )
            old = known
            with app.write() as txn:
                WitnessTable(txn.db).set_known_size(witness.name, known)
            continue
        if status == 422:
            raise WitnessRefused(f"the witness rejected the consistency proof from size {old}")
        if status in (403, 404):
            raise WitnessRefused(
                f"HTTP {status}: the witness does not know this log (its operator must add "
                "the log's origin and verifier key; see 'hourproof key show')"
            )
        raise WitnessRefused(f"HTTP {status} from the witness")
    raise WitnessRefused("the witness keeps answering 409 with other sizes")


def _store(app: App, name: str, cosigner: cs.Cosigner, size: int, body: str, answer: bytes) -> int:
    from hourproof.ledger import cosignature as cs

    try:
        text = answer.decode("utf-8")
        if not text.endswith("\n"):
            raise WitnessRefused("the cosignature lines do not end in a newline")
        valid = cs.verified_cosigners(text, body, [cosigner])
        lines = [
            c for c in cs.parse_lines(text) if cs.matches(c, cosigner)
        ]  # verified above: a bad one raised
    except (UnicodeDecodeError, cs.CosignatureError) as exc:
        raise WitnessRefused(f"the witness answered with an invalid cosignature: {exc}") from exc
    if not valid:
        raise WitnessRefused("the witness answered without a cosignature by its key")
    with app.write() as txn:
        table = WitnessTable(txn.db)
        for cosig in lines:
            table.add_cosignature(size, cosig.name, cosig.line, cosig.timestamp)
        table.succeeded(name, size, to_rfc3339(txn.now))
    return len(lines)


def drain(app: App, timeout: float = 15.0, force: bool = False) -> list[Submission]:
    """Submit the latest checkpoint to every due witness; back off on failure."""
    with app.read_db() as db:
        rows = WitnessTable(db).all()
        latest = CheckpointTable(db).latest()
    if latest is None:
        return []
    now = app.clock()
    results: list[Submission] = []
    for witness in rows:
        if witness.size >= latest.size and witness.last_error is None:
            continue
        if not force and (witness.next_try or "") > to_rfc3339(now):
            continue
        try:
            try:
                count = submit(app, witness, latest.size, latest.note, timeout)
            except (ValueError, OSError) as exc:  # a background drain must never crash
                raise WitnessRefused(f"{type(exc).__name__}: {exc}") from exc
        except WitnessRefused as exc:
            attempts = witness.attempts + 1
            wait = min(BACKOFF_START * (2 ** (attempts - 1)), BACKOFF_MAX)
            with app.write() as txn:
                WitnessTable(txn.db).failed(
                    witness.name, attempts, to_rfc3339(now + wait), str(exc)
                )
            results.append(Submission(witness.name, latest.size, False, str(exc)))
            continue
        results.append(Submission(witness.name, latest.size, True, f"{count} cosignature(s)"))
    return results


def retry_now(app: App) -> None:
    with app.write() as txn:
        WitnessTable(txn.db).make_due(to_rfc3339(txn.now))
