"""Verify an hour-proof bundle, step by step in the order of DESIGN §6.

Each step either passes (with a one-line detail) or fails naming the file and the
reason; verification stops at the first failure. Input that is not a bundle at all
raises MalformedBundle (exit 2). Nothing inside the bundle is trusted on its own:
the key must match the pin (or is reported unpinned), TSA roots come only from the
shipped set and the verifier's own ``--tsa-root`` files.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hourproof.core import leaves as lk
from hourproof.core.summary import SummaryError, SummaryRow, from_csv, to_csv
from hourproof.core.timeparse import TimeParseError, from_rfc3339
from hourproof.ledger import keys
from hourproof.ledger.canonical import parse_canonical
from hourproof.ledger.checkpoint import Checkpoint, CheckpointError, open_checkpoint
from hourproof.ledger.merkle import ProofError, verify_consistency, verify_inclusion
from hourproof.ledger.note import NoteError
from hourproof.ledger.sshsig import SshSigError, sshsig_verify
from hourproof.ledger.tlogproof import TlogProofError
from hourproof.proof import format as f
from hourproof.proof.inclusion import (
    ProofCache,
    Walk,
    exact_proof,
    leaf_hashes,
    split_proof,
)
from hourproof.proof.model import Statement
from hourproof.proof.statement import StatementError, build_statement
from hourproof.proof.zipread import MalformedBundle, read_bundle

if TYPE_CHECKING:
    from cryptography import x509

REQUIRED = (f.README, f.MANIFEST, f.MANIFEST_SIG, f.ALLOWED_SIGNERS, f.VKEY, f.ENTRIES, f.SUMMARY)


class StepFailed(Exception):
    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file, self.reason = file, reason


@dataclass
class Step:
    name: str
    ok: bool
    detail: str


@dataclass
class VerifyOptions:
    pinned_keys: list[Ed25519PublicKey] | None = None  # from --allowed-signers
    pinned_fingerprint: str | None = None  # from --key
    known_checkpoint: str | None = None  # a signed note the client saw before
    #: Checkpoints remembered per signer fingerprint (trust on first use); used when no
    #: known_checkpoint is given and the bundle's signer has one.
    remembered: dict[str, str] = field(default_factory=dict)
    tsa_roots: list[x509.Certificate] = field(default_factory=list)
    repo: Path | None = None
    cosign: Any = None  # proof.cosign_step.CosignOptions (witness keys, approvals you gave)
    #: What this verifier remembers from earlier bundles (store.chains.Memory or None).
    memory: Memory | None = None


@dataclass
class VerifyResult:
    steps: list[Step] = field(default_factory=list)
    failure: StepFailed | None = None
    pinned: bool = False
    signer: Ed25519PublicKey | None = None
    fingerprint: str | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    export_note: str | None = None
    tree_size: int = 0
    statement: Statement | None = None
    summary: list[SummaryRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    commits_checked: int = 0
    cosign: Any = None  # proof.cosign_step.CosignReport
    version: int = 0
    #: (blinded client id, (size, count, head)) the completeness step proved.
    chain: tuple[bytes, tuple[int, int, bytes | None]] | None = None
    #: Every disclosed leaf: index -> (leaf hash, entry id it belongs to or None).
    disclosed: dict[int, tuple[bytes, int | None]] = field(default_factory=dict)
    complete_from: int | None = None  # completeness holds for leaves at this index on

    @property
    def ok(self) -> bool:
        return self.failure is None


class Memory(Protocol):
    """The verifier's memory of earlier bundles (trust on first use)."""

    def chain(self, fingerprint: str, blinded: bytes) -> Any: ...
    def leaves(self, fingerprint: str) -> dict[int, tuple[bytes, int | None]]: ...
    def name(self, identity: str, recipient: str) -> str | None: ...


