"""Which SDN entry a name in another entry's Remarks means: a ``Linked To: NAME.`` target, a vessel's
owner or an aircraft's operator.

A name is compared by :func:`sdn_key`: NFKC, then its search words (``ontology/types/script``:
letters and digits of every script, lower case) joined by one space, so ``PRINCE GROUP CO. LTD..``
meets ``Prince Group Co Ltd`` and ``贝塔集团`` keeps its letters (a key of ASCII letters only made
every name in another script the key ``""``: it linked to the first entry with any such alias), and
``KO SANG`` is not ``KOS ANG`` (words joined with no separator linked them: attack round 31b).
Single letters in a row are one word, however dotted or spaced: ``OMEGA S.A.``, ``OMEGA S. A.``
and ``OMEGA SA`` meet, as do ``TAU L.L.C.`` and ``TAU LLC``, and ``LEE, J.H.`` and ``LEE, J. H.``
(the dots made single-letter words, so ``SA`` met neither; joining only dotted initials then lost
the spaced ones: attack round 34, 4). Digits are no letters (``1.5`` stays two words). The words
as written are looked at first, so ``ABC LTD`` and ``A B C LTD``, two entries, each keep their own
links (joined, a link to either named both: round 35, 2).

Entries' own names are looked at first, their aliases only when no entry bears the name. A name
two entries bear (namesakes with different dates of birth are common on the full list) names
neither: the reader links it to no entry and says so (attack round 31; ambiguous checkpoint names
resolve to none the same way, ``identity/gazetteer``). An entry's own name in its own Remarks means
the other bearer, when there is one other: by name, else by alias (an entry that alone bears the
name was left unlinked and untold though another had it as an alias: round 31b).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from graphapi.ontology.types.script import search_words


def _words(name: str) -> list[str]:
    return [w.casefold() for w in search_words(unicodedata.normalize("NFKC", name))]


def sdn_key(name: str) -> str:
    """The comparison key of an SDN name ("" for a name with no letter or digit)."""
    words: list[str] = []
    run = False  # the last word is single letters joined so far
    for word in _words(name):
        single = len(word) == 1 and word.isalpha()
        if single and run:
            words[-1] += word  # a run of single letters is one word: S.A., S. A., J. H.
        else:
            words.append(word)
        run = single
    return " ".join(words)


def _exact_key(name: str) -> str:
    """The key of a name's words as written, single letters apart (``a b c ltd``)."""
    return " ".join(_words(name))


class SdnNames:
    """The names and aliases of a list's entries, by the words as written first (``A B C LTD`` and
    ``ABC LTD`` may be two entries), then by :func:`sdn_key`."""

    def __init__(self) -> None:
        # names as written, names by key, aliases as written, aliases by key: a name before any alias
        self._indexes: tuple[dict[str, list[str]], ...] = ({}, {}, {}, {})

    def add(self, entry_id: str, name: str, aliases: Iterable[str]) -> None:
        """Index one entry's name and aliases."""
        exact_names, names, exact_aliases, keyed_aliases = self._indexes
        for index, texts, key_of in ((exact_names, [name], _exact_key), (names, [name], sdn_key),
                                     (exact_aliases, aliases, _exact_key), (keyed_aliases, aliases, sdn_key)):
            for text in texts:
                if (key := key_of(text)) and entry_id not in (ids := index.setdefault(key, [])):
                    ids.append(entry_id)

    def bearers(self, name: str, asking: str) -> list[str]:
        """The entries ``name`` may mean, seen from entry ``asking``: by their names first, else by
        their aliases, each as written and then by :func:`sdn_key` (an alias never beats another
        entry's name written with other dots: round 36); ``asking`` itself only if it
        alone bears the name. One entry is the one meant; several, a name that means none; none, a
        name the list has no entry of."""
        own = False  # ``asking`` bears it: its own name means another bearer, by alias if no name
        exact, key_ = _exact_key(name), sdn_key(name)
        for index, key in zip(self._indexes, (exact, key_, exact, key_), strict=True):
            ids = index.get(key) or []
            if others := [i for i in ids if i != asking]:
                return others
            own = own or asking in ids
        return [asking] if own else []
