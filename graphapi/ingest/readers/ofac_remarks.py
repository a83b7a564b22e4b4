"""Parser for the Remarks field of OFAC's legacy SDN CSV (``sdn.csv`` column 12).

The field is a list of facts separated by ``"; "`` and ended by ``"."``, each an optional
``"alt. "`` then a keyword and a value (OFAC SDN data specification, legacy CSV format)::

    DOB 15 Dec 1969; POB Karen State, Burma; nationality Burma; Gender Male;
    National ID No. 3LabanaN069004 (Burma); a.k.a. 'THU, Chit'; Linked To: KAREN NATIONAL ARMY.

:func:`parse_remarks` returns a :class:`Remarks` of raw (uncleaned) typed facts; the OFAC reader
normalises them with ``graphapi.ontology.types``. Traps handled here:

- OFAC cuts the field at 1000 characters (the legacy column width). A field that long (counted
  as written, so a cut that ends in a space counts it) and not ending in ``"."`` has a truncated
  last fact: it is kept only as text in ``truncated`` and never becomes a wallet, identifier or
  link.
- Only the whole field's closing period is removed, so ``Linked To: PRINCE GROUP CO. LTD..``
  keeps the period that belongs to the name.
- Dates come as ``16 Dec 1987``, ``Apr 2009``, ``2022`` or ranges ``01 Jan 1964 to 17 Feb 1964``
  and are returned as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: OFAC's legacy Remarks column width: a field this long may have been cut.
REMARKS_MAX = 1000

_ID_WITH_COUNTRY = re.compile(r"^(?P<value>.+?)\s*\((?P<country>[^()]+)\)(?:\s+(?P<rest>.*))?$")
_QUOTED = re.compile(r"^'(?P<name>.*)'$")
_WALLET = re.compile(r"^Digital Currency Address - (?P<chain>[A-Za-z0-9]+)\s+(?P<address>\S+)$")

#: Keyword -> fact kind, longest keywords first so "National ID No." wins over shorter ones.
_KEYWORDS: list[tuple[str, str]] = sorted(
    [
        ("DOB", "dob"),
        ("POB", "pob"),
        ("nationality", "nationality"),
        ("citizen", "citizen"),
        ("Gender", "gender"),
        ("Passport", "passport"),
        ("National ID No.", "national_id"),
        ("Cedula No.", "national_id"),
        ("Identification Number", "national_id"),
        ("Tax ID No.", "tax"),
        ("Company Number", "registration"),
        ("Registration Number", "registration"),
        ("Business Registration Number", "registration"),
        ("Registration ID", "registration"),
        ("Unified Social Credit Code (USCC)", "registration"),
        ("Global Intermediary Identification Number", "giin"),
        ("SWIFT/BIC", "bic"),
        ("Organization Established Date", "established"),
        ("Organization Type:", "org_type"),
        ("Target Type", "target_type"),
        ("a.k.a.", "aka"),
        ("f.k.a.", "aka"),
        ("n.k.a.", "aka"),
        ("Linked To:", "linked_to"),
        ("Website", "website"),
        ("Email Address", "email"),
        ("Phone Number", "phone"),
        ("Telephone", "phone"),
        ("Phone", "phone"),
        # vessels and aircraft (SDN_Type vessel / aircraft): particulars, kept in Remarks.craft
        ("Vessel Registration Identification", "craft:imo"),
        ("MMSI", "craft:mmsi"),
        ("Former Vessel Flag", "craft:past_flag"),
        ("Vessel Year of Build", "craft:built"),
        ("Aircraft Tail Number", "craft:tail"),
        ("Previous Aircraft Tail Number", "craft:tail"),
        ("Aircraft Manufacturer's Serial Number (MSN)", "craft:serial"),
        ("Aircraft Construction Number (also called L/N or S/N or F/N)", "craft:serial"),
        ("Aircraft Model", "craft:model"),
        ("Aircraft Manufacture Date", "craft:built"),
        ("Aircraft Operator", "craft:operator"),
        ("Aircraft Mode S Transponder Code", "craft:transponder"),
    ],
    key=lambda kv: -len(kv[0]),
)


@dataclass(frozen=True)
class IdFact:
    """An identity document or number: ``value``, issuing ``country`` as written, extra text."""

    value: str
    country: str | None = None
    extra: str | None = None


@dataclass
class Remarks:
    """Facts of one Remarks field, values as written by OFAC (not yet normalised)."""

    dob: list[str] = field(default_factory=list)
    pob: list[str] = field(default_factory=list)
    nationality: list[str] = field(default_factory=list)
    citizen: list[str] = field(default_factory=list)
    gender: list[str] = field(default_factory=list)
    passport: list[IdFact] = field(default_factory=list)
    national_id: list[IdFact] = field(default_factory=list)
    tax: list[IdFact] = field(default_factory=list)
    registration: list[IdFact] = field(default_factory=list)
    giin: list[IdFact] = field(default_factory=list)
    bic: list[str] = field(default_factory=list)
    established: list[str] = field(default_factory=list)
    org_type: list[str] = field(default_factory=list)
    target_type: list[str] = field(default_factory=list)
    aka: list[str] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    website: list[str] = field(default_factory=list)
    email: list[str] = field(default_factory=list)
    phone: list[str] = field(default_factory=list)
    #: (chain, address) pairs, e.g. ("XBT", "bc1q...").
    wallets: list[tuple[str, str]] = field(default_factory=list)
    #: Particulars of a vessel or aircraft by kind (imo, mmsi, past_flag, built, tail, serial,
    #: model, operator, transponder), values as written, in order.
    craft: dict[str, list[str]] = field(default_factory=dict)
    #: Facts with no known keyword, kept verbatim for ``notes``.
    other: list[str] = field(default_factory=list)
    #: The last fact of a field cut at 1000 characters, kept as text only.
    truncated: str | None = None


def _id_fact(text: str) -> IdFact:
    m = _ID_WITH_COUNTRY.match(text)
    if m:
        return IdFact(m.group("value").strip(), m.group("country").strip(), (m.group("rest") or None))
    return IdFact(text.strip())


def _keyword(body: str) -> tuple[str, str] | None:
    """(kind, value) of a fact by its keyword, or ``None`` if no keyword matches."""
    for keyword, kind in _KEYWORDS:
        if body == keyword or body.startswith(keyword + " ") or (
            keyword.endswith(":") and body.startswith(keyword)
        ):
            return kind, body[len(keyword):].strip()
    return None


def split_facts(remarks: str) -> tuple[list[str], str | None]:
    """Split a Remarks field into facts; returns ``(facts, truncated_last_fact_or_None)``.

    The field is cut if it is :data:`REMARKS_MAX` characters or longer as written (blanks at its
    ends included: OFAC's cut can fall just after a space) and does not end in ``"."``.
    """
    text = (remarks or "").strip()
    if not text or text == "-0-":
        return [], None
    cut = len(remarks) >= REMARKS_MAX and not text.endswith(".")
    if text.endswith("."):
        text = text[:-1]
    facts = [f.strip() for f in text.split("; ") if f.strip()]
    truncated = None
    if cut and facts:
        truncated = facts.pop()
    return facts, truncated


def parse_remarks(remarks: str) -> Remarks:
    """Parse one Remarks field into :class:`Remarks` (never raises; unknown facts go to ``other``)."""
    out = Remarks()
    facts, out.truncated = split_facts(remarks)
    for fact in facts:
        body = fact[5:] if fact.startswith("alt. ") else fact
        wallet = _WALLET.match(body)
        if wallet:
            out.wallets.append((wallet.group("chain").upper(), wallet.group("address")))
            continue
        found = _keyword(body)
        if found is None:
            out.other.append(fact)
            continue
        kind, value = found
        if not value:
            out.other.append(fact)
        elif kind in ("passport", "national_id", "tax", "registration", "giin"):
            getattr(out, kind).append(_id_fact(value))
        elif kind.startswith("craft:"):
            out.craft.setdefault(kind[6:], []).append(value)
        elif kind == "aka":
            m = _QUOTED.match(value)
            out.aka.append(m.group("name") if m else value)
        else:
            getattr(out, kind).append(value)
    return out
