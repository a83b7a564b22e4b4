"""One source's records about one node at two levels are two statements, and a share opens only
the one the node's fields come from (attack round 5, F5): TH-DSI says "Charlie Three" (alias C3)
at AMBER for VN-MPS and KH-NP, then, from the same source, a passport, a note and a second alias
for KH-NP alone. Before, the two made one statement at the narrower level: sharing the node with
LA-MPS then blanked its name for every reader and opened the KH-only values to LA-MPS."""

import pytest

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import write_records
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.values import property_values
from graphapi.security import Principal
from graphapi.security.share import share, unshare

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
KH = Principal("analyst-kh", agency="KH-NP", roles=frozenset({"analyst"}))
LA = Principal("analyst-la", agency="LA-MPS", roles=frozenset({"analyst"}))
SOURCE = "graphql:TH-DSI"


async def _said_twice(store) -> None:
    await write_records(store, [NodeRecord("Person", "per-charlie", {"name": "Charlie Three", "alias": ["C3"]})],
                        provenance=Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("VN-MPS", "KH-NP")),
                        source=SOURCE)
    await write_records(store, [NodeRecord("Person", "per-charlie", {
        "name": "Charlie Three", "alias": ["Kh Only Alias"], "passportNumber": ["PK445566"], "notes": "kh only note"})],
        provenance=Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("KH-NP",)), source=SOURCE)


async def _fields(store, reader: Principal) -> tuple:
    (node,) = (await get_nodes(store, reader, ["per-charlie"])).values()
    p = node.properties
    return p.get("name"), p.get("alias"), p.get("passportNumber"), p.get("notes")


async def _values(store, reader: Principal, prop: str) -> list[str]:
    return [v.value for v in (await property_values(store, reader, ["per-charlie"], prop))["per-charlie"]]


async def test_a_share_keeps_the_owners_values_in_the_nodes_fields(backend_empty_store):
    await _said_twice(backend_empty_store)
    await share(backend_empty_store, TH, ["per-charlie"], ["LA-MPS"])
    for reader in (TH, VN, LA):
        assert await _fields(backend_empty_store, reader) == ("Charlie Three", ["C3"], None, None)


async def test_a_share_leaves_the_narrower_record_to_the_agencies_it_named(backend_empty_store):
    await _said_twice(backend_empty_store)
    await share(backend_empty_store, TH, ["per-charlie"], ["LA-MPS"])
    assert await _values(backend_empty_store, LA, "alias") == ["C3"]
    assert await _values(backend_empty_store, LA, "passportNumber") == []
    assert await _values(backend_empty_store, KH, "passportNumber") == ["PK445566"]
    assert sorted(await _values(backend_empty_store, KH, "alias")) == ["C3", "Kh Only Alias"]


async def test_a_share_opened_to_green_shows_no_narrower_value_in_the_fields(backend_empty_store):
    await _said_twice(backend_empty_store)
    await share(backend_empty_store, TH, ["per-charlie"], ["LA-MPS"], tlp="GREEN")
    assert await _fields(backend_empty_store, LA) == ("Charlie Three", ["C3"], None, None)
    assert await _values(backend_empty_store, LA, "notes") == []


async def test_an_unshare_then_a_share_opens_no_narrower_record(backend_empty_store):
    # attack round 6, G2: the unshare brought the KH-only record to the node's level, and the
    # next share opened it to VN-MPS
    await _said_twice(backend_empty_store)
    await unshare(backend_empty_store, TH, ["per-charlie"], ["VN-MPS"])
    await share(backend_empty_store, TH, ["per-charlie"], ["VN-MPS"])
    assert await _fields(backend_empty_store, VN) == ("Charlie Three", ["C3"], None, None)
    assert await _values(backend_empty_store, VN, "passportNumber") == []


