"""Real hour-proof bundles for tests, and tools to tamper with them like an attacker would.

Why: the verifier must be shown genuine bundles (made by the exporter from a real
home) and then bundles changed in every way the issue lists. A change that only
breaks the manifest hash says little, so :func:`resign` rewrites members and signs
the manifest again, with the contractor's key (an insider, or a stolen key) or with
another key (``adopt=True`` also swaps the bundle's own key files, as a forger would);
the later steps of the verifier must then catch what was changed.

The home holds two clients. Client A ("Acme Corp") has manual and timer entries,
an amendment, a removal, an entry across midnight, a rate, and entries citing a git
commit and a file-activity span. Client B has distinctive names, notes, tasks, tags,
reasons, an unusual rate, a commit and a file path: :attr:`Home.secrets_b` lists every
one of them, for the privacy tests.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hourproof.core.activity import ActivitySpan
from hourproof.core.money import Rate, amount_for, format_amount
from hourproof.core.summary import to_csv
from hourproof.ledger import clientmap, keys
from hourproof.ledger.canonical import canonical, parse_canonical
from hourproof.ledger.checkpoint import Checkpoint, sign_checkpoint
from hourproof.ledger.merkle import MerkleTree, leaf_hash
from hourproof.ledger.note import sign_note
from hourproof.ledger.sshsig import sshsig_sign
from hourproof.ledger.tlogproof import TlogProof, format_tlog_proof
from hourproof.proof import format as f
from hourproof.proof.statement import build_statement
from hourproof.proof.verify import VerifyOptions, VerifyResult, verify_bundle, verify_files
from hourproof.services import anchoring, evidence, tracking
from hourproof.services.app import App
from hourproof.services.export import ExportRequest, export_bundle
from hourproof.services.startup import open_home

CLIENT_A = "Acme Corp"
CLIENT_B = "Zebulon Quartz Holdings"
PERIOD_FROM = datetime(2026, 10, 1, tzinfo=UTC)
PERIOD_TO = datetime(2026, 11, 1, tzinfo=UTC)
IDENTITY = "contractor"

RATE_A = Rate(9500, "EUR")
RATE_B = Rate(7654321, "CHF")

# Every piece of client B's data that the home records (amounts are added per entry).
B_PROJECT = "quartz-merger-diligence"
B_PROJECT_2 = "zq-offshore-restructure"
B_TASK = "vault-audit-zq"
B_TAG = "zq-confidential"
B_NOTE = "Zebulon merger memo, strictly private"
B_NOTE_2 = "Quartz amendment note xyzzy"
B_REASON = "ZQH asked to reword"
B_REASON_2 = "ZQH duplicate removal"
B_SUBJECT = "Zebulon secret subject plugh"
B_FILE = "zq-boardroom/merger-plan-plugh.docx"
B_AUTHOR = "partner@zebulon-quartz.example"


class Clock:
    """A settable clock: recorded_at times are deterministic and move forward."""

    def __init__(self, start: datetime = datetime(2026, 10, 2, 8, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@dataclass
class Home:
    """An open hourproof home with two clients' work in it."""

    root: Path
    app: App
    clock: Clock
    secrets_b: list[str] = field(default_factory=list)
    a_commits: list[str] = field(default_factory=list)

    @property
    def key(self) -> Ed25519PrivateKey:
        return self.app.key

    def close(self) -> None:
        self.app.close()


def git(repo: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    full = dict(
        os.environ,
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(repo.parent),
        **(env or {}),
    )
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=full
    ).stdout


def _repo_with_commit(path: Path, email: str, name: str, subject: str, when: datetime) -> str:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", email)
    git(path, "config", "user.name", "Someone")
    (path / name).parent.mkdir(parents=True, exist_ok=True)
    (path / name).write_text(subject + "\n")
    git(path, "add", name)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S+0000")
    git(
        path,
        "commit",
        "-q",
        "-m",
        subject,
        env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
    )
    return git(path, "rev-parse", "HEAD").strip()


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=UTC)


def _b_amounts(seconds: int) -> list[str]:
    minor = amount_for(seconds, RATE_B)
    return [str(minor), format_amount(minor, RATE_B.currency).split()[0]]


