"""A first mapping for a partner file (``lintas mapping init``): what each column holds, guessed
from a sample of its values with the ontology's value types
(:mod:`graphapi.ingest.mapping.column_guess`), written as a YAML mapping with ``TODO`` comments
for what only a person can decide (labels of ids, relationships, keys).

A column of no value type whose sample values are mostly names a gazetteer knows
(``seed/gazetteers``: banks by any name, script or BIC; checkpoints; compounds, also written
``Kings Romans, Golden Triangle SEZ`` with the place after a comma) is a gazetteer column: the
draft resolves a checkpoint or compound column to the gazetteer's node (an entity whose ``id``
says ``resolve:``) and shows how a bank column keys its accounts (``resolve: bank``).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

from graphapi.ingest.mapping import draft_numbers as numbers
from graphapi.ingest.mapping.column_guess import SHARE, Column, guess_columns
from graphapi.ingest.mapping.draft_accounts import (
    account_entity,
    wallet_entity,
)
from graphapi.ingest.mapping.draft_places import PLACES, bank_hint, place_entity
from graphapi.ingest.mapping.draft_text import one_line, yaml_text
from graphapi.ingest.mapping.header import starts_with_data
from graphapi.ingest.readers.csv_spans import sample_spans_lines
from graphapi.ontology import kept_by_loader, load_model

#: the draft's framing (docs/mappings.md, Files and rows), each saying what the other one means
SINGLE_LINE = ("  records: single-line   # a record is one line; multi-line: a quoted field may hold line breaks "
               "(notes, addresses)")
MULTI_LINE = ("  records: multi-line   # the sample has a line break inside a quoted field; single-line: a record "
              "is one line, and such a row is rejected")
#: what a guessed column becomes in the draft: an entity of its own, or a property to place
_ENTITY = {"phone": ("Phone", "number"), "iban": ("BankAccount", "iban"), "imei": ("Device", "imei"),
           "wallet": ("CryptoWallet", "address"), "accountNumber": ("BankAccount", "accountNumber")}
#: the value type of the ontology's properties each guess of a property column may fill
_PROPERTY = {"datetime": "datetime", "date": "date", "country": "country", "amount": "amount",
             "currency": "currency"}


def _holders(value_type: str, among: tuple[str, ...] | None = None) -> dict[str, list[str]]:
    """The ontology's properties of ``value_type``, by name: the labels and relationship types that
    have each (``among``: of those relationship types only); ``from``/``to``, common to every
    relationship type, held by "any relationship". Keys and what the loader keeps itself
    (``kept_by_loader``) are left out."""
    model = load_model()
    found: dict[str, list[str]] = {}
    common = set.intersection(*(set(rt.properties) for rt in model.relationships.values()))
    owners = [] if among else [(lb.name, lb.own_properties, lb.key) for lb in model.labels.values()]
    owners += [(rt.name, rt.properties, ()) for rt in model.relationships.values() if among is None or rt.name in among]
    for owner, properties, key in owners:
        for name, prop in properties.items():
            if prop.type == value_type and not kept_by_loader(properties, name) and name not in key:
                where = "any relationship" if name in common and among is None else owner
                if where not in found.setdefault(name, []):
                    found[name].append(where)
    return found


def _suggestion(c: Column, event_types: tuple[str, ...] | None) -> str:
    """The comment line placing guessed column ``c`` on an ontology property: only properties the
    ontology has (new-user report: a date was proposed as ``date``, which no type has), the one
    the column is named for if any. A file with an amount holds the events that have one
    (``event_types``: TRANSFERRED_TO), whose time is a datetime: a date column is proposed as that
    time, completed by noon (docs/mappings.md)."""
    col = yaml_text(c.name)
    named = re.sub(r"[^a-z0-9]", "", c.name.lower())
    everywhere = _holders(_PROPERTY[c.type or ""])
    if (prop := next((p for p in everywhere if p.lower() == named), None)) is not None:  # birth_date: birthDate
        where = ", ".join(everywhere[prop])
        return f"#   {prop}: {{column: {col}}}   # {c.type}: {prop} of {where}"
    dated = c.type in ("date", "datetime")
    holders = _holders(_PROPERTY[c.type or ""], event_types if dated else None)
    if c.type == "date" and event_types and len(times := _holders("datetime", event_types)) == 1:
        ((prop, owners),) = times.items()
        template = json.dumps(f"{{{c.name}}} 12:00", ensure_ascii=False)
        return (f"#   {prop}: [{{column: {col}}}, {{template: {template}}}]   # date: {prop} of {', '.join(owners)} "
                "is a time: a date alone is read as noon local time (docs/mappings.md)")
    prop = next(iter(holders)) if len(holders) == 1 else None
    if prop is None and c.type in ("country", "currency"):
        prop = c.type  # what most holders call it
    where = "; ".join(f"{p} of {', '.join(owners)}" for p, owners in holders.items())
    if c.type == "currency":
        where += " (ISO 4217 codes and their spellings, US$ and usd, clean to the code: USD)"
    return f"#   {prop or 'TODO'}: {{column: {col}}}   # {c.type}: {where}"


def draft_mapping(path: Path, rows: int = 200, header: bool | None = None, country: str | None = None) -> str:
    """A YAML mapping for ``path``: an entity per column of phone numbers, IBANs or IMEIs, the
    other guessed columns as commented property suggestions, ``TODO`` for the rest. ``header``:
    whether the first row names the columns; None: it does unless it looks like data
    (:func:`graphapi.ingest.mapping.header.starts_with_data`), and then the draft says
    ``csv: {header: false}`` and names the columns by position. ``country`` (``--country``): the
    region of national-format phone numbers a row without one has (docs/mappings.md)."""
    if header is None:
        header = not starts_with_data(path)
    from graphapi.ingest.mapping.draft_crossings import crossing_draft  # it reads this module's Column

    columns = guess_columns(path, rows, header=header, country=country)
    crossing = crossing_draft(columns)  # None unless the file is a border-crossing log
    placed = crossing.placed if crossing else set()
    name = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "feed"
    countries = [c.name for c in columns if c.type == "country"]
    lines = [f"# DRAFT by `lintas mapping init` from the header and up to {rows} rows of {path.name}."
             if header else f"# DRAFT by `lintas mapping init` from up to {rows} rows of {path.name}, which has "
             "no header row (its first row looks like data): columns are named by position, \"1\" first.",
             "# Every guess is only a guess: check it with `lintas mapping check --mapping THIS FILE`.",
             "# Reference: docs/mappings.md",
             "#",
             "# column guesses:"]
    for c in columns:
        what = f"{c.type} ({c.cleaned} of {c.seen} sample values clean)" if c.type else (
            f"{c.gazetteer} names of seed/gazetteers ({c.known} of {c.seen} sample values known"
            f"{' before a comma' if c.before_comma else ''})" if c.gazetteer else
            _unrecognised(c) if c.seen else "TODO: empty in the sample")
        lines.append(f"#   {c.name}: {what}; e.g. {c.example!r}" if c.example else f"#   {c.name}: {what}")
    lines += [f"name: {name}", "description: TODO what the feed is, one row per what",
              f"source: TODO-partner-{name}"]
    lines.append("csv:")
    if not header:
        lines.append("  header: false   # its first row is data; a header? draft again with --header")
    lines.append(MULTI_LINE if sample_spans_lines(path, rows) else SINGLE_LINE)
    hints = []
    if any(c.type == "phone" for c in columns):
        own = numbers.phone_country(countries)
        hints += numbers.country_hint(own, country, [c for c in countries if c != own], yaml_text)
    if any(c.type == "datetime" for c in columns):
        hints.append("  tz: TODO   # the partner's time zone for local times, e.g. Asia/Bangkok")
    if hints:
        lines += ["hints:", *hints]
    accounts = [(c, _nearest(columns, c, _is_bank)) for c in columns if c.type == "accountNumber"]
    banks = {bank: None for _, bank in accounts if bank and _column(columns, bank).gazetteer == "bank"}
    if banks:  # one key per account whichever name of its bank a row writes (KBANK, Kasikornbank)
        lines.append("columns:   # a bank by any of its names, scripts or BIC: its id (the key takes its office "
                     "in the account's country) or a BIC as given")
        lines += [f"  {yaml_text(b)}: {{resolve: bank}}" for b in banks]
        lines += [f"  {yaml_text(c.name)}: {{account: {{bank: {yaml_text(b or '')}}}}}   # as the bank's "
                  "format writes its numbers" for c, b in accounts if b in banks]
    lines.append("entities:")
    made = []
    if crossing:
        lines += crossing.entities
        made += crossing.names
    for c in columns:
        if c.type == "documentNumber" and c.name not in placed:
            made.append(_entity_name(c, "identitydocument", made))
            lines += numbers.document_entity(made[-1], c.name, countries, yaml_text)
        if c.type in _ENTITY:
            label, key = _ENTITY[c.type]
            ent = re.sub(r"[^a-z0-9]+", "_", c.name.lower()).strip("_") or "entity"
            if ent[0].isdigit():  # a numbered column ("3"): YAML would read the name as a number
                ent = f"{label.lower()}_{ent}"
            col = yaml_text(c.name)
            if c.type == "wallet":
                lines += wallet_entity(ent, col)
                made.append(ent)
                continue
            if c.type == "accountNumber":
                bank = _nearest(columns, c, _is_bank, own_side=True)
                where = _nearest(columns, c, lambda o: o.type == "country", own_side=True)
                lines += account_entity(ent, col, c.name, bank, where, yaml_text)
                made.append(ent)
                continue
            lines += [f"  {ent}:", f"    label: {label}", "    properties:"]
            if label == "BankAccount":
                lines.append(f"      accountKey: {{column: {col}, type: iban}}")
            lines.append(f"      {key}: {{column: {col}}}")
            made.append(ent)
    for c in columns:
        if c.gazetteer in PLACES and c.name not in placed:
            made.append(place_entity(lines, c, made, yaml_text))
    if not made:
        lines += ["  TODO_entity:   # TODO: no column of phone numbers, IBANs or IMEIs; name an entity",
                  "    label: TODO", "    properties: {}"]
    lines.append("# TODO: place these columns on an entity or a relationship (a guess per column, with the")
    lines.append("# ontology's properties of its value type):")
    amounts = _holders("amount") if any(c.type == "amount" for c in columns) else {}
    events = tuple(dict.fromkeys(o for owners in amounts.values() for o in owners)) or None
    for c in (c for c in columns if c.name not in placed):
        if c.type in _PROPERTY:
            lines.append(_suggestion(c, events))
        elif c.type is None and c.gazetteer is None:
            lines.append(f"#   TODO: {{column: {yaml_text(c.name)}}}   # an id, a name, a code?")
    if not accounts:
        lines += bank_hint([c for c in columns if c.gazetteer == "bank"], yaml_text)
    if crossing and crossing.relationships:
        lines += ["relationships:", *crossing.relationships, *crossing.order]
    else:
        lines.append("relationships: []   # TODO: e.g. - {type: TYPE, from: ENTITY, to: ENTITY, key: \"{ID_COLUMN}\"}")
    return "\n".join(one_line(line) for line in lines) + "\n"


def _entity_name(c: Column, label: str, made: list[str]) -> str:
    """The draft's name of the entity of column ``c``: ``passport_no``, ``identitydocument_3``."""
    ent = re.sub(r"[^a-z0-9]+", "_", c.name.lower()).strip("_") or label
    ent = f"{label}_{ent}" if ent[0].isdigit() else ent
    return ent if ent not in made else f"{ent}_{label}"


