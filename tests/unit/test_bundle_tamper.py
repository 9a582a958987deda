"""Tampered hour-proof bundles fail verification with a precise reason (issue 3).

Why: a bundle is only worth something if every change to it is caught and named.
Most cases re-sign the manifest with the contractor's own key after the change, so
the manifest hash alone cannot catch them: the later steps (canonical form, checkpoint
signatures, timestamps, consistency, inclusion, totals) must. Zip-level damage must
be refused as MalformedBundle (exit 2), never a traceback.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hourproof.core.timeparse import from_rfc3339, to_rfc3339
from hourproof.ledger import keys
from hourproof.ledger.canonical import canonical
from hourproof.ledger.checkpoint import Checkpoint, sign_checkpoint
from hourproof.ledger.tlogproof import TlogProof, format_tlog_proof, parse_tlog_proof
from hourproof.proof import format as f
from hourproof.proof.verify import VerifyResult
from hourproof.proof.zipread import MalformedBundle, read_bundle
from hourproof.services import tracking
from tests.support import bundles as b
from tests.support.tsa import TestTsa

STEPS = [
    "manifest signature",
    "file hashes",
    "canonical entries",
    "checkpoint signatures",
    "timestamp tokens",
    "approvals and witnesses",
    "log consistency",
    "entry inclusion",
    "completeness",
    "earlier bundles",
    "git commits",
    "totals",
]


@dataclass
class World:
    data: bytes
    files: dict[str, bytes]
    key: Ed25519PrivateKey
    roots: list[x509.Certificate]
    other_files: dict[str, bytes]
    other_key: Ed25519PrivateKey
    later_note: bytes  # a checkpoint of the same log, signed after the export


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("tamper")
    with TestTsa() as tsa:
        home = b.build_home(root / "a", tsa.url, tsa.root_pem)
        data = b.export(home, root / "a.hproof")
        roots = [tsa.root_cert]
    home.clock.advance(hours=1)
    tracking.add(
        home.app, "website", b._at(20, 9), b._at(20, 10), tracking.Details(client=b.CLIENT_A)
    )
    with home.app.read() as conn:
        later = conn.exec_driver_sql(
            "SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1"
        ).scalar_one()
    other = b.build_home(root / "other", with_evidence=False)
    other_data = b.export(other, root / "other.hproof", reports=False)
    yield World(
        data, b.unzip(data), home.key, roots, b.unzip(other_data), other.key, later.encode()
    )
    home.close()
    other.close()


def check(world: World, files: dict[str, bytes], **opts: Any) -> VerifyResult:
    return b.check(files, world.roots, **opts)


def failed(result: VerifyResult, step: str, file: str, *words: str) -> str:
    """Assert the verdict failed at ``step`` naming ``file``; returns the reason."""
    assert not result.ok, "tampered bundle verified"
    assert result.failure is not None
    last = result.steps[-1]
    assert (last.name, last.ok) == (step, False), result.steps
    assert result.failure.file == file, result.failure
    for word in words:
        assert word in result.failure.reason, result.failure.reason
    assert [s.name for s in result.steps] == STEPS[: STEPS.index(step) + 1]
    return result.failure.reason


def resigned(
    world: World, edits: dict[str, bytes | None] | None = None, **manifest: Any
) -> dict[str, bytes]:
    return b.resign(world.files, world.key, edits, manifest)


def with_line(world: World, index: int, leaf: dict[str, Any] | bytes) -> dict[str, bytes]:
    lines = b.entry_lines(world.files)
    lines[index] = leaf if isinstance(leaf, bytes) else canonical(leaf)
    return resigned(world, {f.ENTRIES: b.jsonl(lines)})


# --- the untouched bundle ---------------------------------------------------------------


def test_untouched_bundle_passes_every_step(world: World) -> None:
    result = check(world, world.files)
    assert result.ok, result.steps
    assert [s.name for s in result.steps] == STEPS and all(s.ok for s in result.steps)
    assert "3 trusted timestamps" in result.steps[4].detail
    assert result.statement is not None and result.statement.total_seconds == 9 * 3600 + 45 * 60


def test_resigning_without_changes_keeps_the_bundle_valid(world: World) -> None:
    assert check(world, resigned(world)).ok


def test_pinned_key_is_reported_as_pinned(world: World) -> None:
    fpr = keys.fingerprint(world.key.public_key())
    assert check(world, world.files, pinned_fingerprint=fpr).pinned
    assert check(world, world.files, pinned_keys=[world.key.public_key()]).pinned
    assert not check(world, world.files).pinned


def test_another_pinned_key_fails_at_the_signature(world: World) -> None:
    other = keys.fingerprint(world.other_key.public_key())
    result = check(world, world.files, pinned_fingerprint=other)
    failed(result, "manifest signature", f.MANIFEST_SIG, "not by the pinned")


# --- signature and file hashes ----------------------------------------------------------


def test_every_changed_byte_of_an_entry_line_fails_its_hash(world: World) -> None:
    data = world.files[f.ENTRIES]
    first = data.index(b"\n")
    for pos in [*range(first + 1), *(i for i, c in enumerate(data) if c == 10)]:
        changed = bytearray(data)
        changed[pos] ^= 0x20
        result = check(world, {**world.files, f.ENTRIES: bytes(changed)})
        failed(result, "file hashes", f.ENTRIES, "does not match its hash")


def test_changed_manifest_without_the_key_fails_the_signature(world: World) -> None:
    manifest = b.manifest_of(world.files)
    manifest["recipient"] = b.CLIENT_B
    result = check(world, {**world.files, f.MANIFEST: canonical(manifest)})
    failed(result, "manifest signature", f.MANIFEST_SIG, "bad signature")


def test_manifest_signed_by_an_unlisted_key_fails(world: World) -> None:
    files = b.resign(world.files, world.other_key)
    failed(check(world, files), "manifest signature", f.ALLOWED_SIGNERS, "not listed")


def test_forgery_under_another_key_fails_the_pin(world: World) -> None:
    files = b.resign(world.files, world.other_key, adopt=True)
    fpr = keys.fingerprint(world.key.public_key())
    result = check(world, files, pinned_fingerprint=fpr)
    failed(result, "manifest signature", f.MANIFEST_SIG, "not by the pinned")


def test_forgery_under_another_key_fails_at_the_checkpoints_when_unpinned(world: World) -> None:
    files = b.resign(world.files, world.other_key, adopt=True)
    # Checkpoints are checked in name order: anchors/14.checkpoint comes first.
    failed(check(world, files), "checkpoint signatures", f.checkpoint_path(14), "signature")


def test_allowed_signers_under_another_identity_fails(world: World) -> None:
    line = keys.allowed_signers_line("someone-else", world.key.public_key()) + "\n"
    files = resigned(world, {f.ALLOWED_SIGNERS: line.encode()})
    failed(check(world, files), "manifest signature", f.ALLOWED_SIGNERS, "'contractor'")


def test_verifier_key_of_another_key_fails(world: World) -> None:
    pub = world.other_key.public_key()
    vkey = keys.verifier_key(keys.log_origin(pub), pub) + "\n"
    files = resigned(world, {f.VKEY: vkey.encode()})
    failed(check(world, files), "manifest signature", f.VKEY, "not the verifier key")


def test_member_not_in_the_manifest_fails(world: World) -> None:
    files = {**world.files, "proofs/99.tlog-proof": b"x"}
    failed(check(world, files), "file hashes", "proofs/99.tlog-proof", "not listed")


def test_listed_member_that_is_missing_fails(world: World) -> None:
    files = dict(world.files)
    del files[f.proof_path(13)]
    failed(check(world, files), "file hashes", f.proof_path(13), "missing")


def test_required_member_dropped_and_resigned_fails(world: World) -> None:
    files = resigned(world, {f.SUMMARY: None})
    failed(check(world, files), "manifest signature", f.SUMMARY, "missing from the bundle")


# --- entries.jsonl, re-signed by the contractor ----------------------------------------


def _mutate(name: str, value: Any) -> Any:
    """A different value of the same shape (a valid time stays a valid time)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if value is None:
        return "x"
    if isinstance(value, str):
        if name == "salt":
            return base64.b64encode(hashlib.sha256(value.encode()).digest()[:16]).decode()
        if value.endswith("Z") and value[:4].isdigit():
            return to_rfc3339(
                from_rfc3339(value).replace(second=(from_rfc3339(value).second + 1) % 60)
            )
        return value + "x"
    if isinstance(value, list):
        return [*value, value[0]] if value else ["x"]
    assert isinstance(value, dict)
    first = sorted(value)[0]
    return {**value, first: _mutate(first, value[first])}


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
    "repo",
    "commit",
    "object_format",
    "object_sha256",
    "tree",
    "author_date",
    "committer_date",
    "files_changed",
    "insertions",
    "deletions",
    "subject",
    "watch",
    "files",
    "more_files",
    "events",
    "content_sha256",
]


