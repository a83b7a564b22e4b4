"""A mapping compiled once for a reader: per entity and relationship, the getters of its
properties, its id, key and condition (see ``docs/mappings.md``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from graphapi.ingest.identity.accounts import (
    account_bic,
    bank_bics,
    bank_country,
    bank_entry,
    bank_identity,
    normal_account_key,
    read_bic,
)
from graphapi.ingest.identity.banks import BANK_WITHOUT_BIC
from graphapi.ingest.identity.documents import NUMBER_PROPERTIES, placeholder_number, real_numbers
from graphapi.ingest.identity.gazetteer import gazetteer
from graphapi.ingest.mapping.conditions import _compile_when
from graphapi.ingest.mapping.memo import _UNSEEN, Hints, _remember, _table
from graphapi.ingest.mapping.model import _columns_in
from graphapi.ingest.mapping.steps import REFINE_KEYS
from graphapi.ingest.mapping.templates import _compile_template
from graphapi.ingest.mapping.values import LEFT_OUT, Getter, _compile_raw, _compile_source, _compile_value
from graphapi.ingest.readers.nulls import is_null_token
from graphapi.ontology import Label, RelationshipType, required_properties
from graphapi.ontology.types import get_type
from graphapi.ontology.types.datetime import zone_given

#: The property that records the zone a local time was read in (relationships.yaml, common).
ASSUMED_ZONE = "assumedTimeZone"
#: The memo table name (no value type's) of the zones of local times: a text's zone by its ``tz`` hint.
_ZONE_MEMO = "zone of a time"


class _PropertyPlan(NamedTuple):
    """One mapped property, compiled once per mapping: ``owner`` (entity name or relationship
    type, for reasons), its ontology ``type``, ``column`` (a plain column whose raw value can be
    shown when it does not clean; ``None`` for key properties and other specs) and ``value``;
    ``calendar``: the calendar hint it cleans with, for the reason a value is refused: a literal,
    or a function of the row for a hint read from it, which ``calendar_from`` names."""

    owner: str
    name: str
    type: str
    column: str | None
    value: Getter
    calendar: str | Callable[[dict[str, Any]], Any] | None = None
    calendar_from: str | None = None


@dataclass(frozen=True, slots=True)
class _EntityPlan:
    """One mapped entity, compiled: its ``id`` getter (labels keyed by id), the properties its
    label requires besides the id (``needs``: a dict for its ordered set of keys), the
    ``text_columns`` whose first raw text is kept on a linked entity when this one cannot be made
    and the ``key_templates`` its id or key properties are built from (to say why they are not);
    ``when``: the condition under which a row makes it (None: always)."""

    name: str
    label: str
    required: bool
    id: Getter | None
    properties: tuple[_PropertyPlan, ...]
    needs: dict[str, None]
    text_columns: tuple[str, ...]
    key_templates: tuple[str, ...]
    when: Callable[[dict[str, Any]], bool] | None = None


@dataclass(frozen=True, slots=True)
class _RelationshipPlan:
    """One mapped relationship, compiled: ``start``/``end`` entity names, ``when`` test (None:
    always), ``key`` template and its getter (None: no discriminator), and whether it is an
    ``event``: a relationship with properties read from the row (a call, a transfer)."""

    type: str
    start: str
    end: str
    when: Callable[[dict[str, Any]], bool] | None
    key: str | None
    key_of: Callable[[dict[str, Any]], str | None] | None
    properties: tuple[_PropertyPlan, ...]
    event: bool
    required: bool = False
    #: the type's own required properties (TRANSFERRED_TO: amount): a row whose value gives none
    #: makes no such relationship and is rejected
    needs: tuple[str, ...] = ()


def _plan(properties: dict[str, Any], spec: dict[str, Any], owner: str, hint_specs: dict[str, Any],
          row_hints: Hints | None, keys: tuple[str, ...] = ()) -> tuple[_PropertyPlan, ...]:
    """The property plans of one mapped entity or relationship ``spec`` over the ontology's
    ``properties`` (``keys``: its key properties, never reported as invalid: kept as text)."""
    out = []
    for name, pspec in (spec.get("properties") or {}).items():
        prop = properties[name]
        extra = {"values": prop.values} if prop.type == "enum" else {}
        value = _compile_value(pspec, prop.type, prop.multiple, extra, hint_specs, row_hints)
        column = None if name in keys else _column_of(pspec)
        if name in NUMBER_PROPERTIES:  # a placeholder ("0", "N/A") is no document number, not an invalid one
            value, column = _without_placeholders(value), None
        calendar = (pspec.get("hints") or {}).get("calendar", (hint_specs or {}).get("calendar")) \
            if isinstance(pspec, dict) else (hint_specs or {}).get("calendar")
        out.append(_PropertyPlan(owner, name, prop.type, column, value, *_calendar_hint(calendar)))
        mapped = spec.get("properties") or {}
        if prop.type == "datetime" and ASSUMED_ZONE in properties and ASSUMED_ZONE not in mapped:
            zone = _assumed_zone(pspec, hint_specs, row_hints)
            if zone is not None:
                out.append(_PropertyPlan(owner, ASSUMED_ZONE, "string", None, zone))
    return tuple(out)


def _calendar_hint(spec: Any) -> tuple[str | Callable[[dict[str, Any]], Any] | None, str | None]:
    """``(calendar, calendar_from)`` of a property plan for a calendar hint ``spec``: a literal as
    it is; a value spec read from the row as a function of the row, named so that a refusal's
    advice says where the row gives it (round 30c: it told such a mapping to declare the hint)."""
    if isinstance(spec, str):
        return spec, None
    if not isinstance(spec, dict):
        return None, None
    where = f"column {spec['column']!r}" if isinstance(spec.get("column"), str) else "its calendar hint's spec"
    return _compile_source(spec), where


_READS = ("column", "value", "template", "concat")


def _assumed_zone(spec: Any, hint_specs: dict[str, Any], row_hints: Hints | None = None) -> Getter | None:
    """A getter of the zone a local time of ``spec`` was read in: the ``tz`` hint of the spec
    that gave the row's time, else the mapping's, else ``UTC``; None on a row whose time says
    its own zone (an offset, ``Z``, epoch time) or has no value. Of a list of specs (the first
    that gives a time wins), the first whose value on the row is a time speaks (new-user report:
    a coalesce list or a template recorded no zone at all)."""
    specs = [s for s in (spec if isinstance(spec, list) else [spec])
             if isinstance(s, dict) and any(k in s for k in _READS)]
    if not specs:
        return None
    mapping_tz = (hint_specs or {}).get("tz")
    reads = []
    for one in specs:
        own = (one.get("hints") or {}).get("tz", mapping_tz)
        # of a list, the spec that gives the value is the first whose value cleans, with its own hints
        gives = _compile_value(one, "datetime", False, {}, hint_specs, row_hints) if len(specs) > 1 else None
        reads.append((_compile_raw(one), own, _compile_source(own) if isinstance(own, dict) else None, gives))
    if len(reads) == 1 and reads[0][2] is None:
        return _zone_of_one(specs[0], reads[0][0], str(reads[0][1]) if reads[0][1] else "UTC")

    def zone(row: dict[str, Any], hints: Hints) -> str | None:
        for read, own, own_of, gives in reads:
            raw = read(row)
            if not raw or is_null_token(raw):
                continue
            if gives is not None and gives(row, hints) is None:
                continue  # no time: the list's next spec gives the value (a date completed by a template)
            if zone_given(raw):
                return None
            tz = own_of(row) if own_of is not None else own
            return str(tz) if tz else "UTC"
        return None

    return zone


def _zone_of_one(spec: dict[str, Any], read: Callable[[dict[str, Any]], Any], tz: str) -> Getter:
    """The zone getter of one spec (its ``read``) whose ``tz`` hint is a constant: the zone of
    its text, a pure function of that text, remembered as cleaned values are (an event's time
    is read on every row; a ``{column}`` spec's text is read inline, as ``read`` reads it)."""
    table = _table(_ZONE_MEMO, (("tz", tz),))
    assert table is not None  # a string hint is hashable
    table_get = table.get
    column = spec["column"] if "column" in spec else None

    def zone_of(raw: Any) -> str | None:  # None: no time, or one that says its own zone
        return None if not raw or is_null_token(raw) or zone_given(raw) else tz

    def zone(row: dict[str, Any], hints: Hints) -> str | None:
        if column is not None:
            raw = row.get(column)
            if isinstance(raw, str):
                raw = raw.strip()
        else:
            raw = read(row)
        try:
            got = table_get(raw, _UNSEEN)
        except TypeError:  # unhashable: worked out, not remembered
            return zone_of(raw)
        if got is _UNSEEN:
            got = zone_of(raw)
            _remember(table, raw, got)
        return got

    return zone


def _entity_plan(name: str, spec: dict[str, Any], lb: Label, hint_specs: dict[str, Any],
                 row_hints: Hints | None, types: dict[str, Any] | None = None) -> _EntityPlan:
    """Compile the mapped entity ``name`` (``spec``) of ontology label ``lb``; ``hint_specs`` and
    ``row_hints`` as for :func:`_compile_value`; ``types``: the mapping's column types, for its
    ``when`` (:func:`~graphapi.ingest.mapping.conditions.column_types`)."""
    properties = _plan(lb.properties, spec, name, hint_specs, row_hints, keys=lb.key)
    return _EntityPlan(
        name, lb.name, bool(spec.get("required")),
        _compile_value(spec["id"], "string", False, {}, hint_specs, row_hints) if "id" in spec else None,
        _account_keyed(properties, spec, hint_specs, row_hints) if lb.name == "BankAccount" else properties,
        dict.fromkeys(required_properties(lb.properties)),
        _text_columns(spec, ("number",) if lb.name == "IdentityDocument" else None),
        tuple(_templates_in([spec.get("id")] + [(spec.get("properties") or {}).get(k) for k in lb.key])),
        _compile_when(spec.get("when"), f"entity {name}.when", types))


def _relationship_plan(rel: dict[str, Any], rt: RelationshipType, hint_specs: dict[str, Any],
                       row_hints: Hints | None, types: dict[str, Any] | None = None) -> _RelationshipPlan:
    """Compile the mapped relationship ``rel`` of ontology type ``rt``; ``hint_specs``,
    ``row_hints`` and ``types`` as for :func:`_entity_plan`."""
    key = str(rel["key"]) if rel.get("key") else None
    return _RelationshipPlan(rt.name, rel["from"], rel["to"], _compile_when(rel.get("when"), f"{rt.name}.when", types),
                             key, _compile_template(key) if key is not None else None,
                             _plan(rt.properties, rel, rt.name, hint_specs, row_hints),
                             bool(_columns_in(rel.get("properties"))), bool(rel.get("required")),
                             required_properties(rt.properties))


def _account_keyed(plans: tuple[_PropertyPlan, ...], spec: dict[str, Any], hint_specs: dict[str, Any],
                   row_hints: Hints | None) -> tuple[_PropertyPlan, ...]:
    """A BankAccount's property plans (of its mapped ``spec``) with its ``accountKey`` keyed as
    every reader keys it (:func:`~graphapi.ingest.identity.accounts.normal_account_key`: the
    bank's identity, the number cleaned, the country as written or else the bank's), whatever the
    mapping's template says; its ``country``, when none is mapped, the key's; its ``bankCode``, an
    alias that ``resolve: bank`` left as written, the bank that alias names in the account's
    country; and its ``bic``, a bank named by any name, alias or id (``resolve: bank``'s ``th-bbl``),
    the bank's BIC in the account's country, as the key takes it, or where the gazetteer lists none
    there no bic but the bank's id, for its link alone (:data:`BANK_WITHOUT_BIC`)."""
    by_name = {p.name: p for p in plans}
    if "accountKey" not in by_name:
        return plans
    written = by_name["accountKey"].value

    def key(row: dict[str, Any], hints: Hints) -> Any:
        got = written(row, hints)
        return normal_account_key(got) if isinstance(got, str) else got

    def country_of(given: Getter) -> Getter:
        def country(row: dict[str, Any], hints: Hints) -> Any:
            if (mapped := given(row, hints)) or not isinstance(got := key(row, hints), str) or got.count(":") != 2:
                return mapped
            # the key's country (the row's, else its bank's): "MY:SCB:..." is no Thai account
            cc, bank, _ = got.split(":")
            return get_type("country").clean(cc) or (bank_country(bank) if bank else None)
        return country

    # the account's country: the mapped one, else the key's (the row's, else its bank's)
    account_country = country_of(by_name["country"].value if "country" in by_name else _no_value)

    def country_code(row: dict[str, Any], hints: Hints) -> str | None:
        cc = account_country(row, hints)
        return cc if isinstance(cc, str) else None

    def bank_code_of(given: Getter) -> Getter:
        def bank_code(row: dict[str, Any], hints: Hints) -> Any:
            mapped = given(row, hints)
            if not isinstance(mapped, str) or not (gazetteer("banks").is_local_alias(mapped)
                                                    or mapped in gazetteer("banks").entries):
                return mapped
            # an alias `resolve: bank` left as written ("SCB"), or the id it writes for a known bank
            # ("th-bbl"): the bank it names in the account's country
            return bank_identity(mapped, country_code(row, hints))
        return bank_code

    def bic_of(given: Getter, text: Getter) -> Getter:
        def bic(row: dict[str, Any], hints: Hints) -> Any:
            # the text first: a BIC as given, a bank's name, alias or id its BIC in the account's
            # country; a known bank with none listed there, no bic (never its head office's
            # abroad: round 33) yet no invalid value; one without any ("Wing Bank" is no BIC
            # WINGBANK) and a name that only looks like a BIC ("Eximbank"), refused; a code that
            # is no BIC of the account's country (what `resolve: bank` makes of "Eximbank", or a
            # foreign bank's the key keeps as text), no bic; other text, the spec as a BIC (of a
            # coalesce, the first that cleans)
            named = text(row, hints)
            if isinstance(named, str):
                cc = country_code(row, hints)
                found = account_bic(named, cc)
                entry = bank_entry(named, cc) if found is None else None
                if found is not None or entry is not None:
                    return found if found is not None or not bank_bics(entry) else LEFT_OUT
                if get_type("bic").clean(named) is not None and read_bic(named, cc) is None:
                    return None if read_bic(named) is None else LEFT_OUT
            return given(row, hints)
        return bic

    def bank_without_bic(text: Getter) -> Getter:
        def bank(row: dict[str, Any], hints: Hints) -> str | None:
            # the known bank the bic's text names where bic_of stores none (its office in the account's
            # country lists no BIC: LA + "Bangkok Bank"): the account is still at that bank (AT_BANK)
            named = text(row, hints)
            if not isinstance(named, str):
                return None
            cc = country_code(row, hints)
            if account_bic(named, cc) is not None:
                return None
            entry = bank_entry(named, cc)
            return entry.id if entry is not None and bank_bics(entry) else None
        return bank

    out = []
    for p in plans:
        if p.name == "accountKey":
            p = p._replace(value=key)
        elif p.name == "country":
            p = p._replace(value=country_of(p.value))
        elif p.name == "bankCode":
            p = p._replace(value=bank_code_of(p.value))
        elif p.name == "bic" and "bic" in (spec.get("properties") or {}):
            text = _compile_value(spec["properties"]["bic"], "string", False, {}, hint_specs, row_hints)
            out.append(_PropertyPlan(p.owner, BANK_WITHOUT_BIC, "string", None, bank_without_bic(text)))
            p = p._replace(value=bic_of(p.value, text))
        out.append(p)
    return tuple(out)


def _no_value(row: dict[str, Any], hints: Hints) -> None:
    return None


def _without_placeholders(value: Getter) -> Getter:
    """``value`` with placeholder document numbers left out (``placeholder_number``, remembered
    per distinct number)."""

    def numbers(row: dict[str, Any], hints: Hints) -> Any:
        got = value(row, hints)
        if isinstance(got, list):
            return real_numbers(got) or None
        return None if got is None or placeholder_number(got) else got

    return numbers


def _templates_in(doc: Any) -> list[str]:
    """Every ``{template}`` of the value specs in ``doc``, in order."""
    if isinstance(doc, dict):
        return [str(doc["template"])] if "template" in doc else []
    if isinstance(doc, list):
        return [t for sub in doc for t in _templates_in(sub)]
    return []


def _column_of(spec: Any) -> str | None:
    """The column of a ``{column: X}`` value spec whose raw value can be shown when it does not
    clean (one with no split of its own; its hints included: with them, a value that did not
    clean was dropped without a reject, attack round 15, H1), else None."""
    plain = isinstance(spec, dict) and "column" in spec and set(spec) <= {"column", "type", "hints", *REFINE_KEYS}
    return spec["column"] if plain else None


def _text_columns(spec: dict[str, Any], only: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The columns of an entity's ``{column}`` property specs, in mapping order (``only``: of
    those properties: a document's text is its number, never its country, feeds trial)."""
    return tuple(sub["column"] for name, pspec in (spec.get("properties") or {}).items()
                 if only is None or name in only
                 for sub in (pspec if isinstance(pspec, list) else [pspec])
                 if isinstance(sub, dict) and "column" in sub)

