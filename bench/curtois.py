"""Solve Curtois & Qu benchmark instances and compare with the best-known values.

Usage: python bench/curtois.py --instances DIR [--time-limit 60] [--workers 2] [--out DIR] [--seeds N]
(also: python -m deployer bench curtois ...)
"""

from __future__ import annotations

import sys

from deployer.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["bench", "curtois", *sys.argv[1:]]))