class _Verifier:
    def __init__(self, files: dict[str, bytes], opts: VerifyOptions) -> None:
        self.files, self.opts = files, opts
        #: The members under anchors/ (checkpoints, tokens, consistency proofs), sorted.
        self.anchor_names = sorted(name for name in files if name.startswith("anchors/"))
        self.r = VerifyResult()
        self.checkpoints: dict[int, Checkpoint] = {}
        self.anchor_times: list[tuple[int, datetime, str]] = []
        self.leaves: dict[int, dict[str, Any]] = {}
        self.leaf_bytes: dict[int, bytes] = {}
        self.leaf_hashes: dict[int, bytes] = {}  # RFC 6962 leaf hashes (inclusion step)
        #: seq -> (index, hash lines, checkpoint) of its proof file, as the inclusion step
        #: read it (for the report check, which embeds the same proofs).
        self.proof_lines: dict[int, tuple[int, list[str], str]] = {}
        #: The same for proofs whose checkpoint is the export's, read from bytes.
        self.proof_raw_lines: dict[int, tuple[int, list[bytes]]] = {}
        self.proof_cache = ProofCache()
        self.walked: dict[int, int] = {}  # chain number -> leaf index (completeness step)
        self.since_count = 0

    def text(self, name: str) -> str:
        try:
            return self.files[name].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise StepFailed(name, "not UTF-8 text") from exc

    # 1. manifest signature and pinned key
    def signature(self) -> str:
        for name in REQUIRED:
            if name not in self.files:
                raise StepFailed(name, "missing from the bundle")
        try:
            manifest = parse_canonical(self.files[f.MANIFEST])
        except ValueError as exc:  # CanonicalError, or rfc8785's errors (huge ints, surrogates)
            raise StepFailed(f.MANIFEST, f"not canonical JSON: {exc}") from exc
        if not isinstance(manifest, dict):
            raise StepFailed(f.MANIFEST, "not a JSON object")
        if manifest.get("format") != f.FORMAT or manifest.get("version") not in f.READ_VERSIONS:
            raise StepFailed(f.MANIFEST, f"unknown format {manifest.get('format')!r} version "
                             f"{manifest.get('version')!r} (this verifier reads "
                             f"{f.FORMAT} v1 and v2)")  # fmt: skip
        self.r.version = int(manifest["version"])
        if self.r.version >= 2 and f.COMPLETENESS not in self.files:
            raise StepFailed(f.COMPLETENESS, "missing from a version 2 bundle")
        try:
            signer = sshsig_verify(self.text(f.MANIFEST_SIG), self.files[f.MANIFEST], f.NAMESPACE)
        except SshSigError as exc:
            raise StepFailed(f.MANIFEST_SIG, f"bad signature: {exc}") from exc
        try:
            listed = keys.parse_allowed_signers(self.text(f.ALLOWED_SIGNERS))
        except keys.HourproofKeyError as exc:
            raise StepFailed(f.ALLOWED_SIGNERS, str(exc)) from exc
        blob = keys.public_key_blob(signer)
        if not any(keys.public_key_blob(s.public_key) == blob for s in listed):
            raise StepFailed(f.ALLOWED_SIGNERS, "the manifest's signer is not listed")
        # The README's ssh-keygen command uses this identity and namespace: it must work.
        identity = manifest.get("contractor")
        if not any(
            keys.public_key_blob(s.public_key) == blob and identity in s.principals
            and (s.namespaces is None or f.NAMESPACE in s.namespaces)
            for s in listed
        ):  # fmt: skip
            raise StepFailed(f.ALLOWED_SIGNERS, f"does not list the signer as {identity!r} for "
                             f"namespace {f.NAMESPACE}")  # fmt: skip
        if not self.files[f.VKEY].isascii():
            raise StepFailed(f.VKEY, "contains a byte that is not ASCII (a verifier key is ASCII)")
        try:
            vkey_name, vkey_pub = keys.parse_verifier_key(self.text(f.VKEY).strip())
        except (keys.HourproofKeyError, ValueError) as exc:
            raise StepFailed(f.VKEY, str(exc)) from exc
        if (
            vkey_name != keys.log_origin(signer)
            or keys.public_key_blob(vkey_pub) != blob
            or self.files[f.VKEY] != (keys.verifier_key(vkey_name, signer) + "\n").encode()
        ):
            raise StepFailed(f.VKEY, "is not the verifier key of the manifest's signer")
        fpr = keys.fingerprint(signer)
        if manifest.get("fingerprint") != fpr:
            raise StepFailed(f.MANIFEST, "fingerprint field does not match the signing key")
        if manifest.get("origin") != keys.log_origin(signer):
            raise StepFailed(f.MANIFEST, "origin does not belong to the signing key")
        self.r.signer, self.r.fingerprint, self.r.manifest = signer, fpr, manifest
        if self.opts.pinned_keys is not None:
            if not any(keys.public_key_blob(k) == blob for k in self.opts.pinned_keys):
                raise StepFailed(f.MANIFEST_SIG, f"signed by {fpr}, not by a key you pinned")
            self.r.pinned = True
        if self.opts.pinned_fingerprint is not None:
            if self.opts.pinned_fingerprint != fpr:
                raise StepFailed(f.MANIFEST_SIG, f"signed by {fpr}, not by the pinned "
                                 f"{self.opts.pinned_fingerprint}")  # fmt: skip
            self.r.pinned = True
        memory = self.opts.memory
        recipient = manifest.get("recipient")
        if (
            not self.r.pinned
            and memory is not None
            and isinstance(identity, str)
            and isinstance(recipient, str)
        ):
            before = memory.name(identity, recipient)
            if before is not None and before != fpr:
                raise StepFailed(f.MANIFEST_SIG, f"KEY CHANGED: signed by {fpr}, but the bundles "
                                 f"you verified from {identity!r} for {recipient!r} were signed "
                                 f"by {before}. If the contractor really changed keys, confirm "
                                 "the new fingerprint with them and verify with "
                                 f"--key {fpr}")  # fmt: skip
        pin = "pinned key" if self.r.pinned else "UNPINNED key (trust on first use)"
        return f"signed by {fpr} ({pin})"

    # 2. every file hash
    def file_hashes(self) -> str:
        listed = self.r.manifest.get("files")
        if not isinstance(listed, dict):
            raise StepFailed(f.MANIFEST, "no files map")
        present = set(self.files) - {f.MANIFEST, f.MANIFEST_SIG}
        for name in sorted(present - set(listed)):
            raise StepFailed(name, "not listed in the manifest")
        for name in sorted(set(listed) - present):
            raise StepFailed(name, "listed in the manifest but missing")
        for name, digest in sorted(listed.items()):
            if hashlib.sha256(self.files[name]).hexdigest() != digest:
                raise StepFailed(name, "content does not match its hash in the manifest")
        return f"{len(listed)} files match the manifest"

    # 3. canonical bytes, no duplicate keys
    def canonical_entries(self) -> str:
        data = self.files[f.ENTRIES]
        if data and not data.endswith(b"\n"):
            raise StepFailed(f.ENTRIES, "last line is not terminated")
        previous = -1
        lines = data.split(b"\n")[:-1]
        quick_values = _quick_leaves(data, len(lines))
        for n, (line, quick) in enumerate(zip(lines, quick_values, strict=True), start=1):
            try:
                leaf = quick if quick is not None else parse_canonical(line)
            except ValueError as exc:  # CanonicalError or rfc8785's own errors
                raise StepFailed(f.ENTRIES, f"line {n}: {exc}") from exc
            try:
                lk.validate_leaf(leaf)
            except (lk.LeafError, TypeError, AttributeError) as exc:
                raise StepFailed(f.ENTRIES, f"line {n}: {exc}") from exc
            seq = leaf["seq"]
            if seq <= previous:
                what = "duplicated" if seq == previous else "out of order"
                raise StepFailed(f.ENTRIES, f"line {n}: leaf {seq} is {what}")
            previous = seq
            self.leaves[seq], self.leaf_bytes[seq] = leaf, line
        if not self.leaves:
            raise StepFailed(f.ENTRIES, "no entries disclosed")
        return f"{len(self.leaves)} leaves in canonical form"

    # 4. checkpoint signatures
    def checkpoint_signatures(self) -> str:
        assert self.r.signer is not None
        try:
            size = int(self.r.manifest["tree_size"])
        except (KeyError, TypeError, ValueError) as exc:
            raise StepFailed(f.MANIFEST, "no tree_size") from exc
        for name in self.anchor_names:
            match = f.CHECKPOINT_RE.match(name)
            if not match:
                continue
            try:
                cp = open_checkpoint(self.files[name], self.r.signer)
            except (NoteError, CheckpointError) as exc:
                raise StepFailed(name, f"checkpoint signature: {exc}") from exc
            if cp.size != int(match.group(1)):
                raise StepFailed(name, f"holds size {cp.size}, not the size in its name")
            self.checkpoints[cp.size] = cp
        if size not in self.checkpoints:
            raise StepFailed(f.checkpoint_path(size), "the export checkpoint is missing")
        self.r.tree_size = size
        self.r.export_note = self.text(f.checkpoint_path(size))
        return f"{len(self.checkpoints)} checkpoints signed by the contractor's key"

    # 5. TSA tokens against pinned roots
    def tokens(self) -> str:
        if not any(f.TSR_RE.match(name) for name in self.anchor_names):
            return "no trusted timestamp: every entry is Self-reported"
        from hourproof.timestamp.roots import load_shipped_roots
        from hourproof.timestamp.verify import TsaError, verify_response

        roots = list(load_shipped_roots()) + list(self.opts.tsa_roots)
        for name in self.anchor_names:
            match = f.TSR_RE.match(name)
            if not match:
                continue
            size = int(match.group(1))
            if size not in self.checkpoints:
                raise StepFailed(name, "no checkpoint of that size in the bundle")
            try:
                token = verify_response(
                    self.files[name], self.files[f.checkpoint_path(size)], roots
                )
            except TsaError as exc:
                if exc.reason == "untrusted":
                    self.r.warnings.append(f"{name}: not counted, its TSA root is not trusted "
                                           "here (pass --tsa-root PEM to trust it)")  # fmt: skip
                    continue
                raise StepFailed(name, f"timestamp token: {exc}") from exc
            except Exception as exc:
                # Damaged DER surfaces from deep inside asn1crypto (lazy parsing) and
                # cryptography (UnsupportedAlgorithm, DuplicateExtension, ValueError…):
                # whatever it is, it is this file's fault, never a traceback.
                first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise StepFailed(name, f"timestamp token is malformed ({first})") from exc
            self.anchor_times.append((size, token.gen_time, token.tsa_subject))
        if not self.anchor_times:
            return "no trusted timestamp: every entry is Self-reported"
        latest = max(self.anchor_times, key=lambda a: a[1])
        return f"{len(self.anchor_times)} trusted timestamps, newest {latest[1].isoformat()}"

    # 6. consistency between anchors and from the client's known checkpoint
    def consistency(self) -> str:
        proofs: dict[tuple[int, int], dict[str, Any]] = {}
        for name in self.anchor_names:
            match = f.CONSISTENCY_RE.match(name)
            if match:
                proofs[(int(match.group(1)), int(match.group(2)))] = self._consistency_file(name)
        for (a, b), body in proofs.items():
            self._check_consistency(f.consistency_path(a, b), a, b, body)
        for size in sorted(self.checkpoints):
            if size > self.r.tree_size:
                raise StepFailed(f.checkpoint_path(size), "is beyond the export size")
            if not _reaches(size, self.r.tree_size, proofs):
                raise StepFailed(f.checkpoint_path(size), "not proven to be part of the "
                                 "exported log (consistency proof missing)")  # fmt: skip
        detail = f"{len(proofs)} consistency proofs; the log only grew"
        known = self.opts.known_checkpoint
        if known is None and self.r.fingerprint in self.opts.remembered:
            known = self.opts.remembered[self.r.fingerprint]
            detail += " (checked against the checkpoint remembered from this signer)"
        if known is not None:
            detail += "; " + self._check_known(known, proofs)
        return detail

    def _consistency_file(self, name: str) -> dict[str, Any]:
        try:
            body = parse_canonical(self.files[name])
            if not isinstance(body, dict) or set(body) != {"size1", "size2", "root1", "root2",
                                                           "proof"}:  # fmt: skip
                raise ValueError("fields must be size1, size2, root1, root2, proof")
            return {
                "size1": _int(body["size1"]), "size2": _int(body["size2"]),
                "root1": _b64(body["root1"]), "root2": _b64(body["root2"]),
                "proof": [_b64(h) for h in _list(body["proof"])],
            }  # fmt: skip
        except (ValueError, KeyError, TypeError) as exc:
            raise StepFailed(name, f"malformed consistency proof ({exc})") from exc

    def _check_consistency(self, name: str, a: int, b: int, body: dict[str, Any]) -> None:
        if (body["size1"], body["size2"]) != (a, b):
            raise StepFailed(name, "sizes inside do not match its name")
        for size, root in ((a, body["root1"]), (b, body["root2"])):
            cp = self.checkpoints.get(size)
            if cp is None:
                raise StepFailed(name, f"no signed checkpoint of size {size}")
            if cp.root != root:
                raise StepFailed(name, f"root of size {size} differs from its signed checkpoint")
        try:
            verify_consistency(a, b, body["root1"], body["root2"], body["proof"])
        except ProofError as exc:
            raise StepFailed(name, f"log was rewritten between sizes {a} and {b}: {exc}") from exc

    def _check_known(self, note: str, proofs: dict[tuple[int, int], dict[str, Any]]) -> str:
        assert self.r.signer is not None
        try:
            known = open_checkpoint(note, self.r.signer)
        except (NoteError, CheckpointError) as exc:
            raise StepFailed("known checkpoint", f"not signed by this contractor: {exc}") from exc
        size = self.r.tree_size
        if known.size > size:
            raise StepFailed(f.MANIFEST, f"log rolled back: you saw size {known.size}, this bundle "
                             f"is at {size}")  # fmt: skip
        if known.size == size:
            if known.root != self.checkpoints[size].root:
                raise StepFailed(f.checkpoint_path(size), "forked log: same size as the "
                                 "checkpoint you know, different root")  # fmt: skip
            return f"same log as the checkpoint you know (size {size})"
        body = proofs.get((known.size, size))
        if body is None:
            raise StepFailed(f.consistency_path(known.size, size), "missing: the bundle does not "
                             f"prove it extends the log you saw (size {known.size})")  # fmt: skip
        if body["root1"] != known.root:
            raise StepFailed(f.consistency_path(known.size, size), "forked log: it does not extend "
                             "the checkpoint you know")  # fmt: skip
        return f"extends the log you saw at size {known.size}"

    # 7. inclusion of each entry
    def inclusion(self) -> str:
        export = self.checkpoints[self.r.tree_size]
        proof_files = {int(m.group(1)): n for n in self.files if (m := f.PROOF_RE.match(n))}
        for index in sorted(set(proof_files) - set(self.leaves)):
            raise StepFailed(proof_files[index], "proof for a leaf that is not disclosed")
        cache = self.proof_cache
        hashes = leaf_hashes(list(self.leaf_bytes.values()))
        self.leaf_hashes = dict(zip(self.leaf_bytes, hashes, strict=True))
        assert self.r.export_note is not None
        note = self.r.export_note.encode()
        if not note or note.startswith(b"\n") or not note.endswith(b"\n"):
            note = b""  # not a checkpoint a tlog-proof can carry: every file takes the full path
        walk = Walk(export.size, export.root)
        for seq, digest in self.leaf_hashes.items():
            name = f.proof_path(seq)
            if seq not in proof_files:
                raise StepFailed(name, f"missing inclusion proof for leaf {seq}")
            quick = exact_proof(self.files[name], note, cache) if note else None
            if quick is not None:
                index, path, raw_lines = quick
                self.proof_raw_lines[seq] = (index, raw_lines)
            else:
                try:
                    proof, lines = split_proof(self.text(name), cache)
                except TlogProofError as exc:
                    raise StepFailed(name, str(exc)) from exc
                if lines is not None:
                    self.proof_lines[seq] = (proof.index, lines, proof.checkpoint)
                index, path = proof.index, proof.hashes
                if index == seq and proof.checkpoint != self.r.export_note:
                    raise StepFailed(name, "its checkpoint is not the export checkpoint")
            if index != seq:
                raise StepFailed(name, f"proves index {index}, not {seq}")
            if walk.check(seq, digest, path):
                continue
            try:  # the reference check says why (and has the last word)
                verify_inclusion(seq, export.size, digest, path, export.root)
            except ProofError as exc:
                raise StepFailed(name, f"leaf {seq} is not in the signed log: {exc}") from exc
        return f"{len(self.leaf_bytes)} leaves are in the signed log of size {export.size}"

    # 8. git objects in the client's clone
    def commits(self) -> str:
        wanted: dict[str, str] = {}
        for seq, leaf in self.leaves.items():
            if leaf["kind"] == lk.GIT_COMMIT:
                commit, digest = leaf["commit"], leaf["object_sha256"]
                if not isinstance(commit, str) or not isinstance(digest, str):
                    raise StepFailed(f.ENTRIES, f"leaf {seq}: commit and object_sha256 must be "
                                     "strings")  # fmt: skip
                wanted[commit] = digest
        if self.opts.repo is None:
            return f"{len(wanted)} cited commits (pass --repo CLONE to check them)"
        if not wanted:
            return "no commits cited"
        from hourproof.sources.git import verify_commits_in_clone

        problems = verify_commits_in_clone(self.opts.repo, wanted)
        if problems:
            raise StepFailed(f.ENTRIES, "; ".join(problems[:5]))
        self.r.commits_checked = len(wanted)
        return f"{len(wanted)} commits found in {self.opts.repo.name} with identical objects"

    def _reports(self, st: Statement) -> str:
        return _report_checks(self, st)

    # 9. totals
    def totals(self) -> str:
        m = self.r.manifest
        try:
            period = m["period"]
            lo, hi = from_rfc3339(period["from"]), from_rfc3339(period["to"])
            created = from_rfc3339(m["created_at"])
            recipient = m["recipient"]
            if not isinstance(recipient, str):
                raise TypeError("recipient is not a string")
        except (KeyError, TypeError, AttributeError, TimeParseError) as exc:
            raise StepFailed(f.MANIFEST, f"bad period, created_at or recipient ({exc})") from exc
        try:
            st, rows = build_statement(
                self.leaves, self.anchor_times, contractor=str(m.get("contractor")),
                fingerprint=self.r.fingerprint or "", client=recipient,
                project=m.get("project"), period_start=lo, period_end=hi,
                generated_at=created, tree_size=self.r.tree_size,
            )  # fmt: skip
        except (StatementError, KeyError, TypeError, ValueError, AttributeError) as exc:
            # AttributeError: validate_leaf lets a required time field be null.
            raise StepFailed(f.ENTRIES, f"entries do not fold: {exc!r}") from exc
        for entry in st.entries:
            if entry.client != recipient:
                raise StepFailed(f.ENTRIES, f"entry {entry.id} is for client {entry.client!r}, "
                                 f"not the bundle's recipient {recipient!r}")  # fmt: skip
        try:
            claimed = from_csv(self.files[f.SUMMARY])
        except SummaryError as exc:
            raise StepFailed(f.SUMMARY, str(exc)) from exc
        if claimed != rows:
            bad = next((c for c, r in zip(claimed, rows, strict=False) if c != r), None)
            hint = f" (first difference: {bad.day} {bad.project})" if bad else ""
            raise StepFailed(f.SUMMARY, f"does not add up to the disclosed entries{hint}")
        if self.files[f.SUMMARY] != to_csv(rows):  # e.g. an hours column that lies
            raise StepFailed(f.SUMMARY, "differs from the rows re-derived from the entries "
                             "(hours column, order or formatting)")  # fmt: skip
        self.r.statement, self.r.summary = st, rows
        reports = self._reports(st)
        return reports + (
            f"summary.csv matches: {st.total_seconds // 3600} h {st.total_seconds % 3600 // 60} min"
        )


