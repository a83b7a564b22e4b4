"""One spelling of a Burmese text for search: Zawgyi-era text in Unicode, marks in Unicode's order.

The same Burmese name reaches Lintas spelled several ways that look alike on screen:

- **Zawgyi**: the font encoding most Burmese text was typed in before 2019 stores the vowel sign
  E (U+1031 ေ) before its consonant, uses the virama U+1039 for the asat U+103A and its own code
  points for medial and stacked forms ("မင္းေအာင္လိႈင္" for "မင်းအောင်လှိုင်", Min Aung Hlaing).
  Such text is recognised by what Unicode text never holds (:func:`looks_zawgyi`: a virama that
  stacks no consonant; a medial before its consonant) and converted by ICU's CLDR ``Zawgyi-my``
  transform; an E sign before its consonant alone (Zawgyi text of open syllables, or Unicode text
  typed in Zawgyi's order) is moved after its consonant.
- **Mark order**: Unicode text typed with marks in another order ("လှုိင်": vowel sign U before
  I; a vowel E before a medial) shows the same; its marks are put in the storage order of
  Unicode Technical Note #11 ("Representing Myanmar in Unicode", table 9: stacked consonant,
  medials Y R W H, vowel E, upper vowels, lower vowels, AA, anusvara, dot below, asat, visarga),
  after NFC.
- **Look-alike digits**: the digit zero U+1040 ၀ for the letter WA U+101D ဝ, and the digit
  seven U+1047 ၇ for the letter RA U+101B ရ, where the digit stands among letters.

What this does not cover: the customary romanisations of Burmese name syllables that
``name_spellings.tsv`` does not hold (``latin_forms`` gives them one per-letter spelling), and
Mon or Shan text (none of this is applied to them differently: their letters carry no Zawgyi
sign and their marks follow the same order).
"""

from __future__ import annotations

import re
import threading
import unicodedata

import icu

_LOCAL = threading.local()
_MYANMAR = re.compile(r"[\u1000-\u109f]")
#: a base a Unicode E sign or medial follows: a consonant, an independent vowel, GREAT SA
_BASE = "\u1000-\u102a\u103f\u104e\u1050-\u1055\u105a-\u105d\u1061\u1065\u1066\u106e-\u1070\u1075-\u1081\u108e"
_MEDIAL = "\u103b-\u103e\u105e-\u1060\u1082"
#: U+1031 after no base nor medial (nor a stacked consonant): Zawgyi's E before its consonant
_ZAWGYI_E = re.compile(rf"(?:^|[^{_BASE}{_MEDIAL}])\u1031")
#: U+1039 followed by a sign (a visarga, a dot below, a vowel sign): Zawgyi's asat ("မင္း"); not
#: one followed by a blank or nothing, which may be Unicode cut before its stacked consonant (a
#: prefix typed, "ကမ္" of "ကမ္ဘော", or ICU's words of it joined by blanks, "က မ္ ဘော"); a medial
#: sign after no base: Zawgyi's medial RA (U+103B), stored before its consonant
_ZAWGYI_ONLY = re.compile(rf"\u1039(?=[\u102b-\u1038\u103a-\u103e])|(?:^|[^{_BASE}{_MEDIAL}\u1031])[\u103b-\u103e]")
#: U+1039 at the end: Zawgyi's asat in a text that also has Zawgyi's E first ("ေအာင္")
_FINAL_VIRAMA = re.compile(r"\u1039$")
#: an E sign before its consonant (and the consonant's stacked consonant or medials)
_E_FIRST = re.compile(rf"\u1031([{_BASE}](?:\u1039[\u1000-\u1021]|[{_MEDIAL}])*)")
#: a base, then its marks (a stacked consonant, U+1039 + consonant, is one mark)
_MARKS = ("\u102b-\u103e\u1056-\u1059\u105e-\u1060\u1062-\u1064\u1067-\u106d\u1071-\u1074\u1082-\u108d"
          "\u108f\u109a-\u109d")
