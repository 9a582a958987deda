"""Verify an RFC 3161 TimeStampResp before anything stores or trusts it.

A token counts only if all of these hold (each failure has its own ``reason``):

* it parses as a DER TimeStampResp (``garbage``) whose status is granted (``rejected``);
* its message imprint is SHA-256 of exactly the data we asked about
  (``imprint_mismatch``) and, when we asked with one, it carries our nonce
  (``nonce_mismatch``);
* the signer's certificate is embedded (``no_signer_cert``), has a *critical*
  extended key usage containing id-kp-timeStamping (``no_tsa_eku``), and is bound by
  the ESS signing-certificate attribute (``bad_signature``);
* a chain runs from the signer through embedded intermediates to one of the
  caller's ``trusted_roots`` (``untrusted``). A self-signed certificate inside the
  token is never an anchor: only the roots passed in are;
* every certificate on that chain was valid at the token's genTime
  (``not_valid_at_time``), so a TSA certificate that has expired since still
  verifies old tokens;
* the CMS signature verifies (``bad_signature``). This last step, and a second,
  independent chain check at genTime, are done by rfc3161-client (OpenSSL).

Parsed certificates and issuer-signature checks are cached, because the same few TSA
chains sign every token a verifier sees.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from asn1crypto import cms, core, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID
from rfc3161_client import VerificationError, VerifierBuilder, decode_timestamp_response

MAX_CHAIN_DEPTH = 8
_SHA256_OID = "2.16.840.1.101.3.4.2.1"
_TST_INFO_OID = "1.2.840.113549.1.9.16.1.4"

REASONS = frozenset(
    {
        "unreachable",
        "timeout",
        "http_status",
        "garbage",
        "rejected",
        "nonce_mismatch",
        "imprint_mismatch",
        "no_signer_cert",
        "no_tsa_eku",
        "untrusted",
        "not_valid_at_time",
        "bad_signature",
    }
)


class TsaError(Exception):
    """A timestamp request or token failed; ``reason`` is a short machine code."""

    def __init__(self, reason: str, message: str, *, url: str | None = None) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown TsaError reason {reason!r}")
        self.reason = reason
        self.message = " ".join(message.split())  # always one line
        self.url = url
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.url}: {self.message}" if self.url else self.message

    def with_url(self, url: str) -> TsaError:
        """The same error, naming the TSA it came from."""
        return TsaError(self.reason, self.message, url=url)


@dataclass(frozen=True)
class TimestampToken:
    """A verified token. ``response_der`` is the whole TimeStampResp (a .tsr file)."""

    response_der: bytes
    gen_time: dt.datetime
    tsa_subject: str
    serial: int
    root_subject: str = ""


class _ResponseTsp(core.Sequence):
    """TimeStampResp whose token is optional, as RFC 3161 says (rejections have none)."""

    _fields = [  # noqa: RUF012 - asn1crypto's declarative spec
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


def verify_response(
    response_der: bytes,
    data: bytes,
    trusted_roots: Sequence[x509.Certificate],
    nonce: int | None = None,
) -> TimestampToken:
    """Check a TimeStampResp over ``data`` against ``trusted_roots``; raise TsaError."""
    if not trusted_roots:
        raise TsaError("untrusted", "no trusted TSA roots were given, so no token can count")
    signed_data = _granted_signed_data(response_der)
    tst = _tst_fields(signed_data)
    _check_imprint(tst, data)
    _check_nonce(tst, nonce)
    signer_info = _single_signer(signed_data)
    embedded = _embedded_certs(signed_data)
    signer = _find_signer(signer_info, embedded)
    _check_tsa_eku(signer)
    _check_ess_binding(signer_info, signer)
    chain = _build_chain(signer, embedded, tuple(trusted_roots))
    _check_validity(chain, tst.gen_time)
    _check_signature(response_der, data, trusted_roots, nonce)
    return TimestampToken(
        response_der=bytes(response_der),
        gen_time=tst.gen_time,
        tsa_subject=signer.subject.rfc4514_string(),
        serial=tst.serial,
        root_subject=chain[-1].subject.rfc4514_string(),
    )


# -- structure ----------------------------------------------------------------------


def _granted_signed_data(response_der: bytes) -> cms.SignedData:
    try:
        response = _ResponseTsp.load(bytes(response_der), strict=True)
        status_info = response["status"]
        status = status_info["status"].native
    except (ValueError, TypeError, KeyError) as exc:
        raise TsaError("garbage", f"the TSA's answer is not an RFC 3161 response ({exc})") from exc
    if status != "granted":
        raise TsaError("rejected", f"the TSA refused the request: {_describe_status(status_info)}")
    try:
        token = response["time_stamp_token"]
        if isinstance(token, core.Void) or token["content_type"].native != "signed_data":
            raise ValueError("no SignedData time-stamp token")
        signed_data = token["content"]
        if not isinstance(signed_data, cms.SignedData):
            raise ValueError("token content is not SignedData")
        signed_data["version"].native  # noqa: B018 - forces the lazy parse here
    except (ValueError, TypeError, KeyError) as exc:
        raise TsaError("garbage", f"the TSA granted but sent no usable token ({exc})") from exc
    return signed_data


def _describe_status(status_info: tsp.PKIStatusInfo) -> str:
    parts = [str(status_info["status"].native)]
    try:
        texts = status_info["status_string"].native or []
        fails = status_info["fail_info"].native or set()
    except (ValueError, TypeError):
        texts, fails = [], set()
    if fails:
        parts.append("failure " + ", ".join(sorted(str(f) for f in fails)))
    parts.extend(str(t) for t in texts)
    return "; ".join(parts)


@dataclass(frozen=True)
class _TstFields:
    """The TSTInfo fields we check, read once (asn1crypto parses lazily)."""

    hash_oid: str
    hash_name: str
    hashed_message: bytes
    nonce: int | None
    gen_time: dt.datetime
    serial: int


def _tst_fields(signed_data: cms.SignedData) -> _TstFields:
    try:
        encap = signed_data["encap_content_info"]
        if encap["content_type"].dotted != _TST_INFO_OID:
            raise ValueError(f"content type is {encap['content_type'].dotted}, not TSTInfo")
        tst_info = encap["content"].parsed
        if not isinstance(tst_info, tsp.TSTInfo):
            raise ValueError("content is not a TSTInfo")
        imprint = tst_info["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"]
        gen_time = tst_info["gen_time"].native
        if not isinstance(gen_time, dt.datetime):
            raise ValueError("genTime is not a time")
        fields = _TstFields(
            hash_oid=algorithm.dotted,
            hash_name=str(algorithm.native),
            hashed_message=bytes(imprint["hashed_message"].native),
            nonce=tst_info["nonce"].native,
            gen_time=_as_utc(gen_time),
            serial=int(tst_info["serial_number"].native),
        )
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise TsaError("garbage", f"the token's TSTInfo cannot be read ({exc})") from exc
    return fields


def _as_utc(when: dt.datetime) -> dt.datetime:
    return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def _check_imprint(tst: _TstFields, data: bytes) -> None:
    if tst.hash_oid != _SHA256_OID:
        raise TsaError("imprint_mismatch", f"the token hashes with {tst.hash_name}, not SHA-256")
    if tst.hashed_message != hashlib.sha256(data).digest():
        raise TsaError("imprint_mismatch", "the token is for different data (imprint mismatch)")


def _check_nonce(tst: _TstFields, nonce: int | None) -> None:
    if nonce is not None and tst.nonce != nonce:
        shown = "none" if tst.nonce is None else f"{tst.nonce:#x}"
        raise TsaError(
            "nonce_mismatch", f"the token's nonce ({shown}) is not the one we sent ({nonce:#x})"
        )


def _single_signer(signed_data: cms.SignedData) -> cms.SignerInfo:
    signer_infos = signed_data["signer_infos"]
    if len(signer_infos) != 1:
        raise TsaError("garbage", f"the token has {len(signer_infos)} signers; exactly 1 expected")
    return signer_infos[0]


# -- certificates ---------------------------------------------------------------------


@lru_cache(maxsize=256)
def _load_cert(der: bytes) -> x509.Certificate:
    return x509.load_der_x509_certificate(der)


def _embedded_certs(signed_data: cms.SignedData) -> tuple[x509.Certificate, ...]:
    certs = []
    try:
        for choice in signed_data["certificates"] or []:
            if choice.name == "certificate":
                certs.append(_load_cert(choice.chosen.dump()))
    except ValueError as exc:
        raise TsaError("garbage", f"a certificate in the token cannot be read ({exc})") from exc
    return tuple(certs)


def _find_signer(
    signer_info: cms.SignerInfo, embedded: tuple[x509.Certificate, ...]
) -> x509.Certificate:
    sid = signer_info["sid"]
    for cert in embedded:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                cert.serial_number == wanted["serial_number"].native
                and cert.issuer.public_bytes() == wanted["issuer"].dump()
            ):
                return cert
        elif sid.name == "subject_key_identifier":
            try:
                ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
            except x509.ExtensionNotFound:
                continue
            if ski.value.digest == sid.chosen.native:
                return cert
    raise TsaError(
        "no_signer_cert",
        "the token does not embed its signer's certificate, so it cannot be checked",
    )


def _check_tsa_eku(signer: x509.Certificate) -> None:
    try:
        eku = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        eku = None
    except ValueError as exc:
        raise TsaError(
            "garbage", f"the TSA certificate's extensions are malformed ({exc})"
        ) from exc
    subject = signer.subject.rfc4514_string()
    if eku is None or ExtendedKeyUsageOID.TIME_STAMPING not in eku.value:
        raise TsaError(
            "no_tsa_eku", f"the signing certificate ({subject}) is not for time-stamping (no EKU)"
        )
    if not eku.critical:
        raise TsaError(
            "no_tsa_eku",
            f"the signing certificate ({subject}) has a non-critical time-stamping EKU",
        )


def _check_ess_binding(signer_info: cms.SignerInfo, signer: x509.Certificate) -> None:
    """RFC 3161 2.4.1 / RFC 5035: the signed attributes must name the signer's cert."""
    signer_der = _der(signer)
    try:
        for attr in signer_info["signed_attrs"] or []:
            kind = attr["type"].native
            if kind == "signing_certificate_v2":
                ess_id = attr["values"][0]["certs"][0]
                algo = ess_id["hash_algorithm"]["algorithm"].native
                expected = hashlib.new(algo, signer_der).digest()
            elif kind == "signing_certificate":
                ess_id = attr["values"][0]["certs"][0]
                expected = hashlib.sha1(signer_der, usedforsecurity=False).digest()
            else:
                continue
            if ess_id["cert_hash"].native != expected:
                raise TsaError(
                    "bad_signature", "the token's signing-certificate attribute names another cert"
                )
            return
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise TsaError("garbage", f"the token's signed attributes are malformed ({exc})") from exc
    raise TsaError("bad_signature", "the token lacks the ESS signing-certificate attribute")


