"""search's totalCount (new-user trial 7): the visible hits of the search, all pages, counted in
the Cypher, so another agency's hidden entities change no count, page or cursor; bounded at
COUNT_CAP with ``capped`` past it. Search pages forward only (ranked by score): hasPreviousPage
says whether ``after`` was given."""

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate import search as search_service
from graphapi.investigate.search import search
from graphapi.schema.types.search import SearchConnection
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


async def _people(store, names: dict[str, str], owner: str, tlp: str) -> None:
    await write_records(store, [NodeRecord("Person", i, {"name": n}) for i, n in names.items()],
                        provenance=Provenance(owner=owner, tlp=tlp), source=owner)


async def _walk(store, text: str, first: int) -> list:
    pages, after = [], None
    while True:
        page = await search(store, TH, text, first=first, after=after)
        pages.append(page)
        if not page.has_next:
            return pages
        after = page.end_cursor


async def test_search_total_count_equals_the_hits_paged_through(empty_store):
    await _people(empty_store, {f"p{i}": f"Somchai Number{i}" for i in range(7)}, "TH-DSI", "GREEN")
    pages = await _walk(empty_store, "somchai", first=3)
    assert [len(p.hits) for p in pages] == [3, 3, 1]
    assert {p.total for p in pages} == {7} and not any(p.capped for p in pages)


async def test_another_agencys_hidden_hits_change_no_count_page_or_cursor(empty_store):
    await _people(empty_store, {f"p{i}": f"Somchai Number{i}" for i in range(5)}, "TH-DSI", "GREEN")
    before = await _walk(empty_store, "somchai", first=2)
    await _people(empty_store, {f"vn{i}": f"Somchai Hidden{i}" for i in range(4)}, "VN-MPS", "RED")
    after = await _walk(empty_store, "somchai", first=2)

    def seen(pages):
        return [([h.node.id for h in p.hits], p.end_cursor, p.total) for p in pages]

    assert seen(after) == seen(before) and before[0].total == 5


async def test_search_count_past_its_cap_reads_the_cap_and_says_capped(empty_store, monkeypatch):
    monkeypatch.setattr(search_service, "COUNT_CAP", 3)
    await _people(empty_store, {f"p{i}": f"Somchai Number{i}" for i in range(5)}, "TH-DSI", "GREEN")
    page = await search(empty_store, TH, "somchai", first=2)
    assert (page.total, page.capped, len(page.hits), page.has_next) == (3, True, 2, True)
    deep = await search(empty_store, TH, "somchai", first=2, after=(await search(
        empty_store, TH, "somchai", first=3)).end_cursor)
    assert [h.node.id for h in deep.hits] == ["p3", "p4"]  # paging goes past the count's cap


async def test_search_connection_has_a_previous_page_only_after_a_cursor(empty_store):
    await _people(empty_store, {f"p{i}": f"Somchai Number{i}" for i in range(3)}, "TH-DSI", "GREEN")

    class Shown:
        def prime(self, ids, protected):
            pass

        def entity(self, node):
            return node

    first = await search(empty_store, TH, "somchai", first=2)
    second = await search(empty_store, TH, "somchai", first=2, after=first.end_cursor)
    info = [SearchConnection.from_page(p, after, Shown()).page_info for p, after in
            ((first, None), (second, first.end_cursor))]
    assert [(i.has_previous_page, i.has_next_page) for i in info] == [(False, True), (True, False)]


async def _victims(store, ids: list[str]) -> None:
    await write_records(store, [NodeRecord("Case", "case-v", {"title": "Recruitment case"})]
                        + [EdgeRecord("INVOLVED_IN", f"v-{i}", i, "case-v", {"role": "victim"}) for i in ids],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="TH-DSI")


async def test_victims_ranked_first_are_left_out_before_the_count_is_capped(empty_store, monkeypatch):
    # The victim checks run on the ranked hits in order until the cap: a victim among the first
    # ranked never takes a place of the count or of a page (FalkorDB once handed the LIMIT down to
    # the sort, which ranked cap + 1 hits and then dropped the victims among them).
    monkeypatch.setattr(search_service, "COUNT_CAP", 3)
    await _people(empty_store, {f"p{i}": f"Somchai A{i}" for i in range(6)}, "TH-DSI", "GREEN")
    await _victims(empty_store, ["p0", "p2"])
    page = await search(empty_store, TH, "somchai", first=2)
    assert (page.total, page.capped, [h.node.id for h in page.hits], page.has_next) == (3, True, ["p1", "p3"], True)
    rest = await search(empty_store, TH, "somchai", first=2, after=page.end_cursor)
    assert ([h.node.id for h in rest.hits], rest.has_next) == (["p4", "p5"], False)


async def test_a_search_counts_at_most_a_thousand_hits(empty_store):
    await _people(empty_store, {f"p{i}": f"Somchai Number{i}" for i in range(1_005)}, "TH-DSI", "GREEN")
    page = await search(empty_store, TH, "somchai", first=1)
    assert (page.total, page.capped, search_service.COUNT_CAP) == (1_000, True, 1_000)
