from hourproof.cli import main

raise SystemExit(main())
