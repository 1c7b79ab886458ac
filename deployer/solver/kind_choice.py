"""Which kind of neighbourhood a search should try next: the one that has been paying lately.

Kinds differ by orders of magnitude in what a step costs and saves from one problem to another
(everyone over three days of a year-long roster costs seconds to build; one person over four
weeks, milliseconds), so no fixed mix suits every problem. Each kind keeps a moving average of
what its steps saved per second spent; kinds are drawn in proportion to it, with a share drawn
uniformly so that a kind that stopped paying is tried again later.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

EXPLORE = 0.2
"""Share of draws made uniformly among the kinds."""
MEMORY = 0.8
"""Weight of the past in a kind's moving average (per step of that kind)."""


class KindChooser:
    """Draws kinds in proportion to their recent saving per second (see the module docstring)."""

    def __init__(self, kinds: Sequence[str]) -> None:
        self.kinds = tuple(kinds)
        self.rate: dict[str, float | None] = dict.fromkeys(self.kinds)
        """Moving average of the saving per second of each kind; None until it is tried."""

    def choose(self, rng: random.Random) -> str:
        untried = [kind for kind, rate in self.rate.items() if rate is None]
        if untried:
            return rng.choice(untried)
        rates = [self.rate[kind] or 0.0 for kind in self.kinds]
        if rng.random() < EXPLORE or not any(rates):
            return rng.choice(self.kinds)
        return rng.choices(self.kinds, weights=rates)[0]

    def record(self, kind: str, saving: float, seconds: float) -> None:
        """A step of ``kind`` saved ``saving`` (0 when it did not improve) in ``seconds``."""
        rate = max(0.0, saving) / max(seconds, 1e-3)
        last = self.rate[kind]
        self.rate[kind] = rate if last is None else MEMORY * last + (1 - MEMORY) * rate