@pytest.mark.parametrize("field", FIELDS)
def test_changed_field_of_any_entry_fails(world: World, field: str) -> None:
    leaves = b.leaves_of(world.files)
    holders = [i for i, leaf in enumerate(leaves) if field in leaf]
    assert holders, f"no disclosed leaf has {field}: the fixture lost coverage"
    for index in holders:
        leaf = dict(leaves[index])
        leaf[field] = _mutate(field, leaf[field])
        result = check(world, with_line(world, index, leaf))
        assert not result.ok, (field, index)
        assert result.failure is not None
        if result.steps[-1].name == "canonical entries":
            # a changed seq may clash with the next line
            line = re.match(r"line (\d+): ", result.failure.reason)
            assert result.failure.file == f.ENTRIES and line, result.failure
            assert int(line.group(1)) in (index + 1, index + 2), result.failure
        else:
            assert result.steps[-1].name == "entry inclusion", result.steps
            assert result.failure.file.startswith("proofs/"), result.failure


def test_every_changed_byte_of_an_entry_line_fails_even_resigned(world: World) -> None:
    data = world.files[f.ENTRIES]
    end = data.index(b"\n")
    first = json.loads(data[:end])["seq"]
    for pos in range(end):
        changed = bytearray(data)
        changed[pos] ^= 0x01
        result = check(world, resigned(world, {f.ENTRIES: bytes(changed)}))
        assert not result.ok, pos
        assert result.failure is not None
        assert result.failure.file in (f.ENTRIES, f.proof_path(first)), result.failure


