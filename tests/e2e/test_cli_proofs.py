"""`hourproof export` and `hourproof verify` as a contractor and a client run them.

Why: the client's whole experience is one command and its exit code — 0 verified,
1 failed verification (one line naming the file and the reason), 2 malformed input or
usage — and the README inside the bundle promises that ssh-keygen and openssl alone
can check it. Both run here as real subprocesses on real bundles. HOURPROOF_DEBUG is
set so that an unexpected exception shows as a traceback and fails the test instead of
passing as a plain exit 2.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hourproof.ledger import keys
from hourproof.proof import format as f
from hourproof.proof.verify import STEPS
from hourproof.services import tracking
from tests.e2e.conftest import hourproof_command
from tests.support import bundles as b
from tests.support.tsa import TestTsa

ENV = {"TZ": "UTC", "HOURPROOF_DEBUG": "1"}
PERIOD = ("--from", "2026-10-01", "--to", "2026-10-31")


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*hourproof_command(), "--home", str(home), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        timeout=120,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert result.stderr == ""
    return result.stdout


def refused(result: subprocess.CompletedProcess[str], code: int) -> str:
    """The exit code, and exactly one line on stderr (no traceback)."""
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@dataclass
class Contractor:
    home: Path
    fingerprint: str
    bundle: Path


@pytest.fixture(scope="module")
def contractor(tmp_path_factory: pytest.TempPathFactory) -> Contractor:
    """A home built through the services, and a bundle written by `hourproof export`."""
    root = tmp_path_factory.mktemp("contractor")
    home = b.build_home(root)
    fpr = keys.fingerprint(home.key.public_key())
    home.close()
    out = root / "acme.hproof"
    stdout = ok(cli(root / "home", "export", "--client", b.CLIENT_A, *PERIOD, "-o", str(out)))
    assert f"Wrote {out}" in stdout and "warning: no trusted timestamp" in stdout
    return Contractor(root / "home", fpr, out)


def client_home(tmp_path: Path) -> Path:
    return tmp_path / "client-home"


def tampered(contractor: Contractor, tmp_path: Path, edits: dict[str, bytes | None]) -> Path:
    """The bundle with ``edits``, the manifest re-signed with the contractor's own key."""
    files = b.unzip(contractor.bundle.read_bytes())
    key = keys.load_private_openssh((contractor.home / "signing_key").read_bytes(), None)
    path = tmp_path / "tampered.hproof"
    path.write_bytes(b.rezip(b.resign(files, key, edits)))
    return path


# --- exit 0 --------------------------------------------------------------------------


def test_export_writes_a_bundle_that_verifies_with_the_pinned_key(
    contractor: Contractor, tmp_path: Path
) -> None:
    out = ok(
        cli(
            client_home(tmp_path), "verify", str(contractor.bundle), "--key", contractor.fingerprint
        )
    )
    assert "VERIFIED, " in out.splitlines()[-1]
    assert f"Client {b.CLIENT_A}" in out and "WARNING" not in out
    assert len(re.findall(r"^\[  ok\] ", out, re.M)) == len(STEPS)


def test_verify_pins_with_an_allowed_signers_file(contractor: Contractor, tmp_path: Path) -> None:
    signers = tmp_path / "allowed_signers"
    with zipfile.ZipFile(contractor.bundle) as zf:
        signers.write_bytes(zf.read(f.ALLOWED_SIGNERS))
    out = ok(
        cli(
            client_home(tmp_path),
            "verify",
            str(contractor.bundle),
            "--allowed-signers",
            str(signers),
        )
    )
    assert "VERIFIED" in out


def test_verify_json_lists_every_step(contractor: Contractor, tmp_path: Path) -> None:
    out = ok(cli(client_home(tmp_path), "verify", str(contractor.bundle), "--json"))
    report = json.loads(out)
    assert report["ok"] is True and report["failure"] is None and report["pinned"] is False
    assert len(report["steps"]) == len(STEPS) and report["total_seconds"] == 9 * 3600 + 45 * 60


def test_unpinned_verify_warns_about_trust_on_first_use(
    contractor: Contractor, tmp_path: Path
) -> None:
    out = ok(cli(client_home(tmp_path), "verify", str(contractor.bundle)))
    assert "WARNING: the signer is unpinned" in out and "VERIFIED" in out


