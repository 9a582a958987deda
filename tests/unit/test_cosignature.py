"""cosignature/v1 (c2sp.org/tlog-cosignature): key ids, signed message, line format."""

from __future__ import annotations

import base64
import hashlib
import struct

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hourproof.ledger import cosignature as cs

BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
# The cosignature line of the spec's example (witness.example.com/w1).
SPEC_LINE = (
    "\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJs"
    "X3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA=="
)


def _raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def test_signed_message_is_header_time_line_then_the_whole_body() -> None:
    # The spec's example message, byte for byte.
    assert cs.signed_message(BODY, 1679315147) == (
        b"cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
        b"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    )


def test_extension_lines_are_signed_too() -> None:
    body = BODY + "ext line\n"
    assert cs.signed_message(body, 5).endswith(b"ext line\n")


def test_the_spec_example_line_parses_to_its_timestamp() -> None:
    cosig = cs.parse_cosignature_line(SPEC_LINE)
    assert cosig.name == "witness.example.com/w1"
    assert cosig.timestamp == 1679315147  # the "time" line of the spec's message example
    assert len(cosig.signature) == 64
    assert cosig.line == SPEC_LINE + "\n"


def test_key_id_uses_type_byte_0x04() -> None:
    key = Ed25519PrivateKey.generate()
    want = hashlib.sha256(b"w.example/1\n\x04" + _raw(key)).digest()[:4]
    assert cs.cosigner_key_id("w.example/1", key.public_key()) == want


def test_vkey_round_trips_and_is_type_0x04() -> None:
    key = Ed25519PrivateKey.generate()
    vkey = cs.cosigner_vkey("w.example/1", key.public_key())
    name, id_hex, key64 = vkey.split("+", 2)
    assert name == "w.example/1"
    assert base64.b64decode(key64)[0] == 0x04
    parsed = cs.parse_cosigner_vkey(vkey)
    assert parsed.name == "w.example/1" and parsed.key_id.hex() == id_hex


@pytest.mark.parametrize(
    "mutate",
    [
        lambda v: v.replace("+", "+0", 1),  # key id length
        lambda v: v[:-2] + "AA",  # another key: id mismatch
        lambda v: (
            "+".join(v.split("+", 2)[:2])
            + "+"
            + base64.b64encode(b"\x01" + base64.b64decode(v.split("+", 2)[2])[1:]).decode()
        ),
    ],
)
def test_bad_vkeys_are_refused(mutate) -> None:  # type: ignore[no-untyped-def]
    vkey = cs.cosigner_vkey("w.example/1", Ed25519PrivateKey.generate().public_key())
    with pytest.raises(cs.CosignatureError):
        cs.parse_cosigner_vkey(mutate(vkey))


def test_a_note_signature_key_type_is_not_a_cosigner_key() -> None:
    from hourproof.ledger.keys import verifier_key

    vkey = verifier_key("w.example/1", Ed25519PrivateKey.generate().public_key())
    with pytest.raises(cs.CosignatureError, match="0x01"):
        cs.parse_cosigner_vkey(vkey)


def test_line_layout_is_key_id_big_endian_time_signature() -> None:
    key = Ed25519PrivateKey.generate()
    cosig = cs.cosign(BODY, "w.example/1", key, 1700000000)
    raw = base64.b64decode(cosig.line.split(" ")[2])
    assert raw[:4] == cs.cosigner_key_id("w.example/1", key.public_key())
    assert struct.unpack(">Q", raw[4:12])[0] == 1700000000
    key.public_key().verify(raw[12:], b"cosignature/v1\ntime 1700000000\n" + BODY.encode())


def test_verify_accepts_own_and_rejects_changed_body_or_time() -> None:
    key = Ed25519PrivateKey.generate()
    who = cs.Cosigner("w.example/1", key.public_key())
    cosig = cs.cosign(BODY, who.name, key, 1700000000)
    assert cs.verify_cosignature(cosig, BODY, who) == 1700000000
    with pytest.raises(cs.CosignatureError, match="bad cosignature"):
        cs.verify_cosignature(cosig, BODY.replace("20852163", "20852164"), who)
    shifted = cs.Cosignature(cosig.name, cosig.key_id, cosig.timestamp + 1, cosig.signature)
    with pytest.raises(cs.CosignatureError):
        cs.verify_cosignature(shifted, BODY, who)


def test_other_key_with_same_name_does_not_match() -> None:
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    cosig = cs.cosign(BODY, "w.example/1", other, 1)
    assert (
        cs.verified_cosigners(cosig.line, BODY, [cs.Cosigner("w.example/1", key.public_key())])
        == {}
    )


def test_verified_cosigners_ignores_the_logs_own_signature_line() -> None:
    from hourproof.ledger.note import sign_note

    log = Ed25519PrivateKey.generate()
    note = sign_note(BODY, "example.com/behind-the-sofa", log)
    w = Ed25519PrivateKey.generate()
    who = cs.Cosigner("w.example/1", w.public_key())
    line = cs.cosign(BODY, who.name, w, 42).line
    body, sigs = cs.split_note(note + line)
    assert body == BODY
    assert cs.verified_cosigners("\n".join(sigs), body, [who]) == {"w.example/1": 42}


def test_known_key_with_bad_signature_is_an_error() -> None:
    w = Ed25519PrivateKey.generate()
    who = cs.Cosigner("w.example/1", w.public_key())
    cosig = cs.cosign(BODY, who.name, w, 42)
    bad = cs.Cosignature(cosig.name, cosig.key_id, 42, bytes(64))
    with pytest.raises(cs.CosignatureError):
        cs.verified_cosigners(bad.line, BODY, [who])


@pytest.mark.parametrize(
    "line", ["- w.example/1 AAAA", "\u2014 w.example/1 !!!", "\u2014 bad+name AAAA"]
)
def test_malformed_lines(line: str) -> None:
    with pytest.raises(cs.CosignatureError):
        cs.parse_cosignature_line(line)


def test_timestamp_beyond_2_63_is_refused() -> None:
    raw = b"\0\0\0\0" + struct.pack(">Q", 2**63) + bytes(64)
    with pytest.raises(cs.CosignatureError, match="out of range"):
        cs.parse_cosignature_line("\u2014 w.example/1 " + base64.b64encode(raw).decode())
