"""Another agency's DEL of its record of a relationship it does not own withdraws its source from
it: for a relationship holding no value, whose sources no statement names, the echo trace
(``echoes``, graphapi/ingest/echoes.py) says that source is the DEL's agency's. Before (attack round
44a, 5) TH-DSI's DEL of its echo of KH-NP's valueless Membership m-1 withdrew nothing, and after
KH-NP's DEL too m-1 stood as KH-NP's GREEN link for every agency, though nobody asserted it."""
import pytest
from _load_ftm import ANNA, load, person, reads

pytestmark = pytest.mark.backends
ORG = {"id": "o-2", "schema": "Organization", "properties": {"name": ["Org"]}}
BARE = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-2"]}}
LINKS = '{ entities(ids: ["p-1"]) { relationships { totalCount } } }'


async def _echoed(store, tmp_path, echo_source="th"):
    await load(store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(store, tmp_path, "TH-DSI", "GREEN", [BARE], echo_source)


async def _membership(store):
    [snap] = await store.read("admin/snapshot")
    return [r["props"] for k, v in snap.items() if k != "nodes" for r in v or [] if r["type"] == "MEMBER_OF"]


async def test_the_echoing_agencys_del_withdraws_its_source_from_the_membership(empty_store, tmp_path):
    await _echoed(empty_store, tmp_path)
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [{"op": "DEL", "entity": BARE}], "th")
    assert [(x["owner"], x["sources"], x.get("echoes")) for x in await _membership(empty_store)] == [
        ("KH-NP", ["kh"], None)]


@pytest.mark.parametrize("agency", ["KH-NP", "TH-DSI", "LA-POL"])
async def test_a_membership_both_agencies_deleted_is_read_by_nobody(empty_store, tmp_path, agency):
    await _echoed(empty_store, tmp_path)
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [{"op": "DEL", "entity": BARE}], "th")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    assert await reads(empty_store, agency, LINKS) == {"entities": [{"relationships": {"totalCount": 0}}]}


async def test_another_agencys_del_naming_the_echoed_source_withdraws_nothing(empty_store, tmp_path):
    await _echoed(empty_store, tmp_path)
    await load(empty_store, tmp_path, "LA-POL", "GREEN", [{"op": "DEL", "entity": BARE}], "th")
    assert [x["sources"] for x in await _membership(empty_store)] == [["kh", "th"]]


async def test_an_echo_of_the_owners_own_source_name_is_withdrawn_by_nobody_but_the_owner(empty_store, tmp_path):
    await _echoed(empty_store, tmp_path, echo_source="kh")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    assert [x["sources"] for x in await _membership(empty_store)] == [["kh"]]