# --- exit 1 --------------------------------------------------------------------------


def test_tampered_summary_exits_1_naming_the_file(contractor: Contractor, tmp_path: Path) -> None:
    summary = b.unzip(contractor.bundle.read_bytes())[f.SUMMARY].replace(b",3600,", b",7200,", 1)
    path = tampered(contractor, tmp_path, {f.SUMMARY: summary})
    line = refused(cli(client_home(tmp_path), "verify", str(path)), 1)
    assert line.startswith("hourproof: verification failed: summary.csv: does not add up")


def test_tampered_bundle_json_names_the_failure(contractor: Contractor, tmp_path: Path) -> None:
    files = b.unzip(contractor.bundle.read_bytes())
    path = tmp_path / "changed.hproof"
    path.write_bytes(b.rezip({**files, f.ENTRIES: files[f.ENTRIES].replace(b"hero", b"HERO")}))
    result = cli(client_home(tmp_path), "verify", str(path), "--json")
    assert result.returncode == 1, result.stderr
    failure = json.loads(result.stdout)["failure"]
    assert failure == {
        "file": f.ENTRIES,
        "reason": "content does not match its hash in the manifest",
    }


def test_another_pinned_key_exits_1(contractor: Contractor, tmp_path: Path) -> None:
    other = keys.fingerprint(keys.generate_key().public_key())
    line = refused(cli(client_home(tmp_path), "verify", str(contractor.bundle), "--key", other), 1)
    assert "manifest.json.sig: signed by" in line and f"not by the pinned {other}" in line


# --- exit 2 --------------------------------------------------------------------------


def test_truncated_bundle_exits_2(contractor: Contractor, tmp_path: Path) -> None:
    path = tmp_path / "cut.hproof"
    path.write_bytes(contractor.bundle.read_bytes()[:-100])
    line = refused(cli(client_home(tmp_path), "verify", str(path)), 2)
    assert line.startswith("hourproof: error: ") and "not a bundle" in line


def test_bundle_with_a_path_outside_exits_2(contractor: Contractor, tmp_path: Path) -> None:
    path = tmp_path / "slip.hproof"
    path.write_bytes(b.rezip({**b.unzip(contractor.bundle.read_bytes()), "../evil": b"x"}))
    line = refused(cli(client_home(tmp_path), "verify", str(path)), 2)
    assert "'../evil' points outside the bundle" in line


def test_missing_bundle_exits_2(tmp_path: Path) -> None:
    line = refused(cli(client_home(tmp_path), "verify", str(tmp_path / "nope.hproof")), 2)
    assert "cannot read bundle" in line


def test_key_that_is_not_a_fingerprint_exits_2(contractor: Contractor, tmp_path: Path) -> None:
    result = cli(client_home(tmp_path), "verify", str(contractor.bundle), "--key", "abc")
    assert "SHA256:" in refused(result, 2)


def test_export_refuses_a_name_without_hproof(contractor: Contractor, tmp_path: Path) -> None:
    result = cli(
        contractor.home, "export", "--client", b.CLIENT_A, *PERIOD, "-o", str(tmp_path / "x.zip")
    )
    assert ".hproof" in refused(result, 2)
    assert not (tmp_path / "x.zip").exists()


def test_export_for_a_client_without_entries_exits_2(
    contractor: Contractor, tmp_path: Path
) -> None:
    result = cli(
        contractor.home,
        "export",
        "--client",
        "Nobody Ltd",
        *PERIOD,
        "-o",
        str(tmp_path / "n.hproof"),
    )
    assert "no finished entries" in refused(result, 2)


def test_export_writes_csv_too(contractor: Contractor, tmp_path: Path) -> None:
    pytest.importorskip("hourproof.proof.csv_export", reason="CSV export not written yet")
    csv = tmp_path / "acme.csv"
    out = ok(
        cli(
            contractor.home,
            "export",
            "--client",
            b.CLIENT_A,
            *PERIOD,
            "--no-reports",
            "-o",
            str(tmp_path / "c.hproof"),
            "--csv",
            str(csv),
        )
    )
    assert f"Wrote {csv}" in out
    text = csv.read_text(encoding="utf-8")
    text = text.removeprefix("\ufeff")  # the CSV export writes a BOM for spreadsheets
    assert text.startswith("User,Email,Client,Project") and b.CLIENT_A in text
    assert b.CLIENT_B not in text


