"""An echoing agency's record refused with the rest of its row (a label conflict beside it) still
narrows its echo's level, as a record refused alone does: TH-DSI's MOD at RED of its GREEN echo of
KH-NP's valueless m-1, beside a refused Company record, left the echo GREEN, and KH-NP's DEL handed
m-1 over at GREEN to every agency (attack round 49). Control: the same MOD alone in its row."""
import pytest
from _load_ftm import ANNA, SEEN, load, person, reads
from ingest_helpers import Records

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, Writer

pytestmark = pytest.mark.backends
ORG = {"id": "o-2", "schema": "Organization", "properties": {"name": ["Org"]}}
BARE = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-2"]}}
LINKS = '{ entities(ids: ["p-1"]) { relationships { totalCount } } }'
MID = "member_of:7c0d6c05a431db1a06bb"  # m-1's relationship id, as the FtM reader derives it


async def _th_red_mod_after_its_rows_refusal(store):
    """The row's Company record is refused (a flush) before its link record comes to the writer."""
    row = Origin("th", "th-row.csv", 2)
    writer = Writer(store, source="th", viewer="TH-DSI", provenance=Provenance("TH-DSI", "RED", (), SEEN))
    await writer.add(NodeRecord("Company", "p-1", {"name": "Anna Lee Co"}, origin=row))
    await writer.flush_nodes()
    await writer.add(EdgeRecord("MEMBER_OF", MID, "p-1", "o-2", {"recordId": "m-1"}, origin=row, op="replace"))
    await writer.close()


async def _th_red_mod(store, with_conflict):
    if with_conflict == "refused first":
        return await _th_red_mod_after_its_rows_refusal(store)
    row = Origin("th", "th-row.csv", 2)
    recs = [NodeRecord("Company", "p-1", {"name": "Anna Lee Co"}, origin=row)] if with_conflict else []
    recs.append(EdgeRecord("MEMBER_OF", MID, "p-1", "o-2", {"recordId": "m-1"}, origin=row, op="replace"))
    return await run_load(store, Records(*recs), source="th", viewer="TH-DSI",
                          provenance=Provenance("TH-DSI", "RED", (), SEEN))


@pytest.mark.parametrize("row", ["control: alone", "beside a refused record", "refused first"])
async def test_a_third_agency_never_reads_a_link_whose_only_record_left_is_red(empty_store, tmp_path, row):
    store = empty_store
    await load(store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(store, tmp_path, "TH-DSI", "GREEN", [BARE], "th")
    await load(store, tmp_path, "KH-NP", "RED", [{"op": "MOD", "entity": BARE}], "kh")  # out of TH-DSI's sight
    assert await reads(store, "TH-DSI", LINKS) == {"entities": [{"relationships": {"totalCount": 0}}]}
    await _th_red_mod(store, {"control: alone": False}.get(row, row))
    await load(store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    [snap] = await store.read("admin/snapshot")
    links = [r["props"] for k, v in snap.items() if k != "nodes" for r in v or [] if r["type"] == "MEMBER_OF"]
    assert [(x["owner"], x["tlp"]) for x in links] == [("TH-DSI", "RED")]
    assert await reads(store, "LA-POL", LINKS) == {"entities": [{"relationships": {"totalCount": 0}}]}


async def _th_refused_row_with_a_del(store):
    """TH-DSI's RED load: its row is refused (its Company record, a flush) before its DEL of m-1 comes."""
    row = Origin("th", "th-row.csv", 2)
    writer = Writer(store, source="th", viewer="TH-DSI", provenance=Provenance("TH-DSI", "RED", (), SEEN))
    await writer.add(NodeRecord("Company", "p-1", {"name": "Anna Lee Co"}, origin=row))
    await writer.flush_nodes()
    await writer.add(EdgeRecord("MEMBER_OF", MID, "p-1", "o-2", {}, origin=row, op="delete"))
    await writer.close()


async def test_a_refused_rows_del_leaves_the_echos_level_as_it_was(empty_store, tmp_path):
    # a DEL says no level: stamped with its load's RED it narrowed the echo (attack round 50)
    store = empty_store
    await load(store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(store, tmp_path, "TH-DSI", "GREEN", [BARE], "th")
    await _th_refused_row_with_a_del(store)
    await load(store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    [snap] = await store.read("admin/snapshot")
    links = [r["props"] for k, v in snap.items() if k != "nodes" for r in v or [] if r["type"] == "MEMBER_OF"]
    assert [(x["owner"], x["tlp"]) for x in links] == [("TH-DSI", "GREEN")]