def test_entry_with_a_new_value_is_not_in_the_signed_log(world: World) -> None:
    at = next(i for i, lf in enumerate(b.leaves_of(world.files)) if lf["seq"] == 2)
    leaf = b.leaves_of(world.files)[at]
    leaf["end"] = "2026-10-02T18:00:00Z"
    result = check(world, with_line(world, at, leaf))
    failed(result, "entry inclusion", f.proof_path(2), "leaf 2 is not in the signed log")


def test_dropped_entry_with_its_proof_left_behind_fails(world: World) -> None:
    lines = b.entry_lines(world.files)
    files = resigned(world, {f.ENTRIES: b.jsonl(lines[:-1])})
    failed(check(world, files), "entry inclusion", f.proof_path(18), "not disclosed")


def test_dropped_entry_that_was_amended_fails(world: World) -> None:
    lines = [ln for ln in b.entry_lines(world.files) if b'"seq":2,' not in ln]
    files = resigned(world, {f.ENTRIES: b.jsonl(lines), f.proof_path(2): None})
    failed(check(world, files), "completeness", f.ENTRIES, "omits a leaf about its client")


def test_dropped_standalone_entry_no_longer_adds_up(world: World) -> None:
    lines = [ln for ln in b.entry_lines(world.files) if b'"seq":13,' not in ln]
    files = resigned(world, {f.ENTRIES: b.jsonl(lines), f.proof_path(13): None})
    failed(check(world, files), "completeness", f.ENTRIES, "omits a leaf about its client")


def test_dropped_removal_no_longer_adds_up(world: World) -> None:
    lines = [ln for ln in b.entry_lines(world.files) if b'"seq":8,' not in ln]
    files = resigned(world, {f.ENTRIES: b.jsonl(lines), f.proof_path(8): None})
    failed(check(world, files), "completeness", f.ENTRIES, "omits a leaf about its client")


