"""A load's deletes recount the quarantined identifiers at the ends of the links they really
deleted, each once, after them, and durably: a DEL/ADD pair naming a hidden hub by id recounts
nothing (attack round a-58, 4: one full recount per pair, in the write lease); a run killed between
its deletes and the recount leaves them noted for its rerun (a-58, 3); a replace's retraction of a
partner's links recounts as its DEL would (a-58, 2)."""

import pytest

import graphapi.ingest.pending_recounts as pending_recounts
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from tests.ingest.ingest_helpers import Records
from tests.ingest.phone_holders import LIMIT, PHONE, PhoneHolders, load_holders
from tests.ingest.test_quarantine_audience import QUARANTINED
from tests.ingest.test_quarantine_recount import KH_PEOPLE, LA, _la_marked_by_khs_shared_holders, _PeopleDeleted
from tests.investigate.graphql_answers import answer
from tests.store_kills import killed_after_write

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
KH_AMBER = Provenance(owner="KH-NP", tlp="AMBER", shared_with=("LA-POL",))
LA_GREEN = Provenance(owner="LA-POL", tlp="GREEN")
OTHER_PHONE = "phone:+66822222222"


def _recounted(store, monkeypatch) -> list[str]:
    """The identifiers recounted from now on, one entry a recount (its read of the owners)."""
    seen: list[str] = []
    read = store.read

    async def spying(name, params=None, *args, **kwargs):
        if name == "ingest/identifier_audiences":
            seen.append(params["id"])
        return await read(name, params, *args, **kwargs)
    monkeypatch.setattr(store, "read", spying)
    return seen


async def _khs_hidden_hub_marked(store) -> None:
    """KH-NP's RED phone, six RED holders, marked for KH-NP; LA-POL's GREEN person per-la-x and phone."""
    recs = [NodeRecord("Phone", PHONE, {"number": "+66811111111"}, Origin("kh", "kh.csv", 1))]
    for i in range(LIMIT + 1):
        o = Origin("kh", "kh.csv", i + 2)
        recs += [NodeRecord("Person", f"per-h-{i}", {"name": f"h{i}"}, o),
                 EdgeRecord("USES_PHONE", f"uses-h-{i}", f"per-h-{i}", PHONE, {}, o)]
    await run_load(store, Records(*recs), source="kh", provenance=Provenance(owner="KH-NP", tlp="RED"),
                   viewer="KH-NP", correlation_limit=100)
    await store.write_batches("ingest/update_nodes", [{"id": PHONE, "props": {"quarantinedFor": ["KH-NP"]}}], 10)
    await run_load(store, Records(*[NodeRecord("Person", "per-la-x", {"name": "x"}, Origin("lap", "lap.csv", 2)),
                                    NodeRecord("Phone", OTHER_PHONE, {"number": "+66822222222"},
                                               Origin("lap", "lap.csv", 3))]),
                   source="lap", provenance=LA_GREEN, viewer="LA-POL", correlation_limit=LIMIT)


async def test_del_add_pairs_naming_a_hidden_hub_by_id_recount_nothing(empty_store, monkeypatch):
    await _khs_hidden_hub_marked(empty_store)
    recounted = _recounted(empty_store, monkeypatch)
    pairs = []
    # a link LA-POL never had, deleted "from" the hub and added to its own phone; then, stored so,
    # deleted twice more "from" the hub: the stored ends are not the hub, nor is anything recounted
    for i in range(3):
        o = Origin("la", "la.csv", 2 + i)
        pairs += [EdgeRecord("USES_PHONE", "uses-la-x", "per-la-x", PHONE, {}, o, op="delete"),
                  EdgeRecord("USES_PHONE", "uses-la-x", "per-la-x", OTHER_PHONE, {}, o)]
    out = await run_load(empty_store, Records(*pairs), source="la", provenance=LA_GREEN, viewer="LA-POL",
                         correlation_limit=LIMIT)
    assert (out.relationships_created, out.relationships_deleted) == (3, 2)
    assert recounted == []
    [row] = await empty_store.read("ingest/identifier_holders", {"ids": [PHONE], "types": ["USES_PHONE"],
                                                                "agencies": []})
    assert row["marks"] == ["KH-NP"]


