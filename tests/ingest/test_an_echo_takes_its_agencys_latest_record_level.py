"""An echo's level is its agency's latest record's: TH-DSI's MOD (or replace) at RED of its GREEN
echo of KH-NP's valueless Membership m-1 is kept apart (m-1 stays as every agency read it), but
its echo is RED from then on, and KH-NP's DEL (or replace without m-1) hands m-1 to TH-DSI at RED.
Before, the record was set aside before its echo level moved, and m-1 was handed over at GREEN:
LA-POL read a link whose only record left was RED (attack round 45c, 1)."""
import pytest
from _load_ftm import ANNA, BARE, LINKS, ORG, load, person, reads

pytestmark = pytest.mark.backends


async def _echo_narrowed_then_owner_deleted(store, tmp_path):
    await load(store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(store, tmp_path, "TH-DSI", "GREEN", [BARE], "th")
    await load(store, tmp_path, "TH-DSI", "RED", [{"op": "MOD", "entity": BARE}], "th")
    await load(store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")


async def test_a_third_agency_never_reads_a_link_whose_only_record_left_is_red(empty_store, tmp_path):
    await _echo_narrowed_then_owner_deleted(empty_store, tmp_path)
    assert await reads(empty_store, "LA-POL", LINKS) == {"entities": [{"relationships": {"totalCount": 0}}]}


async def test_the_link_is_handed_over_at_the_echoing_agencys_latest_level(empty_store, tmp_path):
    await _echo_narrowed_then_owner_deleted(empty_store, tmp_path)
    [snap] = await empty_store.read("admin/snapshot")
    links = [r["props"] for k, v in snap.items() if k != "nodes" for r in v or [] if r["type"] == "MEMBER_OF"]
    assert [(x["owner"], x["tlp"]) for x in links] == [("TH-DSI", "RED")]


async def test_the_echoing_agencys_replace_at_red_is_not_handed_over_at_green(empty_store, tmp_path):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [BARE], "th")
    await load(empty_store, tmp_path, "TH-DSI", "RED", [BARE], "th", replace=True)
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [ORG], "kh", replace=True)
    assert await reads(empty_store, "LA-POL", LINKS) == {"entities": [{"relationships": {"totalCount": 0}}]}
