"""A relationship holding no value (a Membership without a role) has no statement to say whose its
sources are; another agency's record of it leaves its trace (``echoes``, with the level it was said
at, ``echoLevels``: graphapi/ingest/echoes.py). When the owner's DEL takes its last source, the
link is the echoing agency's, at that agency's own record level, as a node whose owner's last
statement went is the remaining statement's (docs/provenance.md). Before (attack round 44a, 1),
after KH-NP's MOD at RED and DEL of its valueless m-1, m-1 stayed KH-NP's RED link with TH-DSI's
source alone: TH-DSI never read its own GREEN record again, and its reload was refused "held by KH-NP"."""
import pytest
from _load_ftm import ANNA, load, person, reads

pytestmark = pytest.mark.backends
ORG = {"id": "o-2", "schema": "Organization", "properties": {"name": ["Org"]}}
BARE = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-2"]}}
LINKS = '{ entities(ids: ["p-1"]) { relationships { totalCount edges { relationship { tlp } } } } }'


def _links(*tlps):
    return {"entities": [{"relationships": {"totalCount": len(tlps),
                                            "edges": [{"relationship": {"tlp": t}} for t in tlps]}}]}


async def _echoed(store, tmp_path, *, level="GREEN", shared=(), echo_shared=()):
    await load(store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(store, tmp_path, "KH-NP", level, [BARE], "kh", shared=shared)
    await load(store, tmp_path, "TH-DSI", level, [BARE], "th", shared=echo_shared)


async def _narrowed_then_deleted(store, tmp_path, **kw):
    await _echoed(store, tmp_path, **kw)
    await load(store, tmp_path, "KH-NP", "RED", [{"op": "MOD", "entity": BARE}], "kh")
    await load(store, tmp_path, "KH-NP", "RED", [{"op": "DEL", "entity": BARE}], "kh")


@pytest.mark.parametrize("agency", ["TH-DSI", "LA-POL"])
async def test_the_echoing_agencys_green_record_is_read_again_once_the_owner_deleted_its_own(
        empty_store, tmp_path, agency):
    await _narrowed_then_deleted(empty_store, tmp_path)
    assert await reads(empty_store, agency, LINKS) == _links("GREEN")


async def test_the_echoing_agencys_reload_of_its_record_is_not_refused_after_the_owner_deleted_its_own(
        empty_store, tmp_path):
    await _narrowed_then_deleted(empty_store, tmp_path)
    r = await load(empty_store, tmp_path, "TH-DSI", "GREEN", [BARE], "th")
    assert [x.reason for x in r.rejections] == []


async def test_the_owner_no_longer_holds_a_membership_it_deleted(empty_store, tmp_path):
    await _narrowed_then_deleted(empty_store, tmp_path)
    [snap] = await empty_store.read("admin/snapshot")
    links = [r["props"] for k, v in snap.items() if k != "nodes" for r in v or [] if r["type"] == "MEMBER_OF"]
    assert [(x["owner"], x["tlp"], x["sources"]) for x in links] == [("TH-DSI", "GREEN", ["th"])]


async def test_an_echoed_link_the_owner_deleted_without_narrowing_is_the_echoing_agencys(empty_store, tmp_path):
    await _echoed(empty_store, tmp_path)
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    r = await load(empty_store, tmp_path, "TH-DSI", "RED", [{"op": "MOD", "entity": BARE}], "th")
    assert [x.reason for x in r.rejections] == []
    assert await reads(empty_store, "LA-POL", LINKS) == _links()  # TH-DSI's own MOD narrowed its own link


async def test_the_link_takes_the_echoing_records_own_level_not_the_deleted_owners(empty_store, tmp_path):
    await _narrowed_then_deleted(empty_store, tmp_path, level="AMBER", shared=("TH-DSI",), echo_shared=("KH-NP",))
    got = (await reads(empty_store, "TH-DSI", LINKS), await reads(empty_store, "LA-POL", LINKS))
    assert got == (_links("AMBER"), _links())


async def test_the_owners_replace_without_the_link_leaves_it_to_the_echoing_agency(empty_store, tmp_path):
    await _echoed(empty_store, tmp_path)
    await load(empty_store, tmp_path, "KH-NP", "RED", [{"op": "MOD", "entity": BARE}], "kh")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [ORG], "kh", replace=True)
    assert await reads(empty_store, "LA-POL", LINKS) == _links("GREEN")
