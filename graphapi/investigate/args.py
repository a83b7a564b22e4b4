"""Argument checks shared by the investigation services: bounds, ontology names and ids.

Each check raises :class:`graphapi.errors.InvalidArgument` naming the argument, so the GraphQL
layer can show the message as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphapi.errors import InvalidArgument
from graphapi.ontology import load_model
from graphapi.ontology.ids import MAX_ID_BYTES, InvalidId, canonical_id, relay_inner_id
from graphapi.security.victim_ids import is_token


def check_range(name: str, value: int, low: int, high: int) -> int:
    """``value`` if ``low <= value <= high``, else InvalidArgument."""
    if not low <= value <= high:
        raise InvalidArgument(f"{name} must be between {low} and {high}, got {value}")
    return value


def relay_node_id(value: str) -> str | None:
    """The Lintas id inside ``value`` if it is an entity's Relay global id (``Entity.id``), else
    None: a front end keys what it draws by ``Entity.id`` and may pass it back where a Lintas id
    is asked for (:func:`graphapi.ontology.ids.relay_inner_id`)."""
    return relay_inner_id(value) if len(value) <= 4 * MAX_ID_BYTES else None


def check_id(name: str, value: str) -> str:
    """``value`` as a canonical id (trimmed, NFC: ``graphapi.ontology.ids``); InvalidArgument if it
    has none (empty, a control or format character, over ``MAX_ID_BYTES``). A ``vid:`` token
    (``graphapi.security.victim_ids``) passes as it is: a long id's token is longer than an id.
    An entity's Relay global id (``Entity.id``) stands for the Lintas id inside it."""
    if isinstance(value, str) and (inner := relay_node_id(value.strip())) is not None:
        value = inner
    if isinstance(value, str) and is_token(value.strip()):
        return value.strip()
    try:
        return canonical_id(value)
    except InvalidId as exc:
        raise InvalidArgument(f"{name} {exc}") from None


def check_ids(name: str, values: Sequence[str]) -> list[str]:
    """Every id of ``values`` canonical (see :func:`check_id`), in order, duplicates kept; the
    error names the first bad one's position (``ids[2] is empty``)."""
    return [check_id(f"{name}[{i}]", v) for i, v in enumerate(values)]


#: Values of a list an error message names at most.
MAX_ECHOED = 5


def few(values: Sequence[object], most: int = MAX_ECHOED) -> str:
    """The first ``most`` of ``values`` for an error message, each cut to 40 characters, and how
    many more there are (an error never echoes a whole list back: 150,000 values made 1.5 MB)."""
    shown = [str(v)[:40] for v in values[:most]]
    more = len(values) - len(shown)
    return f"{shown}" + (f" and {more} more" if more > 0 else "")


def check_labels(labels: Sequence[str] | None) -> list[str] | None:
    """The labels as a list (None = no filter); unknown labels raise InvalidArgument."""
    if labels is None:
        return None
    model = load_model()
    unknown = [lb for lb in labels if lb not in model.labels]
    if unknown:
        raise InvalidArgument(f"unknown labels {few(unknown)}; known: {sorted(model.labels)}")
    return list(labels)


def check_relationship_types(types: Sequence[str] | None, name: str = "relationship types") -> list[str] | None:
    """The relationship types as a list (None = all); unknown ones raise InvalidArgument naming
    ``name``."""
    if types is None:
        return None
    model = load_model()
    unknown = [t for t in types if t not in model.relationships]
    if unknown:
        raise InvalidArgument(f"unknown {name} {few(unknown)}")
    return list(types)


def check_excluded_types(excluded: Sequence[str] | None, followed: Sequence[str] | None,
                         default: Sequence[str] = ()) -> list[str]:
    """The relationship types a walk leaves out (``excludeRelationshipTypes``), as a list (``[]``:
    none), checked as ``relationshipTypes`` is. Not given (None): ``default`` less the types
    ``followed`` names, so asking for a type by name always follows it. A type both followed and
    excluded is a contradiction: InvalidArgument naming both arguments, never an empty answer."""
    if excluded is None:
        return [t for t in default if followed is None or t not in followed]
    types = list(dict.fromkeys(check_relationship_types(excluded, "excludeRelationshipTypes") or ()))
    both = [t for t in types if followed is not None and t in followed]
    if both:
        raise InvalidArgument(f"relationshipTypes and excludeRelationshipTypes both name {few(both)}")
    return types


def _shown(value: str, width: int = 80) -> str:
    """``value`` cut to ``width`` characters for an error message (never echo megabytes back)."""
    return value if len(value) <= width else value[:width] + "..."


def check_time_range(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``(since, until)`` as UTC ISO 8601 text bounds, inclusive, comparable with stored values.

    Accepts dates (``2024-10-01``; partial ``2024-10``, ``2024``) and instants with or without an
    offset (``2024-10-01T17:14:00+07:00`` becomes ``2024-10-01T10:14:00``). ``until`` covers the
    whole second, day, month or year it names. Raises InvalidArgument for anything else or
    ``since`` after ``until``; an offset over 14 hours (``+99:00``) is refused, not dropped.
    """
    from graphapi.ontology.types import get_type
    from graphapi.ontology.types.datetime import is_date_time

    def bound(name: str, value: str | None, upper: bool) -> str | None:
        if value is None:
            return None
        cleaned = get_type("datetime").clean(value)
        if not cleaned and not is_date_time(value):  # a refused date-time is not read as its date
            cleaned = get_type("date").clean(value)
        if not cleaned:
            raise InvalidArgument(f"{name} must be an ISO 8601 date or date-time, got {_shown(value)!r}")
        # '~' sorts after digits, 'T', 'Z' and '.': '2024-10~' is above all of October 2024 and
        # '2024-10-01T10:14:00~' above that whole second, however the stored value ends.
        return cleaned + "~" if upper else cleaned
    low, high = bound("since", since, False), bound("until", until, True)
    if low is not None and high is not None and low > high:
        raise InvalidArgument(f"since ({since}) is after until ({until})")
    return low, high


def _codes(values: Sequence[str] | None, type_name: str, what: str) -> list[str] | None:
    """``values`` cleaned by the ontology's ``type_name`` type, distinct and sorted (None = no
    filter); InvalidArgument naming ``what`` they must be and the values that are not."""
    if values is None:
        return None
    from graphapi.ontology.types import get_type

    cleaned = [get_type(type_name).clean(v) if isinstance(v, str) else None for v in values]
    bad = [v for v, ok in zip(values, cleaned, strict=True) if not ok]
    if bad:
        raise InvalidArgument(f"{what}, got {few(bad)}")
    return sorted({c for c in cleaned if c})


def check_countries(countries: Sequence[str] | None) -> list[str] | None:
    """ISO 3166-1 alpha-2 codes, upper-cased (None = no filter); InvalidArgument for anything else."""
    return _codes(countries, "country", "countries must be ISO 3166-1 alpha-2 codes")


def check_currencies(currencies: Sequence[str] | None) -> list[str] | None:
    """Currencies as the loaders store them (None = no filter): ISO 4217 codes in any case, the
    region's usual spellings (``US$``, ``baht``) and crypto tickers (``USDT``), each cleaned by the
    ontology's ``currency`` type (``graphapi/ontology/types/currency.py``: ``usd`` -> ``USD``),
    so a filter reads a value as a feed's transfer was read. InvalidArgument naming the argument
    and the values that are no currency (``doubloons``, a bare ``$``)."""
    return _codes(currencies, "currency", "currencies must be ISO 4217 codes (or crypto tickers such as USDT)")