"""An echo's level is its agency's latest record's even when that record is refused: KH-NP's MOD at
RED of its valueless Membership m-1 takes it out of TH-DSI's sight; TH-DSI's MOD (or replace) at RED
of its GREEN echo of m-1 is then refused as restricted (nothing disclosed, nothing merged), but its
echo is RED from then on, and KH-NP's DEL hands m-1 to TH-DSI at RED. Before, the refusal came
before the echo's level was recorded, m-1 was handed over at GREEN, and LA-POL read a link whose
only record left was RED (attack round 47, 2). A refused record never widens its echo: it is kept
at the strictest level that agency said since it last saw the link."""
import pytest
from _load_ftm import ANNA, SEEN, load, person, reads

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends
ORG = {"id": "o-2", "schema": "Organization", "properties": {"name": ["Org"]}}
BARE = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-2"]}}
LINKS = '{ entities(ids: ["p-1"]) { relationships { totalCount } } }'
NONE = {"entities": [{"relationships": {"totalCount": 0}}]}


async def _echoed_then_narrowed_by_its_owner(store, tmp_path):
    await load(store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(store, tmp_path, "TH-DSI", "GREEN", [BARE], "th")
    await load(store, tmp_path, "KH-NP", "RED", [{"op": "MOD", "entity": BARE}], "kh")


async def _links(store):
    [snap] = await store.read("admin/snapshot")
    return [(r["props"]["owner"], r["props"]["tlp"]) for k, v in snap.items() if k != "nodes" for r in v or []
            if r["type"] == "MEMBER_OF"]


async def _operator_load(store, tmp_path, agency, level, docs, source):
    f = tmp_path / f"op-{source}-{agency}-{level}-{len(list(tmp_path.iterdir()))}.ftm.json"
    f.write_text("".join(__import__("json").dumps(d) + "\n" for d in docs), encoding="utf-8")
    return await run_load(store, FtmReader([f], source=source), source=source, viewer=None,
                          provenance=Provenance(agency, level, (), SEEN))


async def test_a_link_the_echoing_agency_said_red_out_of_its_sight_is_handed_over_at_red(empty_store, tmp_path):
    await _echoed_then_narrowed_by_its_owner(empty_store, tmp_path)
    await load(empty_store, tmp_path, "TH-DSI", "RED", [{"op": "MOD", "entity": BARE}], "th")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    assert await _links(empty_store) == [("TH-DSI", "RED")]
    assert await reads(empty_store, "LA-POL", LINKS) == NONE


async def test_the_echoing_agencys_replace_at_red_out_of_its_sight_is_handed_over_at_red(empty_store, tmp_path):
    await _echoed_then_narrowed_by_its_owner(empty_store, tmp_path)
    await load(empty_store, tmp_path, "TH-DSI", "RED", [BARE], "th", replace=True)
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    assert await _links(empty_store) == [("TH-DSI", "RED")]
    assert await reads(empty_store, "LA-POL", LINKS) == NONE


async def test_an_operators_refused_load_at_red_for_the_echoing_agency_is_handed_over_at_red(empty_store,
                                                                                             tmp_path):
    await _echoed_then_narrowed_by_its_owner(empty_store, tmp_path)
    result = await _operator_load(empty_store, tmp_path, "TH-DSI", "RED", [BARE], "th")
    assert result.relationships_created == 0
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    assert await _links(empty_store) == [("TH-DSI", "RED")]
    assert await reads(empty_store, "LA-POL", LINKS) == NONE


async def test_the_echoing_agencys_refused_record_is_still_counted_restricted(empty_store, tmp_path):
    await _echoed_then_narrowed_by_its_owner(empty_store, tmp_path)
    result = await load(empty_store, tmp_path, "TH-DSI", "RED", [{"op": "MOD", "entity": BARE}], "th")
    assert (result.restricted, result.relationships_updated, result.rows_loaded + result.rows_rejected) == (1, 0, 1)
    assert await reads(empty_store, "TH-DSI", LINKS) == NONE
    assert await _links(empty_store) == [("KH-NP", "RED")]


async def test_a_refused_record_never_widens_its_echo(empty_store, tmp_path):
    await _echoed_then_narrowed_by_its_owner(empty_store, tmp_path)
    await load(empty_store, tmp_path, "TH-DSI", "RED", [{"op": "MOD", "entity": BARE}], "th")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [{"op": "MOD", "entity": BARE}], "th")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    assert await _links(empty_store) == [("TH-DSI", "RED")]
    assert await reads(empty_store, "LA-POL", LINKS) == NONE


async def test_a_refused_amber_record_keeps_only_the_agencies_both_levels_share_it_with(empty_store, tmp_path):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [BARE], "th")
    await load(empty_store, tmp_path, "TH-DSI", "AMBER", [{"op": "MOD", "entity": BARE}], "th",
               shared=("LA-POL", "VN-MPS"))  # kept apart: m-1 stays GREEN, its echo AMBER
    await load(empty_store, tmp_path, "KH-NP", "RED", [{"op": "MOD", "entity": BARE}], "kh")
    await load(empty_store, tmp_path, "TH-DSI", "AMBER", [{"op": "MOD", "entity": BARE}], "th",
               shared=("VN-MPS", "ID-POLRI"))
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    assert await _links(empty_store) == [("TH-DSI", "AMBER")]
    assert await reads(empty_store, "VN-MPS", LINKS) == {"entities": [{"relationships": {"totalCount": 1}}]}
    assert await reads(empty_store, "LA-POL", LINKS) == NONE
    assert await reads(empty_store, "ID-POLRI", LINKS) == NONE


async def test_a_record_left_dangling_by_an_end_out_of_its_sight_still_sets_its_echo_level(empty_store, tmp_path):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [BARE], "th")
    await load(empty_store, tmp_path, "KH-NP", "RED", [person(ANNA, op="MOD")], "kh-n")  # p-1 out of TH-DSI's sight
    result = await load(empty_store, tmp_path, "TH-DSI", "RED", [{"op": "MOD", "entity": BARE}], "th")
    assert (result.dangling, result.relationships_updated) == (1, 0)
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA, op="MOD")], "kh-n")  # p-1 seen again
    assert await _links(empty_store) == [("TH-DSI", "RED")]
    assert await reads(empty_store, "LA-POL", LINKS) == NONE