def test_dropped_evidence_leaf_fails(world: World) -> None:
    lines = [ln for ln in b.entry_lines(world.files) if b'"seq":14,' not in ln]
    files = resigned(world, {f.ENTRIES: b.jsonl(lines), f.proof_path(14): None})
    failed(check(world, files), "totals", f.ENTRIES, "cites evidence leaf 14")


def test_duplicated_entry_fails(world: World) -> None:
    lines = b.entry_lines(world.files)
    files = resigned(world, {f.ENTRIES: b.jsonl([lines[0], *lines])})
    failed(check(world, files), "canonical entries", f.ENTRIES, "line 2", "duplicated")


def test_reordered_entries_fail(world: World) -> None:
    lines = b.entry_lines(world.files)
    lines[2], lines[3] = lines[3], lines[2]
    files = resigned(world, {f.ENTRIES: b.jsonl(lines)})
    failed(check(world, files), "canonical entries", f.ENTRIES, "line 4", "out of order")


def test_unterminated_last_line_fails(world: World) -> None:
    files = resigned(world, {f.ENTRIES: world.files[f.ENTRIES][:-1]})
    failed(check(world, files), "canonical entries", f.ENTRIES, "not terminated")


def test_entry_of_client_b_slipped_in_fails(world: World) -> None:
    leaves = b.leaves_of(world.files)
    leaf = dict(leaves[-1])
    leaf["client"] = b.CLIENT_B
    disclosed = {lf["seq"]: canonical(lf) for lf in leaves[:-1]}
    disclosed[leaf["seq"]] = canonical(leaf)
    files = b.forge(world.files, world.key, disclosed, summary=False)
    failed(check(world, files), "totals", f.ENTRIES, "entry 18 is for client", b.CLIENT_B)


# --- proofs, checkpoints, timestamps, consistency --------------------------------------


def test_proof_from_another_tree_fails(world: World) -> None:
    files = resigned(world, {f.proof_path(2): world.other_files[f.proof_path(2)]})
    failed(check(world, files), "entry inclusion", f.proof_path(2), "not the export checkpoint")


def test_proof_path_from_another_tree_under_this_checkpoint_fails(world: World) -> None:
    theirs = parse_tlog_proof(world.other_files[f.proof_path(2)].decode())
    ours = parse_tlog_proof(world.files[f.proof_path(2)].decode())
    forged = format_tlog_proof(TlogProof(2, theirs.hashes, ours.checkpoint)).encode()
    files = resigned(world, {f.proof_path(2): forged})
    failed(check(world, files), "entry inclusion", f.proof_path(2), "not in the signed log")


def test_proof_of_another_index_fails(world: World) -> None:
    files = resigned(world, {f.proof_path(2): world.files[f.proof_path(4)]})
    failed(check(world, files), "entry inclusion", f.proof_path(2), "proves index 4, not 2")


def test_export_checkpoint_resigned_by_another_key_fails(world: World) -> None:
    size = b.export_size(world.files)
    note = b.resign_note(world.files[f.checkpoint_path(size)], world.other_key)
    files = resigned(world, {f.checkpoint_path(size): note})
    failed(check(world, files), "checkpoint signatures", f.checkpoint_path(size), "signature")


def test_anchor_checkpoint_resigned_by_another_key_fails(world: World) -> None:
    note = b.resign_note(world.files[f.checkpoint_path(7)], world.other_key)
    files = resigned(world, {f.checkpoint_path(7): note})
    failed(check(world, files), "checkpoint signatures", f.checkpoint_path(7), "signature")


def test_checkpoint_under_the_wrong_name_fails(world: World) -> None:
    files = resigned(world, {f.checkpoint_path(7): world.files[f.checkpoint_path(14)]})
    failed(check(world, files), "checkpoint signatures", f.checkpoint_path(7), "holds size 14")


def test_missing_export_checkpoint_fails(world: World) -> None:
    files = resigned(world, tree_size=21)
    failed(check(world, files), "checkpoint signatures", f.checkpoint_path(21), "missing")


def test_token_over_another_checkpoint_fails(world: World) -> None:
    files = resigned(world, {f.tsr_path(7): world.files[f.tsr_path(14)]})
    failed(check(world, files), "timestamp tokens", f.tsr_path(7), "timestamp token")