def _refuse(text: str) -> Any:
    raise ValueError(text)


#: One decoder and one encoder for every line (``json.dumps`` with options builds a
#: new encoder per call). Floats and NaN/Infinity make a line take the strict path.
_DECODE = json.JSONDecoder(parse_float=_refuse, parse_constant=_refuse).raw_decode
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
#: An integer of 16 digits or more (it might be beyond 2^53 - 1): inside an object an
#: integer follows ``:``, ``,`` or ``[``. Text in a string can match too; that line
#: then just takes the strict path (and so does a line that is not an object).
_LONG_DIGITS = re.compile(r"[:,\[]-?[0-9]{16}")


def _quick_leaves(data: bytes, count: int) -> list[Any]:
    """The parsed value of each entries.jsonl line where a C-speed check proves that
    ``parse_canonical`` accepts the line and returns this value; None where it must
    decide (and name the error). The check is ``parse_canonical``'s own fast path
    (RFC 8785 output equals sorted-key ``json`` output for float-free values with
    ASCII keys and integers within 2^53), without its per-object duplicate-key hook:
    a line with a duplicate key parses to fewer members than it shows, so it never
    re-serializes to itself and takes the strict path, which names the duplicate."""
    try:
        whole = data.decode("utf-8")
    except UnicodeDecodeError:
        return [None] * count
    texts = whole.split("\n")[:-1]
    if len(texts) != count:  # cannot happen: b"\n" is only ever the newline in UTF-8
        return [None] * count
    long_digits = _LONG_DIGITS.search(whole) is not None
    out: list[Any] = []
    for text in texts:
        value = None
        if not (long_digits and _LONG_DIGITS.search(text)):
            try:
                value, end = _DECODE(text)  # from index 0: leading whitespace fails
                if (
                    end != len(text)
                    or type(value) is not dict
                    or _ENCODE(value) != text
                    or not (text.isascii() or _ascii_keys(value))
                ):
                    value = None
            except (ValueError, TypeError, RecursionError):
                value = None
        out.append(value)
    return out


