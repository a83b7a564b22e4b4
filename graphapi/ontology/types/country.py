"""Countries as ISO 3166-1 alpha-2 codes ("MM", "KH", "VG").

Source: ISO 3166-1 via ``pycountry`` (alpha-2, alpha-3, short, official and common names), plus
the names that sanctions lists and partner data actually use: historical ("Burma", "Kampuchea"),
inverted ("Korea, South", "Virgin Islands, British"), colloquial ("UK", "Russia"). ``XK``
(Kosovo, user-assigned in ISO 3166-1) is accepted as OFAC and FollowTheMoney use it.
Matching ignores case, accents, punctuation and a leading or trailing "the".
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pycountry
from normality import ascii_text

from graphapi.ontology.types.base import ValueType, text_of

#: Names outside pycountry's vocabulary -> alpha-2. Keys are written as :func:`_key` makes them.
ALIASES = {
    "burma": "MM", "union of burma": "MM", "korea south": "KR", "south korea": "KR",
    "korea north": "KP", "north korea": "KP", "dprk": "KP", "laos": "LA", "lao pdr": "LA",
    "vietnam": "VN", "taiwan": "TW", "republic of china": "TW", "macau": "MO", "hong kong sar": "HK",
    "macau sar": "MO", "british virgin islands": "VG", "bvi": "VG", "russia": "RU", "iran": "IR",
    "uk": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "usa": "US", "america": "US",
    "united states of america": "US", "kampuchea": "KH", "ceylon": "LK", "siam": "TH",
    "syria": "SY", "turkey": "TR", "ivory coast": "CI", "swaziland": "SZ", "macedonia": "MK",
    "czech republic": "CZ", "holland": "NL", "cape verde": "CV", "east timor": "TL",
    "zaire": "CD", "democratic republic of the congo": "CD", "congo kinshasa": "CD",
    "congo brazzaville": "CG", "republic of the congo": "CG", "vatican": "VA",
    "vatican city": "VA", "palestine": "PS", "brunei": "BN", "micronesia": "FM",
    "saint kitts": "KN", "st kitts and nevis": "KN", "st lucia": "LC",
    "st vincent and the grenadines": "VC", "kosovo": "XK", "bolivia": "BO", "venezuela": "VE",
    "tanzania": "TZ", "moldova": "MD", "china mainland": "CN", "prc": "CN",
    "peoples republic of china": "CN", "uae": "AE", "emirates": "AE",
}

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
    index.update(ALIASES)
    return index


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
        text = text_of(value)
        return _index().get(_key(text)) if text else None