def test_garbage_token_fails_without_a_traceback(world: World) -> None:
    files = resigned(world, {f.tsr_path(7): world.files[f.tsr_path(7)][:200]})
    failed(check(world, files), "timestamp tokens", f.tsr_path(7), "timestamp token")


def test_token_without_a_checkpoint_fails(world: World) -> None:
    files = resigned(world, {f.tsr_path(3): world.files[f.tsr_path(7)]})
    failed(check(world, files), "timestamp tokens", f.tsr_path(3), "no checkpoint")


def test_token_from_an_unpinned_root_does_not_count(world: World) -> None:
    result = b.check(world.files, [])
    assert result.ok
    assert sum("not counted" in w for w in result.warnings) == 3
    assert result.statement is not None
    assert {e.label for e in result.statement.entries} == {"Self-reported"}
    pinned = check(world, world.files)
    assert pinned.statement is not None
    assert "Self-reported" not in {e.label for e in pinned.statement.entries}


def test_missing_consistency_proof_fails(world: World) -> None:
    files = resigned(world, {f.consistency_path(7, 14): None})
    failed(check(world, files), "log consistency", f.checkpoint_path(7), "not proven")


def test_consistency_proof_with_a_changed_hash_fails(world: World) -> None:
    body = json.loads(world.files[f.consistency_path(7, 14)])
    body["proof"][0] = base64.b64encode(bytes(32)).decode()
    files = resigned(world, {f.consistency_path(7, 14): canonical(body)})
    failed(check(world, files), "log consistency", f.consistency_path(7, 14), "rewritten")


def test_consistency_proof_with_a_foreign_root_fails(world: World) -> None:
    body = json.loads(world.files[f.consistency_path(7, 14)])
    body["root1"] = base64.b64encode(bytes(32)).decode()
    files = resigned(world, {f.consistency_path(7, 14): canonical(body)})
    failed(check(world, files), "log consistency", f.consistency_path(7, 14), "differs")


# --- the client's known checkpoint: rollback and fork -----------------------------------


def test_bundle_older_than_the_known_checkpoint_is_a_rollback(world: World) -> None:
    result = check(world, world.files, known_checkpoint=world.later_note.decode())
    failed(result, "log consistency", f.MANIFEST, "rolled back")


def test_known_checkpoint_of_the_same_size_and_another_root_is_a_fork(world: World) -> None:
    size = b.export_size(world.files)
    origin = keys.log_origin(world.key.public_key())
    note = sign_checkpoint(Checkpoint(origin, size, bytes(32)), world.key)
    result = check(world, world.files, known_checkpoint=note)
    failed(result, "log consistency", f.checkpoint_path(size), "forked")


def test_log_that_does_not_extend_the_known_checkpoint_is_a_fork(world: World) -> None:
    origin = keys.log_origin(world.key.public_key())
    note = sign_checkpoint(Checkpoint(origin, 14, bytes(32)), world.key)
    result = check(world, world.files, known_checkpoint=note)
    failed(result, "log consistency", f.consistency_path(14, 20), "forked")


def test_known_checkpoint_without_a_proof_to_it_fails(world: World) -> None:
    origin = keys.log_origin(world.key.public_key())
    note = sign_checkpoint(Checkpoint(origin, 10, bytes(32)), world.key)
    result = check(world, world.files, known_checkpoint=note)
    failed(result, "log consistency", f.consistency_path(10, 20), "missing")


def test_known_checkpoint_of_another_signer_fails(world: World) -> None:
    note = world.other_files[f.checkpoint_path(b.export_size(world.other_files))].decode()
    result = check(world, world.files, known_checkpoint=note)
    failed(result, "log consistency", "known checkpoint", "not signed by this contractor")


def test_known_checkpoint_on_the_exported_log_passes(world: World) -> None:
    note = world.files[f.checkpoint_path(14)].decode()
    result = check(world, world.files, known_checkpoint=note)
    step = next(s for s in result.steps if s.name == "log consistency")
    assert result.ok and "extends the log you saw at size 14" in step.detail


# --- recipient, summary.csv -------------------------------------------------------------


