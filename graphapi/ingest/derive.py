"""Properties derived from the ontology: ``caption`` and the full-text ``searchText``.

``caption`` is the first non-empty value among the label's caption properties (first element of
a list value), else the id. ``searchText`` joins, de-duplicated and space-separated, every value of
the label's search properties (names, aliases, identifiers; ``Label.search_properties``) and,
where ``graphapi.ontology.types`` knows the value type, its variants (phone national formats,
IBAN with and without spaces, ascii forms of names).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from graphapi.ontology import Label
from graphapi.store.search_prefixes import search_prefixes_for  # noqa: F401 - derived here too


@cache
def _variants_of(type_name: str) -> Callable[[Any], Iterable[str]] | None:
    try:
        from graphapi.ontology.types import get_type  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        vtype = get_type(type_name)
    except Exception:  # unknown type name in the registry: no variants
        return None
    if vtype is None or not hasattr(vtype, "variants"):
        return None
    return vtype.variants


def _values(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set | frozenset):
        return [v for v in value if v is not None and v != ""]
    return [] if value == "" else [value]


def caption_for(label: Label, props: Mapping[str, Any], node_id: str) -> str:
    """The display caption of a node of ``label`` with ``props``; falls back to ``node_id``."""
    for name in label.caption:
        vals = _values(props.get(name))
        if vals:
            return str(vals[0])
    return node_id


_MEMO: dict[tuple[Any, ...], str] = {}
_MEMO_MAX = 200_000


def search_text_for(label: Label, props: Mapping[str, Any]) -> str:
    """Space-joined, de-duplicated search values and their type variants for ``props``
    (memoised on the values: phone variants cost a ``phonenumbers`` parse each)."""
    key = (label.name, *(tuple(_values(props.get(n))) for n in label.search_properties),
           tuple(_values(props.get("identifiers"))))
    try:
        hit = _MEMO.get(key)
    except TypeError:  # an unhashable value: compute without the memo
        return _search_text(label, props)
    if hit is None:
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        hit = _MEMO[key] = _search_text(label, props)
    return hit


def _search_text(label: Label, props: Mapping[str, Any]) -> str:
    out: list[str] = []
    seen: set[str] = set()

    def add(text: Any) -> None:
        s = str(text).strip()
        if s and s not in seen:
            seen.add(s)
            out.append(s)

    for name in label.search_properties:
        prop = label.properties[name]
        variants = _variants_of(prop.type)
        for value in _values(props.get(name)):
            add(value)
            if variants is not None:
                try:
                    for v in variants(value) or ():
                        add(v)
                except Exception:  # a variant generator must never break a load
                    continue
    # Identifier values kept as text only (placeholders, quarantined) stay findable.
    for value in _values(props.get("identifiers")):
        add(str(value).split(":", 1)[-1])
    return " ".join(out)


def country_codes_for(label: Label, props: Mapping[str, Any]) -> list[str]:
    """Sorted ISO 3166-1 alpha-2 codes of every country-typed property of ``label`` in ``props``
    (``country``, ``nationality``, ``countries``, ...), for the search country filter."""
    codes = {
        str(v)
        for name, prop in label.properties.items()
        if prop.type == "country" and not prop.internal
        for v in _values(props.get(name))
    }
    return sorted(codes)
