"""Free text that names a victim, redacted: document titles, relationship properties.

A victim's node has its fields blanked (:mod:`graphapi.security.redaction`), but prose elsewhere
("Rescue interview of Nguyen Van An") names them too. :class:`NameScrubber` replaces, in any
text, each whole-word occurrence of a known victim's name, alias, passport, id or tax number,
phone number (E.164 and national digits) or bank account number and IBAN with ``[redacted]``;
the numbers also as prose spaces them ("+84 91 234 5678", "091-234-5678", "0011 0044 55667",
"GB82 WEST 1234 ...": digits and letters compared with the blanks, dashes, dots, slashes and
brackets between them dropped, the whole number only). Words are compared normalised
(ASCII-folded, lower case: "Nguyễn Văn An" and "NGUYEN van an" both match), always as a whole
run of words ("Van" alone is not "Nguyen Van An"); a name of two or more words is also found written
as one word ("nguyenvanan", "NGUYENVANAN", "nguyễnvănan") when that word has at least 8 letters. A
one-word name shorter than 6 letters is not used (an alias "Lucky" would blank every "lucky").

Where: only text that can be about the victim, the victim's neighbourhood (statement
``security/victim_names``): a Document linked to the victim or to a case the victim is in, and the
properties of a relationship touching the victim. Other entities' text is never rewritten, so a
loader cannot blank another agency's "Zhao Wei" by naming its own victim so (name-scrubber
poisoning). Whose names: only victims next to what the response shows (ids asked per response
level), at most 20 names and aliases each; a victim hidden from the reader is not looked for, since
hidden data never changes what the reader sees. Names the graph does not know (a misspelling, a
nickname no source recorded) are not found: no rule finds a name nobody wrote down.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import phonenumbers
from normality import ascii_text

from graphapi.security.principal import Principal
from graphapi.store import GraphStore

MARK = "[redacted]"
#: A word: letters and digits. ``_`` joins words (a file named ``NGUYEN_VAN_AN.pdf``), as do case
#: changes (``NguyenVanAn``: :func:`_fused`).
_WORD = re.compile(r"[^\W_]+")
_MIN_SINGLE = 6
#: Shortest fused name (a name of 2+ words written as one: ``nguyenvanan``) looked for: "Li Na" as
#: "lina" or "Sun Day" as "sunday" would blank ordinary words.
_MIN_FUSED = 8
#: A number in prose is written with blanks, dashes, dots, slashes or brackets between its digits
#: ("+84 91 234 5678", "091-234-5678", "GB82 WEST 1234 ..."): up to 3 of them between two characters.
_SEPARATORS = r"[\s\-./()]{0,3}"
#: Shortest number (characters once compacted) looked for with separators: a 4-digit one would blank years.
_MIN_NUMBER = 6


def _compact(value: str) -> str:
    return "".join(ch for ch in value if ch.isalnum()).upper()


def _numbers_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern finding each identifier among ``names`` (a value with a digit, at least
    :data:`_MIN_NUMBER` letters and digits) however it is spaced in prose, as a whole (no letter or
    digit on either side), an E.164 number with its ``+`` or ``00`` too; None without one."""
    numbers = {_compact(n) for n in names if any(ch.isdigit() for ch in n)}
    numbers = {n for n in numbers if len(n) >= _MIN_NUMBER}
    if not numbers:
        return None
    alternatives = []
    for number in sorted(numbers, key=len, reverse=True):
        body = _SEPARATORS.join(re.escape(ch) for ch in number)
        lead = r"(?:(?:\+|00)" + _SEPARATORS + ")?" if number[0].isdigit() else ""
        alternatives.append(lead + body)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])", re.IGNORECASE)


def _fused(word: str) -> list[tuple[int, int]]:
    """The spans of the words a case change joins in ``word`` (CamelCase: ``NguyenVanAn`` is
    Nguyen, Van, An; ``NGUYENVanAN`` is NGUYEN, Van, AN); the whole word when there is none."""
    rest = word[1:]
    if rest == rest.lower() or word.isupper():  # no capital after the first letter, or all capitals
        return [(0, len(word))]
    cuts = [0] + [i for i in range(1, len(word)) if word[i].isupper() and (
        word[i - 1].islower() or (word[i - 1].isupper() and i + 1 < len(word) and word[i + 1].islower()))]
    return list(zip(cuts, [*cuts[1:], len(word)], strict=True))


