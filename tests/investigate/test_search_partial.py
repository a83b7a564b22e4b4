"""A query finds names with only some of its words, ranked below those with all (trial 8.2).

Before: every query word had to match, so "Thaksin Shinawatra" (the family's English spelling;
RTGS "Thaksin Chinnawat") or "Somsak Jaidee" (RTGS "Chaidi") missed ทักษิณ ชินวัตร and
สมศักดิ์ ใจดี entirely, although one word matched exactly. As yente and Aleph rank a name: the
hits with all the words first, then those missing one word of 2 to 7 (a quarter of longer
queries), scored by the share of the words they have.
"""

import pytest

from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.search import build_partial_query, search, words_needed
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


async def _load(store, names: dict[str, str], owner: str = "TH-DSI", tlp: str = "GREEN") -> None:
    await write_records(store, [NodeRecord("Person", i, {"name": n}) for i, n in names.items()],
                        provenance=Provenance(owner=owner, tlp=tlp), source=owner.lower())


async def _scored(store, text: str, first: int = 20) -> list[tuple[str, float]]:
    return [(h.node.id, h.score) for h in (await search(store, TH, text, first=first)).hits]


@pytest.mark.parametrize(("n", "needed"), [(1, 1), (2, 1), (3, 2), (4, 3), (7, 6), (8, 6), (12, 9), (16, 12)])
def test_words_needed_allows_one_missing_word_of_two_to_seven_and_a_quarter_of_more(n, needed):
    assert words_needed(n) == needed


def test_a_one_word_query_has_no_partial_query():
    assert build_partial_query("Somsak", "neo4j") == build_partial_query("สมศักดิ์", "falkordb") == ""


def test_the_partial_query_asks_for_any_one_word_as_a_prefix():
    assert build_partial_query("Somsak Jaidee", "neo4j") == "(somsak*) OR (jaidee*)"


@pytest.mark.parametrize(("text", "name"), [
    ("Thaksin Shinawatra", "ทักษิณ ชินวัตร"),
    ("Somsak Jaidee", "สมศักดิ์ ใจดี"),
])
async def test_search_finds_a_thai_name_by_one_of_two_latin_words(backend_empty_store, text, name):
    await _load(backend_empty_store, {"th": name, "other": "Somchai Sisuk"})
    assert await _scored(backend_empty_store, text) == [("th", 0.5)]


async def test_search_ranks_hits_with_every_word_above_hits_missing_one(backend_empty_store):
    await _load(backend_empty_store, {"th": "สมศักดิ์ ใจดี", "latin": "Somsak Jaidee", "prefix": "Somsakul Jaideeyong"})
    assert await _scored(backend_empty_store, "Somsak Jaidee") == [("latin", 3.0), ("prefix", 1.0), ("th", 0.5)]


async def test_search_scores_a_partial_hit_by_the_share_of_the_words_it_has(backend_empty_store):
    await _load(backend_empty_store, {"two": "Somchai Sisuk", "one": "Somchai Wongsawat"})
    assert await _scored(backend_empty_store, "Somchai Prasoet Sisuk") == [("two", 0.67)]
    assert await _scored(backend_empty_store, "Somchai Sisuk") == [("two", 3.0), ("one", 0.5)]


async def test_search_finds_nothing_when_two_of_three_words_are_missing(backend_empty_store):
    await _load(backend_empty_store, {"th": "Somchai Sisuk"})
    assert await _scored(backend_empty_store, "Somchai Aung Kyaw") == []


async def test_a_one_word_search_finds_no_partial_hit(backend_empty_store):
    await _load(backend_empty_store, {"th": "สมศักดิ์ ใจดี", "latin": "Somsak Jaidee"})
    assert await _scored(backend_empty_store, "Jaidee") == [("latin", 2.0)]


async def test_partial_hits_page_and_count_as_the_full_ones(backend_empty_store):
    await _load(backend_empty_store, {f"p{i}": f"Somchai Name{i}" for i in range(5)} | {"full": "Somchai Sisuk"})
    seen, after = [], None
    while True:
        page = await search(backend_empty_store, TH, "Somchai Sisuk", first=2, after=after)
        seen += [(h.node.id, h.score) for h in page.hits]
        if not page.has_next:
            break
        after = page.end_cursor
    assert seen == [("full", 3.0)] + [(f"p{i}", 0.5) for i in range(5)]
    assert page.total == 6


async def _answers(store, queries: list[str]) -> list:
    out = []
    for q in queries:
        page = await search(store, TH, q, first=1)
        out.append(([(h.node.id, h.score) for h in page.hits], page.total, page.has_next, page.end_cursor))
    return out


async def test_another_agencys_hidden_names_change_no_partial_hit(backend_empty_store):
    await _load(backend_empty_store, {"th": "ทักษิณ ชินวัตร", "p": "Somchai Shinawatra"})
    queries = ["Thaksin Shinawatra", "Somchai Sisuk Shinawatra"]
    before = await _answers(backend_empty_store, queries)
    await _load(backend_empty_store, {"r1": "Thaksin Shinawatra", "r2": "Thaksin Somchai", "r3": "ทักษิณ"},
                owner="VN-MPS", tlp="RED")
    assert await _answers(backend_empty_store, queries) == before
    assert before[0][:2] == ([("p", 0.5)], 2)
