"""proof/web/approvals.js (report.html's approval check) agrees with the Python verifier."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from importlib import resources

import pytest
from cryptography.hazmat.primitives import serialization

from hourproof.ledger.keys import fingerprint, log_origin
from hourproof.services import approvals, tracking
from hourproof.services.app import App
from hourproof.services.export import ExportRequest, export_bundle

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
DAY = datetime(2026, 11, 2, tzinfo=UTC)

RUNNER = """
const fs = require("fs");
const vm = require("vm");
vm.runInThisContext(fs.readFileSync(process.argv[2], "utf8"));
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const pub = Uint8Array.from(Buffer.from(input.pub, "base64"));
const leaves = new Map(input.leaves.map((x) => [x.seq, JSON.parse(x.line)]));
const lines = new Map(input.leaves.map((x) => [x.seq, x.line]));
hourproofApprovals(leaves, lines, {origin: input.origin, pub})
  .then((r) => process.stdout.write(JSON.stringify(r)));
"""


def _check(leaves, app, tmp_path):
    pub = app.key.public_key()
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    script = resources.files("hourproof.proof.web").joinpath("approvals.js")
    runner = tmp_path / "run.js"
    runner.write_text(RUNNER)
    from hourproof.ledger.canonical import canonical

    def line(leaf: dict) -> str:
        try:
            return canonical(leaf).decode()
        except ValueError:  # e.g. a float: no canonical form, the page gets the raw line
            return json.dumps(leaf, sort_keys=True, separators=(",", ":"))

    rows = [{"seq": x["seq"], "line": line(x["leaf"])} for x in leaves]
    data = {"leaves": rows, "origin": log_origin(pub),
            "pub": base64.b64encode(raw).decode()}  # fmt: skip
    out = subprocess.run(["node", str(runner), str(script)], input=json.dumps(data),
                         capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    return json.loads(out.stdout)


@pytest.fixture
def approval(tmp_path):
    contractor = App.open(tmp_path / "c")
    client = App.open(tmp_path / "k")
    start = DAY + timedelta(hours=9)
    tracking.add(contractor, "site", start, start + timedelta(hours=2),
                 tracking.Details(client="acme"))  # fmt: skip
    b = tmp_path / "b.hproof"
    export_bundle(contractor, ExportRequest(client="acme", lo=DAY, hi=DAY + timedelta(days=7),
                                            out=b, reports=False, anchor_first=False))  # fmt: skip
    signed = approvals.approve(client, b, tmp_path / "a.json", note="ok – thanks")
    obj = json.loads(signed.path.read_text())
    yield contractor, client, obj
    contractor.close()
    client.close()


def test_a_genuine_approval_checks_out_in_js(approval, tmp_path):
    contractor, client, obj = approval
    leaf = {"kind": "approval", "client": "acme", "approval": obj}
    [r] = _check([{"seq": 7, "leaf": leaf}], contractor, tmp_path)
    assert r["ok"], r
    assert r["fingerprint"] == fingerprint(client.key.public_key())
    assert r["kind"] == "approve" and r["total_seconds"] == 7200 and r["note"] == "ok – thanks"
    assert r["client"] == "acme" and r["seq"] == 7 and r["signed_at"].endswith("Z")


@pytest.mark.parametrize(
    ("what", "edit"),
    [
        ("total", lambda o: o["statement"].__setitem__("total_seconds", 1)),
        (
            "root",
            lambda o: o["statement"].__setitem__("root", base64.b64encode(bytes(32)).decode()),
        ),
        ("cosig", lambda o: o.__setitem__("checkpoint", o["checkpoint"].replace("A", "B", 1))),
        ("recipient", lambda o: o["statement"].__setitem__("recipient", "globex")),
        ("float", lambda o: o["statement"].__setitem__("total_seconds", 1.5)),
    ],
)
def test_tampered_approvals_fail_in_js(approval, tmp_path, what, edit):
    contractor, _client, obj = approval
    edit(obj)
    leaf = {"kind": "approval", "client": "acme", "approval": obj}
    [r] = _check([{"seq": 7, "leaf": leaf}], contractor, tmp_path)
    assert not r["ok"] and r["problem"], what


def test_another_contractor_key_fails_in_js(approval, tmp_path):
    _contractor, client, obj = approval
    leaf = {"kind": "approval", "client": "acme", "approval": obj}
    [r] = _check([{"seq": 1, "leaf": leaf}], client, tmp_path)  # the client's key, not theirs
    assert not r["ok"] and "contractor" in r["problem"]


def test_the_script_obeys_the_pages_rules():
    text = resources.files("hourproof.proof.web").joinpath("approvals.js").read_text()
    for banned in ("<script", "eval(", "fetch(", "innerHTML", "document.", "globalThis"):
        assert banned not in text, banned
    assert text.count("async function hourproofApprovals(") == 1
