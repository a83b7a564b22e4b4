"""Identity documents as shared identifier nodes, for every reader (OFAC, FtM, the mapped CSV
feeds through the ontology's ``IdentityDocument`` label).

A document is keyed by its issuing country and its number cleaned by the ontology's
``documentNumber`` type (``identity:MM|G7576565``), so the same passport from OFAC's Remarks
(``Passport G757-6565 (Burma)``), an FtM ``Passport`` entity and a border-crossing log is one
node, and its holders meet through ``HOLDS_DOCUMENT``. Without an issuing country, or with a
number that does not clean, there is no node: the number stays as text on the holder
(``identifiers``), as it always did. Placeholders ("N/A", "0") are the identifier guard's to
refuse (``seed/exclusions``), as for phones; and a placeholder number (:func:`placeholder_number`:
empty, a null token, a word with no digit, or only zeros) is no document number at all: no reader
stores it as a ``passportNumber`` / ``idNumber`` nor makes a node of it (its text may stay in the
holder's ``identifiers``, what the source said).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from graphapi.ingest.readers.nulls import is_null_token
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ontology import Model
from graphapi.ontology.types import get_type
from graphapi.ontology.types.document import compact_number

#: The ontology's ``kind`` values of a document, by the words the readers use for them.
KINDS = {"passport": "passport", "nationalId": "nationalId", "idNumber": "nationalId"}


#: The person properties that hold document numbers, and the document kind of each.
NUMBER_PROPERTIES = {"passportNumber": "passport", "idNumber": "nationalId"}
_NOT_DIGIT = re.compile(r"[^0-9]")


@lru_cache(maxsize=65_536)
def placeholder_number(number: str | None) -> bool:
    """True if ``number`` names no document: empty, a null token (``N/A``, ``none``), a word with
    no digit in any script (``XXXXXX``, ``nopassport``), or a number whose digits are all zeros
    (``0``, ``000000``, ``A0000000``). A number in another script (``АБ123``) is no placeholder."""
    text = (number or "").strip()
    if not text or is_null_token(text):
        return True
    compact = compact_number(text)
    if compact is None:
        return not any(c.isdigit() for c in text)
    return not _NOT_DIGIT.sub("", compact).strip("0")


def real_numbers(numbers: list[str]) -> list[str]:
    """``numbers`` without placeholders (:func:`placeholder_number`), order kept."""
    return [n for n in numbers if not placeholder_number(n)]


@cache
def _types():  # type: ignore[no-untyped-def]
    return get_type("documentNumber"), get_type("country")


def document_properties(number: str | None, country: str | None, kind: str) -> dict[str, object] | None:
    """The ``IdentityDocument`` properties of a document (``number`` and ``country`` as written:
    ``"G757-6565"``, ``"Burma"``), or ``None`` if either does not clean."""
    numbers, countries = _types()
    if placeholder_number(number):
        return None
    clean_number = numbers.clean(number) if number else None
    clean_country = countries.clean(country) if country else None
    if not clean_number or not clean_country:
        return None
    return {"country": clean_country, "number": clean_number, "kind": [KINDS.get(kind, "other")]}


def document_records(model: Model, holder: str, number: str | None, country: str | None, kind: str,
                     origin: Origin | None) -> list[NodeRecord | EdgeRecord]:
    """The document node and its ``HOLDS_DOCUMENT`` link from ``holder`` (a Person or
    Organization id), or ``[]`` when the document cannot be a node (see the module docstring)."""
    props = document_properties(number, country, kind)
    if props is None:
        return []
    doc_id = model.node_id("IdentityDocument", props)
    rid = model.relationship_id("HOLDS_DOCUMENT", holder, doc_id)
    return [NodeRecord("IdentityDocument", doc_id, props, origin),
            EdgeRecord("HOLDS_DOCUMENT", rid, holder, doc_id, {}, origin)]