def _ascii_keys(value: Any) -> bool:
    if type(value) is dict:
        return all(key.isascii() and _ascii_keys(item) for key, item in value.items())
    if type(value) is list:
        return all(_ascii_keys(item) for item in value)
    return True


def _report_checks(v: _Verifier, st: Statement) -> str:
    """report.html and report.pdf must show the verified statement (bundle format §10)."""
    checked = []
    if f.REPORT_HTML in v.files:
        from hourproof.proof.report_check import report_problems

        note, texts = v.r.export_note or "", v.proof_cache.texts
        proofs = dict(v.proof_lines)
        for seq, (index, raw_lines) in v.proof_raw_lines.items():
            proofs[seq] = (index, texts(raw_lines), note)
        problems = report_problems(
            v.files[f.REPORT_HTML], v.files, st, seqs=list(v.leaf_bytes), proofs=proofs
        )
        if problems:
            raise StepFailed(f.REPORT_HTML, problems[0])
        checked.append("report.html")
    if f.REPORT_PDF in v.files:
        from hourproof.proof.report_binding import pdf_problems

        problem = pdf_problems(v.files[f.REPORT_PDF], st)
        if problem:
            raise StepFailed(f.REPORT_PDF, problem)
        checked.append("report.pdf")
    return f"{' and '.join(checked)} show these figures; " if checked else ""


