"""A first mapping for a partner file (``lintas mapping init``): what each column holds, guessed
from a sample of its values with the ontology's value types, written as a YAML mapping with
``TODO`` comments for what only a person can decide (labels of ids, relationships, keys).

A column is taken to hold a value type when most of its sample values (:data:`SHARE`) that are
not empty clean as that type; the types are tried from the most specific (an IBAN, an IMEI) to
the least (an amount), so ``4051301056`` is no phone number and ``TH`` is a country. Values
written as dates (``2026-08-17``) are tried as dates before phones, and decimal amounts
(``1932.00``) as amounts before account numbers: both clean as the other too (round a-56, F7).

A column of no value type whose sample values are mostly names a gazetteer knows
(``seed/gazetteers``: banks by any name, script or BIC; checkpoints; compounds, also written
``Kings Romans, Golden Triangle SEZ`` with the place after a comma) is a gazetteer column: the
draft resolves a checkpoint or compound column to the gazetteer's node (an entity whose ``id``
says ``resolve:``) and shows how a bank column keys its accounts (``resolve: bank``).
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from graphapi.ingest.identity.accounts import bank_entry
from graphapi.ingest.identity.gazetteer import gazetteer
from graphapi.ingest.mapping import draft_numbers as numbers
from graphapi.ingest.mapping.draft_accounts import (
    ACCOUNT_NAME,
    account_cleaner,
    account_entity,
    clean_wallet_address,
    currency_clean,
    wallet_entity,
)
from graphapi.ingest.mapping.draft_places import PLACES, bank_hint, place_entity
from graphapi.ingest.mapping.draft_text import one_line, yaml_text
from graphapi.ingest.mapping.header import numbered_columns, starts_with_data
from graphapi.ingest.mapping.values import _is_null
from graphapi.ingest.readers.csv_spans import sample_spans_lines
from graphapi.ontology import kept_by_loader, load_model
from graphapi.ontology.types import get_type

#: share of a column's non-empty sample values that must clean for a guess
SHARE = 0.8
#: a column of at most this many different sample values has them in Column.words (a code list)
FEW = 12
#: the draft's framing (docs/mappings.md, Files and rows), each saying what the other one means
SINGLE_LINE = ("  records: single-line   # a record is one line; multi-line: a quoted field may hold line breaks "
               "(notes, addresses)")
MULTI_LINE = ("  records: multi-line   # the sample has a line break inside a quoted field; single-line: a record "
              "is one line, and such a row is rejected")
_AMOUNT_NAME = re.compile(r"amount|amt|sum|value|total|price|fee", re.IGNORECASE)
#: a date written as one (2026-08-17, 17/08/2026 10:00): tried before a phone (+6620260817)
_DATED = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\S.*)?")
#: a decimal amount (1932.00, 1,490.56): tried before an account number's digit groups
_DECIMAL = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{1,2}")


@dataclass(frozen=True)
class Column:
    """One column of the file: its ``name``, the value ``type`` its sample values clean as (None:
    no guess), how many of the ``seen`` non-empty sample values cleaned, and one ``example``."""

    name: str
    type: str | None
    cleaned: int
    seen: int
    example: str
    #: the gazetteer its values name (bank, checkpoint, compound), how many did, and whether
    #: only the part before a comma did (``Jin Bei compound, Sihanoukville``)
    gazetteer: str | None = None
    known: int = 0
    before_comma: bool = False
    #: how many different sample values, and the few (at most :data:`FEW`) casefolded, or () if more
    distinct: int = 0
    words: tuple[str, ...] = ()
    #: no guess, but half or more of the values cleaned as a type: ``(type, how many)``, said in the draft
    near: tuple[str, int] | tuple[()] = ()


def _share(values: list[str], clean) -> int:
    n = 0
    for v in values:
        try:
            if clean(v) not in (None, ""):
                n += 1
        except (ValueError, TypeError):
            pass
    return n


def first_row(path: Path, delimiter: str = ",") -> list[str]:
    """The cells of ``path``'s first row (a header, or a row of a file without one)."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        return [h.strip() for h in next(csv.reader(fh, delimiter=delimiter), [])]


