"""Default TSAs and the root certificates hourproof ships (pinned) to verify them.

Why pinned roots: a proof bundle is checked offline on the client's machine, so the
verifier must carry its own trust anchors, and must never take one from the bundle.
Each shipped PEM is checked against its SHA-256 fingerprint (of the DER) on load.

Provenance of the shipped roots (checked November 2026):

* ``digicert-trusted-root-g4.pem`` - "DigiCert Trusted Root G4", copied from Debian's
  ca-certificates 20230311+deb12u1 (Mozilla's CA set),
  /usr/share/ca-certificates/mozilla/DigiCert_Trusted_Root_G4.crt (file matches the
  package's md5sums). Self-signed, valid 2013-08-01 to 2038-01-15.
  Chain of http://timestamp.digicert.com: "DigiCert Timestamp 202x" (EKU timeStamping)
  <- "DigiCert Trusted G4 RSA4096 SHA256 TimeStamping CA" <- "DigiCert Trusted Root G4".
  DigiCert's tokens also embed a copy of Trusted Root G4 cross-signed by "DigiCert
  Assured ID Root CA"; it has the same key and name, so the TimeStamping CA verifies
  under this self-signed root and the embedded cross-certificate is simply not used.
* ``usertrust-rsa-certification-authority.pem`` - "USERTrust RSA Certification
  Authority", from the same Debian package
  (mozilla/USERTrust_RSA_Certification_Authority.crt). Self-signed, valid 2010-02-01
  to 2038-01-18. Chain of http://timestamp.sectigo.com: "Sectigo Public Time
  Stamping Signer R36" <- "Sectigo Public Time Stamping CA R36" <- "Sectigo Public
  Time Stamping Root R46", and Sectigo's tokens embed that R46 cross-signed by
  USERTrust RSA (as in published chain captures; Sectigo documents its R46 roots as
  cross-signed to USERTrust for compatibility). Should a token ever carry only the
  self-signed R46, it will not verify until the user passes R46 with --tsa-root.
* ``freetsa-root.pem`` - FreeTSA's own root "www.freetsa.org" (O=Free TSA, OU=Root
  CA), published by FreeTSA as cacert.pem. Taken from public repositories that vendor
  it (two independent copies, byte-identical), self-signature checked, valid
  2016-03-13 to 2041-03-07. Chain of https://freetsa.org/tsr: the TSA certificate
  (O=Free TSA, OU=TSA, CN=www.freetsa.org; the 2016 RSA one and its 2026 ECDSA
  successor, both with critical EKU timeStamping) is issued directly by this root;
  the 2026 certificate was checked to verify under it with
  ``openssl verify -purpose timestampsign``.

Public TSAs cannot be reached from the build machines, so these chains were checked
against published chain captures, not live responses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where certificates are parsed: DEFAULT_TSAS needs neither
    from cryptography import x509


@dataclass(frozen=True)
class TsaConfig:
    """One time-stamping authority: where to ask, and which shipped root vouches for it."""

    name: str
    url: str
    root_file: str


DEFAULT_TSAS: tuple[TsaConfig, ...] = (
    TsaConfig("DigiCert", "http://timestamp.digicert.com", "digicert-trusted-root-g4.pem"),
    TsaConfig(
        "Sectigo", "http://timestamp.sectigo.com", "usertrust-rsa-certification-authority.pem"
    ),
    TsaConfig("FreeTSA", "https://freetsa.org/tsr", "freetsa-root.pem"),
)

PINNED_ROOT_SHA256: dict[str, str] = {
    "digicert-trusted-root-g4.pem": (
        "552f7bdcf1a7af9e6ce672017f4f12abf77240c78e761ac203d1d9d20ac89988"
    ),
    "usertrust-rsa-certification-authority.pem": (
        "e793c9b02fd8aa13e21c31228accb08119643b749c898964b1746d46c3d4cbd2"
    ),
    "freetsa-root.pem": "a6379e7cecc05faa3cbf076013d745e327bbbaa38c0b9af22469d4701d18aabc",
}

_ROOTS_PACKAGE = "hourproof.timestamp"
_ROOTS_DIR = "roots"


class RootFileError(ValueError):
    """A root certificate file is missing, unreadable, or not what it should be."""


def fingerprint_sha256(cert: x509.Certificate) -> str:
    """Lower-case hex SHA-256 of the certificate's DER (what the pins hold)."""
    from cryptography.hazmat.primitives.serialization import Encoding

    return hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()


def load_shipped_root(file_name: str) -> x509.Certificate:
    """Load one shipped root, refusing it unless it matches its pin."""
    pin = PINNED_ROOT_SHA256.get(file_name)
    if pin is None:
        raise RootFileError(f"{file_name} is not a pinned hourproof TSA root")
    resource = resources.files(_ROOTS_PACKAGE).joinpath(_ROOTS_DIR, file_name)
    try:
        pem = resource.read_bytes()
    except OSError as exc:
        raise RootFileError(f"shipped TSA root {file_name} is missing ({exc})") from exc
    certs = _parse_certs(pem, f"shipped TSA root {file_name}")
    if len(certs) != 1:
        raise RootFileError(f"shipped TSA root {file_name} holds {len(certs)} certificates")
    actual = fingerprint_sha256(certs[0])
    if actual != pin:
        raise RootFileError(
            f"shipped TSA root {file_name} does not match its pin "
            f"(SHA-256 {actual}, expected {pin}); the installation may be tampered with"
        )
    return certs[0]


@lru_cache(maxsize=1)
def _shipped_roots() -> tuple[x509.Certificate, ...]:
    return tuple(load_shipped_root(name) for name in sorted(PINNED_ROOT_SHA256))


def load_shipped_roots() -> list[x509.Certificate]:
    """All shipped TSA roots, each checked against its pinned fingerprint."""
    return list(_shipped_roots())


def load_pem_roots(path: str | Path) -> list[x509.Certificate]:
    """Roots the user names (``--tsa-root FILE``): PEM with one or more certs, or DER."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise RootFileError(f"TSA root file {path} does not exist") from exc
    except IsADirectoryError as exc:
        raise RootFileError(f"TSA root file {path} is a directory, not a certificate") from exc
    except OSError as exc:
        raise RootFileError(f"TSA root file {path} cannot be read ({exc.strerror})") from exc
    return _parse_certs(raw, f"TSA root file {path}")


def trusted_roots(extra_root_files: Iterable[str | Path] = ()) -> list[x509.Certificate]:
    """Shipped roots plus the user's own; the only anchors a token may chain to."""
    roots = load_shipped_roots()
    for path in extra_root_files:
        for cert in load_pem_roots(path):
            if cert not in roots:
                roots.append(cert)
    return roots


def _parse_certs(raw: bytes, what: str) -> list[x509.Certificate]:
    from cryptography import x509

    if b"-----BEGIN" in raw:
        if b"-----BEGIN CERTIFICATE-----" not in raw:
            raise RootFileError(f"{what} has PEM data but no CERTIFICATE block")
        try:
            certs = x509.load_pem_x509_certificates(raw)
        except ValueError as exc:
            raise RootFileError(f"{what} holds a PEM certificate that cannot be parsed") from exc
    else:
        try:
            certs = [x509.load_der_x509_certificate(raw)]
        except ValueError as exc:
            raise RootFileError(f"{what} is neither a PEM nor a DER certificate") from exc
    if not certs:
        raise RootFileError(f"{what} contains no certificate")
    return certs