async def test_a_loads_del_add_pairs_recount_the_identifier_once_after_its_deletes(empty_store, monkeypatch):
    await _la_marked_by_khs_shared_holders(empty_store)
    recounted = _recounted(empty_store, monkeypatch)
    recs = [NodeRecord("Phone", OTHER_PHONE, {"number": "+66822222222"}, Origin("kh", "kh.csv", 1))]
    for i, pid in enumerate(KH_PEOPLE, start=2):  # each link moved to another phone: one DEL/ADD pair each
        o = Origin("kh", "kh.csv", i)
        recs += [EdgeRecord("USES_PHONE", f"uses-{pid}", pid, PHONE, {}, o, op="delete"),
                 EdgeRecord("USES_PHONE", f"uses-{pid}", pid, OTHER_PHONE, {}, o)]
    out = await run_load(empty_store, Records(*recs), source="kh", provenance=KH_AMBER, viewer="KH-NP",
                         correlation_limit=LIMIT)
    assert out.relationships_deleted == len(KH_PEOPLE)
    assert recounted == [PHONE]
    assert await answer(empty_store, LA, QUARANTINED) == {"entity": {"quarantined": None}}


async def test_a_rerun_after_a_kill_between_the_deletes_and_the_recount_lifts_the_mark(empty_store, monkeypatch):
    await _la_marked_by_khs_shared_holders(empty_store)

    async def deletes():
        await run_load(empty_store, _PeopleDeleted(KH_PEOPLE, "kh"), source="kh", provenance=KH_AMBER,
                       viewer="KH-NP", correlation_limit=LIMIT)
    await killed_after_write(empty_store, monkeypatch, "ingest/clear_pending_retraction", deletes)
    assert await answer(empty_store, LA, QUARANTINED) == {"entity": {"quarantined": True}}  # killed before it
    await deletes()
    assert await answer(empty_store, LA, QUARANTINED) == {"entity": {"quarantined": None}}
    assert await pending_recounts.noted(empty_store) == []


async def test_a_replace_that_drops_the_partners_links_lifts_the_mark_they_made(empty_store):
    await _la_marked_by_khs_shared_holders(empty_store)
    out = await run_load(empty_store, PhoneHolders(KH_PEOPLE[:1], "kh"), source="kh", provenance=KH_AMBER,
                         viewer="KH-NP", correlation_limit=LIMIT, replace=True)
    assert out.replace_skipped is None and out.relationships_deleted == len(KH_PEOPLE) - 1
    # LA-POL sees 3 holders now (its 2, KH-NP's 1), under the limit of 5
    assert await answer(empty_store, LA, QUARANTINED) == {"entity": {"quarantined": None}}


async def test_a_load_deleting_a_link_and_then_its_quarantined_phone_leaves_nothing_noted(empty_store):
    # a-62, 1: the phone noted by the link's DEL was gone by the recount (IndexError), stayed noted,
    # and every later deleting load of any agency failed at its close
    kh = Provenance(owner="KH-NP", tlp="RED")
    phone = "phone:+66899999999"
    recs = [NodeRecord("Phone", phone, {"number": "+66899999999"}, Origin("kh", "kh.csv", 1))]
    for i in range(LIMIT + 1):
        o = Origin("kh", "kh.csv", i + 2)
        recs += [NodeRecord("Person", f"per-h-{i}", {"name": f"h{i}"}, o),
                 EdgeRecord("USES_PHONE", f"uses-h-{i}", f"per-h-{i}", phone, {}, o)]
    await run_load(empty_store, Records(*recs), source="kh", provenance=kh, viewer="KH-NP", correlation_limit=LIMIT)
    o = Origin("kh", "kh.csv", 1)
    await run_load(empty_store, Records(*[EdgeRecord("USES_PHONE", "uses-h-0", "per-h-0", phone, {}, o, op="delete"),
                                          NodeRecord("Phone", phone, {"number": "+66899999999"}, o, op="delete")]),
                   source="kh", provenance=kh, viewer="KH-NP", correlation_limit=LIMIT)
    assert await pending_recounts.noted(empty_store) == []
    await run_load(empty_store, Records(*[NodeRecord("Person", "per-la", {"name": "la"}, Origin("la", "la.csv", 1))]),
                   source="la", provenance=LA_GREEN, viewer="LA-POL", correlation_limit=LIMIT)
    la = await run_load(empty_store, Records(*[NodeRecord("Person", "per-la", {}, Origin("la", "la.csv", 1),
                                                          op="delete")]),
                        source="la", provenance=LA_GREEN, viewer="LA-POL", correlation_limit=LIMIT)
    assert la.nodes_deleted == 1


