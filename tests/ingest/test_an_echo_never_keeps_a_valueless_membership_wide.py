"""Only the owner's sources keep a relationship holding no value wide (docs/provenance.md, "the
owner keeps control of what it shares"). KH-NP's GREEN Membership m-1 has no role, so no statement
says whose its sources are; TH-DSI's GREEN record of the same Membership (an echo) adds its source.
KH-NP's replace (or MOD) of m-1 at RED narrows it as if TH-DSI had never echoed it: before, the
echo's source kept it GREEN, read by LA-POL, counted unchanged (attack round 42a, 3). The echo
leaves its trace (``echoes``, ``graphapi/ingest/narrowing.py``); a source of KH-NP's own still
keeps m-1 at its level."""
import pytest
from _load_ftm import ANNA, load, person, reads

pytestmark = pytest.mark.backends
ORG = {"id": "o-2", "schema": "Organization", "properties": {"name": ["Org"]}}
BARE = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-2"]}}
LINKS = '{ entities(ids: ["p-1"]) { relationships { totalCount edges { relationship { tlp } } } } }'
GREEN_LINK = {"entities": [{"relationships": {"totalCount": 1, "edges": [{"relationship": {"tlp": "GREEN"}}]}}]}
NO_LINK = {"entities": [{"relationships": {"totalCount": 0, "edges": []}}]}


async def _echoed(store, tmp_path, *, echo_source="th", owners=("kh",)):
    await load(store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    for source in owners:
        await load(store, tmp_path, "KH-NP", "GREEN", [BARE], source)
    await load(store, tmp_path, "TH-DSI", "GREEN", [BARE], echo_source)


async def _narrow(store, tmp_path, op):
    return await load(store, tmp_path, "KH-NP", "RED", [{"op": "MOD", "entity": BARE} if op else BARE], "kh",
                      replace=op is None)


@pytest.mark.parametrize("op", [None, "MOD"], ids=["replace", "mod"])
async def test_the_owners_narrower_record_hides_its_valueless_membership_another_agency_echoed(
        empty_store, tmp_path, op):
    await _echoed(empty_store, tmp_path)
    r = await _narrow(empty_store, tmp_path, op)
    assert r.rejections == []
    assert r.relationships_updated == 1
    assert await reads(empty_store, "LA-POL", LINKS) == NO_LINK


@pytest.mark.parametrize("op", [None, "MOD"], ids=["replace", "mod"])
async def test_the_owner_still_reads_its_narrowed_valueless_membership(empty_store, tmp_path, op):
    await _echoed(empty_store, tmp_path)
    await _narrow(empty_store, tmp_path, op)
    assert await reads(empty_store, "KH-NP", LINKS) == {
        "entities": [{"relationships": {"totalCount": 1, "edges": [{"relationship": {"tlp": "RED"}}]}}]}


async def test_the_echoing_agency_reads_the_narrowed_membership_as_if_it_was_red_from_the_start(
        empty_store, tmp_path):
    await _echoed(empty_store, tmp_path)
    await _narrow(empty_store, tmp_path, "MOD")
    assert await reads(empty_store, "TH-DSI", LINKS) == NO_LINK


@pytest.mark.parametrize("op", [None, "MOD"], ids=["replace", "mod"])
async def test_another_source_of_the_owner_keeps_an_echoed_valueless_membership_at_its_level(
        empty_store, tmp_path, op):
    await _echoed(empty_store, tmp_path)
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [BARE], "kh-other")
    await _narrow(empty_store, tmp_path, op)
    assert await reads(empty_store, "LA-POL", LINKS) == GREEN_LINK


async def test_an_echo_naming_the_owners_other_source_never_takes_it_from_the_owner(empty_store, tmp_path):
    await _echoed(empty_store, tmp_path, echo_source="kh-other", owners=("kh-other", "kh"))
    await _narrow(empty_store, tmp_path, "MOD")
    assert await reads(empty_store, "LA-POL", LINKS) == GREEN_LINK


async def test_the_owners_later_record_of_an_echoed_source_takes_it_back(empty_store, tmp_path):
    await _echoed(empty_store, tmp_path, echo_source="kh-other")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [BARE], "kh-other")
    await _narrow(empty_store, tmp_path, "MOD")
    assert await reads(empty_store, "LA-POL", LINKS) == GREEN_LINK
