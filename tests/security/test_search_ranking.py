"""Search ranks by a relevance of the visible entity and the query alone (issue 10, item 8).

Before: hits were ordered and scored by the engine's TF-IDF score, which moves with every
document in the index, so a visible hit's score dropped when another agency loaded RED
documents with the same term.
"""

import pytest

from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.search import search
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


async def _people(store, names: dict[str, str], owner: str, tlp: str) -> None:
    await write_records(store, [NodeRecord("Person", i, {"name": n}) for i, n in names.items()],
                        provenance=Provenance(owner=owner, tlp=tlp), source=owner)


async def test_search_ranks_whole_name_then_whole_words_then_prefix_then_caption(empty_store):
    await _people(empty_store, {"p1": "Wang Baolin", "p2": "Wang Bao", "p3": "Bao Wang Li", "p4": "Bao Wang",
                                "p5": "Wang Bao"}, "TH-DSI", "GREEN")
    page = await search(empty_store, TH, "wang bao", first=10)
    assert [(h.node.id, h.score) for h in page.hits] == [
        ("p2", 3.0), ("p5", 3.0),  # the whole name, ties by caption then id
        ("p4", 2.0), ("p3", 2.0),  # every word whole: "Bao Wang" < "Bao Wang Li"
        ("p1", 1.0),               # "bao" only as a prefix of "Baolin"
    ]


async def test_search_scores_and_cursors_ignore_another_agencys_red_documents(empty_store):
    others = {f"p{i}": f"Somchai {word}" for i, word in enumerate(["Prasert", "Wong", "Lim", "Tan", "Chai"], 2)}
    await _people(empty_store, {"p1": "Dragon Star", **others}, "TH-DSI", "GREEN")
    before = await search(empty_store, TH, "star", first=1)
    await _people(empty_store, {f"vn{i}": "Star Star Dragon Lucky" for i in range(30)}, "VN-MPS", "RED")
    after = await search(empty_store, TH, "star", first=1)
    assert [(h.node.id, h.score) for h in after.hits] == [(h.node.id, h.score) for h in before.hits]
    assert (after.has_next, after.end_cursor) == (before.has_next, before.end_cursor)
    assert [(h.node.id, h.score) for h in after.hits] == [("p1", 2.0)]


async def test_search_ranks_a_whole_alias_as_a_whole_name(empty_store):
    await write_records(empty_store, [NodeRecord("Person", "p1", {"name": "Zhao Wei", "alias": ["Boss  Zhao"]}),
                                      NodeRecord("Person", "p2", {"name": "Zhao Boss Li"})],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="th")
    page = await search(empty_store, TH, "boss zhao", first=5)
    assert [(h.node.id, h.score) for h in page.hits] == [("p1", 3.0), ("p2", 2.0)]
