"""What a client's cold ``hourproof verify`` imports (issue 8: <= 0.3 s, most of it
imports once). A bundle with report.html and report.pdf and no timestamp tokens is
verified in a fresh interpreter on a fresh verifier home; the modules it loaded are
listed. The report checks must have run (else the list proves nothing)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hourproof.proof import format as f
from tests.support import bundles as b

#: Never needed to verify a bundle: the ORM (the store is plain sqlite3), Qt (the PDF
#: is checked without it), the network, the per-user data dir (``--home`` is given),
#: OpenSSH private key files (ssh, ciphers, bcrypt), RFC 3161 and X.509 (no tokens),
#: anchoring beyond its start-up hook, approvals (the bundle and the verifier's home
#: have none) and the contractor's side of them, background drains.
NOT_IMPORTED = (
    "sqlalchemy",
    "PySide6",
    "shiboken6",
    "requests",
    "urllib3",
    "platformdirs",
    "bcrypt",
    "cryptography.hazmat.primitives.serialization.ssh",
    "cryptography.hazmat.primitives.ciphers",
    "cryptography.x509",
    "rfc3161_client",
    "asn1crypto",
    "hourproof.services.anchoring",
    "hourproof.services.approvals",
    "hourproof.proof.approval_check",
    "hourproof.services.export",
    "hourproof.services.tracking",
    "hourproof.store.backup",  # a new verifier home has no backups to look at
    "subprocess",
)

CHILD = """
import json, sys
from hourproof.cli import main
code = main(sys.argv[1:])
with open({out!r}, "w") as fh:
    json.dump({{"code": code, "modules": sorted(sys.modules)}}, fh)
"""


def test_a_cold_verify_with_reports_imports_only_what_verifying_needs(tmp_path: Path) -> None:
    home = b.build_home(tmp_path / "a", with_evidence=False)
    bundle = tmp_path / "a.hproof"
    files = b.unzip(b.export(home, bundle))
    home.close()
    assert {"report.html", "report.pdf"} <= set(files)
    assert not any(f.TSR_RE.match(name) for name in files)  # no timestamp tokens
    out = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if k != "HOURPROOF_HOME"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(out=str(out)),
         "--home", str(tmp_path / "client"), "verify", str(bundle)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = json.loads(out.read_text())
    assert seen["code"] == 0 and "VERIFIED" in done.stdout, done.stdout
    modules = set(seen["modules"])
    # The checks whose imports are measured did run: reports, cosign step, the memory.
    assert {"hourproof.proof.report_check", "hourproof.proof.report_binding",
            "hourproof.proof.cosign_step", "hourproof.store.chains"} <= modules  # fmt: skip
    loaded = sorted(m for m in modules if any(m == n or m.startswith(n + ".")
                                              for n in NOT_IMPORTED))  # fmt: skip
    assert loaded == []
