"""An echoing agency's DEL withdraws its own record of a valueless link, never another agency's
record from a source of the same name (sources are each agency's own: every agency loading the
public export may call it 'opensanctions'). KH-NP's valueless m-1, echoed by TH-DSI's and then
LA-POL's 'opensanctions' records: before, only TH-DSI's was traced, and TH-DSI's DEL withdrew
'opensanctions' and deleted m-1, which LA-POL still asserted (attack round 45c, 5). A node keeps
LA-POL's statement in the same sequence."""
import pytest
from _load_ftm import ANNA, BARE, LINKS, ORG, load, person, reads

pytestmark = pytest.mark.backends


async def test_the_link_handed_to_th_dsi_is_la_pols_once_th_dsi_deletes_its_record(empty_store, tmp_path):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [BARE], "opensanctions")
    await load(empty_store, tmp_path, "LA-POL", "GREEN", [BARE], "opensanctions")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [{"op": "DEL", "entity": BARE}], "opensanctions")
    assert await reads(empty_store, "LA-POL", LINKS) == {"entities": [{"relationships": {"totalCount": 1}}]}


async def test_la_pols_record_outlives_th_dsis_del_and_kh_nps(empty_store, tmp_path):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [BARE], "opensanctions")
    await load(empty_store, tmp_path, "LA-POL", "GREEN", [BARE], "opensanctions")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [{"op": "DEL", "entity": BARE}], "opensanctions")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    assert await reads(empty_store, "LA-POL", LINKS) == {"entities": [{"relationships": {"totalCount": 1}}]}


async def test_th_dsis_del_leaves_la_pols_echo_of_the_same_source_name(empty_store, tmp_path):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [BARE], "opensanctions")
    await load(empty_store, tmp_path, "LA-POL", "GREEN", [BARE], "opensanctions")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [{"op": "DEL", "entity": BARE}], "opensanctions")
    [snap] = await empty_store.read("admin/snapshot")
    [link] = [r["props"] for k, v in snap.items() if k != "nodes" for r in v or [] if r["type"] == "MEMBER_OF"]
    assert (link["owner"], link["sources"], link["echoes"], link["echoLevels"]) == (
        "KH-NP", ["kh", "opensanctions"], ["LA-POL opensanctions"], ["GREEN - LA-POL opensanctions"])
