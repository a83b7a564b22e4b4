"""One source's records about one node at two levels are two statements, and a share opens only
the one the node's fields come from (attack round 5, F5): TH-DSI says "Charlie Three" (alias C3)
at AMBER for VN-MPS and KH-NP, then, from the same source, a passport, a note and a second alias
for KH-NP alone. Before, the two made one statement at the narrower level: sharing the node with
LA-MPS then blanked its name for every reader and opened the KH-only values to LA-MPS."""

import pytest

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import NodeRecord
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


async def test_an_unshare_takes_the_agency_off_every_statement_of_the_owner(backend_empty_store):
    await _said_twice(backend_empty_store)
    await unshare(backend_empty_store, TH, ["per-charlie"], ["KH-NP"])
    assert await _values(backend_empty_store, KH, "passportNumber") == []
    assert await _fields(backend_empty_store, TH) == ("Charlie Three", ["C3"], None, None)
    await share(backend_empty_store, TH, ["per-charlie"], ["KH-NP"])
    # the narrower record's agency was taken off it; sharing the node again opens the node's values only
    assert await _values(backend_empty_store, KH, "passportNumber") == []
    assert await _fields(backend_empty_store, KH) == ("Charlie Three", ["C3"], None, None)
