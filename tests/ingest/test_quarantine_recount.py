"""A quarantine follows the holders after links or sharing change, not only on review: an unshare
and a load's deletes of linking relationships recount the quarantined identifiers at their ends
(attack round 55, 5: a partner's mark outlived the sharing that made it)."""

import pytest

import graphapi.ingest.quarantine_recount as quarantine_recount
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.security import Principal
from graphapi.security.share import unshare
from tests.ingest.phone_holders import LIMIT, PHONE, PhoneHolders, load_holders
from tests.ingest.test_quarantine_audience import QUARANTINED
from tests.investigate.graphql_answers import answer

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
LA = Principal("ana-la", agency="LA-POL")
KH = Principal("ana-kh", agency="KH-NP", roles=frozenset({"analyst", "supervisor", "loader"}))
KH_PEOPLE = [f"per-kh-{i}" for i in range(5)]


async def _la_marked_by_khs_shared_holders(store) -> None:
    """LA-POL's two GREEN holders, and KH-NP's five shared with LA-POL: 7 > 5 for LA-POL."""
    await load_holders(store, ["per-la-a", "per-la-b"], "la", "LA-POL", "GREEN")
    await run_load(store, PhoneHolders(KH_PEOPLE, "kh"), source="kh",
                   provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=("LA-POL",)), viewer="KH-NP",
                   correlation_limit=LIMIT)
    assert await answer(store, LA, QUARANTINED) == {"entity": {"quarantined": True}}


async def test_an_unshare_lifts_the_partners_mark_its_holders_made(empty_store):
    await _la_marked_by_khs_shared_holders(empty_store)
    await unshare(empty_store, KH, KH_PEOPLE, ["LA-POL"])
    assert await answer(empty_store, LA, QUARANTINED) == {"entity": {"quarantined": None}}
    later = await load_holders(empty_store, ["per-la-c"], "la2", "LA-POL", "GREEN")
    assert (later.relationships_created, later.quarantined) == (1, 0)


async def test_a_loads_deletes_of_its_links_lift_the_partners_mark_they_made(empty_store):
    await _la_marked_by_khs_shared_holders(empty_store)
    await run_load(empty_store, PhoneHolders(KH_PEOPLE, "kh", op="delete"), source="kh",
                   provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=("LA-POL",)), viewer="KH-NP",
                   correlation_limit=LIMIT)
    assert await answer(empty_store, LA, QUARANTINED) == {"entity": {"quarantined": None}}


class _PeopleDeleted(PhoneHolders):
    """A delta DEL of the people (their links go with them)."""

    def records(self):
        for i, pid in enumerate(self.people, start=2):
            yield NodeRecord("Person", pid, {}, Origin(self.src, f"{self.src}.csv", i), op="delete")


async def test_a_loads_deletes_of_the_holders_lift_the_partners_mark_they_made(empty_store):
    await _la_marked_by_khs_shared_holders(empty_store)
    await run_load(empty_store, _PeopleDeleted(KH_PEOPLE, "kh"), source="kh",
                   provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=("LA-POL",)), viewer="KH-NP",
                   correlation_limit=LIMIT)
    assert await answer(empty_store, LA, QUARANTINED) == {"entity": {"quarantined": None}}


ZZ = Principal("ana-zz", agency="ZZ-POL")


async def test_an_agencys_own_del_lifts_its_mark_when_the_owners_pass_the_cap(empty_store, monkeypatch):
    await load_holders(empty_store, ["per-th-a"], "th", "TH-DSI", "GREEN")  # the GREEN phone
    for owner in ("A-POL", "B-POL"):  # two owners sorted before ZZ-POL fill a cap of two
        await load_holders(empty_store, [f"per-{owner}"], owner, owner, "RED")
    zz = [f"per-zz-{i}" for i in range(LIMIT)]
    await load_holders(empty_store, zz, "zz", "ZZ-POL", "RED")  # 6 holders for ZZ-POL: marked
    assert await answer(empty_store, ZZ, QUARANTINED) == {"entity": {"quarantined": True}}
    monkeypatch.setattr(quarantine_recount, "MAX_AGENCIES", 2)
    await load_holders(empty_store, zz[:3], "zz", "ZZ-POL", "RED", op="delete")  # 3 left for ZZ-POL
    assert await answer(empty_store, ZZ, QUARANTINED) == {"entity": {"quarantined": None}}


