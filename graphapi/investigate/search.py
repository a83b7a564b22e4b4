"""Full-text search over names, aliases and identifier values, visible entities only.

The index holds each entity's ``caption``, ``searchText`` (names and their search words,
identifiers and their variants: phone national / international / digits-only forms) and
``searchLatin`` (the names' Latin spellings), so a phone typed as ``081 234 5678``,
``+66 81 234 5678`` or ``0812345678`` finds ``+66812345678``, and ``Somsak`` finds
``สมศักดิ์ ใจดี`` (:mod:`graphapi.ontology.types.script`, docs/ontology.md "Search in every script").

The user's text never reaches the full-text engine as syntax: it is cut into words by the same
ICU segmentation the loader used (letters, marks and digits only), each word becomes a prefix
term (a word over 100 characters is matched whole: Lucene refuses longer prefix automata), all
words of one reading must match. The readings: its search words, its words as written, its
Latin spellings, the digits of a number typed with spaces, and its words with one typo each.
Ranking never uses the engine's score: a TF-IDF score moves with every document in the index,
those the reader may not see too. The relevance is computed from the visible entity's own
properties and the query alone (:func:`ranking_params`): 3 for a whole name as written in the
query's own script or a whole identifier, 2.5 for a whole name through a Latin spelling, 2 when
every query word is a whole word of the entity, 1.5 when every word is a whole word of a Latin
spelling, 1 for a prefix or typo match; ties by caption, then id. Paging is by offset in that
order (the cursor encodes it), so a page, its cursor and its scores change only when visible
data does.

For a principal without ``victim-data``, victims and their phones and accounts
(:mod:`graphapi.security.redaction`) never match: the statement leaves them out before paging,
so no page, cursor or ``hasNextPage`` counts them and no filter tells their attributes. Documents
in a victim's neighbourhood (linked to the victim or to a case the victim is in) never match either,
whatever the text: the query itself never depends on victims' names, so no query (a name, a prefix
of one) tells whether a name is a victim's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graphapi.errors import InvalidArgument
from graphapi.investigate import cursors
from graphapi.investigate.args import check_labels, check_range, few
from graphapi.investigate.matching import query_identifier_keys
from graphapi.ontology.types import get_type
from graphapi.ontology.types.invisible import drop_invisible
from graphapi.ontology.types.script import has_ideograph, name_key, query_latin_forms, search_words, written_words
from graphapi.security import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.store import GraphStore, Node
from graphapi.store.records import node_from_map
from graphapi.store.search_audience import reader_tokens
from graphapi.store.search_prefixes import PREFIX_MAX

#: RediSearch ignores prefix terms shorter than 2 characters (MINPREFIX); Lucene does not care.
_MIN_PREFIX = 2
#: A longer word is matched whole, not as a prefix: Lucene builds a prefix term's automaton one
#: state per character and refuses one over 1,000 ("input automaton is too large").
_MAX_PREFIX = 100
#: The fields a whole word is looked up in on the embedded store (a prefix: searchPrefixes).
_WHOLE_FIELDS = "caption|searchText|searchLatin"
#: The fields a word is looked up in on Neo4j (``entity_search`` also holds searchAudience).
_WORD_FIELDS = ("caption", "searchText", "searchLatin")
#: A word this long or longer is also matched with one typo (shorter ones would match too much).
_MIN_FUZZY = 5
MAX_FIRST = 100
#: A search's text at most (a name, a number, an address: what an analyst types).
MAX_SEARCH_CHARS = 256
#: Distinct words in a search's text at most.
MAX_SEARCH_WORDS = 16
#: Deepest offset a search cursor may reach (Elasticsearch's max_result_window is the same idea):
#: relevance paging that deep is a crawl, and the engine would rank every hit to serve it.
MAX_OFFSET = 10_000
#: Hits counted at most (``totalCount``; ``totalCountCapped`` past it), as Aleph and OpenSanctions
#: cap their totals: every hit counted goes through the victim checks (graph traversals), which
#: ``search/fulltext`` runs on the ranked hits in order until this many are kept. At 10,000 a broad
#: word (40,000 visible matches) held a FalkorDB thread 4-7 s for the checks alone; at 1,000, 0.2 s.
COUNT_CAP = 1_000


@dataclass(frozen=True)
class SearchHit:
    """One match: the visible node and its relevance (3 whole match, 2.5 whole Latin spelling,
    2 all words whole, 1.5 all words of a Latin spelling whole, 1 prefix or typo)."""

    node: Node
    score: float


@dataclass(frozen=True)
class SearchPage:
    """A page of hits, best first; ``end_cursor`` continues after the last hit; ``total``: visible
    hits, all pages, at most ``COUNT_CAP`` (``capped`` if there are more)."""

    hits: list[SearchHit]
    has_next: bool
    end_cursor: str | None
    total: int = 0
    capped: bool = False


def encode_cursor(offset: int) -> str:
    """Opaque cursor for a search offset."""
    return cursors.encode("search", str(offset))


def decode_cursor(cursor: str | None) -> int:
    """The offset in a search cursor (0 for None); InvalidArgument if it is not one of ours."""
    return cursors.decode_offset("search", cursor, MAX_OFFSET, "search")


def _lucene(term: str) -> str:
    """``term`` in each field of the words (never searchAudience: a word may not find an entity by
    its audience tokens), as Lucene's multi-field parser expands an unqualified term."""
    return "(" + " OR ".join(f"{field}:{term}" for field in _WORD_FIELDS) + ")"


