"""Conformance: entity lookup and search answer the same on every backend (fixture graph)."""

import dataclasses
import re

import pytest

from graphapi.errors import InvalidArgument, NotFound
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.entities import get_node, get_nodes
from graphapi.investigate.search import search
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

VN_MPS = Principal("analyst-vn", agency="VN-MPS")
#: Search leaves victims out for readers without victim-data (docs/security.md); these readers hold it.
VN_MPS_VICTIMS = Principal("officer-vn", agency="VN-MPS", roles=frozenset({"victim-data"}))
VICTIM_DATA = Principal("officer", roles=frozenset({"victim-data"}))


async def test_lookup_returns_labels_chain_and_typed_properties(backend_store):
    node = await get_node(backend_store, DEMO_PRINCIPAL, "org-dragon-star")
    assert node.labels == ("Organization", "Company")
    assert node.properties["name"] == "Dragon Star Investment Group Co., Ltd."
    assert node.properties["country"] == ["MM", "HK"]
    assert node.properties["tlp"] == "GREEN"
    assert node.properties["sources"] == ["lintas-fixture"]
    assert "searchText" not in node.properties and "countryCodes" not in node.properties


async def test_lookup_of_unknown_id_is_not_found(backend_store):
    with pytest.raises(NotFound):
        await get_node(backend_store, DEMO_PRINCIPAL, "per-nobody")


async def test_lookup_hides_amber_node_from_other_agencies_and_shows_it_to_owner(backend_store):
    hidden = "phone:+84987654321"
    assert await get_nodes(backend_store, DEMO_PRINCIPAL, [hidden]) == {}
    assert list(await get_nodes(backend_store, VN_MPS, [hidden])) == [hidden]


@pytest.mark.parametrize("typed", ["081 234 5678", "0812345678", "+66 81 234 5678", "+66812345678", "0066812345678"])
async def test_search_finds_phone_typed_in_common_formats(backend_store, typed):
    page = await search(backend_store, DEMO_PRINCIPAL, typed)
    assert [h.node.id for h in page.hits][:1] == ["phone:+66812345678"]


async def test_search_matches_name_without_diacritics(backend_store):
    page = await search(backend_store, VICTIM_DATA, "nguyen van an", labels=["Person"])
    assert [h.node.id for h in page.hits] == ["per-nguyen-van-an"]


async def test_search_filters_by_label(backend_store):
    page = await search(backend_store, DEMO_PRINCIPAL, "dragon", labels=["Compound"])
    assert [h.node.id for h in page.hits] == ["cmp-lucky-dragon"]


async def test_search_never_returns_a_hidden_entity(backend_store):
    assert (await search(backend_store, DEMO_PRINCIPAL, "0987654321")).hits == []
    found = await search(backend_store, VN_MPS_VICTIMS, "0987654321")
    assert [h.node.id for h in found.hits] == ["phone:+84987654321"]


async def test_search_pages_with_cursor_without_overlap(backend_store):
    # victim-data: the case a victim is in matches search only for holders of the role (issue 10)
    officer = dataclasses.replace(DEMO_PRINCIPAL, roles=DEMO_PRINCIPAL.roles | {"victim-data"})
    first = await search(backend_store, officer, "dragon", first=2)
    rest = await search(backend_store, officer, "dragon", first=2, after=first.end_cursor)
    assert first.has_next and not rest.has_next
    ids = [h.node.id for h in first.hits + rest.hits]
    assert sorted(ids) == ["case:TH-DSI|DSI-2025-0142", "cmp-lucky-dragon", "org-dragon-star"]


async def test_search_rejects_text_without_words(backend_store):
    with pytest.raises(InvalidArgument):
        await search(backend_store, DEMO_PRINCIPAL, " -- ")


