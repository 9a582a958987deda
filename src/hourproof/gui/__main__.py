"""``python -m hourproof.gui [--home DIR] [--hidden]``."""

from hourproof.gui.main import main

raise SystemExit(main())