async def test_deleting_ones_own_links_to_a_phone_unshared_from_one_still_lifts_the_flag(empty_store):
    # a-62, 2: the note kept only identifiers the deleting agency could see, so the flag its links
    # made stayed for everyone with 3 public holders under the limit of 5
    from graphapi.security import Principal
    from graphapi.security.share import unshare

    def links(src: str, people: list[str], op: str = "merge") -> Records:
        recs: list = []
        for i, pid in enumerate(people, start=2):
            o = Origin(src, f"{src}.csv", i)
            recs += [NodeRecord("Person", pid, {"name": pid}, o)] if op == "merge" else []
            recs.append(EdgeRecord("USES_PHONE", f"uses-{pid}", pid, PHONE, {}, o, op=op))
        return Records(*recs)

    async def load(recs, src, prov):
        return await run_load(empty_store, recs, source=src, provenance=prov, viewer=prov.owner,
                              correlation_limit=LIMIT)
    await load(Records(*[NodeRecord("Phone", PHONE, {"number": "+66811111111"}, Origin("kh", "kh.csv", 1))]), "kh",
               Provenance(owner="KH-NP", tlp="AMBER", shared_with=("LA-POL", "TH-DSI")))
    la, th = [f"per-la-{i}" for i in range(3)], [f"per-th-{i}" for i in range(3)]
    await load(links("la", la), "la", LA_GREEN)
    await load(links("th", th), "th", Provenance(owner="TH-DSI", tlp="GREEN"))
    await unshare(empty_store, Principal("ana-kh", agency="KH-NP", roles=frozenset({"supervisor"})), [PHONE],
                  ["LA-POL"])
    assert (await load(links("la", la, op="delete"), "la", LA_GREEN)).relationships_deleted == 3
    [row] = await empty_store.read("ingest/identifier_holders", {"ids": [PHONE], "types": ["USES_PHONE"],
                                                                 "agencies": ["KH-NP", "TH-DSI"]})
    assert (row["holders"], row["quarantined"], [v["quarantined"] for v in row["audience"]]) == (3, False,
                                                                                                [False, False])


async def test_another_agencys_load_finishing_a_killed_del_recounts_what_it_noted(empty_store, monkeypatch):
    # a-62, 4: LA-POL's plain loads finished KH-NP's killed DEL (the phone noted) but never
    # recounted: LA-POL stayed marked seeing 2 holders, and its new links became text
    await _la_marked_by_khs_shared_holders(empty_store)

    async def deletes():
        await run_load(empty_store, PhoneHolders(KH_PEOPLE, "kh", op="delete"), source="kh", provenance=KH_AMBER,
                       viewer="KH-NP", correlation_limit=LIMIT)
    await killed_after_write(empty_store, monkeypatch, "ingest/delete_relationships", deletes)
    await load_holders(empty_store, ["per-la-c"], "la2", "LA-POL", "GREEN")
    out = await load_holders(empty_store, ["per-la-d"], "la3", "LA-POL", "GREEN")
    assert (out.relationships_created, out.quarantined, await pending_recounts.noted(empty_store)) == (1, 0, [])
