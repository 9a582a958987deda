"""A throwaway RFC 3161 Time-Stamp Authority for tests, served on 127.0.0.1.

Why: the public TSAs (DigiCert, Sectigo, FreeTSA) are unreachable from tests, and
the anchoring code must be exercised against real RFC 3161 responses, good and bad.
This TSA issues genuine ``TimeStampResp`` DER (CMS SignedData over a TSTInfo,
signed attributes with content-type, message-digest and ESS signing-certificate-v2)
that also pass ``openssl ts -verify``.

PKI: a fresh self-signed root -> an intermediate CA -> the TSA certificate (critical
EKU id-kp-timeStamping). The token embeds the TSA certificate and the intermediate,
never the root, as real TSAs do. Everything is generated per instance (ECDSA P-256 by
default, RSA with ``key_type="rsa"``), so each ``TestTsa`` has its own root.

Usage::

    with TestTsa() as tsa:                # mode "ok"
        token = request_token(tsa.url, data, trusted_roots=[tsa.root_cert])
        tsa.mode = "http500"              # switch behaviour at runtime
        tsa.requests_seen[0].content_type # "application/timestamp-query"

Modes (``tsa.mode``, settable at any time):

``ok``             a valid token over the request's imprint and nonce
``down``           the port is closed: connections are refused
``slow``           waits ``slow_seconds`` (default 2 s) before answering; pair with a
                   small client timeout
``http500``        HTTP 500 with a text body
``garbage``        HTTP 200, ``application/timestamp-reply``, bytes that are not DER
``reject``         a TimeStampResp with status rejection (badAlg) and no token
``wrong_nonce``    a valid token whose nonce is the request's nonce + 1
``wrong_imprint``  a valid token over SHA-256 of other data
``no_eku``         signed by a certificate without the time-stamping EKU
``untrusted``      signed by a second, unrelated CA whose root is embedded in the token
``bad_signature``  a valid token whose CMS signature has one byte flipped
``redirect``       HTTP 302 to another path on the same server

Options: ``gen_time`` fixes the token time (aware datetime; the TSA certificate is
valid from now - 1000 days to now + 1000 days, the CAs for ten years either side of
now); ``expired_cert=True``
gives the TSA certificate a validity of [now - 3 years, now - 1 year] and, unless
``gen_time`` is given, stamps tokens at now - 2 years (valid then, expired now).

``cross_signed=True`` also embeds a cross-certificate for the root, issued by
``bridge_root_cert`` (as DigiCert's and Sectigo's tokens embed their roots
cross-signed by older roots): tokens then verify against ``root_cert`` *or*
``bridge_root_cert``.

``issue(data, nonce=...)`` makes a token directly without HTTP, for tests that only
need token bytes (and for benchmarks).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

MODES = (
    "ok",
    "down",
    "slow",
    "http500",
    "garbage",
    "reject",
    "wrong_nonce",
    "wrong_imprint",
    "no_eku",
    "untrusted",
    "bad_signature",
    "redirect",
)
KeyType = Literal["ec", "rsa"]
TEST_POLICY_OID = "1.3.6.1.4.1.55555.3161.1"
_UTC = dt.UTC


class _TimeStampResp(core.Sequence):
    """TimeStampResp with the token optional (asn1crypto's requires it)."""

    _fields = [  # noqa: RUF012 - asn1crypto's declarative spec
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


@dataclass(frozen=True)
class RequestSeen:
    """One HTTP request the TSA received."""

    path: str
    content_type: str | None
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Identity:
    """A certificate and its private key."""

    cert: x509.Certificate
    key: Any

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


def _new_key(key_type: KeyType) -> Any:
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "hourproof tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _issue_cert(
    subject: str,
    key: Any,
    issuer: _Identity | None,
    *,
    ca: bool,
    eku: bool,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> x509.Certificate:
    """Issue a certificate (self-signed when issuer is None)."""
    issuer_name = issuer.cert.subject if issuer else _name(subject)
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if ca:
        usage = x509.KeyUsage(
            digital_signature=False,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=True,
            crl_sign=True,
            encipher_only=False,
            decipher_only=False,
        )
    else:
        usage = x509.KeyUsage(
            digital_signature=True,
            content_commitment=True,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=False,
            crl_sign=False,
            encipher_only=False,
            decipher_only=False,
        )
    builder = builder.add_extension(usage, critical=True)
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    if eku:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return builder.sign(signing_key, hashes.SHA256())


@dataclass
class _Pki:
    root: _Identity
    intermediate: _Identity
    tsa: _Identity
    tsa_no_eku: _Identity
    bridge: _Identity  # another root, which cross-signs ``root``
    root_cross: _Identity  # ``root``'s name and key, issued by ``bridge``


def _make_pki(label: str, key_type: KeyType, *, expired_tsa: bool) -> _Pki:
    now = dt.datetime.now(_UTC).replace(microsecond=0)
    ca_from, ca_to = now - dt.timedelta(days=3650), now + dt.timedelta(days=3650)
    if expired_tsa:
        tsa_from, tsa_to = now - dt.timedelta(days=3 * 365), now - dt.timedelta(days=365)
    else:
        tsa_from, tsa_to = now - dt.timedelta(days=1000), now + dt.timedelta(days=1000)
    root_key = _new_key(key_type)
    root_cert = _issue_cert(
        f"{label} Root", root_key, None, ca=True, eku=False, not_before=ca_from, not_after=ca_to
    )
    root = _Identity(root_cert, root_key)
    inter_key = _new_key(key_type)
    inter_cert = _issue_cert(
        f"{label} Intermediate",
        inter_key,
        root,
        ca=True,
        eku=False,
        not_before=ca_from,
        not_after=ca_to,
    )
    inter = _Identity(inter_cert, inter_key)
    tsa_key = _new_key(key_type)
    tsa_cert = _issue_cert(
        f"{label} Signer", tsa_key, inter, ca=False, eku=True, not_before=tsa_from, not_after=tsa_to
    )
    no_eku_cert = _issue_cert(
        f"{label} Signer without EKU",
        tsa_key,
        inter,
        ca=False,
        eku=False,
        not_before=tsa_from,
        not_after=tsa_to,
    )
    bridge_key = _new_key(key_type)
    bridge = _Identity(
        _issue_cert(
            f"{label} Bridge Root",
            bridge_key,
            None,
            ca=True,
            eku=False,
            not_before=ca_from,
            not_after=ca_to,
        ),
        bridge_key,
    )
    cross_cert = _issue_cert(
        f"{label} Root", root_key, bridge, ca=True, eku=False, not_before=ca_from, not_after=ca_to
    )
    return _Pki(
        root,
        inter,
        _Identity(tsa_cert, tsa_key),
        _Identity(no_eku_cert, tsa_key),
        bridge,
        _Identity(cross_cert, root_key),
    )


def _sign(key: Any, data: bytes) -> tuple[bytes, str]:
    """Sign with SHA-256; returns (signature, asn1crypto signature algorithm name)."""
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256()), "sha256_rsa"
    return key.sign(data, ec.ECDSA(hashes.SHA256())), "sha256_ecdsa"


@dataclass
class TestTsa:
    """A local RFC 3161 TSA over HTTP; use as a context manager (see module docstring)."""

    __test__ = False  # not a pytest test class, despite the name

    mode: str = "ok"
    gen_time: dt.datetime | None = None
    expired_cert: bool = False
    key_type: KeyType = "ec"
    slow_seconds: float = 2.0
    cross_signed: bool = False
    requests_seen: list[RequestSeen] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown TestTsa mode {self.mode!r}; choose from {MODES}")
        self._pki = _make_pki("Test TSA", self.key_type, expired_tsa=self.expired_cert)
        self._rogue = _make_pki("Rogue TSA", self.key_type, expired_tsa=self.expired_cert)
        self._serials = itertools.count(1)
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port = self._reserve_port()

    # -- public surface -------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}/tsr"

    @property
    def root_cert(self) -> x509.Certificate:
        return self._pki.root.cert

    @property
    def root_pem(self) -> bytes:
        return self._pki.root.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def intermediate_cert(self) -> x509.Certificate:
        return self._pki.intermediate.cert

    @property
    def tsa_cert(self) -> x509.Certificate:
        return self._pki.tsa.cert

    @property
    def bridge_root_cert(self) -> x509.Certificate:
        """A second root that cross-signs ``root_cert`` (see ``cross_signed``)."""
        return self._pki.bridge.cert

    @property
    def rogue_root_cert(self) -> x509.Certificate:
        """Root of the unrelated CA used by mode ``untrusted``."""
        return self._rogue.root.cert

    def start(self) -> TestTsa:
        self._closing.clear()
        self._sync_server()
        return self

    def stop(self) -> None:
        self._closing.set()
        self._stop_server()

    def __enter__(self) -> TestTsa:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "mode" and value not in MODES:
            raise ValueError(f"unknown TestTsa mode {value!r}; choose from {MODES}")
        super().__setattr__(name, value)
        if name == "mode" and "_thread" in self.__dict__ and not self._closing.is_set():
            self._sync_server()

    def issue(
        self,
        data: bytes,
        *,
        nonce: int | None = None,
        mode: str = "ok",
        gen_time: dt.datetime | None = None,
    ) -> bytes:
        """Return TimeStampResp DER over SHA-256(data), as the HTTP endpoint would."""
        digest = hashlib.sha256(data).digest()
        return self._response_for(digest, "sha256", nonce, mode, gen_time)

    # -- server lifecycle -----------------------------------------------------------

    @staticmethod
    def _reserve_port() -> int:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port: int = sock.getsockname()[1]
            return port

    def _sync_server(self) -> None:
        """Open the port unless the mode is ``down``; close it when it is."""
        with self._lock:
            if self.mode == "down":
                self._stop_server_locked()
            elif self._server is None:
                server = _Server(("127.0.0.1", self._port), _Handler)
                server.tsa = self
                self._server = server
                self._thread = threading.Thread(
                    target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
                )
                self._thread.start()

    def _stop_server(self) -> None:
        with self._lock:
            self._stop_server_locked()

    def _stop_server_locked(self) -> None:
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    # -- token construction -----------------------------------------------------------

    def _handle(self, body: bytes) -> tuple[int, str, bytes]:
        """Answer one request body: (HTTP status, content type, body)."""
        mode = self.mode
        if mode == "slow":
            self._closing.wait(self.slow_seconds)
            mode = "ok"
        if mode == "redirect":
            return 302, "text/plain", b"moved\n"
        if mode == "http500":
            return 500, "text/plain", b"internal error (test TSA)\n"
        if mode == "garbage":
            return 200, "application/timestamp-reply", b"<html>not a timestamp</html>"
        try:
            request = tsp.TimeStampReq.load(body, strict=True)
            imprint = request["message_imprint"]
            digest = imprint["hashed_message"].native
            algorithm = imprint["hash_algorithm"]["algorithm"].native
            nonce = request["nonce"].native
        except (ValueError, TypeError, KeyError):
            return 200, "application/timestamp-reply", self._rejection("bad_data_format")
        return (
            200,
            "application/timestamp-reply",
            self._response_for(digest, algorithm, nonce, mode, None),
        )

    def _rejection(self, fail: str) -> bytes:
        status = tsp.PKIStatusInfo(
            {
                "status": "rejection",
                "status_string": ["request rejected by the test TSA"],
                "fail_info": {fail},
            }
        )
        return _TimeStampResp({"status": status}).dump()

    def _response_for(
        self,
        digest: bytes,
        algorithm: str,
        nonce: int | None,
        mode: str,
        gen_time: dt.datetime | None,
    ) -> bytes:
        if mode == "reject":
            return self._rejection("bad_alg")
        signer = self._pki.tsa
        chain = [self._pki.tsa, self._pki.intermediate]
        if self.cross_signed:
            chain.append(self._pki.root_cross)
        if mode == "no_eku":
            signer = self._pki.tsa_no_eku
            chain = [signer, self._pki.intermediate]
        elif mode == "untrusted":
            signer = self._rogue.tsa
            chain = [self._rogue.tsa, self._rogue.intermediate, self._rogue.root]
        if mode == "wrong_imprint":
            digest = hashlib.sha256(b"some other data entirely").digest()
            algorithm = "sha256"
        if mode == "wrong_nonce" and nonce is not None:
            nonce += 1
        when = gen_time or self.gen_time or self._default_gen_time()
        token = self._token(signer, chain, digest, algorithm, nonce, when)
        if mode == "bad_signature":
            token = self._corrupt_signature(token)
        return _TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump()

    def _default_gen_time(self) -> dt.datetime:
        now = dt.datetime.now(_UTC).replace(microsecond=0)
        return now - dt.timedelta(days=2 * 365) if self.expired_cert else now

    def _token(
        self,
        signer: _Identity,
        chain: list[_Identity],
        digest: bytes,
        algorithm: str,
        nonce: int | None,
        when: dt.datetime,
    ) -> cms.ContentInfo:
        tst_fields: dict[str, Any] = {
            "version": "v1",
            "policy": TEST_POLICY_OID,
            "message_imprint": {
                "hash_algorithm": {"algorithm": algorithm},
                "hashed_message": digest,
            },
            "serial_number": next(self._serials),
            "gen_time": when.astimezone(_UTC).replace(microsecond=0),
            "accuracy": {"seconds": 1},
        }
        if nonce is not None:
            tst_fields["nonce"] = nonce
        tst_info = tsp.TSTInfo(tst_fields)
        econtent = tst_info.dump()
        ess = tsp.SigningCertificateV2(
            {"certs": [{"cert_hash": hashlib.sha256(signer.der).digest()}]}
        )
        signed_attrs = cms.CMSAttributes(
            [
                {"type": "content_type", "values": ["tst_info"]},
                {"type": "signing_time", "values": [cms.Time({"utc_time": when})]},
                {"type": "message_digest", "values": [hashlib.sha256(econtent).digest()]},
                {"type": "signing_certificate_v2", "values": [ess]},
            ]
        )
        signature, sig_algo = _sign(signer.key, signed_attrs.dump())
        issuer = asn1_x509.Certificate.load(signer.der)
        signer_info = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    name="issuer_and_serial_number",
                    value={
                        "issuer": issuer["tbs_certificate"]["issuer"],
                        "serial_number": issuer.serial_number,
                    },
                ),
                "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                "signed_attrs": signed_attrs,
                "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": sig_algo}),
                "signature": signature,
            }
        )
        signed_data = cms.SignedData(
            {
                "version": "v3",
                "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
                "encap_content_info": {
                    "content_type": "tst_info",
                    "content": core.ParsableOctetString(econtent),
                },
                "certificates": [asn1_x509.Certificate.load(ident.der) for ident in chain],
                "signer_infos": [signer_info],
            }
        )
        return cms.ContentInfo({"content_type": "signed_data", "content": signed_data})

    @staticmethod
    def _corrupt_signature(token: cms.ContentInfo) -> cms.ContentInfo:
        signed_data = token["content"]
        signer_info = signed_data["signer_infos"][0]
        sig = bytearray(signer_info["signature"].native)
        sig[len(sig) // 2] ^= 0x01
        signer_info["signature"] = bytes(sig)
        return cms.ContentInfo.load(token.dump(force=True))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    tsa: TestTsa


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        tsa = self.server.tsa
        seen = RequestSeen(self.path, self.headers.get("Content-Type"), body, dict(self.headers))
        tsa.requests_seen.append(seen)
        status, content_type, payload = tsa._handle(body)
        try:
            self.send_response(status)
            if status == 302:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. its timeout fired in mode "slow")

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""
