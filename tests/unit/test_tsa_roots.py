"""The shipped TSA roots: present, parseable, pinned; user roots load with clear errors."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from hourproof.timestamp import roots
from hourproof.timestamp.roots import (
    DEFAULT_TSAS,
    PINNED_ROOT_SHA256,
    RootFileError,
    fingerprint_sha256,
    load_pem_roots,
    load_shipped_root,
    load_shipped_roots,
    trusted_roots,
)
from tests.support.tsa import TestTsa

EXPECTED_COMMON_NAMES = {
    "digicert-trusted-root-g4.pem": "DigiCert Trusted Root G4",
    "usertrust-rsa-certification-authority.pem": "USERTrust RSA Certification Authority",
    "freetsa-root.pem": "www.freetsa.org",
}


def _common_name(cert) -> str:
    return cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def _shipped_pem_files() -> set[str]:
    folder = resources.files("hourproof.timestamp").joinpath("roots")
    return {item.name for item in folder.iterdir() if item.name.endswith(".pem")}


@pytest.mark.parametrize("file_name", sorted(PINNED_ROOT_SHA256))
def test_each_shipped_root_parses_and_matches_its_pin(file_name: str) -> None:
    cert = load_shipped_root(file_name)
    assert fingerprint_sha256(cert) == PINNED_ROOT_SHA256[file_name]


@pytest.mark.parametrize("file_name", sorted(PINNED_ROOT_SHA256))
def test_each_shipped_root_is_the_expected_self_signed_ca(file_name: str) -> None:
    cert = load_shipped_root(file_name)
    assert _common_name(cert) == EXPECTED_COMMON_NAMES[file_name]
    assert cert.issuer == cert.subject
    cert.verify_directly_issued_by(cert)


def test_every_pem_in_the_package_is_pinned_and_every_pin_has_a_file() -> None:
    assert _shipped_pem_files() == set(PINNED_ROOT_SHA256)


def test_every_default_tsa_names_a_pinned_root() -> None:
    assert [tsa.name for tsa in DEFAULT_TSAS] == ["DigiCert", "Sectigo", "FreeTSA"]
    for tsa in DEFAULT_TSAS:
        assert tsa.root_file in PINNED_ROOT_SHA256


def test_load_shipped_roots_returns_all_three() -> None:
    names = sorted(_common_name(cert) for cert in load_shipped_roots())
    assert names == sorted(EXPECTED_COMMON_NAMES.values())


def test_a_root_that_does_not_match_its_pin_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    bad_pins = dict(PINNED_ROOT_SHA256, **{"freetsa-root.pem": "00" * 32})
    monkeypatch.setattr(roots, "PINNED_ROOT_SHA256", bad_pins)
    with pytest.raises(RootFileError, match="does not match its pin"):
        load_shipped_root("freetsa-root.pem")


def test_an_unpinned_file_name_is_refused() -> None:
    with pytest.raises(RootFileError, match="not a pinned"):
        load_shipped_root("evil.pem")


def test_user_pem_root_loads(tmp_path: Path) -> None:
    tsa = TestTsa()
    path = tmp_path / "root.pem"
    path.write_bytes(tsa.root_pem)
    assert load_pem_roots(path) == [tsa.root_cert]


def test_user_der_root_loads(tmp_path: Path) -> None:
    tsa = TestTsa()
    path = tmp_path / "root.der"
    path.write_bytes(tsa.root_cert.public_bytes(Encoding.DER))
    assert load_pem_roots(path) == [tsa.root_cert]


def test_user_pem_bundle_loads_every_certificate(tmp_path: Path) -> None:
    first, second = TestTsa(), TestTsa()
    path = tmp_path / "bundle.pem"
    path.write_bytes(first.root_pem + b"\n" + second.root_pem)
    assert load_pem_roots(path) == [first.root_cert, second.root_cert]


def test_missing_user_root_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RootFileError, match="does not exist"):
        load_pem_roots(tmp_path / "nope.pem")


def test_directory_as_user_root_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RootFileError, match="is a directory"):
        load_pem_roots(tmp_path)


def test_non_certificate_user_root_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello, I am not a certificate\n")
    with pytest.raises(RootFileError, match="neither a PEM nor a DER"):
        load_pem_roots(path)


def test_pem_key_instead_of_certificate_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    path.write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    with pytest.raises(RootFileError, match="no CERTIFICATE block"):
        load_pem_roots(path)


def test_corrupt_pem_certificate_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pem"
    path.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    with pytest.raises(RootFileError, match="cannot be parsed"):
        load_pem_roots(path)


def test_trusted_roots_adds_user_roots_to_the_shipped_ones_once(tmp_path: Path) -> None:
    tsa = TestTsa()
    path = tmp_path / "root.pem"
    path.write_bytes(tsa.root_pem)
    combined = trusted_roots((path, path))
    assert combined[: len(PINNED_ROOT_SHA256)] == load_shipped_roots()
    assert combined.count(tsa.root_cert) == 1
    assert len(combined) == len(PINNED_ROOT_SHA256) + 1
