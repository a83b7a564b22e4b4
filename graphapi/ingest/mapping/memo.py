"""The memo of cleaned values: each raw value cleaned once per value type and hints, for every reader."""

from __future__ import annotations

import json
from typing import Any

from graphapi.ingest.mapping.steps import REFINE_KEYS
from graphapi.ingest.readers.nulls import ANY_TEXT, null_text
from graphapi.ontology.types import get_type

_CACHE_MAX = 500_000
#: ``(type, hints) -> {raw: cleaned value}``: value types are pure functions, so one memo serves
#: every reader (a call-record feed names the numbers the subscriber feed loaded just before).
#: A getter whose hints are fixed holds its table, so a repeated value costs one look-up.
_CLEANED: dict[tuple[str, Any], dict[Any, Any]] = {}
_remembered = 0  # values in all tables; at _CACHE_MAX the largest table is emptied
#: What a memo table's ``get`` gives for a value not cleaned before (None is a cleaned value).
_UNSEEN = object()

#: Hints as ``_clean`` takes them: ``(name, value)`` pairs sorted by name (hashable, for the memo).
Hints = tuple[tuple[str, Any], ...]


def _table(type_name: str, hints: Hints) -> dict[Any, Any] | None:
    """The memo table of ``type_name`` values cleaned with ``hints``; None if a hint is unhashable."""
    try:
        table = _CLEANED.get((type_name, hints))
    except TypeError:
        return None
    if table is None:
        table = _CLEANED[type_name, hints] = {}
    return table


def _clean(type_name: str, raw: Any, hints: Hints, table: dict[Any, Any] | None) -> Any:
    """``get_type(type_name).clean(raw, **hints)``, remembered in ``table`` (the :func:`_table` of
    the same type and hints): feeds repeat the same numbers, accounts and timestamps, and phone
    parsing dominates the cost (about 200 µs a number)."""
    if table is not None:
        try:
            value = table.get(raw, _UNSEEN)  # get: a first sight raises no KeyError
        except TypeError:  # an unhashable value (a list literal): not remembered
            table = None
        else:
            if value is not _UNSEEN:
                return value
    value = _typed(type_name, raw, dict(hints))
    if table is not None:
        _remember(table, raw, value)
    return value


def _typed(type_name: str, raw: Any, hints: dict[str, Any]) -> Any:
    """``raw`` cleaned by ``type_name``, None for a null token the type takes no value from:
    ``n/a`` in free text or an id is no value (as in FtM and ingest(records)), ``NA`` a country
    and a name (:func:`~graphapi.ingest.readers.nulls.null_text`)."""
    if isinstance(raw, str) and type_name in ANY_TEXT and null_text(raw, type_name):
        return None
    return get_type(type_name).clean(raw, **hints)


def _remember(table: dict[Any, Any], raw: Any, value: Any) -> None:
    """``table[raw] = value``, counted against :data:`_CACHE_MAX` (a table of :data:`_CLEANED`).

    At the limit only the largest table is emptied: that is the one of values that rarely repeat
    (event timestamps, amounts), while the phones and accounts a feed names again and again, each
    costly to clean (a phone ~140 µs), stay remembered. Emptying every table made a big load parse
    each phone again every few hundred thousand rows."""
    global _remembered
    if _remembered >= _CACHE_MAX:
        largest = max(_CLEANED.values(), key=len)
        _remembered -= len(largest)
        largest.clear()  # emptied in place: getters hold their tables
    table[raw] = value
    _remembered += 1


def _refined_table(spec: dict[str, Any], type_name: str | None = None, hints: Any = None) -> dict[Any, Any]:
    """A memo of refined texts (raw text -> text after steps, default and map) shared by the
    specs with the same steps, default and map of a value of the same type and hints (a pure
    function of them: the null-token test knows the type), emptied with the cleaned-value tables."""
    what = json.dumps({k: spec[k] for k in sorted(REFINE_KEYS & spec.keys())}, sort_keys=True, default=str)
    return _CLEANED.setdefault(("refine", what, type_name, repr(hints)), {})

