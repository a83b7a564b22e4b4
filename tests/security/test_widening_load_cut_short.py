"""A load that widens an item (the owner's wider record after a narrower one) and is cut short at
any write leaves the item seen as before, and run again widens it with only the wider values in
its fields (attack round 8, K1: the node was widened first, with the KH-only values still in its
fields, and a load killed before the values were rebuilt left VN-MPS reading them; running the
load again did not repair it)."""

import pytest

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import write_records
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.values import property_values
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
KH = Principal("analyst-kh", agency="KH-NP", roles=frozenset({"analyst"}))
KH_ONLY = Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("KH-NP",))
WIDE = Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("VN-MPS", "KH-NP"))
#: The widening load's writes after the item's own, in order: statements pinned and written,
#: fields rebuilt, the level set.
STEPS = ["provenance/write_statements", "ingest/replace_node_properties", "ingest/set_node_levels"]
EDGE_STEPS = ["provenance/write_statements", "ingest/replace_relationship_properties",
              "ingest/set_relationship_levels"]


class _CutAt:
    """The store, failing the first write of statement ``name`` (a timeout, kill -9)."""

    def __init__(self, store, name: str) -> None:
        self._store, self._name = store, name

    def __getattr__(self, attr):
        return getattr(self._store, attr)

    async def write(self, name, *args, **kwargs):
        if name == self._name:
            raise TimeoutError("cut short")
        return await self._store.write(name, *args, **kwargs)

    async def write_batches(self, name, *args, **kwargs):
        if name == self._name:
            raise TimeoutError("cut short")
        return await self._store.write_batches(name, *args, **kwargs)


async def _kh_only_then_wide(store, widen_store) -> None:
    await write_records(store, [NodeRecord("Person", "per-charlie", {
        "name": "Charlie Three", "alias": ["Kh Only Alias"], "passportNumber": ["PK445566"]})],
        provenance=KH_ONLY, source="graphql:TH-DSI")
    await write_records(widen_store, [NodeRecord("Person", "per-charlie", {"name": "Charlie Three", "alias": ["C3"]})],
                        provenance=WIDE, source="ftm")


async def _seen_by_vn(store) -> tuple | None:
    found = await get_nodes(store, VN, ["per-charlie"])
    if not found:
        return None
    p = found["per-charlie"].properties
    return p.get("name"), p.get("alias"), p.get("passportNumber")


@pytest.mark.parametrize("step", STEPS)
async def test_a_widening_load_cut_short_shows_the_new_agency_nothing(backend_empty_store, step):
    with pytest.raises(TimeoutError):
        await _kh_only_then_wide(backend_empty_store, _CutAt(backend_empty_store, step))
    assert await _seen_by_vn(backend_empty_store) in (None, ("Charlie Three", ["C3"], None))


@pytest.mark.parametrize("step", STEPS)
async def test_a_widening_load_cut_short_and_run_again_widens_with_the_wider_values_alone(backend_empty_store, step):
    with pytest.raises(TimeoutError):
        await _kh_only_then_wide(backend_empty_store, _CutAt(backend_empty_store, step))
    await write_records(backend_empty_store, [NodeRecord("Person", "per-charlie", {
        "name": "Charlie Three", "alias": ["C3"]})], provenance=WIDE, source="ftm")
    assert await _seen_by_vn(backend_empty_store) == ("Charlie Three", ["C3"], None)
    vn_values = await property_values(backend_empty_store, VN, ["per-charlie"], "passportNumber")
    kh_values = await property_values(backend_empty_store, KH, ["per-charlie"], "passportNumber")
    assert ([v.value for v in vn_values["per-charlie"]], [v.value for v in kh_values["per-charlie"]]) == (
        [], ["PK445566"])


async def _tie(store) -> dict:
    [stored] = await store.read("ingest/existing_relationships", {"ids": [TIE]}, type="ASSOCIATE_OF")
    return stored["props"]


TIE = "associate_of:per-a:per-b"


@pytest.mark.parametrize("step", EDGE_STEPS)
async def test_a_widening_relationship_load_cut_short_keeps_it_at_its_level_until_run_again(
        backend_empty_store, step):
    people = [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b")]
    await write_records(backend_empty_store, people, provenance=WIDE, source="graphql:TH-DSI")
    await write_records(backend_empty_store, [EdgeRecord("ASSOCIATE_OF", TIE, "per-a", "per-b", {
        "relationship": "KH-only: paid informant"})], provenance=KH_ONLY, source="graphql:TH-DSI")
    wider = [EdgeRecord("ASSOCIATE_OF", TIE, "per-a", "per-b", {"relationship": "business partner"})]
    with pytest.raises(TimeoutError):
        await write_records(_CutAt(backend_empty_store, step), wider, provenance=WIDE, source="ftm")
    cut = await _tie(backend_empty_store)
    assert cut["sharedWith"] == ["KH-NP"] or cut["relationship"] == "business partner"
    await write_records(backend_empty_store, wider, provenance=WIDE, source="ftm")
    again = await _tie(backend_empty_store)
    assert (again["relationship"], sorted(again["sharedWith"])) == ("business partner", ["KH-NP", "VN-MPS"])