def test_bundle_for_a_relabelled_for_b_fails(world: World) -> None:
    files = resigned(world, recipient=b.CLIENT_B)
    failed(check(world, files), "totals", f.ENTRIES, "not the bundle's recipient", b.CLIENT_B)


def _summary(world: World, edit: Any) -> dict[str, bytes]:
    lines = world.files[f.SUMMARY].decode().splitlines(keepends=True)
    return resigned(world, {f.SUMMARY: "".join(edit(lines)).encode()})


SUMMARY_EDITS = {
    "seconds": lambda ls: [ls[0], ls[1].replace(",10800,", ",10860,"), *ls[2:]],
    "amount": lambda ls: [ls[0], ls[1].replace(",28500,", ",28600,"), *ls[2:]],
    "hours column": lambda ls: [ls[0], ls[1].replace(",3:00:00,", ",4:00:00,"), *ls[2:]],
    "project": lambda ls: [ls[0], ls[1].replace(",website,", ",webshop,"), *ls[2:]],
    "row dropped": lambda ls: ls[:-1],
    "row added": lambda ls: [*ls, "2026-10-30,website,3600,1:00:00,9500,EUR\n"],
    "row duplicated": lambda ls: [*ls, ls[-1]],
    "rows reordered": lambda ls: [ls[0], ls[2], ls[1], *ls[3:]],
}


@pytest.mark.parametrize("edit", sorted(SUMMARY_EDITS))
def test_summary_that_does_not_add_up_fails(world: World, edit: str) -> None:
    files = _summary(world, SUMMARY_EDITS[edit])
    assert files[f.SUMMARY] != world.files[f.SUMMARY]
    failed(check(world, files), "totals", f.SUMMARY)


def test_summary_with_a_bad_header_fails(world: World) -> None:
    files = _summary(world, lambda ls: ["day,project,secs\n", *ls[1:]])
    failed(check(world, files), "totals", f.SUMMARY, "header")


# --- JSON: duplicate keys, canonical form, huge numbers ---------------------------------


def test_duplicate_key_in_an_entry_fails(world: World) -> None:
    line = b.entry_lines(world.files)[0]
    dup = line[:-1] + b',"v":1}'
    failed(
        check(world, with_line(world, 0, dup)),
        "canonical entries",
        f.ENTRIES,
        "line 1",
        "duplicate",
    )


def test_duplicate_key_in_the_manifest_fails(world: World) -> None:
    manifest = resigned(world)[f.MANIFEST]
    files = b.sign_manifest(world.files, world.key, manifest[:-1] + b',"version":1}')
    failed(check(world, files), "manifest signature", f.MANIFEST, "duplicate")


def test_duplicate_key_in_a_consistency_proof_fails(world: World) -> None:
    body = world.files[f.consistency_path(7, 14)]
    files = resigned(world, {f.consistency_path(7, 14): body[:-1] + b',"size1":7}'})
    failed(check(world, files), "log consistency", f.consistency_path(7, 14), "duplicate")


NON_CANONICAL = {
    "spaces": lambda line: line.replace(b'","', b'", "', 1),
    "key order": lambda line: b'{"v":1,' + line[1:].replace(b',"v":1', b""),
    "escaped letter": lambda line: line.replace(b'"kind":"entry', b'"kind":"\\u0065ntry', 1),
    "carriage return": lambda line: line + b"\r",
    "pretty printed": lambda line: (
        json.dumps(json.loads(line), indent=1).encode().replace(b"\n", b"")
    ),
}


@pytest.mark.parametrize("how", sorted(NON_CANONICAL))
def test_non_canonical_entry_fails(world: World, how: str) -> None:
    at = next(i for i, ln in enumerate(b.entry_lines(world.files)) if b'"kind":"entry' in ln)
    line = b.entry_lines(world.files)[at]
    changed = NON_CANONICAL[how](line)
    assert changed != line and json.loads(changed) == json.loads(line)
    result = check(world, with_line(world, at, changed))
    failed(result, "canonical entries", f.ENTRIES, f"line {at + 1}")