@lru_cache(maxsize=512)
def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(Encoding.DER)


@lru_cache(maxsize=1024)
def _issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    """Did ``parent`` sign ``child`` (names match and the signature verifies)?"""
    try:
        child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


@lru_cache(maxsize=1024)
def _may_issue(cert: x509.Certificate, below: int) -> bool:
    """Is ``cert`` a CA allowed to have ``below`` intermediate CAs under it?"""
    try:
        basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    if not basic.ca or (basic.path_length is not None and below > basic.path_length):
        return False
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return bool(usage.key_cert_sign)


def _build_chain(
    signer: x509.Certificate,
    embedded: tuple[x509.Certificate, ...],
    roots: tuple[x509.Certificate, ...],
) -> list[x509.Certificate]:
    chain = _find_path(signer, embedded, roots)
    if chain is None:
        raise TsaError(
            "untrusted",
            f"the TSA certificate ({signer.subject.rfc4514_string()}, issued by "
            f"{signer.issuer.rfc4514_string()}) does not chain to a trusted root",
        )
    return list(chain)


@lru_cache(maxsize=256)
def _find_path(
    signer: x509.Certificate,
    embedded: tuple[x509.Certificate, ...],
    roots: tuple[x509.Certificate, ...],
) -> tuple[x509.Certificate, ...] | None:
    """Signer -> ... -> trusted root, trying trusted roots first at every step."""

    def extend(path: tuple[x509.Certificate, ...]) -> tuple[x509.Certificate, ...] | None:
        current = path[-1]
        if current in roots:
            return path
        if len(path) > MAX_CHAIN_DEPTH:
            return None
        cas_below = len(path) - 1
        for root in roots:
            if _issued_by(current, root) and _may_issue(root, cas_below):
                return (*path, root)
        for candidate in embedded:
            if candidate in path or _is_self_signed(candidate):
                continue  # a root shipped inside the token is never an anchor
            if _issued_by(current, candidate) and _may_issue(candidate, cas_below):
                found = extend((*path, candidate))
                if found is not None:
                    return found
        return None

    return extend((signer,))


