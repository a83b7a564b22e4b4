"""Whose country a phone number or an identity document has, in ``lintas mapping init``
(new-user report 51, a SIM-registration file: ``msisdn, nationality, passport_no,
operator_country``).

- **The country of a phone number is the operator's (the SIM's), never its subscriber's**: a
  Vietnamese subscriber's Cambodian SIM is a Cambodian number. The hint for national-format
  numbers (``hints: country:``) is a country column named for the number's country (``operator``,
  ``sim``, ``carrier``, ``network``, ``msisdn``, ``phone``, ...), else a plain one (``country``),
  never one named for a person (``nationality``, ``citizenship``, ``birth_country``, a passport's
  issuer); with ``--country`` that column's ``default`` (or, without a column, the hint itself).
- **A column of passport or identity-card numbers** (its header says ``passport``, ``document``,
  ``national id``, ``id card``; its values clean as ``documentNumber``) is an ``IdentityDocument``
  keyed by its issuing country: a column named for the issuer, else (a guess, said) the holder's
  nationality.
"""

from __future__ import annotations

import re

#: a country column named for a phone number's own country (the operator's, the SIM's)
NUMBER_COUNTRY = re.compile(r"operator|sim|carrier|network|telco|mno|msisdn|phone|mobile", re.IGNORECASE)
#: a country column named for a person's country (or a document's), never a phone number's
PERSON_COUNTRY = re.compile(r"national|citizen|birth|born|passport|document|issu|resid|domicile|origin|home",
                            re.IGNORECASE)
#: a column headed for phone numbers, whose numbers may be told by any country the file names
PHONE_HEADER = re.compile(r"msisdn|phone|mobile|\btel|cell|caller|callee|receiver|a_?number|b_?number", re.IGNORECASE)
#: a header's words of identity-document numbers, and words that say a column is no number
_DOCUMENT_WORDS = {"passport", "document", "doc", "nid", "idcard", "idno"}
_NOT_NUMBER = re.compile(r"date|expir|valid|issu|country|type|kind|photo|scan|image|file", re.IGNORECASE)


def _words(name: str) -> set[str]:
    """The words of a header: ``passportNo`` and ``Passport No`` are ``{"passport", "no"}``."""
    return set(re.split(r"[^a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", name).casefold())) - {""}


def is_document_header(name: str) -> bool:
    """Whether column ``name`` is headed as one of identity-document numbers (``passport_no``,
    ``National ID``, ``id_card``), not of their dates, type or issuer."""
    words = _words(name)
    headed = bool(_DOCUMENT_WORDS & words) or {"national", "id"} <= words or {"id", "card"} <= words
    return headed and _NOT_NUMBER.search(name) is None


def phone_country(names: list[str]) -> str | None:
    """Of the country columns ``names`` (in file order), the one to read national-format phone
    numbers by: named for the number's country first, then a plain one; None if all are a
    person's (nationality, citizenship, birth country)."""
    ranked = sorted((0 if NUMBER_COUNTRY.search(n) else 1, i) for i, n in enumerate(names)
                    if not PERSON_COUNTRY.search(n))
    return names[ranked[0][1]] if ranked else None


def country_hint(column: str | None, default: str | None, personal: list[str], text) -> list[str]:
    """The ``hints:`` line of a file with phone numbers: the number's country column (``text``
    quotes a column name), with ``default`` (``--country``) for a row that leaves it empty; a
    ``TODO`` if the file has only a person's country columns (``personal``) and no default."""
    if column is not None:
        with_default = f", default: {default}" if default else ""
        return [f"  country: {{column: {text(column)}{with_default}}}   # region of national-format phone numbers: "
                "the operator's (the SIM's) country"]
    if default:
        return [f"  country: {default}   # region of national-format phone numbers (--country)"]
    if personal:
        return [f"  # TODO country: {{column: OPERATOR_COUNTRY_COLUMN}} or a code (KH)   # region of national-format "
                f"phone numbers: the operator's (the SIM's) country, never the subscriber's "
                f"({', '.join(personal)}); or draft again with --country"]
    return []


def _kind(name: str) -> str:
    if re.search(r"passport", name, re.IGNORECASE):
        return "passport"
    words = _words(name)
    national = "nid" in words or "idcard" in words or {"national", "id"} <= words or {"id", "card"} <= words
    return "nationalId" if national else "other"


def document_entity(ent: str, column: str, countries: list[str], text) -> list[str]:
    """The YAML lines of entity ``ent``, the ``IdentityDocument`` whose number is in ``column``:
    its issuing country the column of ``countries`` named for an issuer, else (a guess) the
    holder's nationality, else a ``TODO``."""
    issuer = next((c for c in countries if re.search(r"issu", c, re.IGNORECASE)), None)
    holder = next((c for c in countries if re.search(r"national|citizen", c, re.IGNORECASE)), None)
    lines = [f"  {ent}:   # an identity document as a shared identifier: its holders meet through it "
             "(docs/mappings.md#identity-documents)",
             "    label: IdentityDocument", "    properties:", f"      number: {{column: {text(column)}}}"]
    if issuer is not None:
        lines.append(f"      country: {{column: {text(issuer)}}}   # the issuing state")
    elif holder is not None:
        lines.append(f"      country: {{column: {text(holder)}}}   # TODO: issued by the holder's nationality? "
                     "(a guess: the file names no issuer)")
    else:
        lines.append("      # TODO country: {column: ISSUING_COUNTRY_COLUMN}   # no country, no node: the number "
                     "is kept as text on its holder")
    lines += [f"      kind: {{value: {_kind(column)}}}",
              f"    # TODO: its holder, an entity of its own: - {{type: HOLDS_DOCUMENT, from: HOLDER, to: {ent}}}"]
    return lines
