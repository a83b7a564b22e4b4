"""The customary Latin spellings of Burmese, Khmer and Lao names, from a table of their syllables.

Per-letter romanisation (anyascii, BGN/PCGN) spells ហ៊ុន សែន "hon saen" and အောင်ကျော်
"aaung kyaw"; people write "Hun Sen" and "Aung Kyaw". ``name_spellings.tsv`` beside this module
(its header says where the spellings come from) holds the customary spellings of frequent name
syllables and words; :func:`customary_forms` spells a name with them.

A name part (a run between spaces) is cut entirely into syllables of the table, the fewest
possible, or else each of its ICU words is; a word that cannot be cut so keeps its per-letter
spelling (anyascii). Cutting the whole part, not taking the longest syllable first, keeps a
syllable from being read off the start of another ("မြ", Mya, in "မြန်"). Each part is given
twice: its syllables apart (Burmese habit, "aung san suu kyi") and together (Khmer and Lao
habit, "thongloun sisoulith"), with each syllable's first spelling, and again with its last
where it has more than one ("htun" and "tun").
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from pathlib import Path

from anyascii import anyascii

from graphapi.ontology.types.myanmar import fold_myanmar

_TABLE = Path(__file__).with_name("name_spellings.tsv")
#: Syllables of a table key at most (a key is one syllable or word, a few code points each).
_MAX_KEY = 12


@functools.cache
def spellings() -> dict[str, tuple[str, ...]]:
    """The table: a syllable or word as written (NFC, Burmese in one spelling) -> its Latin
    spellings, the most common first."""
    table: dict[str, tuple[str, ...]] = {}
    for line in _TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        _script, written, latin = line.split("\t")
        key = fold_myanmar(unicodedata.normalize("NFC", written))
        table[key] = tuple(s.strip().lower() for s in latin.split(","))
    return table


def _cut(text: str) -> list[tuple[str, ...]] | None:
    """``text`` cut entirely into table keys, the fewest (their spellings), or None."""
    table = spellings()
    best: list[list[tuple[str, ...]] | None] = [None] * (len(text) + 1)
    best[0] = []
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - _MAX_KEY), end):
            before = best[start]
            found = table.get(text[start:end])
            if before is not None and found is not None and (best[end] is None or len(before) + 1 < len(best[end])):
                best[end] = [*before, found]
    return best[-1]


def _part_spellings(part: str, words: list[str]) -> list[tuple[str, ...]] | None:
    """The spellings of one name part, given its ICU words; None if no syllable is known."""
    whole = _cut(part)
    if whole is not None:
        return whole
    cut = [_cut(word) for word in words]
    if all(c is None for c in cut):
        return None
    return [s for word, c in zip(words, cut, strict=True) for s in (c or [(anyascii(word).lower(),)])]


def customary_forms(text: str, words_of: Callable[[str], list[str]]) -> list[str]:
    """The customary Latin spellings of a Burmese, Khmer or Lao name ``text`` (folded: NFC, one
    Burmese spelling), lower-case; empty if none of its syllables is in the table.
    ``words_of``: the ICU words of a part (:func:`graphapi.ontology.types.script.search_words`)."""
    text = unicodedata.normalize("NFC", text)
    parts = [_part_spellings(p, words_of(p)) for p in text.split()]
    if all(p is None for p in parts):
        return []
    chunks = [p or [(anyascii(raw).lower(),)] for p, raw in zip(parts, text.split(), strict=True)]
    forms = []
    for pick in (0, -1):
        syllables = [[s[pick] for s in chunk] for chunk in chunks]
        forms.append(" ".join(" ".join(c) for c in syllables))
        forms.append(" ".join("".join(c) for c in syllables))
    return list(dict.fromkeys(forms))
