"""A border-crossing log in ``lintas mapping init``: drafted as the shipped crossings mapping
(``seed/mappings/crossings.yaml``) reads one, the traveller a ``Person``, their passport an
``IdentityDocument`` they ``HOLDS_DOCUMENT``, the checkpoint the gazetteer's ``BorderCheckpoint``
and each row a ``CROSSED`` with its time, direction and document (new-user trial 6: the draft
proposed the checkpoint alone).

A file is taken for one when it has a time column, a checkpoint (a column of names the
checkpoints gazetteer knows, or one headed as a checkpoint's code) or a column of entry/exit
words, and a traveller (a name or a traveller-number column). Columns are told apart by their
values where these settle it (a time, a country, entry/exit words, a code list of checkpoint
kinds) and otherwise by their header's words (``Passport No``, ``person_id``); each guess a
person should confirm carries a ``TODO``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from graphapi.ingest.mapping.column_guess import Column
from graphapi.ingest.mapping.draft_text import yaml_text
from graphapi.ontology import load_model
from graphapi.ontology.types import get_type

#: the words of a log's direction column, as the shipped crossings mapping maps them (any case)
DIRECTIONS = {"entry": ("in", "arrival", "arrive", "inbound", "เข้า", "ขาเข้า"),
              "exit": ("out", "departure", "depart", "outbound", "ออก", "ขาออก")}
_TRAVELLER = {"person", "traveller", "traveler", "passenger", "pax", "holder", "visitor"}
_NUMBER = {"id", "no", "nr", "num", "number", "code", "ref"}
_DOCUMENT = {"passport", "document", "doc", "travel"}
_CHECKPOINT = {"checkpoint", "border", "post", "bcp", "port", "station"}  # never "crossing": its id is the row's
_BIRTH = {"birth", "dob", "born"}


def _words(header: str) -> set[str]:
    return set(re.split(r"[^\w]+|_", header.casefold())) - {""}


@dataclass
class CrossingDraft:
    """The YAML lines of a crossing log's entities, relationships and order rule, and the columns
    they place (left out of the draft's list of columns to place)."""

    entities: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    placed: set[str] = field(default_factory=set)
    names: list[str] = field(default_factory=list)


def _first(columns: list[Column], test) -> Column | None:
    return next((c for c in columns if test(c)), None)


def _directions(c: Column) -> bool:
    known = {w for words in DIRECTIONS.values() for w in words} | set(DIRECTIONS)
    return c.type is None and bool(c.words) and all(w in known for w in c.words)


def _countries_sep(c: Column) -> str | None:
    """The separator of a column listing country codes (``KH;TH``, ``KH/TH``), if it is one."""
    sep = next((ch for ch in c.example if not ch.isalnum()), None)
    country = get_type("country")
    if sep is None or not ({"country", "countries"} & _words(c.name)):
        return None
    parts = [p.strip() for p in c.example.split(sep)]
    return sep if len(parts) > 1 and all(country.clean(p) for p in parts) else None


def crossing_draft(columns: list[Column]) -> CrossingDraft | None:
    """The draft of a border-crossing log's columns, or None if they are not one (see the module)."""
    free = [c for c in columns if c.type is None and c.gazetteer is None]
    at = _first(columns, lambda c: c.type == "datetime" and not _BIRTH & _words(c.name))
    place = _first(columns, lambda c: c.gazetteer == "checkpoint")
    code = _first(free, lambda c: bool(_CHECKPOINT & _words(c.name)) and bool(_NUMBER & _words(c.name)))
    direction = _first(free, _directions)
    person = _first(free, lambda c: bool(_TRAVELLER & _words(c.name)) and bool(_NUMBER & _words(c.name)))
    name = _first(free, lambda c: "name" in _words(c.name) and not _CHECKPOINT & _words(c.name))
    if at is None or (place is None and code is None and direction is None) or (person is None and name is None):
        return None
    document = _first(columns, lambda c: (c in free or c.type == "documentNumber")  # passport_no: N1234567
                      and bool(_DOCUMENT & _words(c.name)) and c not in (person, name))
    birth = _first(columns, lambda c: c.type in ("date", "datetime") and bool(_BIRTH & _words(c.name)))
    nationality = _first(columns, lambda c: c.type == "country" and not _CHECKPOINT & _words(c.name))
    countries = _first(free, lambda c: _countries_sep(c) is not None)
    kinds = set(load_model().labels["BorderCheckpoint"].properties["kind"].values or ())
    kind = _first(free, lambda c: bool(c.words) and set(c.words) <= kinds)
    used = {person, name, document, code, direction, countries, kind}
    key = _first(free, lambda c: c not in used and c.seen > 1 and c.distinct == c.seen)
    out = CrossingDraft()
    out.placed = {c.name for c in (at, place, birth, nationality, key, *used) if c is not None}
    col = {c.name: yaml_text(c.name) for c in columns}

    out.entities += ["  traveller:   # the person each row is about (a crossings log: seed/mappings/crossings.yaml)",
                     "    label: Person", "    required: true"]
    if person is not None:
        out.entities.append(f"    id: {{template: {_template('traveller-', person)}}}   # TODO: the partner's "
                            "traveller number, prefixed so that no other feed's numbers meet it")
    else:
        parts = [c for c in (name, birth) if c is not None]
        out.entities.append(f"    id: {{template: {_template('traveller-', *parts)}}}   # TODO: no traveller "
                            "number found: two namesakes" + (" born the same day" if birth else "") + " are one")
    out.entities += _properties([f"      {prop}: {{column: {col[c.name]}}}" for prop, c in (
        ("name", name), ("nationality", nationality), ("birthDate", birth), ("passportNumber", document))
        if c is not None])
    out.names.append("traveller")
    if document is not None and nationality is not None:
        out.entities += ["  passport:   # the travel document as a shared identifier: its holders meet through it",
                         "    label: IdentityDocument", "    properties:",
                         f"      number: {{column: {col[document.name]}}}",
                         f"      country: {{column: {col[nationality.name]}}}   # TODO: issued by the traveller's "
                         "nationality? (a guess)",
                         "      kind: {value: passport}"]
        out.relationships += ["  - type: HOLDS_DOCUMENT", "    from: traveller", "    to: passport"]
        out.names.append("passport")
    if place is not None or code is not None:
        out.entities += _checkpoint(place, code, countries, kind, col)
        out.names.append("checkpoint")
        out.relationships += _crossed(at, key, direction, document, col)
    if birth is not None:
        out.order += ["order:   # a crossing before the traveller's birth is a wrong record: rejected with its reason",
                      "  - {before: traveller.birthDate, after: CROSSED.at, action: reject}"]
    return out


def _template(prefix: str, *columns: Column) -> str:
    return json.dumps(prefix + "-".join(f"{{{c.name}}}" for c in columns), ensure_ascii=False)


def _checkpoint(place: Column | None, code: Column | None, countries: Column | None, kind: Column | None,
                col: dict[str, str]) -> list[str]:
    lines = ["  checkpoint:", "    label: BorderCheckpoint", "    required: true"]
    own = f'{{template: {_template("checkpoint-", code)}}}' if code is not None else None
    if place is not None:
        by_name = f"{{column: {col[place.name]}, resolve: checkpoint}}"
        if own is not None:
            lines += ["    id:   # the gazetteer's checkpoint by any of its names; else the partner's code, flagged "
                      "unresolvedPlace", f"      - {by_name}", f"      - {own}"]
        else:
            lines += [f"    id: {by_name}   # the gazetteer's node by any of its names",
                      "    # TODO: a name it does not know makes no node, and rejects its row; to keep it, flagged",
                      "    # unresolvedPlace, give the partner's own id next: id: "
                      f'[{by_name}, {{template: "checkpoint-{{CODE_COLUMN}}"}}]']
    else:
        lines.append(f"    id: {own}   # TODO: the partner's checkpoint code (no column of names the gazetteer knows)")
    props = [f"      name: {{column: {col[place.name]}}}"] if place is not None else []
    if countries is not None:
        sep = json.dumps(_countries_sep(countries))
        props.append(f"      countries: {{column: {col[countries.name]}, split: {sep}}}")
    if kind is not None:
        props.append(f"      kind: {{column: {col[kind.name]}}}")
    lines += _properties(props)
    if kind is None:
        lines.append("      # TODO kind: {column: KIND_COLUMN}   # land, river, sea, air or informal; map other words")
    return lines


def _properties(lines: list[str]) -> list[str]:
    """An entity's ``properties:`` block of ``lines`` (``{}`` without any: YAML would read null)."""
    return ["    properties:", *lines] if lines else ["    properties: {}"]


def _crossed(at: Column, key: Column | None, direction: Column | None, document: Column | None,
             col: dict[str, str]) -> list[str]:
    lines = ["  - type: CROSSED", "    from: traveller", "    to: checkpoint"]
    if key is not None:
        lines.append(f"    key: {json.dumps('{' + key.name + '}', ensure_ascii=False)}   # TODO: each row's own id? "
                     "(its sample values are all different)")
    lines += ["    required: true   # each row asserts one: a row that makes none is rejected", "    properties:",
              f"      at: {{column: {col[at.name]}}}"]
    if direction is not None:
        table = ", ".join(f"{d}: [{', '.join(words)}]" for d, words in DIRECTIONS.items())
        lines += ["      direction:   # TODO: the log's words for it, any case; others go to the enum check",
                  f"        column: {col[direction.name]}", f"        map: {{{table}}}", "        unknown: pass"]
    else:
        lines.append("      # TODO direction: {column: DIRECTION_COLUMN}   # entry or exit; a map: for other words")
    if document is not None:
        lines.append(f"      document: {{column: {col[document.name]}}}")
    return lines