def guess_columns(path: Path, rows: int = 200, delimiter: str = ",", header: bool = True,
                  country: str | None = None) -> list[Column]:
    """The columns of ``path`` with the value type of each, guessed from its first ``rows`` rows;
    ``header=False``: the file has no header row, its columns are named ``"1"``, ``"2"``, ...;
    ``country``: the region of national-format phone numbers where the row's country column
    (:func:`~graphapi.ingest.mapping.draft_numbers.phone_country`) is empty or there is none."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        first = [h.strip() for h in next(reader, [])]
        sample = [cells for _, cells in zip(range(rows if header else rows - 1), reader, strict=False) if cells]
    if not header:
        sample.insert(0, first)
    header_cells = first if header else numbered_columns(len(first))
    by_column = {i: [c[i].strip() for c in sample if i < len(c) and c[i].strip() and not _is_null(c[i].strip())]
                 for i in range(len(header_cells))}
    countries = [i for i, vs in by_column.items() if vs and _share(vs, get_type("country").clean) >= SHARE * len(vs)]
    named = numbers.phone_country([header_cells[i] for i in countries])
    # no column of the numbers' country: the row's person's country, and in a column headed for
    # phones any country the file names, only to recognise the column (the hint is no person's)
    hint_col = header_cells.index(named) if named else None if country else countries[0] if countries else None
    regions = () if named or country else tuple(sorted(
        {get_type("country").clean(v) for i in countries for v in by_column[i]} - {None}))[:FEW]
    out = []
    for i, name in enumerate(header_cells):
        values = by_column[i]
        guess, cleaned, near = None, 0, ()
        if values:
            tried = (country,) if country else regions if numbers.PHONE_HEADER.search(name) else ()
            for type_name, clean in _candidates(name, values, sample, i, hint_col, tried):
                n = _share(values, clean)
                if n >= SHARE * len(values):
                    guess, cleaned, near = type_name, n, ()
                    break
                if 2 * n >= len(values) and n > (near[1] if near else 0):
                    near = (type_name, n)
        place = _gazetteer_guess(values) if values and guess is None else (None, 0, False)
        words = sorted({v.casefold() for v in values})
        out.append(Column(name, guess, cleaned, len(values), values[0] if values else "", *place,
                          distinct=len(set(values)), words=tuple(words) if len(words) <= FEW else (),
                          near=near if place[0] is None else ()))
    return out


def _resolver(kind: str):
    if kind == "bank":
        return bank_entry
    return gazetteer(f"{kind}s").resolve


def _gazetteer_guess(values: list[str]) -> tuple[str | None, int, bool]:
    """``(kind, known, before_comma)``: the gazetteer most of ``values`` name, how many do, and
    whether they do only by the part before a comma; ``(None, 0, False)`` if none does."""
    for before_comma in (False, True):
        texts = [v.split(",")[0].strip() for v in values] if before_comma else values
        for kind in ("bank", "checkpoint", "compound"):
            resolve = _resolver(kind)
            known = sum(resolve(v) is not None for v in texts)
            if known >= SHARE * len(values):
                return kind, known, before_comma
    return None, 0, False


def _candidates(name: str, values: list[str], sample: list[list[str]], i: int, hint_col: int | None,
                regions: tuple[str, ...] = ()):
    """``(type name, clean)`` to try on column ``i``, most specific first; a national-format phone
    number by its row's ``hint_col``, else by any of ``regions``."""
    phone = get_type("phone")
    hints = {c[i].strip(): c[hint_col].strip() for c in sample if hint_col is not None and len(c) > max(i, hint_col)}

    def clean_phone(v: str):
        if hints.get(v) and (number := phone.clean(v, country=hints[v])):
            return number
        return next((n for r in regions if (n := phone.clean(v, country=r))), None) or phone.clean(v)

    has_time = sum(":" in v for v in values) >= SHARE * len(values)
    when = ("datetime", get_type("datetime").clean) if has_time else ("date", get_type("date").clean)
    dated = sum(bool(_DATED.fullmatch(v)) for v in values) >= SHARE * len(values)
    decimal = sum(bool(_DECIMAL.fullmatch(v)) for v in values) >= SHARE * len(values)
    account = account_cleaner(name)
    yield "iban", get_type("iban").clean
    yield "imei", get_type("imei").clean
    yield "wallet", clean_wallet_address
    if ACCOUNT_NAME.search(name):  # a column named for accounts: its dashed numbers are no phones
        yield "accountNumber", account
    if numbers.is_document_header(name):  # passport_no: N1234567 (no phone, though a national id's digits may be)
        yield "documentNumber", get_type("documentNumber").clean
    if dated:  # dates written as dates first: 2026-08-17 is a Bangkok landline too
        yield when
    yield "phone", clean_phone
    if not dated:
        yield when
    if decimal:  # amounts first: 1932.00 is digit groups too
        yield "amount", get_type("float").clean
    yield "accountNumber", account  # after dates: 1990-05-12 is digit groups too
    if not re.search(r"chain|network", name, re.IGNORECASE):  # a wallet's chain (USDT, TRX) is no currency
        yield "currency", currency_clean  # before country: US$ is no country but the dollar
    yield "country", get_type("country").clean
    if _AMOUNT_NAME.search(name) or any("." in v or "," in v for v in values):
        yield "amount", get_type("float").clean


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
