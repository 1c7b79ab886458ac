"""Where the shipped resources (demo data, templates, icons) live."""

from __future__ import annotations

import csv
from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def read_table(relative: str) -> list[dict[str, str]]:
    """Rows of a shipped CSV file as dictionaries keyed by header."""
    with (RESOURCES / relative).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
