"""A placeholder's owner keeps it while one of its links holds it, whatever other agencies are
named (docs/provenance.md, "the placeholders at the ends of a narrowed relationship"). KH-NP's
GREEN Membership m-1 p-1 -> o-1 made o-1 its placeholder; another agency's AMBER Membership m-2
t-1 -> o-1. KH-NP's replace (or MOD) at RED narrows o-1 to KH-NP's RED link: before, a tie of
audience size went to the agency whose name sorts first, and with ID-POLRI o-1 became ID-POLRI's
AMBER placeholder, cutting KH-NP's own Membership from KH-NP and showing o-1 to ID-POLRI (attack
round 42a, 5). The same after a DEL of KH-NP's GREEN link that leaves its RED one."""
import pytest
from _load_ftm import ANNA, M1, M2, T1, load, person, reads

pytestmark = pytest.mark.backends
Q = '{ entities(ids: ["p-1", "o-1"]) { tlp relationships { totalCount } } }'
P2 = {"id": "p-2", "schema": "Person", "properties": {"name": ["Bo Ray"]}}
M3 = {"id": "m-3", "schema": "Membership", "properties": {"member": ["p-2"], "organization": ["o-1"],
                                                          "role": ["aide"]}}
OWN_RED_LINK = [{"tlp": "RED", "relationships": {"totalCount": 1}}, {"tlp": "RED", "relationships": {"totalCount": 1}}]
OTHERS = ["TH-DSI", "ID-POLRI"]  # named after KH-NP, and before it


async def _narrowed(store, tmp_path, other, op):
    await load(store, tmp_path, "KH-NP", "GREEN", [person(ANNA), M1], "kh")
    await load(store, tmp_path, other, "AMBER", [T1, M2], "other")
    docs = [person(ANNA), M1] if op is None else [{"op": "MOD", "entity": d} for d in (person(ANNA), M1)]
    await load(store, tmp_path, "KH-NP", "RED", docs, "kh", replace=op is None)


@pytest.mark.parametrize("op", [None, "MOD"], ids=["replace", "mod"])
@pytest.mark.parametrize("other", OTHERS)
async def test_the_owner_still_reads_its_narrowed_link_and_its_placeholder_whatever_the_other_agency_is_named(
        empty_store, tmp_path, other, op):
    await _narrowed(empty_store, tmp_path, other, op)
    assert (await reads(empty_store, "KH-NP", Q))["entities"] == OWN_RED_LINK


@pytest.mark.parametrize("op", [None, "MOD"], ids=["replace", "mod"])
@pytest.mark.parametrize("other", OTHERS)
async def test_the_other_agency_never_reads_the_narrowed_links_placeholder_whatever_it_is_named(
        empty_store, tmp_path, other, op):
    await _narrowed(empty_store, tmp_path, other, op)
    assert (await reads(empty_store, other, Q))["entities"] == [None, None]


@pytest.mark.parametrize("other", OTHERS)
async def test_a_del_of_the_owners_wider_link_leaves_the_placeholder_to_its_narrower_one_whatever_the_other_is_named(
        empty_store, tmp_path, other):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA), M1], "kh")
    await load(empty_store, tmp_path, "KH-NP", "RED", [P2, M3], "kh2")
    await load(empty_store, tmp_path, other, "AMBER", [T1, M2], "other")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": M1}], "kh")
    q = '{ entities(ids: ["p-2", "o-1"]) { tlp relationships { totalCount } } }'
    assert (await reads(empty_store, "KH-NP", q))["entities"] == OWN_RED_LINK
    assert (await reads(empty_store, other, q))["entities"] == [None, None]