def build_home(
    root: Path,
    tsa_url: str | None = None,
    tsa_root_pem: bytes | None = None,
    with_evidence: bool = True,
) -> Home:
    """A home at ``root/home`` with client A's and client B's entries interleaved.

    With a TSA, the log is anchored twice along the way (so a bundle carries several
    tokens and consistency proofs between them) and once more by the export.
    """
    clock = Clock()
    app = open_home(root / "home")
    app.clock = clock
    home = Home(root, app, clock)
    if tsa_url is not None:
        anchoring.add_tsa(app, "test", tsa_url, tsa_root_pem)
    tick = clock.advance
    a, b = tracking.Details(client=CLIENT_A), tracking.Details(client=CLIENT_B)
    tracking.set_rate(app, "client", CLIENT_A, RATE_A)
    tracking.set_rate(app, "client", CLIENT_B, RATE_B)
    a1 = tracking.add(
        app,
        "website",
        _at(2, 9),
        _at(2, 11, 30),
        tracking.Details(client=CLIENT_A, task="hero", tags=("design",), note="hero section"),
    )
    tick(minutes=7)
    b1 = tracking.add(
        app,
        B_PROJECT,
        _at(2, 12),
        _at(2, 14),
        tracking.Details(client=CLIENT_B, task=B_TASK, tags=(B_TAG,), note=B_NOTE),
    )
    tick(hours=20)
    tracking.start(app, "api", a, at=_at(3, 10))
    tick(hours=2, minutes=20)
    tracking.stop(app, at=_at(3, 12, 15), note="pagination done")
    tick(minutes=3)
    tracking.amend(app, a1.id, "forgot the review", end=_at(2, 12))
    if tsa_url is not None:
        anchoring.anchor_now(app, timeout=60.0)  # generous: a loaded machine is slow
    tick(hours=30)
    a3 = tracking.add(app, "website", _at(5, 9), _at(5, 10), a)
    tick(minutes=1)
    tracking.remove(app, a3.id, "entered twice")
    tracking.start(app, B_PROJECT_2, b, at=_at(5, 11))
    tick(hours=1)
    b2 = tracking.stop(app, at=_at(5, 12))
    tracking.amend(app, b1.id, B_REASON, tracking.Details(note=B_NOTE_2))
    tracking.remove(app, b2.id, B_REASON_2)
    tick(hours=60)
    tracking.add(
        app,
        "api",
        _at(7, 22),
        _at(8, 1, 30),
        tracking.Details(client=CLIENT_A, note="night deploy"),
    )
    if tsa_url is not None:
        anchoring.anchor_now(app, timeout=60.0)  # generous: a loaded machine is slow
    if with_evidence:
        _add_evidence(home, a, b)
    b_entries = tracking.entries(app, client=CLIENT_B)
    home.secrets_b += [
        CLIENT_B,
        B_PROJECT,
        B_PROJECT_2,
        B_TASK,
        B_TAG,
        B_NOTE,
        B_NOTE_2,
        B_REASON,
        B_REASON_2,
        str(RATE_B.minor),
        B_AUTHOR,
    ]
    home.secrets_b += format_amount(RATE_B.minor, RATE_B.currency).split()[:1]
    for entry in b_entries:
        if entry.end is not None:
            home.secrets_b += _b_amounts(entry.seconds())
    return home


def _add_evidence(home: Home, a: tracking.Details, b: tracking.Details) -> None:
    app, tick = home.app, home.clock.advance
    repos = home.root / "repos"
    a_commit = _repo_with_commit(
        repos / "site", "me@example.org", "index.html", "Add the landing page", _at(9, 10, 40)
    )
    b_commit = _repo_with_commit(repos / "zq-vault", B_AUTHOR, B_FILE, B_SUBJECT, _at(9, 15))
    tick(hours=30)
    repo_a, _ = evidence.add_repo(app, str(repos / "site"), "website", CLIENT_A)
    repo_b, _ = evidence.add_repo(app, str(repos / "zq-vault"), B_PROJECT, CLIENT_B)
    evidence.scan_repo(app, repo_a)
    evidence.scan_repo(app, repo_b)
    (home.root / "watched-a").mkdir()
    (home.root / "watched-b").mkdir()
    watch_a = evidence.add_watch(app, str(home.root / "watched-a"), "website", CLIENT_A)
    watch_b = evidence.add_watch(app, str(home.root / "watched-b"), B_PROJECT, CLIENT_B)
    span_a = evidence.record_span(
        app,
        watch_a,
        ActivitySpan(
            _at(9, 10), _at(9, 10, 45), ("src/index.html",), 9, {"src/index.html": "ab" * 32}
        ),
    )
    span_b = evidence.record_span(
        app, watch_b, ActivitySpan(_at(9, 14), _at(9, 15, 30), (B_FILE,), 11)
    )
    with app.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT seq, kind, data FROM leaves WHERE kind = 'git.commit' ORDER BY seq"
        ).all()
    commit_seq = {json.loads(r.data)["commit"]: r.seq for r in rows}
    tick(minutes=5)
    tracking.add(app, "website", _at(9, 10), _at(9, 11), a, evidence=(commit_seq[a_commit], span_a))
    tracking.add(
        app, B_PROJECT, _at(9, 14), _at(9, 15, 30), b, evidence=(commit_seq[b_commit], span_b)
    )
    home.a_commits.append(a_commit)
    home.secrets_b += [b_commit, b_commit[:12], B_SUBJECT, B_FILE, "zq-vault", "watched-b"]
    with app.read() as conn:
        data = conn.exec_driver_sql(
            "SELECT data FROM leaves WHERE seq = ?", (commit_seq[b_commit],)
        ).scalar_one()
    home.secrets_b.append(json.loads(data)["object_sha256"])


