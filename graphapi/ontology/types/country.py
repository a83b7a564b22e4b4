"""Countries as ISO 3166-1 alpha-2 codes ("MM", "KH", "VG").

Source: ISO 3166-1 via ``pycountry`` (alpha-2, alpha-3, short, official and common names), plus
the names that sanctions lists and partner data actually use: historical ("Burma", "Kampuchea"),
inverted ("Korea, South", "Virgin Islands, British"), colloquial ("UK", "Russia"). ``XK``
(Kosovo, user-assigned in ISO 3166-1) is accepted as OFAC and FollowTheMoney use it.
Matching ignores case, accents, punctuation and a leading or trailing "the".

The alias table ``seed/countries/aliases.yaml`` (and a deployment's, named by
``LINTAS_COUNTRY_ALIASES``) adds official long forms, historic names ("Union of Myanmar",
"Democratic Kampuchea") and names in the region's scripts ("พม่า", "မြန်မာ", "កម្ពុជា", "老挝"):
Latin names are matched as above, others after NFKC and case folding, without blanks.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import yaml
from normality import ascii_text

from graphapi.ontology.types.base import ValueType, code_text

#: Display names where pycountry's short name is not the one analysts use.
NAMES = {
    "XK": "Kosovo", "TW": "Taiwan", "VG": "British Virgin Islands", "VI": "US Virgin Islands",
    "KR": "South Korea", "KP": "North Korea",
}

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHE = re.compile(r"['`\u2018\u2019\u02bc]")


def _key(text: str) -> str:
    """Fold ``text`` for matching: ASCII, lower-case, punctuation dropped, no leading "the"."""
    folded = _APOSTROPHE.sub("", ascii_text(_APOSTROPHE.sub("", text)) or "").lower()
    key = _NOT_WORD.sub(" ", folded).strip()
    key = re.sub(r"^the |\bthe$", "", key).strip()
    return re.sub(r"\s+", " ", key)


@cache
def _index() -> dict[str, str]:
    """Build the folded-name -> alpha-2 table once."""
    index: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        names = [country.alpha_2, country.alpha_3, country.name]
        names += [getattr(country, a, None) or "" for a in ("official_name", "common_name")]
        for name in names:
            if not name:
                continue
            index.setdefault(_key(name), code)
            head, sep, tail = name.partition(", ")
            if sep:  # "Korea, Republic of" -> "Republic of Korea"
                index.setdefault(_key(f"{tail} {head}"), code)
    index.update({"xk": "XK", "xkx": "XK"})
    for name, code in _table_names():
        if _latin(name):
            index[_key(name)] = code
    return index


#: The alias table shipped in ``seed/`` (see the module docstring).
SEED_ALIASES = Path(__file__).resolve().parents[3] / "seed" / "countries" / "aliases.yaml"
_BLANKS = re.compile(r"\s+")


def _table_names() -> list[tuple[str, str]]:
    """(name, alpha-2) of the alias tables: the seed's, then ``LINTAS_COUNTRY_ALIASES``'s."""
    out: list[tuple[str, str]] = []
    for path in (SEED_ALIASES, *filter(None, os.environ.get("LINTAS_COUNTRY_ALIASES", "").split(":"))):
        path = Path(path)
        if not path.exists():
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        groups = [doc, *(v for v in doc.values() if isinstance(v, dict))]  # a section of codes
        for group in groups:
            for code, names in group.items():
                if isinstance(names, list):
                    out += [(str(n), str(code).upper()) for n in names]
    return out


def _latin(name: str) -> bool:
    """True if every letter of ``name`` is Latin (``Lào``): it is matched by its ASCII fold."""
    return all(not ch.isalpha() or ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in name)


def _script_key(text: str) -> str:
    return _BLANKS.sub("", unicodedata.normalize("NFKC", text).casefold())


@cache
def _script_index() -> dict[str, str]:
    """Names in scripts other than Latin (``พม่า``) -> alpha-2, by :func:`_script_key`."""
    return {_script_key(name): code for name, code in _table_names() if not _latin(name)}


def country_name(code: str) -> str | None:
    """Return the English common name of an alpha-2 code ("MM" -> "Myanmar"), else ``None``."""
    code = (code or "").strip().upper()
    if code in NAMES:
        return NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


class CountryType(ValueType):
    """A country: ISO 3166-1 alpha-2, upper-case."""

    name = "country"

    def clean(self, value: Any, **hints: Any) -> str | None:
        text = code_text(value)
        if not text:
            return None
        if not text.isascii() and (code := _script_index().get(_script_key(text))):
            return code
        return _index().get(_key(text))