def test_non_canonical_manifest_fails(world: World) -> None:
    manifest = json.dumps(b.manifest_of(resigned(world)), indent=2).encode()
    files = b.sign_manifest(world.files, world.key, manifest)
    failed(check(world, files), "manifest signature", f.MANIFEST, "not canonical")


def test_non_canonical_consistency_proof_fails(world: World) -> None:
    body = json.dumps(json.loads(world.files[f.consistency_path(7, 14)]), indent=1).encode()
    files = resigned(world, {f.consistency_path(7, 14): body})
    failed(check(world, files), "log consistency", f.consistency_path(7, 14), "malformed")


def test_integer_beyond_json_range_in_an_entry_fails(world: World) -> None:
    leaf = b.leaves_of(world.files)[0]
    leaf["seq"] = 2**53 + 1
    line = json.dumps(leaf, sort_keys=True, separators=(",", ":")).encode()
    failed(check(world, with_line(world, 0, line)), "canonical entries", f.ENTRIES, "line 1")


# --- base64, format version -------------------------------------------------------------


def test_bad_base64_salt_fails(world: World) -> None:
    leaf = b.leaves_of(world.files)[0]
    leaf["salt"] = "not*base64!"
    failed(check(world, with_line(world, 0, leaf)), "canonical entries", f.ENTRIES, "base64")


def test_bad_base64_in_an_inclusion_proof_fails(world: World) -> None:
    text = world.files[f.proof_path(2)].decode().split("\n")
    text[2] = "%%%" + text[2][3:]
    files = resigned(world, {f.proof_path(2): "\n".join(text).encode()})
    failed(check(world, files), "entry inclusion", f.proof_path(2), "base64")


def test_bad_base64_in_a_consistency_proof_fails(world: World) -> None:
    body = json.loads(world.files[f.consistency_path(7, 14)])
    body["root2"] = "***"
    files = resigned(world, {f.consistency_path(7, 14): canonical(body)})
    failed(check(world, files), "log consistency", f.consistency_path(7, 14), "malformed")


def test_bad_base64_root_in_a_checkpoint_fails(world: World) -> None:
    note = world.files[f.checkpoint_path(7)].decode().split("\n")
    note[2] = "!" + note[2][1:]
    files = resigned(world, {f.checkpoint_path(7): "\n".join(note).encode()})
    failed(check(world, files), "checkpoint signatures", f.checkpoint_path(7))


def test_bad_base64_signature_fails(world: World) -> None:
    sig = world.files[f.MANIFEST_SIG].decode().split("\n")
    sig[1] = "@@@@" + sig[1][4:]
    files = {**world.files, f.MANIFEST_SIG: "\n".join(sig).encode()}
    failed(check(world, files), "manifest signature", f.MANIFEST_SIG, "bad signature")


@pytest.mark.parametrize(
    "change", [{"version": 3}, {"version": "1"}, {"format": "hourproof-x"}, {"version": 0}]
)
def test_unknown_format_version_fails(world: World, change: dict[str, Any]) -> None:
    failed(
        check(world, resigned(world, **change)), "manifest signature", f.MANIFEST, "unknown format"
    )


# --- the zip itself: MalformedBundle ----------------------------------------------------


def malformed(data: bytes, *words: str) -> str:
    with pytest.raises(MalformedBundle) as caught:
        b.check_zip(data)
    message = str(caught.value)
    assert message and "\n" not in message
    for word in words:
        assert word in message, message
    return message


@pytest.mark.parametrize("keep", [0, 1, 3, 21, 0.5, -1, -22])
def test_truncated_zip_is_malformed(world: World, keep: float) -> None:
    cut = int(len(world.data) * keep) if isinstance(keep, float) else keep
    malformed(world.data[:cut])


@pytest.mark.parametrize(
    "name",
    [
        "../evil.txt",
        "proofs/../../evil",
        "/etc/passwd",
        "a\\..\\b",
        "C:/x",
        "./README.txt",
        "anchors//x",
        "proofs/",
    ],
)
def test_member_outside_the_bundle_is_malformed(world: World, name: str) -> None:
    data = b.rezip({**world.files, name: b"x"})
    assert name in {i.filename for i in zipfile.ZipFile(_io(data)).infolist()}
    malformed(data, "outside the bundle")