def export(home: Home, out: Path, client: str = CLIENT_A, **kw: Any) -> bytes:
    """Export a bundle for ``client`` over October 2026; returns its bytes."""
    home.clock.advance(minutes=10)
    req = ExportRequest(
        client=client, lo=PERIOD_FROM, hi=PERIOD_TO, out=out, identity=IDENTITY, **kw
    )
    export_bundle(home.app, req)
    return out.read_bytes()


def copy_home(home: Home, root: Path) -> Home:
    """A second home with the same key and log so far: the start of a fork."""
    home.app.close()
    shutil.copytree(home.root / "home", root / "home")
    home.app = open_home(home.root / "home")
    home.app.clock = home.clock
    clock = Clock(home.clock.now)
    app = open_home(root / "home")
    app.clock = clock
    return Home(root, app, clock, list(home.secrets_b))


# --- reading and rewriting bundles ----------------------------------------------------


def unzip(data: bytes) -> dict[str, bytes]:
    """Members of a bundle in zip order (no checks: the reader's job)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def rezip(files: Mapping[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in files.items():
            zf.writestr(
                zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)),
                data,
                compress_type=compression,
            )
    return buf.getvalue()


def manifest_of(files: Mapping[str, bytes]) -> dict[str, Any]:
    return dict(json.loads(files[f.MANIFEST]))


def sign_manifest(
    files: Mapping[str, bytes], key: Ed25519PrivateKey, manifest: bytes
) -> dict[str, bytes]:
    """Put these exact manifest bytes in the bundle, signed by ``key``."""
    out = dict(files)
    out[f.MANIFEST] = manifest
    out[f.MANIFEST_SIG] = sshsig_sign(key, manifest, f.NAMESPACE).encode()
    return out


def resign(
    files: Mapping[str, bytes],
    key: Ed25519PrivateKey,
    edits: Mapping[str, bytes | None] | None = None,
    manifest: Mapping[str, Any] | None = None,
    *,
    adopt: bool = False,
) -> dict[str, bytes]:
    """Apply ``edits`` (None deletes a member), list every member's hash in the manifest
    again, apply ``manifest`` field changes and sign it with ``key``.

    ``adopt=True`` makes the bundle the key's own: allowed_signers, contractor.vkey and
    the manifest's fingerprint and origin all name ``key`` (a full forgery)."""
    out = dict(files)
    for name, data in (edits or {}).items():
        if data is None:
            out.pop(name, None)
        else:
            out[name] = data
    body = manifest_of(files)
    if adopt:
        pub = key.public_key()
        out[f.ALLOWED_SIGNERS] = (keys.allowed_signers_line(IDENTITY, pub) + "\n").encode()
        out[f.VKEY] = (keys.verifier_key(keys.log_origin(pub), pub) + "\n").encode()
        body.update(fingerprint=keys.fingerprint(pub), origin=keys.log_origin(pub))
    body.update(manifest or {})
    body["files"] = {
        name: hashlib.sha256(data).hexdigest()
        for name, data in sorted(out.items())
        if name not in (f.MANIFEST, f.MANIFEST_SIG)
    }
    return sign_manifest(out, key, canonical(body))


def entry_lines(files: Mapping[str, bytes]) -> list[bytes]:
    return files[f.ENTRIES].split(b"\n")[:-1]