def _words(text: str) -> list[tuple[str, int, int]]:
    """``(normalised word, start, end)`` per word of ``text`` (:data:`_WORD`, cut at case changes);
    a word that folds to several (a CJK name transliterated) gives each, all with the original
    word's span."""
    out = []
    for m in _WORD.finditer(text):
        for start, end in _fused(m.group()):
            word, start, end = m.group()[start:end], m.start() + start, m.start() + end
            if word.isascii():  # the common case, and ascii_text is slow
                out.append((word.lower(), start, end))
                continue
            for w in _WORD.findall((ascii_text(word) or word).lower()):
                out.append((w, start, end))
    return out


class NameScrubber:
    """Redacts known names in text; build it once per request from :func:`victim_names`."""

    def __init__(self, names: Iterable[str]) -> None:
        names = [str(n) for n in names]
        seqs: dict[str, set[tuple[str, ...]]] = {}
        for name in names:
            seq = tuple(w for w, _, _ in _words(str(name)))
            if not seq or (len(seq) == 1 and len(seq[0]) < _MIN_SINGLE):
                continue
            seqs.setdefault(seq[0], set()).add(seq)
            fused = "".join(seq)
            if len(seq) > 1 and len(fused) >= _MIN_FUSED:  # one lower- or upper-case word: _fused keeps it whole
                seqs.setdefault(fused, set()).add((fused,))
        #: first word -> word runs starting with it, longest first
        self._runs = {k: sorted(v, key=len, reverse=True) for k, v in seqs.items()}
        #: the identifiers among the names, spaced as prose writes them
        self._numbers = _numbers_pattern(names)

    def __bool__(self) -> bool:
        return bool(self._runs) or self._numbers is not None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of ``text`` that name a victim, in order, not overlapping."""
        found = self._name_spans(text)
        if self._numbers is not None:
            found += [m.span() for m in self._numbers.finditer(text)]
        merged: list[tuple[int, int]] = []
        for start, end in sorted(found):
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def _name_spans(self, text: str) -> list[tuple[int, int]]:
        words = _words(text)
        out: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            for run in self._runs.get(words[i][0], ()):
                if tuple(w for w, _, _ in words[i:i + len(run)]) == run:
                    out.append((words[i][1], words[i + len(run) - 1][2]))
                    i += len(run)
                    break
            else:
                i += 1
        return out

    def scrub(self, text: str, mark: str = MARK) -> str:
        """``text`` with every victim's name replaced by ``mark``."""
        for start, end in reversed(self.spans(text)):
            text = text[:start] + mark + text[end:]
        return text

    def scrub_value(self, value: Any) -> tuple[Any, bool]:
        """``(value scrubbed, changed?)`` for a str, a list of str or a map of them; others as given."""
        if type(value) is str:
            out = self.scrub(value)
            return out, out != value
        if isinstance(value, list):
            pairs = [self.scrub_value(v) for v in value]
            return [v for v, _ in pairs], any(c for _, c in pairs)
        if isinstance(value, Mapping):
            pairs2 = {k: self.scrub_value(v) for k, v in value.items()}
            return {k: v for k, (v, _) in pairs2.items()}, any(c for _, c in pairs2.values())
        return value, False


def _with_national_numbers(names: Iterable[str]) -> list[str]:
    """``names`` and, for each E.164 phone number, its national forms ("+84912345678" is also
    written "0912345678" and "912345678" in a CDR title)."""
    out = []
    for name in names:
        out.append(name)
        if name.startswith("+"):
            try:
                number = phonenumbers.parse(name)
            except phonenumbers.NumberParseException:
                continue
            national = phonenumbers.national_significant_number(number)
            out += [national, "0" + national]
    return out


async def victim_names(store: GraphStore, principal: Principal, ids: Iterable[str]) -> dict[str, NameScrubber]:
    """Per id among ``ids`` whose text may name a victim ``principal`` may see (a Document in a
    victim's neighbourhood, a victim Person), a scrubber for those victims' names; one round trip."""
    unique = list(dict.fromkeys(ids))
    if not unique:
        return {}
    rows = await store.read("security/victim_names", {"ids": unique, **principal.cypher_params()})
    out = {str(r["id"]): NameScrubber(_with_national_numbers(str(n) for n in r["names"] or [])) for r in rows}
    return {k: v for k, v in out.items() if v}
