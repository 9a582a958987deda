"""Entry point of the windowed build (``hourproof-app``): always the desktop app.

A file given by the desktop (double-clicked ``.hproof``) is verified in the app.
"""

import sys

from hourproof.cli import main

raise SystemExit(main(["gui", *sys.argv[1:]]))