def jsonl(lines: Iterable[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in lines)


def leaves_of(files: Mapping[str, bytes]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in entry_lines(files)]


def export_size(files: Mapping[str, bytes]) -> int:
    return int(manifest_of(files)["tree_size"])


def resign_note(note: bytes, key: Ed25519PrivateKey) -> bytes:
    """The same checkpoint body under the same origin, signed by ``key`` instead."""
    body, _ = note.decode().split("\n\n", 1)
    origin = body.split("\n", 1)[0]
    return sign_note(body + "\n", origin, key).encode()


def forge(
    files: Mapping[str, bytes],
    key: Ed25519PrivateKey,
    disclosed: Mapping[int, bytes],
    size: int | None = None,
    summary: bool = True,
) -> dict[str, bytes]:
    """A self-consistent bundle disclosing exactly these leaf bytes, as only the holder of
    ``key`` can make it: a fresh log holding them at their indexes (filler elsewhere),
    its checkpoint, inclusion proofs and, when the leaves fold, a matching summary.csv.
    Anchors are left out. This lets tests reach the verifier's later steps with any leaf."""
    size = size if size is not None else max(disclosed, default=0) + 1
    hashes = [
        leaf_hash(disclosed[i]) if i in disclosed else hashlib.sha256(b"filler %d" % i).digest()
        for i in range(size)
    ]
    tree = MerkleTree(hashes)
    pub = key.public_key()
    extensions, completeness = _forged_map(files, disclosed, size)
    note = sign_checkpoint(Checkpoint(keys.log_origin(pub), size, tree.root(), extensions), key)
    out = {n: d for n, d in files.items() if not n.startswith(("proofs/", "anchors/"))}
    if completeness is not None:
        out[f.COMPLETENESS] = completeness
    out[f.ENTRIES] = jsonl(disclosed[s] for s in sorted(disclosed))
    for seq in sorted(disclosed):
        proof = TlogProof(seq, tree.inclusion_proof(seq, size), note)
        out[f.proof_path(seq)] = format_tlog_proof(proof).encode()
    out[f.checkpoint_path(size)] = note.encode()
    if summary:
        try:
            leaves = {s: parse_canonical(d) for s, d in disclosed.items()}
            _, rows = build_statement(
                leaves,
                [],
                contractor=IDENTITY,
                fingerprint="",
                client=CLIENT_A,
                project=None,
                period_start=PERIOD_FROM,
                period_end=PERIOD_TO,
                generated_at=PERIOD_TO,
                tree_size=size,
            )
            out[f.SUMMARY] = to_csv(rows)
        except Exception:  # leaves that do not fold keep the old summary
            pass
    return resign(out, key, manifest={"tree_size": size})


def _forged_map(
    files: Mapping[str, bytes], disclosed: Mapping[int, bytes], size: int
) -> tuple[tuple[str, ...], bytes | None]:
    """The client map an attacker who holds the client's secret would sign: the chained
    leaf with the highest n among ``disclosed`` as the client's head."""
    if f.COMPLETENESS not in files:
        return (), None
    body = json.loads(files[f.COMPLETENESS])
    blinded = bytes.fromhex(body["client"]["id"])
    best: tuple[int, bytes] | None = None
    for data in disclosed.values():
        chain = json.loads(data).get("chain")
        n = chain.get("n") if isinstance(chain, dict) else None
        if not isinstance(n, int) or isinstance(n, bool) or not 0 < n < 2**63:
            continue
        if best is None or n > best[0]:
            best = (n, leaf_hash(data))
    entries = {blinded: clientmap.MapEntry(*best)} if best else {}
    root = clientmap.map_root(entries)
    if best:
        item: dict[str, Any] = {"size": size, "count": best[0], "head": best[1].hex(),
                                "proof": []}  # fmt: skip
    else:
        item = {"size": size, "count": 0, "head": None, "other": None, "proof": []}
    body.update(maps=[item], since=None)
    return (clientmap.extension_line(body["from"], root),), canonical(body)


def check(
    files: Mapping[str, bytes], roots: Iterable[x509.Certificate] = (), **opts: Any
) -> VerifyResult:
    """Verify members (no zip) with the given TSA roots and options."""
    return verify_files(dict(files), VerifyOptions(tsa_roots=list(roots), **opts))


def check_zip(data: bytes, roots: Iterable[x509.Certificate] = (), **opts: Any) -> VerifyResult:
    return verify_bundle(data, VerifyOptions(tsa_roots=list(roots), **opts))


def verified_export(root: Path) -> tuple[dict[str, bytes], Any]:
    """A genuine bundle's members (with reports) and the statement the verifier
    re-derived from them, exported from a new home under ``root``."""
    home = build_home(root / "a", with_evidence=False)
    files = unzip(export(home, root / "a.hproof"))
    home.close()
    result = check(files)
    assert result.ok and result.statement is not None, result.steps
    return files, result.statement
