"""One light colour per city, the same in the grid, the coverage view, the timeline and the charts."""

from __future__ import annotations

from PySide6.QtGui import QColor

_PALETTE = (
    "#cfe3ff",
    "#d7f5d0",
    "#ffe2bf",
    "#ead6ff",
    "#ffd6e7",
    "#d0f2f2",
    "#f5f0c4",
    "#e0e0e0",
)
SHORT = QColor("#ffb3b3")
"""Background of anything short of its demand or breaking a rule."""


def city_colours(cities: list[str]) -> dict[str, QColor]:
    """A colour for each city, in the order given (the palette repeats past eight)."""
    return {city: QColor(_PALETTE[i % len(_PALETTE)]) for i, city in enumerate(cities)}
