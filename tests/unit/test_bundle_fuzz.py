"""Fuzzing the bundle reader and verifier with hypothesis (a few thousand cases).

Why: a client runs ``hourproof verify`` on a file someone sent them. Whatever the
bytes, the only outcomes allowed are a VerifyResult (ok or a named failure) or
MalformedBundle (exit 2) — never another exception — and no change to a signed
member may ever verify. The seeds are a real anchored bundle; mutations hit the zip
structure, member contents (with and without re-signing the manifest) and, through
a forged self-consistent log, every field of the disclosed leaves.
"""

from __future__ import annotations

import json
import zipfile
from io import BytesIO
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hourproof.ledger.canonical import canonical
from hourproof.proof import format as f
from hourproof.proof.verify import VerifyResult
from hourproof.proof.zipread import MalformedBundle, read_bundle
from tests.support import bundles as b
from tests.support.tsa import TestTsa

FUZZ = settings(
    max_examples=700,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Seed:
    def __init__(self, data: bytes, roots: list[Any], key: Ed25519PrivateKey) -> None:
        self.data, self.roots, self.key = data, roots, key
        self.files = b.unzip(data)
        listed = b.manifest_of(self.files)["files"]
        self.signed = sorted([f.MANIFEST, *listed])
        with zipfile.ZipFile(BytesIO(data)) as zf:
            self.headers = sorted(info.header_offset for info in zf.infolist())
        self.leaves = {leaf["seq"]: leaf for leaf in b.leaves_of(self.files)}


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Seed:
    root = tmp_path_factory.mktemp("fuzz")
    with TestTsa() as tsa:
        home = b.build_home(root, tsa.url, tsa.root_pem)
        data = b.export(home, root / "a.hproof", reports=False)
        key = home.key
        home.close()
        return Seed(data, [tsa.root_cert], key)


def outcome(seed: Seed, data: bytes) -> VerifyResult | None:
    """Verify; None for MalformedBundle. Any other exception fails the test."""
    try:
        result = b.check_zip(data, seed.roots)
    except MalformedBundle as exc:
        assert str(exc) and "\n" not in str(exc)
        return None
    assert isinstance(result, VerifyResult)
    if not result.ok:
        assert result.failure is not None and result.failure.file and result.failure.reason
    return result


def test_seed_bundle_verifies(seed: Seed) -> None:
    result = outcome(seed, seed.data)
    assert result is not None
    assert result.ok, result.steps


@st.composite
def zip_edits(draw: st.DrawFn, seed: Seed) -> bytes:
    """Raw byte edits, biased towards local headers and the central directory."""
    data = bytearray(seed.data)
    n = len(data)
    spot = st.one_of(
        st.integers(0, n - 1),
        st.integers(max(0, n - 3000), n - 1),
        st.builds(
            lambda h, d: min(n - 1, h + d), st.sampled_from(seed.headers), st.integers(0, 45)
        ),
    )
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["set", "xor", "truncate", "delete", "insert"]))
        at = min(draw(spot), len(data) - 1)
        if op == "set":
            data[at] = draw(st.integers(0, 255))
        elif op == "xor":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del data[at:]
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        if not data:
            break
    return bytes(data)


@st.composite
def content_edits(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    op = draw(st.sampled_from(["xor", "truncate", "append", "insert", "replace", "swap"]))
    at = draw(st.integers(0, max(0, len(data) - 1)))
    if op == "xor" and data:
        data[at] ^= draw(st.integers(1, 255))
    elif op == "truncate":
        del data[at:]
    elif op == "append":
        data += draw(st.binary(min_size=1, max_size=16))
    elif op == "insert":
        data[at:at] = draw(st.sampled_from([b" ", b"\n", b"\r\n", b"0", b"=", b"\x00", b"\xff"]))
    elif op == "swap" and len(data) > 1:
        other = draw(st.integers(0, len(data) - 1))
        data[at], data[other] = data[other], data[at]
    else:
        data = bytearray(draw(st.binary(max_size=64)))
    return bytes(data)


def test_fuzz_raw_zip_bytes(seed: Seed) -> None:
    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        mutated = data.draw(zip_edits(seed))
        result = outcome(seed, mutated)
        if result is not None and result.ok:
            members = read_bundle(mutated)
            for name in seed.signed:
                assert members[name] == seed.files[name], name

    run()


def test_fuzz_changed_signed_member_never_verifies(seed: Seed) -> None:
    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(seed.signed))
        changed = data.draw(content_edits(seed.files[name]))
        if changed == seed.files[name]:
            return
        result = outcome(seed, b.rezip({**seed.files, name: changed}))
        assert result is not None and not result.ok, name

    run()


