"""Verifier keys (0x01) and cosigner keys (0x04) share one strict vkey parser, and note
and cosignature lines one signature-line splitter: same rules, each with its own words."""

from __future__ import annotations

import base64
import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hourproof.ledger import cosignature as cs
from hourproof.ledger import keys, note

PUB = Ed25519PrivateKey.from_private_bytes(bytes(range(32))).public_key()
RAW = PUB.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def vkey(name: str, sig_type: int, *, kid: str | None = None, key: bytes | None = None) -> str:
    body = base64.b64encode(bytes([sig_type]) + (RAW if key is None else key)).decode()
    return f"{name}+{kid or keys.typed_key_id(name, sig_type, PUB).hex()}+{body}"


def test_round_trips_and_upper_case_key_ids() -> None:
    assert keys.parse_verifier_key(keys.verifier_key("log.example", PUB))[0] == "log.example"
    assert cs.parse_cosigner_vkey(cs.cosigner_vkey("w.example", PUB) + "\n").name == "w.example"
    upper = vkey("w.example", 0x04, kid=cs.cosigner_key_id("w.example", PUB).hex().upper())
    assert cs.parse_cosigner_vkey(upper).public_key == PUB
    assert keys.key_id("n", PUB) == keys.typed_key_id("n", keys.C2SP_ED25519, PUB)


CASES = {
    "bad name": ("a b+00000000+AQ==", "invalid note key name 'a b'"),
    "short id": ("n+abc+AQ==", "key id must be 8 hex digits"),
    "non-hex id": ("n+abcdefgh+AQ==", "key id must be 8 hex digits"),
    "bad base64": ("n+00000000+!!!!", "key is not valid base64"),
    "non-canonical": ("n+00000000+AR==", "key is not canonical base64"),
    "empty key": ("n+00000000+", "key is not canonical base64"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_reasons_under_each_parsers_name(case: str) -> None:
    text, reason = CASES[case]
    for sig_type in (keys.C2SP_ED25519, cs.COSIGNATURE_ED25519):
        data = text.replace("AQ==", base64.b64encode(bytes([sig_type])).decode())
        with pytest.raises(keys.HourproofKeyError, match=f"^verifier key: {re.escape(reason)}$"):
            keys.parse_verifier_key(data)
        with pytest.raises(cs.CosignatureError, match=f"^cosigner key: {re.escape(reason)}$"):
            cs.parse_cosigner_vkey(data)


def test_type_length_and_key_id_checks() -> None:
    with pytest.raises(keys.HourproofKeyError, match=r"^verifier key: unsupported .* 0x04$"):
        keys.parse_verifier_key(vkey("n", 0x04))
    with pytest.raises(cs.CosignatureError, match=r"type 0x01 is not cosignature/v1 \(0x04\)$"):
        cs.parse_cosigner_vkey(vkey("n", 0x01))
    for parse, sig_type in ((keys.parse_verifier_key, 0x01), (cs.parse_cosigner_vkey, 0x04)):
        with pytest.raises(Exception, match=r"key: Ed25519 key must be 32 bytes$"):
            parse(vkey("n", sig_type, key=RAW[:31]))
        with pytest.raises(Exception, match=r"key: key id does not match name and key$"):
            parse(vkey("n", sig_type, kid="00000000"))
        with pytest.raises(Exception, match=r"key: key id does not match name and key$"):
            parse(vkey("other", sig_type).replace("other+", "n+"))


def test_signature_lines_share_the_splitter() -> None:
    raw = bytes(76)
    line = f"\u2014 w.example {base64.b64encode(raw).decode()}"
    assert keys.split_signature_line(line) == ("w.example", raw)
    assert cs.parse_cosignature_line(line + "\n").name == "w.example"
    assert keys.split_signature_line("\u2014 name") == ("name", b"")  # length: the caller's
    for bad in ("\u2014 a+b AAAA", "\u2014 name AAA=x", "\u2014 name \u00e9"):
        with pytest.raises(ValueError):
            keys.split_signature_line(bad)
        with pytest.raises(cs.CosignatureError, match=r"^malformed signature line"):
            cs.parse_cosignature_line(bad)
        with pytest.raises(note.NoteError, match=r"^malformed note: bad signature line"):
            note.open_note(f"text\n\n{bad}\n", "name", PUB)
