"""A narrowed link's placeholder that another agency's link as wide also holds reads as if the
narrowed link had been at its new level from the start (docs/provenance.md, "the placeholders at
the ends of a narrowed relationship"). KH-NP's GREEN Membership m-1 p-1 -> o-1 made o-1 its
placeholder; TH-DSI's GREEN Membership m-2 t-1 -> o-1. KH-NP's replace (or MOD) at RED leaves o-1
to TH-DSI's link, as TH-DSI's link takes over KH-NP's RED placeholder from the start: o-1 names
TH-DSI's source alone. Before, o-1 kept naming KH-NP's source 'kh' to every agency, and after
TH-DSI's DEL of m-2 stayed an empty GREEN node found by every agency's search (attack round 42a, 2)."""
import pytest
from _load_ftm import ANNA, M1, M2, T1, load, person, reads

pytestmark = pytest.mark.backends
Q = '{ entities(ids: ["o-1"]) { tlp sources relationships { totalCount } } search(text: "o-1") { totalCount } }'
DEL_M2 = [{"op": "DEL", "entity": M2}]
OPS = pytest.mark.parametrize("op", [None, "MOD"], ids=["replace", "mod"])


async def _narrowed(store, tmp_path, op):
    await load(store, tmp_path, "KH-NP", "GREEN", [person(ANNA), M1], "kh")
    await load(store, tmp_path, "TH-DSI", "GREEN", [T1, M2], "th")
    docs = [person(ANNA), M1] if op is None else [{"op": "MOD", "entity": d} for d in (person(ANNA), M1)]
    await load(store, tmp_path, "KH-NP", "RED", docs, "kh", replace=op is None)


async def _red_from_the_start(store, tmp_path, agency, *, deleted=False):
    await load(store, tmp_path, "KH-NP", "RED", [person(ANNA), M1], "kh")
    await load(store, tmp_path, "TH-DSI", "GREEN", [T1, M2], "th")
    if deleted:
        await load(store, tmp_path, "TH-DSI", "GREEN", DEL_M2, "th")
    seen = await reads(store, agency, Q)
    await store.clear()
    return seen


@OPS
@pytest.mark.parametrize("agency", ["LA-POL", "TH-DSI"])
async def test_the_placeholder_names_only_the_other_agencys_source_once_the_owners_link_narrowed(
        empty_store, tmp_path, op, agency):
    from_the_start = await _red_from_the_start(empty_store, tmp_path, agency)
    await _narrowed(empty_store, tmp_path, op)
    assert from_the_start["entities"] == [{"tlp": "GREEN", "sources": ["th"], "relationships": {"totalCount": 1}}]
    assert await reads(empty_store, agency, Q) == from_the_start


@OPS
async def test_the_owner_still_reads_its_narrowed_link_to_the_placeholder(empty_store, tmp_path, op):
    await _narrowed(empty_store, tmp_path, op)
    q = '{ entities(ids: ["p-1", "o-1"]) { tlp relationships { totalCount } } }'
    assert (await reads(empty_store, "KH-NP", q))["entities"] == [
        {"tlp": "RED", "relationships": {"totalCount": 1}}, {"tlp": "GREEN", "relationships": {"totalCount": 2}}]


@OPS
async def test_once_the_other_agencys_link_goes_no_other_agency_reads_or_finds_the_placeholder(
        empty_store, tmp_path, op):
    from_the_start = await _red_from_the_start(empty_store, tmp_path, "LA-POL", deleted=True)
    await _narrowed(empty_store, tmp_path, op)
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", DEL_M2, "th")
    assert from_the_start == {"entities": [None], "search": {"totalCount": 0}}
    assert await reads(empty_store, "LA-POL", Q) == from_the_start


@OPS
async def test_once_the_other_agencys_link_goes_the_owner_reads_the_placeholder_at_its_narrowed_link(
        empty_store, tmp_path, op):
    await _narrowed(empty_store, tmp_path, op)
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", DEL_M2, "th")
    q = '{ entities(ids: ["o-1"]) { tlp sources relationships { totalCount } } }'
    assert (await reads(empty_store, "KH-NP", q))["entities"] == [
        {"tlp": "RED", "sources": ["kh"], "relationships": {"totalCount": 1}}]
