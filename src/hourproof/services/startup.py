"""Start-up of a front end (the CLI or the GUI) on an open home.

What every front end does after ``App.open``, kept out of ``App.open`` itself so the
service core does not depend on the services built on it: new checkpoints are handed
to anchoring, and a new home gets the default TSAs.
"""

from __future__ import annotations

import os

from hourproof.services.app import App


def prepare(app: App) -> App:
    """Install the anchoring hook (once) and, on a new home, the default TSAs."""
    from hourproof.services import anchor_setup  # not all of services.anchoring

    if anchor_setup.enqueue not in app.checkpoint_hooks:
        app.checkpoint_hooks.append(anchor_setup.enqueue)
    anchor_setup.install_defaults(app)
    return app


def open_home(home_dir: str | os.PathLike[str] | None = None) -> App:
    """``App.open`` as the CLI and the GUI do it (see ``prepare``)."""
    return prepare(App.open(home_dir))
