"""A currency rate table: approximate amounts in one common currency (USD) for money trails.

The table is data (``seed/rates/usd.yaml``, provenance in its README), or the file that
``LINTAS_RATES_FILE`` names: units of each currency per 1 USD, an ``asOf`` date, a source per
rate. An amount in a currency without a rate has no approximate value (None), never a guess.
Read once per process, on first use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from graphapi.ontology.types.registry import clean_value
from graphapi.resources import SEED
from graphapi.settings import get_settings

#: The shipped table (``LINTAS_RATES_FILE`` unset).
SHIPPED = SEED / "rates" / "usd.yaml"


class RateTableError(ValueError):
    """A rate table that cannot be read: names the file and the entry."""


@dataclass(frozen=True)
class Rate:
    """Units of a currency per 1 USD, of the date ``as_of``, published by ``source``."""

    per_unit: float
    as_of: str
    source: str


@dataclass(frozen=True)
class RateTable:
    """``currency`` (the common one: ``USD``) and a :class:`Rate` per currency code."""

    currency: str
    rates: dict[str, Rate] = field(default_factory=dict)

    def convert(self, amount: float | None, currency: str | None) -> tuple[float, Rate] | None:
        """``amount`` of ``currency`` in the table's currency (rounded to cents), with the rate
        used; None where the amount or currency is missing, the table has no rate for it, or the
        converted amount is past a float (attack round 11, M2: 1.79e308 EUR made every reader's
        trail fail to serialise)."""
        rate = self.rates.get(currency or "")
        if amount is None or rate is None:
            return None
        value = round(amount / rate.per_unit, 2)  # cents: the rate itself has three figures
        return (value, rate) if math.isfinite(value) else None


def _code(value: object, path: Path, where: str) -> str:
    code = clean_value("currency", value) if isinstance(value, str) else None
    if not isinstance(code, str):
        raise RateTableError(f"{path}: {where} {value!r} is no ISO 4217 code or crypto ticker")
    return code


def read_table(path: Path) -> RateTable:
    """The rate table in the YAML file ``path`` (form: ``seed/rates/README.md``). Raises
    RateTableError naming the file and the entry for anything else."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RateTableError(f"{path}: cannot read the rate table ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("rates"), dict):
        raise RateTableError(f"{path}: a rate table is a mapping with `asOf`, `currency` and `rates`")
    base = _code(doc.get("currency"), path, "currency")
    if base != "USD":  # the field names and descriptions say USD; another base is not read as one
        raise RateTableError(f"{path}: currency must be USD (rates are perUsd), got {base!r}")
    as_of = str(doc.get("asOf") or "")
    rates = {}
    for key, entry in doc["rates"].items():
        code = _code(key, path, "rate")
        entry = entry if isinstance(entry, dict) else {}
        per_unit = entry.get("perUsd")
        if isinstance(per_unit, bool) or not isinstance(per_unit, int | float) or not (
                math.isfinite(per_unit) and per_unit > 0):
            raise RateTableError(f"{path}: rate {key!r} needs a positive perUsd, got {per_unit!r}")
        rate_as_of = str(entry.get("asOf") or as_of)
        if not rate_as_of:
            raise RateTableError(f"{path}: rate {key!r} has no asOf date, nor has the table")
        rates[code] = Rate(float(per_unit), rate_as_of, str(entry.get("source") or ""))
    return RateTable(base, rates)


@cache
def rate_table() -> RateTable:
    """The process's rate table: ``LINTAS_RATES_FILE``, else the shipped one."""
    return read_table(get_settings().rates_file or SHIPPED)
