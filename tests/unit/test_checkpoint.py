"""Checkpoints: the c2sp tlog-checkpoint body, strict parsing, signing as the key's log."""

from __future__ import annotations

import base64
import hashlib

import pytest

from hourproof.ledger import keys
from hourproof.ledger.checkpoint import (
    Checkpoint,
    CheckpointError,
    format_checkpoint,
    open_checkpoint,
    parse_checkpoint,
    sign_checkpoint,
)
from hourproof.ledger.note import NoteError, sign_note

# The example checkpoint body from c2sp.org/tlog-checkpoint.
SPEC_ROOT_B64 = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="
SPEC_BODY = f"example.com/behind-the-sofa\n20852163\n{SPEC_ROOT_B64}\n"
ROOT = hashlib.sha256(b"root").digest()


def test_format_matches_spec_example() -> None:
    cp = Checkpoint("example.com/behind-the-sofa", 20852163, base64.b64decode(SPEC_ROOT_B64))
    assert format_checkpoint(cp) == SPEC_BODY


def test_parse_spec_example() -> None:
    cp = parse_checkpoint(SPEC_BODY)
    assert cp == Checkpoint(
        "example.com/behind-the-sofa", 20852163, base64.b64decode(SPEC_ROOT_B64)
    )


def test_extension_lines_round_trip() -> None:
    cp = Checkpoint("o", 3, ROOT, ("ext one", "ext two"))
    assert parse_checkpoint(format_checkpoint(cp)) == cp


def test_empty_tree_size_is_zero() -> None:
    body = format_checkpoint(Checkpoint("o", 0, ROOT))
    assert body.split("\n")[1] == "0"


@pytest.mark.parametrize(
    "body",
    [
        SPEC_BODY[:-1],  # no final newline
        "example.com/log\n5\n",  # no root line
        f"\n5\n{SPEC_ROOT_B64}\n",  # empty origin
        f"o\n05\n{SPEC_ROOT_B64}\n",  # leading zero
        f"o\n-1\n{SPEC_ROOT_B64}\n",
        f"o\n+1\n{SPEC_ROOT_B64}\n",
        f"o\n1 \n{SPEC_ROOT_B64}\n",
        f"o\n\u0661\n{SPEC_ROOT_B64}\n",  # Arabic-Indic digit one
        f"o\nten\n{SPEC_ROOT_B64}\n",
        f"o\n{2**63}\n{SPEC_ROOT_B64}\n",  # beyond a signed 64-bit size
        "o\n5\nnot base64!\n",
        f"o\n5\n{base64.b64encode(bytes(31)).decode()}\n",  # 31-byte root
        "o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n",  # non-canonical base64
        f"o\n5\n{SPEC_ROOT_B64}\n\n",  # empty extension line
        f"o\r\n5\n{SPEC_ROOT_B64}\n",  # carriage return
    ],
)
def test_parse_rejects_malformed_body(body: str) -> None:
    with pytest.raises(CheckpointError):
        parse_checkpoint(body)


@pytest.mark.parametrize(
    "cp",
    [
        Checkpoint("", 1, ROOT),
        Checkpoint("a\nb", 1, ROOT),
        Checkpoint("o", -1, ROOT),
        Checkpoint("o", True, ROOT),
        Checkpoint("o", 1, ROOT[:31]),
        Checkpoint("o", 1, ROOT, ("",)),
        Checkpoint("o", 1, ROOT, ("two\nlines",)),
    ],
)
def test_format_rejects_invalid_checkpoint(cp: Checkpoint) -> None:
    with pytest.raises(CheckpointError):
        format_checkpoint(cp)


def test_signed_checkpoint_round_trips() -> None:
    key = keys.generate_key()
    cp = Checkpoint(keys.log_origin(key.public_key()), 42, ROOT)
    assert open_checkpoint(sign_checkpoint(cp, key), key.public_key()) == cp


def test_signed_checkpoint_has_design_layout() -> None:
    key = keys.generate_key()
    origin = keys.log_origin(key.public_key())
    note = sign_checkpoint(Checkpoint(origin, 7, ROOT), key)
    lines = note.split("\n")
    assert lines[:4] == [origin, "7", base64.b64encode(ROOT).decode(), ""]
    dash, name, signature = lines[4].split(" ")
    assert (dash, name) == ("—", origin)
    assert len(base64.b64decode(signature)) == 4 + 64
    assert lines[5:] == [""]


def test_signed_checkpoint_bytes_are_accepted() -> None:
    key = keys.generate_key()
    cp = Checkpoint(keys.log_origin(key.public_key()), 1, ROOT)
    assert open_checkpoint(sign_checkpoint(cp, key).encode(), key.public_key()) == cp


def test_sign_rejects_origin_of_another_log() -> None:
    with pytest.raises(CheckpointError, match="origin"):
        sign_checkpoint(Checkpoint("example.com/other", 1, ROOT), keys.generate_key())


def test_open_rejects_checkpoint_signed_by_another_key() -> None:
    key, other = keys.generate_key(), keys.generate_key()
    note = sign_checkpoint(Checkpoint(keys.log_origin(key.public_key()), 1, ROOT), key)
    with pytest.raises(NoteError):
        open_checkpoint(note, other.public_key())


def test_open_rejects_modified_size() -> None:
    key = keys.generate_key()
    note = sign_checkpoint(Checkpoint(keys.log_origin(key.public_key()), 41, ROOT), key)
    with pytest.raises(NoteError, match="bad signature"):
        open_checkpoint(note.replace("\n41\n", "\n42\n", 1), key.public_key())


def test_open_rejects_signed_body_naming_another_origin() -> None:
    key = keys.generate_key()
    body = format_checkpoint(Checkpoint("example.com/other", 1, ROOT))
    note = sign_note(body, keys.log_origin(key.public_key()), key)
    with pytest.raises(CheckpointError, match="origin"):
        open_checkpoint(note, key.public_key())


def test_open_rejects_signed_malformed_body() -> None:
    key = keys.generate_key()
    origin = keys.log_origin(key.public_key())
    note = sign_note(f"{origin}\n01\n{base64.b64encode(ROOT).decode()}\n", origin, key)
    with pytest.raises(CheckpointError):
        open_checkpoint(note, key.public_key())
