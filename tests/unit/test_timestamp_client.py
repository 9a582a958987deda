"""request_token against the loopback test TSA: good tokens, and one reason per failure."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from asn1crypto import tsp

from hourproof.timestamp.client import TimestampToken, TsaError, request_token
from tests.support.tsa import TestTsa

CHECKPOINT = (
    b"hourproof.local/9f86d081\n7\nn4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=\n\n"
    b"\xe2\x80\x94 hourproof.local/9f86d081 AAAAAAAAAAAAAAAAAAAAAA==\n"
)
# Generous (connect, read) timeouts: a loaded machine must not turn a good answer into a
# timeout. The "slow" case does not depend on speed either: that TSA never answers
# while the test runs (it waits for the server to stop), so any read timeout fires.
GENEROUS = (30.0, 60.0)
NEVER_ANSWERED = (30.0, 0.4)

FAILURES = {
    "down": "unreachable",
    "slow": "timeout",
    "http500": "http_status",
    "redirect": "http_status",
    "garbage": "garbage",
    "reject": "rejected",
    "wrong_nonce": "nonce_mismatch",
    "wrong_imprint": "imprint_mismatch",
    "no_eku": "no_tsa_eku",
    "untrusted": "untrusted",
    "bad_signature": "bad_signature",
}


@pytest.fixture
def tsa() -> Iterator[TestTsa]:
    with TestTsa(slow_seconds=3600) as server:
        yield server


def _token(tsa: TestTsa, data: bytes = CHECKPOINT) -> TimestampToken:
    timeout = NEVER_ANSWERED if tsa.mode == "slow" else GENEROUS
    return request_token(tsa.url, data, trusted_roots=[tsa.root_cert], timeout=timeout)


def test_good_request_returns_a_verified_token(tsa: TestTsa) -> None:
    token = _token(tsa)
    assert token.tsa_subject == tsa.tsa_cert.subject.rfc4514_string()
    assert token.gen_time.tzinfo is not None
    assert tsp.TimeStampResp.load(token.response_der)["status"]["status"].native == "granted"


def test_request_is_a_sha256_query_with_nonce_and_cert_request(tsa: TestTsa) -> None:
    _token(tsa)
    (seen,) = tsa.requests_seen
    assert seen.content_type == "application/timestamp-query"
    query = tsp.TimeStampReq.load(seen.body)
    assert query["message_imprint"]["hash_algorithm"]["algorithm"].native == "sha256"
    import hashlib

    assert query["message_imprint"]["hashed_message"].native == hashlib.sha256(CHECKPOINT).digest()
    assert query["nonce"].native is not None
    assert query["cert_req"].native is True


def test_each_request_uses_a_fresh_nonce(tsa: TestTsa) -> None:
    _token(tsa)
    _token(tsa)
    nonces = {tsp.TimeStampReq.load(seen.body)["nonce"].native for seen in tsa.requests_seen}
    assert len(nonces) == 2


@pytest.mark.parametrize(("mode", "reason"), sorted(FAILURES.items()))
def test_failure_mode_gives_its_own_reason(tsa: TestTsa, mode: str, reason: str) -> None:
    tsa.mode = mode
    with pytest.raises(TsaError) as excinfo:
        _token(tsa)
    assert excinfo.value.reason == reason
    assert excinfo.value.url == tsa.url
    assert tsa.url in str(excinfo.value)
    assert "\n" not in str(excinfo.value)


def test_failure_reasons_are_distinct_apart_from_redirects() -> None:
    reasons = [reason for mode, reason in FAILURES.items() if mode != "redirect"]
    assert len(set(reasons)) == len(reasons)


def test_redirect_is_not_followed(tsa: TestTsa) -> None:
    tsa.mode = "redirect"
    with pytest.raises(TsaError, match="redirects to /elsewhere"):
        _token(tsa)
    assert [seen.path for seen in tsa.requests_seen] == ["/tsr"]


def test_tsa_back_up_after_being_down_works_again(tsa: TestTsa) -> None:
    tsa.mode = "down"
    with pytest.raises(TsaError):
        _token(tsa)
    tsa.mode = "ok"
    assert _token(tsa).serial > 0


def test_expired_tsa_certificate_token_is_accepted_at_its_time() -> None:
    with TestTsa(expired_cert=True) as old:
        token = _token(old)
    assert token.gen_time < old.tsa_cert.not_valid_after_utc


def test_given_session_is_used(tsa: TestTsa) -> None:
    with requests.Session() as session:
        session.headers["X-Hourproof-Test"] = "yes"
        request_token(tsa.url, CHECKPOINT, trusted_roots=[tsa.root_cert], session=session)
    assert tsa.requests_seen[0].headers.get("X-Hourproof-Test") == "yes"


def test_empty_data_is_refused_before_any_request(tsa: TestTsa) -> None:
    with pytest.raises(ValueError, match="empty"):
        request_token(tsa.url, b"", trusted_roots=[tsa.root_cert])
    assert tsa.requests_seen == []


# -- interoperability: the stored .tsr is what `openssl ts -verify` reads ------------------

needs_openssl = pytest.mark.skipif(
    shutil.which("openssl") is None, reason="openssl command not installed"
)


def _openssl_verify(data_file: Path, tsr: Path, root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "openssl",
            "ts",
            "-verify",
            "-data",
            str(data_file),
            "-in",
            str(tsr),
            "-CAfile",
            str(root),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )


@pytest.fixture
def openssl_files(tsa: TestTsa, tmp_path: Path) -> tuple[Path, Path, Path]:
    checkpoint = tmp_path / "7.checkpoint"
    checkpoint.write_bytes(CHECKPOINT)
    tsr = tmp_path / "7.tsr"
    tsr.write_bytes(_token(tsa).response_der)
    root = tmp_path / "root.pem"
    root.write_bytes(tsa.root_pem)
    return checkpoint, tsr, root


@needs_openssl
def test_openssl_ts_verify_accepts_the_token(openssl_files: tuple[Path, Path, Path]) -> None:
    result = _openssl_verify(*openssl_files)
    assert result.returncode == 0, result.stderr
    assert "Verification: OK" in result.stdout


@needs_openssl
def test_openssl_ts_verify_rejects_the_token_for_other_data(
    openssl_files: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, tsr, root = openssl_files
    other = tmp_path / "other.checkpoint"
    other.write_bytes(CHECKPOINT.replace(b"\n7\n", b"\n8\n"))
    result = _openssl_verify(other, tsr, root)
    assert result.returncode != 0
    assert "imprint mismatch" in result.stderr
