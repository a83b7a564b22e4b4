"""Names in any script of the region as search words and as Latin spellings.

One cut of a text into words, used alike when the loader fills the search fields and when a
query is read, so both sides agree on the words of a name written without spaces:

- :func:`search_words`: ICU's word break rules (``BreakIterator``, root locale; dictionary-based
  for Thai, Lao, Khmer, Burmese and Chinese, whose words are not separated by spaces), lower-case,
  NFC. A Chinese or Japanese ideograph is a word of its own: Lucene's standard analyzer indexes
  ideographs one by one, and a name part or prefix then matches whatever the dictionary made of
  its context. Combining vowel and tone marks stay inside their word ("สมศักดิ์" is one word; a
  ``\\w`` regex cut it at every mark).
- :func:`latin_forms`: the Latin (lower-case ASCII) spellings a user may type for a name, from
  well-kept transliterators: ICU ``Any-Latin; Latin-ASCII`` for every script; ICU's BGN/PCGN
  ``Russian-Latin/BGN`` for Cyrillic ("Тестовый" -> "testovyy"); the Royal Thai General System
  for Thai, the spelling of Thai passports and press ("สมศักดิ์" -> "somsak"), twice: by
  PyThaiNLP's ``royin`` rules and by its ``thai2rom_onnx`` model, right where the rules are
  wrong ("ประเสริฐ" -> "prasoet", not "praserit"); Hanyu Pinyin (ICU ``Han-Latin/Names``) for
  Chinese, also with the given name's syllables written together ("张测试" -> "zhang ceshi");
  ``anyascii`` for Khmer and Lao, which ICU does not romanise; the key of the common informal
  spellings of a Thai name (:mod:`graphapi.ontology.types.thai_spellings`: "Somchai Jaidee" and
  RTGS "somchai chaidi" have one), which :func:`query_latin_forms` asks for; and for Burmese, Khmer and Lao
  the customary spellings of their frequent name syllables
  (:mod:`graphapi.ontology.types.name_spellings`: ហ៊ុន សែន -> "hun sen", not only "hon saen").

Invisible characters go first (:func:`graphapi.ontology.types.invisible.drop_invisible`: a
zero-width space or a tag character inside a Latin name is no word break), and Burmese is read
in one spelling (:func:`graphapi.ontology.types.myanmar.fold_myanmar`):
Zawgyi-era text converted to Unicode, marks in Unicode's storage order, so the same name typed
either way has the same words.

Not covered: the customary spellings of Burmese, Khmer and Lao name syllables the table does
not hold (they keep their per-letter spelling); Cantonese, Hokkien or Wade-Giles
readings of Chinese names; Vietnamese names typed in Chinese characters.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from collections.abc import Iterable

import icu
from anyascii import anyascii

from graphapi.ontology.types.invisible import drop_invisible
from graphapi.ontology.types.myanmar import fold_myanmar
from graphapi.ontology.types.name_spellings import customary_forms
from graphapi.ontology.types.thai_model import MODEL_MAX_LETTERS, THAI_RUN, model_spellings, shipped_royin
from graphapi.ontology.types.thai_spellings import thai_spelling_key

_LOCAL = threading.local()
#: ICU word-break rule statuses below this mark spaces and punctuation (UBRK_WORD_NONE_LIMIT).
_WORD_NONE_LIMIT = 100
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def _is_ideograph(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f"


def has_ideograph(text: str) -> bool:
    """True if ``text`` holds a Chinese or Japanese ideograph."""
    return any(_is_ideograph(ch) for ch in text)


def _has(text: str, first: str, last: str) -> bool:
    return any(first <= ch <= last for ch in text)


def _breaker() -> icu.BreakIterator:
    # A BreakIterator holds its text: one per thread (the loader and the API run in threads).
    breaker = getattr(_LOCAL, "breaker", None)
    if breaker is None:
        breaker = _LOCAL.breaker = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    return breaker


def _segments(text: str) -> list[str]:
    """ICU's words of ``text`` (NFC), case kept, spaces and punctuation left out."""
    text = unicodedata.normalize("NFC", text)
    breaker = _breaker()
    breaker.setText(text)
    out: list[str] = []
    start = breaker.first()
    for end in breaker:
        if breaker.getRuleStatus() >= _WORD_NONE_LIMIT:
            out.append(text[start:end])
        start = end
    return out