def _reaches(start: int, goal: int, proofs: dict[tuple[int, int], dict[str, Any]]) -> bool:
    """Whether verified consistency proofs chain ``start`` to ``goal``."""
    frontier, seen = [start], {start}
    while frontier:
        size = frontier.pop()
        if size == goal:
            return True
        for a, b in proofs:
            if a == size and b not in seen:
                seen.add(b)
                frontier.append(b)
    return False


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("size is not a non-negative integer")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("proof is not a list")
    return value


def _b64(value: Any) -> bytes:
    if not isinstance(value, str):
        raise ValueError("hash is not a string")
    raw = base64.b64decode(value, validate=True)
    if len(raw) != 32 or base64.b64encode(raw).decode("ascii") != value:
        raise ValueError("hash is not canonical base64 of 32 bytes")
    return raw


def _completeness_step(verifier: _Verifier) -> str:
    from hourproof.proof.completeness import completeness

    return completeness(verifier)


def _earlier_step(verifier: _Verifier) -> str:
    from hourproof.proof.completeness import earlier_bundles

    return earlier_bundles(verifier)


def _cosign_step(verifier: _Verifier) -> str:
    from hourproof.proof.cosign_step import run

    return run(verifier)


STEPS: list[tuple[str, Callable[[_Verifier], str]]] = [
    ("manifest signature", _Verifier.signature),
    ("file hashes", _Verifier.file_hashes),
    ("canonical entries", _Verifier.canonical_entries),
    ("checkpoint signatures", _Verifier.checkpoint_signatures),
    ("timestamp tokens", _Verifier.tokens),
    ("approvals and witnesses", _cosign_step),
    ("log consistency", _Verifier.consistency),
    ("entry inclusion", _Verifier.inclusion),
    ("completeness", _completeness_step),
    ("earlier bundles", _earlier_step),
    ("git commits", _Verifier.commits),
    ("totals", _Verifier.totals),
]


def verify_files(files: dict[str, bytes], opts: VerifyOptions) -> VerifyResult:
    verifier = _Verifier(files, opts)
    for name, step in STEPS:
        try:
            detail = step(verifier)
        except StepFailed as exc:
            verifier.r.steps.append(Step(name, False, f"{exc.file}: {exc.reason}"))
            verifier.r.failure = exc
            return verifier.r
        verifier.r.steps.append(Step(name, True, detail))
    return verifier.r


def verify_bundle(data: bytes, opts: VerifyOptions) -> VerifyResult:
    """Verify bundle bytes; MalformedBundle when it is not a readable bundle."""
    return verify_files(read_bundle(data), opts)


__all__ = ["MalformedBundle", "VerifyOptions", "VerifyResult", "verify_bundle", "verify_files"]
