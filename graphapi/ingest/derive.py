"""Properties derived from the ontology: ``caption``, the full-text ``searchText`` and
``searchLatin``, and the ranking's ``searchNames`` (:func:`search_fields_for`).

``caption`` is the first non-empty value among the label's caption properties (first element of
a list value), else the id. ``searchText`` joins, de-duplicated and space-separated, every value of
the label's search properties (names, aliases, identifiers; ``Label.search_properties``) and,
where ``graphapi.ontology.types`` knows the value type, its variants (phone national formats,
IBAN with and without spaces) and each name's search words; ``searchLatin`` holds the names'
Latin spellings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from graphapi.ontology import Label
from graphapi.ontology.types.invisible import drop_invisible
from graphapi.ontology.types.script import latin_forms, name_key, prepare_latin_forms
from graphapi.store.search_prefixes import search_prefixes_for


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


_MEMO: dict[tuple[Any, ...], dict[str, str]] = {}
_MEMO_MAX = 200_000
#: Separates whole names in ``searchNames`` and ``searchLatin``: both engines cut words there,
#: and the ranking finds a whole name as ``'|' + key + '|'``.
NAME_SEPARATOR = "|"
#: The derived search properties, all internal (never shown, never merged from a source).
SEARCH_FIELDS = ("searchText", "searchLatin", "searchNames")
#: What cuts words in the ranking's whole-word test, as the query's word tokens are cut
#: (cypher/fragments/words.fragment spells the same list for graphs stored before searchWords).
WORD_SEPARATORS = ",.-/():;+&'\"!?"
_TO_SPACE = str.maketrans(dict.fromkeys(WORD_SEPARATORS, " "))


def search_fields_for(label: Label, props: Mapping[str, Any], caption: str | None = None) -> dict[str, str]:
    """The search properties of a node of ``label`` with ``props`` (empty ones left out):

    - ``searchText`` (full-text indexed): every search value, its type variants (phone formats,
      IBAN with and without spaces), and each name's search words (ICU word segmentation,
      lower-case: ``graphapi.ontology.types.script``), so Thai, Lao, Khmer, Burmese and Chinese
      names are found word by word and Cyrillic in any case;
    - ``searchLatin`` (full-text indexed): the Latin spellings of every name and of the caption
      (RTGS Thai, Pinyin, BGN/PCGN Cyrillic, ASCII-folded Vietnamese ...), ``|``-separated;
    - ``searchNames`` (not indexed): every name and the caption as written, as search words
      joined by one space, ``|``-separated: the ranking's whole name in the query's own script.

    Memoised on the values: phone variants cost a ``phonenumbers`` parse each, a Thai name's
    romanisation a dictionary pass.
    """
    key = (label.name, caption, *(tuple(_values(props.get(n))) for n in label.search_properties),
           tuple(_values(props.get("identifiers"))))
    try:
        hit = _MEMO.get(key)
    except TypeError:  # an unhashable value: compute without the memo
        return _search_fields(label, props, caption)
    if hit is None:
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        hit = _MEMO[key] = _search_fields(label, props, caption)
    return hit


def prepare_search_fields(nodes: Iterable[tuple[Label, Mapping[str, Any]]]) -> None:
    """Ready the Latin spellings of the names of ``nodes`` (label, properties) at once, before
    :func:`search_fields_for` takes them one by one: a Thai name part costs the RTGS model a
    tenth of the CPU in a batch (:func:`graphapi.ontology.types.script.prepare_latin_forms`)."""
    names: list[str] = []
    for label, props in nodes:
        names.append(caption_for(label, props, ""))
        for name in label.search_properties:
            if label.properties[name].type == "name":
                names.extend(str(v) for v in _values(props.get(name)))
    prepare_latin_forms(names)


def search_text_for(label: Label, props: Mapping[str, Any]) -> str:
    """The ``searchText`` of :func:`search_fields_for` ("" when there is nothing to search)."""
    return search_fields_for(label, props).get("searchText", "")


def _search_fields(label: Label, props: Mapping[str, Any], caption: str | None) -> dict[str, str]:
    out: list[str] = []
    seen: set[str] = set()
    names: list[str] = []

    def add(text: Any) -> None:
        s = drop_invisible(str(text)).strip()  # the engines cut a word at a zero-width space
        if s and s not in seen:
            seen.add(s)
            out.append(s)

    for name in label.search_properties:
        prop = label.properties[name]
        if prop.type == "name":
            for value in _values(props.get(name)):
                add(value)
                add(name_key(str(value)))
                names.append(str(value))
            continue
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
    if caption:
        names.insert(0, caption)
    keys = [k for k in dict.fromkeys(name_key(n) for n in names) if k]
    latin = list(dict.fromkeys(form for n in dict.fromkeys(names) for form in latin_forms(n)))
    fields = {"searchText": " ".join(out), "searchNames": _joined(keys), "searchLatin": _joined(latin)}
    return {k: v for k, v in fields.items() if v}


def _joined(keys: list[str]) -> str:
    sep = NAME_SEPARATOR
    return sep + sep.join(keys) + sep if keys else ""


def ranking_words_for(caption: str, search_text: str) -> tuple[str, str | None]:
    """``searchWords`` and ``searchKeys`` of a node with ``caption`` and ``searchText``, which
    search/fulltext's relevance tests with CONTAINS instead of cutting the text on every match:

    - ``searchWords``: the distinct words of both texts, lower-cased (a dotted capital I as i, as
      the query's words: ``graphapi.ontology.types.script``), cut at spaces and
      :data:`WORD_SEPARATORS`, joined and padded by one space: a whole word w is
      ``' ' + w + ' '``;
    - ``searchKeys``: the distinct space-cut words of ``searchText`` that hold a digit,
      upper-cased, padded alike (None without one): a whole identifier key (never without a
      digit: ``graphapi.investigate.matching.identifier_key``) is ``' ' + key + ' '``.
    """
    text = (caption + " " + search_text).replace("\u0130", "I").lower().translate(_TO_SPACE)
    words = " ".join(dict.fromkeys(w for w in text.split(" ") if w))
    keys = " ".join(dict.fromkeys(w.upper() for w in search_text.split(" ")
                                  if w and any(ch.isdigit() for ch in w)))
    return " " + words + " ", (" " + keys + " " if keys else None)


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


def derived_properties(label: Label, props: Mapping[str, Any], node_id: str) -> dict[str, Any]:
    """Every property the writer derives for a node of ``label`` with ``props``: ``caption``, the
    :data:`SEARCH_FIELDS`, ``searchPrefixes``, the ranking's ``searchWords`` and ``searchKeys``
    (:func:`ranking_words_for`) and ``countryCodes``; ``None`` for one with no value
    (a write removes it). One function for the writer and for values rebuilt from statements, so
    both index a node alike."""
    caption = caption_for(label, props, node_id)
    search = search_fields_for(label, props, caption)
    out: dict[str, Any] = {"caption": caption}
    out.update((name, search.get(name) or None) for name in SEARCH_FIELDS)
    indexed = [search.get("searchText", ""), search.get("searchLatin", "").replace(NAME_SEPARATOR, " ")]
    out["searchPrefixes"] = search_prefixes_for(drop_invisible(caption), " ".join(indexed))
    out["searchWords"], out["searchKeys"] = ranking_words_for(caption, search.get("searchText", ""))
    out["countryCodes"] = country_codes_for(label, props) or None
    return out

