"""Plain-Python domain model: staff, locations, operations, policy, rosters and the validator.

No Qt, SQL or OR-Tools here: every other layer depends on this one, never the reverse.
"""