async def test_an_unshare_of_every_agency_then_a_share_with_another_opens_no_narrower_record(backend_empty_store):
    await _said_twice(backend_empty_store)
    await unshare(backend_empty_store, TH, ["per-charlie"], ["VN-MPS", "KH-NP"])
    await share(backend_empty_store, TH, ["per-charlie"], ["LA-MPS"])
    assert await _fields(backend_empty_store, LA) == ("Charlie Three", ["C3"], None, None)
    assert await _values(backend_empty_store, LA, "notes") == []


async def test_a_share_run_twice_ends_where_one_run_does(backend_empty_store):
    await _said_twice(backend_empty_store)
    await share(backend_empty_store, TH, ["per-charlie"], ["LA-MPS"])
    await share(backend_empty_store, TH, ["per-charlie"], ["LA-MPS"])
    for reader in (TH, VN, LA):
        assert await _fields(backend_empty_store, reader) == ("Charlie Three", ["C3"], None, None)


async def test_an_unshare_hides_the_node_and_a_share_back_restores_what_the_agency_was_given(backend_empty_store):
    await _said_twice(backend_empty_store)
    await unshare(backend_empty_store, TH, ["per-charlie"], ["KH-NP"])
    assert await _values(backend_empty_store, KH, "passportNumber") == []
    assert await _fields(backend_empty_store, TH) == ("Charlie Three", ["C3"], None, None)
    await share(backend_empty_store, TH, ["per-charlie"], ["KH-NP"])
    assert await _values(backend_empty_store, KH, "passportNumber") == ["PK445566"]
    assert await _fields(backend_empty_store, VN) == ("Charlie Three", ["C3"], None, None)


async def test_an_owners_wider_record_after_a_narrower_one_leaves_the_narrower_values_out_of_the_fields(
        backend_empty_store):
    # attack round 6, G1: the KH-only record came first; the wider one widened the node, and its
    # fields kept the KH-only values for VN-MPS to read
    await write_records(backend_empty_store, [NodeRecord("Person", "per-charlie", {
        "name": "Charlie Three", "alias": ["Kh Only Alias"], "passportNumber": ["PK445566"], "notes": "kh only note"})],
        provenance=Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("KH-NP",)), source=SOURCE)
    await write_records(backend_empty_store, [NodeRecord("Person", "per-charlie", {"name": "Charlie Three",
                                                                                   "alias": ["C3"]})],
                        provenance=Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("VN-MPS", "KH-NP")),
                        source=SOURCE)
    assert await _fields(backend_empty_store, VN) == ("Charlie Three", ["C3"], None, None)
    assert await _values(backend_empty_store, VN, "passportNumber") == []
    assert await _values(backend_empty_store, KH, "passportNumber") == ["PK445566"]


async def test_an_owners_wider_relationship_record_leaves_the_narrower_value_out_of_its_fields(backend_empty_store):
    people = [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b")]
    wide = Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("VN-MPS", "KH-NP"))
    await write_records(backend_empty_store, people, provenance=wide, source=SOURCE)
    tie = "associate_of:per-a:per-b"
    await write_records(backend_empty_store, [EdgeRecord("ASSOCIATE_OF", tie, "per-a", "per-b", {
        "relationship": "KH-only: paid informant"})],
        provenance=Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("KH-NP",)), source=SOURCE)
    await write_records(backend_empty_store, [EdgeRecord("ASSOCIATE_OF", tie, "per-a", "per-b", {
        "relationship": "business partner"})], provenance=wide, source=SOURCE)
    [stored] = await backend_empty_store.read("ingest/existing_relationships", {"ids": [tie]}, type="ASSOCIATE_OF")
    assert stored["props"]["relationship"] == "business partner"


class _CutAfterNodes:
    """The store, failing the share right after its nodes were widened (a timeout, kill -9)."""

    def __init__(self, store) -> None:
        self._store = store

    def __getattr__(self, name):
        return getattr(self._store, name)

    async def write_batches(self, name, *args, **kwargs):
        if name == "security/follow_sharing":
            raise TimeoutError("cut short")
        return await self._store.write_batches(name, *args, **kwargs)


