"""One search key for the common Latin spellings of a Thai name (a-51b, F3; issue 12).

The loader spells a Thai name in the Royal Thai General System (RTGS, the spelling of passports:
:mod:`graphapi.ontology.types.script`), but people and many records write the same name in the
informal spellings Thais themselves use: `สมชาย ใจดี` is RTGS ``somchai chaidi`` and usually
"Somchai Jaidee", and a search for "Jaidee" found nothing. :func:`thai_spelling_key` folds the
letters where those spellings differ from RTGS to one form, so both spellings have one key:

- ``j`` is ``ch`` (จ: RTGS ``ch``, commonly ``j``: "Jaidee", "Jaroen" for ``charoen``);
- ``v`` is ``w`` (ว: "Vichai" for ``wichai``);
- ``ee`` and ``ii`` are ``i``, ``oo`` is ``u`` (long vowels: "Boonmee" for ``bunmi``), ``eu`` is
  ``ue`` (อึ: "Nareumon" for ``naruemon``);
- ``ph``, ``th``, ``kh`` are ``p``, ``t``, ``k`` (RTGS marks an aspirate with ``h``, common
  spellings often do not: "Sompong" for ``somphong``, "Sutep" for ``suthep``);
- ``ck`` is ``k`` ("Saowaluck"), ``rn`` is ``n`` and a word's last ``l`` is ``n`` (a final ร or ล
  sounds n, RTGS writes ``n``: "Sunthorn" for ``sunthon``, "Kamol" for ``kamon``);
- ``oe`` and ``er`` are ``e`` (เ-อ: "Prasert" and "Jarern" for ``prasoet``, ``charoen``), ``ay`` is
  ``ai`` ("Chaywat");
- a word's last ``d``, ``ch`` or ``s`` is ``t`` (a final stop sounds t, RTGS writes ``t``: "Pairoj"
  for ``phairot``, "Wutthiwad");
- a doubled letter is one ("Kittisak" and "Kitisak").

The key is a search form only, never shown: the loader stores the key of each RTGS spelling of a
Thai name beside the spelling (``searchLatin``), and a query in Latin letters also asks for its
own key (:func:`graphapi.investigate.search._words`), so "Somchai Jaidee", "Jaidee" and "Somchai
Jaidi" find `สมชาย ใจดี` as "Somchai Chaidi" does, at the rank of a Latin spelling. A name stored
in Latin letters gets no key: the key of "Somchai Chaidi" does not find a person stored only as
"Somchai Jaidee". Of the folds, RTGS itself writes ``oe`` and ``th``-like aspirates, never ``er``,
``ay`` or a final ``d``, ``ch``, ``s`` (those come from the common spellings only).
"""

from __future__ import annotations

import re

#: (informal, RTGS-side) letter groups, replaced in this order (``j`` before ``ph/th/kh`` is safe:
#: ``ch`` has no ``h`` after p, t or k; the long vowels before doubled letters are made one)
_FOLDS = (("j", "ch"), ("v", "w"), ("ee", "i"), ("ii", "i"), ("oo", "u"), ("eu", "ue"),
          ("ph", "p"), ("th", "t"), ("kh", "k"), ("ck", "k"), ("rn", "n"), ("oe", "e"), ("er", "e"),
          ("ay", "ai"))
_DOUBLED = re.compile(r"([a-z])\1+")
_FINAL_STOP = re.compile(r"(?<=.)(?:d|ch|s)$")


def _fold_word(word: str) -> str:
    for informal, rtgs in _FOLDS:
        word = word.replace(informal, rtgs)
    word = _FINAL_STOP.sub("t", _DOUBLED.sub(r"\1", word))
    return word[:-1] + "n" if len(word) > 1 and word.endswith("l") else word


def thai_spelling_key(spelling: str) -> str:
    """The key of a lower-case ASCII spelling (words apart by one space), word by word (see the
    module docstring).

    >>> thai_spelling_key("somchai jaidee"), thai_spelling_key("somchai chaidi")
    ('somchai chaidi', 'somchai chaidi')
    """
    return " ".join(_fold_word(w) for w in spelling.split())