async def test_search_treats_query_syntax_as_plain_words(backend_store):
    page = await search(backend_store, DEMO_PRINCIPAL, 'dragon") OR name:* @caption:{x} -')
    assert {h.node.id for h in page.hits} <= {"case:TH-DSI|DSI-2025-0142", "cmp-lucky-dragon", "org-dragon-star"}


async def test_search_filters_by_country_of_any_country_property(backend_store):
    page = await search(backend_store, DEMO_PRINCIPAL, "dragon", countries=["HK"])
    assert [h.node.id for h in page.hits] == ["org-dragon-star"]
    burma = await search(backend_store, DEMO_PRINCIPAL, "aung kyaw", countries=["Burma"])
    assert [h.node.id for h in burma.hits] == ["per-aung-kyaw"]
    assert (await search(backend_store, DEMO_PRINCIPAL, "aung kyaw", countries=["TH"])).hits == []


async def test_search_cursor_beyond_the_deepest_page_is_rejected(backend_store):
    import base64

    with pytest.raises(InvalidArgument, match="cursor"):
        deep = base64.urlsafe_b64encode(b"search:9223372036854775807").decode()
        await search(backend_store, DEMO_PRINCIPAL, "dragon", after=deep)


async def test_not_found_message_does_not_echo_a_huge_id(backend_store):
    with pytest.raises(NotFound) as err:
        await get_node(backend_store, DEMO_PRINCIPAL, "x" * 100_000)
    assert len(str(err.value)) < 200


async def test_search_for_a_word_longer_than_any_prefix_matches_it_whole(backend_store):
    # Neo4j (Lucene) refuses a prefix term of over 1,000 characters ("input automaton is too
    # large"), past the search's own bound now; a word past 100 characters is searched whole on
    # both backends.
    assert (await search(backend_store, DEMO_PRINCIPAL, "a" * 256)).hits == []
    assert (await search(backend_store, DEMO_PRINCIPAL, "dragon " + "x" * 101)).hits == []
    with pytest.raises(InvalidArgument, match="longer than 256 characters"):
        await search(backend_store, DEMO_PRINCIPAL, "a" * 5000)


@pytest.mark.neo4j
async def test_search_on_neo4j_ranks_a_whole_word_match_above_a_prefix_only_match(neo4j_store):
    # Lucene scores a prefix term as a constant: "chen" matched "Chenda" exactly as much as
    # "Chen" (ties then fell to id order); the whole word is searched beside its prefix. (FalkorDB
    # scores by TF-IDF over index statistics that keep deleted documents for a while, so its
    # order of near-equal hits depends on the graph's history: not pinned.)
    await neo4j_store.clear()
    people = [("per-chenda", "Chenda Sok"), ("per-z-chen", "Chen Sok"), ("per-chenla", "Chenla Sok")]
    records = [NodeRecord("Person", pid, {"name": name}) for pid, name in people]
    await write_records(neo4j_store, records, provenance=Provenance(owner="TH-DSI", tlp="CLEAR"), source="t")
    page = await search(neo4j_store, DEMO_PRINCIPAL, "chen sok")
    assert [h.node.id for h in page.hits][0] == "per-z-chen"
    assert page.hits[0].score > page.hits[1].score


async def test_counts_come_back_as_integers(backend_store):
    # FalkorDB may answer a number as a float where Neo4j answers an integer; counts stay ints.
    [row] = await backend_store.read("ingest/count_graph")
    assert (type(row["nodes"]), type(row["relationships"])) == (int, int)
    assert row["nodes"] > 0 and row["relationships"] > 0


async def test_instants_and_dates_come_back_as_iso_8601_strings(backend_store):
    # Neither backend stores a temporal type: FalkorDB has no zoned datetime and takes none as a
    # parameter, so instants are ISO 8601 UTC strings (which order correctly as text) on both.
    node = await get_node(backend_store, DEMO_PRINCIPAL, "per-zhao-wei")
    assert isinstance(node.properties["lastSeen"], str)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", node.properties["lastSeen"])
