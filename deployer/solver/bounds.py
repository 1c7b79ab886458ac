"""A quick lower bound on the objective, valid for any roster, for searches that have none.

Each demand slot costs at least the cheaper of leaving it unfilled and the cheapest way anyone
could fill it (fatigue, travel and, when lodged, a night's lodging); a line with fewer holders of
its skills than people wanted leaves the rest unfilled. Interactions between slots are ignored,
which keeps the bound valid and cheap. Other terms are never negative.
"""

from __future__ import annotations

from deployer.domain.problem import RosterProblem
from deployer.domain.rules import Reach
from deployer.domain.staff import StaffMember
from deployer.solver.candidates import Candidates


def slot_lower_bound(problem: RosterProblem, cands: Candidates) -> float:
    """Sum over demand slots of the cheapest possible cost of each slot, in points."""
    w = problem.weights
    homes: dict[tuple[str, bool], StaffMember] = {}
    for person in problem.staff:
        homes.setdefault((person.home_station, person.limits.can_deploy_away), person)
    holders = [
        sum(1 for p in problem.staff if cands.standing(p, kind).ok) for kind in range(len(cands.kinds))
    ]
    # Everyone lodged at a site's city gets there alike: a site has few distinct reaches.
    reaches: dict[str, set[Reach]] = {}
    total = 0
    for i, shift in enumerate(cands.shifts):
        if shift.site not in reaches:
            reaches[shift.site] = {
                reach
                for person in homes.values()
                if (reach := cands.reach_of(person, shift.site)) is not None
            }
        fills = []
        for reach in reaches[shift.site]:
            fatigue, travel = cands.costs(i, reach)
            fills.append(
                fatigue * w.fatigue + travel * w.travel_per_10_km + (w.lodging_night if reach.lodged else 0)
            )
        for j, line in enumerate(shift.demand):
            under = w.shortfall(line)
            fillable = min(line.count, holders[cands.kind_of[i][j]]) if fills else 0
            total += fillable * min(under, min(fills, default=under)) + (line.count - fillable) * under
    return float(total)