def _word_parts(text: str) -> list[str]:
    """``text`` cut at every character that is not a letter, mark or digit (an apostrophe inside
    "O'Brien": both engines cut there too), lower-case (a dotted capital I as i, not as i and a
    combining dot: the ranking's Cypher folds it so on both backends, attack round 22, N5)."""
    parts: list[str] = []
    run = ""
    for ch in text.replace("\u0130", "I").lower():
        if unicodedata.category(ch)[0] in "LMN":
            run += ch
        elif run:
            parts.append(run)
            run = ""
    return [*parts, run] if run else parts


def written_words(text: str) -> list[str]:
    """The lower-case words of ``text`` as written: cut at spaces and punctuation only, never
    at a mark. A prefix of a Thai word the dictionary does not know ("สมศั") is one of these."""
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())
    return _word_parts(unicodedata.normalize("NFC", fold_myanmar(drop_invisible(text))))


def search_words(text: str) -> list[str]:
    """The lower-case search words of ``text``: ICU words, each ideograph a word of its own.

    >>> search_words("สมศักดิ์ใจดี, 张测试")
    ['สม', 'ศักดิ์', 'ใจดี', '张', '测', '试']

    ASCII text needs neither ICU nor the ideograph rule: ICU never breaks inside a run of ASCII
    letters and digits, and every other ASCII character cuts a word here, so its words are its
    runs of letters and digits (the same answer, a tenth of the time: names and phone numbers
    of most feeds are ASCII).
    """
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())
    # an invisible character is no word break (but a zero-width space in Thai: invisible.py);
    # Zawgyi-era and reordered Burmese: one spelling
    text = fold_myanmar(drop_invisible(text))
    out: list[str] = []
    for word in (part for segment in _segments(text) for part in _word_parts(segment)):
        if has_ideograph(word):
            run = ""
            for ch in word:
                if _is_ideograph(ch):
                    out.extend([run, ch] if run else [ch])
                    run = ""
                else:
                    run += ch
            if run:
                out.append(run)
        else:
            out.append(word)
    return out


def name_key(text: str) -> str:
    """The search words of ``text`` joined by one space: a whole name as written ("" without a word)."""
    return " ".join(search_words(text))


def _transliterator(rules: str) -> icu.Transliterator:
    # ICU transliterators are not safe to share between threads: one set per thread.
    made = getattr(_LOCAL, "transliterators", None)
    if made is None:
        made = _LOCAL.transliterators = {}
    if rules not in made:
        made[rules] = icu.Transliterator.createInstance(rules)
    return made[rules]


def _ascii_words(text: str) -> str:
    return " ".join(_ASCII_WORD.findall(text.lower()))




#: The RTGS spellings (royin, model) of the Thai chunks seen, by chunk: given names and surnames
#: repeat across a load. Cleared whole when full (a load's batches bring their chunks again).
_THAI_FORMS: dict[str, tuple[str, str]] = {}
_THAI_FORMS_MAX = 65_536


def _thai_chunk_forms(chunk: str) -> tuple[str, str]:
    """RTGS spellings of one space-free chunk of Thai text: PyThaiNLP's ``royin`` rules and its
    ``thai2rom_onnx`` model."""
    hit = _THAI_FORMS.get(chunk)
    return hit if hit is not None else _spell_thai_chunks([chunk])[chunk]


def _spell_thai_chunks(chunks: list[str]) -> dict[str, tuple[str, str]]:
    """The RTGS spellings of ``chunks``, the model run once over all the new ones' Thai runs
    (:mod:`graphapi.ontology.types.thai_model`: a word alone costs it ten times the CPU); a chunk
    that is one word of the shipped table takes both spellings from it."""
    out = {chunk: _THAI_FORMS[chunk] for chunk in chunks if chunk in _THAI_FORMS}
    new = [chunk for chunk in dict.fromkeys(chunks) if chunk not in out]
    if not new:
        return out
    runs = {chunk: THAI_RUN.findall(chunk) for chunk in new}
    spelled = model_spellings(run for found in runs.values() for run in found if len(run) <= MODEL_MAX_LETTERS)
    rules = shipped_royin()
    if len(_THAI_FORMS) + len(new) > _THAI_FORMS_MAX:
        _THAI_FORMS.clear()
    for chunk in new:
        model = " ".join(spelled[run] if len(run) <= MODEL_MAX_LETTERS else _royin(run) for run in runs[chunk])
        royin = rules.get(chunk, chunk if chunk.isascii() else None)  # royin keeps ASCII ("2") as it is
        out[chunk] = _THAI_FORMS[chunk] = (_royin(chunk) if royin is None else royin, model)
    return out