def _unrecognised(c: Column) -> str:
    """What the draft says of a column of no guess: how near its values came to one, if they did."""
    if not c.near:
        return "TODO: no value type recognised"
    type_name, n = c.near
    return (f"TODO: no value type recognised ({n} of {c.seen} sample values clean as {type_name}; a guess needs "
            f"{math.ceil(SHARE * c.seen)})")


def _column(columns: list[Column], name: str) -> Column:
    return next(c for c in columns if c.name == name)


def _is_bank(c: Column) -> bool:
    return c.gazetteer == "bank" or (c.type is None and re.search(r"bank", c.name, re.IGNORECASE) is not None)


def _nearest(columns: list[Column], c: Column, test, own_side: bool = False) -> str | None:
    """The name of the column that passes ``test`` and goes with ``c``: one whose header starts
    with the same word (``Beneficiary Bank`` of ``Beneficiary A/C``), else the nearest; or None.
    ``own_side``: never another side's column, one whose first word starts other headers too
    (``To Country`` beside ``To Bank`` is no country of ``From A/C``: feeds trial), though a
    lone ``Country`` may be every side's."""
    at, word = columns.index(c), _first_word(c.name)
    words = Counter(_first_word(o.name) for o in columns)
    found = sorted((_first_word(o.name) != word, abs(i - at), i) for i, o in enumerate(columns)
                   if o is not c and test(o)
                   and (not own_side or _first_word(o.name) == word or words[_first_word(o.name)] == 1))
    return columns[found[0][2]].name if found else None


def _first_word(name: str) -> str:
    return next(iter(re.findall(r"[^\W_]+", name.casefold())), "")