async def test_a_share_cut_short_shows_the_new_agency_no_value_another_agency_kept_from_it(backend_empty_store):
    # attack round 6, G5: a share timed out after widening the node, and LA-MPS read in its
    # fields what KH-NP had shared with TH-DSI and VN-MPS only
    await write_records(backend_empty_store, [NodeRecord("Person", "per-charlie", {"name": "Charlie Three"})],
                        provenance=Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("VN-MPS", "KH-NP")),
                        source=SOURCE)
    await write_records(backend_empty_store, [NodeRecord("Person", "per-charlie", {"passportNumber": ["KH1234567"]})],
                        provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=("TH-DSI", "VN-MPS")),
                        source="graphql:KH-NP")
    assert (await _fields(backend_empty_store, VN))[2] == ["KH1234567"]
    with pytest.raises(TimeoutError):
        await share(_CutAfterNodes(backend_empty_store), TH, ["per-charlie"], ["LA-MPS"])
    assert await _fields(backend_empty_store, LA) == ("Charlie Three", None, None, None)
    await share(backend_empty_store, TH, ["per-charlie"], ["LA-MPS"])  # run again: as one run ends
    assert await _fields(backend_empty_store, LA) == ("Charlie Three", None, None, None)
    assert (await _fields(backend_empty_store, VN))[0] == "Charlie Three"


async def test_a_share_cut_short_shows_the_new_agency_no_relationship_value_another_agency_kept_from_it(
        backend_empty_store):
    wide = Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("VN-MPS", "KH-NP"))
    await write_records(backend_empty_store, [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b")],
                        provenance=wide, source=SOURCE)
    tie = "associate_of:per-a:per-b"
    await write_records(backend_empty_store, [EdgeRecord("ASSOCIATE_OF", tie, "per-a", "per-b", {})],
                        provenance=wide, source=SOURCE)
    await write_records(backend_empty_store, [EdgeRecord("ASSOCIATE_OF", tie, "per-a", "per-b", {
        "relationship": "KH: paid informant"})],
        provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=("TH-DSI", "VN-MPS")), source="graphql:KH-NP")

    async def field() -> str | None:
        [stored] = await backend_empty_store.read("ingest/existing_relationships", {"ids": [tie]}, type="ASSOCIATE_OF")
        return stored["props"].get("relationship")

    assert await field() == "KH: paid informant"
    with pytest.raises(TimeoutError):
        await share(_CutAfterNodes(backend_empty_store), TH, ["per-a", "per-b"], ["LA-MPS"])
    assert await field() is None  # the relationship is now seen by LA-MPS: KH-NP's value left its fields


async def _narrow_then_wide_from_two_sources(store) -> None:
    # attack round 7, H1: the owner's narrow record and its wider one came from two sources
    await write_records(store, [NodeRecord("Person", "per-charlie", {
        "name": "Charlie Three", "alias": ["Kh Only Alias"], "passportNumber": ["PK445566"]})],
        provenance=Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("KH-NP",)), source=SOURCE)
    await write_records(store, [NodeRecord("Person", "per-charlie", {"name": "Charlie Three", "alias": ["C3"]})],
                        provenance=Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("VN-MPS", "KH-NP")),
                        source="th-feed")


async def test_a_narrower_record_of_another_source_stays_narrow_when_the_owner_shares(backend_empty_store):
    await _narrow_then_wide_from_two_sources(backend_empty_store)
    await share(backend_empty_store, TH, ["per-charlie"], ["LA-MPS"])
    for reader in (VN, LA):
        assert await _fields(backend_empty_store, reader) == ("Charlie Three", ["C3"], None, None)
        assert await _values(backend_empty_store, reader, "passportNumber") == []


async def test_a_narrower_record_of_another_source_stays_narrow_when_the_owner_unshares(backend_empty_store):
    await _narrow_then_wide_from_two_sources(backend_empty_store)
    await unshare(backend_empty_store, TH, ["per-charlie"], ["KH-NP"])
    assert await _fields(backend_empty_store, VN) == ("Charlie Three", ["C3"], None, None)
    assert await _values(backend_empty_store, VN, "passportNumber") == []
