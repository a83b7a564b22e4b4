"""The circuit breaker holds for a victim-blind load's links to its own victim's quarantined
identifier as for any other: a new link to it is not written (graphapi/ingest/write_correlation.py).
The load is told it as a wrong guess's new link (created, no quarantine, no warning line:
graphapi/ingest/blind_values.py), as
tests/ingest/test_a_guess_of_an_own_victims_item_is_told_alike_every_way.py asks; so it is kept in
the holder's internal ``blindDiverted``, not as text in the ``identifiers`` the loader reads in
GraphQL, and a DEL of it or a replace no longer stating it is told deleted, as the wrong guess's
link is (attack round a-65, 3; graphapi/ingest/blind_diverted.py)."""

import json

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, Origin
from graphapi.ingest.service import build_records, ingest_records
from graphapi.ingest.writer import Provenance
from graphapi.ontology import load_model
from graphapi.security import Principal
from tests.ingest.ingest_helpers import Records
from tests.ingest.phone_holders import PHONE, load_holders
from tests.ingest.test_a_load_is_not_told_whether_its_own_victims_items_exist import _told
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, SOURCE, _load, _victim
from tests.investigate.graphql_answers import answer

pytestmark = pytest.mark.backends
FAKE = "phone:+66899999999"  # a wrong guess: no such phone stored
LOADER = Principal("loader-th", agency=AGENCY, roles=frozenset({"analyst", "loader"}))


async def _victims_quarantined_phone(store):
    await _victim(store)
    linked = [{"type": "USES_PHONE", "from": "per-vic-1", "to": PHONE, "properties": {}},
              {"kind": "node", "label": "Phone", "properties": {"number": PHONE[6:]}}]
    assert not (await ingest_records(store, linked, source=f"graphql:{AGENCY}", owner=AGENCY, tlp="GREEN")).rejected
    await load_holders(store, [f"per-th-{i}" for i in range(6)], "th", AGENCY, "GREEN")


def _holder_and_link(phone, holder="per-q"):
    return [{"kind": "node", "label": "Person", "id": holder, "properties": {"name": "Q"}},
            {"kind": "node", "label": "Phone", "properties": {"number": phone[6:]}},
            {"type": "USES_PHONE", "from": holder, "to": phone, "properties": {}}]


async def test_a_blind_loads_link_to_its_victims_quarantined_phone_is_not_written(empty_store):
    await _victims_quarantined_phone(empty_store)
    await _load(empty_store, *_holder_and_link(PHONE))
    link = load_model().relationship_id("USES_PHONE", "per-q", PHONE)
    assert await empty_store.read("ingest/existing_relationships", {"ids": [link]}, type="USES_PHONE") == []
    [holder] = await empty_store.read("ingest/existing_nodes", {"ids": ["per-q"]})
    assert [json.loads(e)[:3] for e in holder["props"].get("blindDiverted")] == [[AGENCY, link, f"Phone:{PHONE[6:]}"]]


async def test_a_link_to_its_victims_quarantined_phone_from_a_holder_nobody_stored_is_told_as_a_wrong_guesss(
        empty_store):
    # a wrong guess's link from a missing holder is dangling; the right guess's was rejected as
    # "quarantined" and counted created too (attack round a-67, 4)
    await _victims_quarantined_phone(empty_store)
    told = {}
    for phone in (FAKE, PHONE):
        summary = await _load(empty_store, *_holder_and_link(phone, f"per-nobody-{phone[6:]}")[1:])
        told[phone] = (_told(summary), summary.dangling, [r.reason.replace(phone[6:], "<number>")
                                                          for r in summary.rejections + summary.unlinked])
    assert told[PHONE] == told[FAKE]
    assert (told[PHONE][0]["relationships_created"], told[PHONE][1]) == (0, 1)
    link = load_model().relationship_id("USES_PHONE", f"per-nobody-{PHONE[6:]}", PHONE)
    assert await empty_store.read("ingest/existing_relationships", {"ids": [link]}, type="USES_PHONE") == []