def test_export_csv_in_a_named_zone_with_the_email_column(
    contractor: Contractor, tmp_path: Path
) -> None:
    csv = tmp_path / "acme-berlin.csv"
    args = ["export", "--client", b.CLIENT_A, *PERIOD, "--no-reports", "--no-anchor"]
    ok(cli(contractor.home, *args, "-o", str(tmp_path / "z.hproof"), "--csv", str(csv),
           "--csv-tz", "Europe/Berlin", "--email", "jane@example.com"))  # fmt: skip
    raw = csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, as Toggl writes it
    header, *rows = raw.decode("utf-8-sig").splitlines()
    assert header.startswith("User,Email,") and header.endswith("Time zone")
    assert rows and all(",jane@example.com," in row for row in rows)
    assert all(row.endswith("Europe/Berlin") for row in rows)
    utc = tmp_path / "acme-utc.csv"
    ok(cli(contractor.home, *args, "-o", str(tmp_path / "u.hproof"), "--csv", str(utc)))
    import csv as csvmod

    def starts(path: Path) -> list[str]:
        with path.open(encoding="utf-8-sig", newline="") as fp:
            return [r["Start date"] + " " + r["Start time"] for r in csvmod.DictReader(fp)]

    # Berlin is UTC+1/+2, so every start time moved by the zone's offset
    assert all(a != b for a, b in zip(starts(csv), starts(utc), strict=True))


# --- trust on first use, forks, --since-bundle ------------------------------------------


@pytest.fixture
def two_homes(tmp_path: Path) -> Iterator[tuple[b.Home, Path]]:
    home = b.build_home(tmp_path / "c", with_evidence=False)
    yield home, tmp_path
    home.close()


def _add(home: b.Home, day: int, note: str) -> None:
    home.clock.advance(hours=1)
    tracking.add(
        home.app,
        "website",
        b._at(day, 9),
        b._at(day, 10),
        tracking.Details(client=b.CLIENT_A, note=note),
    )


def _export(home: b.Home, out: Path, *extra: str) -> Path:
    ok(
        cli(
            home.root / "home",
            "export",
            "--client",
            b.CLIENT_A,
            *PERIOD,
            "--no-reports",
            "-o",
            str(out),
            *extra,
        )
    )
    return out


def test_second_bundle_is_checked_against_the_remembered_checkpoint(
    two_homes: tuple[b.Home, Path],
) -> None:
    home, tmp = two_homes
    client = tmp / "client"
    first = _export(home, tmp / "1.hproof")
    assert "trust on first use" in ok(cli(client, "verify", str(first)))
    _add(home, 20, "more work")
    second = _export(home, tmp / "2.hproof")
    out = ok(cli(client, "verify", str(second)))
    assert "checked against the checkpoint remembered from this signer" in out
    assert "extends the log you saw" in out


def test_older_bundle_after_a_newer_one_is_a_rollback(two_homes: tuple[b.Home, Path]) -> None:
    home, tmp = two_homes
    client = tmp / "client"
    first = _export(home, tmp / "1.hproof")
    _add(home, 20, "more work")
    ok(cli(client, "verify", str(_export(home, tmp / "2.hproof"))))
    line = refused(cli(client, "verify", str(first)), 1)
    assert "log rolled back" in line


def test_forked_log_from_the_same_key_is_caught(two_homes: tuple[b.Home, Path]) -> None:
    home, tmp = two_homes
    client = tmp / "client"
    ok(cli(client, "verify", str(_export(home, tmp / "1.hproof"))))
    fork = b.copy_home(home, tmp / "fork")
    try:
        _add(home, 20, "the real history")
        _add(fork, 20, "a rewritten history")
        ok(cli(client, "verify", str(_export(home, tmp / "2.hproof"))))
        forked = _export(fork, tmp / "forked.hproof")
    finally:
        fork.close()
    line = refused(cli(client, "verify", str(forked)), 1)
    assert "forked log" in line


