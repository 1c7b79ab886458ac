"""CP-SAT rostering: builds a model from a domain problem and returns a domain result.

Only plain domain objects go in and come out; OR-Tools objects never leave this package.
"""
