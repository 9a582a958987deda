"""The cosigning commands end to end: witness, approve, contest, approvals, verify, --dispute."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hourproof.ledger.keys import log_origin, parse_verifier_key
from tests.support.witness import TestWitness


def _contractor(run, tmp_path: Path) -> Path:
    assert run("add", "site", "--from", "2026-11-02 09:00", "--to", "2026-11-02 11:30",
               "--client", "acme").returncode == 0  # fmt: skip
    out = tmp_path / "nov.hproof"
    r = run("export", "--client", "acme", "--from", "2026-11-01", "--to", "2026-11-30", "-o",
            str(out), "--no-reports", "--no-anchor")  # fmt: skip
    assert r.returncode == 0, r.stderr
    return out


def test_approve_then_approvals_add_then_verify_shows_it(run, tmp_path):
    client = tmp_path / "client-home"
    b1 = _contractor(run, tmp_path)
    r = run("approve", str(b1), "--note", "ok", "-o", str(tmp_path / "a.json"), home_dir=client)
    assert r.returncode == 0, r.stderr
    assert "Signed with your key SHA256:" in r.stdout
    fpr = run("key", "show", home_dir=client).stdout.split()[1]
    assert fpr in r.stdout
    r = run("approvals", "add", str(tmp_path / "a.json"), "--key", fpr)
    assert r.returncode == 0, r.stderr
    listed = run("approvals", "list", "--client", "acme").stdout
    assert "approve" in listed and "acme" in listed and fpr in listed
    b2 = tmp_path / "nov2.hproof"
    assert run("export", "--client", "acme", "--from", "2026-11-01", "--to", "2026-11-30",
               "-o", str(b2), "--no-reports", "--no-anchor").returncode == 0  # fmt: skip
    r = run("verify", str(b2), home_dir=client)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"Approved by acme ({fpr}) on " in r.stdout and "through size" in r.stdout
    assert " Approved" in r.stdout  # the entry's label
    data = json.loads(run("verify", str(b2), "--json", home_dir=client).stdout)
    [approval] = data["approvals"]
    assert approval["kind"] == "approve" and approval["fingerprint"] == fpr
    assert "Approved" in {e["label"] for e in data["entries"]}


def test_bad_inputs_are_one_line_errors(run, tmp_path):
    b1 = _contractor(run, tmp_path)
    r = run("witness", "add", "w", "http://127.0.0.1:9", "not-a-vkey")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "cosigner key" in r.stderr
    (tmp_path / "junk.json").write_text("{nope")
    r = run("approvals", "add", str(tmp_path / "junk.json"))
    assert r.returncode == 2 and "not an approval file" in r.stderr and "Traceback" not in r.stderr
    r = run("verify", str(b1), "--witness", "x+y+z")
    assert r.returncode == 2 and "--witness" in r.stderr
    r = run("contest", str(b1), "--reason", "  ", home_dir=tmp_path / "c")
    assert r.returncode == 2


def test_tampered_approval_file_fails_with_exit_1(run, tmp_path):
    b1 = _contractor(run, tmp_path)
    client = tmp_path / "client-home"
    assert run("approve", str(b1), "-o", str(tmp_path / "a.json"), home_dir=client).returncode == 0
    obj = json.loads((tmp_path / "a.json").read_text())
    obj["statement"]["note"] = "approved twice the hours"
    (tmp_path / "t.json").write_text(json.dumps(obj))
    r = run("approvals", "add", str(tmp_path / "t.json"))
    assert r.returncode == 1 and "verification failed" in r.stderr


def test_contest_with_entries(run, tmp_path):
    b1 = _contractor(run, tmp_path)
    client = tmp_path / "client-home"
    r = run("contest", str(b1), "--reason", "I was away", "--entry", "0",
            "-o", str(tmp_path / "c.json"), home_dir=client)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "c.json").read_text())["statement"]["entries"] == [0]


def test_witness_add_list_submit_remove(run, tmp_path, home):
    _contractor(run, tmp_path)
    vkey = run("key", "show").stdout.split("Verifier key:")[1].split()[0]
    origin, pub = parse_verifier_key(vkey)
    assert origin == log_origin(pub)
    with TestWitness(tmp_path / "w.json") as w:
        w.trust(origin, pub)
        assert run("witness", "add", "w1", w.url, w.vkey).returncode == 0
        r = run("witness", "submit")
        assert r.returncode == 0 and "w1: ok" in r.stdout, r.stdout + r.stderr
        assert "cosigned size" in run("witness", "list").stdout
        assert w.state()[origin]["size"] >= 1
    assert run("witness", "remove", "w1").returncode == 0
    assert "No witness configured" in run("witness", "list").stdout


@pytest.mark.parametrize("mode", ["unreachable"])
def test_witness_submit_reports_failure(run, tmp_path, mode):
    _contractor(run, tmp_path)
    with TestWitness(tmp_path / "w.json") as w:
        vkey, url = w.vkey, w.url
    assert run("witness", "add", "w1", url, vkey).returncode == 0  # the server is gone now
    r = run("witness", "submit", "--timeout", "30")
    assert r.returncode == 1 and "w1: FAILED" in r.stdout and "cannot reach" in r.stdout