def test_duplicate_member_is_malformed(world: World) -> None:
    buf = _io()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in world.files.items():
            zf.writestr(name, data)
        with pytest.warns(UserWarning, match="Duplicate name"):
            zf.writestr(f.ENTRIES, b"")
    malformed(buf.getvalue(), "duplicate member")


def _io(data: bytes = b"") -> Any:
    import io

    return io.BytesIO(data)


def _patch_central(data: bytes, edit: Any) -> bytes:
    """Rewrite each central-directory record with ``edit(record) -> record``."""
    out, pos = bytearray(data), 0
    while (pos := bytes(out).find(b"PK\x01\x02", pos)) >= 0:
        out[pos : pos + 46] = edit(bytearray(out[pos : pos + 46]))
        pos += 46
    return bytes(out)


def test_member_bigger_than_the_cap_is_malformed() -> None:
    bomb = zlib.compress(bytes(f.MAX_MEMBER_BYTES + 1), 9)  # about 64 KB of deflate
    data = _with_raw_member("summary.csv", bomb[2:-4], f.MAX_MEMBER_BYTES + 1)
    malformed(data, "too large")


def test_member_that_compresses_too_well_is_malformed() -> None:
    malformed(b.rezip({f.README: bytes(4 * 1024 * 1024)}), "zip bomb")


def test_total_uncompressed_size_is_capped() -> None:
    # Each member claims 60 MB (stored, so no compression ratio): within the per-member
    # cap, but ten of them exceed the total. The caps must hold before anything inflates.
    files = {f"proofs/{i}.tlog-proof": b"x" for i in range(10)}
    data = b.rezip(files, zipfile.ZIP_STORED)

    def claim(rec: bytearray) -> bytearray:
        rec[20:28] = struct.pack("<II", 60 * 1024 * 1024, 60 * 1024 * 1024)
        return rec

    malformed(_patch_central(data, claim), "too large when uncompressed")


def test_member_that_lies_about_its_size_is_malformed() -> None:
    data = b.rezip({f.README: b"hello world " * 50})

    def shrink(rec: bytearray) -> bytearray:
        rec[24:28] = struct.pack("<I", 10)
        return rec

    malformed(_patch_central(data, shrink), f.README)


def test_encrypted_member_is_malformed() -> None:
    data = b.rezip({f.README: b"hello"})

    def encrypt(rec: bytearray) -> bytearray:
        rec[8] |= 1
        return rec

    malformed(_patch_central(data, encrypt), "cannot be read")


def test_corrupt_deflate_data_is_malformed() -> None:
    data = bytearray(b.rezip({f.README: bytes(range(256)) * 8}))
    start = data.index(f.README.encode()) + len(f.README)
    data[start : start + 8] = b"\xff" * 8
    malformed(bytes(data), f.README)


def test_too_many_members_is_malformed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(f, "MAX_MEMBERS", 5)
    malformed(b.rezip({f"proofs/{i}.tlog-proof": b"x" for i in range(6)}), "too many members")


def test_not_a_zip_is_malformed() -> None:
    malformed(b"%PDF-1.7 not a bundle", "not a bundle")


def test_reader_returns_every_member(world: World) -> None:
    assert read_bundle(world.data) == world.files


def _with_raw_member(name: str, deflated: bytes, size: int) -> bytes:
    """A zip holding one deflated member with the given raw stream and stated size."""
    crc = 0  # never reached: the size cap refuses the member before reading it
    local = (
        struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(deflated), size, len(name), 0
        )
        + name.encode()
    )
    central = (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            len(deflated),
            size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            0,
        )
        + name.encode()
    )
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(deflated), 0
    )
    return local + deflated + central + end


def test_verdict_line_says_trusted_time_when_tokens_cover_the_entries(world: World) -> None:
    from hourproof.proof.verdict import verdict_line

    result = check(world, world.files)
    assert result.ok and result.statement is not None
    assert verdict_line(result.statement).startswith("VERIFIED, with trusted time")
    untrusted = b.check(world.files)  # the test TSA's root not trusted: no trusted time
    assert untrusted.ok and untrusted.statement is not None
    assert verdict_line(untrusted.statement).startswith("VERIFIED, self-reported only")