async def test_a_partners_del_that_lifts_the_flag_leaves_an_agency_seeing_past_the_limit_through_shares_marked(
        empty_store):
    await load_holders(empty_store, ["per-th-a"], "th", "TH-DSI", "GREEN")  # the GREEN phone, 1 holder
    await run_load(empty_store, PhoneHolders(KH_PEOPLE[:4], "kh"), source="kh",  # LA-POL sees 5: not past 5
                   provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=("LA-POL",)), viewer="KH-NP",
                   correlation_limit=LIMIT)
    vn = [f"per-vn-{i}" for i in range(5)]
    await load_holders(empty_store, vn, "vn", "VN-MPS", "GREEN")  # 6 public: flagged for everyone
    assert await answer(empty_store, LA, QUARANTINED) == {"entity": {"quarantined": True}}
    await load_holders(empty_store, vn[:3], "vn", "VN-MPS", "GREEN", op="delete")  # 3 public left: the flag lifts
    # LA-POL, owning none of its holders, still sees 7 (3 public, KH-NP's 4 shared with it), as KH-NP does
    assert await answer(empty_store, LA, QUARANTINED) == {"entity": {"quarantined": True}}
    assert await answer(empty_store, KH, QUARANTINED) == {"entity": {"quarantined": True}}
    assert await answer(empty_store, Principal("ana-th", agency="TH-DSI"), QUARANTINED) == {
        "entity": {"quarantined": None}}


async def test_an_owners_replace_reload_at_a_narrower_level_lifts_the_flag_its_links_made(empty_store):
    # a-62, 7: the reload narrowed VN-MPS's links and holders in place (nothing retracted, nothing
    # noted): 3 public holders, the flag stayed for everyone
    await load_holders(empty_store, [f"per-th-{i}" for i in range(3)], "th", "TH-DSI", "GREEN")
    vn = [f"per-vn-{i}" for i in range(3)]
    await load_holders(empty_store, vn, "vn", "VN-MPS", "GREEN")  # 6 public: flagged
    assert await answer(empty_store, LA, QUARANTINED) == {"entity": {"quarantined": True}}
    await run_load(empty_store, PhoneHolders(vn, "vn"), source="vn", provenance=Provenance(owner="VN-MPS", tlp="RED"),
                   viewer="VN-MPS", correlation_limit=LIMIT, replace=True)
    [row] = await empty_store.read("ingest/identifier_holders", {"ids": [PHONE], "types": ["USES_PHONE"],
                                                                "agencies": ["VN-MPS"]})
    assert (row["holders"], row["quarantined"], row["audience"][0]["holders"]) == (3, False, 6)
    assert await answer(empty_store, LA, QUARANTINED) == {"entity": {"quarantined": None}}


MADE_UP = tuple(f"AA-{i:02d}" for i in range(32))  # well-formed agency ids no one holds


async def _flag_lifted_beside_made_up_agencies(store) -> None:
    """One public holder, KH-NP's two AMBER ones shared with LA-POL, ZZ-POL's three AMBER ones shared
    with 32 made-up agencies; VN-MPS's five GREEN ones flag the phone, and its DEL of three lifts the
    flag: LA-POL and KH-NP see 5 (3 public, KH-NP's 2), the limit, as each made-up agency sees 6.
    LA-POL owns nothing (it only reads what is shared with it): as far as the graph tells, it may
    be made up as well (a-63, 3: it ranked with them)."""
    await load_holders(store, ["per-th-a"], "th", "TH-DSI", "GREEN")
    await run_load(store, PhoneHolders(["per-kh-0", "per-kh-1"], "kh"), source="kh",
                   provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=("LA-POL",)), viewer="KH-NP",
                   correlation_limit=LIMIT)
    await run_load(store, PhoneHolders(["per-zz-0", "per-zz-1", "per-zz-2"], "zz"), source="zz",
                   provenance=Provenance(owner="ZZ-POL", tlp="AMBER", shared_with=MADE_UP), viewer="ZZ-POL",
                   correlation_limit=LIMIT)
    vn = [f"per-vn-{i}" for i in range(5)]
    await load_holders(store, vn, "vn", "VN-MPS", "GREEN")
    await load_holders(store, vn[:3], "vn", "VN-MPS", "GREEN", op="delete")