@lru_cache(maxsize=256)
def _is_self_signed(cert: x509.Certificate) -> bool:
    return cert.issuer == cert.subject and _issued_by(cert, cert)


def _check_validity(chain: list[x509.Certificate], gen_time: dt.datetime) -> None:
    for cert in chain:
        if not cert.not_valid_before_utc <= gen_time <= cert.not_valid_after_utc:
            raise TsaError(
                "not_valid_at_time",
                f"certificate {cert.subject.rfc4514_string()} was not valid at the token's "
                f"time {gen_time.isoformat()} (valid {cert.not_valid_before_utc.isoformat()} "
                f"to {cert.not_valid_after_utc.isoformat()})",
            )


# -- signature (rfc3161-client / OpenSSL) -----------------------------------------------


def _check_signature(
    response_der: bytes,
    data: bytes,
    trusted_roots: Sequence[x509.Certificate],
    nonce: int | None,
) -> None:
    """CMS signature plus OpenSSL's own chain check at genTime, via rfc3161-client."""
    verifier = VerifierBuilder(roots=list(trusted_roots), nonce=nonce).build()
    try:
        response = decode_timestamp_response(bytes(response_der))
        verifier.verify_message(response, data)
    except (KeyboardInterrupt, SystemExit):
        raise
    except VerificationError as exc:
        raise _library_error(str(exc)) from exc
    except BaseException as exc:  # the Rust parser may panic on odd input
        raise TsaError("garbage", f"the token cannot be checked ({type(exc).__name__})") from exc


_LIBRARY_REASONS = (
    ("nonce mismatch", "nonce_mismatch"),
    ("mismatch between messages", "imprint_mismatch"),
    ("eku", "no_tsa_eku"),
    ("certificate verify error", "untrusted"),
)


def _library_error(detail: str) -> TsaError:
    """Map an rfc3161-client/OpenSSL failure to our reasons (signature unless known)."""
    lowered = detail.lower()
    reason = next((r for text, r in _LIBRARY_REASONS if text in lowered), "bad_signature")
    found = re.findall(r'(?:reason|data): "([^"]+)"', detail)
    summary = "; ".join(dict.fromkeys(found)) or detail.split("ErrorStack")[0].strip(" :")
    if reason == "untrusted":
        return TsaError(reason, f"OpenSSL rejects the TSA chain at the token's time ({summary})")
    if reason == "bad_signature":
        return TsaError(reason, f"the token's signature does not verify ({summary})")
    return TsaError(reason, f"the token fails rfc3161-client's check ({summary})")