async def test_the_diverted_link_is_not_read_in_the_holders_identifiers(empty_store):
    await _victims_quarantined_phone(empty_store)
    seen = {}
    for phone in (FAKE, PHONE):
        await _load(empty_store, *_holder_and_link(phone, f"per-q-{phone[6:]}"))
        seen[phone] = await answer(empty_store, LOADER, "query($id: String!) { entity(id: $id) { ... on Person "
                                   "{ identifiers } } }", id=f"per-q-{phone[6:]}")
    assert seen[PHONE] == seen[FAKE] == {"entity": {"identifiers": []}}


async def _blind(store, records, *, replace=False):
    return await run_load(store, Records(*build_records(records, SOURCE)[0]), source=SOURCE, viewer=AGENCY,
                          victim_blind=True, replace=replace,
                          provenance=Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z"))


def _retracted(summary):
    return {k: getattr(summary, k) for k in ("relationships_deleted", "relationships_retracted", "nodes_deleted",
                                             "nodes_retracted", "values_retracted", "statements_retracted")}


async def test_a_replace_no_longer_stating_the_diverted_link_is_told_it_deleted(empty_store):
    await _victims_quarantined_phone(empty_store)
    told, kept = {}, []  # what earlier loads stated, stated again (the replace would retract it otherwise)
    for phone in (FAKE, PHONE):
        records = _holder_and_link(phone, f"per-q-{phone[6:]}")
        await _blind(empty_store, kept + records)
        kept += records[:2]
        told[phone] = _retracted(await _blind(empty_store, kept, replace=True))  # the link no longer stated
    assert told[PHONE] == told[FAKE]
    assert told[PHONE]["relationships_deleted"] == 1
    [holder] = await empty_store.read("ingest/existing_nodes", {"ids": [f"per-q-{PHONE[6:]}"]})
    assert holder["props"].get("blindDiverted") is None


async def test_a_del_of_the_diverted_link_is_told_it_deleted(empty_store):
    await _victims_quarantined_phone(empty_store)
    told = {}
    for phone in (FAKE, PHONE):
        holder = f"per-q-{phone[6:]}"
        await _blind(empty_store, _holder_and_link(phone, holder))
        link = load_model().relationship_id("USES_PHONE", holder, phone)
        gone = EdgeRecord("USES_PHONE", link, holder, phone, {}, Origin(SOURCE, "d.json", 1), op="delete")
        told[phone] = _retracted(await run_load(empty_store, Records(gone), source=SOURCE, viewer=AGENCY,
                                                victim_blind=True, provenance=Provenance(AGENCY, "GREEN", (),
                                                                                         "2026-05-02T00:00:00Z")))
    assert told[PHONE] == told[FAKE]
    assert told[PHONE]["relationships_deleted"] == 1
    again = await _load(empty_store, *_holder_and_link(PHONE, f"per-q-{PHONE[6:]}"))
    assert again.relationships_created == 1  # said again after its DEL: created, as the wrong guess's link


async def test_the_diverted_link_is_told_as_a_wrong_guesss_new_link(empty_store):
    await _victims_quarantined_phone(empty_store)
    told = []
    for phone in ("phone:+66899999999", PHONE):
        s = await _load(empty_store, *_holder_and_link(phone, f"per-q-{phone}"))
        told.append((s.relationships_created, s.quarantined, s.warnings, len(s.warned)))
    assert told == [(1, 0, 0, 0)] * 2


async def test_the_diverted_link_said_again_is_told_as_a_wrong_guesss_link_said_again(empty_store):
    await _victims_quarantined_phone(empty_store)
    told = {}
    for phone in ("phone:+66899999999", PHONE):
        records = _holder_and_link(phone, f"per-q-{phone}")
        await _load(empty_store, *records)
        # seen after the victim's phone was (its holders' loads are seen now): its lastSeen moves too
        told[phone] = _told(await _load(empty_store, *records, seen="2099-05-02T00:00:00Z"))
    assert told[PHONE] == told["phone:+66899999999"]
