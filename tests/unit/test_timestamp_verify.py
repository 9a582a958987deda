"""verify_response: a token counts only if every RFC 3161 check passes."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from hourproof.timestamp.roots import load_shipped_roots
from hourproof.timestamp.verify import REASONS, TimestampToken, TsaError, verify_response
from tests.support.tsa import TestTsa

DATA = b"hourproof.local/1a2b3c4d\n42\nq0RDsC0Vnq1Z7yYXmFq2XO4YSdDfgdzn3mJvQ8yD8xM=\n"
NONCE = 0x1234_5678_9ABC


@pytest.fixture(scope="module")
def tsa() -> TestTsa:
    """Token factory only (no HTTP server needed here)."""
    return TestTsa()


def _reason(excinfo: pytest.ExceptionInfo[TsaError]) -> str:
    return excinfo.value.reason


def test_good_token_verifies_and_reports_its_fields(tsa: TestTsa) -> None:
    fixed = (dt.datetime.now(dt.UTC) - dt.timedelta(days=30)).replace(microsecond=0)
    der = tsa.issue(DATA, nonce=NONCE, gen_time=fixed)
    token = verify_response(der, DATA, [tsa.root_cert], nonce=NONCE)
    assert isinstance(token, TimestampToken)
    assert token.response_der == der
    assert token.gen_time == fixed
    assert token.gen_time.tzinfo is not None
    assert token.tsa_subject == tsa.tsa_cert.subject.rfc4514_string()
    assert token.root_subject == tsa.root_cert.subject.rfc4514_string()
    assert token.serial > 0


def test_good_rsa_token_verifies() -> None:
    rsa_tsa = TestTsa(key_type="rsa")
    der = rsa_tsa.issue(DATA, nonce=NONCE)
    assert verify_response(der, DATA, [rsa_tsa.root_cert], nonce=NONCE).serial > 0


def test_token_without_nonce_verifies_when_none_is_expected(tsa: TestTsa) -> None:
    assert verify_response(tsa.issue(DATA), DATA, [tsa.root_cert]).serial > 0


def test_token_for_other_data_is_an_imprint_mismatch(tsa: TestTsa) -> None:
    der = tsa.issue(DATA, nonce=NONCE)
    with pytest.raises(TsaError) as excinfo:
        verify_response(der, DATA + b"x", [tsa.root_cert], nonce=NONCE)
    assert _reason(excinfo) == "imprint_mismatch"


def test_token_with_other_nonce_is_a_nonce_mismatch(tsa: TestTsa) -> None:
    der = tsa.issue(DATA, nonce=NONCE)
    with pytest.raises(TsaError) as excinfo:
        verify_response(der, DATA, [tsa.root_cert], nonce=NONCE + 1)
    assert _reason(excinfo) == "nonce_mismatch"


def test_token_missing_the_expected_nonce_is_a_nonce_mismatch(tsa: TestTsa) -> None:
    with pytest.raises(TsaError) as excinfo:
        verify_response(tsa.issue(DATA), DATA, [tsa.root_cert], nonce=NONCE)
    assert _reason(excinfo) == "nonce_mismatch"


def test_token_from_another_root_is_untrusted(tsa: TestTsa) -> None:
    stranger = TestTsa()
    with pytest.raises(TsaError) as excinfo:
        verify_response(stranger.issue(DATA), DATA, [tsa.root_cert])
    assert _reason(excinfo) == "untrusted"


def test_shipped_roots_do_not_trust_a_test_token(tsa: TestTsa) -> None:
    with pytest.raises(TsaError) as excinfo:
        verify_response(tsa.issue(DATA), DATA, load_shipped_roots())
    assert _reason(excinfo) == "untrusted"


def test_root_embedded_in_the_token_is_not_trusted(tsa: TestTsa) -> None:
    der = tsa.issue(DATA, mode="untrusted")  # embeds its own (rogue) root
    with pytest.raises(TsaError) as excinfo:
        verify_response(der, DATA, [tsa.root_cert])
    assert _reason(excinfo) == "untrusted"


def test_same_token_verifies_once_its_root_is_explicitly_trusted(tsa: TestTsa) -> None:
    der = tsa.issue(DATA, mode="untrusted")
    token = verify_response(der, DATA, [tsa.root_cert, tsa.rogue_root_cert])
    assert token.root_subject == tsa.rogue_root_cert.subject.rfc4514_string()


def test_embedded_cross_signed_root_does_not_hide_the_trusted_self_signed_one() -> None:
    """Like DigiCert: the token carries Root G4 cross-signed by an older root."""
    cross = TestTsa(cross_signed=True)
    token = verify_response(cross.issue(DATA), DATA, [cross.root_cert])
    assert token.root_subject == cross.root_cert.subject.rfc4514_string()


def test_chain_through_an_embedded_cross_certificate_reaches_the_older_root() -> None:
    """Like Sectigo: only USERTrust is trusted; the token carries R46 cross-signed by it."""
    cross = TestTsa(cross_signed=True)
    token = verify_response(cross.issue(DATA), DATA, [cross.bridge_root_cert])
    assert token.root_subject == cross.bridge_root_cert.subject.rfc4514_string()


def test_no_trusted_roots_means_untrusted(tsa: TestTsa) -> None:
    with pytest.raises(TsaError) as excinfo:
        verify_response(tsa.issue(DATA), DATA, [])
    assert _reason(excinfo) == "untrusted"


def test_signer_without_time_stamping_eku_is_refused(tsa: TestTsa) -> None:
    with pytest.raises(TsaError) as excinfo:
        verify_response(tsa.issue(DATA, mode="no_eku"), DATA, [tsa.root_cert])
    assert _reason(excinfo) == "no_tsa_eku"


def test_flipped_signature_byte_is_a_bad_signature(tsa: TestTsa) -> None:
    with pytest.raises(TsaError) as excinfo:
        verify_response(tsa.issue(DATA, mode="bad_signature"), DATA, [tsa.root_cert])
    assert _reason(excinfo) == "bad_signature"


def test_rejection_status_is_rejected(tsa: TestTsa) -> None:
    with pytest.raises(TsaError) as excinfo:
        verify_response(tsa.issue(DATA, mode="reject"), DATA, [tsa.root_cert])
    assert _reason(excinfo) == "rejected"
    assert "bad_alg" in str(excinfo.value)


@pytest.mark.parametrize(
    "blob",
    [b"", b"<html>502 Bad Gateway</html>", b"\x30\x03\x02\x01", hashlib.sha256(DATA).digest()],
    ids=["empty", "html", "truncated-der", "random-bytes"],
)
def test_non_rfc3161_bytes_are_garbage(tsa: TestTsa, blob: bytes) -> None:
    with pytest.raises(TsaError) as excinfo:
        verify_response(blob, DATA, [tsa.root_cert])
    assert _reason(excinfo) == "garbage"


def test_truncated_token_is_garbage(tsa: TestTsa) -> None:
    der = tsa.issue(DATA)
    with pytest.raises(TsaError) as excinfo:
        verify_response(der[: len(der) // 2], DATA, [tsa.root_cert])
    assert _reason(excinfo) == "garbage"


def test_trailing_bytes_after_the_response_are_garbage(tsa: TestTsa) -> None:
    with pytest.raises(TsaError) as excinfo:
        verify_response(tsa.issue(DATA) + b"\x00", DATA, [tsa.root_cert])
    assert _reason(excinfo) == "garbage"


def test_expired_tsa_certificate_still_verifies_a_token_from_its_valid_time() -> None:
    old = TestTsa(expired_cert=True)
    assert old.tsa_cert.not_valid_after_utc < dt.datetime.now(dt.UTC)
    token = verify_response(old.issue(DATA, nonce=NONCE), DATA, [old.root_cert], nonce=NONCE)
    assert old.tsa_cert.not_valid_before_utc <= token.gen_time <= old.tsa_cert.not_valid_after_utc


def test_token_dated_after_the_tsa_certificate_expired_is_refused() -> None:
    old = TestTsa(expired_cert=True)
    der = old.issue(DATA, gen_time=dt.datetime.now(dt.UTC))
    with pytest.raises(TsaError) as excinfo:
        verify_response(der, DATA, [old.root_cert])
    assert _reason(excinfo) == "not_valid_at_time"


def test_error_message_is_one_line_and_reason_is_known(tsa: TestTsa) -> None:
    with pytest.raises(TsaError) as excinfo:
        verify_response(tsa.issue(DATA, mode="no_eku"), DATA, [tsa.root_cert])
    assert "\n" not in str(excinfo.value)
    assert excinfo.value.reason in REASONS


def test_unknown_reason_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown TsaError reason"):
        TsaError("oops", "message")