def _royin(text: str) -> str:
    """PyThaiNLP's ``royin`` rules. It loads its dictionary on first use: only for Thai names.
    Offline, it never tries to fetch a corpus."""
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    from pythainlp.transliterate import romanize

    return romanize(text, engine="royin")


def prepare_latin_forms(texts: Iterable[str]) -> None:
    """Spell the Thai name parts of ``texts`` not yet spelled, all at once, so the
    :func:`latin_forms` of each text that follow find them: the loader calls it with a batch's
    names. Costs nothing without Thai text (the model is not even started)."""
    chunks = [chunk for text in texts if not text.isascii()
              for folded in [fold_myanmar(drop_invisible(text))] if _has(folded, "\u0e00", "\u0e7f")
              for chunk in folded.split() if chunk not in _THAI_FORMS]
    if chunks:
        _spell_thai_chunks(chunks)


def _thai_rtgs(text: str) -> list[str]:
    """Two RTGS spellings of ``text``: PyThaiNLP's ``royin`` rules, which spell many common names
    as no one writes them ("ประเสริฐ" -> "praserit", "เจริญ" -> "cherin"), and its seq2seq model
    ``thai2rom_onnx`` trained on RTGS spellings ("prasoet", "charoen", as passports and the press
    write them). Both are kept: a user may type either. (Its ``lookup`` engine's dictionary holds
    loanwords, "graph", "copy", not names: it gave royin's answer for every name tried.)"""
    chunks = [_thai_chunk_forms(chunk) for chunk in text.split()]
    return [" ".join(c[0] for c in chunks), " ".join(c[1] for c in chunks)]


def _pinyin_forms(text: str) -> list[str]:
    """Pinyin of a Chinese name: syllables apart, the given name's syllables together
    (surname first, as "Zhang Ceshi" and "Chen Zhi" are written), and all together."""
    chunks = [_transliterator("Han-Latin/Names; Latin-ASCII").transliterate(c).lower().split()
              for c in text.split()]
    apart = " ".join(s for chunk in chunks for s in chunk)
    given = " ".join(" ".join([c[0], "".join(c[1:])]) if len(c) > 1 else "".join(c) for c in chunks)
    together = " ".join("".join(c) for c in chunks)
    return [apart, given, together]


def query_latin_forms(text: str) -> list[str]:
    """The Latin spellings a query asks for: its :func:`latin_forms`, and for a query in Latin
    letters also their Thai spelling key (:mod:`graphapi.ontology.types.thai_spellings`: "Somchai
    Jaidee" asks for ``somchai chaidi`` too, the key the loader stored for `สมชาย ใจดี`)."""
    forms = latin_forms(text)
    if not text.isascii():
        return forms
    return list(dict.fromkeys([*forms, *(w for w in map(thai_spelling_key, forms) if w)]))


def latin_forms(text: str) -> list[str]:
    """The distinct lower-case ASCII spellings of ``text`` a user may type (see the module doc);
    empty for a text without a letter or digit. ASCII text is its own only spelling: its words,
    lower-case (what the transliterators would give back)."""
    if text.isascii():
        words = " ".join(_ASCII_WORD.findall(text.lower()))
        return [words] if words else []
    text = fold_myanmar(drop_invisible(text))
    forms: list[str] = []
    generic = " ".join(_transliterator("Any-Latin; Latin-ASCII").transliterate(s) for s in _segments(text))
    forms.append(generic)
    if _has(text, "\u0400", "\u04ff"):
        forms.append(_transliterator("Russian-Latin/BGN; Latin-ASCII").transliterate(text))
    if _has(text, "\u0e00", "\u0e7f"):  # RTGS, and the key of the common spellings (thai_spellings)
        rtgs = _thai_rtgs(text)
        forms.extend([*rtgs, *(thai_spelling_key(_ascii_words(f)) for f in rtgs)])
    if has_ideograph(text):
        forms.extend(_pinyin_forms(text))
    if _has(text, "\u0e80", "\u0eff") or _has(text, "\u1780", "\u17ff") or _has(text, "\u1000", "\u109f"):
        forms.append(anyascii(text))
        forms.extend(customary_forms(text, search_words))
    words = (_ascii_words(f) for f in forms)
    return [w for w in dict.fromkeys(words) if w]
