"""C2SP signed notes: known answers from Go's note package, round trips and rejections."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hourproof.ledger import keys
from hourproof.ledger.note import MAX_SIGNATURES, NoteError, open_note, sign_note

# Test vectors from Go's golang.org/x/mod/sumdb/note tests.
PETER_KEY = Ed25519PrivateKey.from_private_bytes(
    base64.b64decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")[1:]
)
PETER_PUB = PETER_KEY.public_key()
ENOCH_PUB = keys.parse_verifier_key(
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
)[1]
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXg"
    "KvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01"
    "oOTGwnWLox33WWd1RvMc+QQ=\n"
)


def test_sign_matches_go_note_vector() -> None:
    assert sign_note(TEXT, "PeterNeumann", PETER_KEY) == TEXT + "\n" + PETER_SIG


def test_open_go_note_vector_returns_text() -> None:
    assert open_note(TEXT + "\n" + PETER_SIG, "PeterNeumann", PETER_PUB) == TEXT


def test_other_signers_are_ignored() -> None:
    note = TEXT + "\n" + ENOCH_SIG + PETER_SIG
    assert open_note(note, "PeterNeumann", PETER_PUB) == TEXT


def test_each_known_signer_verifies_in_a_cosigned_note() -> None:
    note = TEXT + "\n" + PETER_SIG + ENOCH_SIG
    assert open_note(note, "EnochRoot", ENOCH_PUB) == TEXT


def test_note_only_signed_by_another_key_is_unsigned() -> None:
    with pytest.raises(NoteError, match="not signed") as info:
        open_note(TEXT + "\n" + ENOCH_SIG, "PeterNeumann", PETER_PUB)
    assert info.value.reason == "unsigned"


def test_round_trip_with_fresh_key() -> None:
    key = keys.generate_key()
    note = sign_note("hello\nworld\n", "example.com/log", key)
    assert open_note(note, "example.com/log", key.public_key()) == "hello\nworld\n"


def test_text_with_empty_lines_round_trips() -> None:
    key = keys.generate_key()
    text = "first\n\nthird\n\n"
    assert open_note(sign_note(text, "n", key), "n", key.public_key()) == text


def test_bytes_note_is_accepted() -> None:
    note = (TEXT + "\n" + PETER_SIG).encode("utf-8")
    assert open_note(note, "PeterNeumann", PETER_PUB) == TEXT


def test_note_signed_by_another_key_with_same_name_is_unsigned() -> None:
    note = sign_note("hello\n", "example.com/log", keys.generate_key())
    with pytest.raises(NoteError) as info:
        open_note(note, "example.com/log", keys.generate_key().public_key())
    assert info.value.reason == "unsigned"


def test_modified_text_fails() -> None:
    key = keys.generate_key()
    note = sign_note("size 10\n", "n", key)
    with pytest.raises(NoteError, match="bad signature") as info:
        open_note(note.replace("size 10", "size 11"), "n", key.public_key())
    assert info.value.reason == "bad-signature"


def test_modified_signature_fails() -> None:
    key = keys.generate_key()
    note = sign_note("hello\n", "n", key)
    text, line = note.split("\n\n")
    raw = bytearray(base64.b64decode(line.split(" ")[2]))
    raw[10] ^= 0x01
    tampered = f"{text}\n\n— n {base64.b64encode(bytes(raw)).decode()}\n"
    with pytest.raises(NoteError) as info:
        open_note(tampered, "n", key.public_key())
    assert info.value.reason == "bad-signature"


def test_bad_duplicate_signature_by_our_key_fails() -> None:
    forged = PETER_SIG[:60] + "ABCD" + PETER_SIG[64:]
    with pytest.raises(NoteError) as info:
        open_note(TEXT + "\n" + PETER_SIG + forged, "PeterNeumann", PETER_PUB)
    assert info.value.reason == "bad-signature"


def test_sixteen_signatures_are_accepted() -> None:
    note = TEXT + "\n" + ENOCH_SIG * 15 + PETER_SIG
    assert open_note(note, "PeterNeumann", PETER_PUB) == TEXT


def test_too_many_signatures_are_rejected() -> None:
    note = TEXT + "\n" + PETER_SIG * (MAX_SIGNATURES + 1)
    with pytest.raises(NoteError, match="more than") as info:
        open_note(note, "PeterNeumann", PETER_PUB)
    assert info.value.reason == "malformed"


@pytest.mark.parametrize(
    "note",
    [
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        TEXT.replace("\n", "\r\n") + "\r\n" + PETER_SIG,
        TEXT + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXg"
        "KvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        TEXT + "\n" + "- PeterNeumann" + PETER_SIG[len("— PeterNeumann") :],
        TEXT + "\n" + "— PeterNeumann AAAA\n",
        TEXT + "\n" + "— PeterNeumann not*base64\n",
        TEXT + "\n" + "— PeterNeumann \n",
        TEXT + "\n" + "—  x08go\n",
    ],
)
def test_malformed_note_is_rejected(note: str) -> None:
    with pytest.raises(NoteError) as info:
        open_note(note, "PeterNeumann", PETER_PUB)
    assert info.value.reason == "malformed"


def test_invalid_utf8_bytes_are_malformed() -> None:
    note = b"\xff" + (TEXT + "\n" + PETER_SIG).encode("utf-8")
    with pytest.raises(NoteError, match="UTF-8"):
        open_note(note, "PeterNeumann", PETER_PUB)


def test_sign_requires_trailing_newline() -> None:
    with pytest.raises(NoteError, match="newline"):
        sign_note("abc", "n", keys.generate_key())


def test_sign_rejects_control_characters() -> None:
    with pytest.raises(NoteError, match="control"):
        sign_note("a\tb\n", "n", keys.generate_key())


@pytest.mark.parametrize("name", ["", "a b", "a+b", "a\u00a0b"])
def test_sign_rejects_invalid_key_name(name: str) -> None:
    with pytest.raises(NoteError):
        sign_note("text\n", name, keys.generate_key())


def test_note_error_is_a_value_error() -> None:
    assert issubclass(NoteError, ValueError)
