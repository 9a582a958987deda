"""README.txt of a bundle: what is and is not proven, and how to check it by hand."""

from __future__ import annotations

from hourproof.proof import format as f
from hourproof.proof.model import DOES_NOT_PROVE, PROVES

_HASH_CHECK = (
    'python3 -c \'import json,hashlib;m=json.load(open("manifest.json"));'
    '[print(p, "OK" if hashlib.sha256(open(p,"rb").read()).hexdigest()==h else '
    '"MISMATCH") for p,h in sorted(m["files"].items())]\''
)


def _sig_check(identity: str) -> str:
    return (
        f"ssh-keygen -Y verify -f allowed_signers -I {identity} -n {f.NAMESPACE} "
        "-s manifest.json.sig < manifest.json"
    )


def _bullets(lines: tuple[str, ...]) -> str:
    return "\n".join(f"  - {line}" for line in lines)


def readme_text(
    *, identity: str, fingerprint: str, client: str, period: str, tree_size: int,
    tsr_sizes: list[int],
) -> str:  # fmt: skip
    tsr_cmds = (
        "\n".join(
            f"    openssl ts -verify -data {f.checkpoint_path(s)} -in {f.tsr_path(s)} "
            "-CAfile TSA-ROOT.pem"
            for s in tsr_sizes[:3]
        )
        or "    (this bundle carries no timestamp token yet: every entry is Self-reported)"
    )
    more = (
        f"\n    … and likewise for each of the {len(tsr_sizes)} .tsr files"
        if len(tsr_sizes) > 3
        else ""
    )
    return f"""HOUR-PROOF BUNDLE
=================

Contractor key:  {fingerprint}   (signer identity "{identity}")
Client:          {client}
Period:          {period}
Log size:        {tree_size} leaves

Compare the key fingerprint above with the one in your contract BEFORE trusting
anything else here. Everything below is only as good as that comparison.

What this bundle proves
{_bullets(PROVES)}

What it does not prove
{_bullets(DOES_NOT_PROVE)}

Labels in the reports: "Recorded by <time>" = the entry was in the log by that
time (trusted timestamp); "Self-reported" = no trusted time covers it; "Verified"
= checked cryptographically (signatures, sums, commits in your clone).
An entry recorded more than 24 hours after it ended is flagged LATE.

HOW TO CHECK IT
---------------
Easiest: install hourproof and run
    hourproof verify THIS-FILE.hproof --key {fingerprint}

With standard tools only (unzip the bundle into a folder and cd into it):

1. The key is the contractor's (must print {fingerprint}):
    awk '{{print $3, $4}}' allowed_signers | ssh-keygen -lf -

2. The manifest is signed by that key (OpenSSH 8.1 or newer):
    {_sig_check(identity)}

3. Every file is the one the manifest lists (each line must say OK):
    {_HASH_CHECK}

4. The log existed at the timestamped times (TSA-ROOT.pem = the root certificate of
   the timestamp authority, e.g. DigiCert Trusted Root G4, from your system's CA store):
{tsr_cmds}{more}

Inclusion proofs (proofs/*.tlog-proof) and consistency proofs (anchors/*.json) follow
RFC 9162 and C2SP tlog-proof; `hourproof verify` checks them all, together with the
checkpoint signatures (C2SP signed notes, key in contractor.vkey) and the totals
in summary.csv. completeness.json (bundle format 2) proves that every leaf about you
in the range this bundle covers is included: your hash chain, walked back from the
head each checkpoint commits to. Leaves written after the newest timestamped
checkpoint in this bundle are covered only by the contractor's own signature until a
later bundle (docs/bundle-format.md, "Threat model").
"""
