"""What every front end installs from anchoring at start-up (``services.startup``):
the checkpoint hook that queues a checkpoint for a trusted timestamp, and a new home's
default TSAs.

Kept apart from ``services.anchoring`` (TSA requests, the drain, status), which
re-exports both, so that commands that never anchor (``status``, ``verify``, …) do
not import it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from hourproof.core.timeparse import to_rfc3339
from hourproof.store.anchors import AnchorTables

if TYPE_CHECKING:
    from hourproof.services.app import App, Txn

ENV_DEFAULT_TSAS = "HOURPROOF_DEFAULT_TSAS"


def install_defaults(app: App) -> None:
    """On a new home, configure the default TSAs (unless HOURPROOF_DEFAULT_TSAS=none).

    Called at CLI and GUI start-up (``services.startup``), not by ``App.open``.
    """
    with app.read_db() as db:
        if AnchorTables(db).tsas_configured():
            return
    with app.write() as txn:
        tables = AnchorTables(txn.db)
        if tables.tsas_configured():
            return  # another process configured them meanwhile
        if os.environ.get(ENV_DEFAULT_TSAS, "").lower() != "none":
            from hourproof.timestamp.roots import DEFAULT_TSAS

            for tsa in DEFAULT_TSAS:
                tables.add_tsa(tsa.name, tsa.url, None)
        tables.mark_tsas_configured()


def enqueue(txn: Txn, size: int) -> None:
    """Checkpoint hook: ask for this checkpoint to be anchored (coalescing pending asks)."""
    AnchorTables(txn.db).enqueue(size, to_rfc3339(txn.now))
