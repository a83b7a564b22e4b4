"""Characters that are not seen: removed from names and from search words alike.

Unicode's default-ignorable code points (``Default_Ignorable_Code_Point``: zero-width space,
non-joiner and joiner, word joiner, byte order mark, soft hyphen, variation selectors, tag
characters, the bidi embeddings, overrides and isolates ...) draw nothing, yet a word break and a
full-text engine cut a word at them: "Zw<U+200B>Name1" was indexed as "zw" and "name1", so what
an analyst types, "ZwName1", found nothing, and a name could dodge screening with one invisible
character (attack round 23, C3). A bidi override shows a name reversed in every caption; removed
too. :func:`drop_invisible` removes them; the loader's names
(:class:`graphapi.ontology.types.name.NameType`), the search fields and the query's words
(:mod:`graphapi.ontology.types.script`, :mod:`graphapi.investigate.search`) all go through it,
so both sides agree.

One exception: Thai, Lao, Khmer and Burmese are written without spaces, and a zero-width space
there is the writer's word break (ICU breaks at it too), as a zero-width non-joiner or joiner is
part of a Burmese or Khmer spelling (ids keep them for that: docs/security.md). One of U+200B,
U+200C, U+200D with a letter of one of those scripts on either side (the nearest visible
character) stays, one for a run of the same character, in a word written in those scripts
only: in a word with a Latin letter or digit it goes like any other ("Zw<U+200B>กName1" is
"ZwกName1", as typed; ICU does not cut "สมชายJohn" either).
"""

from __future__ import annotations

import re
import unicodedata

ZWSP = "\u200b"
#: Kept beside a letter of a script written without spaces (see the module docstring).
_BREAKS = frozenset({ZWSP, "\u200c", "\u200d"})
#: Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode 15), and every other format
#: character (general category Cf: U+FFF9-FFFB, the hieroglyph format controls U+13430-1343F, ...
#: drew nothing and hid a name from screening too: attack round 27, F3).
_DEFAULT_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff")


def _format_characters() -> str:
    planes = (range(0x20000), range(0xE0000, 0xE1000))
    return "".join(re.escape(chr(c)) for plane in planes for c in plane if unicodedata.category(chr(c)) == "Cf")


_IGNORABLE = re.compile(f"[{_DEFAULT_IGNORABLE}{_format_characters()}]")
#: Characters that draw a blank where a space would be (the blank braille pattern): a space.
_BLANKS = re.compile("[\u2800]")
#: Scripts written without spaces between words, whose zero-width space is a word break.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\ua9e0-\ua9ff\uaa60-\uaa7f]")


def drop_invisible(text: str) -> str:
    """``text`` without its default-ignorable code points, but for a zero-width space, non-joiner
    or joiner beside a Thai, Lao, Khmer or Burmese letter in a word of those scripts only (see
    the module docstring)."""
    if text.isascii():
        return text
    text = _BLANKS.sub(" ", text)
    if not _IGNORABLE.search(text):
        return text
    return "".join(_in_word(word) if _IGNORABLE.search(word) else word for word in _words_and_gaps(text))


def strip_invisible(text: str) -> str:
    """``text`` without any default-ignorable or format character, a Thai word break too: for
    values cleaned or compared as codes and keys (a document number, a value map's word, a
    country), where nothing invisible is part of the value; names keep theirs by
    :func:`drop_invisible`."""
    return text if text.isascii() else _IGNORABLE.sub("", text)


def _words_and_gaps(text: str) -> list[str]:
    """``text`` cut into its words (letters, marks, digits and the invisible characters between
    them) and the runs of spaces and punctuation between them, in order."""
    out: list[str] = []
    start, in_word = 0, None
    for i, ch in enumerate(text):
        word = unicodedata.category(ch)[0] in "LMN" or _IGNORABLE.match(ch) is not None
        if word is not in_word and i:
            out.append(text[start:i])
            start = i
        in_word = word
    return [*out, text[start:]]


def _in_word(word: str) -> str:
    """``word`` (or a run of spaces and punctuation) without its invisible characters, but for a
    break beside an unspaced letter when every visible character of the word is of those
    scripts: inside a Latin word a zero-width space beside a Thai letter was kept, and cut
    "Zw<U+200B>กName1" into words no one typing "ZwกName1" finds (attack round 27, F4)."""
    parts = _IGNORABLE.split(word)  # the visible runs around each invisible character
    marks = _IGNORABLE.findall(word)
    if not all(_unspaced(ch) for part in parts for ch in part):
        return "".join(parts)
    following = [""] * len(parts)  # the first visible character from parts[i] on
    for i in range(len(parts) - 1, -1, -1):
        following[i] = parts[i][:1] or (following[i + 1] if i + 1 < len(parts) else "")
    out, last = [parts[0]], parts[0][-1:]
    for i, mark in enumerate(marks):
        if mark in _BREAKS and out[-1] != mark and (_unspaced(last) or _unspaced(following[i + 1])):
            out.append(mark)
        if parts[i + 1]:
            out.append(parts[i + 1])
            last = parts[i + 1][-1]
    return "".join(out)


def _unspaced(ch: str) -> bool:
    return bool(ch) and _UNSPACED.match(ch) is not None