def _terms(tokens: list[str], prefix: bool, dialect: str) -> list[str]:
    if dialect != "falkordb":
        return [_lucene(f"{t}*" if prefix and _MIN_PREFIX <= len(t) <= _MAX_PREFIX else t) for t in tokens]
    # RediSearch expands ``t*`` into at most 200 indexed words, hidden ones too: a prefix is an
    # exact (quoted: not stemmed) term of the edge n-gram field instead; a longer one by its
    # first PREFIX_MAX characters, the rest checked in search/fulltext. A field-qualified term of
    # underscores only is a RediSearch syntax error (unqualified, the engine ignored it): dropped.
    return [f'@searchPrefixes:"{t[:PREFIX_MAX]}"' if prefix and _MIN_PREFIX <= len(t) <= _MAX_PREFIX
            else f'@{_WHOLE_FIELDS}:"{t}"' for t in tokens if t.strip("_")]


def _fuzzy_terms(tokens: list[str], dialect: str) -> list[str]:
    """One typo (an edit distance of 1) allowed in each word of ``_MIN_FUZZY`` characters or
    more without a digit (a number one digit off is another number), the others as prefixes:
    RediSearch ``%word%``, Lucene ``word~1``."""
    return [(f"@{_WHOLE_FIELDS}:%{t}%" if dialect == "falkordb" else _lucene(f"{t}~1"))
            if _MIN_FUZZY <= len(t) <= _MAX_PREFIX and not any(ch.isdigit() for ch in t)
            else _terms([t], True, dialect)[0] for t in tokens]


@dataclass(frozen=True)
class _Words:
    """What a query text may be matched by: ``native`` word lists (its search words, as written,
    a number's digits, a phone's E.164 digits) and ``latin`` ones (its Latin spellings)."""

    native: list[list[str]]
    latin: list[list[str]]


def check_search_text(text: str) -> str:
    """``text`` if a search may take it: at most ``MAX_SEARCH_CHARS`` characters and
    ``MAX_SEARCH_WORDS`` distinct words, else InvalidArgument. The engine's work grows with the
    words (each a prefix, a typo and a Latin term), cannot be interrupted, and the Thai words'
    transliteration runs in the request (attack round 5: 300 repeated Thai words held the store
    for a minute; 1.8 MB of them the API worker)."""
    if len(text) > MAX_SEARCH_CHARS:
        raise InvalidArgument(f"text is longer than {MAX_SEARCH_CHARS} characters")
    if len(set(search_words(text))) > MAX_SEARCH_WORDS:
        raise InvalidArgument(f"text has more than {MAX_SEARCH_WORDS} distinct words")
    return text


def _words(text: str) -> _Words:
    """The word lists of ``text`` (both empty without a word): ICU search words and the words as
    written (a prefix of a Thai word the dictionary does not know), the digits of a number typed
    with spaces, a phone's E.164 digits; and its Latin spellings
    (:mod:`graphapi.ontology.types.script`), also of the text with its hyphens dropped. A word
    given twice is one word (the query asks for each once)."""
    tokens = list(dict.fromkeys(search_words(check_search_text(text))))
    if not tokens:
        return _Words([], [])
    native = [tokens]
    written = list(dict.fromkeys(written_words(text)))
    if written != tokens and not has_ideograph(text):  # Lucene indexes ideographs one by one
        native.append(written)
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(tokens) > 1 and len(digits) >= 5:
        native.append([digits])
        joined = "".join(ch for ch in text if ch.isalnum())  # "k 998 8776": the passport K9988776
        if joined != digits:
            native.append(list(dict.fromkeys(search_words(joined))))
    phone = get_type("phone").clean(text)
    if phone:
        native.append([phone.lstrip("+")])
    latin = [list(dict.fromkeys(form.split())) for form in query_latin_forms(text)]
    if "-" in text:  # "Chan-o-cha" is how the press writes the RTGS "chanocha"
        joined = text.replace("-", "")
        native.append(list(dict.fromkeys(search_words(joined))))
        latin += [list(dict.fromkeys(form.split())) for form in query_latin_forms(joined)]
    return _Words(native, list(map(list, dict.fromkeys(map(tuple, latin)))))


