"""Full-text search over names, aliases and identifier values, visible entities only.

The index holds each entity's ``caption`` and ``searchText`` (names, aliases, identifiers and
their variants: phone national / international / digits-only forms, ascii-folded names), so a
phone typed as ``081 234 5678``, ``+66 81 234 5678`` or ``0812345678`` finds ``+66812345678``.

The user's text never reaches the full-text engine as syntax: it is cut into word tokens
(letters and digits only), each token becomes a prefix term (on Neo4j also the whole word, which
scores higher), all tokens must match; the
digits of the whole text joined together are an alternative (a number typed with spaces).
Paging is by offset (the cursor encodes it): relevance order is not stable under inserts
anyway, as in Aleph and OpenSanctions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from normality import ascii_text

from graphapi.errors import InvalidArgument
from graphapi.investigate import cursors
from graphapi.investigate.args import check_labels, check_range
from graphapi.ontology.types import get_type
from graphapi.security import Principal
from graphapi.store import GraphStore, Node
from graphapi.store.records import node_from_map

_TOKEN = re.compile(r"\w+", re.UNICODE)
#: RediSearch ignores prefix terms shorter than 2 characters (MINPREFIX); Lucene does not care.
_MIN_PREFIX = 2
#: A longer word is matched whole, not as a prefix: Lucene builds a prefix term's automaton one
#: state per character and refuses one over 1,000 ("input automaton is too large").
_MAX_PREFIX = 100
MAX_FIRST = 100
#: Deepest offset a search cursor may reach (Elasticsearch's max_result_window is the same idea):
#: relevance paging that deep is a crawl, and the engine would rank every hit to serve it.
MAX_OFFSET = 10_000


@dataclass(frozen=True)
class SearchHit:
    """One match: the visible node and the engine's relevance score (higher is better)."""

    node: Node
    score: float


@dataclass(frozen=True)
class SearchPage:
    """A page of hits, best first; ``end_cursor`` continues after the last hit."""

    hits: list[SearchHit]
    has_next: bool
    end_cursor: str | None


def encode_cursor(offset: int) -> str:
    """Opaque cursor for a search offset."""
    return cursors.encode("search", str(offset))


def decode_cursor(cursor: str | None) -> int:
    """The offset in a search cursor (0 for None); InvalidArgument if it is not one of ours."""
    if cursor is None:
        return 0
    value = cursors.decode("search", cursor)
    if value is None or not value.isdigit() or int(value) > MAX_OFFSET:
        raise InvalidArgument(f"after is not a valid search cursor (at most {MAX_OFFSET} hits deep)")
    return int(value)


def _terms(tokens: list[str], dialect: str) -> list[str]:
    prefix = [_MIN_PREFIX <= len(t) <= _MAX_PREFIX for t in tokens]
    if dialect == "falkordb":
        return [f"{t}*" if p else t for t, p in zip(tokens, prefix, strict=True)]
    # Lucene gives a prefix term a constant score: the whole word beside it (scored by BM25)
    # makes an exact match outrank a word that merely starts with it ("chen": Chen before Chenda).
    return [f"({t} OR {t}*)" if p else t for t, p in zip(tokens, prefix, strict=True)]


def build_query(text: str, dialect: str) -> str | None:
    """The engine query for ``text`` (RediSearch for falkordb, Lucene for neo4j), or None if
    ``text`` has no searchable token."""
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    if not tokens:
        return None
    alternatives = [tokens]
    folded = [t.lower() for t in _TOKEN.findall(ascii_text(text) or "")]
    if folded and folded != tokens:
        alternatives.append(folded)
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(tokens) > 1 and len(digits) >= 5:
        alternatives.append([digits])
    phone = get_type("phone").clean(text)
    if phone:
        alternatives.append([phone.lstrip("+")])
    joiner = " " if dialect == "falkordb" else " AND "
    groups = ["(" + joiner.join(_terms(alt, dialect)) + ")" for alt in alternatives]
    return " | ".join(groups) if dialect == "falkordb" else " OR ".join(groups)


async def search(
    store: GraphStore,
    principal: Principal,
    text: str,
    labels: Sequence[str] | None = None,
    countries: Sequence[str] | None = None,
    first: int = 20,
    after: str | None = None,
) -> SearchPage:
    """Search visible entities by name, alias or identifier.

    ``labels``: keep entities with any of these ontology labels (e.g. ``Person``, ``Phone``);
    ``countries``: ISO 3166-1 alpha-2 codes or names (``Burma`` -> MM) the entity is tied to;
    ``first``: 1..100 hits per page; ``after``: cursor from a previous page.
    Raises InvalidArgument for empty text, unknown labels or countries, or ``first`` out of range.
    """
    check_range("first", first, 1, MAX_FIRST)
    query = build_query(text or "", store.dialect)
    if query is None:
        raise InvalidArgument("text must contain at least one letter or digit")
    codes = None
    if countries is not None:
        country = get_type("country")
        codes = [country.clean(c) for c in countries]
        if None in codes:
            bad = [c for c, code in zip(countries, codes, strict=True) if code is None]
            raise InvalidArgument(f"unknown countries {bad}; use ISO 3166-1 codes")
    skip = decode_cursor(after)
    rows = await store.read(
        "search/fulltext",
        {
            "query": query,
            "labels": check_labels(labels),
            "countries": codes,
            "skip": skip,
            "limit": first + 1,
            **principal.cypher_params(),
        },
    )
    hits = [SearchHit(node_from_map(r["node"]), float(r["score"])) for r in rows[:first]]
    has_next = len(rows) > first
    return SearchPage(hits=hits, has_next=has_next, end_cursor=encode_cursor(skip + len(hits)) if hits else None)