#: Members whose every byte matters even to their signer: a re-signed change must fail.
#: (allowed_signers is parsed like ssh-keygen does, so blank space may vary; a .tsr has
#: unsigned parts; README and reports are for humans.)
STRICT = (f.ENTRIES, f.SUMMARY, "proofs/", "anchors/", f.VKEY)


def test_fuzz_resigned_member_changes(seed: Seed) -> None:
    names = sorted(n for n in seed.files if n not in (f.MANIFEST, f.MANIFEST_SIG))

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(names))
        changed = data.draw(content_edits(seed.files[name]))
        if changed == seed.files[name]:
            return
        result = outcome(seed, b.rezip(b.resign(seed.files, seed.key, {name: changed})))
        assert result is not None
        if name.startswith(STRICT) and not name.endswith(".tsr"):
            assert not result.ok, (name, changed)

    run()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**60), 2**60) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)

FIELDS = [
    "v",
    "kind",
    "seq",
    "recorded_at",
    "salt",
    "after_anchor",
    "client",
    "project",
    "task",
    "tags",
    "note",
    "rate",
    "start",
    "end",
    "source",
    "entry",
    "reason",
    "changes",
    "evidence",
    "commit",
    "object_sha256",
    "author_date",
    "files",
    "watch",
]


def test_fuzz_forged_leaf_fields(seed: Seed) -> None:
    """Leaves the contractor's own key signed into a log: any field, any JSON value."""
    seqs = sorted(seed.leaves)

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        leaves = {s: dict(leaf) for s, leaf in seed.leaves.items()}
        for _ in range(data.draw(st.integers(1, 3))):
            leaf = leaves[data.draw(st.sampled_from(seqs))]
            field = data.draw(st.sampled_from(FIELDS) | st.text(max_size=5))
            if data.draw(st.booleans()) and field in leaf:
                del leaf[field]
            else:
                leaf[field] = data.draw(json_values)
        try:
            disclosed = {s: canonical(leaf) for s, leaf in leaves.items()}
        except ValueError:
            return
        size = b.export_size(seed.files) + data.draw(st.integers(0, 3))
        outcome(seed, b.rezip(b.forge(seed.files, seed.key, disclosed, size)))

    run()


def test_fuzz_forged_manifest_fields(seed: Seed) -> None:
    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        field = data.draw(
            st.sampled_from(
                [
                    "period",
                    "recipient",
                    "created_at",
                    "project",
                    "contractor",
                    "tree_size",
                    "version",
                    "format",
                ]
            )
        )
        value = data.draw(json_values | st.sampled_from(["2026-10-01T00:00:00Z", 20, 1]))
        try:
            files = b.resign(seed.files, seed.key, manifest={field: value})
        except ValueError:
            return
        outcome(seed, b.rezip(files))

    run()


def test_fuzz_garbage_is_malformed(seed: Seed) -> None:
    @FUZZ
    @given(
        st.binary(max_size=300)
        | st.builds(lambda p, t: p + t, st.just(b"PK\x03\x04"), st.binary(max_size=200))
    )
    def run(data: bytes) -> None:
        assert outcome(seed, data) is None

    run()


def test_forge_helper_makes_a_bundle_that_verifies(seed: Seed) -> None:
    disclosed = {s: canonical(leaf) for s, leaf in seed.leaves.items()}
    result = outcome(seed, b.rezip(b.forge(seed.files, seed.key, disclosed)))
    assert result is not None
    assert result.ok, result.steps
    assert json.loads(b.resign(seed.files, seed.key)[f.MANIFEST])["files"]
