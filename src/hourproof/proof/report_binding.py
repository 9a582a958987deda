"""Binding report.pdf to the verified statement (bundle format §10).

The exporter embeds the statement's figures — canonical JSON, gzip, base64 — in the
PDF's XMP metadata packet (an uncompressed stream, so no PDF parser is needed to
find it); ``hourproof verify`` re-derives the statement from the entries and requires
the embedded figures to be exactly these. The same JSON is attached to the PDF as
``statement.json`` so any PDF reader lists it. No Qt here.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import re
import zlib
from datetime import UTC, datetime
from typing import Any

from hourproof.core.timeparse import to_rfc3339
from hourproof.ledger.canonical import canonical
from hourproof.proof.model import Statement

NS = "https://hourproof.invalid/ns/statement/1/"
_TAG_RE = re.compile(rb"<hourproof:statement>([A-Za-z0-9+/=]*)</hourproof:statement>")
MAX_STATEMENT_BYTES = 64 * 1024 * 1024


def statement_json(st: Statement) -> bytes:
    """The figures a reader of the statement sees, as RFC 8785 JSON.

    Labels and "Recorded by" times are left out: they depend on which timestamp
    authorities the reader trusts, and the verifier prints its own."""
    body: dict[str, Any] = {
        "contractor": st.contractor, "fingerprint": st.fingerprint, "client": st.client,
        "project": st.project,
        "period": {"from": to_rfc3339(st.period_start), "to": to_rfc3339(st.period_end)},
        "tree_size": st.tree_size, "total_seconds": st.total_seconds,
        "total_amounts": dict(sorted(st.total_amounts.items())),
        "by_day": [{"key": t.key, "seconds": t.seconds, "amounts": t.amounts} for t in st.by_day],
        "by_project": [{"key": t.key, "seconds": t.seconds, "amounts": t.amounts}
                       for t in st.by_project],
        "entries": [
            {"id": e.id, "project": e.project, "start": _utc(e.start),
             "end": _utc(e.end), "seconds": e.seconds, "amount_minor": e.amount_minor,
             "currency": e.currency, "removed": e.removed, "outside": e.outside}
            for e in st.entries
        ],
    }  # fmt: skip
    if _plain(body):
        try:  # json.dumps writes RFC 8785 for such values (as canonical() relies on)
            return _ENCODER.encode(body).encode("utf-8")
        except (TypeError, ValueError):  # e.g. a lone surrogate: canonical() says why
            pass
    return canonical(body)


def _utc(moment: datetime) -> str:
    """``to_rfc3339`` at a third of its cost for the usual case (UTC, whole seconds)."""
    if moment.tzinfo is UTC and not moment.microsecond and moment.year >= 1000:
        return moment.isoformat()[:19] + "Z"
    return to_rfc3339(moment)


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_SAFE_INT = 2**53 - 1
_SCALARS = (str, bool, type(None))


def _plain(value: Any) -> bool:
    """Only dicts with ASCII keys, lists, strings, booleans, None and integers within
    ±(2^53 - 1): the values whose ``json.dumps`` text is their RFC 8785 form. One
    typed walk (the statement of 20,000 entries has 200,000 values)."""
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or not key.isascii():
                return False
            kind = type(item)
            if kind is int:
                if not -_SAFE_INT <= item <= _SAFE_INT:
                    return False
            elif kind not in _SCALARS and not _plain(item):
                return False
        return True
    if kind is list:
        return all(_plain(item) for item in value)
    if kind is int:
        return -_SAFE_INT <= value <= _SAFE_INT
    return kind in _SCALARS


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xmp_packet(st: Statement, title: str, data: bytes | None = None) -> bytes:
    """The XMP packet carrying ``data`` (``statement_json(st)`` unless the caller has it)."""
    data = statement_json(st) if data is None else data
    packed = base64.b64encode(gzip.compress(data, mtime=0)).decode("ascii")
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:hourproof="{NS}">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_escape(title)}</rdf:li></rdf:Alt>'
        f"</dc:title><hourproof:statement>{packed}</hourproof:statement>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def pdf_problems(pdf: bytes, st: Statement) -> str | None:
    """Why report.pdf does not carry exactly this statement (None: it does)."""
    found = _TAG_RE.findall(pdf)
    if len(found) != 1:
        return ("does not carry the statement's figures exactly once (XMP "
                "hourproof:statement)")  # fmt: skip
    try:
        raw = base64.b64decode(found[0], validate=True)
        inflate = zlib.decompressobj(wbits=31)  # gzip framing
        embedded = inflate.decompress(raw, MAX_STATEMENT_BYTES)
        if inflate.unconsumed_tail or not inflate.eof:
            return "its embedded statement is truncated or too large"
    except (binascii.Error, zlib.error) as exc:
        return f"its embedded statement is unreadable ({exc})"
    if embedded != statement_json(st):
        return "its figures differ from the statement re-derived from the entries"
    return None
