"""Domain records as plain data (JSON types) and back, for bundles, signatures and the audit trail.

Any frozen dataclass of the domain encodes field by field; decoding follows the fields' type
hints, so a record read back equals the one written. ``canonical`` gives the one byte string of
a value that signatures and hashes are computed over.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any

from deployer.domain.locations import Leg, Location, TravelMatrix


def encode(value: Any) -> Any:
    """``value`` as JSON types: dataclasses become dicts, dates ISO strings, sets sorted lists."""
    if value is None or isinstance(value, str | int | float):
        return value.value if isinstance(value, Enum) else value
    kind: type = type(value)
    names = _field_names(kind)
    if names is not None:
        return {name: encode(getattr(value, name)) for name in names}
    if isinstance(value, TravelMatrix):
        return {
            "locations": [encode(loc) for loc in value.locations.values()],
            "legs": [[a, b, encode(leg)] for (a, b), leg in sorted(value.measured().items())],
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted((encode(v) for v in value), key=canonical)
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


def decode(kind: Any, data: Any) -> Any:
    """The value of type ``kind`` that ``encode`` turned into ``data``."""
    if kind is TravelMatrix:
        locations = [decode(Location, loc) for loc in data["locations"]]
        legs = {(a, b): decode(Leg, leg) for a, b, leg in data["legs"]}
        return TravelMatrix({loc.code: loc for loc in locations}, legs)
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        return decode(next(a for a in args if a is not type(None)), data)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in data)
        return tuple(decode(a, v) for a, v in zip(args, data, strict=True))
    if origin is frozenset:
        return frozenset(decode(args[0], v) for v in data)
    if origin is dict:
        return {k: decode(args[1], v) for k, v in data.items()}
    if origin is list:
        return [decode(args[0], v) for v in data]
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{name: decode(hints[name], v) for name, v in data.items() if name in hints})
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind is datetime:
        return datetime.fromisoformat(data)
    if kind is date:
        return date.fromisoformat(data)
    if kind is float and isinstance(data, int):
        return float(data)
    if kind is Any or isinstance(data, kind):
        return data
    raise ValueError(f"{data!r} is not a {kind}")


@cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type (None for other types), computed once per type; fields
    worked out from the others (not given to the constructor) are left out."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind) if f.init)


@cache
def _hints(kind: type) -> dict[str, Any]:
    hints = typing.get_type_hints(kind)
    return {f.name: hints[f.name] for f in dataclasses.fields(kind) if f.init}


def canonical(value: Any) -> bytes:
    """The one byte string of ``value`` (encoded): sorted keys, no spaces, UTF-8."""
    return canonical_plain(encode(value))


def canonical_plain(data: Any) -> bytes:
    """:func:`canonical` of data that is already plain (JSON types)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
