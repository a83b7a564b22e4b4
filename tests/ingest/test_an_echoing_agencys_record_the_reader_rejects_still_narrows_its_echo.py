"""An echoing agency's record that the reader rejects still narrows its echo's level, as one refused
by the writer does (restricted: 47, 2; with its row: 49): TH-DSI's MOD at RED of its GREEN echo of
KH-NP's valueless Membership m-1, rejected by the FtM reader for a bad value on its own line (an
unparseable startDate, a role over the value-size limit, over 1,000 roles), never reached the
writer's echo rule: the echo stayed GREEN, and KH-NP's DEL handed m-1 over at GREEN to every agency
(attack round 51, 1). Nothing of the rejected line is loaded, and its load's counts are a rejected
row's. Control: the same MOD without the bad value (refused as restricted)."""
import pytest
from _load_ftm import ANNA, BARE, LINKS, ORG, load, person, reads

from graphapi.ingest import record_tap, write_refusals

pytestmark = pytest.mark.backends
NONE = {"entities": [{"relationships": {"totalCount": 0}}]}
BAD = {"control": {}, "bad date": {"startDate": ["not-a-date"]}, "huge role": {"role": ["r" * 1_100_000]},
       "1,001 roles": {"role": [f"r{i}" for i in range(1001)]}}


async def _links(store):
    [snap] = await store.read("admin/snapshot")
    return [(r["props"]["owner"], r["props"]["tlp"], r["props"].get("role")) for k, v in snap.items()
            if k != "nodes" for r in v or [] if r["type"] == "MEMBER_OF"]


async def _echoed_then_hidden(store, tmp_path):
    """KH-NP's GREEN m-1, TH-DSI's GREEN echo of it, then KH-NP's MOD at RED (out of TH-DSI's sight)."""
    await load(store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(store, tmp_path, "TH-DSI", "GREEN", [BARE], "th")
    await load(store, tmp_path, "KH-NP", "RED", [{"op": "MOD", "entity": BARE}], "kh")


@pytest.mark.parametrize("bad", list(BAD))
async def test_a_third_agency_never_reads_a_link_whose_last_record_the_reader_rejected_at_red(
        empty_store, tmp_path, bad):
    store = empty_store
    await _echoed_then_hidden(store, tmp_path)
    mod = {**BARE, "properties": {**BARE["properties"], **BAD[bad]}}
    th = await load(store, tmp_path, "TH-DSI", "RED", [{"op": "MOD", "entity": mod}], "th")
    if bad != "control":  # rows read = loaded + rejected: the line is a rejected row, nothing more
        assert (th.rows_read, th.rows_loaded, th.rows_rejected, th.relationships_read) == (1, 0, 1, 0)
    assert await _links(store) == [("KH-NP", "RED", None)]  # nothing of TH-DSI's line loaded
    await load(store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    assert await _links(store) == [("TH-DSI", "RED", None)]
    assert await reads(store, "LA-POL", LINKS) == NONE


async def test_a_rejected_del_leaves_the_echos_level_as_it_was(empty_store, tmp_path):
    # a DEL says no level: its load's RED never narrows the echo (attack round 50)
    store = empty_store
    await load(store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(store, tmp_path, "TH-DSI", "GREEN", [BARE], "th")
    bad = {**BARE, "properties": {**BARE["properties"], **BAD["huge role"]}}
    th = await load(store, tmp_path, "TH-DSI", "RED", [{"op": "DEL", "entity": bad}], "th")
    assert (th.rows_read, th.rows_rejected) == (1, 1)
    await load(store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    assert await _links(store) == [("TH-DSI", "GREEN", None)]


async def test_links_of_rejected_lines_narrow_while_the_load_goes_on(empty_store, tmp_path, monkeypatch):
    # a file of rejected link lines holds at most REFUSED_LINKS_HELD of them: narrowed as it is read
    monkeypatch.setattr(write_refusals, "REFUSED_LINKS_HELD", 1)
    monkeypatch.setattr(record_tap, "REJECTED_LINKS_HELD", 1)  # handed on by the tap, between records
    store = empty_store
    await _echoed_then_hidden(store, tmp_path)
    mod = {**BARE, "properties": {**BARE["properties"], **BAD["bad date"]}}
    await load(store, tmp_path, "TH-DSI", "RED", [{"op": "MOD", "entity": mod}, ORG], "th")
    assert await _links(store) == [("KH-NP", "RED", None)]
    await load(store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": BARE}], "kh")
    assert await _links(store) == [("TH-DSI", "RED", None)]
