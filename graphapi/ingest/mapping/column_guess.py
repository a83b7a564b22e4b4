"""What each column of a partner file holds, guessed from a sample of its values with the
ontology's value types (:func:`guess_columns`), for :mod:`graphapi.ingest.mapping.draft`: a value
type when most non-empty values (:data:`SHARE`) clean as it, tried from the most specific (an IBAN,
an IMEI) to the least (an amount); dates written as dates before phones and decimal amounts before
account numbers (round a-56, F7); else a gazetteer most values name (banks, checkpoints, compounds).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from graphapi.ingest.identity.accounts import bank_entry
from graphapi.ingest.identity.gazetteer import gazetteer
from graphapi.ingest.mapping import draft_numbers as numbers
from graphapi.ingest.mapping.draft_accounts import ACCOUNT_NAME, account_cleaner, clean_wallet_address, currency_clean
from graphapi.ingest.mapping.header import numbered_columns
from graphapi.ingest.mapping.values import _is_null
from graphapi.ontology.types import get_type

#: share of a column's non-empty sample values that must clean for a guess
SHARE = 0.8
#: a column of at most this many different sample values has them in Column.words (a code list)
FEW = 12
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