def test_fork_is_caught_on_first_sight_after_the_shared_part(
    two_homes: tuple[b.Home, Path],
) -> None:
    home, tmp = two_homes
    client = tmp / "client"
    fork = b.copy_home(home, tmp / "fork")
    try:
        _add(home, 20, "the real history")
        _add(fork, 21, "a rewritten history, one leaf longer")
        _add(fork, 22, "and another")
        ok(cli(client, "verify", str(_export(home, tmp / "real.hproof"))))
        forked = _export(fork, tmp / "forked.hproof", "--since-bundle", str(tmp / "real.hproof"))
    finally:
        fork.close()
    line = refused(cli(client, "verify", str(forked)), 1)
    assert "root of size" in line and "differs from its signed checkpoint" in line


def test_since_bundle_adds_the_consistency_proof(two_homes: tuple[b.Home, Path]) -> None:
    home, tmp = two_homes
    old = tmp / "old-b.hproof"
    ok(
        cli(
            home.root / "home",
            "export",
            "--client",
            b.CLIENT_B,
            *PERIOD,
            "--no-reports",
            "-o",
            str(old),
        )
    )
    with zipfile.ZipFile(old) as zf:
        old_size = json.loads(zf.read(f.MANIFEST))["tree_size"]
        (tmp / "known.checkpoint").write_bytes(zf.read(f.checkpoint_path(old_size)))
    _add(home, 20, "after the old bundle")
    plain = _export(home, tmp / "plain.hproof")
    since = _export(home, tmp / "since.hproof", "--since-bundle", str(old))
    with zipfile.ZipFile(plain) as zf:
        size = json.loads(zf.read(f.MANIFEST))["tree_size"]
        assert f.consistency_path(old_size, size) not in zf.namelist()
    with zipfile.ZipFile(since) as zf:
        assert f.consistency_path(old_size, size) in zf.namelist()
    out = ok(
        cli(
            tmp / "client",
            "verify",
            str(since),
            "--known-checkpoint",
            str(tmp / "known.checkpoint"),
        )
    )
    assert f"extends the log you saw at size {old_size}" in out
    line = refused(
        cli(
            tmp / "client2",
            "verify",
            str(plain),
            "--known-checkpoint",
            str(tmp / "known.checkpoint"),
        ),
        1,
    )
    assert "does not prove it extends the log you saw" in line


# --- the README's own commands, with ssh-keygen and openssl alone -----------------------


@dataclass
class Unzipped:
    folder: Path
    readme: str
    root_pem: bytes


@pytest.fixture(scope="module")
def anchored(tmp_path_factory: pytest.TempPathFactory) -> Unzipped:
    root = tmp_path_factory.mktemp("anchored")
    with TestTsa() as tsa:
        home = b.build_home(root, tsa.url, tsa.root_pem, with_evidence=False)
        data = b.export(home, root / "a.hproof", reports=False)
        home.close()
        pem = tsa.root_pem
    files = b.unzip(data)
    return Unzipped(root, files[f.README].decode(), pem)


def readme_commands(readme: str, start: str) -> list[str]:
    found = [line.strip() for line in readme.splitlines() if line.strip().startswith(start)]
    assert found, f"README.txt has no '{start}' command"
    return found


def unpack(anchored: Unzipped, tmp_path: Path) -> Path:
    folder = tmp_path / "bundle"
    with zipfile.ZipFile(anchored.folder / "a.hproof") as zf:
        zf.extractall(folder)
    (folder / "TSA-ROOT.pem").write_bytes(anchored.root_pem)
    return folder


def sh(command: str, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, shell=True, cwd=folder, capture_output=True, text=True, timeout=60
    )


def need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed: the README's {tool} commands cannot be run")


def test_readme_ssh_keygen_commands_succeed(anchored: Unzipped, tmp_path: Path) -> None:
    need("ssh-keygen")
    folder = unpack(anchored, tmp_path)
    fpr = re.search(r"Contractor key:\s+(SHA256:\S+)", anchored.readme)
    assert fpr is not None
    (show,) = readme_commands(anchored.readme, "awk ")
    assert fpr.group(1) in sh(show, folder).stdout
    (verify,) = readme_commands(anchored.readme, "ssh-keygen -Y verify")
    result = sh(verify, folder)
    assert result.returncode == 0, result.stderr
    assert 'Good "hourproof-manifest-v1" signature for contractor' in result.stdout


