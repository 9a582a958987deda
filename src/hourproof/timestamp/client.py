"""Ask one RFC 3161 TSA to timestamp bytes, and accept only a verified token.

Why this shape: the request is built by rfc3161-client (SHA-256 imprint of the exact
bytes, a fresh random nonce, certificates requested), sent with requests as
``application/timestamp-query``, and the answer goes through ``verify_response``
before the caller sees it, so nothing unverified is ever stored. Every failure is a
``TsaError`` whose ``reason`` says which (see ``verify.REASONS``); the queue that
retries failures lives elsewhere.

Redirects are not followed: a POST must not silently become a GET, and hourproof
promises to talk only to the TSAs the user configured.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

import requests
from cryptography import x509
from rfc3161_client import HashAlgorithm, TimestampRequestBuilder

from hourproof.timestamp.verify import TimestampToken, TsaError, verify_response

__all__ = ["DEFAULT_TIMEOUT", "MAX_RESPONSE_BYTES", "TimestampToken", "TsaError", "request_token"]

DEFAULT_TIMEOUT: tuple[float, float] = (5, 15)  # (connect, read) seconds
MAX_RESPONSE_BYTES = 1 << 20  # real tokens are a few KiB
_USER_AGENT = "hourproof (RFC 3161 client)"


def request_token(
    url: str,
    data: bytes,
    *,
    trusted_roots: Sequence[x509.Certificate],
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    session: requests.Session | None = None,
) -> TimestampToken:
    """Timestamp ``data`` at ``url``; return the verified token or raise TsaError."""
    if not data:
        raise ValueError("refusing to timestamp empty data")
    request = (
        TimestampRequestBuilder()
        .data(data)
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    nonce = request.nonce
    body = _post(url, request.as_bytes(), timeout, session)
    try:
        return verify_response(body, data, trusted_roots, nonce=nonce)
    except TsaError as exc:
        raise exc.with_url(url) from exc


def _post(
    url: str,
    query: bytes,
    timeout: float | tuple[float, float],
    session: requests.Session | None,
) -> bytes:
    own_session = session is None
    http = session or requests.Session()
    try:
        return _exchange(http, url, query, timeout)
    finally:
        if own_session:
            http.close()


def _exchange(
    http: requests.Session, url: str, query: bytes, timeout: float | tuple[float, float]
) -> bytes:
    headers = {
        "Content-Type": "application/timestamp-query",
        "Accept": "application/timestamp-reply",
        "User-Agent": _USER_AGENT,
    }
    read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
    try:
        with http.post(
            url, data=query, headers=headers, timeout=timeout, allow_redirects=False, stream=True
        ) as response:
            if response.status_code != 200:
                raise _http_error(url, response)
            return _read_body(url, response, read_timeout)
    except TsaError:
        raise
    except requests.Timeout as exc:
        raise TsaError("timeout", f"no answer within {_describe(timeout)}", url=url) from exc
    except requests.ConnectionError as exc:
        if _is_read_timeout(exc):
            raise TsaError("timeout", f"no answer within {_describe(timeout)}", url=url) from exc
        raise TsaError("unreachable", f"cannot connect ({_root_cause(exc)})", url=url) from exc
    except requests.RequestException as exc:
        raise TsaError("unreachable", f"request failed ({_root_cause(exc)})", url=url) from exc


def _read_body(url: str, response: requests.Response, read_timeout: float) -> bytes:
    """Read at most MAX_RESPONSE_BYTES, within a total deadline (no slow-drip hang)."""
    deadline = time.monotonic() + 2 * read_timeout
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=16384):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise TsaError("garbage", f"answer is larger than {MAX_RESPONSE_BYTES} bytes", url=url)
        if time.monotonic() > deadline:
            raise TsaError("timeout", "the answer trickled in too slowly", url=url)
        chunks.append(chunk)
    return b"".join(chunks)


def _http_error(url: str, response: requests.Response) -> TsaError:
    status = response.status_code
    if 300 <= status < 400:
        where = response.headers.get("Location", "elsewhere")
        return TsaError(
            "http_status",
            f"HTTP {status}: the TSA redirects to {where}; configure that URL instead",
            url=url,
        )
    return TsaError("http_status", f"HTTP {status} {response.reason or ''}".strip(), url=url)


def _is_read_timeout(exc: requests.ConnectionError) -> bool:
    """requests reports a timeout while streaming the body as a ConnectionError."""
    cause: BaseException | None = exc
    seen = 0
    while cause is not None and seen < 10:
        if "ReadTimeout" in type(cause).__name__ or "timed out" in str(cause):
            return True
        nested = cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else None
        cause = nested or cause.__cause__ or cause.__context__
        seen += 1
    return False


def _root_cause(exc: BaseException) -> str:
    """The OS-level reason ("connection refused"), not urllib3's nested repr."""
    text = str(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        ssl_text = re.search(r"\[SSL: ([A-Z_]+)\]", text)
        return "TLS failed: " + (ssl_text.group(1).lower() if ssl_text else "handshake error")
    errno_text = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if errno_text:
        return errno_text.group(1).strip().lower()
    return type(exc).__name__


def _describe(timeout: float | tuple[float, float]) -> str:
    if isinstance(timeout, tuple):
        return f"{timeout[0]:g} s to connect / {timeout[1]:g} s to answer"
    return f"{timeout:g} s"
