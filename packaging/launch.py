"""Entry point for frozen builds (PyInstaller): the same as the `hourproof` script."""

from hourproof.cli import main

raise SystemExit(main())