def build_query(text: str, dialect: str, *, prefix: bool = True) -> str | None:
    """The engine query for ``text`` (RediSearch for falkordb, Lucene for neo4j), or None if
    ``text`` has no searchable token. ``prefix=False``: whole words only (hit / no-hit); else
    words match as prefixes, and the search words also with one typo per long word."""
    found = _words(text)
    if not found.native:
        return None
    joiner = " " if dialect == "falkordb" else " AND "
    groups = [joiner.join(_terms(ws, prefix, dialect)) for ws in found.native + found.latin]
    if prefix:
        groups.append(joiner.join(_fuzzy_terms(found.native[0], dialect)))
    groups = ["(" + g + ")" for g in dict.fromkeys(g for g in groups if g)]
    if not groups:
        return None
    return " | ".join(groups) if dialect == "falkordb" else " OR ".join(groups)


def for_reader(query: str, agency: str | None, dialect: str) -> str:
    """``query`` restricted to the entities a reader of ``agency`` may see, in the index itself:
    ANDed with the reader's audience tokens (:mod:`graphapi.store.search_audience`), so the
    engine never reads a hidden match and a search's time does not grow with them (attack round
    26, G2). The statement still checks visibility after the index."""
    tokens = reader_tokens(agency)
    if dialect == "falkordb":
        return f"({query}) @searchAudience:({'|'.join(tokens)})"
    return f"({query}) AND searchAudience:({' OR '.join(tokens)})"


def ranking_params(text: str) -> dict[str, Any]:
    """The query side of the relevance that ``search/fulltext`` computes per visible entity:
    ``phrases`` (the whole text as a name, as written: its search words joined by one space),
    ``latinPhrases`` (its Latin spellings), ``keys`` (the whole text as an identifier,
    :func:`graphapi.investigate.matching.query_identifier_keys`), ``wordsets`` and
    ``latinWordsets`` (the word lists of :func:`_words`, each to be found as whole words)."""
    found = _words(text)
    return {
        "phrases": [name_key(text)] if found.native else [],
        "latinPhrases": [" ".join(ws) for ws in found.latin],
        "keys": query_identifier_keys(text),
        "wordsets": found.native,
        "latinWordsets": found.latin,
    }


async def search(
    store: GraphStore,
    principal: Principal,
    text: str,
    labels: Sequence[str] | None = None,
    countries: Sequence[str] | None = None,
    first: int = 20,
    after: str | None = None,
    timeout_ms: int | None = None,
) -> SearchPage:
    """Search visible entities by name, alias or identifier.

    ``labels``: keep entities with any of these ontology labels (e.g. ``Person``, ``Phone``);
    ``countries``: ISO 3166-1 alpha-2 codes or names (``Burma`` -> MM) the entity is tied to;
    ``first``: 1..100 hits per page; ``after``: cursor from a previous page; ``timeout_ms``: the
    statement's time limit if shorter than the store's (``LINTAS_SEARCH_TIMEOUT_MS``).
    Raises InvalidArgument for empty text, unknown labels or countries, or ``first`` out of range.
    """
    check_range("first", first, 1, MAX_FIRST)
    text = drop_invisible(text or "")  # as the index holds names: "Zw<U+200B>Name1" is ZwName1 (C3)
    query = build_query(text, store.dialect)
    if query is None:
        raise InvalidArgument("text must contain at least one letter or digit")
    codes = None
    if countries is not None:
        country = get_type("country")
        codes = [country.clean(c) for c in countries]
        if None in codes:
            bad = [c for c, code in zip(countries, codes, strict=True) if code is None]
            raise InvalidArgument(f"unknown countries {few(bad)}; use ISO 3166-1 codes")
    skip = decode_cursor(after)
    [found] = await store.read(
        "search/fulltext",
        {
            "query": for_reader(query, principal.agency, store.dialect),
            **ranking_params(text),
            "labels": check_labels(labels),
            "countries": codes,
            "skip": skip,
            "limit": first + 1,
            "ranked": max(COUNT_CAP + 1, skip + first + 1),
            "victimData": may_see_victims(principal),
            **principal.cypher_params(),
        },
        timeout_ms=timeout_ms,
    )
    rows = found["hits"]
    hits = [SearchHit(node_from_map(r["node"]), float(r["score"])) for r in rows[:first]]
    has_next = len(rows) > first
    total = int(found["total"])
    return SearchPage(hits=hits, has_next=has_next, end_cursor=encode_cursor(skip + len(hits)) if hits else None,
                      total=min(total, COUNT_CAP), capped=total > COUNT_CAP)