_CLUSTER = re.compile(rf"([{_BASE}])((?:\u1039[\u1000-\u1021]|[{_MARKS}])+)")
#: UTN #11 storage order of the marks after a base (lower first); others keep their place after these
_RANK = {"\u1039": 1, "\u103b": 2, "\u103c": 3, "\u103d": 4, "\u103e": 5, "\u1031": 6, "\u102d": 7, "\u102e": 7,
         "\u1032": 7, "\u102f": 8, "\u1030": 8, "\u102b": 9, "\u102c": 9, "\u1036": 10, "\u1037": 11, "\u103a": 12,
         "\u1038": 13}
#: a mark: kinzi (asat, virama and the consonant it stacks: "င်္ဂ"), a stacked consonant, or one sign
_MARK = re.compile(r"\u103a\u1039[\u1000-\u1021]|\u1039[\u1000-\u1021]|.", re.DOTALL)
#: a look-alike digit among letters: the digit zero for WA, seven for RA
_LOOKALIKE = {"\u1040": "\u101d", "\u1047": "\u101b"}
_DIGIT_AMONG_LETTERS = re.compile(r"(?<=[\u1000-\u103f])[\u1040\u1047]|[\u1040\u1047](?=[\u1000-\u103f])")


def has_myanmar(text: str) -> bool:
    """True if ``text`` holds a character of the Myanmar block (U+1000 to U+109F)."""
    return _MYANMAR.search(text) is not None


def looks_zawgyi(text: str) -> bool:
    """True if ``text`` holds what Unicode Burmese never does and Zawgyi does: a virama (U+1039)
    followed by a sign (Zawgyi's asat before a visarga or dot below, "မင္း"), a medial sign after
    no consonant (Zawgyi's medial RA, typed first), or a virama at the end of a text with
    Zawgyi's E first ("ေအာင္", Aung). A virama at the end or before a blank alone may be Unicode
    cut before its stacked consonant ("ကမ္" of "ကမ္ဘော"), and an E sign before its consonant
    alone a Unicode text typed in Zawgyi's order: :func:`fold_myanmar` moves the E after its
    consonant either way. So a Zawgyi text whose finals all stand before a blank, a consonant or
    its end, without an E first (``သိန္တန္``), is not told apart: its search words stay its own."""
    return _ZAWGYI_ONLY.search(text) is not None or bool(_FINAL_VIRAMA.search(text) and _ZAWGYI_E.search(text))


def _zawgyi_to_unicode(text: str) -> str:
    # ICU transliterators are not safe to share between threads: one per thread.
    converter = getattr(_LOCAL, "zawgyi", None)
    if converter is None:
        converter = _LOCAL.zawgyi = icu.Transliterator.createInstance("Zawgyi-my")
    return converter.transliterate(text)


def _in_order(match: re.Match[str]) -> str:
    marks = _MARK.findall(match[2])
    return match[1] + "".join(sorted(marks, key=lambda m: 0 if len(m) == 3 else _RANK.get(m[0], 14)))


def fold_myanmar(text: str) -> str:
    """``text`` with its Burmese in one spelling (module docstring): Zawgyi converted, marks in
    UTN #11 order, look-alike digits among letters read as the letters. Text without a Myanmar
    character is returned as it is."""
    if not has_myanmar(text):
        return text
    if looks_zawgyi(text):
        text = _zawgyi_to_unicode(text)
    elif _ZAWGYI_E.search(text):  # E typed first, in Zawgyi text without a final or Unicode text alike
        text = _E_FIRST.sub(lambda m: m[1] + "\u1031", text)
    text = unicodedata.normalize("NFC", text)
    text = _DIGIT_AMONG_LETTERS.sub(lambda m: _LOOKALIKE[m[0]], text)
    return _CLUSTER.sub(_in_order, text)
