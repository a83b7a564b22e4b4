"""What a text matches as a whole: one normal form for names and one for identifiers, from the
ontology's value types (``graphapi/ontology/types``), shared by the hit / no-hit answer (which
answers only whole matches) and the search ranking (whole matches first).

- A name (``name`` type: names and aliases) is compared case-, diacritic-, punctuation- and
  whitespace-folded: "NGÔ, Bảo  Châu" and "ngo bao chau" have the same key.
- An identifier (every other searchable type: phone, IBAN, IMEI, wallet, passport and other
  numbers, domains, handles) is first cleaned by its value type where the text is one (a phone in
  international form becomes E.164), then compared upper-cased without spaces and ``- . / _ :``
  separators ("l001-9017" and "L0019017" have the same key). A text without a digit is never an
  identifier key, so a name word is never taken for a whole identifier.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from normality import ascii_text

from graphapi.ontology import load_model
from graphapi.ontology.types import get_type
from graphapi.ontology.types.identifier import compact

_TOKEN = re.compile(r"\w+", re.UNICODE)
#: Identifier types a query text is cleaned as (each ``clean`` returns None for what it is not).
_IDENTIFIER_TYPES = ("phone", "iban", "imei", "wallet", "sha256", "bic", "domain", "identifier")


def words(text: str) -> list[str]:
    """The lower-case word tokens of ``text`` (letters and digits)."""
    return [t.lower() for t in _TOKEN.findall(text)]


def folded_words(text: str) -> list[str]:
    """The word tokens of ``text`` ascii-folded (``normality.ascii_text``) and lower-cased."""
    return words(ascii_text(text) or "")


def name_key(value: object) -> str | None:
    """The whole-name key of ``value``: folded words joined by one space; None without a word."""
    cleaned = get_type("name").clean(value)
    key = " ".join(folded_words(cleaned)) if cleaned else ""
    return key or None


def identifier_key(value: object) -> str | None:
    """The whole-identifier key of a stored ``value``: upper-case, separators dropped; None
    for a value without a digit."""
    text = str(value).strip() if value is not None else ""
    if not any(ch.isdigit() for ch in text):
        return None
    return compact(text).upper() or None


def query_identifier_keys(text: str) -> list[str]:
    """The whole-identifier keys ``text`` may stand for: its own key and, for every identifier
    type it cleans as, that canonical value's key (a phone typed ``+66 81 234 5678`` ->
    ``+66812345678``). Empty for a text without a digit."""
    keys: list[str] = []
    for candidate in [text, *(get_type(t).clean(text) for t in _IDENTIFIER_TYPES)]:
        key = identifier_key(candidate) if candidate else None
        if key and key not in keys:
            keys.append(key)
    return keys


@cache
def searchable_properties() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ontology's searchable property names: (name-typed, identifier-like), each sorted."""
    names: set[str] = set()
    identifiers: set[str] = set()
    for label in load_model().labels.values():
        for prop in label.search_properties:
            (names if label.properties[prop].type == "name" else identifiers).add(prop)
    return tuple(sorted(names)), tuple(sorted(identifiers - names))


def flatten(values: Iterable[object]) -> list[object]:
    """Property values (single or list) as one flat list without nulls."""
    out: list[object] = []
    for v in values:
        if isinstance(v, list | tuple):
            out.extend(x for x in v if x is not None)
        elif v is not None:
            out.append(v)
    return out
