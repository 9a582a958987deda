"""The verifier's "approvals and witnesses" step, and the labels it adds afterwards.

Runs after the checkpoint signatures are checked and before log consistency, so a
rewritten history is reported as what it is — equivocation against a checkpoint
the client cosigned — rather than as a plain fork. Checks:

- every ``approval`` leaf disclosed: the client's statement signature, its
  cosignature/v1 on the contractor's checkpoint, and that checkpoint's signature;
- for those and for every approval this verifier's own home signed for this log:
  the bundle holds the approved checkpoint (same size, same root), so the export
  extends it; another root at that size is equivocation;
- witness cosignatures (``anchors/<size>.cosignatures``) against ``--witness`` keys.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from hourproof.core import leaves as lk
from hourproof.ledger import cosignature as cs
from hourproof.ledger import keys
from hourproof.ledger.canonical import parse_canonical
from hourproof.proof import format as f
from hourproof.proof.witness_check import WitnessCheckFailed, WitnessReport, check_witnesses

if TYPE_CHECKING:  # approval_check is imported where there are approvals (most verifies: none)
    from hourproof.proof.approval_check import Approval, Equivocation
    from hourproof.proof.verify import VerifyResult

APPROVED, CONTESTED = "Approved", "Contested"


@dataclass
class CosignOptions:
    witnesses: list[cs.Cosigner] = field(default_factory=list)
    quorum: int | None = None
    #: approval objects this verifier's home signed (any contractor; filtered by origin)
    given: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class CosignReport:
    approvals: list[Approval] = field(default_factory=list)
    given: list[Approval] = field(default_factory=list)
    witness: WitnessReport | None = None
    equivocation: Equivocation | None = None


def _consistency_bodies(files: dict[str, bytes]) -> dict[tuple[int, int], dict[str, Any]]:
    out: dict[tuple[int, int], dict[str, Any]] = {}
    for name in files:
        match = f.CONSISTENCY_RE.match(name)
        if not match:
            continue
        try:
            body = parse_canonical(files[name])
            out[(int(match.group(1)), int(match.group(2)))] = {
                "size1": int(body["size1"]), "size2": int(body["size2"]),
                "root1": base64.b64decode(body["root1"], validate=True),
                "root2": base64.b64decode(body["root2"], validate=True),
                "proof": [base64.b64decode(h, validate=True) for h in body["proof"]],
            }  # fmt: skip
        except (ValueError, KeyError, TypeError):
            continue  # the consistency step names malformed files
    return out


def run(v: Any) -> str:
    """The step (``v`` is proof.verify's verifier: files, checkpoints, leaves, r, opts)."""
    from hourproof.proof.verify import StepFailed

    opts: CosignOptions = getattr(v.opts, "cosign", None) or CosignOptions()
    report = CosignReport()
    v.r.cosign = report
    notes = {size: v.text(f.checkpoint_path(size)) for size in v.checkpoints}
    n_ok = n_contest = 0
    if opts.given or any(leaf["kind"] == lk.APPROVAL for leaf in v.leaves.values()):
        n_ok, n_contest = _approvals(v, opts, report, notes)
    bodies = {s: cs.split_note(n)[0] for s, n in notes.items()}
    try:
        report.witness = check_witnesses(v.files, bodies, opts.witnesses, opts.quorum)
    except WitnessCheckFailed as exc:
        raise StepFailed(exc.file, exc.reason) from exc
    parts = []
    parts.append(f"{n_ok} approval(s), {n_contest} contest(s) by the client verified")
    if report.given:
        parts.append(f"extends the {len(report.given)} checkpoint(s) you cosigned")
    w = report.witness
    if opts.witnesses:
        parts.append(
            f"{len(w.cosigned)} of {w.configured} witnesses cosigned (needed {w.required})"
        )
    elif w.lines:
        parts.append(f"{w.lines} witness cosignature line(s) (pass --witness VKEY to check them)")
    return "; ".join(parts)


def _approvals(
    v: Any, opts: CosignOptions, report: CosignReport, notes: dict[int, str]
) -> tuple[int, int]:
    """The approvals part of :func:`run`: the approval leaves disclosed and those this
    verifier's home gave, checked against the bundle's checkpoints. Returns how many
    approvals and contests by the client were verified."""
    from hourproof.proof.approval_check import (
        APPROVE,
        CONTEST,
        ApprovalError,
        check_approval,
        find_equivocation,
    )
    from hourproof.proof.verify import StepFailed

    signer = v.r.signer
    recipient = v.r.manifest.get("recipient")
    for seq in sorted(v.leaves):
        leaf = v.leaves[seq]
        if leaf["kind"] != lk.APPROVAL:
            continue
        try:
            approval = check_approval(leaf["approval"], signer)
        except (ApprovalError, TypeError, AttributeError) as exc:
            raise StepFailed(f.ENTRIES, f"approval leaf {seq}: {exc}") from exc
        if approval.recipient != leaf["client"] or leaf["client"] != recipient:
            raise StepFailed(f.ENTRIES, f"approval leaf {seq} is not by this bundle's client")
        report.approvals.append(approval)
    origin = keys.log_origin(signer)
    for obj in opts.given:
        if not isinstance(obj, dict) or obj.get("statement", {}).get("origin") != origin:
            continue
        try:
            report.given.append(check_approval(obj, signer))
        except ApprovalError:
            continue  # not for this key
    checkpoints = {s: (cp, notes[s]) for s, cp in v.checkpoints.items()}
    proofs = _consistency_bodies(v.files)
    export = v.r.tree_size
    for approval in [*report.given, *report.approvals]:
        who = f"{approval.recipient} ({approval.client_fingerprint})"
        eq = find_equivocation(approval, checkpoints, proofs)
        if eq is not None:
            report.equivocation = eq
            raise StepFailed(
                f.checkpoint_path(approval.tree_size), f"equivocation: {eq.explanation}"
            )
        if approval.tree_size > export:
            raise StepFailed(f.MANIFEST, f"the log is at size {export}, below the size "
                             f"{approval.tree_size} that {who} cosigned")  # fmt: skip
        have = checkpoints.get(approval.tree_size)
        if have is None:
            raise StepFailed(f.checkpoint_path(approval.tree_size), "missing: the bundle does "
                             f"not prove it extends the checkpoint {who} cosigned")  # fmt: skip
    n_ok = sum(a.kind == APPROVE for a in report.approvals)
    return n_ok, sum(a.kind == CONTEST for a in report.approvals)


def cosign_report(result: VerifyResult) -> CosignReport | None:
    report: CosignReport | None = getattr(result, "cosign", None)
    return report


def apply_labels(result: VerifyResult) -> None:
    """Label entries Approved (all their leaves under an approved size) or Contested."""
    report = cosign_report(result)
    st = result.statement
    if report is None or st is None or not report.approvals:
        return
    from hourproof.proof.approval_check import APPROVE, CONTEST

    approved = max((a.tree_size for a in report.approvals if a.kind == APPROVE), default=0)
    contested: set[int] = set()
    whole: int = 0
    for a in report.approvals:
        if a.kind == CONTEST:
            contested.update(a.entries)
            if not a.entries:
                whole = max(whole, a.tree_size)
    labelled = []
    for entry in st.entries:
        last = max([entry.id, *(m.leaf for m in entry.amendments)])
        if entry.id in contested or last < whole:
            entry = replace(entry, label=CONTESTED)
        elif last < approved:
            entry = replace(entry, label=APPROVED)
        labelled.append(entry)
    st.entries = labelled


def summary_lines(result: VerifyResult) -> list[str]:
    """ "Approved by <client> (SHA256:…) on <date> through size N: H hours, amounts"."""
    from hourproof.core.money import format_amount
    from hourproof.core.timeparse import format_duration

    report = cosign_report(result)
    if report is None:
        return []
    lines = []
    if report.approvals:  # (the loop below runs only then)
        from hourproof.proof.approval_check import APPROVE
    for a in report.approvals:
        money = ", ".join(format_amount(v, c) for c, v in sorted(a.amounts.items()))
        when = a.signed_at.strftime("%Y-%m-%d")
        if a.kind == APPROVE:
            lines.append(
                f"Approved by {a.recipient} ({a.client_fingerprint}) on {when} through size "
                f"{a.tree_size}: {format_duration(a.total_seconds)} hours"
                + (f", {money}" if money else "") + (f" — {a.note}" if a.note else "")
            )  # fmt: skip
        else:
            what = f"entries {', '.join(f'#{e}' for e in a.entries)}" if a.entries else "the bundle"
            lines.append(
                f"Contested by {a.recipient} ({a.client_fingerprint}) on {when} at size "
                f"{a.tree_size}: {what} — {a.reason}"
            )
    w = report.witness
    if w is not None and w.configured:
        for name, (size, stamp) in sorted(w.cosigned.items()):
            lines.append(f"Witnessed by {name} at size {size} (cosigned at unix time {stamp})")
    return lines
