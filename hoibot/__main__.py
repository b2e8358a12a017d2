"""Allow ``python -m hoibot``."""

from hoibot.cli import main

raise SystemExit(main())
