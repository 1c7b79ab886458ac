"""Allow ``python -m deployer ...``."""

from deployer.cli import main

raise SystemExit(main())
