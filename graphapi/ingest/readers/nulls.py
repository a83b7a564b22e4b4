"""The null-token rule: which cell or property values say "no value", by the value's type.

Partner exports write "no value" as ``n/a``, ``null``, ``-`` and the like (:data:`NULL_TOKENS`).
Such a token is no value where it cannot be a value: in free text (a name, a reference, a note),
where any text would clean, and in an id or key (a template field, an identifier), where it is a
placeholder that would merge unrelated rows into one node. A typed value (a country, a currency,
an enum code, a date, a number) is tried by its type first: ``NA`` is Namibia's country code, so
it is a value; ``N/A`` cleans as no country, so it is no value (rather than an invalid one).
Every loader asks :func:`no_value`, so a value means the same in all of them.

A name (value type ``name``, and each part of a name a mapping builds with ``concat``) is free
text with one exception: a token that is also a word of real names (:data:`NAME_WORDS`: ``Na``,
Korean 나 and Chinese 娜, as in "Li Na", and the Thai particle of "na Ayutthaya"; ``Nil``, a
Turkish given name) is a value there, so a person called Na is no unnamed person. Tokens that are
no word of a name (``n/a``, ``null``, ``none``, ``unknown``, ``-``, ``?``) stay no value in a name
(round a-56, F13).
"""

from __future__ import annotations

from typing import Any

from graphapi.ontology.types import get_type

#: Values that say "no value" (compared without case or surrounding blanks).
NULL_TOKENS = frozenset({"n/a", "na", "#n/a", "null", "none", "nil", "-", "--", "-0-", "unknown", "?"})
_LONGEST = max(map(len, NULL_TOKENS))  # longer text is no null token: not lowered to look
#: Value types in which any text cleans: a null token there is caught before cleaning.
ANY_TEXT = frozenset({"string", "text", "name", "identifier"})
#: Null tokens that are also words of real names: a value in a name (see the module docstring).
NAME_WORDS = frozenset({"na", "nil"})


def is_null_token(text: str) -> bool:
    """True if ``text`` (stripped) is one of :data:`NULL_TOKENS`, whatever the field."""
    text = text.strip()
    return len(text) <= _LONGEST and text.casefold() in NULL_TOKENS


def null_text(text: str, type_name: str | None = None) -> bool:
    """True if ``text`` is a null token that is no value in free text of type ``type_name``: any
    of :data:`NULL_TOKENS`, except in a name (``"name"``) one of :data:`NAME_WORDS`."""
    if not is_null_token(text):
        return False
    return type_name != "name" or text.strip().casefold() not in NAME_WORDS


def no_value(raw: Any, type_name: str | None = None, **hints: Any) -> bool:
    """True if ``raw`` gives no value to a field of value type ``type_name`` (``None``: an id, a
    key or a template field's text): it is missing or blank, or it is a null token that is not a
    value of that type (free text and ids take none; a typed value is cleaned with ``hints`` to
    decide, so ``no_value("NA", "country")`` is False). Raises ``OntologyError`` for an unknown
    type name."""
    if raw is None:
        return True
    if not isinstance(raw, str):
        return False
    if not raw.strip():
        return True
    if not is_null_token(raw):
        return False
    if type_name is None or type_name in ANY_TEXT:
        return null_text(raw, type_name)
    return get_type(type_name).clean(raw.strip(), **hints) is None
