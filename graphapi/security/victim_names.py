"""Free text that names a victim, redacted: document titles, relationship properties.

A victim's node has its fields blanked (:mod:`graphapi.security.redaction`), but prose elsewhere
("Rescue interview of Nguyen Van An") names them too. :class:`NameScrubber` replaces, in any
text, each whole-word occurrence of a known victim's name, alias, passport, id or tax number or
phone number (E.164 and national digits) with
``[redacted]``. Words are compared normalised (ASCII-folded, lower case: "Nguyễn Văn An" and
"NGUYEN van an" both match), always as a whole run of words ("Van" alone is not "Nguyen Van An").
A one-word name shorter than 6 letters is not used (an alias "Lucky" would blank every "lucky").

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
_WORD = re.compile(r"\w+", re.UNICODE)
_MIN_SINGLE = 6


def _words(text: str) -> list[tuple[str, int, int]]:
    """``(normalised word, start, end)`` per word of ``text``; a word that folds to several
    (a CJK name transliterated) gives each, all with the original word's span."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group()
        if word.isascii():  # the common case, and ascii_text is slow
            out.append((word.lower(), m.start(), m.end()))
            continue
        for w in _WORD.findall((ascii_text(word) or word).lower()):
            out.append((w, m.start(), m.end()))
    return out


class NameScrubber:
    """Redacts known names in text; build it once per request from :func:`victim_names`."""

    def __init__(self, names: Iterable[str]) -> None:
        seqs: dict[str, set[tuple[str, ...]]] = {}
        for name in names:
            seq = tuple(w for w, _, _ in _words(str(name)))
            if not seq or (len(seq) == 1 and len(seq[0]) < _MIN_SINGLE):
                continue
            seqs.setdefault(seq[0], set()).add(seq)
        #: first word -> word runs starting with it, longest first
        self._runs = {k: sorted(v, key=len, reverse=True) for k, v in seqs.items()}

    def __bool__(self) -> bool:
        return bool(self._runs)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of ``text`` that name a victim, in order, not overlapping."""
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
