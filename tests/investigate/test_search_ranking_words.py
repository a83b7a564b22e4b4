"""Search ranks by words the loader stored (``searchWords``, ``searchKeys``: issue 14), not by
cutting each match's text in the statement, and ranks a graph stored before them the same.

Before: every visible match ran a replace() chain and a split over its caption and searchText
(15-30 µs a match on FalkorDB, ~2.5 of 3.3 s for 40,000 matches on Neo4j)."""

import pytest

from graphapi.ingest.derive import ranking_words_for
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.search import search
from graphapi.security import Principal

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
ASYNC = pytest.mark.asyncio(loop_scope="session")

#: Names and identifiers whose words the statement cut at punctuation, a dotted capital I, capitals
#: of other scripts, a word held twice, and identifiers with and without separators.
PEOPLE = {
    "p1": {"name": "İSTANBUL Trading (Ltd.)", "passportNumber": "K9988776"},
    "p2": {"name": "Sean O'Brien-Smith", "alias": ["O.Brien, Sean!"]},
    "p3": {"name": "ИВАН Петров", "alias": ["Ivan Petrov"]},
    "p4": {"name": "Prayut Chan-o-cha", "idNumber": "3-1005-01234-56-7"},
    "p5": {"name": "สมชาย ใจดี", "alias": ["Somchai Jaidee"]},
    "p6": {"name": "Wang Bao Wang", "passportNumber": "e 12/345"},
    "p7": {"name": "Istanbul Ivan Smith & Sons?"},
}
QUERIES = ["istanbul", "İstanbul", "trading ltd", "o'brien", "brien sean", "obrien", "иван", "ivan petrov",
           "chan-o-cha", "chan", "3100501234567", "สมชาย", "somchai", "wang bao", "E12/345", "k9988776",
           "k 998 8776", "sons", "smith"]


def test_ranking_words_are_the_distinct_words_lower_cased_cut_at_punctuation_and_padded():
    words, _ = ranking_words_for("İSTANBUL Trading (Ltd.)", "İSTANBUL Trading (Ltd.) istanbul trading ltd K9988776")
    assert words == " istanbul trading ltd k9988776 "


def test_ranking_words_keep_characters_the_statement_never_cut_at():
    words, _ = ranking_words_for("a\u00a0b", "x_y@z.com #7")
    assert words == " a\u00a0b x_y@z com #7 "


def test_ranking_keys_are_the_space_cut_words_with_a_digit_upper_cased_and_padded():
    _, keys = ranking_words_for("Wang Bao", "Wang Bao e12/345 E12345 wang bao")
    assert keys == " E12/345 E12345 "


def test_ranking_keys_are_none_without_a_word_with_a_digit():
    assert ranking_words_for("Wang Bao", "Wang Bao wang bao") == (" wang bao ", None)


async def _forget_ranking_words(store) -> None:
    """As a graph loaded before searchWords and searchKeys existed holds its entities (test-only
    Cypher on each backend)."""
    cypher = "MATCH (n:Entity) SET n.searchWords = NULL, n.searchKeys = NULL"
    if store.dialect == "falkordb":
        await store._graph.query(cypher)
    else:
        async with store._driver.session() as session:
            await (await session.run(cypher)).consume()


async def _ranked(store) -> dict[str, list[tuple[str, float]]]:
    return {q: [(h.node.id, h.score) for h in (await search(store, TH, q, first=20)).hits] for q in QUERIES}


@ASYNC
@pytest.mark.backends
async def test_search_ranks_a_graph_stored_before_ranking_words_as_one_stored_with_them(empty_store):
    await write_records(empty_store, [NodeRecord("Person", i, p) for i, p in PEOPLE.items()],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="th")
    stored = await _ranked(empty_store)
    await _forget_ranking_words(empty_store)
    assert await _ranked(empty_store) == stored


@ASYNC
@pytest.mark.backends
async def test_search_ranks_whole_words_and_identifiers_from_the_stored_words(empty_store):
    await write_records(empty_store, [NodeRecord("Person", i, p) for i, p in PEOPLE.items()],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="th")
    ranked = await _ranked(empty_store)
    assert ranked["istanbul"] == [("p7", 2.0), ("p1", 2.0)]  # "Istanbul" < "İSTANBUL"
    assert ranked["brien sean"] == [("p2", 2.0)]
    assert ranked["k 998 8776"] == [("p1", 3.0)]
    assert ranked["E12/345"] == [("p6", 3.0)]
    assert ranked["chan"] == [("p4", 2.0)]
    assert ranked["smith"] == [("p7", 2.0), ("p2", 2.0)]
