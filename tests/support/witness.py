"""A loopback transparency-log witness speaking the C2SP tlog-witness protocol.

Why: hourproof must obtain cosignatures from real witnesses (litewitness,
OmniWitness, the transparency-dev witness network) that no test can reach. This
witness implements c2sp.org/tlog-witness ``add-checkpoint`` as the spec says:

- request: ``old <size>\\n``, up to 63 base64 consistency proof lines, an empty
  line, then the signed checkpoint note;
- 404 for an unknown origin, 403 when no trusted key signed it, 400 for a
  malformed body or ``old`` above the checkpoint size, 409 (body: its own latest
  size + newline, ``Content-Type: text/x.tlog.size``) when ``old`` is not the size
  it last cosigned or the same size has another root, 422 when the consistency
  proof does not verify;
- on success it persists the new state (a JSON file, written atomically under a
  lock, so check-and-update is atomic) and answers 200 with one cosignature/v1
  line per witness key.

The cosignature is built here from the spec text (``cosignature/v1\\ntime <t>\\n``
+ checkpoint body, key id over ``name || 0x0A || 0x04 || key``), independently of
``hourproof.ledger.cosignature``, so the tests cross-check the client's encoder.

Usage::

    with TestWitness(tmp_path / "w.json") as w:
        w.trust(origin, log_public_key)
        ... POST f"{w.url}/add-checkpoint" ...
        w.vkey           # "<name>+<id>+<base64(0x04||key)>" for hourproof witness add
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from hourproof.ledger.merkle import ProofError, verify_consistency
from hourproof.ledger.note import NoteError, open_note

MAX_PROOF_LINES = 63


def _raw(pub: Ed25519PublicKey) -> bytes:
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass
class Seen:
    path: str
    body: bytes
    status: int
    content_type: str
    response: bytes


@dataclass
class TestWitness:
    state_file: Path
    name: str = "witness.test/w1"
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    #: Answer every request with this status (e.g. 503) instead of the protocol.
    force_status: int | None = None
    clock: Any = field(default=lambda: int(time.time()))
    requests_seen: list[Seen] = field(default_factory=list)
    logs: dict[str, list[Ed25519PublicKey]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- configuration ------------------------------------------------------------
    __test__ = False  # not a pytest class

    def trust(self, origin: str, pub: Ed25519PublicKey) -> None:
        self.logs.setdefault(origin, []).append(pub)

    @property
    def key_id(self) -> bytes:
        return hashlib.sha256(
            self.name.encode() + b"\n\x04" + _raw(self.key.public_key())
        ).digest()[:4]

    @property
    def vkey(self) -> str:
        key = base64.b64encode(b"\x04" + _raw(self.key.public_key())).decode()
        return f"{self.name}+{self.key_id.hex()}+{key}"

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # --- persisted state ------------------------------------------------------------
    def state(self) -> dict[str, dict[str, Any]]:
        try:
            loaded: dict[str, dict[str, Any]] = json.loads(self.state_file.read_text())
            return loaded
        except FileNotFoundError:
            return {}

    def _save(self, state: dict[str, dict[str, Any]]) -> None:
        tmp = self.state_file.with_name(self.state_file.name + ".tmp")
        tmp.write_text(json.dumps(state, sort_keys=True))
        os.replace(tmp, self.state_file)

    # --- protocol ---------------------------------------------------------------------
    def cosign(self, body: str, timestamp: int) -> str:
        message = f"cosignature/v1\ntime {timestamp}\n".encode() + body.encode()
        raw = self.key_id + struct.pack(">Q", timestamp) + self.key.sign(message)
        return f"\u2014 {self.name} {base64.b64encode(raw).decode()}\n"

    def add_checkpoint(self, body: bytes) -> tuple[int, str, bytes]:
        """(status, content type, body) for one add-checkpoint request body."""
        try:
            text = body.decode("utf-8")
            head, sep, note = text.partition("\n\n")
            if not sep:
                raise ValueError("no empty line")
            lines = (head + "\n").split("\n")[:-1]
            old_line, proof_lines = lines[0], lines[1:]
            if not old_line.startswith("old "):
                raise ValueError("first line must be 'old <size>'")
            old_text = old_line[4:]
            if not old_text.isdigit() or str(int(old_text)) != old_text:
                raise ValueError("old size is not a canonical decimal")
            old = int(old_text)
            if len(proof_lines) > MAX_PROOF_LINES:
                raise ValueError("too many proof lines")
            proof = [base64.b64decode(p, validate=True) for p in proof_lines]
            if any(len(h) != 32 for h in proof):
                raise ValueError("proof hash is not 32 bytes")
            origin = note.split("\n", 1)[0]
        except (ValueError, UnicodeDecodeError) as exc:
            return 400, "text/plain", f"bad request: {exc}\n".encode()
        keys = self.logs.get(origin)
        if not keys:
            return 404, "text/plain", b"unknown log\n"
        cp_body: str | None = None
        for pub in keys:
            try:
                cp_body = open_note(note, origin, pub)
                break
            except NoteError:
                continue
        if cp_body is None:
            return 403, "text/plain", b"no trusted signature\n"
        try:
            size_line, root_line = cp_body.split("\n")[1:3]
            size, root = int(size_line), base64.b64decode(root_line, validate=True)
        except ValueError:
            return 400, "text/plain", b"malformed checkpoint\n"
        if old > size:
            return 400, "text/plain", b"old size is larger than the checkpoint\n"
        with self._lock:
            state = self.state()
            known = state.get(origin, {"size": 0, "root": None})
            if old != known["size"]:
                return 409, "text/x.tlog.size", f"{known['size']}\n".encode()
            if old == 0 and proof:
                return 422, "text/plain", b"proof must be empty from size 0\n"
            if old == size:
                if known["root"] is not None and base64.b64decode(known["root"]) != root:
                    return 409, "text/x.tlog.size", f"{known['size']}\n".encode()
            elif old > 0:
                try:
                    verify_consistency(old, size, base64.b64decode(known["root"]), root, proof)
                except ProofError:
                    return 422, "text/plain", b"consistency proof does not verify\n"
            state[origin] = {"size": size, "root": base64.b64encode(root).decode()}
            self._save(state)
        return 200, "text/plain; charset=utf-8", self.cosign(cp_body, int(self.clock())).encode()

    # --- HTTP ---------------------------------------------------------------------------
    def start(self) -> TestWitness:
        witness = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if witness.force_status is not None:
                    status, ctype, out = witness.force_status, "text/plain", b"unavailable\n"
                elif self.path != "/add-checkpoint":
                    status, ctype, out = 404, "text/plain", b"no such endpoint\n"
                else:
                    status, ctype, out = witness.add_checkpoint(body)
                witness.requests_seen.append(Seen(self.path, body, status, ctype, out))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> TestWitness:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