def test_readme_ssh_keygen_rejects_a_changed_manifest(anchored: Unzipped, tmp_path: Path) -> None:
    need("ssh-keygen")
    folder = unpack(anchored, tmp_path)
    manifest = folder / f.MANIFEST
    manifest.write_bytes(manifest.read_bytes().replace(b"Acme Corp", b"Acme Corq"))
    (verify,) = readme_commands(anchored.readme, "ssh-keygen -Y verify")
    assert sh(verify, folder).returncode != 0


def test_readme_hash_check_says_ok_then_mismatch(anchored: Unzipped, tmp_path: Path) -> None:
    folder = unpack(anchored, tmp_path)
    (check,) = readme_commands(anchored.readme, "python3 -c")
    lines = sh(check, folder).stdout.splitlines()
    assert lines and all(line.endswith(" OK") for line in lines)
    (folder / f.ENTRIES).write_bytes((folder / f.ENTRIES).read_bytes().replace(b"api", b"API"))
    assert f"{f.ENTRIES} MISMATCH" in sh(check, folder).stdout.splitlines()


def test_readme_openssl_commands_succeed(anchored: Unzipped, tmp_path: Path) -> None:
    need("openssl")
    folder = unpack(anchored, tmp_path)
    commands = readme_commands(anchored.readme, "openssl ts -verify")
    assert len(commands) == len(list((folder / "anchors").glob("*.tsr"))) >= 2
    for command in commands:
        result = sh(command, folder)
        assert result.returncode == 0 and "Verification: OK" in result.stdout, (command, result)


def test_readme_openssl_rejects_a_changed_checkpoint(anchored: Unzipped, tmp_path: Path) -> None:
    need("openssl")
    folder = unpack(anchored, tmp_path)
    command = readme_commands(anchored.readme, "openssl ts -verify")[0]
    checkpoint = folder / command.split("-data ")[1].split()[0]
    checkpoint.write_bytes(checkpoint.read_bytes().replace(b"\n", b"\n\n", 1))
    result = sh(command, folder)
    assert result.returncode != 0 and "Verification: OK" not in result.stdout


def test_readme_openssl_rejects_another_root(anchored: Unzipped, tmp_path: Path) -> None:
    need("openssl")
    folder = unpack(anchored, tmp_path)
    with TestTsa() as stranger:
        (folder / "TSA-ROOT.pem").write_bytes(stranger.root_pem)
    command = readme_commands(anchored.readme, "openssl ts -verify")[0]
    assert sh(command, folder).returncode != 0


def test_readme_hourproof_command_verifies(anchored: Unzipped, tmp_path: Path) -> None:
    (command,) = readme_commands(anchored.readme, "hourproof verify")
    args = command.split()[2:]
    assert args[0] == "THIS-FILE.hproof" and args[1] == "--key"
    out = ok(cli(client_home(tmp_path), "verify", str(anchored.folder / "a.hproof"), *args[1:]))
    assert "VERIFIED" in out and "not counted" in out  # the test TSA's root is not shipped


def test_verify_trusts_a_tsa_root_given_with_tsa_root(anchored: Unzipped, tmp_path: Path) -> None:
    pem = tmp_path / "root.pem"
    pem.write_bytes(anchored.root_pem)
    out = ok(
        cli(
            client_home(tmp_path),
            "verify",
            str(anchored.folder / "a.hproof"),
            "--tsa-root",
            str(pem),
        )
    )
    assert "trusted timestamps" in out and "Recorded by" in out and "not counted" not in out


def test_another_key_after_trust_on_first_use_exits_1_unless_pinned(
    contractor: Contractor, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    home = client_home(tmp_path)
    ok(cli(home, "verify", str(contractor.bundle)))
    other = Ed25519PrivateKey.generate()
    forged = tmp_path / "other-key.hproof"
    forged.write_bytes(b.rezip(b.resign(b.unzip(contractor.bundle.read_bytes()), other,
                                        adopt=True)))  # fmt: skip
    line = refused(cli(home, "verify", str(forged)), 1)
    assert "KEY CHANGED" in line and contractor.fingerprint in line
    # Pinned to the new key, the manifest step passes; this forgery then fails later (its
    # checkpoints are still signed by the old key).
    pinned = cli(home, "verify", str(forged), "--key", keys.fingerprint(other.public_key()))
    assert "[  ok] manifest signature" in pinned.stdout and "KEY CHANGED" not in pinned.stderr
