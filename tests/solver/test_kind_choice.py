"""Kinds of neighbourhood are drawn by what they have been saving per second."""

from __future__ import annotations

import random
from collections import Counter

from deployer.solver.kind_choice import EXPLORE, KindChooser


def test_every_kind_is_tried_before_any_is_drawn_by_its_rate() -> None:
    chooser = KindChooser(("a", "b", "c"))
    rng = random.Random(1)
    tried = []
    for _ in range(3):
        kind = chooser.choose(rng)
        tried.append(kind)
        chooser.record(kind, 0.0, 1.0)
    assert sorted(tried) == ["a", "b", "c"]


def test_the_kind_that_saves_more_per_second_is_drawn_more_but_others_still_are() -> None:
    chooser = KindChooser(("cheap", "dear"))
    chooser.record("cheap", 10.0, 0.1)  # 100 per second
    chooser.record("dear", 10.0, 10.0)  # 1 per second
    rng = random.Random(2)
    drawn = Counter(chooser.choose(rng) for _ in range(2000))
    assert drawn["cheap"] > 0.85 * 2000
    assert drawn["dear"] >= 0.5 * EXPLORE * 2000 * 0.8


def test_a_kind_that_stops_paying_loses_its_share() -> None:
    chooser = KindChooser(("x", "y"))
    chooser.record("x", 50.0, 1.0)
    chooser.record("y", 10.0, 1.0)
    for _ in range(30):
        chooser.record("x", 0.0, 1.0)
    rng = random.Random(3)
    drawn = Counter(chooser.choose(rng) for _ in range(1000))
    assert drawn["y"] > drawn["x"]
