"""A placeholder (a bare reference: no statement of its own) whose owner's last link went, left to
links of several other agencies none of which is read by every reader of the others, is read by
each agency that reads one of those links, and by nobody else (graphapi/ingest/relevel.py,
``_shared_by``). Before (attack round 44a, 2) it went to one link, by the FtM first_seen the
records claimed and then by agency name: ID-POLRI (sorting before TH-DSI) took KH-NP's o-1, and
TH-DSI's own link then pointed at a node TH-DSI could not read; with VN-MPS, TH-DSI kept it."""
import pytest
from _load_ftm import ANNA, M1, M2, T1, load, person, reads

pytestmark = pytest.mark.backends
T4 = {"id": "t-4", "schema": "Person", "properties": {"name": ["Tim Roe"]}}
M4 = {"id": "m-4", "schema": "Membership", "properties": {"member": ["t-4"], "organization": ["o-1"],
                                                          "role": ["aide"]}}
Q = '{ entities(ids: ["o-1"]) { tlp } }'
AMBER = {"entities": [{"tlp": "AMBER"}]}


def _seen(doc, first="2024-05-01T00:00:00"):
    return {**doc, "first_seen": first}


async def _left_to_two(store, tmp_path, other, *, th_level="AMBER", other_first="2024-05-01T00:00:00"):
    await load(store, tmp_path, "KH-NP", "GREEN", [person(ANNA), M1], "kh")
    await load(store, tmp_path, "TH-DSI", th_level, [T1, _seen(M2)], "th")
    await load(store, tmp_path, other, "AMBER", [T4, _seen(M4, other_first)], "other")
    await load(store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": M1}], "kh")


@pytest.mark.parametrize("other", ["VN-MPS", "ID-POLRI"])
async def test_each_agency_whose_link_holds_the_placeholder_reads_it_whatever_the_other_is_named(
        empty_store, tmp_path, other):
    await _left_to_two(empty_store, tmp_path, other)
    assert (await reads(empty_store, "TH-DSI", Q), await reads(empty_store, other, Q)) == (AMBER, AMBER)


@pytest.mark.parametrize("other", ["VN-MPS", "ID-POLRI"])
async def test_an_agency_reading_none_of_its_links_never_reads_the_placeholder(empty_store, tmp_path, other):
    await _left_to_two(empty_store, tmp_path, other)
    assert await reads(empty_store, "LA-POL", Q) == {"entities": [None]}


async def test_an_earlier_first_seen_claimed_by_a_later_record_takes_no_reads_away(empty_store, tmp_path):
    await _left_to_two(empty_store, tmp_path, "VN-MPS", other_first="2001-01-01T00:00:00")
    assert (await reads(empty_store, "TH-DSI", Q), await reads(empty_store, "VN-MPS", Q)) == (AMBER, AMBER)


async def test_red_links_of_two_agencies_leave_the_placeholder_to_those_two_alone(empty_store, tmp_path):
    await _left_to_two(empty_store, tmp_path, "ID-POLRI", th_level="RED")
    got = [await reads(empty_store, a, Q) for a in ("TH-DSI", "ID-POLRI", "LA-POL")]
    assert got == [AMBER, AMBER, {"entities": [None]}]


@pytest.mark.parametrize("other", ["VN-MPS", "ID-POLRI"])
async def test_an_agency_whose_link_then_goes_no_longer_reads_the_shared_placeholder(empty_store, tmp_path, other):
    await _left_to_two(empty_store, tmp_path, other)
    await load(empty_store, tmp_path, "TH-DSI", "AMBER", [{"op": "DEL", "entity": M2}], "th")
    assert (await reads(empty_store, "TH-DSI", Q), await reads(empty_store, other, Q)) == (
        {"entities": [None]}, AMBER)


async def test_the_shared_placeholder_stays_shared_when_one_link_is_named_again(empty_store, tmp_path):
    await _left_to_two(empty_store, tmp_path, "ID-POLRI")
    await load(empty_store, tmp_path, "ID-POLRI", "AMBER", [{"op": "MOD", "entity": _seen(M4)}], "other")
    assert (await reads(empty_store, "TH-DSI", Q), await reads(empty_store, "ID-POLRI", Q)) == (AMBER, AMBER)
