"""Start the Deployer desktop application."""

from deployer.ui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