async def test_agencies_made_up_in_a_sharedwith_never_take_a_real_agencys_mark_when_the_flag_lifts(empty_store):
    # a-62, 3 (a) and a-63, 3: the 32 made-up agencies, each seeing more, filled the 32 marks kept
    # (LA-POL owning nothing ranked with them); LA-POL read unquarantined while KH-NP, seeing the
    # same 5, stayed marked
    await _flag_lifted_beside_made_up_agencies(empty_store)
    assert [await answer(empty_store, p, QUARANTINED) for p in (LA, KH)] == [{"entity": {"quarantined": True}}] * 2


async def test_agencies_made_up_in_a_sharedwith_never_keep_an_owners_mark_from_its_recount(empty_store):
    # a-62, 3 (b): their 32 marks were recounted before the owners, and KH-NP's own DEL of its two
    # holders left it marked seeing 3
    await _flag_lifted_beside_made_up_agencies(empty_store)
    await run_load(empty_store, PhoneHolders(["per-kh-0", "per-kh-1"], "kh", op="delete"), source="kh",
                   provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=("LA-POL",)), viewer="KH-NP",
                   correlation_limit=LIMIT)
    assert await answer(empty_store, KH, QUARANTINED) == {"entity": {"quarantined": None}}


async def test_a_mark_of_an_agency_owning_nothing_is_recounted_beside_made_up_ones(empty_store):
    # a-62, 3 (b): LA-POL, marked by KH-NP's load (1 public + KH-NP's 5 shared with it), owns
    # nothing; once the flag lifted beside 32 made-up agencies' marks, every recount counted at most
    # 32 agencies, the made-up ones (sorted first) before it: KH-NP's DEL of its 5 links left LA-POL
    # marked seeing 3
    await load_holders(empty_store, ["per-th-a"], "th", "TH-DSI", "GREEN")
    await run_load(empty_store, PhoneHolders(["per-zz-0", "per-zz-1", "per-zz-2"], "zz"), source="zz",
                   provenance=Provenance(owner="ZZ-POL", tlp="AMBER", shared_with=MADE_UP), viewer="ZZ-POL",
                   correlation_limit=LIMIT)
    await run_load(empty_store, PhoneHolders(KH_PEOPLE, "kh"), source="kh",
                   provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=("LA-POL",)), viewer="KH-NP",
                   correlation_limit=LIMIT)
    vn = [f"per-vn-{i}" for i in range(5)]
    await load_holders(empty_store, vn, "vn", "VN-MPS", "GREEN")  # 6 public: flagged
    await load_holders(empty_store, vn[:3], "vn", "VN-MPS", "GREEN", op="delete")  # 3 public: lifted
    assert await answer(empty_store, LA, QUARANTINED) == {"entity": {"quarantined": True}}  # 3 + KH-NP's 5
    await run_load(empty_store, PhoneHolders(KH_PEOPLE, "kh", op="delete"), source="kh",
                   provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=("LA-POL",)), viewer="KH-NP",
                   correlation_limit=LIMIT)
    [row] = await empty_store.read("ingest/identifier_holders", {"ids": [PHONE], "types": ["USES_PHONE"],
                                                                "agencies": ["LA-POL"]})
    assert (row["holders"], row["audience"][0]["holders"], len(row["marks"])) == (3, 3, 33)  # ZZ-POL, 32 made up
    assert await answer(empty_store, LA, QUARANTINED) == {"entity": {"quarantined": None}}
